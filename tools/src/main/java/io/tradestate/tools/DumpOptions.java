package io.tradestate.tools;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The options of {@code tradestate dump}, parsed from the command line and validated once; an invalid value fails
 * with an {@link IllegalArgumentException} naming the option. {@link #usage()} lists them.
 * <p>
 * Every filter given must match for an entry to be printed. Index bounds are inclusive; the time range is
 * half-open, {@code [from, to)}, on the event's {@code appendTimeNs}.
 */
public final class DumpOptions
{
    /**
     * The names {@code --type} accepts, as the {@code type} member of the JSON lines spells them.
     */
    public static final String[] TYPE_NAMES =
    {
        "SourceStarted", "Heartbeat", "OrderUpdate", "Fill", "TradeUpdate", "PairLock", "PairUnlock",
        "BalanceUpdate", JournalEventDecoder.UNDECODABLE,
    };

    private static final long NANOS_PER_MILLI = 1_000_000L;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private Path queueDirectory;
    private Set<String> types = Collections.emptySet();
    private String symbol;
    private String orderId;
    private long fromIndex = 0;
    private long toIndex = Long.MAX_VALUE;
    private long fromTimeNs = Long.MIN_VALUE;
    private long toTimeNs = Long.MAX_VALUE;
    private long limit = Long.MAX_VALUE;
    private boolean follow;
    private boolean help;

    private DumpOptions()
    {
    }

    /**
     * Parse the arguments after {@code dump}.
     *
     * @param args the queue folder and options, each {@code --name value} or {@code --name=value}.
     * @return the validated options.
     * @throws IllegalArgumentException naming the first unknown option, invalid value or missing argument.
     */
    public static DumpOptions parse(final String... args)
    {
        final DumpOptions options = new DumpOptions();
        final Set<String> types = new LinkedHashSet<>();
        boolean fromTimeSet = false;
        boolean toTimeSet = false;
        for (int i = 0; i < args.length; i++)
        {
            String name = args[i];
            if (!name.startsWith("-") || "-".equals(name))
            {
                if (null != options.queueDirectory)
                {
                    throw new IllegalArgumentException("unexpected argument '" + name +
                        "': one <queue-dir> only; see --help");
                }
                options.queueDirectory = Paths.get(name);
                continue;
            }

            String value = null;
            final int equals = name.indexOf('=');
            if (name.startsWith("--") && equals > 0)
            {
                value = name.substring(equals + 1);
                name = name.substring(0, equals);
            }
            switch (name)
            {
                case "--follow":
                case "-f":
                    flag(name, value);
                    options.follow = true;
                    continue;
                case "--help":
                case "-h":
                    flag(name, value);
                    options.help = true;
                    continue;
                default:
                    break;
            }

            if (null == value)
            {
                if (i + 1 >= args.length)
                {
                    throw new IllegalArgumentException(name + " needs a value (or is an unknown option); see --help");
                }
                value = args[++i];
            }
            switch (name)
            {
                case "--type":
                    addTypes(name, value, types);
                    break;
                case "--symbol":
                    options.symbol = text(name, value);
                    break;
                case "--order-id":
                    options.orderId = text(name, value);
                    break;
                case "--from-index":
                    options.fromIndex = index(name, value);
                    break;
                case "--to-index":
                    options.toIndex = index(name, value);
                    break;
                case "--from-time":
                    options.fromTimeNs = time(name, value);
                    fromTimeSet = true;
                    break;
                case "--to-time":
                    options.toTimeNs = time(name, value);
                    toTimeSet = true;
                    break;
                case "--limit":
                    options.limit = limit(name, value);
                    break;
                default:
                    throw new IllegalArgumentException("unknown option " + name + "; see --help");
            }
        }

        if (options.help)
        {
            return options;
        }
        if (null == options.queueDirectory)
        {
            throw new IllegalArgumentException("<queue-dir> is missing: the folder of one strategy's journal");
        }
        if (options.fromIndex > options.toIndex)
        {
            throw new IllegalArgumentException("--from-index 0x" + Long.toHexString(options.fromIndex) +
                " is after --to-index 0x" + Long.toHexString(options.toIndex));
        }
        if (fromTimeSet && toTimeSet && options.fromTimeNs >= options.toTimeNs)
        {
            throw new IllegalArgumentException("--from-time must be before --to-time (the range is [from, to))");
        }
        options.types = Collections.unmodifiableSet(types);
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
            "usage: tradestate dump <queue-dir> [options]",
            "",
            "Decodes one strategy's journal (the Chronicle Queue folder <journal-root>/<source-id>) to JSON lines on",
            "stdout, one event a line, every field of it. The queue is opened read-only: the strategy is never",
            "blocked. An entry that cannot be decoded is printed with \"type\":\"undecodable\", the reason and its",
            "bytes in hex. Filters combine: an entry is printed when it matches all of them.",
            "",
            "  --type T[,T...]     only these types: " + String.join(", ", TYPE_NAMES),
            "                      (case-insensitive; repeat the option or separate with commas)",
            "  --symbol S          only events whose symbol (OrderUpdate, Fill) or pair (TradeUpdate, PairLock,",
            "                      PairUnlock) is S, exactly",
            "  --order-id ID       only OrderUpdate events whose orderId or clientOrderId is ID, and Fill events",
            "                      whose orderId is ID",
            "  --from-index I      first queue index to print (inclusive); decimal or 0x hex",
            "  --to-index I        last queue index to print (inclusive); decimal or 0x hex",
            "  --from-time T       only events appended at or after T: ISO-8601 (2026-05-01T12:00:00Z,",
            "                      2026-05-01T14:00+02:00, 2026-05-01 as midnight UTC; no offset means UTC) or",
            "                      epoch milliseconds",
            "  --to-time T         only events appended before T (same forms)",
            "  --limit N           stop after printing N lines",
            "  --follow, -f        keep printing events as they are appended, until Ctrl-C or SIGTERM",
            "  --help, -h          this text",
            "",
            "Exit codes: 0 done, 2 invalid arguments, 3 the queue cannot be opened or read.");
    }

    /**
     * The queue folder to read.
     *
     * @return the path as given, null only with {@code --help}.
     */
    public Path queueDirectory()
    {
        return queueDirectory;
    }

    /**
     * The message names to print, as spelled in {@link #TYPE_NAMES}.
     *
     * @return the names, empty for every type.
     */
    public Set<String> types()
    {
        return types;
    }

    /**
     * The symbol or pair to match.
     *
     * @return the text, or null for any.
     */
    public String symbol()
    {
        return symbol;
    }

    /**
     * The order id (or client order id) to match.
     *
     * @return the text, or null for any.
     */
    public String orderId()
    {
        return orderId;
    }

    /**
     * First queue index to print, inclusive.
     *
     * @return the index, 0 when not given.
     */
    public long fromIndex()
    {
        return fromIndex;
    }

    /**
     * Last queue index to print, inclusive.
     *
     * @return the index, {@link Long#MAX_VALUE} when not given.
     */
    public long toIndex()
    {
        return toIndex;
    }

    /**
     * Earliest append time to print, inclusive.
     *
     * @return nanoseconds since the epoch, {@link Long#MIN_VALUE} when not given.
     */
    public long fromTimeNs()
    {
        return fromTimeNs;
    }

    /**
     * Append time from which nothing is printed, exclusive.
     *
     * @return nanoseconds since the epoch, {@link Long#MAX_VALUE} when not given.
     */
    public long toTimeNs()
    {
        return toTimeNs;
    }

    /**
     * Whether a time filter was given.
     *
     * @return true with {@code --from-time} or {@code --to-time}.
     */
    public boolean hasTimeRange()
    {
        return Long.MIN_VALUE != fromTimeNs || Long.MAX_VALUE != toTimeNs;
    }

    /**
     * Most lines to print.
     *
     * @return the count, {@link Long#MAX_VALUE} when not given.
     */
    public long limit()
    {
        return limit;
    }

    /**
     * Whether to keep tailing the queue once its end is reached.
     *
     * @return true with {@code --follow}.
     */
    public boolean follow()
    {
        return follow;
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

    private static void flag(final String name, final String value)
    {
        if (null != value)
        {
            throw new IllegalArgumentException(name + " takes no value, was: '" + value + "'");
        }
    }

    private static void addTypes(final String name, final String value, final Set<String> types)
    {
        for (final String item : value.split(",", -1))
        {
            final String wanted = item.trim();
            String found = null;
            for (final String type : TYPE_NAMES)
            {
                if (type.equalsIgnoreCase(wanted))
                {
                    found = type;
                }
            }
            if (null == found)
            {
                throw invalid(name, value, "must name types among " + String.join(", ", TYPE_NAMES));
            }
            types.add(found);
        }
    }

    private static String text(final String name, final String value)
    {
        if (value.isEmpty())
        {
            throw invalid(name, value, "must not be empty");
        }
        return value;
    }

    private static long index(final String name, final String value)
    {
        final String text = value.trim();
        final long index;
        try
        {
            index = text.startsWith("0x") || text.startsWith("0X") ?
                Long.parseLong(text.substring(2), 16) : Long.parseLong(text);
        }
        catch (final NumberFormatException ex)
        {
            throw invalid(name, value, "must be a queue index, decimal or 0x hex");
        }
        if (index < 0)
        {
            throw invalid(name, value, "must not be negative");
        }
        return index;
    }

    private static long limit(final String name, final String value)
    {
        final long limit;
        try
        {
            limit = Long.parseLong(value.trim());
        }
        catch (final NumberFormatException ex)
        {
            throw invalid(name, value, "must be a whole number");
        }
        if (limit < 1)
        {
            throw invalid(name, value, "must be at least 1");
        }
        return limit;
    }

    /**
     * A time as nanoseconds since the epoch: epoch milliseconds if all digits, else ISO-8601.
     */
    static long time(final String name, final String value)
    {
        final String text = value.trim();
        try
        {
            if (!text.isEmpty() && text.chars().allMatch(Character::isDigit))
            {
                return Math.multiplyExact(Long.parseLong(text), NANOS_PER_MILLI);
            }
            final Instant instant = instant(text);
            return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), NANOS_PER_SECOND), instant.getNano());
        }
        catch (final DateTimeParseException ex)
        {
            throw invalid(name, value, "must be ISO-8601 (2026-05-01T12:00:00Z) or epoch milliseconds");
        }
        catch (final ArithmeticException | NumberFormatException ex)
        {
            throw invalid(name, value, "is out of range (nanoseconds since 1970 must fit in 64 bits)");
        }
    }

    private static Instant instant(final String text)
    {
        final String upper = text.toUpperCase(Locale.ROOT);
        if (upper.length() <= 10)
        {
            return LocalDate.parse(upper).atStartOfDay(ZoneOffset.UTC).toInstant();
        }
        try
        {
            return OffsetDateTime.parse(upper).toInstant();
        }
        catch (final DateTimeParseException ex)
        {
            return LocalDateTime.parse(upper).toInstant(ZoneOffset.UTC);
        }
    }

    private static IllegalArgumentException invalid(final String name, final String value, final String rule)
    {
        return new IllegalArgumentException(name + " " + rule + ", was: '" + value + "'");
    }
}
