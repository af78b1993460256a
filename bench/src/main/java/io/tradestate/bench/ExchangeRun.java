package io.tradestate.bench;

import org.HdrHistogram.Histogram;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One simulated exchange of {@link ExchangeExperiment}, on a thread of its own: once the round starts, for each
 * message it waits the message's gap, handles the message (its key and receive time), and persists it through the
 * variant if the message is one the strategy persists, timing that call. Closed loop, as the question measured: the
 * next wait starts when the message is handled, so a slow persist delays every later message and shows in the total.
 * Read the results after the thread has been joined.
 */
final class ExchangeRun
{
    private static final long HIGHEST_TRACKABLE_NS = TimeUnit.SECONDS.toNanos(60);
    private static final long NANOS_PER_MILLI = 1_000_000L;

    private final int exchange;
    private final long[] gapsNs;
    private final boolean[] persisted;
    private final ExchangePersister persister;
    private final Histogram persistNs = new Histogram(HIGHEST_TRACKABLE_NS, 3);
    private long totalNs;
    private int persistedCount;
    private Throwable failure;

    /**
     * An exchange ready to run.
     *
     * @param exchange  its number, from 1.
     * @param gapsNs    the wait before each message.
     * @param persisted for each message, whether the strategy persists it.
     * @param persister the variant's persister for this thread.
     */
    ExchangeRun(final int exchange, final long[] gapsNs, final boolean[] persisted, final ExchangePersister persister)
    {
        this.exchange = exchange;
        this.gapsNs = gapsNs;
        this.persisted = persisted;
        this.persister = persister;
    }

    /**
     * The key of an exchange's message, unique across the exchanges: the exchange in the high 32 bits.
     *
     * @param exchange its number.
     * @param message  the message's number, from 0.
     * @return the key.
     */
    static long orderIndex(final int exchange, final int message)
    {
        return ((long)exchange << 32) | message;
    }

    /**
     * Wait for the start, then run every message, on the exchange's thread.
     *
     * @param startGate opened when the round starts.
     */
    void run(final CountDownLatch startGate)
    {
        try
        {
            persister.prepareThread();
            startGate.await();
            final long startNs = System.nanoTime();
            long handledNs = startNs;
            for (int i = 0; i < gapsNs.length; i++)
            {
                awaitGap(gapsNs[i]);
                final long orderIndex = orderIndex(exchange, i);
                final long receiveTimeNs = System.currentTimeMillis() * NANOS_PER_MILLI;
                if (persisted[i])
                {
                    final long beginNs = System.nanoTime();
                    persister.persist(orderIndex, receiveTimeNs);
                    handledNs = System.nanoTime();
                    persistNs.recordValue(Math.min(handledNs - beginNs, HIGHEST_TRACKABLE_NS));
                    persistedCount++;
                }
                else
                {
                    handledNs = System.nanoTime();
                }
            }
            totalNs = handledNs - startNs;
        }
        catch (final Exception ex)
        {
            failure = ex;
        }
    }

    private static void awaitGap(final long gapNs)
    {
        final long wakeNs = System.nanoTime() + gapNs;
        long remainingNs;
        while ((remainingNs = wakeNs - System.nanoTime()) > 0)
        {
            LockSupport.parkNanos(remainingNs);
        }
    }

    /**
     * Fail if the run did.
     *
     * @throws IllegalStateException with the run's exception as the cause.
     */
    void checkSucceeded()
    {
        if (null != failure)
        {
            throw new IllegalStateException("exchange " + exchange + " failed: " + failure, failure);
        }
    }

    int exchange()
    {
        return exchange;
    }

    /**
     * From the exchange's start to its last message handled.
     *
     * @return nanoseconds.
     */
    long totalNs()
    {
        return totalNs;
    }

    int messages()
    {
        return gapsNs.length;
    }

    int persistedCount()
    {
        return persistedCount;
    }

    /**
     * The time of each persist call.
     *
     * @return nanoseconds.
     */
    Histogram persistNs()
    {
        return persistNs;
    }
}
