package io.tradestate.reader;

import io.tradestate.codecs.HeartbeatDecoder;
import io.tradestate.codecs.MessageHeaderDecoder;
import io.tradestate.codecs.OrderUpdateDecoder;
import io.tradestate.codecs.PairLockDecoder;
import io.tradestate.codecs.PairUnlockDecoder;
import io.tradestate.codecs.SourceStartedDecoder;
import io.tradestate.codecs.TradeUpdateDecoder;
import io.tradestate.codecs.event.JournalMessage;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Writers on another schema version than the agent (rules in {@code docs/schema-evolution.md}).
 * <p>
 * <b>A writer one version ahead.</b> Every event a current writer appends, rewritten as a version-2 writer would
 * encode it under SBE's rules: {@value #EXTRA_BLOCK_BYTES} more bytes at the end of the fixed block (a new field, not
 * zero), {@code blockLength} and {@code version} raised in the header, and one more var-data field after the last
 * one where the message has var-data. The agent must store every event exactly once, field for field, ignoring
 * what it does not know ({@link DrainedEventsVerifier}: nothing dead-lettered), and the state maps must equal the
 * tables.
 * <p>
 * <b>A writer one version behind.</b> Every event a current writer appends, rewritten as a version-1 writer encoded
 * it: the fixed block cut where version 1 ended it (before {@code PairLock.allSources}), {@code blockLength} and
 * {@code version} lowered, {@code schemaVersion} 1 in {@code SourceStarted} and {@code Heartbeat}. The agent stores
 * every event, nothing dead-lettered, the version-2 column NULL in the history and its default in the current state
 * (a version-1 lock is its source's own, in the tables and in the maps), and the maps equal the tables.
 * <p>
 * <b>What no writer writes.</b> A message claiming version 0 (older than any writer), or a block shorter than its
 * version defines, is corrupt, and is dead-lettered with its reason and bytes (kept for a replay, never lost, never
 * misread), while every event around it is stored. An enum value the agent does not know (from a newer writer) is
 * dead-lettered the same way.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SchemaSkewIT
{
    private static final int EXTRA_BLOCK_BYTES = 17;
    private static final int AHEAD_VERSION = MessageHeaderDecoder.SCHEMA_VERSION + 1;
    private static final byte[] EXTRA_TEXT = "a version-2 note, ignored by this agent \u2713".getBytes(
        StandardCharsets.UTF_8);
    private static final int STREAM = 21;
    private static final int EVENTS = 1_600;
    private static final long DRAIN_TIMEOUT_MS = 60_000;

    @RegisterExtension
    final AgentTestEnvironment environment = new AgentTestEnvironment("schema_skew");

    @Test
    void shouldStoreEveryEventOfAWriterOneVersionAheadIgnoringItsNewFields() throws Exception
    {
        final long appendFromNs = TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis() - 1_000);
        final List<byte[]> current = currentWriterExcerpts(EVENTS);
        final Path journalRoot = environment.journalRoot();
        final long[] indexes = new long[EVENTS];
        try (SingleChronicleQueue queue = SingleChronicleQueueBuilder.single(
            journalRoot.resolve("ahead").toFile()).build();
            ExcerptAppender appender = queue.createAppender())
        {
            for (int i = 0; i < current.size(); i++)
            {
                write(appender, ahead(current.get(i)));
                if (i > 0)
                {
                    indexes[i - 1] = appender.lastIndexAppended();
                }
            }
        }
        final long appendToNs = TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis() + 1_000);
        final QueueSummary queue = QueueSummary.of(journalRoot.resolve("ahead"));

        environment.launch();
        environment.awaitCheckpoint("ahead", queue.lastIndex, DRAIN_TIMEOUT_MS);
        StateMapsAssertions.assertMapsEqualTables(environment.stateDir(), environment.dataSource());

        final DrainedEventsVerifier verifier = new DrainedEventsVerifier(environment.dataSource(), List.of(
            new DrainedEventsVerifier.Source("ahead", STREAM, indexes, queue, 0)));
        final List<String> problems = verifier.verify(appendFromNs, appendToNs);
        if (!problems.isEmpty())
        {
            fail("events of a writer one version ahead were not stored as written:\n" + String.join("\n", problems));
        }
        System.out.printf("writer at version %d, agent at version %d: %,d events stored once, %,d rows compared " +
            "field for field, 0 dead letters%n", AHEAD_VERSION, MessageHeaderDecoder.SCHEMA_VERSION, EVENTS,
            verifier.rowsCompared());
    }

    @Test
    void shouldStoreEveryEventOfAWriterOneVersionBehindWithTheNewerFieldsAbsent() throws Exception
    {
        final List<byte[]> current = currentWriterExcerpts(EVENTS);
        final Path journalRoot = environment.journalRoot();
        long locksForAllSources = 0;
        try (SingleChronicleQueue queue = SingleChronicleQueueBuilder.single(
            journalRoot.resolve("behind").toFile()).build();
            ExcerptAppender appender = queue.createAppender())
        {
            for (final byte[] excerpt : current)
            {
                final UnsafeBuffer buffer = new UnsafeBuffer(excerpt);
                final int allSourcesAt =
                    MessageHeaderDecoder.ENCODED_LENGTH + PairLockDecoder.allSourcesEncodingOffset();
                if (PairLockDecoder.TEMPLATE_ID == (buffer.getShort(2, ByteOrder.LITTLE_ENDIAN) & 0xFFFF) &&
                    1 == buffer.getByte(allSourcesAt))
                {
                    locksForAllSources++;
                }
                write(appender, versionOne(excerpt));
            }
        }
        assertTrue(locksForAllSources > 0, "the current writer took locks for all sources");
        final QueueSummary queue = QueueSummary.of(journalRoot.resolve("behind"));

        environment.launch();
        environment.awaitCheckpoint("behind", queue.lastIndex, DRAIN_TIMEOUT_MS);

        assertEquals("0", environment.query("SELECT count(*) FROM dead_letters"));
        long stored = 0;
        for (final String table : MixedEvents.HISTORY_TABLES)
        {
            stored += Long.parseLong(environment.query("SELECT count(*) FROM " + table));
        }
        assertEquals(current.size() - 1, stored, "every event is stored");
        assertEquals("0", environment.query("SELECT count(*) FROM pair_lock_events WHERE all_sources IS NOT NULL"),
            "a version-1 writer's lock has no allSources: NULL, as written");
        for (final String table : new String[] { "fills", "order_events", "balance_events" })
        {
            assertEquals("0", environment.query("SELECT count(*) FROM " + table +
                " WHERE origin IS NOT NULL OR reconcile_time IS NOT NULL"),
                table + ": a version-1 writer's events have no origin: NULL, as written (the strategy)");
        }
        assertEquals(environment.query("SELECT count(*) FROM pair_lock_events WHERE action = 'lock'"),
            environment.query("SELECT count(*) FROM pair_locks WHERE NOT all_sources"),
            "and it is its source's own lock");
        assertEquals(String.valueOf(MessageHeaderDecoder.SCHEMA_VERSION - 1),
            environment.query("SELECT max(schema_version) FROM sources"));
        StateMapsAssertions.assertMapsEqualTables(environment.stateDir(), environment.dataSource());
        System.out.printf("writer at version %d, agent at version %d: %,d events stored (%d locks the current " +
            "writer took for all sources stored as their source's own), 0 dead letters%n",
            MessageHeaderDecoder.SCHEMA_VERSION - 1, MessageHeaderDecoder.SCHEMA_VERSION, stored, locksForAllSources);
    }

    @Test
    void shouldDeadLetterWhatNoWriterOfAKnownVersionCanWriteAndStoreTheRest() throws Exception
    {
        final List<byte[]> current = currentWriterExcerpts(400);
        final byte[] orderUpdate = firstOf(current, OrderUpdateDecoder.TEMPLATE_ID);
        final List<byte[]> skewed = new ArrayList<>();
        final List<String> reasons = new ArrayList<>();

        skewed.add(withShort(orderUpdate, 6, 0));
        reasons.add("OrderUpdate: schema version 0 is older than any writer");
        final byte[] shortBlock = withShort(Arrays.copyOf(orderUpdate, orderUpdate.length - 9), 0,
            OrderUpdateDecoder.BLOCK_LENGTH - 9);
        skewed.add(shortBlock);
        reasons.add("OrderUpdate: block of " + (OrderUpdateDecoder.BLOCK_LENGTH - 9) + " bytes is shorter than the " +
            OrderUpdateDecoder.BLOCK_LENGTH + " of schema version " + MessageHeaderDecoder.SCHEMA_VERSION);
        final byte[] newEnumValue = ahead(orderUpdate);
        newEnumValue[MessageHeaderDecoder.ENCODED_LENGTH + OrderUpdateDecoder.orderTypeEncodingOffset()] = 8;
        skewed.add(newEnumValue);
        reasons.add("OrderUpdate.orderType invalid enum value 8");

        final Path journalRoot = environment.journalRoot();
        final List<Long> skewedIndexes = new ArrayList<>();
        try (SingleChronicleQueue queue = SingleChronicleQueueBuilder.single(
            journalRoot.resolve("behind").toFile()).build();
            ExcerptAppender appender = queue.createAppender())
        {
            for (int i = 0; i < current.size(); i++)
            {
                write(appender, current.get(i));
                if (skewedIndexes.size() < skewed.size() && 100 * (skewedIndexes.size() + 1) == i)
                {
                    write(appender, skewed.get(skewedIndexes.size()));
                    skewedIndexes.add(appender.lastIndexAppended());
                }
            }
        }
        final QueueSummary queue = QueueSummary.of(journalRoot.resolve("behind"));

        environment.launch();
        environment.awaitCheckpoint("behind", queue.lastIndex, DRAIN_TIMEOUT_MS);

        try (Connection connection = environment.dataSource().getConnection();
            Statement statement = connection.createStatement();
            ResultSet rows = statement.executeQuery(
                "SELECT queue_index, reason, raw_bytes FROM dead_letters ORDER BY queue_index"))
        {
            for (int i = 0; i < skewed.size(); i++)
            {
                assertTrue(rows.next(), "dead letter " + i + " missing");
                assertEquals(skewedIndexes.get(i), rows.getLong(1));
                assertEquals(reasons.get(i), rows.getString(2));
                assertTrue(Arrays.equals(skewed.get(i), rows.getBytes(3)), "dead letter " + i + " keeps the bytes");
            }
            assertTrue(!rows.next(), "nothing else is dead-lettered");
        }
        long stored = 0;
        for (final String table : MixedEvents.HISTORY_TABLES)
        {
            stored += Long.parseLong(environment.query("SELECT count(*) FROM " + table));
        }
        assertEquals(current.size() - 1, stored, "every event of a known version is stored");
        System.out.printf("%d events stored, %d skewed entries dead-lettered with their reasons: %s%n", stored,
            skewed.size(), reasons);
    }

    /**
     * What a current writer appends: its {@code SourceStarted}, then {@code events} {@link MixedEvents}.
     */
    private List<byte[]> currentWriterExcerpts(final int events)
    {
        final Path templateRoot = environment.root().resolve("current-writer");
        try (TradeJournal journal = TradeJournal.open(new JournalContext()
            .journalRoot(templateRoot).sourceId("current").heartbeatIntervalMs(0)))
        {
            final MixedEvents mixedEvents = new MixedEvents();
            for (int sequence = 0; sequence < events; sequence++)
            {
                mixedEvents.append(journal, STREAM, sequence);
            }
        }
        final List<byte[]> excerpts = new ArrayList<>();
        try (SingleChronicleQueue queue = SingleChronicleQueueBuilder.single(
            templateRoot.resolve("current").toFile()).readOnly(true).build();
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
                    excerpts.add(copy);
                }
            }
        }
        return excerpts;
    }

    /**
     * The excerpt as a writer one version ahead encodes it: a new field at the end of the fixed block, and a new
     * var-data field after the last one where the message has var-data.
     */
    static byte[] ahead(final byte[] excerpt)
    {
        final UnsafeBuffer in = new UnsafeBuffer(excerpt);
        final int blockLength = in.getShort(0, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        final int templateId = in.getShort(2, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        final boolean varData = TradeUpdateDecoder.TEMPLATE_ID == templateId ||
            PairLockDecoder.TEMPLATE_ID == templateId || PairUnlockDecoder.TEMPLATE_ID == templateId;
        final int blockEnd = MessageHeaderDecoder.ENCODED_LENGTH + blockLength;
        final byte[] out = new byte[excerpt.length + EXTRA_BLOCK_BYTES + (varData ? 2 + EXTRA_TEXT.length : 0)];
        System.arraycopy(excerpt, 0, out, 0, blockEnd);
        for (int i = 0; i < EXTRA_BLOCK_BYTES; i++)
        {
            out[blockEnd + i] = (byte)(0xA5 ^ i);
        }
        System.arraycopy(excerpt, blockEnd, out, blockEnd + EXTRA_BLOCK_BYTES, excerpt.length - blockEnd);
        final UnsafeBuffer buffer = new UnsafeBuffer(out);
        if (varData)
        {
            final int position = excerpt.length + EXTRA_BLOCK_BYTES;
            buffer.putShort(position, (short)EXTRA_TEXT.length, ByteOrder.LITTLE_ENDIAN);
            buffer.putBytes(position + 2, EXTRA_TEXT);
        }
        buffer.putShort(0, (short)(blockLength + EXTRA_BLOCK_BYTES), ByteOrder.LITTLE_ENDIAN);
        buffer.putShort(6, (short)AHEAD_VERSION, ByteOrder.LITTLE_ENDIAN);
        return out;
    }

    /**
     * The excerpt as a version-1 writer encodes it: the fixed block as long as version 1 defines it (the fields a
     * later version added at its end cut off), the var-data after it, and the version in the header and in the
     * source status messages lowered.
     */
    static byte[] versionOne(final byte[] excerpt)
    {
        final UnsafeBuffer in = new UnsafeBuffer(excerpt);
        final int blockLength = in.getShort(0, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        final int templateId = in.getShort(2, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        final int versionOneBlock = JournalMessage.of(templateId).blockLength(1);
        final int header = MessageHeaderDecoder.ENCODED_LENGTH;
        final byte[] out = new byte[excerpt.length - (blockLength - versionOneBlock)];
        System.arraycopy(excerpt, 0, out, 0, header + versionOneBlock);
        System.arraycopy(excerpt, header + blockLength, out, header + versionOneBlock,
            excerpt.length - header - blockLength);
        final UnsafeBuffer buffer = new UnsafeBuffer(out);
        buffer.putShort(0, (short)versionOneBlock, ByteOrder.LITTLE_ENDIAN);
        buffer.putShort(6, (short)1, ByteOrder.LITTLE_ENDIAN);
        if (SourceStartedDecoder.TEMPLATE_ID == templateId)
        {
            buffer.putShort(header + SourceStartedDecoder.schemaVersionEncodingOffset(), (short)1,
                ByteOrder.LITTLE_ENDIAN);
        }
        else if (HeartbeatDecoder.TEMPLATE_ID == templateId)
        {
            buffer.putShort(header + HeartbeatDecoder.schemaVersionEncodingOffset(), (short)1,
                ByteOrder.LITTLE_ENDIAN);
        }
        return out;
    }

    private static byte[] firstOf(final List<byte[]> excerpts, final int templateId)
    {
        for (final byte[] excerpt : excerpts)
        {
            if ((new UnsafeBuffer(excerpt).getShort(2, ByteOrder.LITTLE_ENDIAN) & 0xFFFF) == templateId)
            {
                return excerpt;
            }
        }
        throw new IllegalStateException("no template " + templateId);
    }

    private static byte[] withShort(final byte[] bytes, final int offset, final int value)
    {
        final byte[] copy = bytes.clone();
        new UnsafeBuffer(copy).putShort(offset, (short)value, ByteOrder.LITTLE_ENDIAN);
        return copy;
    }

    private static void write(final ExcerptAppender appender, final byte[] bytes)
    {
        try (DocumentContext context = appender.writingDocument())
        {
            context.wire().bytes().write(bytes);
        }
    }
}
