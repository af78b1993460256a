package io.tradestate.reader;

import io.tradestate.reader.postgres.EmbeddedDatabase;
import io.tradestate.writer.JournalContext;
import io.tradestate.writer.TradeJournal;
import io.tradestate.writer.state.BalanceEntry;
import io.tradestate.writer.state.StateEntryList;
import io.tradestate.writer.state.TradeStateView;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * PostgreSQL down for {@value #OUTAGE_MS} ms mid-stream: the strategy does not notice, and the drain catches up
 * exactly once when the database is back.
 * <p>
 * The test owns the database: an {@link EmbeddedDatabase} with its own state folder on a fixed free port, stopped
 * with {@link EmbeddedDatabase#close()} (a fast shutdown: open transactions are rolled back, a batch in flight fails)
 * and started again on the same folder and port. The reader agent runs in a child JVM, as in production, so that
 * neither its CPU nor its garbage collection is charged to the writer's latency, and so that its log can be read.
 * A {@link PacedAppender} thread appends {@value #RATE_PER_S} mixed events a second throughout.
 * <p>
 * Asserted at the end:
 * <ul>
 *     <li>every event is in the database exactly once, field for field, the current state is the latest, the
 *     checkpoint is the queue's end ({@link DrainedEventsVerifier});</li>
 *     <li>the writer kept its rate during the outage, and its append latency did not degrade: the p99 of
 *     {@code commit()} during the outage (from the call to close to the return of the restart, so the server's
 *     shutdown checkpoint and restart I/O count too) is below {@code max(10 x p99 before, 1 ms)}. Why this bound: the
 *     journal shares no lock, no buffer and no I/O path with the reader or the database (the reader maps the queue
 *     read-only), so an outage that leaked into the writer would show as appends stalling for milliseconds to seconds
 *     (a lock or back-pressure) or the rate dropping, orders of magnitude beyond the bound, while the noise of two
 *     shared virtual cores, where a p99 of a few microseconds moves by a few times between runs, stays well inside
 *     it. The 1 ms floor keeps a p99 of a few microseconds from making the bound a scheduler-jitter test;</li>
 *     <li>the agent logged the failure once and the recovery once, not once per retry, and nothing else at WARN or
 *     ERROR from its own classes;</li>
 *     <li>during the outage the state maps kept following the journal, read through a {@link TradeStateView} in
 *     this JVM: newer balances appeared and the publisher's heartbeat stayed fresh;</li>
 *     <li>its metrics follow Prometheus' rules: {@code tradestate_batch_failures_total} counts the failed attempts and
 *     never goes back (before, it was reset when writes resumed, which a counter must not be), while
 *     {@code tradestate_batch_failing_attempts} is those of the current failure, 0 again afterwards; and no series of
 *     a counter type goes down from one scrape to the next, before, every {@value #SCRAPE_INTERVAL_MS} ms during and
 *     after the outage: every {@code *_total} counter (the agent's, the JVM's, the process's), and every bucket, count
 *     and sum of the histograms and summaries, whose buckets stay cumulative up to {@code +Inf}, equal to the count;
 *     the batch histograms count the batches committed after the outage.</li>
 * </ul>
 * The agent gets the server's password as {@value ReaderContext#DB_PASSWORD_ENV}; the password stays the same across
 * the restart, which reads it back from the state folder.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
public class DatabaseOutageIT
{
    private static final String SOURCE_ID = "outage";
    private static final int STREAM = 1;
    private static final int RATE_PER_S = 2_000;
    private static final long WARMUP_MS = 3_000;
    private static final long BEFORE_MS = 15_000;
    private static final long OUTAGE_MS = 30_000;
    private static final long AFTER_MS = 10_000;
    private static final long DRAIN_TIMEOUT_MS = 90_000;
    private static final long P99_FLOOR_NS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final int P99_FACTOR = 10;
    private static final double MIN_RATE_KEPT = 0.9;
    private static final long SCRAPE_INTERVAL_MS = 2_000;
    private static final List<String> HISTOGRAMS = List.of("tradestate_batch_commit_seconds",
        "tradestate_batch_size_events", "tradestate_batch_size_bytes", "tradestate_event_append_to_commit_seconds");
    private static final String FAILED_LINE = "database write failed";
    private static final String RESUMED_LINE = "database writes resumed";
    private static final String[] AGENT_LOGGERS = { "DrainAgent", "ReaderAgent", "SourcePoller", "ReaderAgentMain" };

    @TempDir
    Path root;

    private EmbeddedDatabase database;
    private ReaderAgentProcess agent;
    private int metricsPort;
    private long failuresDuringOutage;
    private Map<String, Double> lastCounters;
    private int scrapesCompared;

    @AfterEach
    void stopEverything()
    {
        if (null != agent)
        {
            agent.close();
        }
        if (null != database)
        {
            database.close();
        }
    }

    @Test
    void shouldStoreEveryEventOnceAndKeepAppendsFastWhenTheDatabaseIsDownForThirtySeconds() throws Exception
    {
        final long appendFromNs = TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis() - 1_000);
        final Path stateDir = root.resolve("postgres-state");
        final int port = freePort();
        metricsPort = freePort();
        database = EmbeddedDatabase.start(stateDir, port);

        final Path journalRoot = root.resolve("journal");
        agent = new ReaderAgentProcess(root.resolve("agent"), agentSettings(journalRoot), database.password());
        agent.start();

        final int capacity = (int)(RATE_PER_S * (WARMUP_MS + BEFORE_MS + OUTAGE_MS + AFTER_MS) / 1000 * 2);
        final LatencySamples warmup = samples("warm-up", WARMUP_MS);
        final LatencySamples before = samples("before", BEFORE_MS);
        final LatencySamples outage = samples("outage", OUTAGE_MS * 2);
        final LatencySamples after = samples("after", AFTER_MS);
        final long[] indexes;
        final long outageNs;
        final Map<String, Double> beforeOutage;
        try (TradeJournal journal = TradeJournal.open(new JournalContext()
            .journalRoot(journalRoot).sourceId(SOURCE_ID));
            TradeStateView view = TradeStateView.open(root.resolve("agent-state")))
        {
            final PacedAppender appender = new PacedAppender(journal, STREAM, RATE_PER_S, capacity, warmup);
            final Thread appenderThread = new Thread(appender, "paced-appender");
            appenderThread.start();

            Thread.sleep(WARMUP_MS);
            assertTrue(view.awaitAvailable(60_000), "the state maps were not published");
            appender.phase(before);
            Thread.sleep(BEFORE_MS);
            assertTrue(committedEvents() > 0, "the agent drained nothing before the outage:\n" + agent.logTail());
            beforeOutage = scrapeCounters("before the outage");

            appender.phase(outage);
            final long stopNs = System.nanoTime();
            database.close();
            database = null;
            System.out.printf("database stopped in %,d ms%n",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopNs));
            final long newestAtStopIndex = newestBalanceIndex(view);
            final long outageEndNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(OUTAGE_MS);
            while (System.nanoTime() - outageEndNs < 0)
            {
                Thread.sleep(Math.min(SCRAPE_INTERVAL_MS,
                    Math.max(1, TimeUnit.NANOSECONDS.toMillis(outageEndNs - System.nanoTime()))));
                scrapeCounters("during the outage");
            }
            final long newestAtRestartIndex = newestBalanceIndex(view);
            assertTrue(newestAtRestartIndex > newestAtStopIndex, "the state maps stopped following the journal " +
                "while the database was down: newest balance index " + Long.toHexString(newestAtStopIndex) + " then " +
                Long.toHexString(newestAtRestartIndex));
            assertTrue(System.currentTimeMillis() - view.publisherHeartbeatMs() < 2_000,
                "the state publisher's heartbeat went stale during the outage");
            final List<ExpositionParser.Sample> duringOutage = scrape();
            failuresDuringOutage = metric(duringOutage, "tradestate_batch_failures_total");
            assertTrue(failuresDuringOutage > 0, "no failed attempt counted during the outage");
            assertEquals(failuresDuringOutage, metric(duringOutage, "tradestate_batch_failing_attempts"),
                "every failed attempt so far is of the current failure (both read from one scrape)");
            final long restartNs = System.nanoTime();
            database = EmbeddedDatabase.start(stateDir, port);
            outageNs = System.nanoTime() - stopNs;
            appender.phase(after);
            System.out.printf("database restarted in %,d ms; outage phase %,d ms%n",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restartNs), TimeUnit.NANOSECONDS.toMillis(outageNs));

            final long afterEndNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(AFTER_MS);
            while (System.nanoTime() - afterEndNs < 0)
            {
                Thread.sleep(Math.min(SCRAPE_INTERVAL_MS,
                    Math.max(1, TimeUnit.NANOSECONDS.toMillis(afterEndNs - System.nanoTime()))));
                scrapeCounters("after the restart");
            }
            appender.stop();
            appenderThread.join();
            assertNull(appender.failure(), () -> "the appender failed: " + appender.failure());
            indexes = appender.indexes();
        }
        final long appendToNs = TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis() + 1_000);

        final QueueSummary queue = QueueSummary.of(journalRoot.resolve(SOURCE_ID));
        final long writerDoneNs = System.nanoTime();
        awaitDrained(queue.lastIndex);
        System.out.printf("drained %,d events (%s) %,d ms after the writer stopped%n", indexes.length, queue,
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - writerDoneNs));
        final Map<String, Double> drained = scrapeCounters("once drained");
        assertTrue(metric("tradestate_batch_failures_total") >= failuresDuringOutage, "a counter went back");
        for (final String histogram : HISTOGRAMS)
        {
            assertTrue(drained.get(histogram + "_count{}") > beforeOutage.get(histogram + "_count{}"),
                histogram + " counts no batch committed after the outage");
        }
        System.out.printf("%d scrapes compared series by series: no counter, bucket, count or sum went down%n",
            scrapesCompared);
        assertEquals(0, metric("tradestate_batch_failing_attempts"), "the current failure is over");
        agent.stop();

        final DrainedEventsVerifier verifier = new DrainedEventsVerifier(database.dataSource(), List.of(
            new DrainedEventsVerifier.Source(SOURCE_ID, STREAM, indexes, queue, ProcessHandle.current().pid())));
        final List<String> problems = verifier.verify(appendFromNs, appendToNs);
        if (!problems.isEmpty())
        {
            fail("the drained database differs from what was appended:\n" + String.join("\n", problems));
        }

        for (final LatencySamples samples : List.of(warmup, before, outage, after))
        {
            System.out.println(samples.summary());
        }
        final double outageRatePerS = outage.recorded() / (outageNs / 1e9);
        assertTrue(outageRatePerS >= RATE_PER_S * MIN_RATE_KEPT, "the writer slowed down during the outage: " +
            outageRatePerS + " appends/s instead of " + RATE_PER_S);
        final long boundNs = Math.max(P99_FACTOR * before.percentileNs(99), P99_FLOOR_NS);
        assertTrue(outage.percentileNs(99) < boundNs, "append p99 during the outage " + outage.percentileNs(99) +
            " ns is not below max(" + P99_FACTOR + " x p99 before, 1 ms) = " + boundNs + " ns");

        assertEquals(1, agent.countLogLines(FAILED_LINE), "the failure must be logged once, not per retry");
        assertEquals(1, agent.countLogLines(RESUMED_LINE), "the recovery must be logged once");
        for (final String line : agent.logLines())
        {
            if ((line.contains("[WARN]") || line.contains("[ERROR]")) && !line.contains(FAILED_LINE))
            {
                for (final String logger : AGENT_LOGGERS)
                {
                    assertTrue(!line.contains("] " + logger + " - "), "unexpected agent log line: " + line);
                }
            }
        }
    }

    private static long newestBalanceIndex(final TradeStateView view)
    {
        final StateEntryList<BalanceEntry> balances = new StateEntryList<>(BalanceEntry::new);
        assertTrue(view.balances(balances) > 0, "no balance in the state maps");
        long newest = -1;
        for (int i = 0; i < balances.size(); i++)
        {
            newest = Math.max(newest, balances.get(i).queueIndex());
        }
        return newest;
    }

    private Map<String, String> agentSettings(final Path journalRoot)
    {
        final Map<String, String> settings = new HashMap<>();
        settings.put(ReaderConfiguration.JOURNAL_ROOT, journalRoot.toString());
        settings.put(ReaderConfiguration.STATE_DIR, root.resolve("agent-state").toString());
        settings.put(ReaderConfiguration.DB_URL, database.jdbcUrl());
        settings.put(ReaderConfiguration.DB_USER, EmbeddedDatabase.USER);
        settings.put(ReaderConfiguration.DISCOVERY_INTERVAL_MS, "50");
        settings.put(ReaderConfiguration.METRICS_PORT, Integer.toString(metricsPort));
        return settings;
    }

    /**
     * One unlabelled metric of the agent's scrape, now.
     */
    private long metric(final String name) throws Exception
    {
        return metric(scrape(), name);
    }

    /**
     * One unlabelled metric of a scrape: two metrics read from one scrape are of the same moment.
     */
    private static long metric(final List<ExpositionParser.Sample> samples, final String name)
    {
        for (final ExpositionParser.Sample sample : samples)
        {
            if (sample.name().equals(name) && sample.labels().isEmpty())
            {
                return (long)sample.value();
            }
        }
        throw new AssertionError(name + " is not in the scrape: " + samples);
    }

    private List<ExpositionParser.Sample> scrape() throws Exception
    {
        return ExpositionParser.parse(scrapeText());
    }

    private String scrapeText() throws Exception
    {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + metricsPort + "/metrics")).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString()).body();
    }

    /**
     * Scrape the agent, check its histograms' shape, and check that no series of a counter type went down since the
     * last scrape.
     *
     * @return the scrape's counter series.
     */
    private Map<String, Double> scrapeCounters(final String when) throws Exception
    {
        final String text = scrapeText();
        final List<ExpositionParser.Sample> samples = ExpositionParser.parse(text);
        for (final String histogram : HISTOGRAMS)
        {
            ExpositionParser.assertHistogram(samples, histogram);
        }
        final Map<String, Double> counters = ExpositionParser.counterSeries(text);
        assertTrue(counters.containsKey("tradestate_batch_failures_total{}") &&
            counters.containsKey("process_cpu_seconds_total{}"), "counters missing " + when + ":\n" + text);
        if (null != lastCounters)
        {
            final int compared = ExpositionParser.assertNoCounterDecreased(lastCounters, counters, when);
            assertTrue(compared >= counters.size() / 2, "too few series in common with the scrape before " + when);
            scrapesCompared++;
        }
        lastCounters = counters;
        return counters;
    }

    private long committedEvents() throws SQLException
    {
        try (Connection connection = database.dataSource().getConnection();
            Statement statement = connection.createStatement();
            ResultSet rows = statement.executeQuery("SELECT coalesce(sum(events), 0) FROM source_checkpoints"))
        {
            rows.next();
            return rows.getLong(1);
        }
    }

    private void awaitDrained(final long lastIndex) throws Exception
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DRAIN_TIMEOUT_MS);
        Long checkpoint = null;
        while (System.nanoTime() - deadlineNs < 0)
        {
            agent.checkAlive();
            try (Connection connection = database.dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(
                    "SELECT last_index FROM source_checkpoints WHERE source_id = '" + SOURCE_ID + "'"))
            {
                checkpoint = rows.next() ? rows.getLong(1) : null;
            }
            if (null != checkpoint && checkpoint == lastIndex)
            {
                return;
            }
            Thread.sleep(100);
        }
        fail("not drained within " + DRAIN_TIMEOUT_MS + " ms: checkpoint " +
            (null == checkpoint ? "none" : "0x" + Long.toHexString(checkpoint)) + ", queue ends at 0x" +
            Long.toHexString(lastIndex) + "\n" + agent.logTail());
    }

    private static LatencySamples samples(final String name, final long phaseMs)
    {
        return new LatencySamples(name, (int)(RATE_PER_S * phaseMs / 1000 * 2));
    }

    private static int freePort() throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(EmbeddedDatabase.HOST)))
        {
            return socket.getLocalPort();
        }
    }
}
