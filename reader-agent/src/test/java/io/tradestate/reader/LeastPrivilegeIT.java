package io.tradestate.reader;

import io.tradestate.reader.postgres.SchemaMigrations;
import io.tradestate.writer.JournalContext;
import io.tradestate.writer.TradeJournal;
import org.flywaydb.core.api.FlywayException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The least-privilege database roles of {@code docs/operations.md} ("Security"), on a real PostgreSQL: an owner role
 * (no superuser) that owns the database and schema and runs the migrations, and an agent role that owns nothing and
 * has only the grants listed there. The agent drains every event type as the agent role, with the migrations run by
 * the owner role ({@code db.migration.user}) and both passwords read from {@code 0600} files; the month's partitions,
 * which need the ownership of the history tables, are created through the {@code SECURITY DEFINER} function of
 * schema V9 and belong to the owner. The agent role cannot migrate, create, alter or drop anything, nor read
 * another database.
 * <p>
 * Not on {@link AgentTestEnvironment}: the database is made by the SQL under test, for an owner role made first.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class LeastPrivilegeIT
{
    private static final String SOURCE_ID = "least-privilege";
    private static final int EVENTS = 64;
    private static final String HISTORY_ROWS = "SELECT ((SELECT count(*) FROM order_events) + " +
        "(SELECT count(*) FROM fills) + (SELECT count(*) FROM trade_events) + " +
        "(SELECT count(*) FROM balance_events) + (SELECT count(*) FROM pair_lock_events))::text";

    @TempDir
    Path root;

    private final String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    private final String owner = "ts_owner_" + suffix;
    private final String agent = "ts_agent_" + suffix;
    private final String ownerPassword = "owner-" + UUID.randomUUID();
    private final String agentPassword = "agent-" + UUID.randomUUID();
    private String database;

    /**
     * The SQL of docs/operations.md, "Least-privilege database roles", with this test's names.
     */
    @BeforeEach
    void createRolesAndDatabase() throws SQLException
    {
        database = "ts_least_" + suffix;
        executeAsAdmin(TestDatabase.dataSource(),
            "CREATE ROLE " + owner + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '" + ownerPassword + "'",
            "CREATE ROLE " + agent + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '" + agentPassword + "'",
            "CREATE DATABASE " + database + " OWNER " + owner,
            "REVOKE ALL ON DATABASE " + database + " FROM PUBLIC",
            "GRANT CONNECT, TEMPORARY ON DATABASE " + database + " TO " + agent);
        executeAsAdmin(TestDatabase.dataSource(database),
            "ALTER SCHEMA public OWNER TO " + owner,
            "REVOKE CREATE ON SCHEMA public FROM PUBLIC",
            "GRANT USAGE ON SCHEMA public TO " + agent,
            "ALTER DEFAULT PRIVILEGES FOR ROLE " + owner + " IN SCHEMA public " +
                "GRANT SELECT, INSERT, UPDATE ON TABLES TO " + agent,
            "ALTER DEFAULT PRIVILEGES FOR ROLE " + owner + " IN SCHEMA public GRANT USAGE ON SEQUENCES TO " + agent,
            "ALTER DEFAULT PRIVILEGES FOR ROLE " + owner + " IN SCHEMA public " +
                "GRANT EXECUTE ON FUNCTIONS TO " + agent);
    }

    @AfterEach
    void dropRolesAndDatabase() throws SQLException
    {
        TestDatabase.dropDatabase(database);
        executeAsAdmin(TestDatabase.dataSource(), "DROP ROLE IF EXISTS " + agent, "DROP ROLE IF EXISTS " + owner);
    }

    @Test
    void shouldDrainAsARoleThatOwnsNothingWithMigrationsRunByTheOwnerRole() throws Exception
    {
        final ReaderContext context = context()
            .set(ReaderConfiguration.DB_MIGRATION_USER, owner)
            .set(ReaderConfiguration.DB_MIGRATION_PASSWORD_FILE, passwordFile("owner", ownerPassword).toString())
            .conclude();

        try (ReaderAgent readerAgent = ReaderAgent.launch(context))
        {
            try (TradeJournal journal = TradeJournal.open(new JournalContext()
                .journalRoot(context.journalRoot()).sourceId(SOURCE_ID).heartbeatIntervalMs(0)))
            {
                final MixedEvents events = new MixedEvents();
                for (long sequence = 0; sequence < EVENTS; sequence++)
                {
                    events.prepare(journal, 1, sequence).commit();
                }
            }
            final DataSource admin = TestDatabase.dataSource(database);
            final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!String.valueOf(EVENTS).equals(query(admin, HISTORY_ROWS)) && System.nanoTime() - deadlineNs < 0)
            {
                Thread.sleep(20);
            }
        }

        final DataSource admin = TestDatabase.dataSource(database);
        assertEquals(String.valueOf(EVENTS), query(admin, HISTORY_ROWS), "every event drained as " + agent);
        assertEquals("1", query(admin, "SELECT count(*)::text FROM source_checkpoints c JOIN source_owners o " +
            "USING (source_id) WHERE source_id = '" + SOURCE_ID + "'"));
        assertTrue(Integer.parseInt(query(admin, "SELECT count(*)::text FROM orders")) > 0);
        assertEquals(owner, query(admin, "SELECT string_agg(DISTINCT installed_by, ',') FROM flyway_schema_history"));
        assertEquals(String.valueOf(SchemaMigrations.LATEST_VERSION),
            query(admin, "SELECT max(version::int)::text FROM flyway_schema_history WHERE success"));

        final String month = query(admin, "SELECT to_char(now() AT TIME ZONE 'UTC', '\"y\"YYYY\"m\"MM')");
        assertEquals(owner, query(admin, "SELECT pg_get_userbyid(relowner) FROM pg_class " +
            "WHERE relname = 'order_events_" + month + "'"), "the month's partition, created through V9's function");
        assertEquals("0", query(admin, "SELECT count(*)::text FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner " +
            "WHERE r.rolname = '" + agent + "'"), "the agent role owns nothing");
        assertEquals("false false false", query(admin, "SELECT rolsuper || ' ' || rolcreatedb || ' ' || " +
            "rolcreaterole FROM pg_roles WHERE rolname = '" + agent + "'"));

        final DataSource asAgent = dataSource(agent, agentPassword);
        for (final String forbidden : List.of(
            "CREATE TABLE intruder (id int)",
            "DROP TABLE orders",
            "ALTER TABLE orders ADD COLUMN intruder int",
            "TRUNCATE dead_letters",
            "DELETE FROM source_checkpoints",
            "ALTER TABLE order_events DETACH PARTITION order_events_default",
            "CREATE TABLE order_events_y2031m01 PARTITION OF order_events FOR VALUES FROM ('2031-01-01') " +
                "TO ('2031-02-01')"))
        {
            final SQLException ex = assertThrows(SQLException.class, () -> execute(asAgent, forbidden), forbidden);
            assertTrue(ex.getMessage().toLowerCase(Locale.ROOT).contains("must be owner") ||
                "42501".equals(ex.getSQLState()), forbidden + ": " + ex.getMessage());
        }
        // The reports of schemas V11 and V12 read as the agent role what they read as the administrator.
        for (final String report : List.of(
            "SELECT count(*)::text FROM performance_metrics(1000)",
            "SELECT count(*)::text FROM leverage_performance(1000)",
            "SELECT count(*)::text FROM profit_by_period('day')",
            "SELECT count(*)::text FROM stop_loss_efficiency()",
            "SELECT count(*)::text FROM stop_loss_summary()"))
        {
            assertEquals(query(admin, report), query(asAgent, report), report);
        }
    }

    @Test
    void shouldRefuseToMigrateAsTheAgentRole() throws Exception
    {
        final ReaderContext context = context().conclude();

        final FlywayException ex = assertThrows(FlywayException.class, () -> ReaderAgent.launch(context).close());
        assertTrue(ex.getMessage().contains("permission denied"), ex.getMessage());
    }

    @Test
    void shouldStopAtStartNamingTheGrantWhenTheAgentRoleCannotCreateTemporaryTables() throws Exception
    {
        executeAsAdmin(TestDatabase.dataSource(), "REVOKE TEMPORARY ON DATABASE " + database + " FROM " + agent);
        final ReaderContext context = context()
            .set(ReaderConfiguration.DB_MIGRATION_USER, owner)
            .set(ReaderConfiguration.DB_MIGRATION_PASSWORD_FILE, passwordFile("owner", ownerPassword).toString())
            .conclude();

        final IllegalStateException ex =
            assertThrows(IllegalStateException.class, () -> ReaderAgent.launch(context).close());
        assertTrue(ex.getMessage().contains("GRANT TEMPORARY ON DATABASE " + database + " TO " + agent),
            ex.getMessage());
    }

    private ReaderContext context() throws Exception
    {
        return ReaderContext.load(null, Map.of())
            .set(ReaderConfiguration.JOURNAL_ROOT, root.resolve("journal").toString())
            .set(ReaderConfiguration.STATE_DIR, root.resolve("state").toString())
            .set(ReaderConfiguration.STATE_ENABLED, "false")
            .set(ReaderConfiguration.METRICS_PORT, "-1")
            .set(ReaderConfiguration.BATCH_LINGER_MS, "0")
            .set(ReaderConfiguration.DB_URL, urlWithoutUser())
            .set(ReaderConfiguration.DB_USER, agent)
            .set(ReaderConfiguration.DB_PASSWORD_FILE, passwordFile("agent", agentPassword).toString());
    }

    /**
     * The test database's URL without the {@code user=} the embedded server's URL carries: it would win over
     * {@code db.user}.
     */
    private String urlWithoutUser()
    {
        return TestDatabase.jdbcUrl(database).replaceAll("([?&])user=[^&]*&?", "$1").replaceAll("[?&]$", "");
    }

    private Path passwordFile(final String name, final String password) throws Exception
    {
        final Path file = root.resolve(name + ".password");
        Files.writeString(file, password + "\n", StandardCharsets.UTF_8);
        Files.setAttribute(file, "unix:mode", 0600);
        return file;
    }

    private DataSource dataSource(final String user, final String password)
    {
        final PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(urlWithoutUser());
        dataSource.setUser(user);
        dataSource.setPassword(password);
        return dataSource;
    }

    private static void executeAsAdmin(final DataSource dataSource, final String... statements) throws SQLException
    {
        for (final String sql : statements)
        {
            execute(dataSource, sql);
        }
    }

    private static void execute(final DataSource dataSource, final String sql) throws SQLException
    {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement())
        {
            statement.execute(sql);
        }
    }

    private static String query(final DataSource dataSource, final String sql) throws SQLException
    {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
            ResultSet rows = statement.executeQuery(sql))
        {
            assertTrue(rows.next(), sql);
            return rows.getString(1);
        }
    }
}
