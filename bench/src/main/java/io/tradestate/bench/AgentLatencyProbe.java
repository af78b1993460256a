package io.tradestate.bench;

import io.tradestate.reader.ReaderAgent;
import io.tradestate.reader.ReaderConfiguration;
import io.tradestate.reader.ReaderContext;
import io.tradestate.reader.postgres.EmbeddedDatabase;
import org.HdrHistogram.Histogram;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.concurrent.TimeUnit;

/**
 * The reader agent in another JVM than the strategy, as in production: the drain into its embedded PostgreSQL
 * ({@code fsync} and {@code synchronous_commit} on, {@code track_commit_timestamp} on) and the state publisher, with
 * their default settings. Per measured run it reports two latencies from each event's {@code appendTimeNs} (its
 * intended send time, see {@link IntendedTimeClock}):
 * <ul>
 * <li><b>state map</b>: to visible in the state maps, as the publisher itself records it
 * ({@link ReaderAgent#takeStateVisibleLatencyNs()}; the journal's heartbeats, one per roll, are in it too);</li>
 * <li><b>commit</b>: to the commit of the transaction that stored the event's row, from
 * {@code pg_xact_commit_timestamp(xmin)} (microseconds; PostgreSQL stamps it as it writes the commit record, just
 * before the WAL flush that makes it durable).</li>
 * </ul>
 * Commands: {@code SYNC <source> <events> <total> <timeoutSeconds>} waits until the run's warm-up and every event
 * appended before it ({@code total} rows) are stored, then resets the state histogram;
 * {@code MEASURE <source> <fromEpochNs> <events> <name> <timeoutSeconds>} waits until every measured event is
 * stored, then writes the histograms; {@code QUIT}.
 */
final class AgentLatencyProbe
{
    private static final long READY_TIMEOUT_MS = TimeUnit.MINUTES.toMillis(3);
    private static final long SYNC_POLL_MS = 250;
    private static final long POLL_MS = 20;
    private static final long HIGHEST_TRACKABLE_NS = TimeUnit.MINUTES.toNanos(30);
    private static final String COUNT_SQL =
        "SELECT count(*) FROM order_events WHERE source_id = ? AND append_time >= ? AND append_time_ns >= ?";
    private static final String LATENCY_SQL = "SELECT (extract(epoch FROM pg_xact_commit_timestamp(xmin)) * " +
        "1000000)::int8, append_time_ns FROM order_events WHERE source_id = ? AND append_time >= ? AND " +
        "append_time_ns >= ?";

    private final Path workDir;
    private final long epochOffsetNs;
    private final Path resultsDir;
    private long committedAtSync;

    AgentLatencyProbe(final Path workDir, final long epochOffsetNs, final Path resultsDir)
    {
        this.workDir = workDir;
        this.epochOffsetNs = epochOffsetNs;
        this.resultsDir = resultsDir;
    }

    void run(final BufferedReader commands) throws Exception
    {
        final Path stateDir = workDir.resolve("state");
        try (EmbeddedDatabase database = startWithCommitTimestamps(stateDir);
            Connection connection = DriverManager.getConnection(
                database.jdbcUrl(), EmbeddedDatabase.USER, database.password()))
        {
            // Settings the harness does not fix come from TRADESTATE_* in the environment, as the agent takes them:
            // runs that compare a setting (state.idle.max.park.us, say) set it there.
            final ReaderContext context = ReaderContext.load(null, System.getenv())
                .set(ReaderConfiguration.JOURNAL_ROOT, workDir.resolve("journal").toString())
                .set(ReaderConfiguration.STATE_DIR, stateDir.toString())
                .set(ReaderConfiguration.DB_URL, database.jdbcUrl())
                .set(ReaderConfiguration.DB_USER, EmbeddedDatabase.USER)
                .set(ReaderConfiguration.DISCOVERY_INTERVAL_MS, "100")
                .set(ReaderConfiguration.METRICS_PORT, "-1")
                .dbPassword(database.password())
                .conclude();
            try (ReaderAgent agent = ReaderAgent.launch(context))
            {
                final long deadlineMs = System.currentTimeMillis() + READY_TIMEOUT_MS;
                while (0 == agent.stateGeneration() && System.currentTimeMillis() < deadlineMs)
                {
                    Thread.sleep(POLL_MS);
                }
                if (0 == agent.stateGeneration())
                {
                    throw new IllegalStateException("the state maps were not published within " + READY_TIMEOUT_MS +
                        " ms");
                }
                EndToEndReaderMain.reply("READY");

                String line;
                while (null != (line = commands.readLine()))
                {
                    final String[] fields = line.trim().split(" ");
                    switch (fields[0])
                    {
                        case "SYNC" -> sync(agent, connection, fields[1], Long.parseLong(fields[2]),
                            Long.parseLong(fields[3]), Long.parseLong(fields[4]));
                        case "MEASURE" -> measure(agent, connection, fields[1], Long.parseLong(fields[2]),
                            Long.parseLong(fields[3]), fields[4], Long.parseLong(fields[5]));
                        case "QUIT" ->
                        {
                            return;
                        }
                        default -> throw new IllegalArgumentException("unknown command " + line);
                    }
                }
            }
        }
    }

