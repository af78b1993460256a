package io.tradestate.reader;

import io.tradestate.reader.postgres.SchemaMigrations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The agent as {@code main} launches it with no JDBC URL: its own embedded server, which its pool reaches with the
 * server's password.
 */
@Timeout(120)
class ReaderAgentIT
{
    @TempDir
    Path root;

    @Test
    void shouldMigrateEmbeddedDatabaseThroughPoolWhenNoUrlIsConfigured() throws Exception
    {
        final ReaderContext context = ReaderContext.load(null, Map.of())
            .set(ReaderConfiguration.JOURNAL_ROOT, root.resolve("journal").toString())
            .set(ReaderConfiguration.STATE_DIR, root.resolve("state").toString())
            .set(ReaderConfiguration.DB_EMBEDDED_PORT, "0")
            .set(ReaderConfiguration.METRICS_PORT, "0")
            .set(ReaderConfiguration.STATE_IDLE_MAX_PARK_US, "50")
            .conclude();
        assertTrue(context.embeddedDatabase());

        try (ReaderAgent agent = ReaderAgent.launch(context))
        {
            assertTrue(agent.stateIdleStrategy().toString().contains("maxParkPeriodNs=50000"),
                "the state publisher parks at most state.idle.max.park.us: " + agent.stateIdleStrategy());
            final Path passwordFile = root.resolve("state/postgres/password").toAbsolutePath();
            final String password = Files.readString(passwordFile).strip();
            assertTrue(agent.psqlHint().startsWith("PGPASSWORD=\"$(cat " + passwordFile + ")\" psql "),
                agent.psqlHint());
            assertFalse(agent.psqlHint().contains(password), "the hint names the file, not the password");
            assertFalse(agent.jdbcUrl().contains(password), agent.jdbcUrl());

            final PGSimpleDataSource dataSource = new PGSimpleDataSource();
            dataSource.setUrl(agent.jdbcUrl());
            dataSource.setPassword(password);
            try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(
                    "SELECT count(*) FROM flyway_schema_history WHERE success"))
            {
                assertTrue(rows.next());
                assertEquals(SchemaMigrations.LATEST_VERSION, rows.getInt(1), "the pool migrated the schema");
            }
        }
    }
}
