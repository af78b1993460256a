package io.tradestate.tools;

import io.tradestate.reader.cli.CommandLines;
import io.tradestate.reader.cli.VersionProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The options of {@code tradestate state}, a picocli command: picocli fills the fields in, {@link #conclude()}
 * validates them once; an invalid value fails with an {@link IllegalArgumentException} naming the option.
 * {@code --help} lists them.
 */
@Command(
    name = "state",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    synopsisHeading = "usage: ",
    customSynopsis = "tradestate state <state-dir> [options]",
    description =
    {
        "",
        "Prints the live state the reader agent publishes in the Chronicle Map files under <state-dir> (its",
        "state.dir): open orders, open trades, running pair locks and balances, with the maps' generation, the",
        "age of the agent's heartbeat and whether a map is full. Read-only; the agent need not be running.",
        "",
    },
    footer =
    {
        "",
        "Closed orders and closed trades are not listed: the maps keep them for state.closed.retention.ms",
        "only, and PostgreSQL has them all.",
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList =
    {
        StateViewTool.EXIT_OK + ":done",
        StateViewTool.EXIT_INVALID_ARGUMENTS + ":invalid arguments",
        StateViewTool.EXIT_NO_STATE + ":no state published under <state-dir> (after the wait)",
    })
public final class StateOptions implements ToolCommand
{
    /**
     * Default of {@code --wait-ms}: opening the maps takes a few seconds.
     */
    public static final long DEFAULT_WAIT_MS = 10_000L;

    @Parameters(paramLabel = "<state-dir>", arity = "0..*", description = "the reader agent's state.dir")
    private List<String> positional = new ArrayList<>();

    @Option(names = "--json", description = "one JSON object with an array per section, instead of text tables")
    private boolean json;

    @Option(names = "--source", paramLabel = "ID", description = "only the orders, trades and pair locks of this " +
        "source (balances are per exchange and asset: all are printed)")
    private String sourceText;

    @Option(names = "--at", paramLabel = "T", description = "the time at which pair locks must still run " +
        "(default: now); ISO-8601 (2026-05-01T12:00:00Z; no offset means UTC) or epoch milliseconds")
    private String atText;

    @Option(names = "--wait-ms", paramLabel = "N",
        description = "how long to wait for published maps (default " + DEFAULT_WAIT_MS + ")")
    private String waitText;

    private Path stateDir;
    private String sourceId;
    private long atMs = Long.MIN_VALUE;
    private long waitMs = DEFAULT_WAIT_MS;

    StateOptions()
    {
    }

    /**
     * Parse and validate the arguments after {@code state}.
     *
     * @param args the state folder and options.
     * @return the validated options; not validated when {@code --help} or {@code --version} is among them.
     * @throws IllegalArgumentException naming the first invalid option or missing argument.
     */
    public static StateOptions parse(final String... args)
    {
        final StateOptions options = new StateOptions();
        if (!CommandLines.helpRequested(CommandLines.parse(options, args)))
        {
            options.conclude();
        }
        return options;
    }

    /**
     * Validate the options picocli filled in.
     *
     * @return this.
     * @throws IllegalArgumentException naming the first invalid option or missing argument.
     */
    public StateOptions conclude()
    {
        if (positional.size() != 1)
        {
            throw new IllegalArgumentException(positional.isEmpty() ?
                "<state-dir> is missing: the reader agent's state.dir" :
                "unexpected argument '" + positional.get(1) + "': one <state-dir> only; see --help");
        }
        stateDir = Paths.get(positional.get(0));
        sourceId = OptionValues.text("--source", sourceText);
        atMs = null == atText ? Long.MIN_VALUE : Math.floorDiv(DumpOptions.time("--at", atText), 1_000_000L);
        waitMs = OptionValues.number("--wait-ms", waitText, DEFAULT_WAIT_MS, 0);
        return this;
    }

    /**
     * Validate and print the state.
     *
     * @param out         where the state goes.
     * @param err         where errors go.
     * @param environment not used.
     * @return the exit code.
     */
    public int run(final PrintStream out, final PrintStream err, final Map<String, String> environment)
    {
        try
        {
            conclude();
        }
        catch (final IllegalArgumentException ex)
        {
            err.println("tradestate state: " + ex.getMessage());
            return StateViewTool.EXIT_INVALID_ARGUMENTS;
        }
        return new StateViewTool(this, out, err).run();
    }

    /**
     * The help text: every option and its meaning.
     *
     * @return what {@code --help} prints.
     */
    public static String usage()
    {
        return CommandLines.usage(new StateOptions());
    }

    /**
     * The agent's state folder.
     *
     * @return the path as given.
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
}
