package io.tradestate.tools;

import io.tradestate.reader.cli.CommandLines;
import io.tradestate.reader.cli.VersionProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedWriter;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The options of {@code tradestate dump}, a picocli command: picocli fills the fields in, {@link #conclude()}
 * validates them once; an invalid value fails with an {@link IllegalArgumentException} naming the option.
 * {@code --help} lists them.
 * <p>
 * Every filter given must match for an entry to be printed. Index bounds are inclusive; the time range is
 * half-open, {@code [from, to)}, on the event's {@code appendTimeNs}.
 */
@Command(
    name = "dump",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    synopsisHeading = "usage: ",
    customSynopsis = "tradestate dump <queue-dir> [options]",
    description =
    {
        "",
        "Decodes one strategy's journal (the Chronicle Queue folder <journal-root>/<source-id>) to JSON lines on",
        "stdout, one event a line, every field of it. The queue is opened read-only: the strategy is never",
        "blocked. An entry that cannot be decoded is printed with \"type\":\"undecodable\", the reason and its",
        "bytes in hex. Filters combine: an entry is printed when it matches all of them.",
        "",
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList =
    {
        JournalDumpTool.EXIT_OK + ":done (also when stdout is closed early, as by | head)",
        JournalDumpTool.EXIT_INVALID_ARGUMENTS + ":invalid arguments",
        JournalDumpTool.EXIT_CANNOT_OPEN + ":the queue cannot be opened or read",
    })
public final class DumpOptions implements ToolCommand
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

    @Parameters(paramLabel = "<queue-dir>", arity = "0..*",
        description = "the folder of one strategy's journal, <journal-root>/<source-id>")
    private List<String> positional = new ArrayList<>();

    @Option(names = "--type", paramLabel = "T[,T...]", description = "only these types: SourceStarted, " +
        "Heartbeat, OrderUpdate, Fill, TradeUpdate, PairLock, PairUnlock, BalanceUpdate, undecodable " +
        "(case-insensitive; repeat the option or separate with commas)")
    private List<String> typeNames = new ArrayList<>();

    @Option(names = "--symbol", paramLabel = "S", description =
        "only events whose symbol (OrderUpdate, Fill) or pair (TradeUpdate, PairLock, PairUnlock) is S, exactly")
    private String symbolText;

    @Option(names = "--order-id", paramLabel = "ID", description =
        "only OrderUpdate events whose orderId or clientOrderId is ID, and Fill events whose orderId is ID")
    private String orderIdText;

    @Option(names = "--from-index", paramLabel = "I",
        description = "first queue index to print (inclusive); decimal or 0x hex")
    private String fromIndexText;

    @Option(names = "--to-index", paramLabel = "I",
        description = "last queue index to print (inclusive); decimal or 0x hex")
    private String toIndexText;

    @Option(names = "--from-time", paramLabel = "T", description =
        "only events appended at or after T: ISO-8601 (2026-05-01T12:00:00Z, 2026-05-01T14:00+02:00, 2026-05-01 " +
        "as midnight UTC; no offset means UTC) or epoch milliseconds")
    private String fromTimeText;

    @Option(names = "--to-time", paramLabel = "T", description = "only events appended before T (same forms)")
    private String toTimeText;

    @Option(names = "--limit", paramLabel = "N", description = "stop after printing N lines")
    private String limitText;

    @Option(names = { "--follow", "-f" },
        description = "keep printing events as they are appended, until Ctrl-C or SIGTERM")
    private boolean follow;

    private Path queueDirectory;
    private Set<String> types = Collections.emptySet();
    private String symbol;
    private String orderId;
    private long fromIndex = 0;
    private long toIndex = Long.MAX_VALUE;
    private long fromTimeNs = Long.MIN_VALUE;
    private long toTimeNs = Long.MAX_VALUE;
    private long limit = Long.MAX_VALUE;

    DumpOptions()
    {
    }

    /**
     * Parse and validate the arguments after {@code dump}.
     *
     * @param args the queue folder and options, each {@code --name value} or {@code --name=value}.
     * @return the validated options; not validated when {@code --help} or {@code --version} is among them.
     * @throws IllegalArgumentException naming the first unknown option, invalid value or missing argument.
     */
    public static DumpOptions parse(final String... args)
    {
        final DumpOptions options = new DumpOptions();
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
    public DumpOptions conclude()
    {
        if (positional.isEmpty())
        {
            throw new IllegalArgumentException("<queue-dir> is missing: the folder of one strategy's journal");
        }
        if (positional.size() > 1)
        {
            throw new IllegalArgumentException("unexpected argument '" + positional.get(1) +
                "': one <queue-dir> only; see --help");
        }
        queueDirectory = Paths.get(positional.get(0));
        final Set<String> wanted = new LinkedHashSet<>();
        for (final String value : typeNames)
        {
            addTypes("--type", value, wanted);
        }
        symbol = null == symbolText ? null : text("--symbol", symbolText);
        orderId = null == orderIdText ? null : text("--order-id", orderIdText);
        fromIndex = null == fromIndexText ? 0 : index("--from-index", fromIndexText);
        toIndex = null == toIndexText ? Long.MAX_VALUE : index("--to-index", toIndexText);
        fromTimeNs = null == fromTimeText ? Long.MIN_VALUE : time("--from-time", fromTimeText);
        toTimeNs = null == toTimeText ? Long.MAX_VALUE : time("--to-time", toTimeText);
        limit = null == limitText ? Long.MAX_VALUE : limit("--limit", limitText);
        if (fromIndex > toIndex)
        {
            throw new IllegalArgumentException("--from-index 0x" + Long.toHexString(fromIndex) +
                " is after --to-index 0x" + Long.toHexString(toIndex));
        }
        if (null != fromTimeText && null != toTimeText && fromTimeNs >= toTimeNs)
        {
            throw new IllegalArgumentException("--from-time must be before --to-time (the range is [from, to))");
        }
        types = Collections.unmodifiableSet(wanted);
        return this;
    }

    /**
     * Validate and dump to {@code out}, stopping on SIGINT or SIGTERM.
     *
     * @param out         where the JSON lines go.
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
            err.println("tradestate dump: " + ex.getMessage());
            return JournalDumpTool.EXIT_INVALID_ARGUMENTS;
        }
        // A PrintStream keeps its errors to itself: this one says when stdout is closed (| head), which ends a dump.
        final PrintStream stdout = out;
        final OutputStream checked = new FilterOutputStream(stdout)
        {
            public void write(final byte[] bytes, final int offset, final int length) throws IOException
            {
                stdout.write(bytes, offset, length);
                if (stdout.checkError())
                {
                    throw new IOException("stdout is closed");
                }
            }
        };
        return JournalDumpTool.run(this,
            new BufferedWriter(new OutputStreamWriter(checked, StandardCharsets.UTF_8), 1 << 16), err, true);
    }

    /**
     * The help text: every option and its meaning.
     *
     * @return what {@code --help} prints.
     */
    public static String usage()
    {
        return CommandLines.usage(new DumpOptions());
    }

    /**
     * The queue folder to read.
     *
     * @return the path as given.
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
