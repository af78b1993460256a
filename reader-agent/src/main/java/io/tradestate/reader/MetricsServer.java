package io.tradestate.reader;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * Serves the agent's figures over HTTP, bound to loopback by default: {@code /metrics} in Prometheus' text format
 * and {@code /health} (200 when the database answers, 503 when not). One daemon thread; each scrape reads the
 * database and the queues afresh through a {@link StatusCollector}, so a stuck drain cannot freeze the figures. The
 * per-source figures name this agent's sources only, also when other hosts' agents drain into the same database;
 * the JVM and journal disk figures come from {@link RuntimeMetrics}.
 */
final class MetricsServer implements AutoCloseable
{
    private static final Logger LOGGER = LoggerFactory.getLogger(MetricsServer.class);

    private final HttpServer server;
    private final StatusCollector collector;
    private final DrainAgent drain;
    private final StatePublisherAgent statePublisher;

    MetricsServer(
        final String host,
        final int port,
        final StatusCollector collector,
        final DrainAgent drain,
        final StatePublisherAgent statePublisher)
    {
        this.collector = collector;
        this.drain = drain;
        this.statePublisher = statePublisher;
        try
        {
            server = HttpServer.create(new InetSocketAddress(host, port), 8);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot listen on " + host + ":" + port + " (" +
                ReaderConfiguration.METRICS_PORT + ")", ex);
        }
        server.setExecutor(Executors.newSingleThreadExecutor((task) ->
        {
            final Thread thread = new Thread(task, "tradestate-metrics");
            thread.setDaemon(true);
            return thread;
        }));
        server.createContext("/metrics", this::metrics);
        server.createContext("/health", this::health);
        server.start();
        LOGGER.info("metrics on http://{}:{}/metrics", host, port());
    }

    int port()
    {
        return server.getAddress().getPort();
    }

    /**
     * The address the endpoint listens on.
     *
     * @return the bound address and port.
     */
    InetSocketAddress address()
    {
        return server.getAddress();
    }

    public void close()
    {
        server.stop(0);
        ((java.util.concurrent.ExecutorService)server.getExecutor()).shutdownNow();
    }

    private void metrics(final HttpExchange exchange) throws IOException
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
        counter(text, "tradestate_batch_failures_total", "failed database attempts since the agent started",
            drain.failedAttempts());
        counter(text, "tradestate_rejected_events_total", "events PostgreSQL refused, dead-lettered, since start",
            drain.rejectedEvents());
        gauge(text, "tradestate_sources_refused",
            "sources not drained: another agent holds their id, or their journal or checkpoint is not theirs",
            drain.sourcesRefused());
        gauge(text, "tradestate_batch_last_events", "events in the last batch committed", drain.lastBatchEvents());
        seconds(text, "tradestate_batch_last_commit_seconds", "gauge", "write and commit time of the last batch",
            drain.lastBatchCommitNs());
        seconds(text, "tradestate_batch_commit_seconds_total", "counter",
            "write and commit time of the batches committed since start", drain.batchCommitNsTotal());
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
            text.append("# HELP tradestate_state_entries entries in a state map\n")
                .append("# TYPE tradestate_state_entries gauge\n");
            text.append("tradestate_state_entries{map=\"orders\"} ").append(statePublisher.ordersSize()).append('\n');
            text.append("tradestate_state_entries{map=\"trades\"} ").append(statePublisher.tradesSize()).append('\n');
            text.append("tradestate_state_entries{map=\"pair_locks\"} ").append(statePublisher.pairLocksSize())
                .append('\n');
            text.append("tradestate_state_entries{map=\"balances\"} ").append(statePublisher.balancesSize())
                .append('\n');
        }
        final JournalRetention retention = drain.retention();
        if (null != statePublisher)
        {
            counter(text, "tradestate_state_snapshots_total", "snapshots of the state maps written since start",
                statePublisher.snapshotsWritten());
            gauge(text, "tradestate_state_snapshot_entries", "entries in the last snapshot written",
                statePublisher.snapshotEntries());
        }
        if (null != retention)
        {
            counter(text, "tradestate_journal_files_deleted_total", "cycle files retention deleted since start",
                retention.filesDeleted());
            counter(text, "tradestate_journal_bytes_deleted_total", "bytes of the cycle files deleted since start",
                retention.bytesDeleted());
            gauge(text, "tradestate_journal_free_space_low", "1 when free space is under journal.free.warn.bytes",
                retention.freeSpaceLow() ? 1 : 0);
            text.append("# HELP tradestate_source_oldest_cycle_age_seconds age of the oldest cycle file kept\n")
                .append("# TYPE tradestate_source_oldest_cycle_age_seconds gauge\n");
            final long nowMs = System.currentTimeMillis();
            for (final Map.Entry<String, Long> oldest : retention.oldestCycleStartMs().entrySet())
            {
                text.append("tradestate_source_oldest_cycle_age_seconds{source=\"").append(oldest.getKey())
                    .append("\"} ").append(Math.max(0, nowMs - oldest.getValue()) / 1000).append('\n');
            }
        }
        perSource(text, lags, "tradestate_source_last_appended_index", "gauge", "last index in the source's queue");
        perSource(text, lags, "tradestate_source_last_committed_index", "gauge", "the source's checkpoint");
        perSource(text, lags, "tradestate_source_events_committed_total", "counter", "events committed, all time");
        perSource(text, lags, "tradestate_source_lag_events", "gauge", "events appended, not yet committed");
        perSource(text, lags, "tradestate_source_lag_seconds", "gauge", "age of the oldest uncommitted event");
        perSource(text, lags, "tradestate_source_dead_letters", "gauge", "dead letters of the source");
        RuntimeMetrics.appendJournal(text, collector.journalRoot(), lags);
        RuntimeMetrics.appendJvm(text);
        respond(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", text.toString());
    }

    private void health(final HttpExchange exchange) throws IOException
    {
        try
        {
            collector.collect(System.currentTimeMillis());
            respond(exchange, 200, "text/plain; charset=utf-8", "ok\n");
        }
        catch (final SQLException | RuntimeException ex)
        {
            respond(exchange, 503, "text/plain; charset=utf-8", "database unavailable\n");
        }
    }

    private static void perSource(
        final StringBuilder text, final List<SourceLag> lags, final String name, final String type,
        final String help)
    {
        text.append("# HELP ").append(name).append(' ').append(help).append('\n');
        text.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        for (final SourceLag lag : lags)
        {
            text.append(name).append("{source=\"").append(lag.sourceId()).append("\"} ");
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

    private static void gauge(final StringBuilder text, final String name, final String help, final long value)
    {
        text.append("# HELP ").append(name).append(' ').append(help).append('\n')
            .append("# TYPE ").append(name).append(" gauge\n")
            .append(name).append(' ').append(value).append('\n');
    }

    private static void seconds(
        final StringBuilder text, final String name, final String type, final String help, final long nanos)
    {
        text.append("# HELP ").append(name).append(' ').append(help).append('\n')
            .append("# TYPE ").append(name).append(' ').append(type).append('\n')
            .append(name).append(' ').append(nanos / 1e9).append('\n');
    }

    private static void counter(final StringBuilder text, final String name, final String help, final long value)
    {
        text.append("# HELP ").append(name).append(' ').append(help).append('\n')
            .append("# TYPE ").append(name).append(" counter\n")
            .append(name).append(' ').append(value).append('\n');
    }

    private static void respond(final HttpExchange exchange, final int status, final String type, final String body)
        throws IOException
    {
        final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody())
        {
            out.write(bytes);
        }
    }
}
