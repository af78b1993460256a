package io.tradestate.reader.state;

import io.tradestate.codecs.BalanceUpdateDecoder;
import io.tradestate.codecs.BooleanType;
import io.tradestate.codecs.LockSide;
import io.tradestate.codecs.MessageHeaderDecoder;
import io.tradestate.codecs.OrderStatus;
import io.tradestate.codecs.OrderUpdateDecoder;
import io.tradestate.codecs.PairLockDecoder;
import io.tradestate.codecs.PairUnlockDecoder;
import io.tradestate.codecs.TradeUpdateDecoder;
import io.tradestate.codecs.UnlockScope;
import io.tradestate.state.StateGeneration;
import io.tradestate.state.StateLayout;
import io.tradestate.state.StatePointer;
import io.tradestate.state.StateRecord;
import io.tradestate.state.StateUpdateRule;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ExternalMapQueryContext;
import net.openhft.chronicle.map.MapEntry;
import net.openhft.chronicle.map.MapSegmentContext;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Applies journal events, already checked by {@link io.tradestate.codecs.event.JournalEventReader}, to one generation
 * of the state maps.
 * <p>
 * Design: every update happens in place, under the entry's segment write lock taken with a bounded wait, through
 * Chronicle Map's query context (a plain {@code put} allocates; this allocates nothing). The value written is the
 * excerpt itself behind a small header (see {@link StateLayout}), so applying costs a key copy, a value copy and a
 * lock. The update that wins is {@link StateUpdateRule}'s, the rule of the database's upserts, so that the maps
 * equal the current-state tables. Each entry keeps the index it was last updated from, so applying an event twice
 * changes nothing.
 * <p>
 * Closed orders (closed, canceled, expired, rejected) and closed trades leave the maps once their last update is
 * older than the retention; locks leave once they end or are unlocked. The sweep that removes them goes a few
 * segments at a time ({@link #sweepNext}), between polls, so that no event waits for a whole sweep: a segment is
 * locked for tens of microseconds, all the maps at the default capacities for milliseconds. A lock wait that runs
 * out means a process died holding the lock: {@link #apply} and {@link #sweepNext} then report it and the publisher
 * rebuilds.
 */
public final class StateMapWriter
{
    private static final int BODY = MessageHeaderDecoder.ENCODED_LENGTH;
    private static final int RULE_ORDER = 0;
    private static final int RULE_TRADE = 1;
    private static final int RULE_BALANCE = 2;
    private static final int STATUS_CLOSED = OrderStatus.CLOSED.value();
    private static final int SWEPT_MAPS = 3;

    private final long closedRetentionNs;
    private final long lockTimeoutNs;
    private final long ordersCapacity;
    private final long tradesCapacity;
    private final long locksCapacity;
    private final long balancesCapacity;
    private final StateRecord orderKey = new StateRecord(StateLayout.ORDER_KEY_LENGTH);
    private final StateRecord orderValue = new StateRecord(StateLayout.ORDER_VALUE_LENGTH);
    private final StateRecord orderCurrent = new StateRecord(StateLayout.ORDER_VALUE_LENGTH);
    private final StateRecord tradeKey = new StateRecord(StateLayout.TRADE_KEY_LENGTH);
    private final StateRecord tradeValue = new StateRecord(StateLayout.TRADE_VALUE_LENGTH);
    private final StateRecord tradeCurrent = new StateRecord(StateLayout.TRADE_VALUE_LENGTH);
    private final StateRecord balanceKey = new StateRecord(StateLayout.BALANCE_KEY_LENGTH);
    private final StateRecord balanceValue = new StateRecord(StateLayout.BALANCE_VALUE_LENGTH);
    private final StateRecord balanceCurrent = new StateRecord(StateLayout.BALANCE_VALUE_LENGTH);
    private final StateRecord lockKey = new StateRecord(StateLayout.LOCK_KEY_LENGTH);
    private final StateRecord lockValue = new StateRecord(StateLayout.LOCK_VALUE_LENGTH);
    private final StateRecord lockCurrent = new StateRecord(StateLayout.LOCK_VALUE_LENGTH);
    private final UnsafeBuffer pair = new UnsafeBuffer(new byte[StateLayout.PAIR_LENGTH]);
    private final Consumer<MapEntry<StateRecord, StateRecord>> reasonUnlocker = this::unlockReason;
    private final Consumer<MapEntry<StateRecord, StateRecord>> orderSweeper = this::sweepOrder;
    private final Consumer<MapEntry<StateRecord, StateRecord>> tradeSweeper = this::sweepTrade;
    private final Consumer<MapEntry<StateRecord, StateRecord>> lockSweeper = this::sweepLock;
    private final Consumer<MapEntry<StateRecord, StateRecord>> allSourcesLockMarker = this::markAllSourcesLock;
    private StateGeneration generation;
    private StatePointer pointer;
    private CharSequence unlockSourceId;
    private long unlockIndex;
    private long unlockAppendTimeNs;
    private long unlockReasonHash;
    private long unlockNowMs;
    private int unlockReasonLength;
    private long sweepBeforeNs;
    private long sweepNowMs;
    private int sweepMap = SWEPT_MAPS;
    private int sweepSegment;
    private long dropped;
    private long applied;
    private boolean full;

    /**
     * @param closedRetentionMs how long closed orders and trades stay in the maps ({@code state.closed.retention.ms}).
     * @param lockTimeoutMs     longest wait for a map lock before the maps are rebuilt ({@code state.lock.timeout.ms}).
     * @param ordersCapacity    entries the orders map holds.
     * @param tradesCapacity    entries the trades map holds.
     * @param locksCapacity     entries the pair locks map holds.
     * @param balancesCapacity  entries the balances map holds.
     */
    public StateMapWriter(
        final long closedRetentionMs,
        final long lockTimeoutMs,
        final long ordersCapacity,
        final long tradesCapacity,
        final long locksCapacity,
        final long balancesCapacity)
    {
        this.closedRetentionNs = TimeUnit.MILLISECONDS.toNanos(closedRetentionMs);
        this.lockTimeoutNs = TimeUnit.MILLISECONDS.toNanos(lockTimeoutMs);
        this.ordersCapacity = ordersCapacity;
        this.tradesCapacity = tradesCapacity;
        this.locksCapacity = locksCapacity;
        this.balancesCapacity = balancesCapacity;
    }

    /**
     * Apply to a new generation from now on.
     *
     * @param generation the maps.
     * @param pointer    the maps folder's pointer, whose end of the locks for all sources is raised before any such
     *                   lock is put.
     */
    public void generation(final StateGeneration generation, final StatePointer pointer)
    {
        this.generation = generation;
        this.pointer = pointer;
        this.full = false;
        this.sweepMap = SWEPT_MAPS;
    }

    /**
     * Entries that could not be kept because a map was full or the message did not fit.
     */
    long dropped()
    {
        return dropped;
    }

    /**
     * Events applied to the maps.
     */
    long applied()
    {
        return applied;
    }

    /**
     * Whether a map refused an entry since the generation started.
     */
    boolean full()
    {
        return full;
    }

    /**
     * Apply one checked excerpt.
     *
     * @return false if a lock could not be taken in time: the generation must be abandoned.
     */
    public boolean apply(
        final CharSequence sourceId, final long index, final DirectBuffer buffer, final int offset, final int length,
        final long nowNs)
    {
        final int templateId = buffer.getShort(offset + 2, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        final int body = offset + BODY;
        switch (templateId)
        {
            case OrderUpdateDecoder.TEMPLATE_ID:
                orderKey.buffer().putBytes(0, buffer, body + OrderUpdateDecoder.exchangeEncodingOffset(),
                    StateLayout.EXCHANGE_LENGTH);
                orderKey.buffer().putBytes(StateLayout.EXCHANGE_LENGTH, buffer,
                    body + OrderUpdateDecoder.orderIdEncodingOffset(), StateLayout.ORDER_ID_LENGTH);
                final boolean orderClosed =
                    (buffer.getByte(body + OrderUpdateDecoder.statusEncodingOffset()) & 0xFF) >= STATUS_CLOSED;
                return upsert(generation.orders(), ordersCapacity, orderKey, orderValue, orderCurrent, RULE_ORDER,
                    orderClosed, sourceId, index, buffer, offset, length, nowNs);

            case TradeUpdateDecoder.TEMPLATE_ID:
                StateLayout.tradeKey(tradeKey, sourceId,
                    buffer.getLong(body + TradeUpdateDecoder.tradeIdEncodingOffset(), ByteOrder.LITTLE_ENDIAN));
                final boolean tradeClosed = BooleanType.TRUE.value() !=
                    (buffer.getByte(body + TradeUpdateDecoder.isOpenEncodingOffset()) & 0xFF);
                return upsert(generation.trades(), tradesCapacity, tradeKey, tradeValue, tradeCurrent, RULE_TRADE,
                    tradeClosed, sourceId, index, buffer, offset, length, nowNs);

            case BalanceUpdateDecoder.TEMPLATE_ID:
                balanceKey.buffer().putBytes(0, buffer, body + BalanceUpdateDecoder.exchangeEncodingOffset(),
                    StateLayout.EXCHANGE_LENGTH);
                balanceKey.buffer().putBytes(StateLayout.EXCHANGE_LENGTH, buffer,
                    body + BalanceUpdateDecoder.assetEncodingOffset(), StateLayout.ASSET_LENGTH);
                return upsert(generation.balances(), balancesCapacity, balanceKey, balanceValue, balanceCurrent,
                    RULE_BALANCE, false, sourceId, index, buffer, offset, length, nowNs);

            case PairLockDecoder.TEMPLATE_ID:
                return lock(sourceId, index, buffer, offset, nowNs);

            case PairUnlockDecoder.TEMPLATE_ID:
                return unlock(sourceId, index, buffer, offset, nowNs);

            default:
                return true;
        }
    }

    /**
     * Start a sweep round, which removes the closed orders and trades past the retention and the locks that have
     * ended as {@link #sweepNext} visits the segments of their maps.
     *
     * @param nowNs the time the round judges by, in epoch nanoseconds.
     */
    void startSweep(final long nowNs)
    {
        sweepBeforeNs = nowNs - closedRetentionNs;
        sweepNowMs = TimeUnit.NANOSECONDS.toMillis(nowNs);
        sweepMap = 0;
        sweepSegment = 0;
    }

    /**
     * Whether a sweep round has segments left.
     */
    boolean sweeping()
    {
        return sweepMap < SWEPT_MAPS;
    }

    /**
     * Sweep the next segments of the round, each under its lock.
     *
     * @param segments most segments to sweep in this call.
     * @return the segments swept, 0 when the round is complete, or -1 if a lock could not be taken in time.
     */
    int sweepNext(final int segments)
    {
        int swept = 0;
        while (swept < segments && sweepMap < SWEPT_MAPS)
        {
            final ChronicleMap<StateRecord, StateRecord> map = 0 == sweepMap ? generation.orders() :
                1 == sweepMap ? generation.trades() : generation.pairLocks();
            if (sweepSegment >= map.segments())
            {
                sweepMap++;
                sweepSegment = 0;
                continue;
            }
            try (MapSegmentContext<StateRecord, StateRecord, ?> context = map.segmentContext(sweepSegment))
            {
                context.forEachSegmentEntry(0 == sweepMap ? orderSweeper : 1 == sweepMap ? tradeSweeper : lockSweeper);
            }
            catch (final net.openhft.chronicle.hash.locks.InterProcessDeadLockException ex)
            {
                return -1;
            }
            sweepSegment++;
            swept++;
        }
        return swept;
    }

    private boolean upsert(
        final ChronicleMap<StateRecord, StateRecord> map,
        final long capacity,
        final StateRecord key,
        final StateRecord next,
        final StateRecord current,
        final int rule,
        final boolean closed,
        final CharSequence sourceId,
        final long index,
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final long nowNs)
    {
        if (StateLayout.MESSAGE_OFFSET + length > next.capacity())
        {
            dropped++;
            return true;
        }
        final long appendTimeNs = buffer.getLong(offset + BODY, ByteOrder.LITTLE_ENDIAN);
        final boolean expired = closed && appendTimeNs < nowNs - closedRetentionNs;
        fillHeader(next, sourceId, index, appendTimeNs, length);
        next.buffer().putBytes(StateLayout.MESSAGE_OFFSET, buffer, offset, length);
        next.buffer().setMemory(StateLayout.MESSAGE_OFFSET + length,
            next.capacity() - StateLayout.MESSAGE_OFFSET - length, (byte)0);

        final boolean roomLeft = expired || map.longSize() < capacity;
        try (ExternalMapQueryContext<StateRecord, StateRecord, ?> context = map.queryContext(key))
        {
            if (!context.writeLock().tryLock(lockTimeoutNs, TimeUnit.NANOSECONDS))
            {
                return false;
            }
            final MapEntry<StateRecord, StateRecord> entry = context.entry();
            if (null != entry)
            {
                entry.value().getUsing(current);
                if (!wins(current, next, rule, sourceId, index, appendTimeNs))
                {
                    return true;
                }
                if (expired)
                {
                    context.remove(entry);
                }
                else
                {
                    context.replaceValue(entry, context.wrapValueAsData(next));
                }
            }
            else if (!expired)
            {
                if (!roomLeft)
                {
                    dropped++;
                    full = true;
                    return true;
                }
                context.insert(context.absentEntry(), context.wrapValueAsData(next));
            }
            applied++;
            return true;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return false;
        }
        catch (final net.openhft.chronicle.hash.locks.InterProcessDeadLockException ex)
        {
            return false;
        }
    }

    private static boolean wins(
        final StateRecord current, final StateRecord next, final int rule, final CharSequence sourceId,
        final long index, final long appendTimeNs)
    {
        final UnsafeBuffer value = current.buffer();
        final long currentIndex = value.getLong(StateLayout.QUEUE_INDEX_OFFSET, ByteOrder.LITTLE_ENDIAN);
        final long currentAppendTimeNs = value.getLong(StateLayout.APPEND_TIME_OFFSET, ByteOrder.LITTLE_ENDIAN);
        if (RULE_ORDER == rule)
        {
            return StateUpdateRule.orderWins(value, StateLayout.MESSAGE_OFFSET, currentAppendTimeNs, currentIndex,
                next.buffer(), StateLayout.MESSAGE_OFFSET, appendTimeNs, index);
        }
        if (RULE_TRADE == rule)
        {
            return StateUpdateRule.tradeWins(currentIndex, index);
        }
        return StateUpdateRule.balanceWins(
            StateLayout.asciiEquals(value, StateLayout.SOURCE_ID_OFFSET, StateLayout.SOURCE_ID_LENGTH, sourceId),
            currentAppendTimeNs, currentIndex, appendTimeNs, index);
    }

    private boolean lock(
        final CharSequence sourceId, final long index, final DirectBuffer buffer, final int offset, final long nowNs)
    {
        final int body = offset + BODY;
        final int blockLength = buffer.getShort(offset, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        final long appendTimeNs = buffer.getLong(body, ByteOrder.LITTLE_ENDIAN);
        final long lockTimeMs =
            buffer.getLong(body + PairLockDecoder.lockTimeMsEncodingOffset(), ByteOrder.LITTLE_ENDIAN);
        final long lockEndMs =
            buffer.getLong(body + PairLockDecoder.lockEndTimeMsEncodingOffset(), ByteOrder.LITTLE_ENDIAN);
        final int side = buffer.getByte(body + PairLockDecoder.sideEncodingOffset()) & 0xFF;
        final int reasonLengthOffset = body + blockLength;
        final int reasonLength = buffer.getShort(reasonLengthOffset, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        final int reasonOffset = reasonLengthOffset + 2;
        final long nowMs = TimeUnit.NANOSECONDS.toMillis(nowNs);
        final int version = buffer.getShort(offset + MessageHeaderDecoder.versionEncodingOffset(),
            ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        final boolean allSources = version >= PairLockDecoder.allSourcesSinceVersion() &&
            BooleanType.TRUE.value() == (buffer.getByte(body + PairLockDecoder.allSourcesEncodingOffset()) & 0xFF);

        pair.putBytes(0, buffer, body + PairLockDecoder.pairEncodingOffset(), StateLayout.PAIR_LENGTH);
        lockKey(allSources ? StateLayout.ALL_SOURCES : sourceId, side);
        final boolean roomLeft = generation.pairLocks().longSize() < locksCapacity;
        try (ExternalMapQueryContext<StateRecord, StateRecord, ?> context =
            generation.pairLocks().queryContext(lockKey))
        {
            if (!context.writeLock().tryLock(lockTimeoutNs, TimeUnit.NANOSECONDS))
            {
                return false;
            }
            final MapEntry<StateRecord, StateRecord> entry = context.entry();
            if (null != entry)
            {
                entry.value().getUsing(lockCurrent);
                if (isApplied(lockCurrent, sourceId, index))
                {
                    return true;
                }
            }
            else
            {
                lockCurrent.clear();
            }

            lockValue.clear();
            int count = keepSlots(lockCurrent, lockValue, null, Long.MIN_VALUE, 0, 0, nowMs);
            if (lockEndMs > nowMs)
            {
                int slot = count;
                if (count == StateLayout.LOCK_SLOTS)
                {
                    slot = earliestEnd(lockValue, count);
                    if (slotLong(lockValue, slot, StateLayout.SLOT_LOCK_END_OFFSET) >= lockEndMs)
                    {
                        slot = -1;
                    }
                    dropped++;
                }
                else
                {
                    count++;
                }
                if (slot >= 0)
                {
                    writeSlot(lockValue, slot, sourceId, index, lockTimeMs, lockEndMs, buffer, reasonOffset,
                        reasonLength);
                    if (allSources)
                    {
                        pointer.raiseAllSourcesLockEnd(lockEndMs);
                    }
                }
            }
            fillHeader(lockValue, sourceId, index, appendTimeNs, count);
            return writeLocks(context, entry, count, roomLeft);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return false;
        }
        catch (final net.openhft.chronicle.hash.locks.InterProcessDeadLockException ex)
        {
            return false;
        }
    }

    private boolean unlock(
        final CharSequence sourceId, final long index, final DirectBuffer buffer, final int offset, final long nowNs)
    {
        final int body = offset + BODY;
        final int blockLength = buffer.getShort(offset, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        final long appendTimeNs = buffer.getLong(body, ByteOrder.LITTLE_ENDIAN);
        final int scope = buffer.getByte(body + PairUnlockDecoder.scopeEncodingOffset()) & 0xFF;
        final long nowMs = TimeUnit.NANOSECONDS.toMillis(nowNs);
        if (UnlockScope.REASON.value() == scope)
        {
            final int reasonLengthOffset = body + blockLength;
            unlockReasonLength = buffer.getShort(reasonLengthOffset, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
            unlockReasonHash = StateLayout.reasonHash(buffer, reasonLengthOffset + 2, unlockReasonLength);
            unlockSourceId = sourceId;
            unlockIndex = index;
            unlockAppendTimeNs = appendTimeNs;
            unlockNowMs = nowMs;
            return forEachEntry(generation.pairLocks(), reasonUnlocker);
        }

        pair.putBytes(0, buffer, body + PairUnlockDecoder.pairEncodingOffset(), StateLayout.PAIR_LENGTH);
        final int side = buffer.getByte(body + PairUnlockDecoder.sideEncodingOffset()) & 0xFF;
        if (LockSide.ANY.value() == side)
        {
            return unlockPair(sourceId, LockSide.LONG.value(), index, appendTimeNs, nowMs) &&
                unlockPair(sourceId, LockSide.SHORT.value(), index, appendTimeNs, nowMs) &&
                unlockPair(sourceId, LockSide.ANY.value(), index, appendTimeNs, nowMs);
        }
        return unlockPair(sourceId, side, index, appendTimeNs, nowMs);
    }

    /**
     * End a source's locks of the pair in {@link #pair} and a side: those it holds for itself and those it took for
     * all sources.
     */
    private boolean unlockPair(
        final CharSequence sourceId, final int side, final long index, final long appendTimeNs, final long nowMs)
    {
        return unlockPair(sourceId, sourceId, side, index, appendTimeNs, nowMs) &&
            unlockPair(StateLayout.ALL_SOURCES, sourceId, side, index, appendTimeNs, nowMs);
    }

    private boolean unlockPair(
        final CharSequence keySourceId, final CharSequence sourceId, final int side, final long index,
        final long appendTimeNs, final long nowMs)
    {
        lockKey(keySourceId, side);
        try (ExternalMapQueryContext<StateRecord, StateRecord, ?> context =
            generation.pairLocks().queryContext(lockKey))
        {
            if (!context.writeLock().tryLock(lockTimeoutNs, TimeUnit.NANOSECONDS))
            {
                return false;
            }
            final MapEntry<StateRecord, StateRecord> entry = context.entry();
            if (null == entry)
            {
                return true;
            }
            entry.value().getUsing(lockCurrent);
            if (isApplied(lockCurrent, sourceId, index))
            {
                return true;
            }
            lockValue.clear();
            final int count = keepSlots(lockCurrent, lockValue, sourceId, index, 0, -1, nowMs);
            if (StateLayout.ALL_SOURCES == keySourceId &&
                count == lockCurrent.buffer().getInt(StateLayout.LENGTH_OFFSET, ByteOrder.LITTLE_ENDIAN))
            {
                return true;
            }
            fillHeader(lockValue, sourceId, index, appendTimeNs, count);
            return writeLocks(context, entry, count, true);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return false;
        }
        catch (final net.openhft.chronicle.hash.locks.InterProcessDeadLockException ex)
        {
            return false;
        }
    }

    private void unlockReason(final MapEntry<StateRecord, StateRecord> entry)
    {
        entry.key().getUsing(lockKey);
        if (!StateLayout.asciiEquals(lockKey.buffer(), 0, StateLayout.SOURCE_ID_LENGTH, unlockSourceId) &&
            !StateLayout.asciiEquals(lockKey.buffer(), 0, StateLayout.SOURCE_ID_LENGTH, StateLayout.ALL_SOURCES))
        {
            return;
        }
        entry.value().getUsing(lockCurrent);
        if (isApplied(lockCurrent, unlockSourceId, unlockIndex))
        {
            return;
        }
        lockValue.clear();
        final int count = keepSlots(lockCurrent, lockValue, unlockSourceId, unlockIndex, unlockReasonHash,
            unlockReasonLength, unlockNowMs);
        if (count == lockCurrent.buffer().getInt(StateLayout.LENGTH_OFFSET, ByteOrder.LITTLE_ENDIAN))
        {
            return;
        }
        lockValue.buffer().putBytes(0, lockCurrent.buffer(), 0, StateLayout.MESSAGE_OFFSET);
        lockValue.buffer().putInt(StateLayout.LENGTH_OFFSET, count, ByteOrder.LITTLE_ENDIAN);
        lockValue.buffer().putLong(StateLayout.QUEUE_INDEX_OFFSET, unlockIndex, ByteOrder.LITTLE_ENDIAN);
        lockValue.buffer().putLong(StateLayout.APPEND_TIME_OFFSET, unlockAppendTimeNs, ByteOrder.LITTLE_ENDIAN);
        if (0 == count)
        {
            entry.doRemove();
        }
        else
        {
            entry.doReplaceValue(entry.context().wrapValueAsData(lockValue));
        }
    }

    /**
     * Raise the pointer's end of the locks for all sources to that of every such lock in the maps: after seeding a
     * generation from a snapshot, whose locks were put without {@link #apply}.
     *
     * @return false if a map lock could not be taken (a process died holding it).
     */
    boolean markLocksForAllSources()
    {
        return forEachEntry(generation.pairLocks(), allSourcesLockMarker);
    }

    private void markAllSourcesLock(final MapEntry<StateRecord, StateRecord> entry)
    {
        entry.key().getUsing(lockKey);
        if (!StateLayout.asciiEquals(lockKey.buffer(), 0, StateLayout.SOURCE_ID_LENGTH, StateLayout.ALL_SOURCES))
        {
            return;
        }
        entry.value().getUsing(lockCurrent);
        final int count = lockCurrent.buffer().getInt(StateLayout.LENGTH_OFFSET, ByteOrder.LITTLE_ENDIAN);
        for (int slot = 0; slot < count; slot++)
        {
            pointer.raiseAllSourcesLockEnd(slotLong(lockCurrent, slot, StateLayout.SLOT_LOCK_END_OFFSET));
        }
    }

    private void sweepOrder(final MapEntry<StateRecord, StateRecord> entry)
    {
        entry.value().getUsing(orderCurrent);
        final UnsafeBuffer value = orderCurrent.buffer();
        final int status = value.getByte(StateLayout.MESSAGE_OFFSET + BODY + OrderUpdateDecoder.statusEncodingOffset())
            & 0xFF;
        if (status >= STATUS_CLOSED &&
            value.getLong(StateLayout.APPEND_TIME_OFFSET, ByteOrder.LITTLE_ENDIAN) < sweepBeforeNs)
        {
            entry.doRemove();
        }
    }

    private void sweepTrade(final MapEntry<StateRecord, StateRecord> entry)
    {
        entry.value().getUsing(tradeCurrent);
        final UnsafeBuffer value = tradeCurrent.buffer();
        final int isOpen = value.getByte(StateLayout.MESSAGE_OFFSET + BODY + TradeUpdateDecoder.isOpenEncodingOffset())
            & 0xFF;
        if (BooleanType.TRUE.value() != isOpen &&
            value.getLong(StateLayout.APPEND_TIME_OFFSET, ByteOrder.LITTLE_ENDIAN) < sweepBeforeNs)
        {
            entry.doRemove();
        }
    }

    private void sweepLock(final MapEntry<StateRecord, StateRecord> entry)
    {
        entry.value().getUsing(lockCurrent);
        final int countBefore = lockCurrent.buffer().getInt(StateLayout.LENGTH_OFFSET, ByteOrder.LITTLE_ENDIAN);
        lockValue.clear();
        final int count = keepSlots(lockCurrent, lockValue, null, Long.MIN_VALUE, 0, 0, sweepNowMs);
        if (0 == count)
        {
            entry.doRemove();
        }
        else if (count != countBefore)
        {
            lockValue.buffer().putBytes(0, lockCurrent.buffer(), 0, StateLayout.MESSAGE_OFFSET);
            lockValue.buffer().putInt(StateLayout.LENGTH_OFFSET, count, ByteOrder.LITTLE_ENDIAN);
            entry.doReplaceValue(entry.context().wrapValueAsData(lockValue));
        }
    }

    private boolean forEachEntry(
        final ChronicleMap<StateRecord, StateRecord> map, final Consumer<MapEntry<StateRecord, StateRecord>> action)
    {
        for (int i = 0, segments = map.segments(); i < segments; i++)
        {
            try (MapSegmentContext<StateRecord, StateRecord, ?> context = map.segmentContext(i))
            {
                context.forEachSegmentEntry(action);
            }
            catch (final net.openhft.chronicle.hash.locks.InterProcessDeadLockException ex)
            {
                return false;
            }
        }
        return true;
    }

    private boolean writeLocks(
        final ExternalMapQueryContext<StateRecord, StateRecord, ?> context,
        final MapEntry<StateRecord, StateRecord> entry,
        final int count,
        final boolean roomLeft)
    {
        if (null != entry)
        {
            if (0 == count)
            {
                context.remove(entry);
            }
            else
            {
                context.replaceValue(entry, context.wrapValueAsData(lockValue));
            }
        }
        else if (count > 0)
        {
            if (!roomLeft)
            {
                dropped++;
                full = true;
                return true;
            }
            context.insert(context.absentEntry(), context.wrapValueAsData(lockValue));
        }
        applied++;
        return true;
    }

    /**
     * Whether a lock value was last written by a later event of the same source: an event applied twice changes
     * nothing. (A key of {@link StateLayout#ALL_SOURCES} is written by many sources, whose indexes do not compare.)
     */
    private static boolean isApplied(final StateRecord current, final CharSequence sourceId, final long index)
    {
        return current.buffer().getLong(StateLayout.QUEUE_INDEX_OFFSET, ByteOrder.LITTLE_ENDIAN) >= index &&
            StateLayout.asciiEquals(current.buffer(), StateLayout.SOURCE_ID_OFFSET, StateLayout.SOURCE_ID_LENGTH,
                sourceId);
    }

    /**
     * Copy the slots of {@code from} into {@code to}, leaving out the locks that ended by {@code nowMs} and, unless
     * {@code beforeIndex} is {@link Long#MIN_VALUE}, the locks {@code sourceId} took before that index that its
     * unlock ends: every one of them when {@code reasonLength} is negative (an unlock of a pair and side), else those
     * whose reason has that hash and length (an unlock on reason).
     */
    private static int keepSlots(
        final StateRecord from, final StateRecord to, final CharSequence sourceId, final long beforeIndex,
        final long reasonHash, final int reasonLength, final long nowMs)
    {
        final int countBefore = from.buffer().getInt(StateLayout.LENGTH_OFFSET, ByteOrder.LITTLE_ENDIAN);
        int count = 0;
        for (int slot = 0; slot < countBefore; slot++)
        {
            final boolean ended = slotLong(from, slot, StateLayout.SLOT_LOCK_END_OFFSET) <= nowMs;
            boolean unlocked = false;
            if (Long.MIN_VALUE != beforeIndex && slotLong(from, slot, StateLayout.SLOT_INDEX_OFFSET) < beforeIndex &&
                StateLayout.asciiEquals(from.buffer(), slotOffset(slot) + StateLayout.SLOT_SOURCE_ID_OFFSET,
                    StateLayout.SOURCE_ID_LENGTH, sourceId))
            {
                unlocked = reasonLength < 0 ||
                    (slotLong(from, slot, StateLayout.SLOT_REASON_HASH_OFFSET) == reasonHash &&
                    from.buffer().getInt(slotOffset(slot) + StateLayout.SLOT_REASON_LENGTH_OFFSET,
                        ByteOrder.LITTLE_ENDIAN) == reasonLength);
            }
            if (!ended && !unlocked)
            {
                to.buffer().putBytes(slotOffset(count), from.buffer(), slotOffset(slot), StateLayout.LOCK_SLOT_LENGTH);
                count++;
            }
        }
        return count;
    }

    /**
     * The lock to drop when a key holds the most it can: the one that ends first, and of those the last taken (the
     * highest source id, then the highest index), so that the maps keep the same locks as {@link StateMapsVerifier}
     * expects of the table (latest end, then lowest source id and index).
     */
    private static int earliestEnd(final StateRecord value, final int count)
    {
        int earliest = 0;
        for (int slot = 1; slot < count; slot++)
        {
            final long end = slotLong(value, slot, StateLayout.SLOT_LOCK_END_OFFSET);
            final long earliestEnd = slotLong(value, earliest, StateLayout.SLOT_LOCK_END_OFFSET);
            if (end < earliestEnd || (end == earliestEnd && takenLater(value, slot, earliest)))
            {
                earliest = slot;
            }
        }
        return earliest;
    }

    private static boolean takenLater(final StateRecord value, final int slot, final int other)
    {
        final UnsafeBuffer buffer = value.buffer();
        final int sources = compareAscii(buffer, slotOffset(slot) + StateLayout.SLOT_SOURCE_ID_OFFSET,
            slotOffset(other) + StateLayout.SLOT_SOURCE_ID_OFFSET);
        return sources > 0 || (0 == sources && slotLong(value, slot, StateLayout.SLOT_INDEX_OFFSET) >
            slotLong(value, other, StateLayout.SLOT_INDEX_OFFSET));
    }

    private static int compareAscii(final UnsafeBuffer buffer, final int offset, final int otherOffset)
    {
        for (int i = 0; i < StateLayout.SOURCE_ID_LENGTH; i++)
        {
            final int difference = (buffer.getByte(offset + i) & 0xFF) - (buffer.getByte(otherOffset + i) & 0xFF);
            if (0 != difference)
            {
                return difference;
            }
        }
        return 0;
    }

    private static void writeSlot(
        final StateRecord value, final int slot, final CharSequence sourceId, final long index, final long lockTimeMs,
        final long lockEndMs, final DirectBuffer buffer, final int reasonOffset, final int reasonLength)
    {
        final UnsafeBuffer out = value.buffer();
        final int base = slotOffset(slot);
        out.setMemory(base, StateLayout.LOCK_SLOT_LENGTH, (byte)0);
        for (int i = 0, length = sourceId.length(); i < length; i++)
        {
            out.putByte(base + StateLayout.SLOT_SOURCE_ID_OFFSET + i, (byte)sourceId.charAt(i));
        }
        out.putLong(base + StateLayout.SLOT_INDEX_OFFSET, index, ByteOrder.LITTLE_ENDIAN);
        out.putLong(base + StateLayout.SLOT_LOCK_TIME_OFFSET, lockTimeMs, ByteOrder.LITTLE_ENDIAN);
        out.putLong(base + StateLayout.SLOT_LOCK_END_OFFSET, lockEndMs, ByteOrder.LITTLE_ENDIAN);
        out.putLong(base + StateLayout.SLOT_REASON_HASH_OFFSET,
            StateLayout.reasonHash(buffer, reasonOffset, reasonLength), ByteOrder.LITTLE_ENDIAN);
        out.putInt(base + StateLayout.SLOT_REASON_LENGTH_OFFSET, reasonLength, ByteOrder.LITTLE_ENDIAN);
        out.putBytes(base + StateLayout.SLOT_REASON_OFFSET, buffer, reasonOffset,
            Math.min(reasonLength, StateLayout.SLOT_REASON_CAPACITY));
    }

    private void lockKey(final CharSequence sourceId, final int side)
    {
        final UnsafeBuffer key = lockKey.buffer();
        key.setMemory(0, StateLayout.LOCK_KEY_LENGTH, (byte)0);
        for (int i = 0, length = sourceId.length(); i < length; i++)
        {
            key.putByte(i, (byte)sourceId.charAt(i));
        }
        key.putBytes(StateLayout.SOURCE_ID_LENGTH, pair, 0, StateLayout.PAIR_LENGTH);
        key.putByte(StateLayout.LOCK_KEY_SIDE_OFFSET, (byte)side);
    }

    private static void fillHeader(
        final StateRecord value, final CharSequence sourceId, final long index, final long appendTimeNs,
        final int length)
    {
        final UnsafeBuffer out = value.buffer();
        out.putInt(StateLayout.LENGTH_OFFSET, length, ByteOrder.LITTLE_ENDIAN);
        out.putInt(StateLayout.LENGTH_OFFSET + 4, 0, ByteOrder.LITTLE_ENDIAN);
        out.putLong(StateLayout.QUEUE_INDEX_OFFSET, index, ByteOrder.LITTLE_ENDIAN);
        out.putLong(StateLayout.APPEND_TIME_OFFSET, appendTimeNs, ByteOrder.LITTLE_ENDIAN);
        StateLayout.sourceId(value, sourceId);
    }

    private static long slotLong(final StateRecord value, final int slot, final int field)
    {
        return value.buffer().getLong(slotOffset(slot) + field, ByteOrder.LITTLE_ENDIAN);
    }

    private static int slotOffset(final int slot)
    {
        return StateLayout.MESSAGE_OFFSET + slot * StateLayout.LOCK_SLOT_LENGTH;
    }
}
