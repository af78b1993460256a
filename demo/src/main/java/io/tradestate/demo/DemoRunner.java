package io.tradestate.demo;

import io.tradestate.reader.ReaderAgent;
import io.tradestate.reader.ReaderConfiguration;
import io.tradestate.reader.ReaderContext;
import io.tradestate.reader.postgres.EmbeddedDatabase;
import io.tradestate.writer.JournalContext;
import io.tradestate.writer.TradeJournal;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The demo from start to summary: the database (embedded, or the one at {@code --db-url}), the reader agent in this
 * JVM, the strategy JVMs, a progress line a second, the drain to zero lag, and the summary.
 * <p>
 * Progress counts come from the strategies' stats files (appended) and the reader agent's own counter (committed);
 * the final check counts rows in the history tables, so it does not trust either counter. {@link #requestStop()}
 * (Ctrl-C) cuts the run short: the strategies stop, the agent drains, the summary is printed as usual.
 */
public final class DemoRunner
{
    private static final String DEMO_SOURCE_PATTERN = "demo-strategy-%";
    private static final long DRAIN_TIMEOUT_MS = TimeUnit.MINUTES.toMillis(5);
    private static final long READY_TIMEOUT_MS = TimeUnit.MINUTES.toMillis(3);
    private static final long STRATEGY_EXIT_GRACE_MS = TimeUnit.SECONDS.toMillis(30);
    private static final long CHAOS_QUIET_MS = 1_000;

    /**
     * The summary reports the events appended in this first part of the run apart from those after: start-up
     * (strategies and agent just started, the agent's code still compiling) against the steady state.
     */
    static final long START_REGIME_MS = TimeUnit.SECONDS.toMillis(10);

    private final DemoOptions options;
    private final PrintStream out;
    private final PrintStream summaryOut;
    private final CountDownLatch stopRequested = new CountDownLatch(1);

    /**
     * A demo run with these options, printing to {@code out}.
     *
     * @param options parsed options.
     * @param out     where progress and the summary go.
     */
    public DemoRunner(final DemoOptions options, final PrintStream out)
    {
        this(options, out, out);
    }

    /**
     * A demo run with these options, printing the progress to {@code out} and the summary to {@code summaryOut}:
     * as text, or as one JSON object with {@code --json}.
     *
     * @param options    parsed options.
     * @param out        where progress goes.
     * @param summaryOut where the summary goes.
     */
    public DemoRunner(final DemoOptions options, final PrintStream out, final PrintStream summaryOut)
    {
        this.options = options;
        this.out = out;
        this.summaryOut = summaryOut;
    }

    /**
     * Stop the strategies now, then drain and summarise as at the end of the duration; with {@code --hold}, end the
     * hold.
     */
    public void requestStop()
    {
        stopRequested.countDown();
    }

    /**
     * Run the demo.
     *
     * @return 0 if every appended event was committed exactly once, 1 otherwise.
     * @throws Exception if the database or the agent cannot start.
     */
    public int run() throws Exception
    {
        out.printf("TradeState demo: %s%n", options.describe());
        out.printf("  journal %s%n  state   %s%n", options.journalRoot(),
            options.dbUrl().isEmpty() ? options.stateDir() : options.dbUrl());
        if (options.reset())
        {
            resetFiles();
        }

        final Path runDir = Files.createTempDirectory("tradestate-demo-run-");
        final List<StrategyProcess> strategies = new ArrayList<>();
        final List<StrategyProcess> killed = new ArrayList<>();
        EmbeddedDatabase embedded = null;
        DemoChaos chaos = null;
        ReaderAgent agent = null;
        DemoDatabase database = null;
        try
        {
            final String password;
            final DemoSummary summary = new DemoSummary();
            final String jdbcUrl;
            final String user;
            if (options.dbUrl().isEmpty())
            {
                embedded = DemoDatabase.startEmbedded(options.stateDir(), options.dbPort());
                jdbcUrl = embedded.jdbcUrl();
                user = EmbeddedDatabase.USER;
                password = embedded.password();
                summary.connect = embedded.psqlHint();
                summary.connectNote = "the embedded server stops with the demo: run with --hold to keep it up, or " +
                    "start the reader agent on the same state (TRADESTATE_STATE_DIR=" + options.stateDir() + ")";
            }
            else
            {
                jdbcUrl = options.dbUrl();
                user = options.dbUser();
                password = System.getenv(ReaderContext.DB_PASSWORD_ENV);
                summary.connect = "PGPASSWORD=\"$" + ReaderContext.DB_PASSWORD_ENV + "\" psql \"" +
                    jdbcUrl.substring("jdbc:".length()) + "\" -U " + options.dbUser();
            }
            final DemoDatabase.Connector connector = () -> DemoDatabase.connect(jdbcUrl, user, password);
            if (options.reset() && !options.dbUrl().isEmpty())
            {
                try (Connection connection = connector.connect())
                {
                    resetExternalDatabase(connection);
                }
            }

            final ReaderContext readerContext = ReaderContext.load(null, Map.of())
                .set(ReaderConfiguration.JOURNAL_ROOT, options.journalRoot().toString())
                .set(ReaderConfiguration.STATE_DIR, options.stateDir().toString())
                .set(ReaderConfiguration.DB_URL, jdbcUrl)
                .set(ReaderConfiguration.DB_USER, user)
                .set(ReaderConfiguration.DISCOVERY_INTERVAL_MS, "200")
                .dbPassword(password);
            if (options.chaos())
            {
                // Back within a second of the database's restart, rather than after up to 10 s of backoff.
                readerContext.set(ReaderConfiguration.RETRY_MAX_MS, "1000");
            }
            // Off unless asked for: an endpoint on the agent's fixed default port would clash with a reader agent
            // already running on this host.
            readerContext.set(ReaderConfiguration.METRICS_PORT, Integer.toString(options.metricsPort()));
            readerContext.conclude();
            warmUpQueueReading(runDir.resolve("warm-up"));
            agent = ReaderAgent.launch(readerContext);
            if (agent.metricsPort() > 0)
            {
                out.printf("  metrics http://127.0.0.1:%d/metrics (and /health) while the demo runs%n",
                    agent.metricsPort());
            }

            final long runId = System.currentTimeMillis() / 1000;
            final List<String> sources = new ArrayList<>();
            for (int i = 0; i < options.processes(); i++)
            {
                sources.add(StrategyProcess.sourceId(i));
                strategies.add(StrategyProcess.start(options, i, runId, runDir,
                    options.chaos() && i == DemoChaos.victim(options) ? StrategyProcess.exchangeAccount(runDir, i) :
                    null));
            }
            out.printf("  started the reader agent; %d strategy JVMs are warming up%n", strategies.size());
            awaitReady(strategies);

            final long committedAtStart = agent.eventsCommitted();
            final long runStartMs = System.currentTimeMillis();
            final long steadyFromMs = runStartMs + START_REGIME_MS;
            database = new DemoDatabase(connector, sources, runStartMs * 1_000_000L);
            agent.takeStateVisibleLatencyNs(); // the sources' start excerpts, appended before the run
            agent.splitStateVisibleLatencyAt(TimeUnit.MILLISECONDS.toNanos(steadyFromMs));
            for (final StrategyProcess strategy : strategies)
            {
                strategy.stats().go(runStartMs, steadyFromMs);
            }
            out.println("  go: the strategies append now; Ctrl-C stops them early and still drains");
            if (options.chaos())
            {
                chaos = new DemoChaos(options, out, strategies, killed, runDir, runId, runStartMs, embedded, jdbcUrl,
                    user, password);
            }

            final Histogram lagSamplesMs = new Histogram(3);
            progress(strategies, killed, agent, committedAtStart, database, runStartMs, lagSamplesMs, chaos);
            summary.runMs = System.currentTimeMillis() - runStartMs;
            if (null != chaos)
            {
                chaos.finish();
            }

            for (final StrategyProcess strategy : strategies)
            {
                final int exit = strategy.awaitExit(STRATEGY_EXIT_GRACE_MS);
                if (0 != exit || StrategyStatsFile.FINISHED != strategy.stats().state())
                {
                    summary.failedStrategies++;
                    out.printf("  strategy %s failed (exit %d); its last output:%n%s%n", strategy.sourceId(), exit,
                        strategy.logTail(20));
                }
            }

            final List<StrategyProcess> lives = new ArrayList<>(killed);
            lives.addAll(strategies);
            summarise(summary, lives, database, lagSamplesMs, steadyFromMs);
            if (null != chaos)
            {
                summary.chaosFaults = chaos.faults();
                summary.fillsWhileDown = chaos.fillsWhileDown();
                summary.recoveredFills = chaos.recoveredFills();
                summary.recoveredOrderUpdates = chaos.recoveredOrderUpdates();
                awaitStateMapsCaughtUp(agent);
                summary.verify = DemoVerify.run(options, jdbcUrl, user, password);
            }
            summary.appendToVisible = new DemoSummary.Latency[]
            {
                DemoSummary.Latency.of(agent.takeStateVisibleLatencyNs(true)),
                DemoSummary.Latency.of(agent.takeStateVisibleLatencyNs(false)),
            };
            summary.stateEntries = agent.stateEntries();
            summary.stateDir = readerContext.stateDir().toString();
            if (options.json())
            {
                summaryOut.println(summary.json());
                summaryOut.flush();
            }
            else
            {
                summary.print(summaryOut);
            }

            if (options.hold())
            {
                out.println();
                out.println("  holding: the database stays up until Ctrl-C");
                stopRequested.await();
            }
            return summary.passed() ? 0 : 1;
        }
        finally
        {
            for (final StrategyProcess strategy : killed)
            {
                strategy.close();
            }
            for (final StrategyProcess strategy : strategies)
            {
                strategy.close();
            }
            if (null != database)
            {
                database.close();
            }
            if (null != chaos)
            {
                embedded = chaos.database();
            }
            if (null != agent)
            {
                agent.close();
            }
            if (null != embedded)
            {
                embedded.close();
            }
            deleteRecursively(runDir);
        }
    }

    private void awaitReady(final List<StrategyProcess> strategies) throws InterruptedException
    {
        final long deadlineMs = System.currentTimeMillis() + READY_TIMEOUT_MS;
        while (true)
        {
            int ready = 0;
            for (final StrategyProcess strategy : strategies)
            {
                final long state = strategy.stats().state();
                if (StrategyStatsFile.READY == state)
                {
                    ready++;
                }
                else if (!strategy.isAlive() || StrategyStatsFile.FAILED == state)
                {
                    throw new IllegalStateException("strategy " + strategy.sourceId() + " failed to start:" +
                        System.lineSeparator() + strategy.logTail(20));
                }
            }
            if (ready == strategies.size())
            {
                return;
            }
            if (System.currentTimeMillis() > deadlineMs || stopRequested.getCount() == 0)
            {
                throw new IllegalStateException(ready + " of " + strategies.size() + " strategy JVMs ready after " +
                    READY_TIMEOUT_MS + " ms" + (stopRequested.getCount() == 0 ? " (stopped)" : ""));
            }
            Thread.sleep(50);
        }
    }

    private void progress(
        final List<StrategyProcess> strategies,
        final List<StrategyProcess> killed,
        final ReaderAgent agent,
        final long committedAtStart,
        final DemoDatabase database,
        final long runStartMs,
        final Histogram lagSamplesMs,
        final DemoChaos chaos) throws InterruptedException, IOException
    {
        long previousAppended = 0;
        long previousCommitted = 0;
        long nextTickMs = runStartMs + 1000;
        boolean stopSent = false;
        while (true)
        {
            final boolean stop = stopRequested.await(Math.max(1, nextTickMs - System.currentTimeMillis()),
                TimeUnit.MILLISECONDS);
            if (stop && !stopSent)
            {
                out.println("  stopping the strategies early");
                for (final StrategyProcess strategy : strategies)
                {
                    strategy.requestStop();
                }
                stopSent = true;
            }
            if (System.currentTimeMillis() < nextTickMs)
            {
                continue;
            }
            nextTickMs += 1000;
            if (null != chaos)
            {
                chaos.tick(System.currentTimeMillis(), stopSent);
                // Starting a killed server again takes a while: the next line a second after it, not at once.
                nextTickMs = Math.max(nextTickMs, System.currentTimeMillis() + 500);
            }

            long appended = 0;
            long excerpts = 0;
            long newestAppendMs = 0;
            boolean anyAlive = false;
            for (final StrategyProcess strategy : strategies)
            {
                appended += strategy.stats().events();
                excerpts += strategy.stats().excerpts();
                newestAppendMs = Math.max(newestAppendMs, strategy.stats().lastAppendMs());
                anyAlive |= strategy.isAlive();
            }
            for (final StrategyProcess strategy : killed)
            {
                appended += strategy.stats().events();
                excerpts += strategy.stats().excerpts();
            }
            final long committedExcerpts = agent.eventsCommitted() - committedAtStart;
            final long lagEvents = Math.max(0, excerpts - committedExcerpts);
            final long nowMs = System.currentTimeMillis();
            String lagMs = "0";
            String deadLetters;
            try
            {
                if (lagEvents > 0)
                {
                    // Events wait when a strategy appended after the newest event in the database: the oldest of
                    // them has waited at most since then.
                    final long newestCommittedMs = database.newestAppendMs();
                    final long waitedMs = newestAppendMs > newestCommittedMs ?
                        nowMs - Math.max(newestCommittedMs, runStartMs) : 0;
                    lagSamplesMs.recordValue(waitedMs);
                    lagMs = String.format(Locale.ROOT, "%,d", waitedMs);
                }
                else
                {
                    lagSamplesMs.recordValue(0);
                }
                deadLetters = Long.toString(database.deadLetters());
            }
            catch (final SQLException ex)
            {
                lagMs = "?";
                deadLetters = "? (database unreachable)";
            }
            // Estimated (excerpts less events are source and heartbeat excerpts): never shown going backwards.
            final long committedEvents = Math.max(previousCommitted, committedExcerpts - (excerpts - appended));
            out.printf(Locale.ROOT, "  %4ds  appended %,9d/s (%,d)  committed %,9d/s (%,d)  lag %,d events / %s ms" +
                "  dead letters %s  state maps %,d entries%n", (nowMs - runStartMs + 500) / 1000,
                appended - previousAppended, appended, committedEvents - previousCommitted, committedEvents, lagEvents,
                lagMs, deadLetters, agent.stateEntries());
            previousAppended = appended;
            previousCommitted = committedEvents;
            if (!anyAlive)
            {
                return;
            }
        }
    }

    private void summarise(
        final DemoSummary summary,
        final List<StrategyProcess> strategies,
        final DemoDatabase database,
        final Histogram lagSamplesMs,
        final long steadyFromMs) throws SQLException, IOException, InterruptedException
    {
        final Histogram[] appendLatencyNs =
        {
            new Histogram(TimeUnit.SECONDS.toNanos(60), 3), new Histogram(TimeUnit.SECONDS.toNanos(60), 3),
        };
        final List<long[]> warmUps = new ArrayList<>();
        for (final StrategyProcess strategy : strategies)
        {
            summary.appended += strategy.stats().events();
            summary.marketEvents += strategy.stats().steps();
            summary.riskLocks += strategy.stats().riskLocks();
            summary.entriesHeldBack += strategy.stats().entriesHeldBack();
            warmUps.add(new long[]{ strategy.stats().journalWarmUpNs(), strategy.stats().readyAfterMs() });
            final Histogram[] histograms = strategy.commitLatencyNs();
            if (null != histograms)
            {
                appendLatencyNs[0].add(histograms[0]);
                appendLatencyNs[1].add(histograms[1]);
            }
        }
        summary.warmUps = warmUps;
        summary.processes = options.processes();
        summary.max = options.max();
        summary.startRegimeMs = START_REGIME_MS;
        summary.appendLatency = new DemoSummary.Latency[]
        {
            DemoSummary.Latency.of(appendLatencyNs[0]), DemoSummary.Latency.of(appendLatencyNs[1]),
        };

        out.printf(Locale.ROOT, "  strategies stopped; draining %,d events to zero lag%n", summary.appended);
        final long deadlineMs = System.currentTimeMillis() + DRAIN_TIMEOUT_MS;
        long stableSinceMs = Long.MAX_VALUE;
        while (true)
        {
            final long previous = summary.committed + summary.deadLetters;
            summary.rowsPerTable = database.rowsPerTable();
            summary.committed = DemoDatabase.sum(summary.rowsPerTable);
            summary.deadLetters = database.deadLetters();
            final long nowMs = System.currentTimeMillis();
            final long stored = summary.committed + summary.deadLetters;
            stableSinceMs = stored == previous ? Math.min(stableSinceMs, nowMs) : Long.MAX_VALUE;
            // A killed strategy's counter misses its last appends: with --chaos, drained once the rows also stop
            // growing for a while.
            final boolean drained = stored >= summary.appended &&
                (!options.chaos() || nowMs - stableSinceMs >= CHAOS_QUIET_MS);
            if (drained || nowMs > deadlineMs)
            {
                break;
            }
            Thread.sleep(100);
        }

        summary.workload = options.describe();
        if (database.commitTimestampsTracked())
        {
            final double[][] appendToCommitMs = database.appendToCommitMs(TimeUnit.MILLISECONDS.toNanos(steadyFromMs));
            summary.appendToCommit = new DemoSummary.Latency[]
            {
                DemoSummary.Latency.ofMillis(appendToCommitMs[0]), DemoSummary.Latency.ofMillis(appendToCommitMs[1]),
            };
        }
        summary.lagSamplesMs = lagSamplesMs;
        summary.databaseBytes = database.databaseSizeBytes();
        final List<Integer> exampleRows = new ArrayList<>();
        for (final String query : ExampleQueries.ALL)
        {
            exampleRows.add(database.countRows(query));
        }
        summary.exampleRows = exampleRows;
    }

    /**
     * Wait until the state publisher has applied no event for a while: it has read every journal to its end, so the
     * maps can be compared with the tables.
     */
    private static void awaitStateMapsCaughtUp(final ReaderAgent agent) throws InterruptedException
    {
        final long deadlineMs = System.currentTimeMillis() + DRAIN_TIMEOUT_MS;
        long applied = agent.stateEventsApplied();
        while (System.currentTimeMillis() < deadlineMs)
        {
            Thread.sleep(CHAOS_QUIET_MS / 2);
            final long now = agent.stateEventsApplied();
            if (now == applied)
            {
                return;
            }
            applied = now;
        }
    }

    /**
     * Write and read a scratch queue once, so that the agent's first tailer does not pay for loading Chronicle (about
     * a second here), which would otherwise show up as the append-to-commit latency of the first events.
     */
    private static void warmUpQueueReading(final Path scratch)
    {
        try (TradeJournal journal = TradeJournal.open(new JournalContext().journalRoot(scratch).sourceId("warm-up")
            .heartbeatIntervalMs(0).pretouchEnabled(false)))
        {
            journal.heartbeat();
        }
        try (ChronicleQueue queue = SingleChronicleQueueBuilder.single(scratch.resolve("warm-up").toFile())
            .readOnly(true).build();
            ExcerptTailer tailer = queue.createTailer())
        {
            while (true)
            {
                try (DocumentContext context = tailer.readingDocument())
                {
                    if (!context.isPresent())
                    {
                        break;
                    }
                }
            }
        }
    }

    private void resetFiles() throws IOException
    {
        out.println("  --reset: deleting the demo's journals" + (options.dbUrl().isEmpty() ?
            " and the embedded database" : " and its rows in the database"));
        if (Files.isDirectory(options.journalRoot()))
        {
            try (DirectoryStream<Path> queues = Files.newDirectoryStream(options.journalRoot(), "demo-strategy-*"))
            {
                for (final Path queue : queues)
                {
                    deleteRecursively(queue);
                }
            }
        }
        if (options.dbUrl().isEmpty())
        {
            deleteRecursively(options.stateDir().resolve("postgres"));
        }
    }

    private static void resetExternalDatabase(final Connection connection) throws SQLException
    {
        final String[] tables = { "source_checkpoints", "sources", "dead_letters", "order_events", "fills",
            "trade_events", "pair_lock_events", "balance_events", "orders", "trades", "pair_locks", "balances" };
        for (final String table : tables)
        {
            try (Statement statement = connection.createStatement())
            {
                statement.execute("DELETE FROM " + table + " WHERE source_id LIKE '" + DEMO_SOURCE_PATTERN + "'");
            }
            catch (final SQLException ex)
            {
                // 42P01: the schema is not there yet; the agent creates it.
                if (!"42P01".equals(ex.getSQLState()))
                {
                    throw ex;
                }
            }
        }
    }

    private static void deleteRecursively(final Path root) throws IOException
    {
        if (!Files.exists(root))
        {
            return;
        }
        try (Stream<Path> paths = Files.walk(root))
        {
            final List<Path> all = new ArrayList<>();
            paths.sorted(Comparator.reverseOrder()).forEach(all::add);
            for (final Path path : all)
            {
                Files.deleteIfExists(path);
            }
        }
    }
}
