package io.tradestate.reader.drain;

import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.SystemEpochNanoClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Writes and commits the drain's batches on threads of their own, so that the drain's thread reads and encodes the
 * next batch from the journals while PostgreSQL stores the last ones. Up to {@link #DEPTH} batches are in flight, each
 * in a transaction of its own on a connection of its own, in two steps:
 * <ol>
 *     <li>{@value #COPY_THREADS} copying threads ({@value #COPY_THREAD_NAME}{@code 0}, {@code 1}), batch n on thread
 *     {@code n % COPY_THREADS}, copy the batches' history rows ({@link PostgresBatchWriter#copyHistory}) beside each
 *     other and beside the batch before them, which is still finishing: the history rows of different batches never
 *     conflict (their keys hold the source and the queue index), so the transactions do not wait for each other, and
 *     the history COPY, the longest step, runs on two of the database's backends at once;</li>
 *     <li>{@value #THREAD_NAME} finishes the batches one after the other, in the order they were handed over: the
 *     current-state upserts, the pair locks, the dead letters and the checkpoints ({@link PostgresBatchWriter#finish}),
 *     then the commit. A batch is finished only once the one before it is committed.</li>
 * </ol>
 * The drain hands a batch over with {@link #submit} when {@link #canSubmit(boolean)} (three full batches in flight at
 * most, two partial ones), polls {@link #isDone()} between its reads, and takes the outcomes with {@link #collect()},
 * in the order it handed them over. Until then a batch, its sources' entries and its connection belong to these
 * threads.
 * <p>
 * Exactly-once is kept by the order of the commits: each source's checkpoint in a batch moves only from the index the
 * batch before ended at (see {@link BatchSource#afterIndex()}), and a batch handed over while another was in flight
 * (chained to it) is never committed unless that one was: when a batch fails, the ones after it are rolled back
 * unread ({@link #skipped()}), and no batch is taken until the drain has collected them all, rewound every source to
 * its committed checkpoint and started again from an empty pipeline. A commit whose reply was lost fails the same way,
 * and the drain then resumes after the checkpoints the database holds.
 * <p>
 * A batch PostgreSQL refuses because of a row (a data exception or a constraint violation, not a database failure),
 * in its COPY or in its upserts, is written again at once on its connection, in a new transaction, without the events
 * it rejects: {@link RejectedEventIsolator} finds them, they go to {@code dead_letters} with their bytes and
 * PostgreSQL's reason, and the rest of the batch is committed with the checkpoints in one transaction.
 * <p>
 * Monthly partitions are made before a batch's transaction begins, in a short transaction of their own, and only
 * while no other batch's transaction is open: making one locks its parent table, which would otherwise wait for a
 * batch in flight while that batch waits behind the lock. So a batch's transaction begins only once every batch
 * handed over before it has made or known its partitions, and a batch that makes one first waits until every batch
 * before it has ended its transaction. They are needed once a month, and after a failure.
 * <p>
 * The threads are started by the first batch and park while there is none. A write that does not return (a lock held
 * by another session, a server that stopped answering) no longer holds up the drain's duty cycle, so the systemd
 * watchdog asks {@link #isStalled} as well.
 */
public final class BatchCommitter implements AutoCloseable
{
    /**
     * Name of the thread that finishes and commits the batches.
     */
    public static final String THREAD_NAME = "tradestate-drain-commit";

    /**
     * Name of the threads that copy the batches' history rows, followed by their number.
     */
    static final String COPY_THREAD_NAME = "tradestate-drain-copy-";

    /**
     * Threads copying history rows, each on a connection of its own: batch {@code n} is copied by thread
     * {@code n % COPY_THREADS}.
     */
    public static final int COPY_THREADS = 2;

    /**
     * Full batches in flight at most: one finishing, one copying on each copying thread.
     */
    static final int DEPTH = COPY_THREADS + 1;

    /**
     * Partial batches in flight at most: one finishing, one copying (see {@link #canSubmit(boolean)}).
     */
    static final int DEPTH_PARTIAL = 2;

    private static final Logger LOGGER = LoggerFactory.getLogger(BatchCommitter.class);
    private static final long AWAIT_PARK_NS = TimeUnit.MICROSECONDS.toNanos(100);
    private static final long NOT_WRITING = Long.MIN_VALUE;
    private static final int FREE = 0;
    private static final int SUBMITTED = 1;
    private static final int COPIED = 2;
    private static final int DONE = 3;

    private final PostgresBatchWriter writer;
    private final RejectedEventIsolator isolator = new RejectedEventIsolator();
    private final EpochNanoClock epochClock = SystemEpochNanoClock.INSTANCE;
    private final Slot[] slots = new Slot[DEPTH];
    private final Thread[] copyThreads = new Thread[COPY_THREADS];
    private Thread commitThread;
    private volatile boolean closed;

    // The drain's thread only; submitted is read by the copying threads.
    private volatile long submitted;
    private long collected;
    private boolean discarding;
    private boolean skipped;
    private int rejected;
    private long writeNs;
    private long committedAtEpochNs;
    private Throwable failure;

    // The copying threads: batches whose partitions are made or known, in the order handed over, and their time.
    private volatile long partitioned;
    private final AtomicLong copyNs = new AtomicLong();

    // The committing thread only; read by the copying threads.
    private volatile long finished;
    private boolean lastCommitted;
    private volatile long finishNs;

    BatchCommitter(final PostgresBatchWriter writer)
    {
        this.writer = writer;
        for (int i = 0; i < DEPTH; i++)
        {
            slots[i] = new Slot();
        }
    }

    /**
     * Whether a batch can be handed over now: none is left of those handed over before a failure, and fewer than
     * {@link #DEPTH} are in flight for a full batch, fewer than {@link #DEPTH_PARTIAL} for one the drain closed
     * because the journals had nothing more (its linger or its age). Partial batches mean the drain keeps up: a third
     * in flight would only queue another commit behind the two, and the events wait longer (measured: the commit p50
     * at 1,000 events/s doubled); the open batch grows instead, until a slot is free or it is full. Under a backlog
     * the batches are full and the second copying thread pays.
     *
     * @param full whether the batch reached {@code batch.max.events} or {@code batch.max.bytes}.
     * @return true if {@link #submit} would take it.
     */
    boolean canSubmit(final boolean full)
    {
        if (closed)
        {
            return false;
        }
        if (submitted == collected)
        {
            discarding = false;
        }
        return !discarding && submitted - collected < (full ? DEPTH : DEPTH_PARTIAL);
    }

    /**
     * Hand a batch over to be written and committed after the ones in flight.
     *
     * @param batch a batch with events; untouched by the caller until {@link #collect()} returns it.
     * @throws IllegalStateException if {@link #canSubmit(boolean)} is false for a full batch.
     */
    void submit(final DrainBatch batch)
    {
        if (!canSubmit(true))
        {
            throw new IllegalStateException(closed ? "committer closed" : "no room for another batch");
        }
        if (null == commitThread)
        {
            for (int i = 0; i < COPY_THREADS; i++)
            {
                final int first = i;
                copyThreads[i] = startThread(() -> copyLoop(first), COPY_THREAD_NAME + i);
            }
            commitThread = startThread(this::commitLoop, THREAD_NAME);
        }

        final Slot slot = slots[(int)(submitted % DEPTH)];
        slot.batch = batch;
        slot.chained = submitted != collected;
        slot.connection = null;
        slot.copyFailure = null;
        slot.failure = null;
        slot.skipped = false;
        slot.rejected = 0;
        slot.writingSinceNs = System.nanoTime();
        slot.state = SUBMITTED;
        final long sequence = submitted;
        // Publishes the slot to its copying thread.
        submitted = sequence + 1;
        LockSupport.unpark(copyThreads[(int)(sequence % COPY_THREADS)]);
    }

    /**
     * Whether a batch has been submitted and not collected yet.
     *
     * @return true while one is in flight or done but not collected.
     */
    boolean isBusy()
    {
        return submitted != collected;
    }

    /**
     * Whether the oldest batch in flight is committed or has failed, ready for {@link #collect()}.
     *
     * @return false if there is none.
     */
    boolean isDone()
    {
        return submitted != collected && DONE == slots[(int)(collected % DEPTH)].state;
    }

    /**
     * Whether a batch in flight has been written for longer than a limit: from any thread, for the watchdog.
     *
     * @param nowNs   now, by {@link System#nanoTime()}.
     * @param limitNs the limit.
     * @return true if a write started more than {@code limitNs} ago has not returned.
     */
    boolean isStalled(final long nowNs, final long limitNs)
    {
        for (final Slot slot : slots)
        {
            final long sinceNs = slot.writingSinceNs;
            if (NOT_WRITING != sinceNs && nowNs - sinceNs > limitNs)
            {
                return true;
            }
        }
        return false;
    }

    /**
     * Wait until the oldest batch in flight is done, if there is one: at shutdown.
     */
    void awaitDone()
    {
        while (isBusy() && !isDone())
        {
            LockSupport.parkNanos(AWAIT_PARK_NS);
        }
    }

    /**
     * Take back the oldest batch, which is done; its outcome is {@link #failure()}, {@link #skipped()},
     * {@link #rejected()}, {@link #writeNs()} and {@link #committedAtEpochNs()} until the next collect.
     *
     * @return the batch, as it was written: its dead letters include the events PostgreSQL rejected.
     * @throws IllegalStateException if no batch is done.
     */
    DrainBatch collect()
    {
        if (!isDone())
        {
            throw new IllegalStateException("no batch is done");
        }
        final Slot slot = slots[(int)(collected % DEPTH)];
        final DrainBatch batch = slot.batch;
        failure = slot.failure;
        skipped = slot.skipped;
        rejected = slot.rejected;
        writeNs = slot.writeNs;
        committedAtEpochNs = slot.committedAtEpochNs;
        slot.batch = null;
        slot.failure = null;
        slot.copyFailure = null;
        slot.state = FREE;
        collected++;
        if (null != failure)
        {
            discarding = true;
        }
        return batch;
    }

    /**
     * Why the collected batch was not committed: nothing of it is in the database, and the writer has forgotten what
     * the transaction made.
     *
     * @return the failure, or null if it was committed.
     */
    Throwable failure()
    {
        return failure;
    }

    /**
     * Whether the collected batch was rolled back, unfinished, because the batch before it failed: its failure is not
     * a failure of its own, and the drain has rewound its sources already.
     *
     * @return true if skipped.
     */
    boolean skipped()
    {
        return skipped;
    }

    /**
     * How many events of the collected batch PostgreSQL rejected, now among its dead letters.
     *
     * @return the count.
     */
    int rejected()
    {
        return rejected;
    }

    /**
     * How long the collected batch took, from the start of its write (its COPY) to the return of its commit (one or,
     * when PostgreSQL rejected a row, two transactions), the wait for the batch before it included.
     *
     * @return nanoseconds.
     */
    long writeNs()
    {
        return writeNs;
    }

    /**
     * When the commit of the collected batch returned, by the host's wall clock, as the writers stamp their appends.
     *
     * @return epoch nanoseconds.
     */
    long committedAtEpochNs()
    {
        return committedAtEpochNs;
    }

    /**
     * Time the copying threads have spent on batches since start, summed: getting a connection, waiting for the
     * partitions of the batches before, making partitions and copying history rows, failures included. From any
     * thread; against the time passed (up to {@value #COPY_THREADS} times it), it says whether the history COPY bounds
     * the drain or waits for it.
     *
     * @return nanoseconds, never going back.
     */
    long copyNanos()
    {
        return copyNs.get();
    }

    /**
     * Time {@value #THREAD_NAME} has spent on batches since start: current-state upserts, pair locks, dead letters,
     * checkpoints, commits, rollbacks and the search for rejected rows. From any thread.
     *
     * @return nanoseconds, never going back.
     */
    long finishNanos()
    {
        return finishNs;
    }

    /**
     * Stop the threads; the batches in flight should be collected first.
     */
    public void close()
    {
        closed = true;
        for (final Thread copyThread : copyThreads)
        {
            join(copyThread);
        }
        join(commitThread);
    }

    private static Thread startThread(final Runnable loop, final String name)
    {
        final Thread thread = new Thread(loop, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static void join(final Thread thread)
    {
        if (null != thread)
        {
            LockSupport.unpark(thread);
            try
            {
                thread.join(TimeUnit.SECONDS.toMillis(5));
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Copy the batches {@code first}, {@code first + COPY_THREADS}, ... as they are handed over.
     */
    private void copyLoop(final int first)
    {
        long next = first;
        while (!closed)
        {
            // Batch next, once handed over, stays in its slot until this thread has copied it.
            if (next >= submitted)
            {
                LockSupport.park(this);
                continue;
            }

            final Slot slot = slots[(int)(next % DEPTH)];
            slot.startNs = System.nanoTime();
            // Before taking a connection: a thread waiting here holds none of the pool's.
            awaitPartitionedBefore(next);
            try
            {
                slot.connection = writer.dataSource().getConnection();
                if (writer.needsPartitions(slot.batch))
                {
                    awaitNoOtherTransaction(next);
                    writer.ensurePartitions(slot.connection, slot.batch);
                }
            }
            catch (final Throwable ex)
            {
                slot.copyFailure = ex;
            }
            partitioned = next + 1;
            if (null == slot.copyFailure)
            {
                try
                {
                    writer.copyHistory(slot.connection, slot.batch);
                }
                catch (final Throwable ex)
                {
                    slot.copyFailure = ex;
                }
            }
            copyNs.addAndGet(System.nanoTime() - slot.startNs);
            slot.state = COPIED;
            next += COPY_THREADS;
            LockSupport.unpark(commitThread);
        }
    }

    /**
     * Wait until every batch handed over before this one has had its partitions made (or known): a batch's
     * transaction begins only then, so that none is open, holding a lock on a parent table, while an earlier batch
     * makes a partition of it.
     */
    private void awaitPartitionedBefore(final long sequence)
    {
        while (partitioned != sequence && !closed)
        {
            LockSupport.parkNanos(AWAIT_PARK_NS);
        }
    }

    /**
     * Wait until every batch handed over before this one has ended its transaction: committed, failed or skipped.
     * The later ones wait for this one's partitions.
     */
    private void awaitNoOtherTransaction(final long sequence)
    {
        while (finished != sequence && !closed)
        {
            LockSupport.parkNanos(AWAIT_PARK_NS);
        }
    }

    private void commitLoop()
    {
        while (!closed)
        {
            final Slot slot = slots[(int)(finished % DEPTH)];
            if (COPIED != slot.state)
            {
                LockSupport.park(this);
                continue;
            }

            final long finishStartNs = System.nanoTime();
            finish(slot);
            final long finishedNs = System.nanoTime();
            finishNs += finishedNs - finishStartNs;
            slot.writeNs = finishedNs - slot.startNs;
            slot.committedAtEpochNs = epochClock.nanoTime();
            slot.writingSinceNs = NOT_WRITING;
            slot.state = DONE;
            finished++;
        }
    }

    /**
     * Finish and commit a copied batch, or roll it back: when its copy failed for another reason than a rejected row,
     * when the batch it is chained to was not committed, or when its own statements fail.
     */
    private void finish(final Slot slot)
    {
        final Connection connection = slot.connection;
        try
        {
            if (slot.chained && !lastCommitted)
            {
                slot.skipped = true;
                throw new SQLException("not written: the batch before it failed");
            }
            if (null != slot.copyFailure)
            {
                throw slot.copyFailure;
            }
            slot.rejected = write(slot.batch, connection, null);
            lastCommitted = true;
        }
        catch (final Throwable ex)
        {
            slot.rejected = 0;
            slot.failure = ex;
            lastCommitted = false;
            if (null != connection)
            {
                writer.rollback(connection, ex);
            }
            writer.onRolledBack();
            if (null != connection && slot.copyFailure instanceof SQLException && !slot.skipped &&
                RejectedEventIsolator.isRowRejection((SQLException)slot.copyFailure))
            {
                // The COPY itself refused a row: search the batch in a new transaction, as after a refused upsert.
                retryIsolating(slot, connection, (SQLException)slot.copyFailure);
            }
        }
        finally
        {
            slot.copyFailure = null;
            close(slot);
        }
    }

    private void retryIsolating(final Slot slot, final Connection connection, final SQLException rejection)
    {
        try
        {
            slot.rejected = write(slot.batch, connection, rejection);
            slot.failure = null;
            lastCommitted = true;
        }
        catch (final Throwable ex)
        {
            slot.rejected = 0;
            slot.failure = ex;
            writer.rollback(connection, ex);
            writer.onRolledBack();
        }
    }

    /**
     * Finish a copied batch and commit it; if PostgreSQL rejects a row of it, write it again without the events it
     * rejects, in a new transaction on the same connection.
     *
     * @param rejection the copy's rejection of a row, if the batch's copy was rolled back for it; else null.
     * @return how many events PostgreSQL rejected, now among the batch's dead letters.
     */
    private int write(final DrainBatch batch, final Connection connection, final SQLException rejection)
        throws SQLException
    {
        SQLException rejected = rejection;
        if (null == rejected)
        {
            try
            {
                writer.finish(connection, batch);
                connection.commit();
                return 0;
            }
            catch (final SQLException ex)
            {
                if (!RejectedEventIsolator.isRowRejection(ex))
                {
                    throw ex;
                }
                writer.rollback(connection, ex);
                writer.onRolledBack();
                rejected = ex;
            }
        }

        final long startNs = System.nanoTime();
        final int count = writer.isolateRejected(connection, batch, isolator);
        connection.commit();
        LOGGER.atInfo().addKeyValue("batch_events", batch.events()).addKeyValue("dead_letters", count)
            .log("PostgreSQL rejected a row of a batch of {} events ({}); {} of them moved to dead_letters, " +
            "the rest committed ({} slice writes, {} ms)", batch.events(), RejectedEventIsolator.reason(rejected),
            count, isolator.attempts(), (System.nanoTime() - startNs) / 1_000_000);
        return count;
    }

    private static void close(final Slot slot)
    {
        final Connection connection = slot.connection;
        slot.connection = null;
        if (null != connection)
        {
            try
            {
                connection.close();
            }
            catch (final SQLException | RuntimeException ignore)
            {
                // Rolled back or committed already: the pool evicts a broken connection.
            }
        }
    }

    /**
     * One batch in flight and its outcome. Its fields are handed from thread to thread by volatile writes: the
     * drain's thread fills a free slot and counts it {@code submitted}, its copying thread takes it from that count,
     * fills it and sets {@link #state} to copied, the committing thread takes a copied one and sets it done, and the
     * drain's thread takes a done one.
     */
    private static final class Slot
    {
        private DrainBatch batch;
        private Connection connection;
        private boolean chained;
        private Throwable copyFailure;
        private Throwable failure;
        private boolean skipped;
        private int rejected;
        private long startNs;
        private long writeNs;
        private long committedAtEpochNs;
        private volatile long writingSinceNs = NOT_WRITING;
        private volatile int state = FREE;
    }
}
