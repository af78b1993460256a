package io.tradestate.reader.drain;

import io.tradestate.codecs.MessageHeaderDecoder;
import io.tradestate.reader.AgentTestEnvironment;
import io.tradestate.reader.MixedEvents;
import io.tradestate.reader.QueueSummary;
import io.tradestate.reader.ReaderAgent;
import io.tradestate.reader.StateMapsAssertions;
import io.tradestate.writer.JournalContext;
import io.tradestate.writer.TradeJournal;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.ByteOrder;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The reader agent against a fuzzed journal: random, truncated, extended and bit-flipped entries, written with a raw
 * Chronicle appender, among good {@link MixedEvents} written through {@link TradeJournal}, all in one queue. The real
 * agent ({@link ReaderAgent}, drain and state publisher) drains it into PostgreSQL and must neither crash nor stall.
 * <p>
 * What counts as bad is decided by the project's own decoder, {@link HistoryRowEncoder}, run on each raw entry
 * before the drain (some bit flips leave a valid event, and some entries are extended or rewritten but still valid):
 * <ul>
 *     <li>each entry it refuses is in {@code dead_letters} once, at its index, with exactly its reason and its
 *     bytes, and in no history table;</li>
 *     <li>each raw entry it accepts is stored once in a history table (or is a {@code SourceStarted} or
 *     {@code Heartbeat}, which have no row), or was dead-lettered by PostgreSQL itself with its reason;</li>
 *     <li>each good event is stored once, field for field, and is never dead-lettered;</li>
 *     <li>no queue index has two rows, the checkpoint is the queue's end and counts every excerpt, and the state
 *     maps equal the tables.</li>
 * </ul>
 * Mutations, each seeded (the seed is printed): 1 to 4 bit flips anywhere, a byte replaced inside the fixed block,
 * a prefix of random length, random trailing bytes, a valid header over a random body, and random bytes.
 * <p>
 * System properties: {@code tradestate.fuzz.entries} (entries in all, about half of them raw, default
 * {@value #DEFAULT_ENTRIES}) and {@code tradestate.fuzz.seed} (default: the clock).
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class JournalFuzzIT
{
    private static final String SOURCE_ID = "fuzz";
    private static final int STREAM = 11;
    private static final int TEMPLATE_EVENTS = 64;
    private static final int DEFAULT_ENTRIES = 4_000;
    private static final long DRAIN_TIMEOUT_MS = 120_000;
    private static final long STALL_LIMIT_NS = TimeUnit.SECONDS.toNanos(20);
    private static final String REJECTED_BY_POSTGRES = "rejected by PostgreSQL";

    /**
     * How a raw entry was made.
     */
    enum Mutation
    {
        BIT_FLIPS, BLOCK_BYTE, TRUNCATED, EXTENDED, RANDOM_BODY, RANDOM_BYTES
    }

    /**
     * A raw entry as written, and what the decoder makes of it.
     */
    static final class RawEntry
    {
        final Mutation mutation;
        final byte[] bytes;
        final String reason;
        final int templateId;

        RawEntry(final Mutation mutation, final byte[] bytes, final String reason, final int templateId)
        {
            this.mutation = mutation;
            this.bytes = bytes;
            this.reason = reason;
            this.templateId = templateId;
        }
    }

    @RegisterExtension
    final AgentTestEnvironment environment = new AgentTestEnvironment("journal_fuzz");

    private Random random;
    private final HistoryTables scratchTables = new HistoryTables();
    private final HistoryRowEncoder oracle = new HistoryRowEncoder(scratchTables, JournalFuzzIT::ignoreStatus);

    @Test
    void shouldDeadLetterEveryBadEntryWithItsReasonAndStoreEveryGoodOneOnce() throws Exception
    {
        final long seed = Long.getLong("tradestate.fuzz.seed", System.nanoTime());
        final int entries = Integer.getInteger("tradestate.fuzz.entries", DEFAULT_ENTRIES);
        System.out.println("seed " + seed + " (-Dtradestate.fuzz.seed=" + seed + " repeats the run)");
        random = new Random(seed);
        final List<byte[]> templates = templates();

        final Path journalRoot = environment.journalRoot();
        final long appendFromNs = TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis() - 1_000);
        final TreeMap<Long, Integer> good = new TreeMap<>();
        final TreeMap<Long, RawEntry> raw = new TreeMap<>();
        final Map<Mutation, int[]> mutations = new EnumMap<>(Mutation.class);
        try (TradeJournal journal = TradeJournal.open(new JournalContext()
            .journalRoot(journalRoot).sourceId(SOURCE_ID).heartbeatIntervalMs(0));
            SingleChronicleQueue queue = SingleChronicleQueueBuilder.single(
                journalRoot.resolve(SOURCE_ID).toFile()).build();
            ExcerptAppender appender = queue.createAppender())
        {
            final MixedEvents events = new MixedEvents();
            int sequence = 0;
            for (int i = 0; i < entries; i++)
            {
                if (random.nextBoolean())
                {
                    good.put(events.append(journal, STREAM, sequence), sequence);
                    sequence++;
                }
                else
                {
                    final Mutation mutation = Mutation.values()[random.nextInt(Mutation.values().length)];
                    final byte[] bytes = mutate(mutation, templates.get(random.nextInt(templates.size())));
                    try (DocumentContext context = appender.writingDocument())
                    {
                        context.wire().bytes().write(bytes);
                    }
                    final long index = appender.lastIndexAppended();
                    final RawEntry entry = new RawEntry(mutation, bytes, decode(index, bytes), templateId(bytes));
                    raw.put(index, entry);
                    mutations.computeIfAbsent(mutation, (key) -> new int[2])[null == entry.reason ? 0 : 1]++;
                }
            }
        }
        final long appendToNs = TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis() + 1_000);
        final QueueSummary queue = QueueSummary.of(journalRoot.resolve(SOURCE_ID));

        final long startNs = System.nanoTime();
        final ReaderAgent agent = environment.launch();
        awaitDrained(queue.lastIndex);
        final long drainMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
        final int comparisons =
            StateMapsAssertions.assertMapsEqualTables(environment.stateDir(), environment.dataSource());
        assertNull(agent.stalledAgent(System.nanoTime(), STALL_LIMIT_NS), "an agent stalled");

        final List<String> problems = new ArrayList<>();
        final Map<Long, String[]> deadLetters = deadLetters();
        final Map<Long, String> rows = historyRows(good, problems);
        int badDeadLettered = 0;
        int validStored = 0;
        int validWithoutRow = 0;
        int rejectedByPostgres = 0;
        for (final Map.Entry<Long, RawEntry> entry : raw.entrySet())
        {
            final long index = entry.getKey();
            final RawEntry rawEntry = entry.getValue();
            final String[] deadLetter = deadLetters.get(index);
            final String where = "raw entry 0x" + Long.toHexString(index) + " (" + rawEntry.mutation + ")";
            if (null != rawEntry.reason)
            {
                if (null == deadLetter)
                {
                    problems.add(where + ": refused by the decoder (" + rawEntry.reason + ") but not dead-lettered");
                }
                else if (!rawEntry.reason.equals(deadLetter[0]) || !hex(rawEntry.bytes).equals(deadLetter[1]))
                {
                    problems.add(where + ": dead letter '" + deadLetter[0] + "' with bytes " + deadLetter[1] +
                        ", expected '" + rawEntry.reason + "' with bytes " + hex(rawEntry.bytes));
                }
                else
                {
                    badDeadLettered++;
                }
                if (rows.containsKey(index))
                {
                    problems.add(where + ": refused by the decoder but stored in " + rows.get(index));
                }
            }
            else if (rows.containsKey(index))
            {
                validStored++;
                if (null != deadLetter)
                {
                    problems.add(where + ": stored and dead-lettered");
                }
            }
            else if (null != deadLetter && deadLetter[0].startsWith(REJECTED_BY_POSTGRES))
            {
                rejectedByPostgres++;
            }
            else if (isSourceStatus(rawEntry.templateId) && null == deadLetter)
            {
                validWithoutRow++;
            }
            else
            {
                problems.add(where + ": valid for the decoder but neither stored nor dead-lettered by PostgreSQL" +
                    (null == deadLetter ? "" : ": " + deadLetter[0]));
            }
        }
        for (final Long index : good.keySet())
        {
            if (deadLetters.containsKey(index))
            {
                problems.add("good event 0x" + Long.toHexString(index) + " dead-lettered: " +
                    deadLetters.get(index)[0]);
            }
        }
        if (deadLetters.size() != badDeadLettered + rejectedByPostgres)
        {
            problems.add(deadLetters.size() + " dead letters, expected " + (badDeadLettered + rejectedByPostgres));
        }
        final String checkpoint = environment.query(
            "SELECT last_index || '|' || events FROM source_checkpoints WHERE source_id = '" + SOURCE_ID + "'");
        if (!(queue.lastIndex + "|" + queue.excerpts).equals(checkpoint))
        {
            problems.add("checkpoint " + checkpoint + ", queue " + queue);
        }
        if (!problems.isEmpty())
        {
            fail(problems.size() + " problems; seed " + seed + "\n" + String.join("\n",
                problems.subList(0, Math.min(30, problems.size()))));
        }

        System.out.printf("%,d entries: %,d good stored once field for field; %,d raw (%s as [valid, refused]): " +
            "%,d refused and dead-lettered with their reason and bytes, %,d still valid and stored, %,d valid " +
            "source-status events, %,d dead-lettered by PostgreSQL; drained in %,d ms; maps equal the tables after " +
            "%d comparison(s); append window %,d ms%n", entries, good.size(), raw.size(), describe(mutations),
            badDeadLettered, validStored, validWithoutRow, rejectedByPostgres, drainMs, comparisons,
            TimeUnit.NANOSECONDS.toMillis(appendToNs - appendFromNs));
        assertEquals(raw.size(), badDeadLettered + validStored + validWithoutRow + rejectedByPostgres);
    }

    private List<byte[]> templates()
    {
        final Path templateRoot = environment.root().resolve("templates");
        try (TradeJournal journal = TradeJournal.open(new JournalContext()
            .journalRoot(templateRoot).sourceId("templates").heartbeatIntervalMs(0)))
        {
            final MixedEvents events = new MixedEvents();
            for (int sequence = 0; sequence < TEMPLATE_EVENTS; sequence++)
            {
                events.append(journal, STREAM + 1, sequence);
            }
            journal.heartbeat();
        }

        final List<byte[]> templates = new ArrayList<>();
        try (SingleChronicleQueue queue = SingleChronicleQueueBuilder.single(
            templateRoot.resolve("templates").toFile()).readOnly(true).build();
            ExcerptTailer tailer = queue.createTailer())
        {
            while (true)
            {
                try (DocumentContext context = tailer.readingDocument())
                {
                    if (!context.isPresent())
                    {
                        break;
                    }
                    final Bytes<?> bytes = context.wire().bytes();
                    final byte[] copy = new byte[(int)bytes.readRemaining()];
                    bytes.read(copy);
                    templates.add(copy);
                }
            }
        }
        return templates;
    }

    private byte[] mutate(final Mutation mutation, final byte[] template)
    {
        switch (mutation)
        {
            case BIT_FLIPS:
            {
                final byte[] bytes = template.clone();
                final int flips = 1 + random.nextInt(4);
                for (int i = 0; i < flips; i++)
                {
                    final int bit = random.nextInt(bytes.length * 8);
                    bytes[bit >>> 3] ^= (byte)(1 << (bit & 7));
                }
                return bytes;
            }
            case BLOCK_BYTE:
            {
                final byte[] bytes = template.clone();
                final int blockLength = new UnsafeBuffer(bytes).getShort(0, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
                final int end = Math.min(bytes.length, MessageHeaderDecoder.ENCODED_LENGTH + blockLength);
                final int offset = MessageHeaderDecoder.ENCODED_LENGTH +
                    random.nextInt(Math.max(1, end - MessageHeaderDecoder.ENCODED_LENGTH));
                bytes[Math.min(offset, bytes.length - 1)] = (byte)random.nextInt(256);
                return bytes;
            }
            case TRUNCATED:
                return Arrays.copyOf(template, 1 + random.nextInt(template.length - 1));
            case EXTENDED:
            {
                final byte[] bytes = Arrays.copyOf(template, template.length + 1 + random.nextInt(64));
                for (int i = template.length; i < bytes.length; i++)
                {
                    bytes[i] = (byte)random.nextInt(256);
                }
                return bytes;
            }
            case RANDOM_BODY:
            {
                final byte[] bytes = new byte[MessageHeaderDecoder.ENCODED_LENGTH + random.nextInt(400)];
                random.nextBytes(bytes);
                System.arraycopy(template, 0, bytes, 0, MessageHeaderDecoder.ENCODED_LENGTH);
                return bytes;
            }
            default:
            {
                final byte[] bytes = new byte[1 + random.nextInt(300)];
                random.nextBytes(bytes);
                return bytes;
            }
        }
    }

    /**
     * What the agent's decoder says of an entry, as {@link SourcePoller} calls it.
     */
    private String decode(final long index, final byte[] bytes)
    {
        String reason;
        try
        {
            reason = oracle.encode(SOURCE_ID, index, new UnsafeBuffer(bytes), 0, bytes.length);
        }
        catch (final RuntimeException ex)
        {
            oracle.abortRow();
            reason = "cannot be decoded: " + ex;
        }
        scratchTables.reset();
        return reason;
    }

    private static int templateId(final byte[] bytes)
    {
        return bytes.length < MessageHeaderDecoder.ENCODED_LENGTH ? -1 :
            new MessageHeaderDecoder().wrap(new UnsafeBuffer(bytes), 0).templateId();
    }

    private static boolean isSourceStatus(final int templateId)
    {
        return io.tradestate.codecs.SourceStartedDecoder.TEMPLATE_ID == templateId ||
            io.tradestate.codecs.HeartbeatDecoder.TEMPLATE_ID == templateId;
    }

    /**
     * Every history row of the source, by queue index (a second row at an index is a problem); good events are
     * compared field for field with {@link MixedEvents#expected(int, long)}.
     *
     * @return the table of each stored index.
     */
    private Map<Long, String> historyRows(final Map<Long, Integer> good, final List<String> problems)
        throws SQLException
    {
        final Map<Long, String> rows = new HashMap<>();
        int goodStored = 0;
        for (final String table : MixedEvents.HISTORY_TABLES)
        {
            final String[] columns = MixedEvents.historyColumns(table);
            try (Connection connection = environment.dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet resultSet = statement.executeQuery("SELECT queue_index, " + String.join(", ", columns) +
                    " FROM " + table + " WHERE source_id = '" + SOURCE_ID + "'"))
            {
                while (resultSet.next())
                {
                    final long index = resultSet.getLong(1);
                    final String previous = rows.put(index, table);
                    if (null != previous)
                    {
                        problems.add("index 0x" + Long.toHexString(index) + " stored twice: " + previous + ", " +
                            table);
                    }
                    final Integer sequence = good.get(index);
                    if (null == sequence)
                    {
                        continue;
                    }
                    goodStored++;
                    final String[] expected = MixedEvents.expected(STREAM, sequence);
                    final String expectedTable = MixedEvents.type(sequence).table;
                    if (!expectedTable.equals(table))
                    {
                        problems.add("good event " + sequence + " in " + table + ", expected " + expectedTable);
                        continue;
                    }
                    for (int i = 0; i < columns.length; i++)
                    {
                        final String actual = resultSet.getString(2 + i);
                        if (!java.util.Objects.equals(expected[i], actual))
                        {
                            problems.add("good event " + sequence + ": " + table + "." + columns[i] + " is '" +
                                actual + "', expected '" + expected[i] + "'");
                        }
                    }
                }
            }
        }
        if (goodStored != good.size())
        {
            problems.add(goodStored + " good events stored, " + good.size() + " appended");
        }
        return rows;
    }

    private Map<Long, String[]> deadLetters() throws SQLException
    {
        final Map<Long, String[]> deadLetters = new LinkedHashMap<>();
        try (Connection connection = environment.dataSource().getConnection();
            Statement statement = connection.createStatement();
            ResultSet resultSet = statement.executeQuery("SELECT queue_index, reason, encode(raw_bytes, 'hex') " +
                "FROM dead_letters WHERE source_id = '" + SOURCE_ID + "'"))
        {
            while (resultSet.next())
            {
                deadLetters.put(resultSet.getLong(1), new String[] { resultSet.getString(2), resultSet.getString(3) });
            }
        }
        return deadLetters;
    }

    private void awaitDrained(final long lastIndex) throws Exception
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DRAIN_TIMEOUT_MS);
        String checkpoint = null;
        while (System.nanoTime() - deadlineNs < 0)
        {
            checkpoint = environment.query(
                "SELECT last_index FROM source_checkpoints WHERE source_id = '" + SOURCE_ID + "'");
            if (String.valueOf(lastIndex).equals(checkpoint))
            {
                return;
            }
            final String stalled = environment.agent().stalledAgent(System.nanoTime(), STALL_LIMIT_NS);
            if (null != stalled)
            {
                fail(stalled + " has not finished a duty cycle for " + STALL_LIMIT_NS / 1_000_000 + " ms");
            }
            Thread.sleep(50);
        }
        fail("not drained within " + DRAIN_TIMEOUT_MS + " ms: checkpoint " + checkpoint + ", queue ends at " +
            lastIndex);
    }

    private static String describe(final Map<Mutation, int[]> mutations)
    {
        final StringBuilder builder = new StringBuilder();
        for (final Map.Entry<Mutation, int[]> entry : mutations.entrySet())
        {
            builder.append(0 == builder.length() ? "" : ", ").append(entry.getKey()).append(' ')
                .append(Arrays.toString(entry.getValue()));
        }
        return builder.toString();
    }

    private static String hex(final byte[] bytes)
    {
        final StringBuilder builder = new StringBuilder(bytes.length * 2);
        for (final byte b : bytes)
        {
            builder.append(Character.forDigit((b >>> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        return builder.toString();
    }

    private static void ignoreStatus(
        final CharSequence sourceId, final boolean started, final org.agrona.DirectBuffer buffer, final int hostOffset,
        final int hostLength, final long pid, final int schemaVersion, final long startTimeNs, final long appendTimeNs)
    {
    }
}
