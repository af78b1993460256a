package io.tradestate.tools;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.Set;

/**
 * The options of {@code tradestate reconcile}, parsed and validated once; an invalid value fails with an
 * {@link IllegalArgumentException} naming the option. {@link #usage()} lists them.
 */
public final class ReconcileOptions
{
    /**
     * Default of {@code --wait-ms}.
     */
    public static final long DEFAULT_WAIT_MS = 10_000L;

    private String sourceId;
    private Path dump;
    private String exchange;
    private Long fromMs;
    private Long toMs;
    private String jdbcUrl;
    private String user;
    private String password;
    private Path stateDir;
    private long waitMs = DEFAULT_WAIT_MS;
    private boolean json;
    private boolean help;
    private Path applyJournalRoot;

    private ReconcileOptions()
    {
    }

    /**
     * Parse the arguments after {@code reconcile}.
     *
     * @param args        the source and options.
     * @param environment where {@value VerifyOptions#PASSWORD_ENV} is looked up.
     * @return the validated options.
     * @throws IllegalArgumentException naming the first invalid option or missing argument.
     */
    public static ReconcileOptions parse(final String[] args, final Map<String, String> environment)
    {
        final ToolArguments arguments = ToolArguments.parse(args, Set.of("--help", "-h", "--json"), Set.of(
            "--exchange-dump", "--exchange", "--from", "--to", "--db", "--user", "--password-file", "--state",
            "--wait-ms", "--apply"));
        final ReconcileOptions options = new ReconcileOptions();
        options.help = arguments.has("--help") || arguments.has("-h");
        if (options.help)
        {
            return options;
        }

        if (arguments.positional().size() != 1)
        {
            throw new IllegalArgumentException(arguments.positional().isEmpty() ?
                "<source> is missing: the source id whose journal is reconciled" :
                "unexpected argument '" + arguments.positional().get(1) + "': one <source> only; see --help");
        }
        options.sourceId = arguments.positional().get(0);
        final String dump = arguments.text("--exchange-dump");
        if (null == dump)
        {
            throw new IllegalArgumentException("--exchange-dump is missing: the JSON lines of CCXT's orders, " +
                "trades and balance");
        }
        options.dump = Paths.get(dump);
        options.exchange = arguments.text("--exchange");
        if (null == options.exchange)
        {
            throw new IllegalArgumentException("--exchange is missing: the CCXT exchange id of the dump, as the " +
                "journal holds it (binance)");
        }
        options.fromMs = time(arguments, "--from");
        options.toMs = time(arguments, "--to");
        if (null != options.fromMs && null != options.toMs && options.toMs <= options.fromMs)
        {
            throw new IllegalArgumentException("--to must be after --from");
        }
        options.json = arguments.has("--json");

        final boolean db = arguments.has("--db");
        final String state = arguments.text("--state");
        if (db == (null != state))
        {
            throw new IllegalArgumentException("give one of --db (the database: fills and every order) and " +
                "--state (the state maps: open orders and balances)");
        }
        if (db)
        {
            options.jdbcUrl = VerifyOptions.jdbcUrl(arguments);
            options.user = arguments.text("--user");
            options.password = VerifyOptions.password(arguments, environment);
            if (arguments.has("--wait-ms"))
            {
                throw new IllegalArgumentException("--wait-ms goes with --state");
            }
            final String apply = arguments.text("--apply");
            options.applyJournalRoot = null == apply ? null : Paths.get(apply);
        }
        else
        {
            if (arguments.has("--user") || arguments.has("--password-file"))
            {
                throw new IllegalArgumentException("--user and --password-file go with --db");
            }
            if (arguments.has("--apply"))
            {
                throw new IllegalArgumentException("--apply goes with --db: the state maps hold no fills");
            }
            options.stateDir = Paths.get(state);
            options.waitMs = arguments.number("--wait-ms", DEFAULT_WAIT_MS, 0);
        }
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
            "usage: tradestate reconcile <source> --exchange-dump <file> --exchange <id> [--from T] [--to T]",
            "                            (--db <jdbc-url> [--apply <journal-root>] | --state <state-dir>) [--json]",
            "",
            "Compares what the exchange says happened (CCXT's fetchOrders/fetchOpenOrders/fetchClosedOrders,",
            "fetchMyTrades and fetchBalance results as JSON lines) with what TradeState holds for <source>: fills",
            "missing from the journal, orders whose status, amount, filled or average differ, orders open in",
            "TradeState that the exchange closed or does not know, orders never journaled, balances that differ.",
            "Reads only, unless --apply; docs/reconciliation.md lists the fields read.",
            "",
            "  --exchange-dump F         the exchange's JSON lines (one object, or an array of them, a line)",
            "  --exchange ID             the CCXT exchange id of the dump, as journaled (binance)",
            "  --from T, --to T          the window [from, to): ISO-8601 or epoch milliseconds (default: all)",
            "  --db URL                  compare with the agent's database (fills, every order, balances)",
            "  --user U                  database user (default: the URL's, or the driver's)",
            "  --password-file F         file whose first line is the password (default: $" +
                VerifyOptions.PASSWORD_ENV + ")",
            "  --state DIR               compare with the state maps under the agent's state.dir instead (open",
            "                            orders, closed ones for an hour, balances; no fills)",
            "  --wait-ms N               how long to wait for published state maps (default " + DEFAULT_WAIT_MS +
                ")",
            "  --apply DIR               repair: append the missing fills, order updates and balances to the",
            "                            source's journal under DIR (the agent's journal.root), marked as from",
            "                            reconciliation; refused while the source's writer is alive; appends",
            "                            nothing twice",
            "  --json                    one JSON object instead of text",
            "  --help, -h                this text",
            "",
            "Exit codes: 0 consistent, 1 differences found, 2 invalid arguments or input (the message names the",
            "line and field of the dump), 3 the database or the state maps cannot be read.");
    }

    /**
     * The source reconciled.
     *
     * @return its id.
     */
    public String sourceId()
    {
        return sourceId;
    }

    /**
     * The exchange's dump.
     *
     * @return the file.
     */
    public Path dump()
    {
        return dump;
    }

    /**
     * The exchange id.
     *
     * @return such as {@code binance}.
     */
    public String exchange()
    {
        return exchange;
    }

    /**
     * Start of the window.
     *
     * @return ms since the epoch, inclusive; null for none.
     */
    public Long fromMs()
    {
        return fromMs;
    }

    /**
     * End of the window.
     *
     * @return ms since the epoch, exclusive; null for none.
     */
    public Long toMs()
    {
        return toMs;
    }

    /**
     * The database's JDBC URL.
     *
     * @return the URL, null with {@code --state}.
     */
    public String jdbcUrl()
    {
        return jdbcUrl;
    }

    /**
     * The database user.
     *
     * @return the user, null for the URL's or the driver's.
     */
    public String user()
    {
        return user;
    }

    /**
     * The database password; never printed.
     *
     * @return the password, null if none.
     */
    public String password()
    {
        return password;
    }

    /**
     * The agent's state folder.
     *
     * @return the folder, null with {@code --db}.
     */
    public Path stateDir()
    {
        return stateDir;
    }

    /**
     * Longest wait for the state maps.
     *
     * @return milliseconds.
     */
    public long waitMs()
    {
        return waitMs;
    }

    /**
     * Whether the report is JSON.
     *
     * @return true with {@code --json}.
     */
    public boolean json()
    {
        return json;
    }

    /**
     * Where {@code --apply} appends: the journal root holding the source's queue.
     *
     * @return the folder, null without {@code --apply}.
     */
    public Path applyJournalRoot()
    {
        return applyJournalRoot;
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

    private static Long time(final ToolArguments arguments, final String name)
    {
        final String value = arguments.text(name);
        return null == value ? null : Math.floorDiv(DumpOptions.time(name, value), 1_000_000L);
    }
}
