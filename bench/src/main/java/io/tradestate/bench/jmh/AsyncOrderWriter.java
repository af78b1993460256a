package io.tradestate.bench.jmh;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * B4's insert thread: the rows it is handed are added to a JDBC batch, which is executed and committed when the
 * executor's queue is empty or {@value #MAX_BATCH} rows are pending, whichever comes first. pgjdbc rewrites the batch
 * into multi-row inserts ({@code reWriteBatchedInserts}); with {@code synchronous_commit} on, each commit waits for
 * its fsync. The fastest ordinary async writer: one statement per row would sustain a few thousand rows a second.
 * Used only by the executor's single thread; {@link #committed()} may be read from any.
 */
final class AsyncOrderWriter implements AutoCloseable
{
    static final int MAX_BATCH = 1000;

    private final Connection connection;
    private final PreparedStatement insert;
    private BlockingQueue<Runnable> queue;
    private int pending;
    private long lastIndexAdded;
    private volatile long committed;
    private volatile SQLException failure;

    AsyncOrderWriter(final Connection connection) throws SQLException
    {
        this.connection = connection;
        this.insert = connection.prepareStatement(BenchDatabase.INSERT_EVENT);
    }

    /**
     * Start the insert thread, a daemon: a single-thread executor whose bounded queue rejects a row when full, and
     * whose queue this writer watches to flush when it is empty. Call it once.
     *
     * @param queueCapacity most rows waiting.
     * @return the running executor, to hand the rows to.
     */
    ThreadPoolExecutor startExecutor(final int queueCapacity)
    {
        final ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(queueCapacity),
            (task) ->
            {
                final Thread thread = new Thread(task, "tradestate-bench-insert");
                thread.setDaemon(true);
                return thread;
            },
            new ThreadPoolExecutor.AbortPolicy());
        queue = executor.getQueue();
        executor.prestartAllCoreThreads();
        return executor;
    }

    void add(final OrderRow row)
    {
        try
        {
            row.bind(insert);
            insert.addBatch();
            lastIndexAdded = row.queueIndex();
            if (++pending >= MAX_BATCH || queue.isEmpty())
            {
                insert.executeBatch();
                connection.commit();
                pending = 0;
                committed = lastIndexAdded;
            }
        }
        catch (final SQLException ex)
        {
            failure = ex;
        }
    }

    /**
     * Queue index of the last row committed.
     *
     * @return the index.
     * @throws IllegalStateException if an insert failed.
     */
    long committed()
    {
        final SQLException ex = failure;
        if (null != ex)
        {
            throw new IllegalStateException("the insert thread failed: " + ex.getMessage(), ex);
        }
        return committed;
    }

    /**
     * Close the statement and the connection.
     */
    public void close()
    {
        try
        {
            insert.close();
            connection.close();
        }
        catch (final SQLException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
