package io.tradestate.reader.state;

import io.tradestate.codecs.MessageHeaderDecoder;
import io.tradestate.codecs.event.JournalEventReader;
import io.tradestate.reader.journal.JournalDamage;
import io.tradestate.reader.journal.SourceParking;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * Tails one source's queue for the state publisher, from the first excerpt or from a snapshot's mark, independently
 * of the database: reads each excerpt in place, checks it as the drain does, and applies the good ones to the maps.
 * The queue is opened read-only, so the publisher never takes a lock a strategy's appender waits on.
 */
final class StateSourceTailer implements AutoCloseable
{
    private final String sourceId;
    private final Path directory;
    private final SingleChronicleQueue queue;
    private ExcerptTailer tailer;
    private final UnsafeBuffer buffer = new UnsafeBuffer(0, 0);
    private boolean reachedEnd;
    private long lastIndex = -1;

    StateSourceTailer(final String sourceId, final Path queueDirectory)
    {
        this.sourceId = sourceId;
        this.directory = queueDirectory;
        this.queue = SingleChronicleQueueBuilder.single(queueDirectory.toFile()).readOnly(true).build();
        this.tailer = queue.createTailer();
    }

    String sourceId()
    {
        return sourceId;
    }

    /**
     * The source's queue folder.
     */
    Path directory()
    {
        return directory;
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
        queue.refreshDirectoryListing(); // retention may have deleted the first cycles
        tailer.toStart();
        reachedEnd = false;
        lastIndex = -1;
    }

    /**
     * After reading threw (see {@link SourceParking}): a new tailer, placed after the last excerpt applied.
     *
     * @throws IllegalStateException if that excerpt cannot be found again.
     */
    void reopen()
    {
        tailer.close();
        tailer = queue.createTailer();
        queue.refreshDirectoryListing();
        if (lastIndex < 0)
        {
            return;
        }
        if (tailer.moveToIndex(lastIndex))
        {
            try (DocumentContext context = tailer.readingDocument())
            {
                if (context.isPresent() && context.index() == lastIndex)
                {
                    return;
                }
            }
        }
        throw new IllegalStateException("source " + sourceId + ": excerpt 0x" + Long.toHexString(lastIndex) +
            " cannot be read again");
    }

    /**
     * Read from the excerpt after a snapshot's mark, for a new generation seeded from that snapshot.
     *
     * @param mark where the snapshot left this journal.
     * @return false if this journal has no such excerpt, or another one there (the journal was replaced): the
     * snapshot does not belong to it, and the tailer is left at the start.
     */
    boolean resumeAfter(final StateSnapshot.SourceMark mark)
    {
        queue.refreshDirectoryListing();
        if (tailer.moveToIndex(mark.lastIndex()))
        {
            try (DocumentContext context = tailer.readingDocument())
            {
                if (context.isPresent() && context.index() == mark.lastIndex() &&
                    checksum(context.wire().bytes()) == mark.excerptChecksum())
                {
                    reachedEnd = false;
                    lastIndex = mark.lastIndex();
                    return true;
                }
            }
        }
        restart();
        return false;
    }

    /**
     * Where this journal stands for a snapshot: the last excerpt applied and its checksum.
     *
     * @return the mark, or null if nothing has been read since the last restart.
     * @throws IllegalStateException if that excerpt cannot be read again.
     */
    StateSnapshot.SourceMark mark()
    {
        if (lastIndex < 0)
        {
            return null;
        }
        // A tailer of its own, closed after: one kept open would pin the mapping of a cycle retention deletes later.
        try (ExcerptTailer lookupTailer = queue.createTailer())
        {
            if (lookupTailer.moveToIndex(lastIndex))
            {
                try (DocumentContext context = lookupTailer.readingDocument())
                {
                    if (context.isPresent() && context.index() == lastIndex)
                    {
                        return new StateSnapshot.SourceMark(lastIndex, checksum(context.wire().bytes()));
                    }
                }
            }
        }
        throw new IllegalStateException("source " + sourceId + ": excerpt " + Long.toHexString(lastIndex) +
            " cannot be read again");
    }

    private static int checksum(final Bytes<?> bytes)
    {
        final CRC32C crc = new CRC32C();
        final long start = bytes.readPosition();
        for (long position = start, end = bytes.readLimit(); position < end; position++)
        {
            crc.update(bytes.readByte(position));
        }
        return (int)crc.getValue();
    }

    /**
     * Apply up to {@code limit} excerpts, recording for each the time from its append to its being visible in the
     * maps when a {@code visibleLatency} is given (not while a generation is being replayed).
     *
     * @return the number read, or -1 if the maps could not be written (a lock could not be taken): the excerpt that
     * failed will be read again after a {@link #restart()}.
     */
    int poll(
        final JournalEventReader checker,
        final StateMapWriter writer,
        final int limit,
        final long nowNs,
        final EpochNanoClock clock,
        final StateVisibleLatency visibleLatency)
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
                final long index = context.index();
                JournalDamage.checkLength(sourceId, index, bytes.readRemaining());
                final int length = (int)bytes.readRemaining();
                buffer.wrap(bytes.addressForRead(bytes.readPosition()), length);
                final String failure = checker.check(buffer, 0, length);
                // A bad excerpt is the drain's to dead-letter; the maps skip it.
                if (null == failure && !writer.apply(sourceId, index, buffer, 0, length, nowNs))
                {
                    context.rollbackOnClose();
                    return -1;
                }
                if (null != visibleLatency && null == failure)
                {
                    visibleLatency.record(buffer.getLong(MessageHeaderDecoder.ENCODED_LENGTH, ByteOrder.LITTLE_ENDIAN),
                        clock.nanoTime());
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
