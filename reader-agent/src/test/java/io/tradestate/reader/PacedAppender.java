package io.tradestate.reader;

import io.tradestate.writer.JournalEvent;
import io.tradestate.writer.TradeJournal;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A strategy thread in the test JVM: appends {@link MixedEvents} of one stream at a steady rate until stopped,
 * timing each {@link JournalEvent#commit()} with {@link System#nanoTime()} into the samples of the test's current
 * phase, and keeping the queue index of every sequence.
 * <p>
 * Only the commit is timed: filling the event is the caller's own code. The schedule is absolute (event {@code i} is
 * due {@code i / rate} after the start), so a slow append is caught up afterwards rather than lowering the rate.
 */
final class PacedAppender implements Runnable
{
    private final TradeJournal journal;
    private final int stream;
    private final long periodNs;
    private final long[] indexes;
    private final MixedEvents events = new MixedEvents();
    private volatile LatencySamples samples;
    private volatile boolean running = true;
    private volatile Throwable failure;
    private int appended;

    /**
     * An appender, not started.
     *
     * @param journal      to append to.
     * @param stream       the {@link MixedEvents} stream.
     * @param ratePerS     events per second.
     * @param maxEvents    most events appended; it stops by itself after.
     * @param firstSamples samples of the first phase.
     */
    PacedAppender(
        final TradeJournal journal, final int stream, final int ratePerS, final int maxEvents,
        final LatencySamples firstSamples)
    {
        this.journal = journal;
        this.stream = stream;
        this.periodNs = TimeUnit.SECONDS.toNanos(1) / ratePerS;
        this.indexes = new long[maxEvents];
        this.samples = firstSamples;
    }

    /**
     * Record the following appends into other samples: the test moves to its next phase.
     *
     * @param samples of the new phase.
     */
    void phase(final LatencySamples samples)
    {
        this.samples = samples;
    }

    /**
     * Stop after the current append.
     */
    void stop()
    {
        running = false;
    }

    /**
     * What made the thread end early, if anything.
     *
     * @return the failure, or null.
     */
    Throwable failure()
    {
        return failure;
    }

    /**
     * The queue index of each event appended; read after the thread has been joined.
     *
     * @return one index per sequence.
     */
    long[] indexes()
    {
        return Arrays.copyOf(indexes, appended);
    }

    public void run()
    {
        try
        {
            final long startNs = System.nanoTime();
            for (int sequence = 0; running && sequence < indexes.length; sequence++)
            {
                final long dueNs = startNs + sequence * periodNs;
                long nowNs;
                while (dueNs - (nowNs = System.nanoTime()) > 0)
                {
                    LockSupport.parkNanos(dueNs - nowNs);
                }

                final JournalEvent event = events.prepare(journal, stream, sequence);
                final long beforeNs = System.nanoTime();
                final long index = event.commit();
                final long latencyNs = System.nanoTime() - beforeNs;
                samples.record(latencyNs);
                indexes[sequence] = index;
                appended = sequence + 1;
            }
        }
        catch (final RuntimeException | Error ex)
        {
            failure = ex;
        }
    }
}
