package io.tradestate.reader;

import io.tradestate.reader.postgres.EmbeddedDatabase;
import io.tradestate.writer.JournalContext;
import io.tradestate.writer.TradeJournal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * PostgreSQL failing under the drain while a strategy appends: the agent's sessions terminated with
 * {@code pg_terminate_backend} mid-batch, a backend killed with {@code SIGKILL} (the postmaster then resets every
 * session and recovers by itself), and the postmaster itself killed with {@code SIGKILL} and started again on its
 * data folder (crash recovery). After each campaign every appended event is stored exactly once field for field
 * ({@link DrainedEventsVerifier}, which also requires an empty {@code dead_letters}), the state maps equal the
 * tables ({@link StateMapsAssertions}), and after every fault the checkpoint moved on again: the time it took is
 * printed as the recovery time.
 * <p>
 * The test owns its database (an {@link EmbeddedDatabase} on a fixed free port, as in {@link DatabaseOutageIT}); the
 * reader agent runs in a child JVM with short retry delays (10 ms doubling to 200 ms); a {@link PacedAppender}
 * appends {@value #RATE_PER_S} mixed events a second throughout. Terminations aim at a batch in flight: after a
 * random pause the test waits up to {@value #AIM_MS} ms for one of the agent's sessions to be running a statement or
 * idle inside a transaction, then terminates every session of the agent's database; each is reported with the
 * state it hit.
 * <p>
 * System properties for longer campaigns: {@code tradestate.pgfault.terminations} (default
 * {@value #DEFAULT_TERMINATIONS}), {@code tradestate.pgfault.backend.kills} (default
 * {@value #DEFAULT_BACKEND_KILLS}), {@code tradestate.pgfault.server.kills} (default {@value #DEFAULT_SERVER_KILLS}),
 * {@code tradestate.pgfault.pause.ms} (most random pause between faults, default {@value #DEFAULT_PAUSE_MS}) and
 * {@code tradestate.pgfault.seed} (default: the clock; printed).
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class PostgresFaultIT
{
    private static final String SOURCE_ID = "pgfault";
    private static final int STREAM = 5;
    private static final int RATE_PER_S = 2_000;
    private static final int DEFAULT_TERMINATIONS = 20;
    private static final int DEFAULT_BACKEND_KILLS = 2;
    private static final int DEFAULT_SERVER_KILLS = 2;
    private static final long DEFAULT_PAUSE_MS = 600;
    private static final long AIM_MS = 1_000;
    private static final long RECOVERY_TIMEOUT_MS = 60_000;
    private static final long DRAIN_TIMEOUT_MS = 90_000;
    private static final long MAX_EVENTS = 2_000_000;

    private static final String CANNOT_CONNECT_NOW = "57P03";

    @TempDir
    Path root;

    private EmbeddedDatabase database;
    private ReaderAgentProcess agent;
    private Path stateDir;
    private int port;
    private Random random;
    private final List<Long> recoveryMs = new ArrayList<>();

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
    void shouldStoreEveryEventOnceWhenTheAgentsSessionsAreTerminatedMidBatch() throws Exception
    {
        final int terminations = Integer.getInteger("tradestate.pgfault.terminations", DEFAULT_TERMINATIONS);
        campaign((faults) ->
        {
            int inTransaction = 0;
            for (int i = 1; i <= terminations; i++)
            {
                pause();
                final String state = awaitBusySession();
                final long checkpoint = checkpoint();
                final int terminated = terminateAgentSessions();
                if (state.startsWith("active") || state.startsWith("idle in transaction"))
                {
                    inTransaction++;
                }
                final long recovered = awaitCheckpointAfter(checkpoint);
                System.out.printf("termination %d: %d sessions, hit %s, checkpoint moved on after %d ms%n", i,
                    terminated, state, recovered);
            }
            System.out.printf("%d of %d terminations hit a session inside a batch%n", inTransaction, terminations);
            faults[0] = terminations;
        });
    }

    @Test
    void shouldStoreEveryEventOnceWhenPostgresProcessesAreKilled() throws Exception
    {
        final int backendKills = Integer.getInteger("tradestate.pgfault.backend.kills", DEFAULT_BACKEND_KILLS);
        final int serverKills = Integer.getInteger("tradestate.pgfault.server.kills", DEFAULT_SERVER_KILLS);
        campaign((faults) ->
        {
            for (int i = 1; i <= backendKills; i++)
            {
                pause();
                final String state = awaitBusySession();
                final long checkpoint = checkpoint();
                final long pid = agentBackendPid();
                signal(pid, "KILL");
                final long recovered = awaitCheckpointAfter(checkpoint);
                System.out.printf("backend SIGKILL %d: pid %d, hit %s, checkpoint moved on after %d ms%n", i, pid,
                    state, recovered);
            }
            for (int i = 1; i <= serverKills; i++)
            {
                pause();
                final String state = awaitBusySession();
                final long checkpoint = checkpoint();
                final long killNs = System.nanoTime();
                signal(database.postmasterPid(), "KILL");
                database.close();
                database = null;
                database = EmbeddedDatabase.start(stateDir, port);
                final long restartMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killNs);
                final long recovered = awaitCheckpointAfter(checkpoint);
                System.out.printf("postmaster SIGKILL %d: hit %s, server up again after %d ms, checkpoint moved on " +
                    "%d ms after the kill%n", i, state, restartMs, recovered + restartMs);
            }
            faults[0] = backendKills + serverKills;
        });
    }

    /**
     * Faults injected while the writer appends; puts their number in {@code faults[0]}.
     */
    interface Faults
    {
        void inject(int[] faults) throws Exception;
    }

    private void campaign(final Faults faults) throws Exception
    {
        final long seed = Long.getLong("tradestate.pgfault.seed", System.nanoTime());
        System.out.println("seed " + seed + " (-Dtradestate.pgfault.seed=" + seed + " repeats the pauses)");
        random = new Random(seed);
        final long appendFromNs = TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis() - 1_000);
        stateDir = root.resolve("postgres-state");
        port = freePort();
        database = EmbeddedDatabase.start(stateDir, port);

        final Path journalRoot = root.resolve("journal");
        final Path agentState = root.resolve("agent-state");
        agent = new ReaderAgentProcess(root.resolve("agent"), agentSettings(journalRoot, agentState),
            database.password());
        agent.start();

        final long[] indexes;
        final int[] injected = new int[1];
        final long faultsNs;
        final LatencySamples samples = new LatencySamples("appends", (int)MAX_EVENTS);
        try (TradeJournal journal = TradeJournal.open(new JournalContext()
            .journalRoot(journalRoot).sourceId(SOURCE_ID)))
        {
            final PacedAppender appender = new PacedAppender(journal, STREAM, RATE_PER_S, (int)MAX_EVENTS, samples);
            final Thread appenderThread = new Thread(appender, "paced-appender");
            appenderThread.start();
            try
            {
                awaitCheckpointAfter(-1);
                recoveryMs.clear();
                final long startNs = System.nanoTime();
                faults.inject(injected);
                faultsNs = System.nanoTime() - startNs;
                Thread.sleep(500);
            }
            finally
            {
                appender.stop();
                appenderThread.join();
            }
            assertNull(appender.failure(), () -> "the appender failed: " + appender.failure());
            indexes = appender.indexes();
        }
        final long appendToNs = TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis() + 1_000);

        final QueueSummary queue = QueueSummary.of(journalRoot.resolve(SOURCE_ID));
        final long writerDoneNs = System.nanoTime();
        awaitDrained(queue.lastIndex);
        final long drainedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - writerDoneNs);
        final int comparisons = StateMapsAssertions.assertMapsEqualTables(agentState, database.dataSource());
        agent.stop();

        final DrainedEventsVerifier verifier = new DrainedEventsVerifier(database.dataSource(), List.of(
            new DrainedEventsVerifier.Source(SOURCE_ID, STREAM, indexes, queue, ProcessHandle.current().pid())));
        final List<String> problems = verifier.verify(appendFromNs, appendToNs);
        if (!problems.isEmpty())
        {
            fail("the drained database differs from what was appended:\n" + String.join("\n", problems));
        }
        assertEquals(injected[0], recoveryMs.size(), "a recovery was measured after every fault");
        final long[] sorted = recoveryMs.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf("%d faults over %,d ms; %,d events appended (%s), %,d rows compared, stored once each, " +
            "0 lost, 0 duplicated, 0 dead letters; drained %,d ms after the writer stopped; maps equal the tables " +
            "after %d comparison(s); checkpoint moved on after each fault in median %d ms, max %d ms; agent logged " +
            "%d failures and %d recoveries%n%s%n", injected[0], TimeUnit.NANOSECONDS.toMillis(faultsNs),
            indexes.length, queue, verifier.rowsCompared(), drainedMs, comparisons, sorted[sorted.length / 2],
            sorted[sorted.length - 1], agent.countLogLines("database write failed"),
            agent.countLogLines("database writes resumed"), samples.summary());
    }

    private void pause() throws InterruptedException
    {
        Thread.sleep(50 + random.nextInt(Long.getLong("tradestate.pgfault.pause.ms", DEFAULT_PAUSE_MS).intValue()));
    }

    /**
     * Wait up to {@value #AIM_MS} ms for one of the agent's sessions to be inside a batch.
     *
     * @return the state of the session found, or of any session if none was busy.
     */
    private String awaitBusySession() throws Exception
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(AIM_MS);
        String state = "no session";
        do
        {
            try (Connection connection = database.dataSource("postgres").getConnection();
                Statement statement = connection.createStatement();
                // A session still starting has no state yet.
                ResultSet rows = statement.executeQuery("SELECT coalesce(state, 'starting') || " +
                    "coalesce(': ' || left(query, 30), '') FROM pg_stat_activity WHERE datname = '" +
                    EmbeddedDatabase.DATABASE + "' AND pid <> pg_backend_pid() AND backend_type = 'client backend' " +
                    "ORDER BY state = 'idle'"))
            {
                if (rows.next())
                {
                    state = rows.getString(1);
                    if (!state.startsWith("idle:") && !"idle".equals(state))
                    {
                        return state;
                    }
                }
            }
            catch (final SQLException ex)
            {
                // After a backend's SIGKILL the server restarts its backends and recovers; this test's own
                // connection may come in that window (cannot_connect_now), as the agent's do.
                if (!CANNOT_CONNECT_NOW.equals(ex.getSQLState()))
                {
                    throw ex;
                }
                state = "server recovering";
                Thread.sleep(10);
            }
        }
        while (System.nanoTime() - deadlineNs < 0);
        return state;
    }

    private int terminateAgentSessions() throws SQLException
    {
        try (Connection connection = database.dataSource("postgres").getConnection();
            Statement statement = connection.createStatement();
            ResultSet rows = statement.executeQuery("SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) " +
                "FROM pg_stat_activity WHERE datname = '" + EmbeddedDatabase.DATABASE + "' AND pid <> " +
                "pg_backend_pid() AND backend_type = 'client backend'"))
        {
            rows.next();
            return rows.getInt(1);
        }
    }

    private long agentBackendPid() throws SQLException
    {
        try (Connection connection = database.dataSource("postgres").getConnection();
            Statement statement = connection.createStatement();
            ResultSet rows = statement.executeQuery("SELECT pid FROM pg_stat_activity WHERE datname = '" +
                EmbeddedDatabase.DATABASE + "' AND backend_type = 'client backend' ORDER BY state = 'idle' LIMIT 1"))
        {
            assertTrue(rows.next(), "the agent has no session");
            return rows.getLong(1);
        }
    }

    /**
     * Wait until the source's checkpoint is past {@code checkpoint}, reading it through new connections while the
     * server may be down; records and returns the wait.
     */
    private long awaitCheckpointAfter(final long checkpoint) throws Exception
    {
        final long startNs = System.nanoTime();
        final long deadlineNs = startNs + TimeUnit.MILLISECONDS.toNanos(RECOVERY_TIMEOUT_MS);
        while (System.nanoTime() - deadlineNs < 0)
        {
            agent.checkAlive();
            try
            {
                if (checkpoint() > checkpoint)
                {
                    final long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
                    recoveryMs.add(waitedMs);
                    return waitedMs;
                }
            }
            catch (final SQLException ex)
            {
                // the server is restarting
            }
            Thread.sleep(5);
        }
        fail("the checkpoint did not move past 0x" + Long.toHexString(checkpoint) + " within " +
            RECOVERY_TIMEOUT_MS + " ms\n" + agent.logTail());
        return -1;
    }

    private long checkpoint() throws SQLException
    {
        try (Connection connection = database.dataSource().getConnection();
            Statement statement = connection.createStatement();
            ResultSet rows = statement.executeQuery("SELECT CASE WHEN to_regclass('source_checkpoints') IS NULL " +
                "THEN -1 ELSE (SELECT coalesce(max(last_index), -1) FROM source_checkpoints WHERE source_id = '" +
                SOURCE_ID + "') END"))
        {
            rows.next();
            return rows.getLong(1);
        }
    }

    private void awaitDrained(final long lastIndex) throws Exception
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DRAIN_TIMEOUT_MS);
        long checkpoint = -1;
        while (System.nanoTime() - deadlineNs < 0)
        {
            agent.checkAlive();
            checkpoint = checkpoint();
            if (checkpoint == lastIndex)
            {
                return;
            }
            Thread.sleep(50);
        }
        fail("not drained within " + DRAIN_TIMEOUT_MS + " ms: checkpoint 0x" + Long.toHexString(checkpoint) +
            ", queue ends at 0x" + Long.toHexString(lastIndex) + "\n" + agent.logTail());
    }

    private Map<String, String> agentSettings(final Path journalRoot, final Path agentState)
    {
        final Map<String, String> settings = new HashMap<>();
        settings.put(ReaderConfiguration.JOURNAL_ROOT, journalRoot.toString());
        settings.put(ReaderConfiguration.STATE_DIR, agentState.toString());
        settings.put(ReaderConfiguration.DB_URL, database.jdbcUrl());
        settings.put(ReaderConfiguration.DB_USER, EmbeddedDatabase.USER);
        settings.put(ReaderConfiguration.DISCOVERY_INTERVAL_MS, "50");
        settings.put(ReaderConfiguration.METRICS_PORT, "0");
        settings.put(ReaderConfiguration.RETRY_INITIAL_MS, "10");
        settings.put(ReaderConfiguration.RETRY_MAX_MS, "200");
        return settings;
    }

    private static void signal(final long pid, final String signal) throws IOException, InterruptedException
    {
        final Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true)
            .start();
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS) && 0 == kill.exitValue(), "kill -" + signal + " " + pid);
    }

    private static int freePort() throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(EmbeddedDatabase.HOST)))
        {
            return socket.getLocalPort();
        }
    }
}
