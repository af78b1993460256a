package io.tradestate.writer.state;

import io.tradestate.state.StateLayout;
import io.tradestate.state.StateRecord;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;

/**
 * A reusable holder for one entry of a state map, filled by a {@link TradeStateView} lookup: the entry's key and
 * value are copies, taken whole under the entry's lock, so they can be read at leisure and never change under the
 * reader. One holder per thread; a lookup into it allocates nothing.
 */
public abstract class StateEntry
{
    final StateRecord key;
    final StateRecord value;

    StateEntry(final int keyLength, final int valueLength)
    {
        key = new StateRecord(keyLength);
        value = new StateRecord(valueLength);
    }

    /**
     * Queue index, in its source's journal, of the event the entry was last updated from.
     *
     * @return the index.
     */
    public long queueIndex()
    {
        return value.buffer().getLong(StateLayout.QUEUE_INDEX_OFFSET, ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Append time of the event the entry was last updated from.
     *
     * @return ns since the epoch.
     */
    public long appendTimeNs()
    {
        return value.buffer().getLong(StateLayout.APPEND_TIME_OFFSET, ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Whether the entry was last updated from a given source.
     *
     * @param sourceId to compare with.
     * @return true if equal.
     */
    public boolean sourceIdEquals(final CharSequence sourceId)
    {
        return StateLayout.asciiEquals(
            value.buffer(), StateLayout.SOURCE_ID_OFFSET, StateLayout.SOURCE_ID_LENGTH, sourceId);
    }

    /**
     * Append the source id the entry was last updated from.
     *
     * @param into the builder.
     * @return the builder.
     */
    public StringBuilder sourceId(final StringBuilder into)
    {
        return StateLayout.appendAscii(
            value.buffer(), StateLayout.SOURCE_ID_OFFSET, StateLayout.SOURCE_ID_LENGTH, into);
    }

    /**
     * The source id the entry was last updated from, as a new string (allocates).
     *
     * @return the source id.
     */
    public String sourceId()
    {
        return sourceId(new StringBuilder(StateLayout.SOURCE_ID_LENGTH)).toString();
    }

    /**
     * The raw key, for tools and tests.
     *
     * @return the key buffer.
     */
    public UnsafeBuffer keyBuffer()
    {
        return key.buffer();
    }

    /**
     * The raw value, for tools and tests.
     *
     * @return the value buffer.
     */
    public UnsafeBuffer valueBuffer()
    {
        return value.buffer();
    }

    /**
     * Copy another holder of the same kind.
     *
     * @param other the source.
     */
    void copyFrom(final StateEntry other)
    {
        key.copyFrom(other.key);
        value.copyFrom(other.value);
        onRead();
    }

    /**
     * Whether the entry is about a pair (the order's symbol, the trade's pair); entries without one match any.
     *
     * @param pair to compare with.
     * @return true if equal, or if the entry has no pair.
     */
    boolean pairEquals(final CharSequence pair)
    {
        return true;
    }

    /**
     * Called after the key and value were copied in: wrap the flyweights.
     */
    abstract void onRead();

    /**
     * Whether the entry belongs in a listing.
     *
     * @param sourceId the listing's source, or null for every source.
     * @param tradeId  the listing's trade, or {@link Long#MIN_VALUE} for any.
     * @param nowMs    the listing's time, for locks.
     * @return true to list it.
     */
    abstract boolean matches(CharSequence sourceId, long tradeId, long nowMs);
}
