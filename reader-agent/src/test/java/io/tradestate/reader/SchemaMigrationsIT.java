package io.tradestate.reader;

import io.tradestate.reader.postgres.SchemaMigrations;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Flyway against a fresh database per test ({@link AgentTestEnvironment}), on the server of {@link TestDatabase}
 * (embedded unless {@value TestDatabase#JDBC_URL_ENV} names one).
 */
@Timeout(60)
class SchemaMigrationsIT
{
    private static final String CURRENT_VERSION = String.valueOf(SchemaMigrations.LATEST_VERSION);
    private static final int NEWER_VERSION = SchemaMigrations.LATEST_VERSION + 1;

    @RegisterExtension
    final AgentTestEnvironment environment = new AgentTestEnvironment(SchemaMigrationsIT.class.getSimpleName());

    @Test
    void shouldCreateSchemaAtTheCurrentVersionWhenDatabaseIsEmpty() throws SQLException
    {
        final SchemaMigrations.Result result = SchemaMigrations.migrate(environment.dataSource());

        assertNull(result.versionBefore());
        assertEquals(CURRENT_VERSION, result.versionAfter());
        assertEquals(SchemaMigrations.LATEST_VERSION, result.migrationsExecuted());
        assertEquals(java.util.stream.IntStream.rangeClosed(1, SchemaMigrations.LATEST_VERSION)
            .mapToObj(String::valueOf).collect(java.util.stream.Collectors.joining(",")), queryString(
            "SELECT string_agg(version, ',' ORDER BY installed_rank) FROM flyway_schema_history WHERE success"));
        assertEquals("trade_events", queryString("SELECT to_regclass('trade_events')::text"));
        assertEquals("open_orders", queryString("SELECT to_regclass('open_orders')::text"));
        assertEquals("open_trades", queryString("SELECT to_regclass('open_trades')::text"));
        assertEquals("active_pair_locks", queryString("SELECT to_regclass('active_pair_locks')::text"));
        assertEquals("is_pair_locked", queryString(
            "SELECT to_regprocedure('is_pair_locked(text, text, text, timestamptz)')::regproc::text"));
        assertEquals("false", queryString("SELECT is_pair_locked('alpha', 'BTC/USDT', 'long')::text"));
    }

    @Test
    void shouldBringADatabaseAtVersion1UpToCurrentKeepingItsData() throws SQLException
    {
        Flyway.configure().dataSource(environment.dataSource()).locations(SchemaMigrations.LOCATION).target("1").load()
            .migrate();
        assertEquals("1", queryString("SELECT max(version) FROM flyway_schema_history WHERE success"));
        assertNull(queryString("SELECT to_regclass('open_orders')::text"));
        writeVersion1Data();

        final SchemaMigrations.Result result = SchemaMigrations.migrate(environment.dataSource());

        assertEquals("1", result.versionBefore());
        assertEquals(CURRENT_VERSION, result.versionAfter());
        assertEquals(SchemaMigrations.LATEST_VERSION - 1, result.migrationsExecuted());
        assertEquals(CURRENT_VERSION, queryString(
            "SELECT version FROM flyway_schema_history WHERE success ORDER BY installed_rank DESC LIMIT 1"));

        assertEquals("3", queryString("SELECT count(*)::text FROM orders"));
        assertEquals("64123.50", queryString("SELECT price::text FROM orders WHERE order_id = 'o-1'"));
        assertEquals("2", queryString("SELECT count(*)::text FROM trades"));
        assertEquals("4", queryString("SELECT count(*)::text FROM pair_locks"));
        assertEquals("alpha:41", queryString(
            "SELECT source_id || ':' || last_index FROM source_checkpoints"));
        assertEquals("1", queryString("SELECT count(*)::text FROM order_events"));
        assertEquals("0", queryString("SELECT count(*)::text FROM order_events WHERE status_regression"));
        assertEquals("3", queryString("SELECT count(*)::text FROM orders WHERE append_time_ns > 0"),
            "V3 filled the nanosecond append time of the orders written before it");

        assertEquals("o-1,o-2", queryString("SELECT string_agg(order_id, ',' ORDER BY order_id) FROM open_orders"));
        assertEquals("1", queryString("SELECT string_agg(trade_id::text, ',') FROM open_trades"));
        assertEquals("10,11,12", queryString(
            "SELECT string_agg(queue_index::text, ',' ORDER BY queue_index) FROM active_pair_locks"));

        assertEquals("true", queryString("SELECT is_pair_locked('alpha', 'BTC/USDT', 'long')::text"));
        assertEquals("false", queryString("SELECT is_pair_locked('alpha', 'BTC/USDT', 'short')::text"));
        assertEquals("true", queryString("SELECT is_pair_locked('alpha', 'ETH/USDT', 'short')::text"));
        assertEquals("false", queryString("SELECT is_pair_locked('alpha', 'XRP/USDT', 'long')::text"));
        assertEquals("false", queryString("SELECT is_pair_locked('beta', 'BTC/USDT', 'long')::text"));
        assertEquals("true", queryString(
            "SELECT is_pair_locked('alpha', 'XRP/USDT', 'long', now() + interval '90 minutes')::text"));
        assertEquals("false", queryString(
            "SELECT is_pair_locked('alpha', 'XRP/USDT', 'long', now() + interval '3 hours')::text"));
    }

    @Test
    void shouldDoNothingWhenSchemaIsCurrent() throws SQLException
    {
        SchemaMigrations.migrate(environment.dataSource());
        final String installedOn = queryString("SELECT max(installed_on)::text FROM flyway_schema_history");

        final SchemaMigrations.Result result = SchemaMigrations.migrate(environment.dataSource());

        assertEquals(CURRENT_VERSION, result.versionBefore());
        assertEquals(CURRENT_VERSION, result.versionAfter());
        assertEquals(0, result.migrationsExecuted());
        assertEquals(CURRENT_VERSION, queryString("SELECT count(*)::text FROM flyway_schema_history"),
            "one row per migration");
        assertEquals(installedOn, queryString("SELECT max(installed_on)::text FROM flyway_schema_history"));
    }

    @Test
    void shouldFailNamingBothVersionsWhenDatabaseIsNewerThanAgent() throws SQLException
    {
        SchemaMigrations.migrate(environment.dataSource());
        execute("INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum, " +
            "installed_by, execution_time, success) VALUES (" + NEWER_VERSION + ", '" + NEWER_VERSION + "', " +
            "'from a newer agent', 'SQL', 'V" + NEWER_VERSION + "__from_a_newer_agent.sql', 42, current_user, 1, " +
            "true)");

        final IllegalStateException ex =
            assertThrows(IllegalStateException.class, () -> SchemaMigrations.migrate(environment.dataSource()));

        assertTrue(ex.getMessage().contains("schema is at version " + NEWER_VERSION + ", newer than this agent " +
            "knows (up to " + CURRENT_VERSION + ")"), ex.getMessage());
        assertTrue(ex.getMessage().contains("from a newer agent"), ex.getMessage());
        assertEquals(String.valueOf(NEWER_VERSION), queryString(
            "SELECT version FROM flyway_schema_history ORDER BY installed_rank DESC LIMIT 1"));
    }

    @Test
    void shouldRefuseWhenSchemaHoldsTablesWithoutHistory() throws SQLException
    {
        execute("CREATE TABLE someone_elses (id integer)");

        final FlywayException ex =
            assertThrows(FlywayException.class, () -> SchemaMigrations.migrate(environment.dataSource()));

        assertTrue(ex.getMessage().contains("no schema history table"), ex.getMessage());
        assertNull(queryString("SELECT to_regclass('trade_events')::text"));
    }

    /**
     * Rows written through the version-1 tables, as an agent of that version left them: orders, trades and pair
     * locks of source alpha, a history row and a checkpoint.
     */
    @Test
    void shouldCreateTheSamePartitionsFromManyTransactionsAtOnce() throws Exception
    {
        SchemaMigrations.migrate(environment.dataSource());
        final int agents = 6;
        final CyclicBarrier start = new CyclicBarrier(agents);
        final ExecutorService executor = Executors.newFixedThreadPool(agents);
        try
        {
            final List<Future<Integer>> created = new ArrayList<>();
            for (int i = 0; i < agents; i++)
            {
                // as an agent's batch does: partitions first, then rows, in one transaction
                created.add(executor.submit(() ->
                {
                    try (Connection connection = environment.dataSource().getConnection())
                    {
                        connection.setAutoCommit(false);
                        start.await();
                        final int count;
                        try (Statement statement = connection.createStatement();
                            ResultSet rows = statement.executeQuery(
                                "SELECT create_history_partitions('2031-05-17T00:00:00Z', 2)"))
                        {
                            rows.next();
                            count = rows.getInt(1);
                        }
                        connection.commit();
                        return count;
                    }
                }));
            }
            int total = 0;
            for (final Future<Integer> future : created)
            {
                total += future.get(30, TimeUnit.SECONDS);
            }
            assertEquals(15, total, "each of 5 tables x 3 months created once");
            assertEquals("15", queryString("SELECT count(*) FROM pg_class WHERE relname ~ '_y2031m0[567]$'"));
        }
        finally
        {
            executor.shutdownNow();
        }
    }

    @Test
    void shouldExpireWholeMonthsBeforeTheCutoffButNeverAnOpenTradesFillsNorTheLastTwoMonths() throws SQLException
    {
        SchemaMigrations.migrate(environment.dataSource());
        execute("SELECT create_history_partitions('2024-01-01T00:00:00Z', 3)");
        execute("SELECT create_history_partitions(now(), 0)");
        execute("INSERT INTO fills (source_id, queue_index, append_time, append_time_ns, exchange, symbol, fill_id, " +
            "order_id, trade_id, side, price, amount) SELECT 's', i, timestamptz '2024-01-01T00:00:00Z' + " +
            "i * interval '10 days', 0, 'binance', 'BTC/USDT', 'f' || i, 'o' || i, 7, 'buy', 1, 1 " +
            "FROM generate_series(0, 11) AS i"); // January 4, February 2, March 4, April 2
        execute("INSERT INTO trades (source_id, trade_id, queue_index, append_time, open_time, strategy, exchange, " +
            "pair, is_short, is_open, is_trailing_stop, trading_mode, open_rate, amount, stake_amount) VALUES ('s', " +
            "7, 1, '2024-03-10T00:00:00Z', '2024-03-10T00:00:00Z', 'alpha', 'binance', 'BTC/USDT', false, true, " +
            "false, 'spot', 1, 1, 1)");

        assertEquals("2024-03-01 00:00:00+00", queryString(
            "SELECT history_expiry_cutoff('2024-06-15T00:00:00Z') AT TIME ZONE 'UTC' || '+00'"));
        assertEquals("fills_y2024m01 detached 4,fills_y2024m02 detached 2", queryString(
            "SELECT string_agg(partition_name || ' ' || action || ' ' || row_count, ',' ORDER BY partition_name) " +
            "FROM expire_history_partitions('2024-06-15T00:00:00Z', false) WHERE partition_name LIKE 'fills%'"));
        assertEquals("6", queryString("SELECT count(*) FROM fills"), "rows of detached months leave the table");
        assertEquals("4", queryString("SELECT count(*) FROM fills_y2024m01"), "a detached partition stays a table");

        execute("UPDATE trades SET is_open = false, close_time = '2024-04-20T00:00:00Z'");
        assertEquals("10", queryString(
            "SELECT count(*) FROM expire_history_partitions(now() + interval '1 year', true)"),
            "March and April of the five history tables, once the trade is closed");
        assertEquals("0", queryString("SELECT count(*) FROM fills"));
        assertNull(queryString("SELECT to_regclass('fills_y2024m04')::text"));
        assertEquals("fills_y" + queryString("SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY\"m\"MM')"),
            queryString("SELECT to_regclass('fills_y' || to_char(now() AT TIME ZONE 'UTC', 'YYYY\"m\"MM'))::text"),
            "the current month is never expired");
        assertEquals("0", queryString("SELECT count(*) FROM expire_history_partitions(now() + interval '1 year', " +
            "true)"), "nothing left to expire");
    }

    private void writeVersion1Data() throws SQLException
    {
        execute("SELECT create_history_partitions(now(), 0)");
        execute("INSERT INTO order_events (source_id, queue_index, append_time, append_time_ns, exchange, symbol, " +
            "order_id, side, order_type, status, reduce_only, price, amount) VALUES ('alpha', 1, now(), 1, " +
            "'binance', 'BTC/USDT', 'o-1', 'buy', 'limit', 'open', false, 64123.50, 0.015)");
        execute("INSERT INTO orders (exchange, order_id, source_id, queue_index, append_time, symbol, side, " +
            "order_type, status, reduce_only, price, amount) VALUES " +
            "('binance', 'o-1', 'alpha', 1, now(), 'BTC/USDT', 'buy', 'limit', 'open', false, 64123.50, 0.015), " +
            "('binance', 'o-2', 'alpha', 2, now(), 'BTC/USDT', 'sell', 'limit', 'partially_filled', false, 1, 2), " +
            "('binance', 'o-3', 'alpha', 3, now(), 'BTC/USDT', 'buy', 'market', 'closed', false, 1, 2)");
        execute("INSERT INTO trades (source_id, trade_id, queue_index, append_time, open_time, strategy, exchange, " +
            "pair, is_short, is_open, is_trailing_stop, trading_mode, open_rate, amount, stake_amount) VALUES " +
            "('alpha', 1, 4, now(), now(), 'momentum', 'binance', 'BTC/USDT', false, true, false, 'spot', 1, 1, 1), " +
            "('alpha', 2, 5, now(), now(), 'momentum', 'binance', 'ETH/USDT', false, false, false, 'spot', 1, 1, 1)");
        execute("INSERT INTO pair_locks (source_id, queue_index, pair, side, lock_time, lock_end_time, reason, " +
            "active) VALUES " +
            "('alpha', 10, 'BTC/USDT', 'long', now() - interval '1 hour', now() + interval '1 hour', 'a', true), " +
            "('alpha', 11, 'ETH/USDT', '*', now() - interval '1 hour', now() + interval '1 hour', 'b', true), " +
            "('alpha', 12, '*', 'long', now() + interval '1 hour', now() + interval '2 hours', 'c', true), " +
            "('alpha', 13, 'BTC/USDT', 'short', now() - interval '1 hour', now() + interval '1 hour', 'd', false)");
        execute("INSERT INTO source_checkpoints (source_id, last_index, events) VALUES ('alpha', 41, 42)");
    }

    private void execute(final String sql) throws SQLException
    {
        try (Connection connection = environment.dataSource().getConnection();
            Statement statement = connection.createStatement())
        {
            statement.execute(sql);
        }
    }

    private String queryString(final String sql) throws SQLException
    {
        try (Connection connection = environment.dataSource().getConnection();
            Statement statement = connection.createStatement();
            ResultSet rows = statement.executeQuery(sql))
        {
            assertTrue(rows.next(), sql);
            return rows.getString(1);
        }
    }
}
