package io.tradestate.reader.operations;

import io.tradestate.codecs.MessageHeaderDecoder;
import io.tradestate.reader.drain.SourcePoller;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * Looks at a source's queue from outside the drain, read-only: its last index, how many excerpts follow a checkpoint
 * and when the oldest of them was appended. Used by the {@code status} command and the metrics endpoint, so that
 * both work even when the drain itself is stuck.
 */
public final class QueueInspector implements AutoCloseable
{
    private static final int APPEND_TIME_OFFSET = MessageHeaderDecoder.ENCODED_LENGTH;

    private final SingleChronicleQueue queue;
    private final ExcerptTailer tailer;

    /**
     * Open a source's queue read-only.
     *
     * @param queueDirectory the source's queue folder.
     */
    public QueueInspector(final Path queueDirectory)
    {
        queue = SingleChronicleQueueBuilder.single(queueDirectory.toFile()).readOnly(true).build();
        tailer = queue.createTailer();
    }

    /**
     * The index of the last excerpt in the queue.
     *
     * @return the index, or {@link SourcePoller#NO_INDEX} when the queue is empty.
     */
    public long lastIndex()
    {
        final long lastIndex = queue.lastIndex();
        return lastIndex < 0 ? SourcePoller.NO_INDEX : lastIndex;
    }

    /**
     * Excerpts appended after a checkpoint.
     *
     * @param committedIndex the checkpoint, or {@link SourcePoller#NO_INDEX} for none.
     * @return how many excerpts follow it.
     */
    public long excerptsAfter(final long committedIndex)
    {
        final long lastIndex = lastIndex();
        if (SourcePoller.NO_INDEX == lastIndex || committedIndex >= lastIndex)
        {
            return 0;
        }
        if (SourcePoller.NO_INDEX == committedIndex)
        {
            return queue.countExcerpts(queue.firstIndex(), lastIndex) + 1;
        }
        // [committed, last) holds as many excerpts as (committed, last].
        return queue.countExcerpts(committedIndex, lastIndex);
    }

    /**
     * When the first excerpt after a checkpoint was appended, by the writer's clock.
     *
     * @param committedIndex the checkpoint, or {@link SourcePoller#NO_INDEX} for none.
     * @return nanoseconds since the epoch, or -1 if nothing follows the checkpoint.
     */
    public long appendTimeNsAfter(final long committedIndex)
    {
        if (SourcePoller.NO_INDEX == committedIndex)
        {
            tailer.toStart();
        }
        else if (!tailer.moveToIndex(committedIndex))
        {
            return -1;
        }
        else
        {
            try (DocumentContext context = tailer.readingDocument())
            {
                if (!context.isPresent())
                {
                    return -1;
                }
            }
        }

        try (DocumentContext context = tailer.readingDocument())
        {
            if (!context.isPresent())
            {
                return -1;
            }
            final Bytes<?> bytes = context.wire().bytes();
            if (bytes.readRemaining() < APPEND_TIME_OFFSET + 8)
            {
                return -1;
            }
            final long position = bytes.readPosition() + APPEND_TIME_OFFSET;
            final long value = bytes.readLong(position);
            return ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? value : Long.reverseBytes(value);
        }
    }

    public void close()
    {
        tailer.close();
        queue.close();
    }
}
