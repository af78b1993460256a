package io.tradestate.bench;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one run of a {@link LoadCampaign} measured: the strategies' counts and append latencies (their histograms
 * merged over the writers), and, for the run with the reader agent, its samples, the phases' times and the
 * verification.
 */
final class LoadRun
{
    private final String name;
    private final boolean drainer;
    private final Map<String, Map<String, String>> writersDone = new LinkedHashMap<>();
    private final Histogram burstNs = new Histogram(3);
    private final Histogram burstServiceNs = new Histogram(3);
    private final Histogram catchupNs = new Histogram(3);
    private final Histogram catchupServiceNs = new Histogram(3);
    private List<LoadSample> samples = new ArrayList<>();
    private double burstEndS = Double.NaN;
    private double caughtUpS = Double.NaN;
    private double stopS = Double.NaN;
    private double drainedS = Double.NaN;
    private LoadVerification verification;
    private int agentExit = Integer.MIN_VALUE;
    private long agentWarnings;
    private long burstRate;

    LoadRun(final String name, final boolean drainer)
    {
        this.name = name;
        this.drainer = drainer;
    }

    /**
     * A writer is done: keep its {@code DONE} figures and add its histograms.
     *
     * @param sourceId      its source.
     * @param done          its {@code DONE} line's values.
     * @param histogramDir  where it wrote its histograms.
     * @param histogramName their name's start.
     * @throws IOException if one cannot be read.
     */
    void writerDone(
        final String sourceId, final Map<String, String> done, final Path histogramDir, final String histogramName)
        throws IOException
    {
        writersDone.put(sourceId, done);
        burstNs.add(HistogramFiles.read(histogramDir.resolve(histogramName + "-burst" + HistogramFiles.LOG_EXTENSION)));
        burstServiceNs.add(HistogramFiles.read(
            histogramDir.resolve(histogramName + "-burst-service" + HistogramFiles.LOG_EXTENSION)));
        catchupNs.add(HistogramFiles.read(
            histogramDir.resolve(histogramName + "-catchup" + HistogramFiles.LOG_EXTENSION)));
        catchupServiceNs.add(HistogramFiles.read(
            histogramDir.resolve(histogramName + "-catchup-service" + HistogramFiles.LOG_EXTENSION)));
    }

    /**
     * Write the merged histograms: {@code <name>-burst}, {@code <name>-burst-service}, {@code <name>-catchup},
     * {@code <name>-catchup-service}.
     *
     * @param folder where.
     * @throws IOException if a file cannot be written.
     */
    void writeHistograms(final Path folder) throws IOException
    {
        HistogramFiles.write(folder, name + "-burst", burstNs);
        HistogramFiles.write(folder, name + "-burst-service", burstServiceNs);
        HistogramFiles.write(folder, name + "-catchup", catchupNs);
        HistogramFiles.write(folder, name + "-catchup-service", catchupServiceNs);
    }

    /**
     * Events each source's strategy committed, burst and catch-up.
     *
     * @return source id to events.
     */
    Map<String, Long> appendedBySource()
    {
        final Map<String, Long> appended = new LinkedHashMap<>();
        for (final Map.Entry<String, Map<String, String>> writer : writersDone.entrySet())
        {
            appended.put(writer.getKey(), Long.parseLong(writer.getValue().get("events")));
        }
        return appended;
    }

    /**
     * A figure of the writers' {@code DONE} lines, summed.
     *
     * @param key e.g. {@code burstEvents}.
     * @return the sum.
     */
    double writersSum(final String key)
    {
        double sum = 0;
        for (final Map<String, String> done : writersDone.values())
        {
            sum += Double.parseDouble(done.get(key));
        }
        return sum;
    }

    /**
     * A figure of the writers' {@code DONE} lines, the largest.
     *
     * @param key e.g. {@code burstSeconds}.
     * @return the largest.
     */
    double writersMax(final String key)
    {
        double max = Double.NaN;
        for (final Map<String, String> done : writersDone.values())
        {
            final double value = Double.parseDouble(done.get(key));
            max = Double.isNaN(max) ? value : Math.max(max, value);
        }
        return max;
    }

    String name()
    {
        return name;
    }

    boolean drainer()
    {
        return drainer;
    }

    /**
     * The burst's rate, all writers.
     *
     * @return events/s, 0 for flat out.
     */
    long burstRate()
    {
        return burstRate;
    }

    void burstRate(final long rate)
    {
        burstRate = rate;
    }

    Histogram burstNs()
    {
        return burstNs;
    }

    Histogram burstServiceNs()
    {
        return burstServiceNs;
    }

    Histogram catchupNs()
    {
        return catchupNs;
    }

    Histogram catchupServiceNs()
    {
        return catchupServiceNs;
    }

    List<LoadSample> samples()
    {
        return samples;
    }

    void samples(final List<LoadSample> samples)
    {
        this.samples = samples;
    }

    double burstEndS()
    {
        return burstEndS;
    }

    void burstEndS(final double seconds)
    {
        burstEndS = seconds;
    }

    double caughtUpS()
    {
        return caughtUpS;
    }

    void caughtUpS(final double seconds)
    {
        caughtUpS = seconds;
    }

    double stopS()
    {
        return stopS;
    }

    void stopS(final double seconds)
    {
        stopS = seconds;
    }

    double drainedS()
    {
        return drainedS;
    }

    void drainedS(final double seconds)
    {
        drainedS = seconds;
    }

    LoadVerification verification()
    {
        return verification;
    }

    void verification(final LoadVerification verification)
    {
        this.verification = verification;
    }

    int agentExit()
    {
        return agentExit;
    }

    void agentExit(final int exit)
    {
        agentExit = exit;
    }

    long agentWarnings()
    {
        return agentWarnings;
    }

    void agentWarnings(final long warnings)
    {
        agentWarnings = warnings;
    }
}
