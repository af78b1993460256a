package io.tradestate.bench.jmh;

import io.tradestate.reader.postgres.EmbeddedDatabase;


import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.Properties;

/**
 * The PostgreSQL of the baselines B4, B5 and B7: the server named by {@value #JDBC_URL_ENV} (user and password in the
 * URL), or else the reader agent's own embedded server ({@link EmbeddedDatabase}: PostgreSQL 17 from the Maven
 * dependency, with {@code fsync}, {@code synchronous_commit} and {@code full_page_writes} on) in a scratch state
 * folder, started for the trial and deleted after it.
 * <p>
 * Every connection checks that {@code fsync} is on and sets {@code synchronous_commit} on, so that a commit is on
 * disk when it returns, as a journal append survives a crash of the process when it returns. The tables have the
 * columns of the reader agent's {@code order_events} history table (numeric decimals, text enums, timestamps):
 * {@value #EVENTS_TABLE} with the same primary key and order index, unpartitioned, and {@value #ORDERS_TABLE}, one
 * row per order keyed by exchange and order id, the current state a strategy would query.
 */
final class BenchDatabase implements AutoCloseable
{
    static final String JDBC_URL_ENV = "TRADESTATE_BENCH_JDBC_URL";
    static final String EVENTS_TABLE = "tradestate_bench_order_events";
    static final String ORDERS_TABLE = "tradestate_bench_orders";

    private static final String COLUMNS = "exchange_time timestamptz, receive_time_ns bigint, trade_id bigint, " +
        "exchange text NOT NULL, symbol text NOT NULL, order_id text NOT NULL, client_order_id text, " +
        "side text NOT NULL CHECK (side IN ('buy', 'sell')), order_type text NOT NULL, time_in_force text, " +
        "status text NOT NULL, reduce_only boolean NOT NULL, price numeric, stop_price numeric, " +
        "amount numeric NOT NULL, filled numeric, remaining numeric, average numeric, cost numeric, " +
        "fee_cost numeric, fee_currency text, leverage numeric";
    private static final String COLUMN_NAMES = "exchange_time, receive_time_ns, trade_id, exchange, symbol, " +
        "order_id, client_order_id, side, order_type, time_in_force, status, reduce_only, price, stop_price, " +
        "amount, filled, remaining, average, cost, fee_cost, fee_currency, leverage";
    private static final int ORDER_COLUMNS = 22;

    /**
     * One event into the history table, as the reader agent's rows: source, queue index and append time first.
     */
    static final String INSERT_EVENT = "INSERT INTO " + EVENTS_TABLE + " (source_id, queue_index, append_time, " +
        "append_time_ns, " + COLUMN_NAMES + ") VALUES (?, ?, ?, ?" + ", ?".repeat(ORDER_COLUMNS) + ")";

    /**
     * One order by its primary key.
     */
    static final String SELECT_ORDER = "SELECT " + COLUMN_NAMES + " FROM " + ORDERS_TABLE +
        " WHERE exchange = ? AND order_id = ?";

    private final Path stateDir;
    private final EmbeddedDatabase embedded;
    private final String jdbcUrl;
    private final Properties properties = new Properties();

    private BenchDatabase(final Path stateDir, final EmbeddedDatabase embedded, final String jdbcUrl)
    {
        this.stateDir = stateDir;
        this.embedded = embedded;
        this.jdbcUrl = jdbcUrl;
        if (null != embedded)
        {
            properties.setProperty("password", embedded.password());
        }
    }

