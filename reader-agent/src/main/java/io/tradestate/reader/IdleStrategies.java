package io.tradestate.reader;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

import java.util.concurrent.TimeUnit;

/**
 * The idle strategies an agent can be configured with, by name.
 */
final class IdleStrategies
{
    private IdleStrategies()
    {
    }

    /**
     * The longest park of {@code backoff}, unless a caller gives its own.
     */
    static final long DEFAULT_MAX_PARK_US = 1_000;

    static IdleStrategy parse(final String name, final String key)
    {
        return parse(name, key, DEFAULT_MAX_PARK_US);
    }

    /**
     * The idle strategy of this name.
     *
     * @param name      backoff, sleep, yield or busy-spin.
     * @param key       the setting that named it, for the error message.
     * @param maxParkUs the longest park of {@code backoff}: 10 spins, 20 yields, then parks from 1 us doubling up to
     *                  this.
     * @return a new instance.
     */
    static IdleStrategy parse(final String name, final String key, final long maxParkUs)
    {
        switch (name)
        {
            case "backoff":
                return new BackoffIdleStrategy(
                    10, 20, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MICROSECONDS.toNanos(maxParkUs));
            case "sleep":
                return new SleepingMillisIdleStrategy(1);
            case "yield":
                return new YieldingIdleStrategy();
            case "busy-spin":
                return new BusySpinIdleStrategy();
            default:
                throw new IllegalArgumentException(
                    key + " must be one of backoff, sleep, yield, busy-spin, was: '" + name + "'");
        }
    }
}
