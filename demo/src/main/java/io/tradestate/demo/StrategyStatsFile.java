package io.tradestate.demo;

import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.File;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;

/**
 * The running counters of one strategy process, in a small memory-mapped file the demo process reads once a second:
 * the child writes with ordered stores, the parent reads with volatile loads, neither blocks the other.
 * <p>
 * Layout (little-endian longs): events appended through the journal API, excerpts appended (those events plus the
 * {@code SourceStarted} and the heartbeats, which the reader agent drains too), the wall-clock time of the last
 * append, market events simulated, a state word ({@link #READY} once warmed up with the journal open, {@link #RUNNING},
 * then {@link #FINISHED} once the journal is closed and the histogram written), the start signal the parent
 * writes when every strategy is ready, so that all of them start appending together, and, for a strategy restarted
 * by {@code --chaos}, what it got back from the state maps: open orders, open trades, locks.
 * Then how long {@code TradeJournal.open}'s warm-up took, how long after its start the JVM was ready, and the
 * wall-clock time the parent writes with the start signal from which appends count as the run's steady state.
 * Last, for a restarted strategy that reconciled with the exchange, the fills and order updates it appended from
 * the reconciliation, and the restored orders it cancelled; the locks for all sources its risk desk took, and the
 * entries it held back for a lock the state maps held.
 */
final class StrategyStatsFile implements AutoCloseable
{
    static final long STARTING = 0;
    static final long RUNNING = 1;
    static final long FINISHED = 2;
    static final long FAILED = 3;
    static final long READY = 4;

    private static final int LENGTH = 192;
    private static final int EVENTS_OFFSET = 0;
    private static final int EXCERPTS_OFFSET = 8;
    private static final int LAST_APPEND_MS_OFFSET = 16;
    private static final int STEPS_OFFSET = 24;
    private static final int STATE_OFFSET = 32;
    private static final int GO_AT_MS_OFFSET = 40;
    private static final int RESTORED_ORDERS_OFFSET = 48;
    private static final int RESTORED_TRADES_OFFSET = 56;
    private static final int RESTORED_LOCKS_OFFSET = 64;
    private static final int WARM_UP_NS_OFFSET = 72;
    private static final int READY_AFTER_MS_OFFSET = 80;
    private static final int STEADY_FROM_MS_OFFSET = 88;
    private static final int RECONCILED_FILLS_OFFSET = 96;
    private static final int RECONCILED_ORDER_UPDATES_OFFSET = 104;
    private static final int CANCELLED_ORDERS_OFFSET = 112;
    private static final int RISK_LOCKS_OFFSET = 120;
    private static final int ENTRIES_HELD_BACK_OFFSET = 128;

    private final MappedByteBuffer mapped;
    private final UnsafeBuffer buffer;

    private StrategyStatsFile(final MappedByteBuffer mapped)
    {
        this.mapped = mapped;
        this.buffer = new UnsafeBuffer(mapped);
    }

    /**
     * Create (or truncate) the file, zeroed; the parent does this before it starts the child.
     */
    static StrategyStatsFile create(final Path file)
    {
        final File target = file.toFile();
        IoUtil.deleteIfExists(target);
        return new StrategyStatsFile(IoUtil.mapNewFile(target, LENGTH));
    }

    /**
     * Map a file made by {@link #create(Path)}.
     */
    static StrategyStatsFile open(final Path file)
    {
        return new StrategyStatsFile(IoUtil.mapExistingFile(file.toFile(), "strategy stats"));
    }

    void update(final long events, final long excerpts, final long lastAppendMs, final long steps)
    {
        buffer.putLongOrdered(EVENTS_OFFSET, events);
        buffer.putLongOrdered(EXCERPTS_OFFSET, excerpts);
        buffer.putLongOrdered(LAST_APPEND_MS_OFFSET, lastAppendMs);
        buffer.putLongOrdered(STEPS_OFFSET, steps);
    }

