package io.tradestate.demo;

import io.tradestate.reader.cli.CommandLines;
import io.tradestate.reader.cli.VersionProvider;
import io.tradestate.tools.ToolCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The options of {@code tradestate demo}, a picocli command: picocli fills the fields in, {@link #conclude()}
 * validates them once; an invalid value fails with an {@link IllegalArgumentException} naming the option.
 * {@code --help} lists them with their defaults.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    synopsisHeading = "usage: ",
    customSynopsis = "tradestate demo [options]",
    description =
    {
        "",
        "Starts the reader agent (embedded PostgreSQL unless --db-url) and N strategy JVMs that append simulated",
        "order life cycles, fills, trades, pair locks and balances through TradeJournal; prints progress every",
        "second, then drains to zero lag and prints a summary. Exits 1 if any appended event is missing.",
        "",
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList =
    {
        DemoOptions.EXIT_PASSED + ":every appended event is in the database exactly once",
        DemoOptions.EXIT_FAILED + ":the check failed: an event is missing, a dead letter, a strategy failed",
        DemoOptions.EXIT_INVALID + ":invalid arguments",
        DemoOptions.EXIT_CANNOT_RUN + ":the demo could not run",
    })
public final class DemoOptions implements ToolCommand
{
    /**
     * Exit code: the check passed.
     */
    public static final int EXIT_PASSED = 0;

    /**
     * Exit code: the check failed.
     */
    public static final int EXIT_FAILED = 1;

    /**
     * Exit code: an option is invalid; the message names it.
     */
    public static final int EXIT_INVALID = 2;

    /**
     * Exit code: the demo could not run.
     */
    public static final int EXIT_CANNOT_RUN = 3;

    static final long MIN_CHAOS_DURATION_MS = 6_000;

    @Option(names = "--duration", paramLabel = "D",
        description = "how long the strategies append: 60s, 2m, 500ms, 1h (default 60s)")
    private String durationText;

    @Option(names = "--instruments", paramLabel = "N", description = "simulated instruments (default 100)")
    private String instrumentsText;

    @Option(names = "--exchanges", paramLabel = "N",
        description = "simulated exchanges the instruments are spread over (default 5)")
    private String exchangesText;

    @Option(names = "--processes", paramLabel = "N",
        description = "strategy JVMs, each owning a share of the instruments (default 10)")
    private String processesText;

    @Option(names = "--rate", paramLabel = "R",
        description = "average market events per second per instrument (default 1.5)")
    private String rateText;

    @Option(names = "--speed", paramLabel = "X",
        description = "simulated time runs X times faster: X times the event rate (default 1)")
    private String speedText;

    @Option(names = "--max", description = "append as fast as possible, ignoring --rate and --speed")
    private boolean max;

    @Option(names = "--keep-warm",
        description = "the strategies call TradeJournal.keepWarm() about every millisecond while idle")
    private boolean keepWarm;

    @Option(names = "--seed", paramLabel = "N",
        description = "seed of the workload; the same seed replays the same events (default: random, printed)")
    private String seedText;

    @Option(names = "--db-url", paramLabel = "URL", description = "PostgreSQL JDBC URL to drain into (password " +
        "from TRADESTATE_DB_PASSWORD); default: the embedded PostgreSQL under --state-dir")
    private String dbUrlText;

    @Option(names = "--db-user", paramLabel = "U", description = "database user with --db-url (default postgres)")
    private String dbUserText;

    @Option(names = "--db-port", paramLabel = "P",
        description = "port of the embedded PostgreSQL on 127.0.0.1, 0 for any free one (default 5433)")
    private String dbPortText;

    @Option(names = "--metrics-port", paramLabel = "P", description = "serve the reader agent's /metrics and " +
        "/health on 127.0.0.1:P while the demo runs, 0 for any free one, printed (default -1: off)")
    private String metricsPortText;

    @Option(names = "--state-dir", paramLabel = "DIR",
        description = "state of the reader agent and embedded PostgreSQL (default ./tradestate-demo/state)")
    private String stateDirText;

    @Option(names = "--journal-dir", paramLabel = "DIR",
        description = "journal root of the strategies (default ./tradestate-demo/journal)")
    private String journalDirText;

    @Option(names = "--reset",
        description = "delete the demo's journals and database state first (default: keep, and add)")
    private boolean reset;

    @Option(names = "--hold", description = "keep the database running after the summary, until Ctrl-C")
    private boolean hold;

    @Option(names = "--chaos", description = "while the strategies append, kill one of them with SIGKILL and start " +
        "it again (it gets its open orders, trades and locks back from the state maps), then kill the embedded " +
        "PostgreSQL with SIGKILL and start it again; ends with tradestate verify")
    private boolean chaos;

    @Option(names = "--verbose", description = "log the reader agent's INFO lines")
    private boolean verbose;

    @Option(names = "--json", description = "the summary as one JSON object on stdout; the progress lines go to " +
        "stderr")
    private boolean json;

    private long durationMs = 60_000;
    private int instruments = 100;
    private int exchanges = 5;
    private int processes = 10;
    private double rate = 1.5;
    private double speed = 1.0;
    private long seed = ThreadLocalRandom.current().nextLong(1, 1_000_000);
    private String dbUrl = "";
    private String dbUser = "postgres";
    private int dbPort = 5433;
    private int metricsPort = -1;
    private Path stateDir = Paths.get("tradestate-demo", "state");
    private Path journalRoot = Paths.get("tradestate-demo", "journal");

    DemoOptions()
    {
    }

    /**
     * Parse and validate the arguments after {@code demo}.
     *
     * @param args options, each {@code --name value} or {@code --name=value}.
     * @return the validated options; not validated when {@code --help} or {@code --version} is among them.
     * @throws IllegalArgumentException naming the first unknown option or invalid value.
     */
    public static DemoOptions parse(final String... args)
    {
        final DemoOptions options = new DemoOptions();
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
     * @throws IllegalArgumentException naming the first invalid option.
     */
    public DemoOptions conclude()
    {
        if (null != durationText)
        {
            durationMs = duration("--duration", durationText);
        }
        if (null != instrumentsText)
        {
            instruments = (int)number("--instruments", instrumentsText, 1, InstrumentUniverse.MAX_INSTRUMENTS);
        }
        if (null != exchangesText)
        {
            exchanges = (int)number("--exchanges", exchangesText, 1, 99);
        }
        if (null != processesText)
        {
            processes = (int)number("--processes", processesText, 1, 99);
        }
        if (null != rateText)
        {
            rate = positive("--rate", rateText);
        }
        if (null != speedText)
        {
            speed = positive("--speed", speedText);
        }
        if (null != seedText)
        {
            seed = number("--seed", seedText, Long.MIN_VALUE, Long.MAX_VALUE);
        }
        if (null != dbUrlText)
        {
            if (!dbUrlText.startsWith("jdbc:postgresql:"))
            {
                throw invalid("--db-url", dbUrlText, "must be a jdbc:postgresql: URL");
            }
            dbUrl = dbUrlText;
        }
        if (null != dbUserText)
        {
            dbUser = dbUserText;
        }
        if (null != dbPortText)
        {
            dbPort = (int)number("--db-port", dbPortText, 0, 65535);
        }
        if (null != metricsPortText)
        {
            metricsPort = (int)number("--metrics-port", metricsPortText, -1, 65535);
        }
        if (null != stateDirText)
        {
            stateDir = Paths.get(stateDirText);
        }
        if (null != journalDirText)
        {
            journalRoot = Paths.get(journalDirText);
        }
        if (chaos && durationMs < MIN_CHAOS_DURATION_MS)
        {
            throw new IllegalArgumentException("--chaos needs a --duration of at least " +
                formatDuration(MIN_CHAOS_DURATION_MS) + ", was: " + formatDuration(durationMs));
        }
        return this;
    }

    /**
     * Validate and run the demo: progress and the summary on {@code out} (with {@code --json}, the progress on
     * {@code err} and the summary as JSON on {@code out}), until the summary or SIGINT/SIGTERM.
     *
     * @param out         where the summary goes.
     * @param err         where errors go.
     * @param environment not used: {@code --db-url}'s password is the agent's variable, read by the agent.
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
            err.println("tradestate demo: " + ex.getMessage());
            return EXIT_INVALID;
        }
        return TradeStateMain.runDemo(this, out, err);
    }

    /**
     * The help text: every option, its default and meaning.
     *
     * @return what {@code --help} prints.
     */
    public static String usage()
    {
        return CommandLines.usage(new DemoOptions());
    }

    /**
     * How long the strategies append.
     *
     * @return milliseconds.
     */
    public long durationMs()
    {
        return durationMs;
    }

    /**
     * Number of simulated instruments.
     *
     * @return the count.
     */
    public int instruments()
    {
        return instruments;
    }

    /**
     * Number of simulated exchanges.
     *
     * @return the count.
     */
    public int exchanges()
    {
        return exchanges;
    }

    /**
     * Number of strategy processes; never more than the instruments.
     *
     * @return the count.
     */
    public int processes()
    {
        return Math.min(processes, instruments);
    }

    /**
     * Average market events per simulated second per instrument.
     *
     * @return the rate.
     */
    public double rate()
    {
        return rate;
    }

    /**
     * How much faster than real time the simulation runs.
     *
     * @return the multiplier.
     */
    public double speed()
    {
        return speed;
    }

    /**
     * Whether the strategies append as fast as they can.
     *
     * @return true with {@code --max}.
     */
    public boolean max()
    {
        return max;
    }

    /**
     * Whether the strategies keep their append path warm between events ({@code TradeJournal.keepWarm()}).
     *
     * @return true with {@code --keep-warm}.
     */
    public boolean keepWarm()
    {
        return keepWarm;
    }

    /**
     * Seed of the workload.
     *
     * @return the seed.
     */
    public long seed()
    {
        return seed;
    }

    /**
     * JDBC URL to drain into, or empty for the embedded server.
     *
     * @return the URL.
     */
    public String dbUrl()
    {
        return dbUrl;
    }

    /**
     * Database user with {@link #dbUrl()}.
     *
     * @return the user.
     */
    public String dbUser()
    {
        return dbUser;
    }

    /**
     * Port of the embedded server.
     *
     * @return the port, 0 for any free one.
     */
    public int dbPort()
    {
        return dbPort;
    }

    /**
     * Port of the reader agent's metrics endpoint while the demo runs.
     *
     * @return the port, 0 for any free one, -1 for none.
     */
    public int metricsPort()
    {
        return metricsPort;
    }

    /**
     * State folder of the reader agent.
     *
     * @return an absolute path.
     */
    public Path stateDir()
    {
        return stateDir.toAbsolutePath().normalize();
    }

    /**
     * Journal root of the strategies.
     *
     * @return an absolute path.
     */
    public Path journalRoot()
    {
        return journalRoot.toAbsolutePath().normalize();
    }

    /**
     * Whether to delete the demo's journals and database state first.
     *
     * @return true with {@code --reset}.
     */
    public boolean reset()
    {
        return reset;
    }

    /**
     * Whether to keep the database up after the summary.
     *
     * @return true with {@code --hold}.
     */
    public boolean hold()
    {
        return hold;
    }

    /**
     * Whether to inject faults while the strategies append.
     *
     * @return true with {@code --chaos}.
     */
    public boolean chaos()
    {
        return chaos;
    }

    /**
     * Whether to show the reader agent's INFO log.
     *
     * @return true with {@code --verbose}.
     */
    public boolean verbose()
    {
        return verbose;
    }

    /**
     * Whether the summary is printed as JSON.
     *
     * @return true with {@code --json}.
     */
    public boolean json()
    {
        return json;
    }

    /**
     * One line describing the workload, for the banner and the summary.
     *
     * @return the description.
     */
    public String describe()
    {
        return String.format(Locale.ROOT,
            "seed %d, %d instruments on %d exchanges, %d strategy processes, %s, %s%s%s",
            seed, instruments, exchanges, processes(),
            max ? "as fast as possible (--max)" : String.format(Locale.ROOT, "%.2f market events/s per instrument" +
                " x speed %s", rate, trim(speed)),
            formatDuration(durationMs), keepWarm ? ", with --keep-warm" : "", chaos ? ", with --chaos" : "");
    }

    static String formatDuration(final long ms)
    {
        return ms % 1000 == 0 ? (ms / 1000) + " s" : ms + " ms";
    }

    private static String trim(final double value)
    {
        return value == Math.rint(value) ? Long.toString((long)value) : Double.toString(value);
    }

    private static long duration(final String name, final String value)
    {
        final String text = value.trim().toLowerCase(Locale.ROOT);
        final long multiplier;
        final String digits;
        if (text.endsWith("ms"))
        {
            multiplier = 1;
            digits = text.substring(0, text.length() - 2);
        }
        else if (text.endsWith("s"))
        {
            multiplier = 1_000;
            digits = text.substring(0, text.length() - 1);
        }
        else if (text.endsWith("m"))
        {
            multiplier = 60_000;
            digits = text.substring(0, text.length() - 1);
        }
        else if (text.endsWith("h"))
        {
            multiplier = 3_600_000;
            digits = text.substring(0, text.length() - 1);
        }
        else
        {
            multiplier = 1_000;
            digits = text;
        }
        final long ms = number(name, digits, 1, 7L * 24 * 3_600_000) * multiplier;
        if (ms < 100 || ms > 7L * 24 * 3_600_000)
        {
            throw invalid(name, value, "must be between 100ms and 7 days");
        }
        return ms;
    }

    private static long number(final String name, final String value, final long min, final long max)
    {
        final long number;
        try
        {
            number = Long.parseLong(value.trim());
        }
        catch (final NumberFormatException ex)
        {
            throw invalid(name, value, "must be a whole number");
        }
        if (number < min || number > max)
        {
            throw invalid(name, value, "must be between " + min + " and " + max);
        }
        return number;
    }

    private static double positive(final String name, final String value)
    {
        final double number;
        try
        {
            number = Double.parseDouble(value.trim());
        }
        catch (final NumberFormatException ex)
        {
            throw invalid(name, value, "must be a number");
        }
        if (!(number > 0) || Double.isInfinite(number) || number > 1e9)
        {
            throw invalid(name, value, "must be above 0 and at most 1e9");
        }
        return number;
    }

    private static IllegalArgumentException invalid(final String name, final String value, final String rule)
    {
        return new IllegalArgumentException(name + " " + rule + ", was: '" + value + "'");
    }
}
