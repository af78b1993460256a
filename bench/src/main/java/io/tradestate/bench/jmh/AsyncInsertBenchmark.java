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

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * B4, the "async writer": the strategy thread builds a row object ({@link OrderRow}) for the order event and submits
 * it to a single-thread executor with a bounded queue of {@value #QUEUE_CAPACITY}; that thread inserts into
 * PostgreSQL in batches ({@link AsyncOrderWriter}). The score is the caller's cost alone: building the row and
 * {@code execute}.
 * <p>
 * <b>Why single-shot batches.</b> The caller is a hundred times faster than any durable sink, so a closed loop would
 * fill the queue within milliseconds and then measure the database (blocking) or lost events (dropping). Each
 * iteration therefore submits {@value #ROWS_PER_ITERATION} rows into an empty queue, timed as one batch, and the
 * next iteration's setup waits, off the clock, until the insert thread has committed them all. The queue never
 * fills (the executor rejects, and the run fails, if it does). The insert thread runs during the batch, as it would.
 * JMH reports the time and allocation of a whole batch; the report divides them by the batch size. The allocation
 * is the whole process's, the insert thread's JDBC work included: the gc profiler counts every thread.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 40, batchSize = AsyncInsertBenchmark.ROWS_PER_ITERATION)
@Measurement(iterations = 40, batchSize = AsyncInsertBenchmark.ROWS_PER_ITERATION)
@Fork(3)
@State(Scope.Thread)
public class AsyncInsertBenchmark
{
    static final int ROWS_PER_ITERATION = 2000;
    static final int QUEUE_CAPACITY = 8192;
    private static final long DRAIN_TIMEOUT_MS = 60_000;

    private BenchDatabase database;
    private AsyncOrderWriter writer;
    private ThreadPoolExecutor executor;
    private long queueIndex;

    /**
     * Start or reach the database, create the tables, start the insert thread.
     *
     * @throws SQLException if the database refuses.
     */
    @Setup(Level.Trial)
    public void start() throws SQLException
    {
        database = BenchDatabase.start();
        System.out.println("AsyncInsertBenchmark: " + database.description());
        writer = new AsyncOrderWriter(database.connect(true));
        try (Connection connection = database.connect(false))
        {
            BenchDatabase.createTables(connection);
        }
        executor = writer.startExecutor(QUEUE_CAPACITY);
    }

    /**
     * Wait until the insert thread has committed every row submitted so far.
     *
     * @throws InterruptedException if interrupted while waiting.
     */
    @Setup(Level.Iteration)
    public void awaitCommitted() throws InterruptedException
    {
        final long deadlineMs = System.currentTimeMillis() + DRAIN_TIMEOUT_MS;
        while (writer.committed() < queueIndex)
        {
            if (System.currentTimeMillis() > deadlineMs)
            {
                throw new IllegalStateException("the insert thread committed " + writer.committed() + " of " +
                    queueIndex + " rows in " + DRAIN_TIMEOUT_MS + " ms");
            }
            Thread.sleep(1);
        }
    }

    /**
     * Stop the insert thread, close the database.
     *
     * @throws InterruptedException if interrupted while waiting for the insert thread.
     */
    @TearDown(Level.Trial)
    public void stop() throws InterruptedException
    {
        try
        {
            if (null != executor)
            {
                executor.shutdown();
                executor.awaitTermination(DRAIN_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            }
            if (null != writer)
            {
                writer.close();
            }
        }
        finally
        {
            database.close();
        }
    }

    /**
     * Build the row and submit it.
     */
    @Benchmark
    public void submitRow()
    {
        executor.execute(OrderRow.sample(writer, ++queueIndex, System.currentTimeMillis() * 1_000_000L));
    }
}
