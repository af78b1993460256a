package io.tradestate.tools;

import io.tradestate.reader.cli.CommandLines;
import io.tradestate.reader.cli.VersionProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The options of {@code tradestate reconcile}, a picocli command: picocli fills the fields in, {@link #conclude}
 * validates them once; an invalid value fails with an {@link IllegalArgumentException} naming the option.
 * {@code --help} lists them.
 */
@Command(
    name = "reconcile",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    synopsisHeading = "usage: ",
    customSynopsis =
    {
        "tradestate reconcile <source> --exchange-dump <file> --exchange <id> [--from T] [--to T]",
        "                            (--db <jdbc-url> [--apply <journal-root>] | --state <state-dir>) [--json]",
    },
    description =
    {
        "",
        "Compares what the exchange says happened (CCXT's fetchOrders/fetchOpenOrders/fetchClosedOrders,",
        "fetchMyTrades and fetchBalance results as JSON lines) with what TradeState holds for <source>: fills",
        "missing from the journal, orders whose status, amount, filled or average differ, orders open in",
        "TradeState that the exchange closed or does not know, orders never journaled, balances that differ.",
        "Reads only, unless --apply; docs/reconciliation.md lists the fields read.",
        "",
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList =
    {
        ReconcileTool.EXIT_CONSISTENT + ":consistent",
        ReconcileTool.EXIT_DIFFERENCES + ":differences found (with --apply: and repaired)",
        ReconcileTool.EXIT_INVALID + ":invalid arguments or input (the message names the line and field of the " +
            "dump); with --apply, also a writer of the source still alive or a value the journal cannot hold",
        ReconcileTool.EXIT_CANNOT_READ + ":the database or the state maps cannot be read",
    })
public final class ReconcileOptions implements ToolCommand
{
    /**
     * Default of {@code --wait-ms}.
     */
    public static final long DEFAULT_WAIT_MS = 10_000L;

    @Parameters(paramLabel = "<source>", arity = "0..*", description = "the source id whose journal is reconciled")
    private List<String> positional = new ArrayList<>();

    @Option(names = "--exchange-dump", paramLabel = "F",
        description = "the exchange's JSON lines (one object, or an array of them, a line)")
    private String dumpText;

    @Option(names = "--exchange", paramLabel = "ID",
        description = "the CCXT exchange id of the dump, as journaled (binance)")
    private String exchangeText;

    @Option(names = "--from", paramLabel = "T",
        description = "start of the window [from, to): ISO-8601 or epoch milliseconds (default: all)")
    private String fromText;

    @Option(names = "--to", paramLabel = "T", description = "end of the window (default: all)")
    private String toText;

    @Mixin
    private DatabaseOptions database = new DatabaseOptions();

    @Option(names = "--state", paramLabel = "DIR", description = "compare with the state maps under the agent's " +
        "state.dir instead of --db (open orders, closed ones for an hour, balances; no fills)")
    private String stateText;

    @Option(names = "--wait-ms", paramLabel = "N",
        description = "how long to wait for published state maps (default " + DEFAULT_WAIT_MS + ")")
    private String waitText;

    @Option(names = "--apply", paramLabel = "DIR", description = "repair: append the missing fills, order updates " +
        "and balances to the source's journal under DIR (the agent's journal.root), marked as from reconciliation; " +
        "refused while the source's writer is alive; appends nothing twice")
    private String applyText;

    @Option(names = "--json", description = "one JSON object instead of text (with --apply, an applied member)")
    private boolean json;

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
    private Path applyJournalRoot;

    ReconcileOptions()
    {
    }

    /**
     * Parse and validate the arguments after {@code reconcile}.
     *
     * @param args        the source and options.
     * @param environment where {@value VerifyOptions#PASSWORD_ENV} is looked up.
     * @return the validated options; not validated when {@code --help} or {@code --version} is among them.
     * @throws IllegalArgumentException naming the first invalid option or missing argument.
     */
    public static ReconcileOptions parse(final String[] args, final Map<String, String> environment)
    {
        final ReconcileOptions options = new ReconcileOptions();
        if (!CommandLines.helpRequested(CommandLines.parse(options, args)))
        {
            options.conclude(environment);
        }
        return options;
    }

    /**
     * Validate the options picocli filled in.
     *
     * @param environment where {@value VerifyOptions#PASSWORD_ENV} is looked up.
     * @return this.
     * @throws IllegalArgumentException naming the first invalid option or missing argument.
     */
    public ReconcileOptions conclude(final Map<String, String> environment)
    {
        if (positional.size() != 1)
        {
            throw new IllegalArgumentException(positional.isEmpty() ?
                "<source> is missing: the source id whose journal is reconciled" :
                "unexpected argument '" + positional.get(1) + "': one <source> only; see --help");
        }
        sourceId = positional.get(0);
        final String dumpFile = OptionValues.text("--exchange-dump", dumpText);
        if (null == dumpFile)
        {
            throw new IllegalArgumentException("--exchange-dump is missing: the JSON lines of CCXT's orders, " +
                "trades and balance");
        }
        dump = Paths.get(dumpFile);
        exchange = OptionValues.text("--exchange", exchangeText);
        if (null == exchange)
        {
            throw new IllegalArgumentException("--exchange is missing: the CCXT exchange id of the dump, as the " +
                "journal holds it (binance)");
        }
        fromMs = time("--from", fromText);
        toMs = time("--to", toText);
        if (null != fromMs && null != toMs && toMs <= fromMs)
        {
            throw new IllegalArgumentException("--to must be after --from");
        }

        final boolean db = database.hasJdbcUrl();
        final String state = OptionValues.text("--state", stateText);
        if (db == (null != state))
        {
            throw new IllegalArgumentException("give one of --db (the database: fills and every order) and " +
                "--state (the state maps: open orders and balances)");
        }
        if (db)
        {
            jdbcUrl = database.jdbcUrl();
            user = database.user();
            password = database.password(environment);
            if (null != waitText)
            {
                throw new IllegalArgumentException("--wait-ms goes with --state");
            }
            final String apply = OptionValues.text("--apply", applyText);
            applyJournalRoot = null == apply ? null : Paths.get(apply);
        }
        else
        {
            if (database.hasCredentials())
            {
                throw new IllegalArgumentException("--user and --password-file go with --db");
            }
            if (null != applyText)
            {
                throw new IllegalArgumentException("--apply goes with --db: the state maps hold no fills");
            }
            stateDir = Paths.get(state);
            waitMs = OptionValues.number("--wait-ms", waitText, DEFAULT_WAIT_MS, 0);
        }
        return this;
    }

    /**
     * Validate and reconcile.
     *
     * @param out         where the report goes.
     * @param err         where errors go.
     * @param environment where {@value VerifyOptions#PASSWORD_ENV} is looked up.
     * @return the exit code.
     */
    public int run(final PrintStream out, final PrintStream err, final Map<String, String> environment)
    {
        try
        {
            conclude(environment);
        }
        catch (final IllegalArgumentException ex)
        {
            err.println("tradestate reconcile: " + ex.getMessage());
            return ReconcileTool.EXIT_INVALID;
        }
        return ReconcileTool.run(this, out, err);
    }

    /**
     * The help text: every option and its meaning.
     *
     * @return what {@code --help} prints.
     */
    public static String usage()
    {
        return CommandLines.usage(new ReconcileOptions());
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
     * Where {@code --apply} appends: the journal root holding the source's queue.
     *
     * @return the folder, null without {@code --apply}.
     */
    public Path applyJournalRoot()
    {
        return applyJournalRoot;
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

    private static Long time(final String name, final String text)
    {
        final String value = OptionValues.text(name, text);
        return null == value ? null : Math.floorDiv(DumpOptions.time(name, value), 1_000_000L);
    }
}
