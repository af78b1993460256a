package io.tradestate.bench;

import io.tradestate.codecs.event.HistoryRowSink;
import io.tradestate.codecs.event.HistoryRowWalker;
import io.tradestate.codecs.event.HistoryTable;
import io.tradestate.codecs.event.JournalEventReader;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the journals of {@link DrainThroughputHarness} from their first excerpt, in batches made as the reader agent
 * makes them from a backlog: a batch holds up to {@code batchSize} excerpts, taken from one source after another,
 * starting each batch at the next source in turn (as {@code DrainAgent.read} does). Each excerpt goes through the
 * project's {@link JournalEventReader} and {@link HistoryRowWalker}, as the agent's do, into a {@link HistoryRowSink},
 * read in place from the queue's mapped memory; the journals are the harness's own, so a refused excerpt fails the run.
 */
final class JournalBatchReader implements AutoCloseable
{
    private final List<ChronicleQueue> queues = new ArrayList<>();
    private final List<ExcerptTailer> tailers = new ArrayList<>();
    private final List<String> sourceIds;
    private final int batchSize;
    private final JournalEventReader reader = new JournalEventReader();
    private final UnsafeBuffer buffer = new UnsafeBuffer(0, 0);
    private int nextSource;
    private long rows;
    private HistoryRowSink walkerSink;
    private HistoryRowWalker walker;

    /**
     * Open a read-only tailer on each journal.
     *
     * @param journalRoot folder of the journals.
     * @param sourceIds   the journals' folders, one per source.
     * @param batchSize   most excerpts in a batch.
     */
    JournalBatchReader(final Path journalRoot, final List<String> sourceIds, final int batchSize)
    {
        this.sourceIds = sourceIds;
        this.batchSize = batchSize;
        try
        {
            for (final String sourceId : sourceIds)
            {
                final ChronicleQueue queue = SingleChronicleQueueBuilder.single(journalRoot.resolve(sourceId).toFile())
                    .readOnly(true).build();
                queues.add(queue);
                tailers.add(queue.createTailer());
            }
        }
        catch (final RuntimeException ex)
        {
            close();
            throw ex;
        }
    }

    /**
     * Decode the next batch into the sink.
     *
     * @param sink receives the history rows.
     * @return the excerpts read, rows or not; 0 when every journal has been read to its end.
     */
    int nextBatch(final HistoryRowSink sink)
    {
        if (sink != walkerSink)
        {
            walkerSink = sink;
            walker = new HistoryRowWalker(sink);
        }
        final int count = tailers.size();
        int room = batchSize;
        for (int i = 0; i < count && room > 0; i++)
        {
            final int source = (nextSource + i) % count;
            room -= poll(source, room);
        }
        nextSource = (nextSource + 1) % count;
        return batchSize - room;
    }

    /**
     * History rows decoded so far.
     *
     * @return the count.
     */
    long rows()
    {
        return rows;
    }

    public void close()
    {
        CloseHelper.quietCloseAll(queues);
    }

    private int poll(final int source, final int limit)
    {
        final ExcerptTailer tailer = tailers.get(source);
        final String sourceId = sourceIds.get(source);
        int read = 0;
        while (read < limit)
        {
            try (DocumentContext context = tailer.readingDocument())
            {
                if (!context.isPresent())
                {
                    break;
                }
                final Bytes<?> bytes = context.wire().bytes();
                final int length = (int)bytes.readRemaining();
                buffer.wrap(bytes.addressForRead(bytes.readPosition()), length);
                final String failure = reader.check(buffer, 0, length);
                if (null != failure)
                {
                    throw new IllegalStateException(sourceId + " 0x" + Long.toHexString(context.index()) + ": " +
                        failure);
                }
                if (null != HistoryTable.of(reader.message()))
                {
                    reader.visit(context.index(), walker.sourceId(sourceId));
                    rows++;
                }
                read++;
            }
        }
        return read;
    }
}
