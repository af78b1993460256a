package io.tradestate.writer;

import io.tradestate.codecs.MessageHeaderDecoder;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a journal's excerpts back for tests, in a queue instance of its own (read-only), as the reader agent will.
 */
final class JournalExcerpts
{
    private JournalExcerpts()
    {
    }

    static List<Excerpt> readAll(final Path queueDirectory)
    {
        try (Reader reader = new Reader(queueDirectory))
        {
            return reader.readFrom(reader.firstIndex());
        }
    }

    /**
     * A read-only queue instance and one tailer, kept open to read a journal that is still being written.
     */
    static final class Reader implements AutoCloseable
    {
        private final SingleChronicleQueue queue;
        private final ExcerptTailer tailer;

        Reader(final Path queueDirectory)
        {
            queue = SingleChronicleQueueBuilder.single(queueDirectory.toFile()).readOnly(true).build();
            tailer = queue.createTailer();
        }

        long firstIndex()
        {
            return queue.firstIndex();
        }

        /**
         * Every excerpt from {@code index} to the end of the queue, or none when the queue is empty.
         */
        List<Excerpt> readFrom(final long index)
        {
            final List<Excerpt> excerpts = new ArrayList<>();
            if (Long.MAX_VALUE == index || !tailer.moveToIndex(index))
            {
                return excerpts;
            }

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
                    excerpts.add(new Excerpt(context.index(), copy));
                }
            }

            return excerpts;
        }

        public void close()
        {
            tailer.close();
            queue.close();
        }
    }

    static final class Excerpt
    {
        final long index;
        final byte[] bytes;
        final UnsafeBuffer buffer;
        final MessageHeaderDecoder header = new MessageHeaderDecoder();

        Excerpt(final long index, final byte[] bytes)
        {
            this.index = index;
            this.bytes = bytes;
            this.buffer = new UnsafeBuffer(bytes);
            header.wrap(buffer, 0);
        }

        int templateId()
        {
            return header.templateId();
        }
    }
}
