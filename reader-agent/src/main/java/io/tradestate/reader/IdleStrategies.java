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

    static IdleStrategy parse(final String name, final String key)
    {
        switch (name)
        {
            case "backoff":
                return new BackoffIdleStrategy(
                    10, 20, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MILLISECONDS.toNanos(1));
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
