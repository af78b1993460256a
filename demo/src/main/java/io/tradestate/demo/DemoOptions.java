package io.tradestate.demo;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The options of {@code tradestate demo}, parsed from the command line and validated once; an invalid value fails
 * with an {@link IllegalArgumentException} naming the option. {@link #usage()} lists them with their defaults.
 */
public final class DemoOptions
{
    static final long MIN_CHAOS_DURATION_MS = 6_000;

    private long durationMs = 60_000;
    private int instruments = 100;
    private int exchanges = 5;
    private int processes = 10;
    private double rate = 1.5;
    private double speed = 1.0;
    private boolean max;
    private boolean keepWarm;
    private long seed = ThreadLocalRandom.current().nextLong(1, 1_000_000);
    private String dbUrl = "";
    private String dbUser = "postgres";
    private int dbPort = 5433;
    private int metricsPort = -1;
    private Path stateDir = Paths.get("tradestate-demo", "state");
    private Path journalRoot = Paths.get("tradestate-demo", "journal");
    private boolean reset;
    private boolean hold;
    private boolean chaos;
    private boolean verbose;
    private boolean help;

    /**
     * Parse the arguments after {@code demo}.
     *
     * @param args options, each {@code --name value} or {@code --name=value}.
     * @return the validated options.
     * @throws IllegalArgumentException naming the first unknown option or invalid value.
     */
    public static DemoOptions parse(final String... args)
    {
        final DemoOptions options = new DemoOptions();
        for (int i = 0; i < args.length; i++)
        {
            String name = args[i];
            String value = null;
            final int equals = name.indexOf('=');
            if (name.startsWith("--") && equals > 0)
            {
                value = name.substring(equals + 1);
                name = name.substring(0, equals);
            }
            switch (name)
            {
                case "--max":
                    options.max = true;
                    break;
                case "--keep-warm":
                    options.keepWarm = true;
                    break;
                case "--reset":
                    options.reset = true;
                    break;
                case "--hold":
                    options.hold = true;
                    break;
                case "--chaos":
                    options.chaos = true;
                    break;
                case "--verbose":
                    options.verbose = true;
                    break;
                case "--help":
                case "-h":
                    options.help = true;
                    break;
                default:
                    if (null == value)
                    {
                        if (i + 1 >= args.length)
                        {
                            throw new IllegalArgumentException(name + " needs a value (or unknown option)");
                        }
                        value = args[++i];
                    }
                    options.set(name, value);
                    break;
            }
        }
        if (options.chaos && options.durationMs < MIN_CHAOS_DURATION_MS)
        {
            throw new IllegalArgumentException("--chaos needs a --duration of at least " +
                formatDuration(MIN_CHAOS_DURATION_MS) + ", was: " + formatDuration(options.durationMs));
        }
        return options;
    }

    /**
     * The help text: every option, its default and meaning.
     *
     * @return lines for {@code --help}.
     */
    public static String usage()
    {
        return String.join(System.lineSeparator(),
            "usage: tradestate demo [options]",
            "",
            "Starts the reader agent (embedded PostgreSQL unless --db-url) and N strategy JVMs that append simulated",
            "order life cycles, fills, trades, pair locks and balances through TradeJournal; prints progress every",
            "second, then drains to zero lag and prints a summary. Exits 1 if any appended event is missing.",
            "",
            "  --duration D      how long the strategies append: 60s, 2m, 500ms, 1h (default 60s)",
            "  --instruments N   simulated instruments (default 100)",
            "  --exchanges N     simulated exchanges the instruments are spread over (default 5)",
            "  --processes N     strategy JVMs, each owning a share of the instruments (default 10)",
            "  --rate R          average market events per second per instrument (default 1.5)",
            "  --speed X         simulated time runs X times faster: X times the event rate (default 1)",
            "  --max             append as fast as possible, ignoring --rate and --speed",
            "  --keep-warm       the strategies call TradeJournal.keepWarm() about every millisecond while idle",
            "  --seed N          seed of the workload; the same seed replays the same events (default: random,",
            "                    printed)",
            "  --db-url URL      PostgreSQL JDBC URL to drain into (password from TRADESTATE_DB_PASSWORD); default:",
            "                    the embedded PostgreSQL under --state-dir",
            "  --db-user U       database user with --db-url (default postgres)",
            "  --db-port P       port of the embedded PostgreSQL on 127.0.0.1, 0 for any free one (default 5433)",
            "  --metrics-port P  serve the reader agent's /metrics and /health on 127.0.0.1:P while the demo runs, 0",
            "                    for any free one, printed (default -1: off)",
            "  --state-dir DIR   state of the reader agent and embedded PostgreSQL (default ./tradestate-demo/state)",
            "  --journal-dir DIR journal root of the strategies (default ./tradestate-demo/journal)",
            "  --reset           delete the demo's journals and database state first (default: keep, and add)",
            "  --hold            keep the database running after the summary, until Ctrl-C",
            "  --chaos           while the strategies append, kill one of them with SIGKILL and start it again (it",
            "                    gets its open orders, trades and locks back from the state maps), then kill the",
            "                    embedded PostgreSQL with SIGKILL and start it again; ends with tradestate verify",
            "  --verbose         log the reader agent's INFO lines",
            "  --help            this text");
    }

    private void set(final String name, final String value)
    {
        switch (name)
        {
            case "--duration":
                durationMs = duration(name, value);
                break;
            case "--instruments":
                instruments = (int)number(name, value, 1, InstrumentUniverse.MAX_INSTRUMENTS);
                break;
            case "--exchanges":
                exchanges = (int)number(name, value, 1, 99);
                break;
            case "--processes":
                processes = (int)number(name, value, 1, 99);
                break;
            case "--rate":
                rate = positive(name, value);
                break;
            case "--speed":
                speed = positive(name, value);
                break;
            case "--seed":
                seed = number(name, value, Long.MIN_VALUE, Long.MAX_VALUE);
                break;
            case "--db-url":
                if (!value.startsWith("jdbc:postgresql:"))
                {
                    throw invalid(name, value, "must be a jdbc:postgresql: URL");
                }
                dbUrl = value;
                break;
            case "--db-user":
                dbUser = value;
                break;
            case "--db-port":
                dbPort = (int)number(name, value, 0, 65535);
                break;
            case "--metrics-port":
                metricsPort = (int)number(name, value, -1, 65535);
                break;
            case "--state-dir":
                stateDir = Paths.get(value);
                break;
            case "--journal-dir":
                journalRoot = Paths.get(value);
                break;
            default:
                throw new IllegalArgumentException("unknown option " + name + "; see --help");
        }
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
     * Whether {@code --help} was asked for.
     *
     * @return true with {@code --help}.
     */
    public boolean help()
    {
        return help;
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
