package io.tradestate.bench;

import io.tradestate.bench.report.MachineInfo;
import org.HdrHistogram.Histogram;

import java.util.Arrays;
import java.util.concurrent.CountDownLatch;

/**
 * One variant's round of {@link ExchangeExperiment}: a fresh thread per exchange, all started at once, joined; then
 * the variant drained (the hand-off's insert thread), and what it stored counted.
 */
final class ExchangeRound
{
    private final String variant;
    private final String description;
    private final ExchangeRun[] runs;
    private final Histogram persistNs;
    private final long allStoredNs;
    private final long stored;
    private final String loadAverage;

    private ExchangeRound(
        final ExchangeVariant variant, final ExchangeRun[] runs, final long allStoredNs, final long stored)
    {
        this.variant = variant.name();
        this.description = variant.description();
        this.runs = runs;
        this.allStoredNs = allStoredNs;
        this.stored = stored;
        this.loadAverage = MachineInfo.loadAverageNow();
        persistNs = new Histogram(runs[0].persistNs().getHighestTrackableValue(), 3);
        for (final ExchangeRun run : runs)
        {
            persistNs.add(run.persistNs());
        }
    }

    /**
     * Run a round.
     *
     * @param variant   the open variant.
     * @param gapsNs    each exchange's waits, one array per exchange.
     * @param persisted for each message number, whether the strategy persists it.
     * @return the round's results.
     * @throws Exception if an exchange, the drain or the count fails.
     */
    static ExchangeRound run(final ExchangeVariant variant, final long[][] gapsNs, final boolean[] persisted)
        throws Exception
    {
        final CountDownLatch startGate = new CountDownLatch(1);
        final ExchangeRun[] runs = new ExchangeRun[gapsNs.length];
        final Thread[] threads = new Thread[gapsNs.length];
        for (int i = 0; i < runs.length; i++)
        {
            runs[i] = new ExchangeRun(i + 1, gapsNs[i], persisted, variant.persister(i + 1));
        }
        for (int i = 0; i < runs.length; i++)
        {
            final ExchangeRun run = runs[i];
            threads[i] = new Thread(() -> run.run(startGate), "exchange-" + run.exchange());
            threads[i].start();
        }

        final long startNs = System.nanoTime();
        startGate.countDown();
        for (final Thread thread : threads)
        {
            thread.join();
        }
        for (final ExchangeRun run : runs)
        {
            run.checkSucceeded();
        }
        variant.drain();
        final long allStoredNs = System.nanoTime() - startNs;

        return new ExchangeRound(variant, runs, allStoredNs, variant.stored());
    }

    String variant()
    {
        return variant;
    }

    String description()
    {
        return description;
    }

    ExchangeRun[] runs()
    {
        return runs;
    }

    /**
     * Every exchange's persist calls.
     *
     * @return nanoseconds.
     */
    Histogram persistNs()
    {
        return persistNs;
    }

    /**
     * From the round's start until every persisted order was stored: the last exchange's end, or the hand-off's
     * insert thread drained.
     *
     * @return nanoseconds.
     */
    long allStoredNs()
    {
        return allStoredNs;
    }

    /**
     * The orders read back from where the variant stored them.
     *
     * @return how many, or {@link ExchangeVariant#NOT_STORED}.
     */
    long stored()
    {
        return stored;
    }

    long persisted()
    {
        return Arrays.stream(runs).mapToLong(ExchangeRun::persistedCount).sum();
    }

    double meanTotalNs()
    {
        return Arrays.stream(runs).mapToLong(ExchangeRun::totalNs).average().orElse(0);
    }

    /**
     * The load average when the round ended.
     *
     * @return three figures.
     */
    String loadAverage()
    {
        return loadAverage;
    }
}
