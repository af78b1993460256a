package io.tradestate.reader;

import org.flywaydb.core.api.FlywayException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Flyway against a fresh database per test, on the server of {@link TestDatabase} (embedded unless
 * {@value TestDatabase#JDBC_URL_ENV} names one).
 */
@Timeout(60)
class SchemaMigrationsIT
{
    private String database;
    private DataSource dataSource;

    @BeforeEach
    void createDatabase()
    {
        database = TestDatabase.createDatabase(SchemaMigrationsIT.class.getSimpleName());
        dataSource = TestDatabase.dataSource(database);
    }

    @AfterEach
    void dropDatabase()
    {
        TestDatabase.dropDatabase(database);
    }

    @Test
    void shouldCreateSchemaAtVersion1WhenDatabaseIsEmpty() throws SQLException
    {
        final SchemaMigrations.Result result = SchemaMigrations.migrate(dataSource);

        assertNull(result.versionBefore());
        assertEquals("1", result.versionAfter());
        assertEquals(1, result.migrationsExecuted());
        assertEquals("1", queryString("SELECT max(version) FROM flyway_schema_history WHERE success"));
        assertEquals("trade_events", queryString("SELECT to_regclass('trade_events')::text"));
    }

    @Test
    void shouldDoNothingWhenSchemaIsCurrent() throws SQLException
    {
        SchemaMigrations.migrate(dataSource);
        final String installedOn = queryString("SELECT max(installed_on)::text FROM flyway_schema_history");

        final SchemaMigrations.Result result = SchemaMigrations.migrate(dataSource);

        assertEquals("1", result.versionBefore());
        assertEquals("1", result.versionAfter());
        assertEquals(0, result.migrationsExecuted());
        assertEquals("1", queryString("SELECT count(*)::text FROM flyway_schema_history"));
        assertEquals(installedOn, queryString("SELECT max(installed_on)::text FROM flyway_schema_history"));
    }

    @Test
    void shouldFailNamingBothVersionsWhenDatabaseIsNewerThanAgent() throws SQLException
    {
        SchemaMigrations.migrate(dataSource);
        execute("INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum, " +
            "installed_by, execution_time, success) " +
            "VALUES (2, '2', 'from a newer agent', 'SQL', 'V2__from_a_newer_agent.sql', 42, current_user, 1, true)");

        final IllegalStateException ex =
            assertThrows(IllegalStateException.class, () -> SchemaMigrations.migrate(dataSource));

        assertTrue(ex.getMessage().contains("schema is at version 2, newer than this agent knows (up to 1)"),
            ex.getMessage());
        assertTrue(ex.getMessage().contains("from a newer agent"), ex.getMessage());
        assertEquals("2", queryString("SELECT max(version) FROM flyway_schema_history"));
    }

    @Test
    void shouldRefuseWhenSchemaHoldsTablesWithoutHistory() throws SQLException
    {
        execute("CREATE TABLE someone_elses (id integer)");

        final FlywayException ex = assertThrows(FlywayException.class, () -> SchemaMigrations.migrate(dataSource));

        assertTrue(ex.getMessage().contains("no schema history table"), ex.getMessage());
        assertNull(queryString("SELECT to_regclass('trade_events')::text"));
    }

    private void execute(final String sql) throws SQLException
    {
        try (Connection connection = dataSource.getConnection();
            Statement statement = connection.createStatement())
        {
            statement.execute(sql);
        }
    }

    private String queryString(final String sql) throws SQLException
    {
        try (Connection connection = dataSource.getConnection();
            Statement statement = connection.createStatement();
            ResultSet rows = statement.executeQuery(sql))
        {
            assertTrue(rows.next(), sql);
            return rows.getString(1);
        }
    }
}
