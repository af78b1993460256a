package io.tradestate.reader.drain;

import io.tradestate.codecs.MessageHeaderDecoder;
import io.tradestate.reader.journal.JournalDamage;
import io.tradestate.reader.journal.SourceParking;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.UUID;

/**
 * Tails one source's queue for the database: reads excerpts in place from the mapped file into the batch being
 * filled and keeps the index of the last excerpt the database has committed.
 * <p>
 * The queue is opened read-only, so the agent never takes a lock the strategy's appender might wait on. Position is
 * owned by the database: at start the poller resumes right after the source's checkpoint, and when a batch fails it
 * rewinds to the checkpoint, so the events of a failed batch (and of the batch read after it) are read again and
 * nothing is skipped or doubled. Reading can run one batch ahead of the checkpoint: each batch's range of this source
 * is its {@link BatchSource}.
 * <p>
 * Used by the drain's thread, but for {@link #excerptBytes}, which the {@link BatchCommitter}'s thread calls with a
 * tailer of its own.
 */
public final class SourcePoller implements AutoCloseable
{
    public static final long NO_INDEX = -1;
    private static final int APPEND_TIME_OFFSET = MessageHeaderDecoder.ENCODED_LENGTH;

    private final String sourceId;
    private final UUID journalId;
    private final SingleChronicleQueue queue;
    private final Path directory;
    private ExcerptTailer tailer;
    private final UnsafeBuffer buffer = new UnsafeBuffer(0, 0);
    private BatchSource filling;
    private long committedIndex;
    private long readIndex;
    private long eventsRead;

    /**
     * @param sourceId       the source, named after its folder.
     * @param queueDirectory its queue folder.
     * @param committedIndex the checkpoint to resume after, {@link #NO_INDEX} for the start of the queue.
     * @param journalId      the journal's identity ({@code journal.id}), recorded with its checkpoint; null if none.
     */
    SourcePoller(final String sourceId, final Path queueDirectory, final long committedIndex, final UUID journalId)
    {
        this.sourceId = sourceId;
        this.journalId = journalId;
        this.directory = queueDirectory;
        this.committedIndex = committedIndex;
        this.queue = SingleChronicleQueueBuilder.single(queueDirectory.toFile()).readOnly(true).build();
        try
        {
            this.tailer = queue.createTailer();
            rewind();
        }
        catch (final RuntimeException | Error ex)
        {
            // The caller never gets this poller to close, and tries again at each discovery: close the queue here.
            queue.close();
            throw ex;
        }
    }

    String sourceId()
    {
        return sourceId;
    }

    /**
     * The identity of the journal in the folder, which its checkpoint is recorded for.
     *
     * @return the id, or null if the journal has none.
     */
    UUID journalId()
    {
        return journalId;
    }

    /**
     * The source's queue folder.
     */
    Path directory()
    {
        return directory;
    }

    /**
     * The queue's roll cycle, as its metadata says.
     */
    RollCycle rollCycle()
    {
        return queue.rollCycle();
    }

    /**
     * The queue's epoch, in milliseconds: cycle 0 starts there.
     */
    long epoch()
    {
        return queue.epoch();
    }

    /**
     * Rescan the queue folder after cycle files were deleted.
     */
    void refreshDirectoryListing()
    {
        queue.refreshDirectoryListing();
    }

    long committedIndex()
    {
        return committedIndex;
    }

    /**
     * Whether events after the checkpoint have been read: they are in a batch being filled or committed.
     *
     * @return true until the batches holding them are committed, or the poller is rewound.
     */
    boolean hasUncommittedEvents()
    {
        return readIndex != committedIndex;
    }

    long eventsRead()
    {
        return eventsRead;
    }

