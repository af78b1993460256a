package io.tradestate.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One second of a {@link LoadCampaign} run as the {@link LoadSampler} saw it: the agent's figures from its
 * {@code /metrics} endpoint (rates from the counters' change since the previous scrape), and its JVM's and its
 * PostgreSQL's memory and CPU from {@code /proc}. NaN where a figure could not be read (the agent not up yet).
 *
 * @param elapsedS           seconds since sampling started, just before the burst.
 * @param phase              {@code burst}, {@code catch-up}, {@code tail} or {@code drain}.
 * @param appendedPerS       events appended per second, all sources: the change of lag plus committed, per source.
 * @param committedPerS      events committed per second.
 * @param batchesPerS        batches committed per second.
 * @param meanBatchEvents    events per batch committed in the second, NaN if none was.
 * @param largestBatchEvents the largest batch committed in the second, to the upper bound of its bucket of the
 *                           {@code tradestate_batch_size_events} histogram; NaN if none was.
 * @param meanCommitMs       write and commit time per batch committed in the second.
 * @param lagBySource        events appended, not yet committed, per source.
 * @param lagSecondsMax      age of the oldest uncommitted event, the largest over the sources.
 * @param heapUsedMb         the agent's heap in use.
 * @param heapCommittedMb    the agent's heap committed.
 * @param rssMb              resident memory of the agent's JVM ({@code VmRSS}).
 * @param rssAnonMb          its anonymous part (heap, stacks, native).
 * @param rssFileMb          its file-backed part (mapped journals and state maps: page cache).
 * @param postgresPssMb      PostgreSQL's processes, proportional set size summed.
 * @param agentCores         cores the agent's JVM used.
 * @param postgresCores      cores PostgreSQL used.
 * @param machineCores       cores the whole machine used.
 * @param gcCollections      the agent's collections in the second.
 * @param stateAppliedPerS   events the state publisher applied per second.
 * @param stateDroppedTotal  entries the full state maps could not keep, since start.
 */
record LoadSample(
    double elapsedS,
    String phase,
    double appendedPerS,
    double committedPerS,
    double batchesPerS,
    double meanBatchEvents,
    double largestBatchEvents,
    double meanCommitMs,
    Map<String, Double> lagBySource,
    double lagSecondsMax,
    double heapUsedMb,
    double heapCommittedMb,
    double rssMb,
    double rssAnonMb,
    double rssFileMb,
    double postgresPssMb,
    double agentCores,
    double postgresCores,
    double machineCores,
    double gcCollections,
    double stateAppliedPerS,
    double stateDroppedTotal)
{
    /**
     * Header of the CSV file, with one lag column per source.
     */
    static String csvHeader(final List<String> sources)
    {
        final StringBuilder header = new StringBuilder("elapsed_s,phase,appended_per_s,committed_per_s," +
            "batches_per_s,mean_batch_events,largest_batch_events_bound,mean_commit_ms,lag_events,lag_seconds_max," +
            "heap_used_mb,heap_committed_mb,rss_mb,rss_anon_mb,rss_file_mb,postgres_pss_mb,agent_cores," +
            "postgres_cores,machine_cores,gc_collections,state_applied_per_s,state_dropped_total");
        for (final String source : sources)
        {
            header.append(",lag_events_").append(source);
        }
        return header.toString();
    }

    /**
     * Events appended and not committed, all sources.
     *
     * @return the sum, NaN if unknown.
     */
    double lagEvents()
    {
        if (lagBySource.isEmpty())
        {
            return Double.NaN;
        }
        double lag = 0;
        for (final double sourceLag : lagBySource.values())
        {
            lag += sourceLag;
        }
        return lag;
    }

    /**
     * A source's lag.
     *
     * @param source             the source id.
     * @return events, NaN if the agent does not report the source (yet).
     */
    double lagEvents(final String source)
    {
        final Double lag = lagBySource.get(source);
        return null == lag ? Double.NaN : lag;
    }

    /**
     * This sample as a CSV line, columns as {@link #csvHeader(List)}; empty where unknown.
     */
    String csvLine(final List<String> sources)
    {
        final StringBuilder line = new StringBuilder(256);
        line.append(String.format(Locale.ROOT, "%.3f", elapsedS)).append(',').append(phase);
        for (final double value : new double[] {appendedPerS, committedPerS, batchesPerS, meanBatchEvents,
            largestBatchEvents, meanCommitMs, lagEvents(), lagSecondsMax, heapUsedMb, heapCommittedMb, rssMb, rssAnonMb,
            rssFileMb, postgresPssMb, agentCores, postgresCores, machineCores, gcCollections, stateAppliedPerS,
            stateDroppedTotal})
        {
            line.append(',').append(format(value));
        }
        for (final String source : sources)
        {
            line.append(',').append(format(lagEvents(source)));
        }
        return line.toString();
    }

    private static String format(final double value)
    {
        if (Double.isNaN(value))
        {
            return "";
        }
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long)value) :
            String.format(Locale.ROOT, "%.3f", value);
    }
}
