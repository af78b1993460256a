package io.tradestate.reader;

import io.tradestate.codecs.MessageHeaderDecoder;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.HdrHistogram.Recorder;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * Tails one source's queue for the state publisher, from the first excerpt, independently of the database: reads
 * each excerpt in place, checks it as the drain does, and applies the good ones to the maps. The queue is opened
 * read-only, so the publisher never takes a lock a strategy's appender waits on.
 */
final class StateSourceTailer implements AutoCloseable
{
    private final String sourceId;
    private final SingleChronicleQueue queue;
    private final ExcerptTailer tailer;
    private final UnsafeBuffer buffer = new UnsafeBuffer(0, 0);
    private boolean reachedEnd;
    private long lastIndex = -1;

    StateSourceTailer(final String sourceId, final Path queueDirectory)
    {
        this.sourceId = sourceId;
        this.queue = SingleChronicleQueueBuilder.single(queueDirectory.toFile()).readOnly(true).build();
        this.tailer = queue.createTailer();
    }

    String sourceId()
    {
        return sourceId;
    }

    /**
     * Whether the tailer has read up to the end of the queue at least once since {@link #restart()}.
     */
    boolean reachedEnd()
    {
        return reachedEnd;
    }

    /**
     * Index of the last excerpt applied.
     */
    long lastIndex()
    {
        return lastIndex;
    }

    /**
     * Read from the first excerpt again, for a new generation.
     */
    void restart()
    {
        tailer.toStart();
        reachedEnd = false;
        lastIndex = -1;
    }

    /**
     * Apply up to {@code limit} excerpts, recording for each the time from its append to its being visible in the
     * maps when a recorder is given (not while a generation is being replayed).
     *
     * @return the number read, or -1 if the maps could not be written (a lock could not be taken): the excerpt that
     * failed will be read again after a {@link #restart()}.
     */
    int poll(
        final HistoryRowEncoder checker,
        final HistoryTables scratch,
        final StateMapWriter writer,
        final int limit,
        final long nowNs,
        final EpochNanoClock clock,
        final Recorder appliedLatencyNs)
    {
        int read = 0;
        while (read < limit)
        {
            try (DocumentContext context = tailer.readingDocument())
            {
                if (!context.isPresent())
                {
                    reachedEnd = true;
                    break;
                }

                final Bytes<?> bytes = context.wire().bytes();
                final int length = (int)bytes.readRemaining();
                buffer.wrap(bytes.addressForRead(bytes.readPosition()), length);
                final long index = context.index();
                String failure;
                try
                {
                    failure = checker.encode(sourceId, index, buffer, 0, length);
                }
                catch (final RuntimeException ex)
                {
                    checker.abortRow();
                    failure = "cannot be decoded";
                }
                scratch.reset();
                // A bad excerpt is the drain's to dead-letter; the maps skip it.
                if (null == failure && !writer.apply(sourceId, index, buffer, 0, length, nowNs))
                {
                    context.rollbackOnClose();
                    return -1;
                }
                if (null != appliedLatencyNs && null == failure)
                {
                    final long appendTimeNs = buffer.getLong(MessageHeaderDecoder.ENCODED_LENGTH,
                        ByteOrder.LITTLE_ENDIAN);
                    appliedLatencyNs.recordValue(Math.max(0, clock.nanoTime() - appendTimeNs));
                }
                lastIndex = index;
                read++;
            }
        }
        return read;
    }

    public void close()
    {
        tailer.close();
        queue.close();
    }
}
