package io.tradestate.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Samples a reader agent in another JVM once a second, as a monitoring system would, and appends each
 * {@link LoadSample} to a CSV file as it goes (a run that fails keeps what it saw): a scrape of its {@code /metrics}
 * (lag per source, batches, heap, the state publisher), {@code /proc/<pid>/status} of its JVM (resident memory) and
 * the CPU time of its JVM, of its PostgreSQL and of the whole machine.
 * <p>
 * The scrape makes the agent read its checkpoints from the database and its queues' last indexes, once a second; a
 * Prometheus server scraping every 15 s asks for less. It runs on a thread of the harness's JVM, never in a
 * strategy's.
 */
final class LoadSampler implements AutoCloseable
{
    private static final long INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);
    private static final int SCRAPE_TIMEOUT_MS = 5_000;
    private static final double MB = 1024.0 * 1024.0;
    private static final double KB_PER_MB = 1024.0;
    private static final double CLOCK_TICKS_PER_SECOND = 100.0;

    private final URL metricsUrl;
    private final long agentPid;
    private final LongSupplier postmasterPid;
    private final List<String> sources;
    private final BufferedWriter csv;
    private final List<LoadSample> samples = Collections.synchronizedList(new ArrayList<>());
    private final Thread thread;
    private volatile String phase = "burst";
    private final long originNs;
    private volatile boolean running = true;
    private volatile int scrapeFailures;
    private MetricsScrape previousScrape;
    private long previousScrapeNs;
    private long previousAgentTicks = -1;
    private long previousPostgresTicks = -1;
    private long previousMachineTicks = -1;
    private long previousTicksNs;

    /**
     * Start sampling.
     *
     * @param metricsUrl    the agent's {@code /metrics}.
     * @param agentPid      its JVM.
     * @param postmasterPid its PostgreSQL's postmaster, or -1 while unknown; asked at each sample.
     * @param sources       the source ids expected, for the CSV's lag columns.
     * @param csvFile       where the samples go.
     * @throws IOException if the file cannot be created.
     */
    LoadSampler(
        final URL metricsUrl,
        final long agentPid,
        final LongSupplier postmasterPid,
        final List<String> sources,
        final Path csvFile) throws IOException
    {
        this.metricsUrl = metricsUrl;
        this.agentPid = agentPid;
        this.postmasterPid = postmasterPid;
        this.sources = List.copyOf(sources);
        this.originNs = System.nanoTime();
        csv = Files.newBufferedWriter(csvFile, StandardCharsets.UTF_8);
        csv.write(LoadSample.csvHeader(sources));
        csv.newLine();
        csv.flush();
        thread = new Thread(this::loop, "load-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * The phase written beside the next samples.
     *
     * @param phase its name.
     */
    void phase(final String phase)
    {
        this.phase = phase;
    }

    /**
     * The time the samples' elapsed seconds count from: when sampling started, just before the burst.
     *
     * @return by {@link System#nanoTime()}.
     */
    long originNs()
    {
        return originNs;
    }

    /**
     * The samples so far.
     *
     * @return a copy.
     */
    List<LoadSample> samples()
    {
        synchronized (samples)
        {
            return new ArrayList<>(samples);
        }
    }

    /**
     * The last sample whose scrape succeeded, taken after {@code afterNs}, or null.
     *
     * @param afterS elapsed seconds it must be later than.
     * @return the sample.
     */
    LoadSample latestScrapedAfter(final double afterS)
    {
        synchronized (samples)
        {
            for (int i = samples.size() - 1; i >= 0; i--)
            {
                final LoadSample sample = samples.get(i);
                if (sample.elapsedS() <= afterS)
                {
                    return null;
                }
                if (!Double.isNaN(sample.committedPerS()))
                {
                    return sample;
                }
            }
        }
        return null;
    }

    /**
     * Scrapes that failed (the agent gone, or too slow to answer within 5 s).
     *
     * @return the count.
     */
    int scrapeFailures()
    {
        return scrapeFailures;
    }

    /**
     * Stop sampling and close the file.
     */
    public void close()
    {
        running = false;
        thread.interrupt();
        try
        {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        try
        {
            csv.close();
        }
        catch (final IOException ignore)
        {
            // Every line was flushed as written.
        }
    }

    private void loop()
    {
        long nextNs = System.nanoTime();
        while (running)
        {
            final long waitNs = nextNs - System.nanoTime();
            if (waitNs > 0)
            {
                try
                {
                    TimeUnit.NANOSECONDS.sleep(waitNs);
                }
                catch (final InterruptedException ex)
                {
                    return;
                }
            }
            nextNs += INTERVAL_NS;
            final LoadSample sample = sample();
            if (System.nanoTime() - nextNs > 0)
            {
                // A scrape took longer than the interval: the next sample a second after this one, not at once.
                nextNs = System.nanoTime() + INTERVAL_NS;
            }
            samples.add(sample);
            try
            {
                csv.write(sample.csvLine(sources));
                csv.newLine();
                csv.flush();
            }
            catch (final IOException ex)
            {
                running = false;
            }
        }
    }

    private LoadSample sample()
    {
        final long nowNs = System.nanoTime();
        final double elapsedS = (nowNs - originNs) / 1e9;
        final String phase = this.phase;

        final long agentTicks = ProcStat.processCpuTicks(agentPid);
        final long postmaster = postmasterPid.getAsLong();
        final long postgresTicks = postmaster > 0 ? ProcStat.serverCpuTicks(postmaster) : -1;
        final long machineTicks = ProcStat.machineBusyTicks();
        final double elapsedTicks = (nowNs - previousTicksNs) / 1e9 * CLOCK_TICKS_PER_SECOND;
        final double agentCores = cores(agentTicks, previousAgentTicks, elapsedTicks);
        final double postgresCores = cores(postgresTicks, previousPostgresTicks, elapsedTicks);
        final double machineCores = cores(machineTicks, previousMachineTicks, elapsedTicks);
        previousAgentTicks = agentTicks;
        previousPostgresTicks = postgresTicks;
        previousMachineTicks = machineTicks;
        previousTicksNs = nowNs;

        final double rssMb = kbToMb(ProcStat.statusKb(agentPid, "VmRSS"));
        final double rssAnonMb = kbToMb(ProcStat.statusKb(agentPid, "RssAnon"));
        final double rssFileMb = kbToMb(ProcStat.statusKb(agentPid, "RssFile"));
        final double postgresPssMb = postmaster > 0 ? kbToMb(ProcStat.serverPssKb(postmaster)) : Double.NaN;

        MetricsScrape scrape = null;
        try
        {
            scrape = MetricsScrape.fetch(metricsUrl, SCRAPE_TIMEOUT_MS);
        }
        catch (final IOException ex)
        {
            scrapeFailures++;
        }
        final long scrapeNs = System.nanoTime();
        if (null == scrape)
        {
            return new LoadSample(elapsedS, phase, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                Double.NaN, Map.of(), Double.NaN, Double.NaN, Double.NaN, rssMb, rssAnonMb, rssFileMb, postgresPssMb,
                agentCores, postgresCores, machineCores, Double.NaN, Double.NaN, Double.NaN);
        }

        // A slow scrape: the agent's counters are as of its end, and so is the sample.
        final double scrapedS = (scrapeNs - originNs) / 1e9;
        final MetricsScrape previous = previousScrape;
        final double seconds = null == previous ? Double.NaN : (scrapeNs - previousScrapeNs) / 1e9;
        final double committed = delta(scrape, previous, "tradestate_events_committed_total");
        final double batches = delta(scrape, previous, "tradestate_batches_committed_total");
        final double commitSeconds = delta(scrape, previous, "tradestate_batch_commit_seconds_sum");
        final Map<String, Double> lag = scrape.bySource("tradestate_source_lag_events");
        final Map<String, Double> sourceCommitted = scrape.bySource("tradestate_source_events_committed_total");
        double appended = null == previous ? Double.NaN : 0;
        if (null != previous)
        {
            final Map<String, Double> previousLag = previous.bySource("tradestate_source_lag_events");
            final Map<String, Double> previousCommitted =
                previous.bySource("tradestate_source_events_committed_total");
            for (final Map.Entry<String, Double> source : lag.entrySet())
            {
                final double committedNow = sourceCommitted.getOrDefault(source.getKey(), 0.0);
                appended += source.getValue() + committedNow -
                    previousLag.getOrDefault(source.getKey(), 0.0) -
                    previousCommitted.getOrDefault(source.getKey(), 0.0);
            }
        }
        double lagSecondsMax = 0;
        for (final double lagSeconds : scrape.bySource("tradestate_source_lag_seconds").values())
        {
            lagSecondsMax = Math.max(lagSecondsMax, lagSeconds);
        }

        previousScrape = scrape;
        previousScrapeNs = scrapeNs;
        return new LoadSample(scrapedS, phase, appended / seconds, committed / seconds, batches / seconds,
            batches > 0 ? committed / batches : Double.NaN,
            scrape.largestBucketBound("tradestate_batch_size_events", previous),
            batches > 0 ? commitSeconds * 1000 / batches : Double.NaN, new TreeMap<>(lag), lagSecondsMax,
            scrape.value("jvm_memory_used_bytes{area=\"heap\"}") / MB,
            scrape.value("jvm_memory_committed_bytes{area=\"heap\"}") / MB,
            rssMb, rssAnonMb, rssFileMb, postgresPssMb, agentCores, postgresCores, machineCores,
            delta(scrape, previous, "jvm_gc_collection_seconds_count"),
            delta(scrape, previous, "tradestate_state_events_applied_total") / seconds,
            scrape.value("tradestate_state_entries_dropped_total"));
    }

    private static double delta(final MetricsScrape scrape, final MetricsScrape previous, final String name)
    {
        return null == previous ? Double.NaN : scrape.sum(name) - previous.sum(name);
    }

    private static double cores(final long ticks, final long previousTicks, final double elapsedTicks)
    {
        return ticks < 0 || previousTicks < 0 || elapsedTicks <= 0 ? Double.NaN :
            Math.max(0, (ticks - previousTicks) / elapsedTicks);
    }

    private static double kbToMb(final long kb)
    {
        return kb < 0 ? Double.NaN : kb / KB_PER_MB;
    }
}
