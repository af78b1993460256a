package io.tradestate.bench;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntSupplier;

/**
 * The wait of an open-loop appender until an event's intended send time: park while the gap is long (so that a slow
 * schedule leaves the core to others), spin for the last stretch (so that the wake-up does not add a scheduler's
 * jitter to the event). An event already late is not waited for: the appender catches up at once, and the latency it
 * records from the intended time charges the delay to every event it hit (no coordinated omission).
 */
final class OpenLoop
{
    private static final long PARK_ABOVE_NS = TimeUnit.MILLISECONDS.toNanos(2);
    private static final long PARK_MARGIN_NS = TimeUnit.MILLISECONDS.toNanos(1);

    private OpenLoop()
    {
    }

    /**
     * Wait until {@code intendedNs}: parking while more than 2 ms away, to within 1 ms, then spinning.
     *
     * @param intendedNs the intended send time, by {@link System#nanoTime()}.
     * @return {@link System#nanoTime()} when the wait ended: the start of the event's service time.
     */
    static long awaitIntended(final long intendedNs)
    {
        final long nowNs = System.nanoTime();
        if (intendedNs - nowNs > PARK_ABOVE_NS)
        {
            LockSupport.parkNanos(intendedNs - nowNs - PARK_MARGIN_NS);
        }

        return spinUntil(intendedNs);
    }

    /**
     * Wait until {@code intendedNs}: park until {@code spinNs} before it (again after an early wake-up), then spin.
     * With {@code idleWork}, the thread wakes every {@code idleIntervalNs} while parked and calls it first: what a
     * strategy that keeps its append path warm does between events. The spin is the same either way.
     *
     * @param intendedNs     the intended send time, by {@link System#nanoTime()}.
     * @param spinNs         how long before it the thread stops parking and spins.
     * @param idleWork       called before each park, or null for none.
     * @param idleIntervalNs the longest park between two calls of {@code idleWork}.
     * @return {@link System#nanoTime()} when the wait ended: the start of the event's service time.
     */
    static long awaitIntended(
        final long intendedNs, final long spinNs, final IntSupplier idleWork, final long idleIntervalNs)
    {
        final long parkUntilNs = intendedNs - spinNs;
        long parkNs;
        while ((parkNs = parkUntilNs - System.nanoTime()) > 0)
        {
            if (null != idleWork)
            {
                idleWork.getAsInt();
                parkNs = Math.min(idleIntervalNs, parkUntilNs - System.nanoTime());
                if (parkNs <= 0)
                {
                    break;
                }
            }
            LockSupport.parkNanos(parkNs);
        }

        return spinUntil(intendedNs);
    }

    private static long spinUntil(final long intendedNs)
    {
        long nowNs;
        while ((nowNs = System.nanoTime()) < intendedNs)
        {
            Thread.onSpinWait();
        }

        return nowNs;
    }
}
