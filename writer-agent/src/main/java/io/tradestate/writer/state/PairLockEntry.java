package io.tradestate.writer.state;

import io.tradestate.codecs.LockSide;
import io.tradestate.state.StateLayout;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The active locks of one source, pair (or {@code *}) and side: up to {@link StateLayout#LOCK_SLOTS} of them, each
 * with its lock and end times, the source that took it and its reason (the first
 * {@link StateLayout#SLOT_REASON_CAPACITY} bytes of it). The locks every source honours are kept together, per pair
 * and side, under {@link StateLayout#ALL_SOURCES}: {@link #isForAllSources()}.
 */
public final class PairLockEntry extends StateEntry
{
    /**
     * An empty holder.
     */
    public PairLockEntry()
    {
        super(StateLayout.LOCK_KEY_LENGTH, StateLayout.LOCK_VALUE_LENGTH);
    }

    /**
     * Append the locked pair, or {@code *}.
     *
     * @param into the builder.
     * @return the builder.
     */
    public StringBuilder pair(final StringBuilder into)
    {
        return StateLayout.appendAscii(key.buffer(), StateLayout.SOURCE_ID_LENGTH, StateLayout.PAIR_LENGTH, into);
    }

    /**
     * Whether these are locks every source honours (taken with {@code allSources}), whichever source took them.
     *
     * @return true for locks across sources, false for the locks a source holds for itself.
     */
    public boolean isForAllSources()
    {
        return StateLayout.asciiEquals(key.buffer(), 0, StateLayout.SOURCE_ID_LENGTH, StateLayout.ALL_SOURCES);
    }

    /**
     * Append the source id of the journal that took a lock.
     *
     * @param slot from 0 to {@link #lockCount()} - 1.
     * @param into the builder.
     * @return the builder.
     */
    public StringBuilder lockSourceId(final int slot, final StringBuilder into)
    {
        return StateLayout.appendAscii(value.buffer(), slotOffset(slot) + StateLayout.SLOT_SOURCE_ID_OFFSET,
            StateLayout.SOURCE_ID_LENGTH, into);
    }

    /**
     * The side the locks apply to.
     *
     * @return the side; {@link LockSide#ANY} is freqtrade's {@code *}.
     */
    public LockSide side()
    {
        return LockSide.get((short)(key.buffer().getByte(StateLayout.LOCK_KEY_SIDE_OFFSET) & 0xFF));
    }

    /**
     * Number of locks held.
     *
     * @return the count, at most {@link StateLayout#LOCK_SLOTS}.
     */
    public int lockCount()
    {
        return value.buffer().getInt(StateLayout.LENGTH_OFFSET, ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Queue index of the {@code PairLock} event of a lock.
     *
     * @param slot from 0 to {@link #lockCount()} - 1.
     * @return the index.
     */
    public long lockQueueIndex(final int slot)
    {
        return slotLong(slot, StateLayout.SLOT_INDEX_OFFSET);
    }

    /**
     * When a lock was taken.
     *
     * @param slot from 0 to {@link #lockCount()} - 1.
     * @return ms since the epoch.
     */
    public long lockTimeMs(final int slot)
    {
        return slotLong(slot, StateLayout.SLOT_LOCK_TIME_OFFSET);
    }

    /**
     * When a lock ends.
     *
     * @param slot from 0 to {@link #lockCount()} - 1.
     * @return ms since the epoch.
     */
    public long lockEndTimeMs(final int slot)
    {
        return slotLong(slot, StateLayout.SLOT_LOCK_END_OFFSET);
    }

    /**
     * Full length of a lock's reason.
     *
     * @param slot from 0 to {@link #lockCount()} - 1.
     * @return the length in UTF-8 bytes; more than {@link StateLayout#SLOT_REASON_CAPACITY} means it is cut here.
     */
    public int reasonLength(final int slot)
    {
        return value.buffer().getInt(slotOffset(slot) + StateLayout.SLOT_REASON_LENGTH_OFFSET,
            ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * A lock's reason, or its first bytes if it is long (allocates).
     *
     * @param slot from 0 to {@link #lockCount()} - 1.
     * @return the reason.
     */
    public String reason(final int slot)
    {
        final int length = Math.min(reasonLength(slot), StateLayout.SLOT_REASON_CAPACITY);
        final byte[] bytes = new byte[length];
        value.buffer().getBytes(slotOffset(slot) + StateLayout.SLOT_REASON_OFFSET, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /**
     * Whether one of the locks holds at a time: freqtrade's {@code lock_end_time > now}, and, as the database's
     * {@code is_pair_locked}, {@code lock_time <= now}.
     *
     * @param nowMs the time, ms since the epoch.
     * @return true if a lock began at or before it and ends after it.
     */
    public boolean isLockedAt(final long nowMs)
    {
        for (int slot = 0, count = lockCount(); slot < count; slot++)
        {
            if (lockTimeMs(slot) <= nowMs && lockEndTimeMs(slot) > nowMs)
            {
                return true;
            }
        }
        return false;
    }

    void onRead()
    {
    }

    boolean matches(final CharSequence sourceId, final long tradeId, final long nowMs)
    {
        return (null == sourceId || isForAllSources() ||
            StateLayout.asciiEquals(key.buffer(), 0, StateLayout.SOURCE_ID_LENGTH, sourceId)) && isLockedAt(nowMs);
    }

    private long slotLong(final int slot, final int field)
    {
        return value.buffer().getLong(slotOffset(slot) + field, ByteOrder.LITTLE_ENDIAN);
    }

    private static int slotOffset(final int slot)
    {
        return StateLayout.MESSAGE_OFFSET + slot * StateLayout.LOCK_SLOT_LENGTH;
    }
}
