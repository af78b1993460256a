package io.tradestate.bench.jmh;

import io.tradestate.writer.TradeJournal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * What {@code io.tradestate.bench.ExchangeExperiment} persists, made by the JMH baselines' own classes so that the
 * experiment and the baselines persist the same order the same way: the sample order of {@link SampleEvents}
 * appended to a journal, inserted and committed over JDBC with B5's statement ({@link BenchDatabase}: durable
 * commits), or built as B4's row object and handed to its single insert thread ({@link AsyncOrderWriter}). Public
 * for that class only; the baselines' classes stay package-private.
 */
public final class ExchangeBaselines
{
    private static final long CLOSE_TIMEOUT_MS = 10_000;

    private ExchangeBaselines()
    {
    }

    /**
     * Append the sample order, as a strategy would, on the calling thread's writer.
     *
     * @param journal open journal.
     * @return the queue index.
     */
    public static long appendOrder(final TradeJournal journal)
    {
        return SampleEvents.appendOrderUpdate(journal);
    }

    /**
     * Start the baselines' database: the server of {@code TRADESTATE_BENCH_JDBC_URL}, or an embedded PostgreSQL
     * with {@code fsync} and {@code synchronous_commit} on.
     *
     * @return the database.
     */
    public static Database startDatabase()
    {
        return new Database(BenchDatabase.start());
    }

    /**
     * The baselines' database and the history table the orders go to.
     */
    public static final class Database implements AutoCloseable
    {
        private static final String COUNT_EVENTS = "SELECT count(*) FROM " + BenchDatabase.EVENTS_TABLE;

        private final BenchDatabase database;

        private Database(final BenchDatabase database)
        {
            this.database = database;
        }

        /**
         * What the database is, for the summary.
         *
         * @return e.g. {@code embedded PostgreSQL on 127.0.0.1:41234}.
         */
        public String description()
        {
            return database.description();
        }

        /**
         * Drop and create the tables: an empty history table.
         *
         * @throws SQLException if the database refuses.
         */
        public void createTables() throws SQLException
        {
            try (Connection connection = database.connect(false))
            {
                BenchDatabase.createTables(connection);
            }
        }

        /**
         * A connection of its own that inserts and commits one order at a time, for one thread.
         *
         * @return the inserter.
         * @throws SQLException if the database refuses.
         */
        public Inserter inserter() throws SQLException
        {
            return new Inserter(database.connect(false));
        }

        /**
         * Start an insert thread that takes the orders of any number of threads.
         *
         * @param queueCapacity most orders waiting for it; one more is refused.
         * @return the running hand-off.
         * @throws SQLException if the database refuses.
         */
        public HandOff handOff(final int queueCapacity) throws SQLException
        {
            return new HandOff(new AsyncOrderWriter(database.connect(true)), queueCapacity);
        }

        /**
         * Count the rows of the history table.
         *
         * @return how many.
         * @throws SQLException if the database refuses.
         */
        public long countOrders() throws SQLException
        {
            try (Connection connection = database.connect(false);
                PreparedStatement count = connection.prepareStatement(COUNT_EVENTS);
                ResultSet row = count.executeQuery())
            {
                row.next();
                return row.getLong(1);
            }
        }

        /**
         * Stop the embedded server and delete its folder.
         */
        public void close()
        {
            database.close();
        }
    }

    /**
     * B5 on one connection: each order inserted, then committed, by the calling thread.
     */
    public static final class Inserter implements AutoCloseable
    {
        private final Connection connection;
        private final PreparedStatement insert;

        private Inserter(final Connection connection) throws SQLException
        {
            this.connection = connection;
            try
            {
                this.insert = connection.prepareStatement(BenchDatabase.INSERT_EVENT);
            }
            catch (final SQLException ex)
            {
                connection.close();
                throw ex;
            }
        }

        /**
         * Insert the sample order and commit: returns once the row is on disk.
         *
         * @param queueIndex   the order's key, unique in the table.
         * @param appendTimeNs its time, epoch nanoseconds.
         * @throws SQLException if the database refuses.
         */
        public void insertAndCommit(final long queueIndex, final long appendTimeNs) throws SQLException
        {
            BenchDatabase.bindEvent(insert, queueIndex, appendTimeNs);
            insert.executeUpdate();
            connection.commit();
        }

        /**
         * Close the statement and the connection.
         *
         * @throws SQLException if closing fails.
         */
        public void close() throws SQLException
        {
            try
            {
                insert.close();
            }
            finally
            {
                connection.close();
            }
        }
    }

    /**
     * B4: the calling thread builds the order's row object and hands it to the insert thread, which inserts and
     * commits it (with whatever else is waiting, in one batch).
     */
    public static final class HandOff implements AutoCloseable
    {
        private final AsyncOrderWriter writer;
        private final ThreadPoolExecutor executor;

        private HandOff(final AsyncOrderWriter writer, final int queueCapacity)
        {
            this.writer = writer;
            this.executor = writer.startExecutor(queueCapacity);
        }

        /**
         * Build the sample order's row and hand it over: returns before it is written.
         *
         * @param queueIndex   the order's key, unique in the table.
         * @param appendTimeNs its time, epoch nanoseconds.
         */
        public void submit(final long queueIndex, final long appendTimeNs)
        {
            executor.execute(OrderRow.sample(writer, queueIndex, appendTimeNs));
        }

        /**
         * Take no more orders and wait until the insert thread has committed every order handed to it.
         *
         * @param timeoutMs how long to wait at most.
         * @throws InterruptedException  if interrupted while waiting.
         * @throws IllegalStateException if an insert failed or the orders were not committed in time.
         */
        public void drain(final long timeoutMs) throws InterruptedException
        {
            executor.shutdown();
            if (!executor.awaitTermination(timeoutMs, TimeUnit.MILLISECONDS))
            {
                throw new IllegalStateException("the insert thread still had " + executor.getQueue().size() +
                    " orders to insert after " + timeoutMs + " ms");
            }
            writer.committed();
        }

        /**
         * Stop the insert thread, dropping what it has not inserted, and close its connection.
         */
        public void close()
        {
            executor.shutdownNow();
            try
            {
                executor.awaitTermination(CLOSE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
            writer.close();
        }
    }
}
