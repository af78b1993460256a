package io.tradestate.tools;

import io.tradestate.reader.cli.CommandLines;
import io.tradestate.reader.cli.VersionProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The options of {@code tradestate report}, a picocli command: picocli fills the fields in, {@link #conclude}
 * validates them once; an invalid value fails with an {@link IllegalArgumentException} naming the option.
 * {@code --help} lists them.
 */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    synopsisHeading = "usage: ",
    customSynopsis = "tradestate report --db <jdbc-url> --starting-balance N [options]",
    description =
    {
        "",
        "The performance of the closed trades in the agent's database, with freqtrade's definitions (schemas V11",
        "and V12, docs/ledger.md): summary metrics per source and strategy and over all (trades, wins, draws,",
        "losses, profit, profit factor, expectancy, drawdown, CAGR, Sharpe, Sortino, Calmar, SQN, durations,",
        "streaks, best and worst pair), the same per leverage and per trading mode, side and leverage, the profit",
        "per day, week or month, and the stop-loss efficiency per exit reason (share of the losses, slippage,",
        "R multiple, what the stops kept). Each within one stake currency. Read in one read-only snapshot;",
        "replays every ledger it reads, so it may take a while on a large database.",
        "",
    },
    footer =
    {
        "",
        "Times are ISO-8601 (2026-05-01T12:00:00Z; 2026-05-01 is midnight UTC) or epoch milliseconds.",
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList =
    {
        ReportTool.EXIT_DONE + ":done",
        ReportTool.EXIT_INVALID_ARGUMENTS + ":invalid arguments",
        ReportTool.EXIT_DATABASE_FAILED + ":the database cannot be read",
    })
public final class ReportOptions implements ToolCommand
{
    /**
     * The periods {@code --period} takes: those of the schema's {@code profit_by_period}.
     */
    public static final Set<String> PERIODS = Set.of("day", "week", "month");

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    @Parameters(arity = "0..*", hidden = true)
    private List<String> positional = new ArrayList<>();

    @Mixin
    private DatabaseOptions database = new DatabaseOptions();

    @Option(names = "--starting-balance", paramLabel = "N", description = "the balance the drawdown and the " +
        "ratios start from, in the stake currency (a decimal above 0; required)")
    private String startingBalanceText;

    @Option(names = "--source", paramLabel = "ID", description = "only this source")
    private String sourceText;

    @Option(names = "--strategy", paramLabel = "NAME", description = "only this strategy")
    private String strategyText;

    @Option(names = "--from-time", paramLabel = "T", description = "only trades closed at or after T")
    private String fromTimeText;

    @Option(names = "--to-time", paramLabel = "T",
        description = "only trades closed before T: the range is [from, to)")
    private String toTimeText;

    @Option(names = "--period", paramLabel = "P",
        description = "day, week (from Monday) or month for the profit table (default day; UTC)")
    private String periodText;

    @Option(names = "--json", description = "JSON lines instead of text tables: one object per row, with member " +
        "table (summary, leverage, period or stop_loss); exact decimals and the ratios as strings")
    private boolean json;

    private String jdbcUrl;
    private String user;
    private String password;
    private BigDecimal startingBalance;
    private String sourceId;
    private String strategy;
    private Instant fromTime;
    private Instant toTime;
    private String period = "day";

    ReportOptions()
    {
    }

    /**
     * Parse and validate the arguments after {@code report}.
     *
     * @param args        the options.
     * @param environment where {@value VerifyOptions#PASSWORD_ENV} is looked up.
     * @return the validated options; not validated when {@code --help} or {@code --version} is among them.
     * @throws IllegalArgumentException naming the first invalid option or missing argument.
     */
    public static ReportOptions parse(final String[] args, final Map<String, String> environment)
    {
        final ReportOptions options = new ReportOptions();
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
    public ReportOptions conclude(final Map<String, String> environment)
    {
        if (!positional.isEmpty())
        {
            throw new IllegalArgumentException("unexpected argument '" + positional.get(0) +
                "': report takes options only; see --help");
        }
        jdbcUrl = database.jdbcUrl();
        user = database.user();
        password = database.password(environment);
        startingBalance = startingBalance(OptionValues.text("--starting-balance", startingBalanceText));
        sourceId = OptionValues.text("--source", sourceText);
        strategy = OptionValues.text("--strategy", strategyText);
        fromTime = time("--from-time", fromTimeText);
        toTime = time("--to-time", toTimeText);
        if (null != fromTime && null != toTime && !fromTime.isBefore(toTime))
        {
            throw new IllegalArgumentException("--from-time must be before --to-time, was: '" + fromTimeText +
                "' and '" + toTimeText + "'");
        }
        final String periodName = OptionValues.text("--period", periodText);
        if (null != periodName)
        {
            if (!PERIODS.contains(periodName))
            {
                throw new IllegalArgumentException("--period must be day, week or month, was: '" + periodName + "'");
            }
            period = periodName;
        }
        return this;
    }

    /**
     * Validate and report.
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
            err.println("tradestate report: " + ex.getMessage());
            return ReportTool.EXIT_INVALID_ARGUMENTS;
        }
        return ReportTool.run(this, out, err);
    }

    /**
     * The help text: every option and its meaning.
     *
     * @return what {@code --help} prints.
     */
    public static String usage()
    {
        return CommandLines.usage(new ReportOptions());
    }

    private static BigDecimal startingBalance(final String value)
    {
        if (null == value)
        {
            throw new IllegalArgumentException("--starting-balance is missing: the balance the drawdown and the " +
                "ratios start from, such as 1000");
        }
        final BigDecimal balance;
        try
        {
            balance = new BigDecimal(value.trim());
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("--starting-balance must be a decimal number, was: '" + value + "'");
        }
        if (balance.signum() <= 0)
        {
            throw new IllegalArgumentException("--starting-balance must be above 0, was: '" + value + "'");
        }
        return balance;
    }

    private static Instant time(final String name, final String text)
    {
        final String value = OptionValues.text(name, text);
        if (null == value)
        {
            return null;
        }
        final long epochNs = DumpOptions.time(name, value);
        return Instant.ofEpochSecond(
            Math.floorDiv(epochNs, NANOS_PER_SECOND), Math.floorMod(epochNs, NANOS_PER_SECOND));
    }

    /**
     * The database's JDBC URL.
     *
     * @return the URL.
     */
    public String jdbcUrl()
    {
        return jdbcUrl;
    }

    /**
     * The database user.
     *
     * @return the user, null to use the URL's or the driver's.
     */
    public String user()
    {
        return user;
    }

    /**
     * The database password; never printed.
     *
     * @return the password, null if none was given.
     */
    public String password()
    {
        return password;
    }

    /**
     * The balance the drawdown and the ratios start from.
     *
     * @return a decimal above 0.
     */
    public BigDecimal startingBalance()
    {
        return startingBalance;
    }

    /**
     * The one source to report on.
     *
     * @return the source id, null for every source.
     */
    public String sourceId()
    {
        return sourceId;
    }

    /**
     * The one strategy to report on.
     *
     * @return the strategy's name, null for every strategy.
     */
    public String strategy()
    {
        return strategy;
    }

    /**
     * The start of the close-time range, inclusive.
     *
     * @return the instant, null for no bound.
     */
    public Instant fromTime()
    {
        return fromTime;
    }

    /**
     * The end of the close-time range, exclusive.
     *
     * @return the instant, null for no bound.
     */
    public Instant toTime()
    {
        return toTime;
    }

    /**
     * The period of the profit table.
     *
     * @return day, week or month.
     */
    public String period()
    {
        return period;
    }

    /**
     * Whether to print JSON lines.
     *
     * @return true with {@code --json}.
     */
    public boolean json()
    {
        return json;
    }
}
