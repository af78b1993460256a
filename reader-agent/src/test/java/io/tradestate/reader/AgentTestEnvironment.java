package io.tradestate.reader;

import io.tradestate.codecs.OrderStatus;
import io.tradestate.codecs.OrderType;
import io.tradestate.codecs.Side;
import io.tradestate.reader.drain.DrainAgent;
import io.tradestate.reader.drain.PostgresBatchWriter;
import io.tradestate.reader.postgres.SchemaMigrations;
import io.tradestate.writer.JournalContext;
import io.tradestate.writer.TradeJournal;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * A test database and a reader agent with the settings a test names: the JUnit extension of the integration tests
 * that work on PostgreSQL, in this module and in those built on it (a test-jar).
 * <pre>
 * &#64;RegisterExtension
 * final AgentTestEnvironment environment = new AgentTestEnvironment("drain")
 *     .settings((context) -&gt; context.set(ReaderConfiguration.METRICS_PORT, "-1"));
 * ...
 * environment.launch();
 * environment.awaitCheckpoint("alpha", lastIndex, 60_000);
 * </pre>
 * Each test gets a database of its own on {@link TestDatabase}'s server (created when the test first asks for it, so
 * that a test that needs none costs nothing; with the agent's schema when {@link #migrated()}; dropped after the test
 * with the sessions still open), a folder of its own with the journal root {@code journal/} and the agent's state
 * folder {@code state/} (deleted after it), and at most one running agent, closed after it whatever the outcome.
 * Registered on a {@code static} field, the database and the folder are the class's, usable in {@code @BeforeAll}
 * and removed after its last test, for tests that share what they fill there; an agent started in a test is still
 * closed after that test. A test that needs no agent uses the database alone ({@link #dataSource()},
 * {@link #agentPool()}); one that needs another database asks for it ({@link #otherDatabase(String)}); agents in
 * child JVMs, as the daemon runs them, come from {@link #process} with {@link #processSettings}, and are killed after
 * the test.
 * <p>
 * Design note: an extension registered on a field rather than a base class, so that a test keeps its own
 * hierarchy and names its settings where it declares the environment; a field rather than {@code @ExtendWith}, so
 * that the settings are plain Java (a {@link ReaderContext} edited before {@link ReaderContext#conclude()}) instead
 * of annotation strings. The agent is started by the test, not by the extension, because most tests append before
 * it starts, and several stop it and start it again. What this class does not do (a test's own SQL, its own
 * assertions, the strategy JVMs it starts) stays in the test. It lives in this module's tests rather than in
 * {@code test-support}, which this module's tests depend on: it needs the agent, so there it would make a cycle.
 */
public final class AgentTestEnvironment
    implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback
{
    private static final long POLL_INTERVAL_MS = 20;
    private static final String UNDEFINED_TABLE = "42P01";

    private final String prefix;
    private final List<String> otherDatabases = new ArrayList<>();
    private final List<ReaderAgentProcess> testProcesses = new ArrayList<>();
    private final List<ReaderAgentProcess> classProcesses = new ArrayList<>();
    private UnaryOperator<ReaderContext> settings = UnaryOperator.identity();
    private boolean migrated;
    private boolean perClass;
    private boolean inTest;
    private String database;
    private DataSource dataSource;
    private HikariDataSource agentPool;
    private Path root;
    private ReaderAgent agent;
    private boolean agentOfTest;

    /**
     * An environment whose databases are named after {@code prefix}.
     *
     * @param prefix start of the database names, e.g. what the test is about.
     */
    public AgentTestEnvironment(final String prefix)
    {
        this.prefix = prefix;
    }

    /**
     * The test's settings, applied to {@link TestDatabase#agentContext} by {@link #context()} and so by every
     * {@link #launch()}.
     *
     * @param settings sets what the test needs on the context and returns it.
     * @return this.
     */
    public AgentTestEnvironment settings(final UnaryOperator<ReaderContext> settings)
    {
        this.settings = settings;
        return this;
    }

    /**
     * Settings of an agent with small state maps and no metrics endpoint, as the tools' tests that read its maps
     * want: for {@link #settings}.
     *
     * @param orderEntries the entries of the orders map; the trades, pair locks and balances maps get 1000.
     * @return the settings.
     */
    public static UnaryOperator<ReaderContext> smallStateMaps(final int orderEntries)
    {
        return (context) -> context
            .set(ReaderConfiguration.METRICS_PORT, "-1")
            .set(ReaderConfiguration.STATE_ORDERS_ENTRIES, String.valueOf(orderEntries))
            .set(ReaderConfiguration.STATE_TRADES_ENTRIES, "1000")
            .set(ReaderConfiguration.STATE_PAIR_LOCKS_ENTRIES, "1000")
            .set(ReaderConfiguration.STATE_BALANCES_ENTRIES, "1000");
    }

    /**
     * Make the agent's schema ({@link SchemaMigrations#migrate}) in each database this environment creates, for
     * tests that work on the tables without an agent, or drive a {@link DrainAgent} themselves.
     *
     * @return this.
     */
    public AgentTestEnvironment migrated()
    {
        this.migrated = true;
        return this;
    }

    /**
     * {@inheritDoc}
     */
    public void beforeAll(final ExtensionContext extensionContext) throws IOException
    {
        perClass = true;
        createFolder();
    }

    /**
     * {@inheritDoc}
     */
    public void beforeEach(final ExtensionContext extensionContext) throws IOException
    {
        inTest = true;
        if (!perClass)
        {
            createFolder();
        }
    }

    /**
     * {@inheritDoc}
     */
    public void afterEach(final ExtensionContext extensionContext)
    {
        inTest = false;
        try
        {
            closeAll(testProcesses);
            if (agentOfTest)
            {
                stopAgent();
            }
        }
        finally
        {
            if (!perClass)
            {
                dropDatabaseAndFolder();
            }
        }
    }

    /**
     * {@inheritDoc}
     */
    public void afterAll(final ExtensionContext extensionContext)
    {
        try
        {
            closeAll(classProcesses);
            stopAgent();
        }
        finally
        {
            dropDatabaseAndFolder();
        }
    }

    /**
     * Name of the test's database, created on first use (by whichever thread asks first).
     *
     * @return the name.
     */
    public synchronized String database()
    {
        if (null == database)
        {
            root(); // no database outside the test or class it belongs to
            database = TestDatabase.createDatabase(prefix);
            dataSource = TestDatabase.dataSource(database);
            if (migrated)
            {
                SchemaMigrations.migrate(dataSource);
            }
        }
        return database;
    }

    /**
     * Unpooled data source of the test's database.
     *
     * @return the data source.
     */
    public DataSource dataSource()
    {
        database();
        return dataSource;
    }

    /**
     * A pool over the test's database set as the agent's own for its batches ({@link TestDatabase#agentPool}), for
     * tests that drive a {@link DrainAgent} or a {@link PostgresBatchWriter} themselves; made on first use, closed
     * before the database is dropped.
     *
     * @return the pool.
     */
    public HikariDataSource agentPool()
    {
        if (null == agentPool)
        {
            agentPool = TestDatabase.agentPool(database());
        }
        return agentPool;
    }

    /**
     * Another empty database of the same server, dropped with the test's own.
     *
     * @param otherPrefix start of its name.
     * @return its name.
     */
    public String otherDatabase(final String otherPrefix)
    {
        final String other = TestDatabase.createDatabase(otherPrefix);
        otherDatabases.add(other);
        return other;
    }

    /**
     * The test's folder, holding {@link #journalRoot()} and {@link #stateDir()} and whatever else the test puts in it;
     * the class's when the environment is registered on a {@code static} field.
     *
     * @return the folder.
     */
    public Path root()
    {
        if (null == root)
        {
            throw new IllegalStateException("the test's folder and database exist during the test (or class) only");
        }
        return root;
    }

    /**
     * The journal root the agent drains.
     *
     * @return {@code journal/} of {@link #root()}.
     */
    public Path journalRoot()
    {
        return root().resolve("journal");
    }

    /**
     * The agent's state folder.
     *
     * @return {@code state/} of {@link #root()}.
     */
    public Path stateDir()
    {
        return root().resolve("state");
    }

    /**
     * A journal of the test's journal root, without heartbeats so that what a test appends is all there is; the
     * caller closes it.
     *
     * @param sourceId the journal's source.
     * @return the open journal.
     */
    public TradeJournal journal(final String sourceId)
    {
        return TradeJournal.open(journalContext(sourceId));
    }

    /**
     * The context of {@link #journal(String)}, for a test that sets more before opening it.
     *
     * @param sourceId the journal's source.
     * @return the context, not yet used.
     */
    public JournalContext journalContext(final String sourceId)
    {
        return new JournalContext().journalRoot(journalRoot()).sourceId(sourceId).heartbeatIntervalMs(0);
    }

    /**
     * Append open limit orders (binance, BTC/USDT, buy 1 at 100) with the ids {@code orderIdPrefix + 0..orders-1},
     * through the source's journal opened for them and closed after: the plain events of tests about sources,
     * checkpoints and faults rather than about the events themselves.
     *
     * @param sourceId      the journal's source.
     * @param orderIdPrefix start of the order ids.
     * @param orders        how many.
     * @return the queue index of the last, -1 if none.
     */
    public long appendOrders(final String sourceId, final String orderIdPrefix, final int orders)
    {
        long lastIndex = -1;
        try (TradeJournal journal = TradeJournal.open(journalContext(sourceId).warmUpAppends(0)))
        {
            for (int i = 0; i < orders; i++)
            {
                lastIndex = journal.orderUpdate().exchange("binance").symbol("BTC/USDT").orderId(orderIdPrefix + i)
                    .side(Side.BUY).orderType(OrderType.LIMIT).status(OrderStatus.OPEN).amount(1, 0).price(100, 0)
                    .commit();
            }
        }
        return lastIndex;
    }

    /**
     * The agent's settings: {@link TestDatabase#agentContext} for the test's database and folders, then the
     * test's {@link #settings}. Not concluded, so that a test can set more.
     *
     * @return the context.
     */
    public ReaderContext context()
    {
        return settings.apply(TestDatabase.agentContext(database(), journalRoot(), stateDir()));
    }

    /**
     * Start the agent with {@link #context()}.
     *
     * @return the running agent, which the environment closes after the test.
     */
    public ReaderAgent launch()
    {
        return launch(context());
    }

    /**
     * Start the agent with the settings given.
     *
     * @param context the settings, e.g. {@link #context()} with more set; concluded here.
     * @return the running agent, which the environment closes after the test.
     * @throws IllegalStateException if an agent of this environment still runs.
     */
    public ReaderAgent launch(final ReaderContext context)
    {
        if (null != agent)
        {
            throw new IllegalStateException("an agent still runs: stopAgent() first");
        }
        agent = ReaderAgent.launch(context.conclude());
        agentOfTest = inTest;
        return agent;
    }

    /**
     * The running agent.
     *
     * @return the agent, or null if none runs.
     */
    public ReaderAgent agent()
    {
        return agent;
    }

    /**
     * Close the running agent, if any.
     */
    public void stopAgent()
    {
        if (null != agent)
        {
            final ReaderAgent running = agent;
            agent = null;
            running.close();
        }
    }

    /**
     * The settings of an agent in a child JVM draining into the test's database, as {@link #context()} has them
     * before the test's {@link #settings}: for {@link #process}, which passes the password.
     *
     * @param journalRoot the journals to drain.
     * @param stateDir    the agent's state folder.
     * @return keys of {@link ReaderConfiguration} and their values, a mutable map the test may add to.
     */
    public Map<String, String> processSettings(final Path journalRoot, final Path stateDir)
    {
        return TestDatabase.agentSettings(database(), journalRoot, stateDir);
    }

    /**
     * A reader agent in a child JVM, not started yet, killed after the test (after the class if made in
     * {@code @BeforeAll}) if still running.
     *
     * @param directory   folder for its configuration file and logs; its working folder.
     * @param settings    its settings, e.g. {@link #processSettings} with more set.
     * @param environment more environment variables; the database password is added.
     * @return the agent.
     * @throws IOException if its configuration file cannot be written.
     */
    ReaderAgentProcess process(final Path directory, final Map<String, String> settings,
        final Map<String, String> environment) throws IOException
    {
        final ReaderAgentProcess process = new ReaderAgentProcess(directory, settings, TestDatabase.password(),
            environment);
        (inTest ? testProcesses : classProcesses).add(process);
        return process;
    }

    /**
     * Wait until the agent has committed a source up to an index.
     *
     * @param sourceId  the source.
     * @param index     the index of the source's last event to wait for.
     * @param timeoutMs how long to wait before failing.
     * @throws AssertionError       if the checkpoint does not reach {@code index} in time.
     * @throws SQLException         if the checkpoint cannot be read (other than its table not existing yet).
     * @throws InterruptedException if interrupted while waiting.
     */
    public void awaitCheckpoint(final String sourceId, final long index, final long timeoutMs)
        throws SQLException, InterruptedException
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        Long checkpoint = null;
        while (System.nanoTime() - deadlineNs < 0)
        {
            checkpoint = checkpoint(sourceId);
            if (null != checkpoint && checkpoint >= index)
            {
                return;
            }
            Thread.sleep(POLL_INTERVAL_MS);
        }
        throw new AssertionError(sourceId + " not drained to " + index + " within " + timeoutMs + " ms: checkpoint " +
            checkpoint);
    }

    /**
     * Wait until the agent has committed every source up to its index, as {@link #awaitCheckpoint} for each.
     *
     * @param lastIndexes the index of each source's last event.
     * @param timeoutMs   how long to wait for all of them before failing.
     * @throws AssertionError       if a checkpoint does not reach its index in time.
     * @throws SQLException         if a checkpoint cannot be read.
     * @throws InterruptedException if interrupted while waiting.
     */
    public void awaitCheckpoints(final Map<String, Long> lastIndexes, final long timeoutMs)
        throws SQLException, InterruptedException
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        for (final Map.Entry<String, Long> entry : lastIndexes.entrySet())
        {
            final long leftMs = Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadlineNs - System.nanoTime()));
            awaitCheckpoint(entry.getKey(), entry.getValue(), leftMs);
        }
    }

    /**
     * The committed checkpoint of a source.
     *
     * @param sourceId the source.
     * @return its {@code last_index}, or null if none is committed or the schema is not made yet.
     * @throws SQLException if it cannot be read.
     */
    public Long checkpoint(final String sourceId) throws SQLException
    {
        try
        {
            final String value = query(
                "SELECT last_index FROM source_checkpoints WHERE source_id = '" + sourceId.replace("'", "''") + "'");
            return null == value ? null : Long.parseLong(value);
        }
        catch (final SQLException ex)
        {
            if (UNDEFINED_TABLE.equals(ex.getSQLState()))
            {
                return null;
            }
            throw ex;
        }
    }

    /**
     * The first column of the first row of a query on the test's database, as text.
     *
     * @param sql the query.
     * @return the value, or null for no row or NULL.
     * @throws SQLException if the query fails.
     */
    public String query(final String sql) throws SQLException
    {
        try (Connection connection = dataSource().getConnection();
            Statement statement = connection.createStatement();
            ResultSet rows = statement.executeQuery(sql))
        {
            return rows.next() ? rows.getString(1) : null;
        }
    }

    /**
     * Run statements on the test's database, one after the other.
     *
     * @param sql the statements.
     * @throws SQLException if one fails.
     */
    public void execute(final String... sql) throws SQLException
    {
        try (Connection connection = dataSource().getConnection();
            Statement statement = connection.createStatement())
        {
            for (final String each : sql)
            {
                statement.execute(each);
            }
        }
    }

    private void createFolder() throws IOException
    {
        root = Files.createTempDirectory("tradestate-" + prefix + "-");
    }

    private void dropDatabaseAndFolder()
    {
        try
        {
            if (null != agentPool)
            {
                agentPool.close();
                agentPool = null;
            }
            otherDatabases.forEach(TestDatabase::dropDatabase);
            otherDatabases.clear();
            if (null != database)
            {
                TestDatabase.dropDatabase(database);
                database = null;
                dataSource = null;
            }
        }
        finally
        {
            deleteQuietly(root);
            root = null;
        }
    }

    private static void closeAll(final List<ReaderAgentProcess> processes)
    {
        processes.forEach(ReaderAgentProcess::close);
        processes.clear();
    }

    private static void deleteQuietly(final Path directory)
    {
        if (null == directory)
        {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory))
        {
            paths.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
        }
        catch (final IOException | UncheckedIOException ex)
        {
            // a temp folder left behind is no test failure
        }
    }
}
