package io.tradestate.tools;

import org.agrona.concurrent.EpochNanoClock;

/**
 * A clock the test sets, so that append times, and the lines that show them, are known in advance.
 */
final class ManualEpochNanoClock implements EpochNanoClock
{
    private volatile long nowNs;

    ManualEpochNanoClock(final long nowNs)
    {
        this.nowNs = nowNs;
    }

    void set(final long nowNs)
    {
        this.nowNs = nowNs;
    }

    public long nanoTime()
    {
        return nowNs;
    }
}
