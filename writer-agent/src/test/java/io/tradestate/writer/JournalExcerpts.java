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
        final List<Excerpt> excerpts = new ArrayList<>();
        try (SingleChronicleQueue queue = SingleChronicleQueueBuilder.single(queueDirectory.toFile())
            .readOnly(true)
            .build();
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
                    final int length = (int)bytes.readRemaining();
                    final byte[] copy = new byte[length];
                    bytes.read(copy);
                    excerpts.add(new Excerpt(context.index(), copy));
                }
            }
        }

        return excerpts;
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
