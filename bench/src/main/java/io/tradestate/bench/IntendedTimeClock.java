package io.tradestate.bench;

import org.agrona.concurrent.EpochNanoClock;

import java.time.Instant;

/**
 * The journal's {@code appendTimeNs} clock for an open-loop run: on the appending thread it returns the intended send
 * time of the event being appended, so that every stage downstream (a tailer, the state maps, PostgreSQL) measures
 * its latency from when the event was due, not from when a late append got round to it; on any other thread (the
 * journal's heartbeats) it returns the time now.
 * <p>
 * Both are {@link System#nanoTime()} plus one offset to the epoch, measured once ({@link #measureEpochOffsetNs()}).
 * On Linux {@code nanoTime} reads {@code CLOCK_MONOTONIC}, which every process on the host shares, so another JVM
 * given the same offset converts its own {@code nanoTime} to exactly the same epoch time line.
 */
final class IntendedTimeClock implements EpochNanoClock
{
    private static final int CALIBRATION_SAMPLES = 2_000;

    private final long epochOffsetNs;
    private volatile Thread appendingThread;
    private long intendedEpochNs;
    private boolean intended;

    /**
     * A clock on the given time line.
     *
     * @param epochOffsetNs epoch nanoseconds minus {@link System#nanoTime()}.
     */
    IntendedTimeClock(final long epochOffsetNs)
    {
        this.epochOffsetNs = epochOffsetNs;
    }

    /**
     * The offset from {@link System#nanoTime()} to the wall clock, from the tightest of many samples of the wall
     * clock bracketed by two readings of {@code nanoTime}: good to a fraction of a microsecond.
     *
     * @return epoch nanoseconds minus {@code nanoTime}.
     */
    static long measureEpochOffsetNs()
    {
        long bestWindowNs = Long.MAX_VALUE;
        long bestOffsetNs = 0;
        for (int i = 0; i < CALIBRATION_SAMPLES; i++)
        {
            final long beforeNs = System.nanoTime();
            final Instant now = Instant.now();
            final long afterNs = System.nanoTime();
            if (afterNs - beforeNs < bestWindowNs)
            {
                bestWindowNs = afterNs - beforeNs;
                bestOffsetNs = now.getEpochSecond() * 1_000_000_000L + now.getNano() - (beforeNs + afterNs) / 2;
            }
        }

        return bestOffsetNs;
    }

    /**
     * The thread whose appends carry intended times.
     *
     * @param thread the appending thread.
     */
    void appendingThread(final Thread thread)
    {
        appendingThread = thread;
    }

    /**
     * The next appends of the appending thread are stamped with this time, until {@link #clearIntended()}.
     *
     * @param intendedNanoTime intended send time, by {@link System#nanoTime()}.
     */
    void intended(final long intendedNanoTime)
    {
        intendedEpochNs = intendedNanoTime + epochOffsetNs;
        intended = true;
    }

    /**
     * Stamp the appending thread's appends with the time now again.
     */
    void clearIntended()
    {
        intended = false;
    }

    /**
     * Epoch nanoseconds minus {@link System#nanoTime()}.
     *
     * @return the offset.
     */
    long epochOffsetNs()
    {
        return epochOffsetNs;
    }

    /**
     * {@inheritDoc}
     */
    public long nanoTime()
    {
        if (intended && Thread.currentThread() == appendingThread)
        {
            return intendedEpochNs;
        }

        return System.nanoTime() + epochOffsetNs;
    }
}
