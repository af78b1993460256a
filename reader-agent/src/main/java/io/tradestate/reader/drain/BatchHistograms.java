package io.tradestate.reader.drain;

import io.tradestate.reader.operations.MetricsExposition;
import io.tradestate.reader.operations.MetricsHistogram;

/**
 * The distributions of the drain's committed batches, as Prometheus histograms ({@link MetricsHistogram}): the write
 * and commit time of each batch, its size in events and in bytes, and the time from each event's append to the
 * return of the commit that stored it. Recorded by the drain's thread when it collects a committed batch, without
 * allocating; written into each scrape by {@link MetricsExposition}.
 * <p>
 * The bounds cover what this agent does on the machines it runs on: a commit of a few events takes a few ms with
 * fsync on, a full batch ({@code batch.max.events} 10,000 by default, {@code batch.max.bytes} 64 MiB) a few hundred;
 * an event waits for its batch to close ({@code batch.linger.ms}, {@code batch.max.age.ms}) and for the commit, and
 * for as long as the database is down, hence append-to-commit buckets up to 5 minutes.
 */
public final class BatchHistograms
{
    private final MetricsHistogram commitSeconds = new MetricsHistogram("tradestate_batch_commit_seconds",
        "write and commit time of each batch committed (COPY, upserts, checkpoints, commit)", 1e-9,
        0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30);
    private final MetricsHistogram sizeEvents = new MetricsHistogram("tradestate_batch_size_events",
        "events in each batch committed", 1,
        1, 2, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000, 100_000);
    private final MetricsHistogram sizeBytes = new MetricsHistogram("tradestate_batch_size_bytes",
        "encoded rows and dead letters of each batch committed", 1,
        1 << 10, 1 << 12, 1 << 14, 1 << 16, 1 << 18, 1 << 20, 1 << 22, 1 << 24, 1 << 26, 1 << 28);
    private final MetricsHistogram appendToCommitSeconds = new MetricsHistogram(
        "tradestate_event_append_to_commit_seconds",
        "time from each stored event's append to the return of the commit that stored it", 1e-9,
        0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300);

    /**
     * Record a committed batch: on the drain's thread, before the batch is reset.
     *
     * @param batch              the batch committed.
     * @param commitNs           its write and commit time.
     * @param committedAtEpochNs when its commit returned, epoch nanoseconds of the clock the writers stamp appends
     *                           with.
     */
    void onCommitted(final DrainBatch batch, final long commitNs, final long committedAtEpochNs)
    {
        commitSeconds.record(commitNs);
        sizeEvents.record(batch.events());
        sizeBytes.record(batch.bytes());
        appendToCommitSeconds.recordElapsed(committedAtEpochNs, batch.appendTimesNs(), batch.appendTimeCount());
    }

    /**
     * Append every histogram to a scrape.
     *
     * @param text the scrape being built.
     */
    public void appendTo(final StringBuilder text)
    {
        commitSeconds.appendTo(text);
        sizeEvents.appendTo(text);
        sizeBytes.appendTo(text);
        appendToCommitSeconds.appendTo(text);
    }
}
