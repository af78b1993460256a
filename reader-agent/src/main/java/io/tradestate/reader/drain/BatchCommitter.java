package io.tradestate.reader.drain;

import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.SystemEpochNanoClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Writes and commits the drain's batches on a thread of its own, so that the drain's thread reads and encodes the
 * next batch from the journals while PostgreSQL stores the last one. One batch is in flight at a time: the drain hands
 * one over with {@link #submit}, polls {@link #isDone()} between its reads, and takes the outcome with
 * {@link #collect()} before it hands over the next. Until then the batch, its sources' entries and the
 * {@link PostgresBatchWriter} belong to this thread.
 * <p>
 * Exactly-once is kept by the order of the transactions: the next batch is submitted only after the drain has seen
 * this one committed, and each source's checkpoint in it moves only from the index this one ended at (see
 * {@link BatchSource#afterIndex()}). When a batch fails, the drain throws away the one it was reading and rewinds
 * every source to its committed checkpoint.
 * <p>
 * A batch PostgreSQL refuses because of a row (a data exception or a constraint violation, not a database failure)
 * is written again at once, without the events it rejects: {@link RejectedEventIsolator} finds them, they go to
 * {@code dead_letters} with their bytes and PostgreSQL's reason, and the rest of the batch is committed with the
 * checkpoints in one transaction.
 * <p>
 * The thread, {@value #THREAD_NAME}, is started by the first batch and parks while there is none. A write that does
 * not return (a lock held by another session, a server that stopped answering) no longer holds up the drain's duty
 * cycle, so the systemd watchdog asks {@link #isStalled} as well.
 */
public final class BatchCommitter implements AutoCloseable
{
    /**
     * Name of the committing thread.
     */
    public static final String THREAD_NAME = "tradestate-drain-commit";

    private static final Logger LOGGER = LoggerFactory.getLogger(BatchCommitter.class);
    private static final long AWAIT_PARK_NS = TimeUnit.MICROSECONDS.toNanos(100);
    private static final long NOT_WRITING = Long.MIN_VALUE;

    private final PostgresBatchWriter writer;
    private final RejectedEventIsolator isolator = new RejectedEventIsolator();
    private final EpochNanoClock epochClock = SystemEpochNanoClock.INSTANCE;
    private Thread thread;
    private DrainBatch inFlight;
    private volatile DrainBatch submitted;
    private volatile boolean done;
    private volatile boolean closed;
    private volatile long writingSinceNs = NOT_WRITING;
    private int rejected;
    private long writeNs;
    private long committedAtEpochNs;
    private Throwable failure;

    BatchCommitter(final PostgresBatchWriter writer)
    {
        this.writer = writer;
    }

    /**
     * Hand a batch over to be written and committed.
     *
     * @param batch a batch with events; untouched by the caller until {@link #collect()} returns it.
     * @throws IllegalStateException if a batch is in flight, or the committer is closed.
     */
    void submit(final DrainBatch batch)
    {
        if (null != inFlight || closed)
        {
            throw new IllegalStateException(closed ? "committer closed" : "a batch is in flight");
        }
        if (null == thread)
        {
            thread = new Thread(this::run, THREAD_NAME);
            thread.setDaemon(true);
            thread.start();
        }
        inFlight = batch;
        done = false;
        writingSinceNs = System.nanoTime();
        submitted = batch;
        LockSupport.unpark(thread);
    }

    /**
     * Whether a batch has been submitted and not collected yet.
     *
     * @return true while one is in flight or done but not collected.
     */
    boolean isBusy()
    {
        return null != inFlight;
    }

    /**
     * Whether the batch in flight is committed or has failed, ready for {@link #collect()}.
     *
     * @return false if there is none.
     */
    boolean isDone()
    {
        return null != inFlight && done;
    }

    /**
     * Whether the batch in flight has been written for longer than a limit: from any thread, for the watchdog.
     *
     * @param nowNs   now, by {@link System#nanoTime()}.
     * @param limitNs the limit.
     * @return true if a write started more than {@code limitNs} ago has not returned.
     */
    boolean isStalled(final long nowNs, final long limitNs)
    {
        final long sinceNs = writingSinceNs;
        return NOT_WRITING != sinceNs && nowNs - sinceNs > limitNs;
    }

    /**
     * Wait until the batch in flight is done, if there is one: at shutdown.
     */
    void awaitDone()
    {
        while (null != inFlight && !done)
        {
            LockSupport.parkNanos(AWAIT_PARK_NS);
        }
    }

    /**
     * Take back the batch that is done; its outcome is {@link #failure()}, {@link #rejected()},
     * {@link #writeNs()} and {@link #committedAtEpochNs()} until the next submit.
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
        final DrainBatch batch = inFlight;
        inFlight = null;
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
     * How many events of the collected batch PostgreSQL rejected, now among its dead letters.
     *
     * @return the count.
     */
    int rejected()
    {
        return rejected;
    }

    /**
     * How long the collected batch took, from the start of its write to the return of its commit (one or, when
     * PostgreSQL rejected a row, two transactions).
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
     * Stop the thread; a batch in flight should be collected first.
     */
    public void close()
    {
        closed = true;
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

    private void run()
    {
        while (!closed)
        {
            final DrainBatch batch = submitted;
            if (null == batch)
            {
                LockSupport.park(this);
                continue;
            }

            submitted = null;
            final long startNs = System.nanoTime();
            try
            {
                rejected = write(batch);
                failure = null;
            }
            catch (final Throwable ex)
            {
                writer.onRolledBack();
                rejected = 0;
                failure = ex;
            }
            writeNs = System.nanoTime() - startNs;
            committedAtEpochNs = epochClock.nanoTime();
            writingSinceNs = NOT_WRITING;
            done = true;
        }
    }

    /**
     * Write a batch; if PostgreSQL rejects a row of it, write it again without the events it rejects.
     *
     * @return how many events PostgreSQL rejected, now among the batch's dead letters.
     */
    private int write(final DrainBatch batch) throws SQLException
    {
        try
        {
            writer.write(batch);
            return 0;
        }
        catch (final SQLException ex)
        {
            if (!RejectedEventIsolator.isRowRejection(ex))
            {
                throw ex;
            }

            writer.onRolledBack();
            final long startNs = System.nanoTime();
            final int rejected = writer.writeIsolatingRejected(batch, isolator);
            LOGGER.atInfo().addKeyValue("batch_events", batch.events()).addKeyValue("dead_letters", rejected)
                .log("PostgreSQL rejected a row of a batch of {} events ({}); {} of them moved to dead_letters, " +
                "the rest committed ({} slice writes, {} ms)", batch.events(), RejectedEventIsolator.reason(ex),
                rejected, isolator.attempts(), (System.nanoTime() - startNs) / 1_000_000);
            return rejected;
        }
    }
}
