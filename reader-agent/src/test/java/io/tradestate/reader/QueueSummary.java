package io.tradestate.reader;

import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

import java.nio.file.Path;

/**
 * What a source's queue holds once its writer has finished: the number of excerpts (events, {@code SourceStarted}
 * and heartbeats alike) and the index of the last one, which is where the drain's checkpoint must end. Read with a
 * read-only tailer, as the reader agent reads.
 */
public final class QueueSummary
{
    public final long excerpts;
    public final long lastIndex;

    private QueueSummary(final long excerpts, final long lastIndex)
    {
        this.excerpts = excerpts;
        this.lastIndex = lastIndex;
    }

    /**
     * Read a queue from start to end.
     *
     * @param queueDirectory the source's queue folder.
     * @return its summary; {@code lastIndex} is -1 for an empty queue.
     */
    public static QueueSummary of(final Path queueDirectory)
    {
        long excerpts = 0;
        long lastIndex = -1;
        try (SingleChronicleQueue queue = SingleChronicleQueueBuilder.single(queueDirectory.toFile())
            .readOnly(true).build();
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
                    excerpts++;
                    lastIndex = context.index();
                }
            }
        }
        return new QueueSummary(excerpts, lastIndex);
    }

    public String toString()
    {
        return excerpts + " excerpts, last index 0x" + Long.toHexString(lastIndex);
    }
}
