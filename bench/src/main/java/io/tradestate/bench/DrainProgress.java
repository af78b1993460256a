package io.tradestate.bench;

import java.util.concurrent.TimeUnit;

/**
 * The progress of one variant of {@link DrainThroughputHarness}: events stored against time from the variant's
 * start, reduced to the two rates the report gives. The overall rate counts from the start; the steady rate from the
 * first progress report one second or more after it, so that it leaves out the cold start (connections, JIT, the
 * first batch).
 */
final class DrainProgress
{
    private static final long FIRST_SECOND_NS = TimeUnit.SECONDS.toNanos(1);

    private final long startNs;
    private long firstSecondNs = -1;
    private long eventsAtFirstSecond;
    private long firstEventsNs = -1;
    private long endNs;
    private long events;

    /**
     * Start measuring.
     *
     * @param startNs {@link System#nanoTime()} at the start.
     */
    DrainProgress(final long startNs)
    {
        this.startNs = startNs;
        this.endNs = startNs;
    }

    /**
     * Events stored so far.
     *
     * @param nowNs  {@link System#nanoTime()} when they were seen stored.
     * @param events stored since the start.
     * @return true the first time the report comes one second or more after the start.
     */
    boolean onProgress(final long nowNs, final long events)
    {
        if (events > 0 && firstEventsNs < 0)
        {
            firstEventsNs = nowNs;
        }
        this.events = events;
        endNs = nowNs;
        if (firstSecondNs < 0 && nowNs - startNs >= FIRST_SECOND_NS)
        {
            firstSecondNs = nowNs;
            eventsAtFirstSecond = events;
            return true;
        }
        return false;
    }

    long events()
    {
        return events;
    }

    long elapsedNs()
    {
        return endNs - startNs;
    }

    /**
     * Time from the start to the first events stored.
     *
     * @return nanoseconds, or -1 if none were.
     */
    long firstEventsNs()
    {
        return firstEventsNs < 0 ? -1 : firstEventsNs - startNs;
    }

    /**
     * Every event over the time from the start to the last.
     *
     * @return events per second.
     */
    double eventsPerSecond()
    {
        return endNs == startNs ? Double.NaN : events * 1e9 / (endNs - startNs);
    }

    /**
     * The events after the first second over the time after it.
     *
     * @return events per second, NaN when the variant ended within about a second.
     */
    double steadyEventsPerSecond()
    {
        return firstSecondNs < 0 || endNs == firstSecondNs ? Double.NaN :
            (events - eventsAtFirstSecond) * 1e9 / (endNs - firstSecondNs);
    }

    /**
     * Events stored by the end of the first second.
     *
     * @return the count, or -1 when the variant ended sooner.
     */
    long eventsAtFirstSecond()
    {
        return firstSecondNs < 0 ? -1 : eventsAtFirstSecond;
    }
}
