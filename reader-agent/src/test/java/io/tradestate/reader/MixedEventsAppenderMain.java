package io.tradestate.reader;

import io.tradestate.writer.JournalContext;
import io.tradestate.writer.TradeJournal;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A strategy process for the drain tests: appends {@code events} {@link MixedEvents} of one stream to its own source,
 * spread over {@code durationMs} at a steady rate with bursts, then closes the journal and exits 0.
 * <p>
 * Pacing: event {@code i} is due {@code i * durationMs / events} after the first; from time to time (seeded) a burst
 * appends the next few hundred to few thousand events at once, ahead of schedule, and the writer then waits for the
 * schedule to catch up. The reader thus sees both a trickle and sudden backlogs, as from a strategy that reacts to a
 * market move.
 * <p>
 * The queue index each {@code commit()} returned is published in an index file the test created
 * ({@link #indexFileLength(int)} bytes, zero-filled): the index of sequence {@code s} at {@link #indexOffset(long)},
 * then, with an ordered store, the count of committed events at {@link #COMMITTED_OFFSET}, so the test can watch
 * progress and, after the exit, map every queue index to its sequence.
 * <p>
 * Arguments: journal root, source id, stream, events, duration in ms, seed, index file. It stops early if its parent
 * has gone, so that a failed test leaves nothing running.
 */
final class MixedEventsAppenderMain
{
    /**
     * Offset of the count of committed events, a long written with an ordered store after the index.
     */
    static final int COMMITTED_OFFSET = 0;

    private static final int HEADER_LENGTH = 8;
    private static final long HEARTBEAT_INTERVAL_MS = 100;
    private static final long MIN_BURST_GAP_MS = 500;
    private static final int MAX_BURST_GAP_MS = 3_000;
    private static final int MIN_BURST_EVENTS = 200;
    private static final int MAX_BURST_EVENTS = 3_000;
    private static final long PARENT_CHECK_MASK = 0x3FF;

    private MixedEventsAppenderMain()
    {
    }

    /**
     * Length of the index file for a number of events.
     *
     * @param events to be appended.
     * @return bytes.
     */
    static int indexFileLength(final int events)
    {
        return HEADER_LENGTH + events * Long.BYTES;
    }

    /**
     * Where the queue index of an event is published.
     *
     * @param sequence of the event.
     * @return the offset in the index file.
     */
    static int indexOffset(final long sequence)
    {
        return HEADER_LENGTH + (int)sequence * Long.BYTES;
    }

    public static void main(final String[] args) throws IOException
    {
        final Path journalRoot = Path.of(args[0]);
        final String sourceId = args[1];
        final int stream = Integer.parseInt(args[2]);
        final int events = Integer.parseInt(args[3]);
        final long durationNs = TimeUnit.MILLISECONDS.toNanos(Long.parseLong(args[4]));
        final Random random = new Random(Long.parseLong(args[5]));
        final Path indexFile = Path.of(args[6]);

        final MappedByteBuffer mapped;
        try (FileChannel channel = FileChannel.open(indexFile, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            mapped = channel.map(FileChannel.MapMode.READ_WRITE, 0, indexFileLength(events));
        }
        final UnsafeBuffer indexes = new UnsafeBuffer(mapped);
        final MixedEvents mixedEvents = new MixedEvents();
        final ProcessHandle parent = ProcessHandle.current().parent().orElse(null);

        try (TradeJournal journal = TradeJournal.open(new JournalContext()
            .journalRoot(journalRoot)
            .sourceId(sourceId)
            .heartbeatIntervalMs(HEARTBEAT_INTERVAL_MS)))
        {
            final long startNs = System.nanoTime();
            long nextBurstNs = startNs + burstGapNs(random);
            int burstLeft = 0;
            for (long sequence = 0; sequence < events; sequence++)
            {
                if (0 == burstLeft)
                {
                    final long dueNs = startNs + (long)((double)durationNs * sequence / events);
                    long nowNs = System.nanoTime();
                    if (nowNs - nextBurstNs >= 0)
                    {
                        burstLeft = MIN_BURST_EVENTS + random.nextInt(MAX_BURST_EVENTS - MIN_BURST_EVENTS);
                        nextBurstNs = nowNs + burstGapNs(random);
                    }
                    else
                    {
                        while (dueNs - nowNs > 0)
                        {
                            LockSupport.parkNanos(Math.min(dueNs - nowNs, TimeUnit.MILLISECONDS.toNanos(1)));
                            nowNs = System.nanoTime();
                        }
                    }
                }
                else
                {
                    burstLeft--;
                }

                final long index = mixedEvents.append(journal, stream, sequence);
                indexes.putLong(indexOffset(sequence), index);
                indexes.putLongOrdered(COMMITTED_OFFSET, sequence + 1);

                if (0 == (sequence & PARENT_CHECK_MASK) && null != parent && !parent.isAlive())
                {
                    System.err.println("parent process gone; stopping at sequence " + sequence);
                    System.exit(3);
                }
            }
        }
    }

    private static long burstGapNs(final Random random)
    {
        return TimeUnit.MILLISECONDS.toNanos(MIN_BURST_GAP_MS + random.nextInt(MAX_BURST_GAP_MS));
    }
}
