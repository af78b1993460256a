package io.tradestate.reader;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.tradestate.files.ChronicleDefaults;
import io.tradestate.reader.drain.BatchCommitter;
import io.tradestate.reader.drain.DrainAgent;
import io.tradestate.reader.drain.JournalRetention;
import io.tradestate.reader.drain.PostgresBatchWriter;
import io.tradestate.reader.drain.SourceOwnership;
import io.tradestate.reader.operations.HeartbeatAgent;
import io.tradestate.reader.operations.MetricsServer;
import io.tradestate.reader.operations.StatusCollector;
import io.tradestate.reader.postgres.EmbeddedDatabase;
import io.tradestate.reader.postgres.SchemaMigrations;
import io.tradestate.reader.state.StateFolderLock;
import io.tradestate.reader.state.StatePublisherAgent;
import org.agrona.CloseHelper;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.SystemEpochClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * The reader agent as a component: the database (embedded or configured), its schema, a small connection pool, and
 * the drain agent on its own thread. {@link #launch(ReaderContext)} starts it all; {@link #close()} stops the drain
 * (committing the open batch), then the pool, then the embedded server. One agent per state folder: the first thing
 * {@link #launch(ReaderContext)} does is lock it ({@link StateFolderLock}), and a second agent on the same folder
 * fails there, whether the database is embedded or not.
 * <p>
 * The pool holds at most two connections: one batch writer needs one, and a second lets a health check or a
 * replacement connection in without waiting. Connections are {@code autoCommit=false}; a pool that cannot reach the
 * database at start does not fail the agent, which keeps retrying with backoff.
 */
public final class ReaderAgent implements AutoCloseable
{
    static
    {
        ChronicleDefaults.apply();
    }

    private static final Logger LOGGER = LoggerFactory.getLogger(ReaderAgent.class);

    private final ReaderContext context;
    private StateFolderLock stateFolderLock;
    private EmbeddedDatabase embeddedDatabase;
    private HikariDataSource dataSource;
    private DrainAgent drainAgent;
    private AgentRunner drainRunner;
    private HeartbeatAgent drainHeartbeat;
    private StatePublisherAgent statePublisher;
    private AgentRunner stateRunner;
    private IdleStrategy stateIdleStrategy;
    private HeartbeatAgent stateHeartbeat;
    private StatusCollector statusCollector;
    private MetricsServer metricsServer;
    private String jdbcUrl;

    private ReaderAgent(final ReaderContext context)
    {
        this.context = context;
    }

    /**
     * Start the reader agent: the database, its migrations and the drain.
     *
     * @param context concluded settings.
     * @return the running agent.
     * @throws IllegalStateException if another agent holds the state folder; the message names the folder and the
     *                               holder's pid.
     */
    public static ReaderAgent launch(final ReaderContext context)
    {
        final ReaderAgent agent = new ReaderAgent(context);
        try
        {
            agent.start();
            return agent;
        }
        catch (final RuntimeException | Error ex)
        {
            CloseHelper.quietClose(agent);
            throw ex;
        }
    }

    private void start()
    {
        // The agent's own folder is made owner-and-group only; the journal root only when created here (it
        // belongs to the deployment, and strategies create their queue folders in it).
        context.stateFileAccess().createDirectories(context.stateDir());
        context.stateFileAccess().directory(context.stateDir());
        context.journalFileAccess().createDirectories(context.journalRoot());
        // Before anything in the folder is touched: a second agent on it would delete this one's live state maps.
        stateFolderLock = StateFolderLock.acquire(context.stateDir(), context.stateFileAccess());

        if (context.stateEnabled())
        {
            // First, and independent of the database: the live state is published even while PostgreSQL is down.
            statePublisher = new StatePublisherAgent(context, SystemEpochClock.INSTANCE);
            stateHeartbeat = new HeartbeatAgent(statePublisher, SystemNanoClock.INSTANCE);
            stateIdleStrategy = IdleStrategies.parse(context.idleStrategy(), ReaderConfiguration.IDLE_STRATEGY,
                context.stateIdleMaxParkUs());
            stateRunner = new AgentRunner(
                stateIdleStrategy,
                (ex) -> LOGGER.error("state publisher error", ex),
                null,
                stateHeartbeat);
            AgentRunner.startOnThread(stateRunner);
        }

        if (context.embeddedDatabase())
        {
            try
            {
                embeddedDatabase = EmbeddedDatabase.start(context.stateDir(), context.embeddedPort());
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("cannot start the embedded PostgreSQL in " + context.stateDir(), ex);
            }
            jdbcUrl = embeddedDatabase.jdbcUrl();
            LOGGER.info("embedded PostgreSQL ready; connect with: {}", embeddedDatabase.psqlHint());
        }
        else
        {
            jdbcUrl = context.dbUrl();
        }

        dataSource = new HikariDataSource(poolConfiguration());
        final SchemaMigrations.Result migration;
        if (context.dbMigrationUser().isEmpty())
        {
            migration = migrateOnceReachable(dataSource);
        }
        else
        {
            // The schema's owner migrates over a pool of its own, closed at once: the agent runs without it.
            try (HikariDataSource migrationDataSource = new HikariDataSource(migrationPoolConfiguration()))
            {
                migration = migrateOnceReachable(migrationDataSource);
            }
            LOGGER.info("migrations run as {}; draining as {}", context.dbMigrationUser(), context.dbUser());
        }
        LOGGER.info("schema at version {} ({} migrations applied)", migration.versionAfter(),
            migration.migrationsExecuted());
        try
        {
            PostgresBatchWriter.checkPrivileges(dataSource);
        }
        catch (final SQLException ex)
        {
            // Reachable a moment ago: the first batch meets the same question, and its failure is retried and logged.
            LOGGER.warn("cannot check the role's privileges now: {}", ex.toString());
        }

        drainAgent = new DrainAgent(context, new PostgresBatchWriter(dataSource), SystemEpochClock.INSTANCE,
            new JournalRetention(context, statePublisher));
        drainHeartbeat = new HeartbeatAgent(drainAgent, SystemNanoClock.INSTANCE);
        drainRunner = new AgentRunner(
            IdleStrategies.parse(context.idleStrategy(), ReaderConfiguration.IDLE_STRATEGY),
            (ex) -> LOGGER.error("drain agent error", ex),
            null,
            drainHeartbeat);
        AgentRunner.startOnThread(drainRunner);
        LOGGER.info("draining {} into {}", context.journalRoot(), jdbcUrl);

        if (context.metricsPort() >= 0)
        {
            statusCollector = new StatusCollector(context.journalRoot(), dataSource,
                SourceOwnership.agentId(context.stateDir()));
            metricsServer = new MetricsServer(context.metricsHost(), context.metricsPort(), statusCollector,
                drainAgent, statePublisher);
        }
    }

    /**
     * JDBC URL of the database the agent writes to.
     *
     * @return the URL, without credentials.
     */
    public String jdbcUrl()
    {
        return jdbcUrl;
    }

    /**
     * The psql command that connects to the embedded server, or null with a configured URL.
     *
     * @return the command line.
     */
    public String psqlHint()
    {
        return null == embeddedDatabase ? null : embeddedDatabase.psqlHint();
    }

    /**
     * Events committed to the database since launch.
     *
     * @return the count.
     */
    public long eventsCommitted()
    {
        return null == drainAgent ? 0 : drainAgent.eventsCommitted();
    }

    /**
     * Time the drain's copying threads have spent on batches since launch, summed (the history rows' COPY above all).
     *
     * @return nanoseconds.
     */
    public long batchCopyNanos()
    {
        return null == drainAgent ? 0 : drainAgent.batchCopyNanos();
    }

    /**
     * Time the drain's committing thread has spent on batches since launch (upserts, checkpoints, commits).
     *
     * @return nanoseconds.
     */
    public long batchFinishNanos()
    {
        return null == drainAgent ? 0 : drainAgent.batchFinishNanos();
    }

    /**
     * The state publisher, or null when {@code state.enabled} is false.
     *
     * @return the publisher.
     */
    StatePublisherAgent statePublisher()
    {
        return statePublisher;
    }

    /**
     * The state publisher's idle strategy, or null when {@code state.enabled} is false.
     *
     * @return the strategy its runner idles with.
     */
    IdleStrategy stateIdleStrategy()
    {
        return stateIdleStrategy;
    }

    /**
     * The state maps generation last published.
     *
     * @return its number, 0 if none (or the publisher is off).
     */
    public long stateGeneration()
    {
        return null == statePublisher ? 0 : statePublisher.publishedGeneration();
    }

    /**
     * Events applied to the state maps since launch.
     *
     * @return the count.
     */
    public long stateEventsApplied()
    {
        return null == statePublisher ? 0 : statePublisher.eventsApplied();
    }

    /**
     * Entries in the state maps: orders, trades, pair lock keys and balances, as of the last sweep (every second).
     *
     * @return the total.
     */
    public long stateEntries()
    {
        return null == statePublisher ? 0 : statePublisher.ordersSize() + statePublisher.tradesSize() +
            statePublisher.pairLocksSize() + statePublisher.balancesSize();
    }

    /**
     * Time from append to visible in the state maps of the events applied since the last call.
     *
     * @return a histogram in nanoseconds, empty when the publisher is off.
     */
    public org.HdrHistogram.Histogram takeStateVisibleLatencyNs()
    {
        return null == statePublisher ? new org.HdrHistogram.Histogram(3) : statePublisher.takeAppliedLatencyNs();
    }

    /**
     * From now on, keep the append-to-visible times of the events appended before {@code appendTimeNs} apart from
     * those of the later ones, so that the first seconds of a run can be told from its steady state:
     * {@link #takeStateVisibleLatencyNs(boolean)} takes either side, {@link #takeStateVisibleLatencyNs()} both.
     *
     * @param appendTimeNs epoch nanoseconds of the host clock the writers stamp appends with.
     */
    public void splitStateVisibleLatencyAt(final long appendTimeNs)
    {
        if (null != statePublisher)
        {
            statePublisher.splitAppliedLatencyAt(appendTimeNs);
        }
    }

    /**
     * Time from append to visible in the state maps of the events on one side of the split
     * ({@link #splitStateVisibleLatencyAt(long)}) applied since the last take of that side.
     *
     * @param appendedBeforeSplit true for the events appended before the split, false for the others.
     * @return a histogram in nanoseconds, empty when the publisher is off.
     */
    public org.HdrHistogram.Histogram takeStateVisibleLatencyNs(final boolean appendedBeforeSplit)
    {
        return null == statePublisher ? new org.HdrHistogram.Histogram(3) :
            statePublisher.takeAppliedLatencyNs(appendedBeforeSplit);
    }

    /**
     * An agent (drain or state publisher) that finished no duty cycle within a limit: stuck in a call, or its thread
     * ended; or the drain's batch write that has not returned within it. Busy and idle agents both keep cycling.
     * Read by the systemd watchdog.
     *
     * @param nowNs   now, by {@link SystemNanoClock}.
     * @param limitNs the limit.
     * @return the agent's role name ({@code tradestate-drain-commit} for the batch write), or null if every agent
     * finished a cycle within the limit.
     */
    public String stalledAgent(final long nowNs, final long limitNs)
    {
        if (null != drainHeartbeat && nowNs - drainHeartbeat.lastDutyCycleNs() > limitNs)
        {
            return drainHeartbeat.roleName();
        }
        if (null != drainAgent && drainAgent.isCommitStalled(nowNs, limitNs))
        {
            return BatchCommitter.THREAD_NAME;
        }
        if (null != stateHeartbeat && nowNs - stateHeartbeat.lastDutyCycleNs() > limitNs)
        {
            return stateHeartbeat.roleName();
        }
        return null;
    }

    /**
     * Sources whose reading threw, parked by the drain or by the state publisher (the larger of the two counts):
     * each is retried, the others go on (see {@code tradestate_sources_parked}).
     *
     * @return the count now.
     */
    public int sourcesParked()
    {
        final int drainParked = null == drainAgent ? 0 : drainAgent.sourcesParked();
        final int stateParked = null == statePublisher ? 0 : statePublisher.sourcesParked();
        return Math.max(drainParked, stateParked);
    }

    /**
     * Port of the metrics endpoint.
     *
     * @return the port, or -1 when the endpoint is off.
     */
    public int metricsPort()
    {
        return null == metricsServer ? -1 : metricsServer.port();
    }

    /**
     * Address of the metrics endpoint.
     *
     * @return the bound address, or null when the endpoint is off.
     */
    public java.net.InetSocketAddress metricsAddress()
    {
        return null == metricsServer ? null : metricsServer.address();
    }

    /**
     * Stop draining, committing the open batch, then release the pool and stop the embedded server.
     */
    public void close()
    {
        CloseHelper.quietClose(metricsServer);
        CloseHelper.quietClose(statusCollector);
        stop(drainRunner);
        stop(stateRunner);
        CloseHelper.quietClose(dataSource);
        CloseHelper.quietClose(embeddedDatabase);
        CloseHelper.quietClose(stateFolderLock);
    }

    /**
     * Stop an agent's thread once its duty cycle ends. A cycle still running after Agrona's retry timeout (a batch
     * committing or the state maps rebuilding on a loaded machine) is reported through the agent's own log, in its
     * format, where Agrona would print a raw line on stderr; the thread is then interrupted and waited for again.
     */
    private static void stop(final AgentRunner runner)
    {
        if (null != runner)
        {
            runner.close(AgentRunner.RETRY_CLOSE_TIMEOUT_MS, (thread) -> LOGGER.info(
                "{} is still in its duty cycle {} ms after close; interrupting it and waiting again",
                thread.getName(), AgentRunner.RETRY_CLOSE_TIMEOUT_MS));
        }
    }

    /**
     * Migrate the schema, waiting for the database when it cannot be reached (it may start after the agent, or be
     * failing over): retried with the drain's back-off, while the state publisher already runs. Any other failure,
     * such as a schema newer than this agent, stops the start at once.
     */
    private SchemaMigrations.Result migrateOnceReachable(final DataSource migrationDataSource)
    {
        long delayMs = context.retryInitialMs();
        while (true)
        {
            try
            {
                return SchemaMigrations.migrate(migrationDataSource);
            }
            catch (final RuntimeException ex)
            {
                if (!isConnectionFailure(ex))
                {
                    throw ex;
                }
                LOGGER.warn("database not reachable at start, retrying in {} ms (the state maps are published " +
                    "meanwhile): {}", delayMs, ex.getMessage());
            }
            try
            {
                Thread.sleep(delayMs);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the database", ex);
            }
            delayMs = Math.min(delayMs * 2, context.retryMaxMs());
        }
    }

    /**
     * Whether a failure means the server could not be reached, as opposed to refusing the agent: a wrong password
     * (SQLState 28) or a missing database (3D000) is a configuration error, not worth waiting for, even when the
     * pool reports it as a connection timeout with that failure as its cause.
     */
    static boolean isConnectionFailure(final Throwable failure)
    {
        boolean unreachable = false;
        for (Throwable cause = failure; null != cause; cause = cause.getCause())
        {
            unreachable |= cause instanceof java.sql.SQLTransientConnectionException;
            if (cause instanceof java.sql.SQLException)
            {
                final String state = ((java.sql.SQLException)cause).getSQLState();
                if (null != state && (state.startsWith("28") || "3D000".equals(state)))
                {
                    return false;
                }
                unreachable |= null != state && (state.startsWith("08") || "57P03".equals(state));
            }
        }
        return unreachable;
    }

    private HikariConfig poolConfiguration()
    {
        final HikariConfig config = new HikariConfig();
        config.setPoolName("tradestate-reader");
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(null != embeddedDatabase ? EmbeddedDatabase.USER : context.dbUser());
        final String password = null != embeddedDatabase ? embeddedDatabase.password() : context.dbPassword();
        if (null != password)
        {
            config.setPassword(password);
        }
        config.setAutoCommit(false);
        // The committer's three batches in flight (two copying, one finishing), the drain's discovery (ownership,
        // journal identities), the metrics' status queries.
        config.setMaximumPoolSize(5);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(2_000);
        config.setValidationTimeout(1_000);
        config.setInitializationFailTimeout(-1);
        config.addDataSourceProperty("ApplicationName", "tradestate-reader-agent");
        config.addDataSourceProperty("tcpKeepAlive", "true");
        config.addDataSourceProperty("socketTimeout", "60");
        config.addDataSourceProperty("connectTimeout", "5");
        return config;
    }

    private HikariConfig migrationPoolConfiguration()
    {
        final HikariConfig config = poolConfiguration();
        config.setPoolName("tradestate-migration");
        config.setUsername(context.dbMigrationUser());
        config.setPassword(context.dbMigrationPassword());
        // Flyway holds two connections at once: one for its history table's lock, one for the migration.
        config.setMinimumIdle(0);
        config.addDataSourceProperty("ApplicationName", "tradestate-migration");
        return config;
    }
}
