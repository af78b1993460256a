package io.tradestate.writer;

import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

/**
 * A strategy process for {@link JournalCrashIT} to kill: it opens the journal of a source and appends
 * {@link NumberedEvents} of one stream as fast as it can, from sequence 0, until it is killed.
 * <p>
 * After each {@link JournalEvent#commit()} returns it publishes, in a small memory-mapped counter file that the test
 * created, the queue index commit returned and then (with an ordered store) the count of committed events. The
 * kernel keeps a shared mapping's pages when the process dies, so after a {@code SIGKILL} the file says which events
 * the journal promised to keep: every sequence below the count, plus at most the one whose commit returned just
 * before the kill and which the count does not show yet.
 * <p>
 * Arguments: journal root, source id, counter file, stream. It stops by itself after {@link #MAX_EVENTS}, after
 * {@link #MAX_RUN_MS} or when its parent has gone, so that a failed test leaves nothing running.
 */
final class CrashingAppenderMain
{
    /**
     * Length of the counter file, which the test creates zero-filled.
     */
    static final int COUNTER_FILE_LENGTH = 64;

    /**
     * Offset of the count of committed events (sequences 0 to count - 1), a long written with an ordered store.
     */
    static final int COMMITTED_OFFSET = 0;

    /**
     * Heartbeats interleave the background thread's appends with the main thread's, so that a kill can also land in
     * theirs.
     */
    static final long HEARTBEAT_INTERVAL_MS = 20;

    private static final int INDEX_OFFSET = 8;
    private static final long MAX_EVENTS = 50_000_000L;
    private static final long MAX_RUN_MS = 60_000;
    private static final long CHECK_EVERY_MASK = 0xFFFF;

    private CrashingAppenderMain()
    {
    }

    /**
     * Where the queue index of the event with this sequence is published; two slots by parity, so that the index of
     * the last counted event is never overwritten before the count moves past it.
     *
     * @param sequence of the event.
     * @return the offset in the counter file.
     */
    static int indexOffset(final long sequence)
    {
        return INDEX_OFFSET + (int)(sequence & 1) * Long.BYTES;
    }

    public static void main(final String[] args) throws IOException
    {
        final Path journalRoot = Path.of(args[0]);
        final String sourceId = args[1];
        final Path counterFile = Path.of(args[2]);
        final int stream = Integer.parseInt(args[3]);

        final MappedByteBuffer mapped;
        try (FileChannel channel = FileChannel.open(counterFile, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            mapped = channel.map(FileChannel.MapMode.READ_WRITE, 0, COUNTER_FILE_LENGTH);
        }
        final UnsafeBuffer counters = new UnsafeBuffer(mapped);
        final NumberedEvents events = new NumberedEvents();
        final ProcessHandle parent = ProcessHandle.current().parent().orElse(null);
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(MAX_RUN_MS);

        try (TradeJournal journal = TradeJournal.open(new JournalContext()
            .journalRoot(journalRoot)
            .sourceId(sourceId)
            .heartbeatIntervalMs(HEARTBEAT_INTERVAL_MS)))
        {
            for (long sequence = 0; sequence < MAX_EVENTS; sequence++)
            {
                final long index = events.append(journal, stream, sequence);
                counters.putLong(indexOffset(sequence), index);
                counters.putLongOrdered(COMMITTED_OFFSET, sequence + 1);

                if (0 == (sequence & CHECK_EVERY_MASK) &&
                    (System.nanoTime() - deadlineNs > 0 || (null != parent && !parent.isAlive())))
                {
                    break;
                }
            }
        }
    }
}
