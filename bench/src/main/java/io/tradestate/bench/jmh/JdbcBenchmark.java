package io.tradestate.bench.jmh;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;

/**
 * Plain JDBC against PostgreSQL ({@link BenchDatabase}: durable commits), one connection, statements prepared once:
 * <ul>
 * <li>B5, {@link #insertAndCommit()}: the order event inserted into a table with the history table's columns and
 * committed, one event per transaction: what persisting each event synchronously costs the strategy thread;</li>
 * <li>B7, {@link #selectOrder()}: one order selected by its primary key (exchange, order id) from a table of as many
 * orders as {@link TradeStateViewBenchmark} looks up, every column read, on a connection in auto-commit mode: what
 * a strategy does without the view.</li>
 * </ul>
 * Microseconds per op: an fsync per commit for B5, a round trip over loopback TCP for B7.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
@State(Scope.Thread)
public class JdbcBenchmark
{
    private static final int ORDERS = TradeStateViewBenchmark.ORDERS;

    private final String[] exchanges = new String[ORDERS];
    private final String[] orderIds = new String[ORDERS];
    private BenchDatabase database;
    private Connection connection;
    private Connection readConnection;
    private PreparedStatement insert;
    private PreparedStatement select;
    private long queueIndex;
    private int next;

    /**
     * Start or reach the database, create and fill the tables, prepare the statements.
     *
     * @throws SQLException if the database refuses.
     */
    @Setup(Level.Trial)
    public void connect() throws SQLException
    {
        for (int i = 0; i < ORDERS; i++)
        {
            exchanges[i] = TradeStateViewBenchmark.EXCHANGES[i % TradeStateViewBenchmark.EXCHANGES.length];
            orderIds[i] = Long.toString(8_389_765_123L + i * 7L);
        }
        database = BenchDatabase.start();
        System.out.println("JdbcBenchmark: " + database.description());
        connection = database.connect(false);
        BenchDatabase.createTables(connection);
        insert = connection.prepareStatement(BenchDatabase.INSERT_EVENT);
        readConnection = database.connect(false);
        readConnection.setAutoCommit(true);
        select = readConnection.prepareStatement(BenchDatabase.SELECT_ORDER);
    }

    /**
     * Close the connection and the database.
     *
     * @throws SQLException if closing fails.
     */
    @TearDown(Level.Trial)
    public void close() throws SQLException
    {
        try
        {
            if (null != readConnection)
            {
                readConnection.close();
            }
            if (null != connection)
            {
                connection.close();
            }
        }
        finally
        {
            database.close();
        }
    }

    /**
     * B5: insert the event and commit.
     *
     * @return rows inserted, 1.
     * @throws SQLException if the database refuses.
     */
    @Benchmark
    public int insertAndCommit() throws SQLException
    {
        BenchDatabase.bindEvent(insert, ++queueIndex, System.currentTimeMillis() * 1_000_000L);
        final int rows = insert.executeUpdate();
        connection.commit();
        return rows;
    }

    /**
     * B7: select the next order by its key and read every column.
     *
     * @param blackhole receives the values.
     * @throws SQLException if the database refuses, or the order is missing.
     */
    @Benchmark
    public void selectOrder(final Blackhole blackhole) throws SQLException
    {
        final int i = next++ & (ORDERS - 1);
        select.setString(1, exchanges[i]);
        select.setString(2, orderIds[i]);
        try (ResultSet row = select.executeQuery())
        {
            if (!row.next())
            {
                throw new SQLException("order " + orderIds[i] + " not found");
            }
            blackhole.consume(row.getTimestamp(1));
            blackhole.consume(row.getLong(2));
            blackhole.consume(row.getLong(3));
            for (int column = 4; column <= 11; column++)
            {
                blackhole.consume(row.getString(column));
            }
            blackhole.consume(row.getBoolean(12));
            for (int column = 13; column <= 20; column++)
            {
                blackhole.consume(row.getBigDecimal(column));
            }
            blackhole.consume(row.getString(21));
            blackhole.consume(row.getBigDecimal(22));
        }
    }
}