    void restored(final long orders, final long trades, final long locks)
    {
        buffer.putLongOrdered(RESTORED_ORDERS_OFFSET, orders);
        buffer.putLongOrdered(RESTORED_TRADES_OFFSET, trades);
        buffer.putLongOrdered(RESTORED_LOCKS_OFFSET, locks);
    }

    long restoredOrders()
    {
        return buffer.getLongVolatile(RESTORED_ORDERS_OFFSET);
    }

    long restoredTrades()
    {
        return buffer.getLongVolatile(RESTORED_TRADES_OFFSET);
    }

    long restoredLocks()
    {
        return buffer.getLongVolatile(RESTORED_LOCKS_OFFSET);
    }

    void reconciled(final long fills, final long orderUpdates)
    {
        buffer.putLongOrdered(RECONCILED_FILLS_OFFSET, fills);
        buffer.putLongOrdered(RECONCILED_ORDER_UPDATES_OFFSET, orderUpdates);
    }

    long reconciledFills()
    {
        return buffer.getLongVolatile(RECONCILED_FILLS_OFFSET);
    }

    long reconciledOrderUpdates()
    {
        return buffer.getLongVolatile(RECONCILED_ORDER_UPDATES_OFFSET);
    }

    void risk(final long locks, final long entriesHeldBack)
    {
        buffer.putLongOrdered(RISK_LOCKS_OFFSET, locks);
        buffer.putLongOrdered(ENTRIES_HELD_BACK_OFFSET, entriesHeldBack);
    }

    long riskLocks()
    {
        return buffer.getLongVolatile(RISK_LOCKS_OFFSET);
    }

    long entriesHeldBack()
    {
        return buffer.getLongVolatile(ENTRIES_HELD_BACK_OFFSET);
    }

    void cancelled(final long orders)
    {
        buffer.putLongOrdered(CANCELLED_ORDERS_OFFSET, orders);
    }

    long cancelledOrders()
    {
        return buffer.getLongVolatile(CANCELLED_ORDERS_OFFSET);
    }

    void state(final long state)
    {
        buffer.putLongOrdered(STATE_OFFSET, state);
    }

    /**
     * The start signal: the strategy appends from now on.
     *
     * @param goAtMs       now, epoch milliseconds.
     * @param steadyFromMs from when its appends count as the run's steady state rather than its first seconds.
     */
    void go(final long goAtMs, final long steadyFromMs)
    {
        buffer.putLongOrdered(STEADY_FROM_MS_OFFSET, steadyFromMs);
        buffer.putLongOrdered(GO_AT_MS_OFFSET, goAtMs);
    }

    long steadyFromMs()
    {
        return buffer.getLongVolatile(STEADY_FROM_MS_OFFSET);
    }

    /**
     * How the strategy warmed up: {@code TradeJournal.warmUpNs()} and its JVM's uptime when it became ready.
     */
    void warmedUp(final long journalWarmUpNs, final long readyAfterMs)
    {
        buffer.putLongOrdered(WARM_UP_NS_OFFSET, journalWarmUpNs);
        buffer.putLongOrdered(READY_AFTER_MS_OFFSET, readyAfterMs);
    }

    long journalWarmUpNs()
    {
        return buffer.getLongVolatile(WARM_UP_NS_OFFSET);
    }

    long readyAfterMs()
    {
        return buffer.getLongVolatile(READY_AFTER_MS_OFFSET);
    }

    long goAtMs()
    {
        return buffer.getLongVolatile(GO_AT_MS_OFFSET);
    }

    long events()
    {
        return buffer.getLongVolatile(EVENTS_OFFSET);
    }

    long excerpts()
    {
        return buffer.getLongVolatile(EXCERPTS_OFFSET);
    }

    long lastAppendMs()
    {
        return buffer.getLongVolatile(LAST_APPEND_MS_OFFSET);
    }

    long steps()
    {
        return buffer.getLongVolatile(STEPS_OFFSET);
    }

    long state()
    {
        return buffer.getLongVolatile(STATE_OFFSET);
    }

    public void close()
    {
        IoUtil.unmap(mapped);
    }
}
