package io.tradestate.reader.operations;

import io.tradestate.reader.drain.BatchHistograms;
import io.tradestate.reader.drain.DrainAgent;
import io.tradestate.reader.drain.JournalRetention;
import io.tradestate.reader.state.StatePublisherAgent;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * Writes the agent's figures in Prometheus' text exposition format (version 0.0.4) for {@link MetricsServer}'s
 * {@code /metrics}: the drain's and the state publisher's counters, the drain's histograms ({@link BatchHistograms}),
 * each source's lag from a {@link StatusCollector} read afresh, and the JVM, process and journal figures of
 * {@link RuntimeMetrics} (the JVM and process ones as the Prometheus Java client names and writes them).
 * <p>
 * Label values come from folder names and JVM bean names, which this process does not choose: every one is written
 * through {@link #appendLabelValue(StringBuilder, CharSequence)}, which escapes backslash, double quote and line feed
 * as the format requires, so that no name can break a scrape.
 */
public final class MetricsExposition
{
    private final StatusCollector collector;
    private final DrainAgent drain;
    private final StatePublisherAgent statePublisher;
    private final RuntimeMetrics runtime = new RuntimeMetrics();

    /**
     * @param collector      each scrape's per-source figures.
     * @param drain          the drain's counters.
     * @param statePublisher the state publisher's counters, or null when it is off.
     */
    MetricsExposition(final StatusCollector collector, final DrainAgent drain, final StatePublisherAgent statePublisher)
    {
        this.collector = collector;
        this.drain = drain;
        this.statePublisher = statePublisher;
    }

    /**
     * Append a label value, escaped as the text exposition format requires: {@code \} as {@code \\}, {@code "} as
     * {@code \"} and a line feed as {@code \n}.
     *
     * @param text  the scrape being built.
     * @param value the raw value.
     * @return {@code text}.
     */
    static StringBuilder appendLabelValue(final StringBuilder text, final CharSequence value)
    {
        for (int i = 0, length = value.length(); i < length; i++)
        {
            final char c = value.charAt(i);
            switch (c)
            {
                case '\\':
                    text.append("\\\\");
                    break;
                case '"':
                    text.append("\\\"");
                    break;
                case '\n':
                    text.append("\\n");
                    break;
                default:
                    text.append(c);
                    break;
            }
        }
        return text;
    }

    /**
     * Append one sample with one label: {@code name{label="value"} }, the value escaped; the caller appends the
     * number and the line feed.
     *
     * @param text  the scrape being built.
     * @param name  of the metric.
     * @param label name of the label.
     * @param value of the label, raw.
     * @return {@code text}.
     */
    static StringBuilder appendLabelled(
        final StringBuilder text, final String name, final String label, final CharSequence value)
    {
        text.append(name).append('{').append(label).append("=\"");
        return appendLabelValue(text, value).append("\"} ");
    }

    /**
     * The whole scrape, read now.
     *
     * @return the exposition text.
     */
    String scrape()
    {
        final StringBuilder text = new StringBuilder(4096);
        boolean databaseUp = true;
        List<SourceLag> lags = List.of();
        try
        {
            lags = collector.collect(System.currentTimeMillis());
        }
        catch (final SQLException | RuntimeException ex)
        {
            databaseUp = false;
        }

        gauge(text, "tradestate_database_up", "1 when the database answered this scrape", databaseUp ? 1 : 0);
        counter(text, "tradestate_events_committed_total", "events committed by this agent since it started",
            drain.eventsCommitted());
        counter(text, "tradestate_batches_committed_total", "batches committed by this agent since it started",
            drain.batchesCommitted());
        final long failingAttempts = drain.failedAttempts();
        counter(text, "tradestate_batch_failures_total", "failed database attempts since the agent started",
            drain.failuresTotal());
        gauge(text, "tradestate_batch_failing_attempts",
            "failed database attempts of the current failure, 0 while the database answers", failingAttempts);
        counter(text, "tradestate_batch_copy_seconds_total",
            "time the drain's copying threads spent on batches since start, summed; their history rows' COPY above all",
            drain.batchCopyNanos() / 1e9);
        counter(text, "tradestate_batch_finish_seconds_total",
            "time the drain's committing thread spent on batches since start: upserts, checkpoints, commits",
            drain.batchFinishNanos() / 1e9);
        counter(text, "tradestate_rejected_events_total", "events PostgreSQL refused, dead-lettered, since start",
            drain.rejectedEvents());
        gauge(text, "tradestate_sources_refused",
            "sources not drained: another agent holds their id, or their journal or checkpoint is not theirs",
            drain.sourcesRefused());
        gauge(text, "tradestate_sources_parked",
            "sources the drain stopped reading because reading them threw (a damaged queue file); retried",
            drain.sourcesParked());
        final List<String> refusedFolders = collector.refusedFolders();
        gauge(text, "tradestate_journal_folders_refused",
            "queue folders under the journal root not drained: their name is not a source id", refusedFolders.size());
        header(text, "tradestate_journal_folder_refused", "gauge",
            "1 for each queue folder not drained because its name is not a source id");
        for (final String folder : refusedFolders)
        {
            appendLabelled(text, "tradestate_journal_folder_refused", "folder", folder).append("1\n");
        }
        drain.histograms().appendTo(text);
        if (null != statePublisher)
        {
            gauge(text, "tradestate_state_generation", "state maps generation published",
                statePublisher.publishedGeneration());
            counter(text, "tradestate_state_events_applied_total", "events applied to the state maps since start",
                statePublisher.eventsApplied());
            counter(text, "tradestate_state_rebuilds_total", "state map rebuilds after a lock wait ran out",
                statePublisher.rebuilds());
            counter(text, "tradestate_state_entries_dropped_total", "entries a full state map could not keep",
                statePublisher.entriesDropped());
            gauge(text, "tradestate_state_sources_parked",
                "sources the state publisher stopped reading because reading them threw; retried",
                statePublisher.sourcesParked());
            header(text, "tradestate_state_entries", "gauge", "entries in a state map");
            text.append("tradestate_state_entries{map=\"orders\"} ").append(statePublisher.ordersSize()).append('\n');
            text.append("tradestate_state_entries{map=\"trades\"} ").append(statePublisher.tradesSize()).append('\n');
            text.append("tradestate_state_entries{map=\"pair_locks\"} ").append(statePublisher.pairLocksSize())
                .append('\n');
            text.append("tradestate_state_entries{map=\"balances\"} ").append(statePublisher.balancesSize())
                .append('\n');
            counter(text, "tradestate_state_snapshots_total", "snapshots of the state maps written since start",
                statePublisher.snapshotsWritten());
            gauge(text, "tradestate_state_snapshot_entries", "entries in the last snapshot written",
                statePublisher.snapshotEntries());
        }
        final JournalRetention retention = drain.retention();
        if (null != retention)
        {
            counter(text, "tradestate_journal_files_deleted_total", "cycle files retention deleted since start",
                retention.filesDeleted());
            counter(text, "tradestate_journal_bytes_deleted_total", "bytes of the cycle files deleted since start",
                retention.bytesDeleted());
            gauge(text, "tradestate_journal_free_space_low", "1 when free space is under journal.free.warn.bytes",
                retention.freeSpaceLow() ? 1 : 0);
            header(text, "tradestate_source_oldest_cycle_age_seconds", "gauge", "age of the oldest cycle file kept");
            final long nowMs = System.currentTimeMillis();
            for (final Map.Entry<String, Long> oldest : retention.oldestCycleStartMs().entrySet())
            {
                appendLabelled(text, "tradestate_source_oldest_cycle_age_seconds", "source", oldest.getKey())
                    .append(Math.max(0, nowMs - oldest.getValue()) / 1000).append('\n');
            }
        }
        perSource(text, lags, "tradestate_source_last_appended_index", "gauge", "last index in the source's queue");
        perSource(text, lags, "tradestate_source_last_committed_index", "gauge", "the source's checkpoint");
        perSource(text, lags, "tradestate_source_events_committed_total", "counter", "events committed, all time");
        perSource(text, lags, "tradestate_source_lag_events", "gauge", "events appended, not yet committed");
        perSource(text, lags, "tradestate_source_lag_seconds", "gauge", "age of the oldest uncommitted event");
        perSource(text, lags, "tradestate_source_dead_letters", "gauge", "dead letters of the source");
        RuntimeMetrics.appendJournal(text, collector.journalRoot(), lags);
        runtime.appendJvm(text);
        return text.toString();
    }

    private static void perSource(
        final StringBuilder text, final List<SourceLag> lags, final String name, final String type,
        final String help)
    {
        header(text, name, type, help);
        for (final SourceLag lag : lags)
        {
            appendLabelled(text, name, "source", lag.sourceId());
            switch (name)
            {
                case "tradestate_source_last_appended_index":
                    text.append(lag.lastAppendedIndex());
                    break;
                case "tradestate_source_last_committed_index":
                    text.append(lag.lastCommittedIndex());
                    break;
                case "tradestate_source_events_committed_total":
                    text.append(lag.eventsCommitted());
                    break;
                case "tradestate_source_lag_events":
                    text.append(lag.lagEvents());
                    break;
                case "tradestate_source_lag_seconds":
                    text.append(lag.lagMs() / 1000.0);
                    break;
                default:
                    text.append(lag.deadLetters());
                    break;
            }
            text.append('\n');
        }
    }

    static void header(final StringBuilder text, final String name, final String type, final String help)
    {
        text.append("# HELP ").append(name).append(' ').append(help).append('\n')
            .append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void gauge(final StringBuilder text, final String name, final String help, final long value)
    {
        header(text, name, "gauge", help);
        text.append(name).append(' ').append(value).append('\n');
    }

    private static void counter(final StringBuilder text, final String name, final String help, final long value)
    {
        header(text, name, "counter", help);
        text.append(name).append(' ').append(value).append('\n');
    }

    private static void counter(final StringBuilder text, final String name, final String help, final double value)
    {
        header(text, name, "counter", help);
        text.append(name).append(' ').append(value).append('\n');
    }
}
