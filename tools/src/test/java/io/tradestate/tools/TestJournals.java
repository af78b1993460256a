package io.tradestate.tools;

import io.tradestate.writer.JournalContext;
import io.tradestate.writer.SyncPolicy;
import io.tradestate.writer.TradeJournal;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

import java.nio.file.Path;

/**
 * Journals for the dump to read: written through the real append API with a clock the test sets, and raw entries
 * written with a plain Chronicle appender, as a corrupted or foreign writer would leave them.
 */
final class TestJournals
{
    /**
     * 2026-01-01T00:00:00Z in nanoseconds since the epoch.
     */
    static final long T0_NS = 1_767_225_600_000_000_000L;
    static final String SOURCE_ID = "dump-test";
    static final String HOST = "host-a";

    private TestJournals()
    {
    }

    static TradeJournal open(final Path root, final ManualEpochNanoClock clock)
    {
        return TradeJournal.open(new JournalContext()
            .journalRoot(root)
            .sourceId(SOURCE_ID)
            .host(HOST)
            .heartbeatIntervalMs(0)
            .pretouchEnabled(false)
            .syncPolicy(SyncPolicy.NONE)
            .epochNanoClock(clock));
    }

    static Path queueDirectory(final Path root)
    {
        return root.resolve(SOURCE_ID);
    }

    /**
     * Append raw bytes as one excerpt.
     *
     * @return its index.
     */
    static long appendRaw(final Path queueDirectory, final byte[] bytes)
    {
        try (SingleChronicleQueue queue = SingleChronicleQueueBuilder.single(queueDirectory.toFile()).build();
            ExcerptAppender appender = queue.createAppender())
        {
            try (DocumentContext context = appender.writingDocument())
            {
                context.wire().bytes().write(bytes);
            }
            return appender.lastIndexAppended();
        }
    }

    /**
     * A copy of the bytes of one excerpt.
     */
    static byte[] bytesAt(final Path queueDirectory, final long index)
    {
        try (SingleChronicleQueue queue = SingleChronicleQueueBuilder.single(queueDirectory.toFile())
            .readOnly(true)
            .build();
            ExcerptTailer tailer = queue.createTailer())
        {
            if (!tailer.moveToIndex(index))
            {
                throw new IllegalStateException("no excerpt at 0x" + Long.toHexString(index));
            }
            try (DocumentContext context = tailer.readingDocument())
            {
                final Bytes<?> bytes = context.wire().bytes();
                final byte[] copy = new byte[(int)bytes.readRemaining()];
                bytes.read(copy);
                return copy;
            }
        }
    }

    /**
     * The start of every line of a decoded event: index, type and append time.
     */
    static String head(final long index, final String type, final long appendTimeNs, final String appendTime)
    {
        return "{\"index\":" + index + ",\"indexHex\":\"0x" + Long.toHexString(index) + "\",\"type\":\"" + type +
            "\",\"appendTimeNs\":" + appendTimeNs + ",\"appendTime\":\"" + appendTime + "\"";
    }
}
