package io.tradestate.tools;

import io.tradestate.codecs.MessageHeaderDecoder;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.ByteOrder;

/**
 * Reads a journal's excerpts in place from the queue's mapped memory, decodes and filters them, and writes one JSON
 * line per entry printed.
 * <p>
 * Design: {@link #doWork()} reads a bounded batch and returns how many excerpts it read, so the caller decides
 * whether to stop at the end of the queue or to idle and poll again ({@code --follow}). An excerpt whose bytes
 * cannot be decoded, whatever they are, becomes an {@code undecodable} line: a bad entry never stops the dump. The
 * tailer is positioned once, at {@code --from-index} if that index exists, else at the start, entries before the
 * bound being skipped; the agent is done once it reads past {@code --to-index} or has printed {@code --limit}
 * lines.
 */
final class JournalDumpAgent implements Agent
{
    static final int BATCH = 256;
    private static final int APPEND_TIME_OFFSET = MessageHeaderDecoder.ENCODED_LENGTH;

    private final ExcerptTailer tailer;
    private final Writer out;
    private final UnsafeBuffer buffer = new UnsafeBuffer(0, 0);
    private final JsonEventWriter json = new JsonEventWriter();
    private final JournalEventDecoder decoder = new JournalEventDecoder(json);
    private final DumpFilter filter;
    private final long fromIndex;
    private final long toIndex;
    private final long limit;
    private long printed;
    private boolean done;

    JournalDumpAgent(final ExcerptTailer tailer, final DumpOptions options, final Writer out)
    {
        this.tailer = tailer;
        this.out = out;
        this.filter = new DumpFilter(options);
        this.fromIndex = options.fromIndex();
        this.toIndex = options.toIndex();
        this.limit = options.limit();
        if (0 == fromIndex || !tailer.moveToIndex(fromIndex))
        {
            tailer.toStart();
        }
    }

    /**
     * Read up to {@link #BATCH} excerpts and print those that pass the filters.
     *
     * @return the number of excerpts read, 0 at the end of the queue or once done.
     * @throws UncheckedIOException if the output cannot be written.
     */
    public int doWork()
    {
        int read = 0;
        while (read < BATCH && !done)
        {
            try (DocumentContext context = tailer.readingDocument())
            {
                if (!context.isPresent())
                {
                    break;
                }

                read++;
                final long index = context.index();
                if (index > toIndex)
                {
                    done = true;
                    break;
                }
                if (index < fromIndex)
                {
                    continue;
                }

                final Bytes<?> bytes = context.wire().bytes();
                final int length = (int)bytes.readRemaining();
                buffer.wrap(bytes.addressForRead(bytes.readPosition()), length);
                onExcerpt(index, length);
            }
        }

        return read;
    }

    public String roleName()
    {
        return "journal-dump";
    }

    /**
     * Whether the dump has read past {@code --to-index} or printed {@code --limit} lines.
     *
     * @return true once nothing more will be printed.
     */
    boolean isDone()
    {
        return done;
    }

    /**
     * Lines printed so far.
     *
     * @return the count.
     */
    long printed()
    {
        return printed;
    }

    private void onExcerpt(final long index, final int length)
    {
        String failure;
        try
        {
            failure = decoder.decode(index, buffer, 0, length);
        }
        catch (final RuntimeException ex)
        {
            // The decoder checks every bound before it reads; this is the last guard, so that no entry, whatever
            // its bytes, stops the dump.
            decoder.abort();
            failure = "cannot be decoded: " + ex;
        }

        long appendTimeNs = decoder.appendTimeNs();
        if (null != failure)
        {
            appendTimeNs = length >= APPEND_TIME_OFFSET + Long.BYTES ?
                buffer.getLong(APPEND_TIME_OFFSET, ByteOrder.LITTLE_ENDIAN) : Long.MIN_VALUE;
        }
        if (!filter.matches(decoder, appendTimeNs))
        {
            return;
        }

        if (null != failure)
        {
            json.begin()
                .number("index", index)
                .string("indexHex", "0x" + Long.toHexString(index))
                .string("type", JournalEventDecoder.UNDECODABLE)
                .string("reason", failure)
                .number("length", length)
                .hex("bytesHex", buffer, 0, length)
                .end();
        }

        try
        {
            out.append(json.line()).append('\n');
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }

        if (++printed >= limit)
        {
            done = true;
        }
    }
}
