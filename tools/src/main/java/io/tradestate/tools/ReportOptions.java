package io.tradestate.tools;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * The options of {@code tradestate report}, parsed and validated once; an invalid value fails with an
 * {@link IllegalArgumentException} naming the option. {@link #usage()} lists them.
 */
public final class ReportOptions
{
    /**
     * The periods {@code --period} takes: those of the schema's {@code profit_by_period}.
     */
    public static final Set<String> PERIODS = Set.of("day", "week", "month");

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private String jdbcUrl;
    private String user;
    private String password;
    private BigDecimal startingBalance;
    private String sourceId;
    private String strategy;
    private Instant fromTime;
    private Instant toTime;
    private String period = "day";
    private boolean json;
    private boolean help;

    private ReportOptions()
    {
    }

    /**
     * Parse the arguments after {@code report}.
     *
     * @param args        the options.
     * @param environment where {@value VerifyOptions#PASSWORD_ENV} is looked up.
     * @return the validated options.
     * @throws IllegalArgumentException naming the first invalid option or missing argument.
     */
    public static ReportOptions parse(final String[] args, final Map<String, String> environment)
    {
        final ToolArguments arguments = ToolArguments.parse(args, Set.of("--help", "-h", "--json"),
            Set.of("--db", "--user", "--password-file", "--starting-balance", "--source", "--strategy", "--from-time",
                "--to-time", "--period"));
        final ReportOptions options = new ReportOptions();
        options.help = arguments.has("--help") || arguments.has("-h");
        if (options.help)
        {
            return options;
        }
        if (!arguments.positional().isEmpty())
        {
            throw new IllegalArgumentException("unexpected argument '" + arguments.positional().get(0) +
                "': report takes options only; see --help");
        }

        options.jdbcUrl = VerifyOptions.jdbcUrl(arguments);
        options.user = arguments.text("--user");
        options.password = VerifyOptions.password(arguments, environment);
        options.startingBalance = startingBalance(arguments.text("--starting-balance"));
        options.sourceId = arguments.text("--source");
        options.strategy = arguments.text("--strategy");
        options.fromTime = time(arguments, "--from-time");
        options.toTime = time(arguments, "--to-time");
        if (null != options.fromTime && null != options.toTime && !options.fromTime.isBefore(options.toTime))
        {
            throw new IllegalArgumentException("--from-time must be before --to-time, was: '" +
                arguments.value("--from-time") + "' and '" + arguments.value("--to-time") + "'");
        }
        final String period = arguments.text("--period");
        if (null != period)
        {
            if (!PERIODS.contains(period))
            {
                throw new IllegalArgumentException("--period must be day, week or month, was: '" + period + "'");
            }
            options.period = period;
        }
        options.json = arguments.has("--json");
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
            "usage: tradestate report --db <jdbc-url> --starting-balance N [options]",
            "",
            "The performance of the closed trades in the agent's database, with freqtrade's definitions (schemas V11",
            "and V12, docs/ledger.md): summary metrics per source and strategy and over all (trades, wins, draws,",
            "losses, profit, profit factor, expectancy, drawdown, CAGR, Sharpe, Sortino, Calmar, SQN, durations,",
            "streaks, best and worst pair), the same per leverage and per trading mode, side and leverage, the profit",
            "per day, week or month, and the stop-loss efficiency per exit reason (share of the losses, slippage,",
            "R multiple, what the stops kept). Each within one stake currency. Read in one read-only snapshot;",
            "replays every ledger it reads, so it may take a while on a large database.",
            "",
            "  --db URL                  JDBC URL of the agent's database (jdbc:postgresql://host:port/database)",
            "  --user U                  database user (default: the URL's, or the driver's)",
            "  --password-file F         file whose first line is the password (default: $" +
                VerifyOptions.PASSWORD_ENV + ")",
            "  --starting-balance N      the balance the drawdown and the ratios start from, in the stake",
            "                            currency (a decimal above 0; required)",
            "  --source ID               only this source",
            "  --strategy NAME           only this strategy",
            "  --from-time T             only trades closed at or after T",
            "  --to-time T               only trades closed before T: the range is [from, to)",
            "  --period P                day, week (from Monday) or month for the profit table (default day; UTC)",
            "  --json                    JSON lines instead of text tables: one object per row, with member table",
            "                            (summary, leverage, period or stop_loss); exact decimals and the ratios",
            "                            as strings",
            "  --help, -h                this text",
            "",
            "Times are ISO-8601 (2026-05-01T12:00:00Z; 2026-05-01 is midnight UTC) or epoch milliseconds.",
            "Exit codes: 0 done, 2 invalid arguments, 3 the database cannot be read.");
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

    private static Instant time(final ToolArguments arguments, final String name)
    {
        final String value = arguments.text(name);
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
     * @return the URL, null only with {@code --help}.
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
     * @return a decimal above 0, null only with {@code --help}.
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

    /**
     * Whether only the help text was asked for.
     *
     * @return true with {@code --help}.
     */
    public boolean help()
    {
        return help;
    }
}