    /**
     * Connect to the server of {@value #JDBC_URL_ENV}, or start an embedded one.
     *
     * @return the database.
     */
    static BenchDatabase start()
    {
        final String url = System.getenv(JDBC_URL_ENV);
        if (null != url && !url.isBlank())
        {
            return new BenchDatabase(null, null, url);
        }
        final Path stateDir = BenchFiles.newFolder("postgres");
        try
        {
            final EmbeddedDatabase embedded = EmbeddedDatabase.start(stateDir, 0);
            return new BenchDatabase(stateDir, embedded, embedded.jdbcUrl());
        }
        catch (final IOException ex)
        {
            BenchFiles.delete(stateDir);
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * A new connection, {@code autoCommit} off, durable commits checked.
     *
     * @param rewriteBatches whether pgjdbc rewrites a batch of inserts into multi-row inserts.
     * @return the connection.
     * @throws SQLException if it fails, or {@code fsync} is off on the server.
     */
    Connection connect(final boolean rewriteBatches) throws SQLException
    {
        final Properties connectionProperties = new Properties();
        connectionProperties.putAll(properties);
        connectionProperties.setProperty("reWriteBatchedInserts", Boolean.toString(rewriteBatches));
        final Connection connection = DriverManager.getConnection(jdbcUrl, connectionProperties);
        try (Statement statement = connection.createStatement())
        {
            statement.execute("SET synchronous_commit = on");
            try (ResultSet fsync = statement.executeQuery("SHOW fsync"))
            {
                if (!fsync.next() || !"on".equals(fsync.getString(1)))
                {
                    throw new SQLException(
                        "fsync is off on " + description() + ": the baselines need a durable server");
                }
            }
            connection.setAutoCommit(false);
        }
        catch (final SQLException ex)
        {
            connection.close();
            throw ex;
        }
        return connection;
    }

    /**
     * Drop and create the two tables, and fill the orders table with the orders of
     * {@link TradeStateViewBenchmark}.
     *
     * @param connection a connection of {@link #connect(boolean)}.
     * @throws SQLException if it fails.
     */
    static void createTables(final Connection connection) throws SQLException
    {
        try (Statement statement = connection.createStatement())
        {
            statement.execute("DROP TABLE IF EXISTS " + EVENTS_TABLE + ", " + ORDERS_TABLE);
            statement.execute("CREATE TABLE " + EVENTS_TABLE + " (source_id text NOT NULL, " +
                "queue_index bigint NOT NULL, append_time timestamptz NOT NULL, append_time_ns bigint NOT NULL, " +
                COLUMNS + ", PRIMARY KEY (source_id, queue_index))");
            statement.execute("CREATE INDEX " + EVENTS_TABLE + "_order ON " + EVENTS_TABLE + " (exchange, order_id)");
            statement.execute("CREATE TABLE " + ORDERS_TABLE + " (" + COLUMNS + ", PRIMARY KEY (exchange, order_id))");
        }
        try (PreparedStatement insert = connection.prepareStatement(
            "INSERT INTO " + ORDERS_TABLE + " (" + COLUMN_NAMES + ") VALUES (?" + ", ?".repeat(ORDER_COLUMNS - 1) +
            ")"))
        {
            for (int i = 0; i < TradeStateViewBenchmark.ORDERS; i++)
            {
                bindOrder(insert, 1, TradeStateViewBenchmark.EXCHANGES[i % TradeStateViewBenchmark.EXCHANGES.length],
                    Long.toString(8_389_765_123L + i * 7L));
                insert.addBatch();
            }
            insert.executeBatch();
        }
        connection.commit();
        try (Statement statement = connection.createStatement())
        {
            statement.execute("ANALYZE " + ORDERS_TABLE);
        }
        connection.commit();
    }

    /**
     * Bind an event of the {@link SampleEvents} order to {@link #INSERT_EVENT}, as a JDBC user would: timestamps and
     * {@link BigDecimal}s made from the event's values.
     *
     * @param insert       the prepared {@link #INSERT_EVENT}.
     * @param queueIndex   the event's position, unique per source.
     * @param appendTimeNs the event's append time.
     * @throws SQLException if a value is refused.
     */
    static void bindEvent(final PreparedStatement insert, final long queueIndex, final long appendTimeNs)
        throws SQLException
    {
        insert.setString(1, SampleEvents.SOURCE_ID);
        insert.setLong(2, queueIndex);
        insert.setTimestamp(3, timestamp(appendTimeNs));
        insert.setLong(4, appendTimeNs);
        bindOrder(insert, 5, SampleEvents.EXCHANGE, SampleEvents.ORDER_ID);
    }

    private static void bindOrder(
        final PreparedStatement insert, final int first, final String exchange, final String orderId)
        throws SQLException
    {
        int i = first;
        insert.setTimestamp(i++, new Timestamp(SampleEvents.EXCHANGE_TIME_MS));
        insert.setLong(i++, SampleEvents.RECEIVE_TIME_NS);
        insert.setLong(i++, SampleEvents.TRADE_ID);
        insert.setString(i++, exchange);
        insert.setString(i++, SampleEvents.SYMBOL);
        insert.setString(i++, orderId);
        insert.setString(i++, SampleEvents.CLIENT_ORDER_ID);
        insert.setString(i++, "buy");
        insert.setString(i++, "limit");
        insert.setString(i++, "GTC");
        insert.setString(i++, "partially_filled");
        insert.setBoolean(i++, false);
        insert.setBigDecimal(i++, decimal(SampleEvents.PRICE_MANTISSA, SampleEvents.PRICE_EXPONENT));
        insert.setNull(i++, Types.NUMERIC);
        insert.setBigDecimal(i++, decimal(SampleEvents.AMOUNT_MANTISSA, SampleEvents.AMOUNT_EXPONENT));
        insert.setBigDecimal(i++, decimal(SampleEvents.FILLED_MANTISSA, SampleEvents.FILLED_EXPONENT));
        insert.setBigDecimal(i++, decimal(SampleEvents.REMAINING_MANTISSA, SampleEvents.REMAINING_EXPONENT));
        insert.setBigDecimal(i++, decimal(SampleEvents.PRICE_MANTISSA, SampleEvents.PRICE_EXPONENT));
        insert.setBigDecimal(i++, decimal(SampleEvents.COST_MANTISSA, SampleEvents.COST_EXPONENT));
        insert.setBigDecimal(i++, decimal(SampleEvents.FEE_COST_MANTISSA, SampleEvents.FEE_COST_EXPONENT));
        insert.setString(i++, SampleEvents.FEE_CURRENCY);
        insert.setNull(i, Types.NUMERIC);
    }

    static BigDecimal decimal(final long mantissa, final int exponent)
    {
        return BigDecimal.valueOf(mantissa, -exponent);
    }

    static Timestamp timestamp(final long epochNs)
    {
        final Timestamp timestamp = new Timestamp(epochNs / 1_000_000);
        timestamp.setNanos((int)(epochNs % 1_000_000_000));
        return timestamp;
    }

    /**
     * What the baselines ran against, for the log.
     *
     * @return e.g. {@code embedded PostgreSQL on 127.0.0.1:41234}.
     */
    String description()
    {
        return null == embedded ? "PostgreSQL of " + JDBC_URL_ENV : "embedded PostgreSQL on " +
            EmbeddedDatabase.HOST + ":" + embedded.port();
    }

    /**
     * Stop the embedded server and delete its folder; nothing for a server of {@value #JDBC_URL_ENV}.
     */
    public void close()
    {
        if (null != embedded)
        {
            embedded.close();
            BenchFiles.delete(stateDir);
        }
    }
}
