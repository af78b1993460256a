package io.tradestate.tools;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Set;

/**
 * The options of {@code tradestate state}, parsed and validated once; an invalid value fails with an
 * {@link IllegalArgumentException} naming the option. {@link #usage()} lists them.
 */
public final class StateOptions
{
    /**
     * Default of {@code --wait-ms}: opening the maps takes a few seconds.
     */
    public static final long DEFAULT_WAIT_MS = 10_000L;

    private Path stateDir;
    private boolean json;
    private String sourceId;
    private long atMs = Long.MIN_VALUE;
    private long waitMs = DEFAULT_WAIT_MS;
    private boolean help;

    private StateOptions()
    {
    }

    /**
     * Parse the arguments after {@code state}.
     *
     * @param args the state folder and options.
     * @return the validated options.
     * @throws IllegalArgumentException naming the first invalid option or missing argument.
     */
    public static StateOptions parse(final String... args)
    {
        final ToolArguments arguments = ToolArguments.parse(
            args, Set.of("--json", "--help", "-h"), Set.of("--source", "--at", "--wait-ms"));
        final StateOptions options = new StateOptions();
        options.help = arguments.has("--help") || arguments.has("-h");
        if (options.help)
        {
            return options;
        }
        if (arguments.positional().size() != 1)
        {
            throw new IllegalArgumentException(arguments.positional().isEmpty() ?
                "<state-dir> is missing: the reader agent's state.dir" :
                "unexpected argument '" + arguments.positional().get(1) + "': one <state-dir> only; see --help");
        }
        options.stateDir = Paths.get(arguments.positional().get(0));
        options.json = arguments.has("--json");
        options.sourceId = arguments.text("--source");
        final String at = arguments.value("--at");
        if (null != at)
        {
            options.atMs = Math.floorDiv(DumpOptions.time("--at", at), 1_000_000L);
        }
        options.waitMs = arguments.number("--wait-ms", DEFAULT_WAIT_MS, 0);
        return options;
    }

    /**
     * The help text: every option and its meaning.
     *
     * @return lines for {@code --help}.
     */
    public static String usage()
    {
        return String.join(System.lineSeparator(),
            "usage: tradestate state <state-dir> [options]",
            "",
            "Prints the live state the reader agent publishes in the Chronicle Map files under <state-dir> (its",
            "state.dir): open orders, open trades, running pair locks and balances, with the maps' generation, the",
            "age of the agent's heartbeat and whether a map is full. Read-only; the agent need not be running.",
            "",
            "  --json          one JSON object with an array per section, instead of text tables",
            "  --source ID     only the orders, trades and pair locks of this source (balances are per exchange",
            "                  and asset: all are printed)",
            "  --at T          the time at which pair locks must still run (default: now); ISO-8601",
            "                  (2026-05-01T12:00:00Z; no offset means UTC) or epoch milliseconds",
            "  --wait-ms N     how long to wait for published maps (default " + DEFAULT_WAIT_MS + ")",
            "  --help, -h      this text",
            "",
            "Closed orders and closed trades are not listed: the maps keep them for state.closed.retention.ms",
            "only, and PostgreSQL has them all.",
            "",
            "Exit codes: 0 done, 2 invalid arguments, 3 no state published under <state-dir> (after the wait).");
    }

    /**
     * The agent's state folder.
     *
     * @return the path as given, null only with {@code --help}.
     */
    public Path stateDir()
    {
        return stateDir;
    }

    /**
     * Whether to print JSON.
     *
     * @return true with {@code --json}.
     */
    public boolean json()
    {
        return json;
    }

    /**
     * The one source to print.
     *
     * @return its id, null for every source.
     */
    public String sourceId()
    {
        return sourceId;
    }

    /**
     * The time at which pair locks must still run.
     *
     * @return ms since the epoch, {@link Long#MIN_VALUE} for the time of the run.
     */
    public long atMs()
    {
        return atMs;
    }

    /**
     * Longest wait for the maps to be available.
     *
     * @return milliseconds.
     */
    public long waitMs()
    {
        return waitMs;
    }

    /**
     * Whether {@code --help} was asked for.
     *
     * @return true with {@code --help}.
     */
    public boolean help()
    {
        return help;
    }
}