    /**
     * Read up to {@code limit} excerpts into the batch, stopping early once it holds {@code maxBytes}.
     *
     * @return the number of excerpts read.
     */
    int poll(final DrainBatch batch, final int limit, final long maxBytes, final long nowMs)
    {
        int read = 0;
        while (read < limit && batch.bytes() < maxBytes)
        {
            try (DocumentContext context = tailer.readingDocument())
            {
                if (!context.isPresent())
                {
                    break;
                }

                final Bytes<?> bytes = context.wire().bytes();
                final long index = context.index();
                JournalDamage.checkLength(sourceId, index, bytes.readRemaining());
                final int length = (int)bytes.readRemaining();
                buffer.wrap(bytes.addressForRead(bytes.readPosition()), length);
                final long appendTimeNs = length >= APPEND_TIME_OFFSET + 8 ?
                    buffer.getLong(APPEND_TIME_OFFSET, ByteOrder.LITTLE_ENDIAN) : 0;

                if (null == filling || !filling.isOpenFor(this, batch))
                {
                    filling = batch.open(this, readIndex);
                }
                readIndex = index;
                eventsRead++;
                read++;
                batch.add(filling, index, buffer, length, appendTimeNs, nowMs);
            }
        }

        return read;
    }

    /**
     * A batch holding this source's events was committed.
     *
     * @param lastIndex the source's last index in that batch, now its checkpoint.
     */
    void onCommitted(final long lastIndex)
    {
        committedIndex = lastIndex;
    }

    /**
     * A batch failed: read the events after the committed checkpoint again, for a new batch.
     */
    void rewind()
    {
        filling = null;
        readIndex = committedIndex;
        moveAfter(committedIndex, "checkpoint");
    }

    /**
     * After reading threw (see {@link SourceParking}): a new tailer, placed after the last excerpt read, so that the
     * events already in a batch are not read twice.
     *
     * @throws IllegalStateException if that excerpt cannot be found again.
     */
    void reopen()
    {
        tailer.close();
        tailer = queue.createTailer();
        queue.refreshDirectoryListing();
        moveAfter(readIndex, "last read");
    }

    private void moveAfter(final long index, final String what)
    {
        if (NO_INDEX == index)
        {
            tailer.toStart();
        }
        else if (tailer.moveToIndex(index))
        {
            try (DocumentContext context = tailer.readingDocument())
            {
                if (!context.isPresent())
                {
                    throw new IllegalStateException(
                        "source " + sourceId + ": " + what + " index 0x" + Long.toHexString(index) +
                        " cannot be read back");
                }
            }
        }
        else
        {
            throw new IllegalStateException("source " + sourceId + ": " + what + " index 0x" +
                Long.toHexString(index) + " is not in the queue (cycle files deleted or replaced?)");
        }
    }

    /**
     * Resume right after another committed index: the one the database holds after a batch whose commit failed
     * but was applied all the same.
     */
    void resumeAfter(final long committedIndex)
    {
        this.committedIndex = committedIndex;
        rewind();
    }

    /**
     * A copy of one excerpt's bytes, for the dead letter of an event PostgreSQL rejected. Read with a tailer of its
     * own, closed after, so the drain's position is untouched and no cycle file stays mapped for it (retention may
     * delete that cycle later: a tailer kept open would pin its mapping and its disk space).
     *
     * @param index of an excerpt of this queue.
     * @return its bytes.
     * @throws IllegalStateException if the excerpt cannot be read.
     */
    byte[] excerptBytes(final long index)
    {
        try (ExcerptTailer lookupTailer = queue.createTailer())
        {
            if (lookupTailer.moveToIndex(index))
            {
                try (DocumentContext context = lookupTailer.readingDocument())
                {
                    if (context.isPresent() && context.index() == index)
                    {
                        final Bytes<?> bytes = context.wire().bytes();
                        final byte[] copy = new byte[(int)bytes.readRemaining()];
                        new UnsafeBuffer(bytes.addressForRead(bytes.readPosition()), copy.length).getBytes(0, copy);
                        return copy;
                    }
                }
            }
        }
        throw new IllegalStateException(
            "source " + sourceId + ": excerpt 0x" + Long.toHexString(index) + " cannot be read back");
    }

    public void close()
    {
        tailer.close();
        queue.close();
    }
}