    private void sync(
        final ReaderAgent agent,
        final Connection connection,
        final String source,
        final long events,
        final long total,
        final long timeoutSeconds) throws SQLException, InterruptedException
    {
        // Every event appended so far, the backlog a run the drain did not sustain left included: a run starts
        // with the drain idle, or it measures the backlog.
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        long stored = 0;
        long all = 0;
        while (System.nanoTime() < deadlineNs)
        {
            stored = count(connection, source, 0);
            all = countAll(connection);
            if (stored >= events && all >= total)
            {
                break;
            }
            Thread.sleep(SYNC_POLL_MS);
        }
        if (stored < events || all < total)
        {
            throw new IllegalStateException(source + ": " + stored + " of " + events + " warm-up events stored, " +
                all + " of " + total + " events of every run, after " + timeoutSeconds + " s");
        }
        // The publisher has been applying the same events meanwhile, recording each: wait until it has them all,
        // then start from nothing.
        long applied = 0;
        while (applied < events && System.nanoTime() < deadlineNs)
        {
            applied += agent.takeStateVisibleLatencyNs().getTotalCount();
            Thread.sleep(POLL_MS);
        }
        if (applied < events)
        {
            throw new IllegalStateException(source + ": " + applied + " of " + events + " warm-up events applied to " +
                "the state maps after " + timeoutSeconds + " s");
        }
        Thread.sleep(200);
        agent.takeStateVisibleLatencyNs();
        committedAtSync = agent.eventsCommitted();
        EndToEndReaderMain.reply("SYNCED stored=%d all=%d applied=%d", stored, all, applied);
    }

    private void measure(
        final ReaderAgent agent,
        final Connection connection,
        final String source,
        final long fromEpochNs,
        final long events,
        final String name,
        final long timeoutSeconds) throws SQLException, InterruptedException, IOException
    {
        final Histogram stateNs = new Histogram(HIGHEST_TRACKABLE_NS, 3);
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        long stateDoneEpochNs = 0;
        long stored = 0;
        while (System.nanoTime() < deadlineNs)
        {
            stateNs.add(agent.takeStateVisibleLatencyNs());
            if (0 == stateDoneEpochNs && stateNs.getTotalCount() >= events)
            {
                stateDoneEpochNs = System.nanoTime() + epochOffsetNs;
            }
            // The agent's counter first (heartbeats count in it), the exact count only when it could be complete.
            if (agent.eventsCommitted() - committedAtSync >= events)
            {
                stored = count(connection, source, fromEpochNs);
            }
            if (stored >= events && 0 != stateDoneEpochNs)
            {
                break;
            }
            Thread.sleep(POLL_MS);
        }
        Thread.sleep(POLL_MS);
        stateNs.add(agent.takeStateVisibleLatencyNs());

        final Histogram commitNs = new Histogram(HIGHEST_TRACKABLE_NS, 3);
        long lastCommitEpochNs = 0;
        try (PreparedStatement statement = connection.prepareStatement(LATENCY_SQL))
        {
            bind(statement, source, fromEpochNs);
            try (ResultSet rows = statement.executeQuery())
            {
                while (rows.next())
                {
                    final long commitEpochNs = TimeUnit.MICROSECONDS.toNanos(rows.getLong(1));
                    commitNs.recordValue(Math.min(HIGHEST_TRACKABLE_NS, Math.max(0, commitEpochNs - rows.getLong(2))));
                    lastCommitEpochNs = Math.max(lastCommitEpochNs, commitEpochNs);
                }
            }
        }

        HistogramFiles.write(resultsDir, name + "-state-map", stateNs);
        HistogramFiles.write(resultsDir, name + "-commit", commitNs);
        EndToEndReaderMain.reply("DONE stateRecorded=%d stateDoneEpochNs=%d committed=%d lastCommitEpochNs=%d " +
            "complete=%b", stateNs.getTotalCount(), stateDoneEpochNs, commitNs.getTotalCount(), lastCommitEpochNs,
            stored >= events && 0 != stateDoneEpochNs);
    }

    private static long count(final Connection connection, final String source, final long fromEpochNs)
        throws SQLException
    {
        try (PreparedStatement statement = connection.prepareStatement(COUNT_SQL))
        {
            bind(statement, source, fromEpochNs);
            try (ResultSet result = statement.executeQuery())
            {
                result.next();
                return result.getLong(1);
            }
        }
    }

    private static long countAll(final Connection connection) throws SQLException
    {
        try (Statement statement = connection.createStatement();
            ResultSet result = statement.executeQuery("SELECT count(*) FROM order_events"))
        {
            result.next();
            return result.getLong(1);
        }
    }

    private static void bind(final PreparedStatement statement, final String source, final long fromEpochNs)
        throws SQLException
    {
        statement.setString(1, source);
        statement.setTimestamp(2, new Timestamp(TimeUnit.NANOSECONDS.toMillis(fromEpochNs)));
        statement.setLong(3, fromEpochNs);
    }

    /**
     * The agent's embedded server under the state folder, with {@code track_commit_timestamp} on: set with
     * {@code ALTER SYSTEM}, which takes a restart.
     */
    private static EmbeddedDatabase startWithCommitTimestamps(final Path stateDir) throws IOException, SQLException
    {
        final EmbeddedDatabase database = EmbeddedDatabase.start(stateDir, 0);
        try (Connection connection = database.dataSource().getConnection();
            Statement statement = connection.createStatement())
        {
            statement.execute("ALTER SYSTEM SET track_commit_timestamp = on");
        }
        catch (final SQLException ex)
        {
            database.close();
            throw ex;
        }
        database.close();
        final EmbeddedDatabase restarted = EmbeddedDatabase.start(stateDir, 0);
        try (Connection connection = restarted.dataSource().getConnection();
            Statement statement = connection.createStatement();
            ResultSet result = statement.executeQuery("SHOW track_commit_timestamp"))
        {
            result.next();
            if (!"on".equalsIgnoreCase(result.getString(1)))
            {
                restarted.close();
                throw new IllegalStateException("track_commit_timestamp is still off after a restart");
            }
        }
        return restarted;
    }
}
