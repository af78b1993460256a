package io.tradestate.writer;

import net.openhft.chronicle.bytes.MappedBytes;
import net.openhft.chronicle.core.time.TimeProvider;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueStore;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.IdleStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The journal's background duties, off every appending thread: pretouch, roll, heartbeat and interval sync.
 * <p>
 * <b>Pretouch.</b> The first write to a page of a fresh, sparse cycle file costs a page fault that allocates the
 * disk block and zeroes the page: microseconds on average and milliseconds now and then as the file grows,
 * against some 100 ns for the whole append. This agent touches the pages ahead of the write position first, with a
 * compare-and-swap of 0 for 0 on the first word of each page, through a mapping of the same cycle file. The CAS
 * never changes a byte: if an appender has already written the word the CAS fails and leaves it alone, and if not
 * it stores the 0 that is there. It can therefore never race a real write, whatever the interleaving, and the kernel
 * still has to make the page present and writable. Pages are touched only once {@link JournalSpace} has reserved
 * them: touching a page of a full file system would raise {@code SIGBUS} here. When it cannot, pretouching waits for
 * space, logged once when space runs short and once when it is back, and the appenders' own reservation fails
 * their appends cleanly.
 * <p>
 * <b>Roll.</b> Open-source Chronicle Queue creates the next cycle file when the first excerpt of the new cycle is
 * written, on the appending thread: file creation, header, index and the first block mapping, several milliseconds.
 * This agent wakes at the cycle boundary and appends a {@code Heartbeat} itself, so that it pays for the new file
 * unless a strategy appends within the first milliseconds of the cycle; each appender still opens the new cycle's
 * store on its own first append of the cycle (measured 0.5 to 1 ms, bench/results/README.md). It never creates a
 * cycle file early: a tailer that saw a newer cycle file while the current one lacks its end-of-file marker could
 * move on before the last events of the cycle are read.
 * <p>
 * <b>Sync.</b> With {@link SyncPolicy#INTERVAL}, the current cycle file is forced to disk every interval with
 * {@code fdatasync}, which on Linux writes back pages dirtied through any mapping of the file.
 * <p>
 * <b>Idle.</b> {@link Idle}: 1 ms after a round with work or while the writers are in a burst, twice as long after
 * each idle round up to {@link JournalContext#maintenanceIdleMs()} (50 ms), never past the next heartbeat, roll or
 * interval sync. A thread
 * that woke every millisecond cost a strategy's sparse appends about a quarter of their time (measured: p50 28 us
 * against 20-23 us with 50 ms sleeps, one event every 30 ms, writer-agent/README.md); a pretouch lookahead of 4 MiB
 * covers 50 ms of a burst of 250,000 events a second.
 */
final class JournalMaintenanceAgent implements Agent
{
    private static final Logger LOGGER = LoggerFactory.getLogger(JournalMaintenanceAgent.class);
    private static final long PAGE_SIZE = 4096;
    private static final int MAX_PAGES_PER_WORK = 64;

    private final TradeJournal journal;
    private final SingleChronicleQueue queue;
    private final TimeProvider timeProvider;
    private final boolean pretouch;
    private final long pretouchAheadBytes;
    private final long heartbeatIntervalMs;
    private final boolean intervalSync;
    private final long syncIntervalMs;
    private final long cycleLengthMs;
    private long nextRollMs;
    private long nextHeartbeatMs;
    private long nextSyncMs;
    private int storeCycle = Integer.MIN_VALUE;
    private SingleChronicleQueueStore store;
    private MappedBytes storeBytes;
    private FileChannel storeChannel;
    private long touchedToPosition;
    private long idleCheckWritePosition;
    private long pagesTouched;
    private boolean spaceShort;
    private volatile long syncs;

    JournalMaintenanceAgent(final TradeJournal journal, final SingleChronicleQueue queue, final JournalContext context)
    {
        this.journal = journal;
        this.queue = queue;
        this.timeProvider = context.timeProvider();
        this.pretouch = context.pretouchEnabled();
        this.pretouchAheadBytes = context.pretouchAheadBytes();
        this.heartbeatIntervalMs = context.heartbeatIntervalMs();
        this.intervalSync = SyncPolicy.INTERVAL == context.syncPolicy();
        this.syncIntervalMs = context.syncIntervalMs();
        this.cycleLengthMs = queue.rollCycle().lengthInMillis();
        final long nowMs = timeProvider.currentTimeMillis();
        this.nextRollMs = cycleStartMs(queue.cycle() + 1);
        this.nextHeartbeatMs = nowMs + heartbeatIntervalMs;
        this.nextSyncMs = nowMs + syncIntervalMs;
    }

    /**
     * Whether the writers have moved the write position by more than a 64th of the pretouch lookahead since the last
     * call: a burst, which the pretoucher must follow closely (at a 64th of the lookahead, 64 KiB by default, a
     * sparse writer never counts).
     *
     * @return true if it moved that far.
     */
    boolean writersAreBusy()
    {
        if (!pretouch || null == store)
        {
            return false;
        }

        final long writePosition = store.writePosition();
        final boolean busy = writePosition - idleCheckWritePosition > pretouchAheadBytes >> 6;
        idleCheckWritePosition = writePosition;
        return busy;
    }

    /**
     * Milliseconds until the next duty that falls due by the clock: the roll (with pretouching), the next heartbeat
     * and the next interval sync.
     *
     * @return 0 or more.
     */
    long msUntilNextDuty()
    {
        long nextDutyMs = Long.MAX_VALUE;
        if (pretouch)
        {
            nextDutyMs = nextRollMs;
        }
        if (heartbeatIntervalMs > 0)
        {
            nextDutyMs = Math.min(nextDutyMs, nextHeartbeatMs);
        }
        if (intervalSync)
        {
            nextDutyMs = Math.min(nextDutyMs, nextSyncMs);
        }

        return Long.MAX_VALUE == nextDutyMs ? Long.MAX_VALUE :
            Math.max(0, nextDutyMs - timeProvider.currentTimeMillis());
    }

    static void logError(final Throwable ex)
    {
        LOGGER.warn("journal maintenance failed; appends are unaffected, the next attempt follows", ex);
    }

    public String roleName()
    {
        return "tradestate-journal-" + journal.sourceId();
    }

    public int doWork() throws IOException
    {
        if (journal.isClosed())
        {
            return 0;
        }

        int workCount = 0;
        long nowMs = timeProvider.currentTimeMillis();
        if (pretouch)
        {
            final long untilRollMs = nextRollMs - nowMs;
            if (untilRollMs > 0 && untilRollMs <= Idle.MIN_SLEEP_MS)
            {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(untilRollMs));
                nowMs = timeProvider.currentTimeMillis();
            }

            if (nowMs >= nextRollMs)
            {
                journal.heartbeat();
                nextRollMs = cycleStartMs(queue.cycle() + 1);
                nextHeartbeatMs = nowMs + heartbeatIntervalMs;
                workCount++;
            }
        }

        workCount += refreshStore();
        if (pretouch && null != store)
        {
            workCount += pretouch();
        }

        if (heartbeatIntervalMs > 0 && nowMs >= nextHeartbeatMs)
        {
            journal.heartbeat();
            nextHeartbeatMs = nowMs + heartbeatIntervalMs;
            workCount++;
        }

        if (intervalSync && nowMs >= nextSyncMs)
        {
            if (null != storeChannel)
            {
                storeChannel.force(false);
                syncs++;
            }
            nextSyncMs = nowMs + syncIntervalMs;
            workCount++;
        }

        return workCount;
    }

    public void onClose()
    {
        releaseStore();
    }

    /**
     * Pages touched since the journal opened, for tests and metrics.
     *
     * @return the count.
     */
    long pagesTouched()
    {
        return pagesTouched;
    }

    /**
     * Interval syncs done since the journal opened, for tests and metrics.
     *
     * @return the count.
     */
    long syncs()
    {
        return syncs;
    }

    private int pretouch()
    {
        final long writePosition = store.writePosition();
        final long limit = Math.min(writePosition + pretouchAheadBytes, reserveAhead(writePosition));
        long position = Math.max(touchedToPosition, (writePosition + PAGE_SIZE - 1) & -PAGE_SIZE);
        int pages = 0;
        while (position < limit && pages < MAX_PAGES_PER_WORK)
        {
            storeBytes.compareAndSwapInt(position, 0, 0);
            position += PAGE_SIZE;
            pages++;
        }

        touchedToPosition = position;
        pagesTouched += pages;
        return pages;
    }

    /**
     * Reserve the pages to be touched, or as many as the file system has.
     *
     * @return where the reserved range of the store's file ends.
     */
    private long reserveAhead(final long writePosition)
    {
        final JournalSpace space = journal.space();
        final long endPosition = writePosition + pretouchAheadBytes - JournalSpace.HEADROOM_BYTES;
        if (!space.covers(storeCycle, endPosition))
        {
            try
            {
                space.reserve(storeCycle, store.file(), endPosition);
                if (spaceShort)
                {
                    spaceShort = false;
                    LOGGER.info("journal {} has disk space again; pretouching resumes", store.file());
                }
            }
            catch (final JournalFullException ex)
            {
                if (!spaceShort)
                {
                    spaceShort = true;
                    LOGGER.warn("{}; pretouching waits for space", ex.getMessage());
                }
            }
        }
        return space.covers(storeCycle, 0) ? space.reservedTo() : 0;
    }

    private int refreshStore() throws IOException
    {
        final int lastCycle = queue.lastCycle();
        if (lastCycle == storeCycle || lastCycle < 0)
        {
            return 0;
        }

        releaseStore();
        store = queue.storeForCycle(lastCycle, queue.epoch(), false, null);
        storeCycle = lastCycle;
        touchedToPosition = 0;
        idleCheckWritePosition = 0;
        if (null == store)
        {
            return 0;
        }

        journal.context().fileAccess().file(store.file().toPath());
        storeBytes = store.bytes();
        if (intervalSync)
        {
            storeChannel = FileChannel.open(store.file().toPath(), StandardOpenOption.WRITE);
        }

        return 1;
    }

    private void releaseStore()
    {
        if (null != storeChannel)
        {
            try
            {
                storeChannel.force(false);
                storeChannel.close();
            }
            catch (final IOException ex)
            {
                logError(ex);
            }
            storeChannel = null;
        }

        if (null != storeBytes)
        {
            storeBytes.releaseLast();
            storeBytes = null;
        }

        if (null != store)
        {
            queue.closeStore(store);
            store = null;
        }
    }

    private long cycleStartMs(final int cycle)
    {
        return queue.epoch() + cycle * cycleLengthMs;
    }

    /**
     * The background thread's idle strategy: {@value #MIN_SLEEP_MS} ms after a round with work or while the writers
     * move the write position fast, doubling after each idle round up to the longest sleep, and never past the agent's
     * next duty.
     */
    static final class Idle implements IdleStrategy
    {
        /**
         * The shortest sleep, and the sleep after a round with work.
         */
        static final long MIN_SLEEP_MS = 1;

        private final JournalMaintenanceAgent agent;
        private final long maxSleepMs;
        private long sleepMs = MIN_SLEEP_MS;

        Idle(final JournalMaintenanceAgent agent, final long maxSleepMs)
        {
            this.agent = agent;
            this.maxSleepMs = Math.max(MIN_SLEEP_MS, maxSleepMs);
        }

        /**
         * {@inheritDoc}
         */
        public void idle(final int workCount)
        {
            if (workCount > 0)
            {
                sleepMs = MIN_SLEEP_MS;
                return;
            }

            if (agent.writersAreBusy())
            {
                sleepMs = MIN_SLEEP_MS;
            }
            idle();
        }

        /**
         * {@inheritDoc}
         */
        public void idle()
        {
            final long parkMs = Math.max(MIN_SLEEP_MS, Math.min(sleepMs, agent.msUntilNextDuty()));
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(parkMs));
            sleepMs = Math.min(maxSleepMs, sleepMs << 1);
        }

        /**
         * {@inheritDoc}
         */
        public void reset()
        {
            sleepMs = MIN_SLEEP_MS;
        }

        /**
         * The next sleep, for tests.
         *
         * @return milliseconds.
         */
        long sleepMs()
        {
            return sleepMs;
        }
    }
}
