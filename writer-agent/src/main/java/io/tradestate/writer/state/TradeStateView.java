package io.tradestate.writer.state;

import io.tradestate.codecs.LockSide;
import io.tradestate.files.ChronicleDefaults;
import io.tradestate.state.StateGeneration;
import io.tradestate.state.StateLayout;
import io.tradestate.state.StatePointer;
import io.tradestate.state.StateRecord;
import io.tradestate.writer.JvmFlagsCheck;
import net.openhft.chronicle.map.ChronicleMap;
import org.agrona.CloseHelper;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Read-only view of the live state the reader agent publishes: orders, open trades, active pair locks and balances,
 * from the Chronicle Map files under the agent's {@code state.dir}, from any process on the host, microseconds behind
 * the appends and independent of the database.
 * <pre>{@code
 * try (TradeStateView view = TradeStateView.open(Path.of("/var/lib/tradestate/state")))
 * {
 *     final OrderEntry order = new OrderEntry();               // one holder per thread, reused
 *     if (view.order("binance", "8389765", order) == TradeStateView.FOUND)
 *     {
 *         final OrderUpdateDecoder update = order.decoder();   // the order's last update, every field
 *     }
 * }
 * }</pre>
 * Lookups allocate nothing and never block beyond a bound: each one takes its entry's segment read lock with a wait
 * of at most {@code lockTimeoutMs} (the publisher holds a write lock for one in-place update, well under a
 * microsecond). A wait that runs out means the agent died holding the lock: that lookup and every later one on the
 * same generation answer {@link #UNAVAILABLE} at once (never a torn or half-updated entry), until the restarted agent
 * publishes a new generation, which a background thread of the view opens and switches to.
 * <p>
 * Entries are as fresh as the agent: {@link StateEntry#queueIndex()} and {@link StateEntry#appendTimeNs()} tell
 * which event an entry reflects, and {@link #publisherHeartbeatMs()} whether the agent is alive (it refreshes the
 * heartbeat about every 100 ms). Closed orders and closed trades leave the maps after the agent's
 * {@code state.closed.retention.ms}; PostgreSQL keeps them.
 * <p>
 * Thread safety: a view may be shared by threads; each thread uses its own entry holders and lists. {@link #close()}
 * may be called while other threads read: it waits until no lookup is inside the mapped files before it unmaps them,
 * and every lookup after it answers {@link #UNAVAILABLE}.
 */
public final class TradeStateView implements AutoCloseable
{
    /**
     * The entry exists and was copied into the holder.
     */
    public static final int FOUND = StateGeneration.FOUND;

    /**
     * No such entry.
     */
    public static final int NOT_FOUND = StateGeneration.NOT_FOUND;

    /**
     * The pair is locked.
     */
    public static final int LOCKED = 1;

    /**
     * The pair is not locked.
     */
    public static final int UNLOCKED = 0;

    /**
     * No answer: no generation is published yet, or the current one has a lock held by a dead process.
     */
    public static final int UNAVAILABLE = StateGeneration.UNAVAILABLE;

    /**
     * Default bound on a lookup's wait for a lock.
     */
    public static final long DEFAULT_LOCK_TIMEOUT_MS = 250;

    static
    {
        ChronicleDefaults.apply();
    }

    private static final long FOLLOW_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final long RETIRED_GRACE_NS = TimeUnit.SECONDS.toNanos(10);
    private static final long CLOSE_WAIT_NS = TimeUnit.SECONDS.toNanos(10);
    private static final VarHandle READERS;

    static
    {
        try
        {
            READERS = MethodHandles.lookup().findVarHandle(TradeStateView.class, "readers", int.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final Path mapsDir;
    private final long lockTimeoutNs;
    private final Thread follower;
    private final ArrayDeque<StateGeneration> retired = new ArrayDeque<>();
    private final ArrayDeque<Long> retiredAtNs = new ArrayDeque<>();
    private volatile StatePointer pointer;
    private volatile StateGeneration generation;
    private volatile boolean running = true;
    private volatile boolean closed;
    private volatile int readers;
    private volatile RuntimeException lastError;

    private TradeStateView(final Path stateDir, final long lockTimeoutMs)
    {
        this.mapsDir = stateDir.resolve("maps");
        this.lockTimeoutNs = TimeUnit.MILLISECONDS.toNanos(lockTimeoutMs);
        this.follower = new Thread(this::follow, "tradestate-state-view");
        this.follower.setDaemon(true);
    }

    /**
     * Open the view of an agent's state folder, with the default lock wait bound.
     *
     * @param stateDir the agent's {@code state.dir}.
     * @return the view; lookups answer {@link #UNAVAILABLE} until a generation is open (see {@link #awaitAvailable}).
     */
    public static TradeStateView open(final Path stateDir)
    {
        return open(stateDir, DEFAULT_LOCK_TIMEOUT_MS);
    }

    /**
     * Open the view of an agent's state folder.
     *
     * @param stateDir      the agent's {@code state.dir}.
     * @param lockTimeoutMs longest wait of a lookup for a lock, from 1 ms.
     * @return the view; lookups answer {@link #UNAVAILABLE} until a generation is open (see {@link #awaitAvailable}).
     */
    public static TradeStateView open(final Path stateDir, final long lockTimeoutMs)
    {
        JvmFlagsCheck.verifyForStateView();
        if (null == stateDir)
        {
            throw new IllegalArgumentException("stateDir must not be null");
        }
        if (lockTimeoutMs < 1)
        {
            throw new IllegalArgumentException("lockTimeoutMs must be at least 1: " + lockTimeoutMs);
        }
        final TradeStateView view = new TradeStateView(stateDir, lockTimeoutMs);
        view.follower.start();
        return view;
    }

    /**
     * Wait until a generation is open and usable.
     *
     * @param timeoutMs longest wait.
     * @return true if lookups can be answered.
     */
    public boolean awaitAvailable(final long timeoutMs)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!isAvailable())
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                return false;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        return true;
    }

    /**
     * Whether lookups can be answered now.
     *
     * @return true if a generation is open and not dead.
     */
    public boolean isAvailable()
    {
        final StateGeneration current = generation;
        return null != current && !current.isDead();
    }

    /**
     * The generation lookups read.
     *
     * @return its number, 0 if none is open.
     */
    public long generation()
    {
        final StateGeneration current = generation;
        return null == current ? 0 : current.number();
    }

    /**
     * The generation the agent last published, which the view switches to within tens of milliseconds.
     *
     * @return its number, 0 if none.
     */
    public long publishedGeneration()
    {
        if (!enter())
        {
            return 0;
        }
        try
        {
            final StatePointer current = pointer;
            return null == current ? 0 : current.generation();
        }
        finally
        {
            exit();
        }
    }

    /**
     * Last heartbeat of the publishing agent: an agent that stopped leaves the maps readable but no longer updated.
     *
     * @return ms since the epoch, 0 if none.
     */
    public long publisherHeartbeatMs()
    {
        if (!enter())
        {
            return 0;
        }
        try
        {
            final StatePointer current = pointer;
            return null == current ? 0 : current.heartbeatMs();
        }
        finally
        {
            exit();
        }
    }

    /**
     * Whether the agent had to drop an entry because a map was full (see the agent's {@code state.*.entries}).
     *
     * @return true while a map is full.
     */
    public boolean isMapFull()
    {
        if (!enter())
        {
            return false;
        }
        try
        {
            final StatePointer current = pointer;
            return null != current && 0 != (current.flags() & StatePointer.FLAG_MAP_FULL);
        }
        finally
        {
            exit();
        }
    }

    /**
     * The last error of the background thread that opens new generations, for diagnostics.
     *
     * @return the error, or null.
     */
    public RuntimeException lastError()
    {
        return lastError;
    }

    /**
     * Look up an order.
     *
     * @param exchange CCXT exchange id.
     * @param orderId  exchange order id.
     * @param into     receives the order.
     * @return {@link #FOUND}, {@link #NOT_FOUND} or {@link #UNAVAILABLE}.
     */
    public int order(final CharSequence exchange, final CharSequence orderId, final OrderEntry into)
    {
        if (!enter())
        {
            return UNAVAILABLE;
        }
        try
        {
            final StateGeneration current = generation;
            if (null == current)
            {
                return UNAVAILABLE;
            }
            StateLayout.orderKey(into.key, exchange, orderId);
            final int result = current.read(current.orders(), into.key, into.value, lockTimeoutNs);
            if (FOUND == result)
            {
                into.onRead();
            }
            return result;
        }
        finally
        {
            exit();
        }
    }

    /**
     * Look up a trade.
     *
     * @param sourceId the journal (strategy process) that records the trade.
     * @param tradeId  the strategy's trade id.
     * @param into     receives the trade.
     * @return {@link #FOUND}, {@link #NOT_FOUND} or {@link #UNAVAILABLE}.
     */
    public int trade(final CharSequence sourceId, final long tradeId, final TradeEntry into)
    {
        if (!enter())
        {
            return UNAVAILABLE;
        }
        try
        {
            final StateGeneration current = generation;
            if (null == current)
            {
                return UNAVAILABLE;
            }
            StateLayout.tradeKey(into.key, sourceId, tradeId);
            final int result = current.read(current.trades(), into.key, into.value, lockTimeoutNs);
            if (FOUND == result)
            {
                into.onRead();
            }
            return result;
        }
        finally
        {
            exit();
        }
    }

    /**
     * Look up a balance.
     *
     * @param exchange CCXT exchange id.
     * @param asset    currency code.
     * @param into     receives the balance.
     * @return {@link #FOUND}, {@link #NOT_FOUND} or {@link #UNAVAILABLE}.
     */
    public int balance(final CharSequence exchange, final CharSequence asset, final BalanceEntry into)
    {
        if (!enter())
        {
            return UNAVAILABLE;
        }
        try
        {
            final StateGeneration current = generation;
            if (null == current)
            {
                return UNAVAILABLE;
            }
            StateLayout.balanceKey(into.key, exchange, asset);
            final int result = current.read(current.balances(), into.key, into.value, lockTimeoutNs);
            if (FOUND == result)
            {
                into.onRead();
            }
            return result;
        }
        finally
        {
            exit();
        }
    }

    /**
     * Whether a source's pair is locked for a side at a time, with freqtrade's rules: a lock on pair {@code *} locks
     * every pair; a query for {@code LONG} (or {@code SHORT}) is matched by locks on that side and on {@code *}
     * ({@link LockSide#ANY}); a query for {@code ANY} only by locks on {@code *}; a lock counts while active and
     * {@code lockEndTime > now}. The locks that count are the source's own and those any source took for all sources
     * (risk locks across strategies).
     *
     * @param sourceId the journal (strategy process) asking.
     * @param pair     the pair asked about.
     * @param side     the side asked about.
     * @param nowMs    the time, ms since the epoch.
     * @param scratch  a holder the lookup may use; on {@link #LOCKED} it holds the matching locks.
     * @return {@link #LOCKED}, {@link #UNLOCKED} or {@link #UNAVAILABLE}.
     */
    public int pairLockStatus(
        final CharSequence sourceId, final CharSequence pair, final LockSide side, final long nowMs,
        final PairLockEntry scratch)
    {
        if (null == side || LockSide.NULL_VAL == side)
        {
            throw new IllegalArgumentException("side must be LONG, SHORT or ANY");
        }
        if (!enter())
        {
            return UNAVAILABLE;
        }
        try
        {
            final StateGeneration current = generation;
            if (null == current)
            {
                return UNAVAILABLE;
            }

            // Read before any entry: the keys of all sources are asked only while a lock for them may be in force.
            final boolean allSources = nowMs < pointer.allSourcesLockEndMs();
            int result = lockedFor(current, allSources, sourceId, pair, LockSide.ANY, nowMs, scratch);
            if (UNLOCKED == result)
            {
                result = lockedFor(current, allSources, sourceId, "*", LockSide.ANY, nowMs, scratch);
            }
            if (UNLOCKED == result && LockSide.ANY != side)
            {
                result = lockedFor(current, allSources, sourceId, pair, side, nowMs, scratch);
                if (UNLOCKED == result)
                {
                    result = lockedFor(current, allSources, sourceId, "*", side, nowMs, scratch);
                }
            }
            return result;
        }
        finally
        {
            exit();
        }
    }

    /**
     * The open (or partially filled) orders of a source.
     *
     * @param sourceId the journal (strategy process).
     * @param into     receives the orders.
     * @return the number of orders, or {@link #UNAVAILABLE}.
     */
    public int openOrders(final CharSequence sourceId, final StateEntryList<OrderEntry> into)
    {
        if (!enter())
        {
            return UNAVAILABLE;
        }
        try
        {
            final StateGeneration current = generation;
            return null == current ? UNAVAILABLE :
                list(current, current.orders(), into, sourceId, null, Long.MIN_VALUE, 0);
        }
        finally
        {
            exit();
        }
    }

    /**
     * The open (or partially filled) orders of one trade.
     *
     * @param sourceId the journal (strategy process).
     * @param tradeId  the strategy's trade id.
     * @param into     receives the orders.
     * @return the number of orders, or {@link #UNAVAILABLE}.
     */
    public int openOrders(final CharSequence sourceId, final long tradeId, final StateEntryList<OrderEntry> into)
    {
        if (!enter())
        {
            return UNAVAILABLE;
        }
        try
        {
            final StateGeneration current = generation;
            return null == current ? UNAVAILABLE :
                list(current, current.orders(), into, sourceId, null, tradeId, 0);
        }
        finally
        {
            exit();
        }
    }

    /**
     * The open (or partially filled) orders of a source on one pair.
     *
     * @param sourceId the journal (strategy process), or null for every source.
     * @param pair     the order's symbol.
     * @param into     receives the orders.
     * @return the number of orders, or {@link #UNAVAILABLE}.
     */
    public int openOrders(
        final CharSequence sourceId, final CharSequence pair, final StateEntryList<OrderEntry> into)
    {
        if (!enter())
        {
            return UNAVAILABLE;
        }
        try
        {
            final StateGeneration current = generation;
            return null == current ? UNAVAILABLE :
                list(current, current.orders(), into, sourceId, pair, Long.MIN_VALUE, 0);
        }
        finally
        {
            exit();
        }
    }

    /**
     * The open trades of a source on one pair.
     *
     * @param sourceId the journal (strategy process), or null for every source.
     * @param pair     the trade's pair.
     * @param into     receives the trades.
     * @return the number of trades, or {@link #UNAVAILABLE}.
     */
    public int openTrades(
        final CharSequence sourceId, final CharSequence pair, final StateEntryList<TradeEntry> into)
    {
        if (!enter())
        {
            return UNAVAILABLE;
        }
        try
        {
            final StateGeneration current = generation;
            return null == current ? UNAVAILABLE :
                list(current, current.trades(), into, sourceId, pair, Long.MIN_VALUE, 0);
        }
        finally
        {
            exit();
        }
    }

    /**
     * The open trades of a source.
     *
     * @param sourceId the journal (strategy process).
     * @param into     receives the trades.
     * @return the number of trades, or {@link #UNAVAILABLE}.
     */
    public int openTrades(final CharSequence sourceId, final StateEntryList<TradeEntry> into)
    {
        if (!enter())
        {
            return UNAVAILABLE;
        }
        try
        {
            final StateGeneration current = generation;
            return null == current ? UNAVAILABLE :
                list(current, current.trades(), into, sourceId, null, Long.MIN_VALUE, 0);
        }
        finally
        {
            exit();
        }
    }

    /**
     * The pair locks that hold for a source at a time: its own and those taken for all sources
     * ({@link PairLockEntry#isForAllSources()}).
     *
     * @param sourceId the journal (strategy process), or null for every source.
     * @param nowMs    the time, ms since the epoch.
     * @param into     receives one entry per pair and side.
     * @return the number of entries, or {@link #UNAVAILABLE}.
     */
    public int activePairLocks(final CharSequence sourceId, final long nowMs, final StateEntryList<PairLockEntry> into)
    {
        if (!enter())
        {
            return UNAVAILABLE;
        }
        try
        {
            final StateGeneration current = generation;
            return null == current ? UNAVAILABLE :
                list(current, current.pairLocks(), into, sourceId, null, Long.MIN_VALUE, nowMs);
        }
        finally
        {
            exit();
        }
    }

    /**
     * Every balance.
     *
     * @param into receives the balances.
     * @return the number of balances, or {@link #UNAVAILABLE}.
     */
    public int balances(final StateEntryList<BalanceEntry> into)
    {
        if (!enter())
        {
            return UNAVAILABLE;
        }
        try
        {
            final StateGeneration current = generation;
            return null == current ? UNAVAILABLE :
                list(current, current.balances(), into, null, null, Long.MIN_VALUE, 0);
        }
        finally
        {
            exit();
        }
    }

    /**
     * Stop following the agent and unmap every file, once no lookup of another thread is inside them (a lookup is
     * bounded by the view's lock wait; after 10 s the files are left mapped rather than pulled from under one).
     * Lookups after this answer {@link #UNAVAILABLE}, {@code 0} or {@code false}.
     */
    public void close()
    {
        running = false;
        LockSupport.unpark(follower);
        try
        {
            follower.join(TimeUnit.SECONDS.toMillis(5));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        // With enter(): a lookup counted before this write finishes before the files are unmapped; one counted after
        // it sees closed and does not read.
        closed = true;
        final long deadlineNs = System.nanoTime() + CLOSE_WAIT_NS;
        while (0 != readers)
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                // A lookup that does not return (its thread suspended?): leave the files mapped rather than pull them
                // from under it; the process's exit unmaps them.
                return;
            }
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(100));
        }
        final StateGeneration current = generation;
        generation = null;
        CloseHelper.quietClose(current);
        while (!retired.isEmpty())
        {
            CloseHelper.quietClose(retired.poll());
        }
        final StatePointer currentPointer = pointer;
        pointer = null;
        CloseHelper.quietClose(currentPointer);
    }

    /**
     * Count a lookup in, unless the view is closed: {@link #close()} unmaps nothing while one is counted.
     *
     * @return false if closed: the lookup must not read.
     */
    private boolean enter()
    {
        READERS.getAndAdd(this, 1);
        if (closed)
        {
            READERS.getAndAdd(this, -1);
            return false;
        }
        return true;
    }

    private void exit()
    {
        READERS.getAndAdd(this, -1);
    }

    private static int list(
        final StateGeneration current, final ChronicleMap<StateRecord, StateRecord> map, final StateEntryList<?> list,
        final CharSequence sourceId, final CharSequence pair, final long tradeId, final long nowMs)
    {
        // Iteration takes each segment's lock with Chronicle Map's own wait, which the view bounds to
        // net.openhft.chronicle.map.lockTimeoutSeconds (1 s unless set).
        list.reset(sourceId, pair, tradeId, nowMs);
        if (!current.forEachEntry(map, list.collector()))
        {
            list.reset(sourceId, pair, tradeId, nowMs);
            return UNAVAILABLE;
        }
        return list.size();
    }

    private int lockedFor(
        final StateGeneration current, final boolean allSources, final CharSequence sourceId, final CharSequence pair,
        final LockSide side, final long nowMs, final PairLockEntry scratch)
    {
        final int result = lockedBy(current, sourceId, pair, side, nowMs, scratch);
        return UNLOCKED == result && allSources ?
            lockedBy(current, StateLayout.ALL_SOURCES, pair, side, nowMs, scratch) : result;
    }

    private int lockedBy(
        final StateGeneration current, final CharSequence sourceId, final CharSequence pair, final LockSide side,
        final long nowMs, final PairLockEntry scratch)
    {
        StateLayout.lockKey(scratch.key, sourceId, pair, side);
        final int result = current.read(current.pairLocks(), scratch.key, scratch.value, lockTimeoutNs);
        if (UNAVAILABLE == result)
        {
            return UNAVAILABLE;
        }
        return FOUND == result && scratch.isLockedAt(nowMs) ? LOCKED : UNLOCKED;
    }

    private void follow()
    {
        while (running)
        {
            try
            {
                followOnce();
            }
            catch (final RuntimeException ex)
            {
                // A generation deleted while being opened, or a file still being created: try again next time.
                lastError = ex;
            }
            LockSupport.parkNanos(FOLLOW_INTERVAL_NS);
        }
    }

    private void followOnce()
    {
        if (null == pointer)
        {
            pointer = StatePointer.openForRead(mapsDir);
            if (null == pointer)
            {
                return;
            }
        }

        final long published = pointer.generation();
        final StateGeneration current = generation;
        if (0 != published && (null == current || current.number() != published))
        {
            final StateGeneration next = StateGeneration.openExisting(mapsDir, published);
            generation = next;
            if (null != current)
            {
                // Another thread may still be inside a lookup on it: unmap it only after a grace period.
                retired.add(current);
                retiredAtNs.add(System.nanoTime());
            }
        }
        else if (null != current && current.isDead() && current.probe(lockTimeoutNs))
        {
            current.dead(false);
        }

        while (!retired.isEmpty() && System.nanoTime() - retiredAtNs.peek() > RETIRED_GRACE_NS)
        {
            retiredAtNs.poll();
            CloseHelper.quietClose(retired.poll());
        }
    }
}
