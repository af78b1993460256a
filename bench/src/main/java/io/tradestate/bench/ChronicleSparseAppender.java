package io.tradestate.bench;

import io.tradestate.writer.JournalConfiguration;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.CloseHelper;

import java.nio.file.Path;

/**
 * B1 of {@link SparseAppendHarness}: a bare Chronicle Queue appender with the journal's default roll cycle and block
 * size, writing the order's encoded bytes ({@link SparseOrders#encoded()}): {@code writingDocument()}, write the
 * bytes, close; as {@code jmh/ChronicleQueueBenchmark#writeBytes}. No TradeState class is loaded in its JVM (the
 * defaults are compile-time constants), so nothing of the journal warms the Chronicle code it shares. Opening writes
 * one excerpt, as {@code TradeJournal.open} writes its {@code SourceStatus}: the cycle file exists before the first
 * measured append of every Chronicle variant.
 */
final class ChronicleSparseAppender implements SparseAppender
{
    private final byte[] orders = SparseOrders.encoded();
    private final SingleChronicleQueue queue;
    private final ExcerptAppender appender;

    /**
     * Open the queue and its appender on the calling thread, and write the first excerpt.
     *
     * @param folder the queue's folder.
     */
    ChronicleSparseAppender(final Path folder)
    {
        queue = SingleChronicleQueueBuilder.single(folder.toFile())
            .rollCycle(RollCycles.valueOf(JournalConfiguration.ROLL_CYCLE_DEFAULT))
            .blockSize(JournalConfiguration.BLOCK_SIZE_DEFAULT)
            .build();
        appender = queue.createAppender();
        try (DocumentContext context = appender.writingDocument())
        {
            context.wire().bytes().write(orders, 0, SparseOrders.LENGTH);
        }
    }

    /**
     * {@inheritDoc}
     */
    public void append(final int event)
    {
        try (DocumentContext context = appender.writingDocument())
        {
            context.wire().bytes().write(orders, SparseOrders.order(event) * SparseOrders.LENGTH, SparseOrders.LENGTH);
        }
    }

    /**
     * {@inheritDoc}
     */
    public void close()
    {
        CloseHelper.quietCloseAll(appender, queue);
    }
}
