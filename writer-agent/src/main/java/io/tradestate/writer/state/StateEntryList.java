package io.tradestate.writer.state;

import io.tradestate.state.StateRecord;
import net.openhft.chronicle.map.MapEntry;

import java.util.Arrays;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A reusable list of entries filled by a {@link TradeStateView} listing (open orders, open trades, active locks,
 * balances). Entries are copied out of the map segment by segment, so the caller reads them after every lock is
 * released and may look up more entries while it walks the list. The list grows when a listing is longer than any
 * before it, and allocates nothing once it has grown.
 *
 * @param <E> the kind of entry.
 */
public final class StateEntryList<E extends StateEntry>
{
    private final Supplier<E> factory;
    private final Predicate<MapEntry<StateRecord, StateRecord>> collector = this::collect;
    private E[] entries;
    private int size;
    private CharSequence sourceId;
    private CharSequence pair;
    private long tradeId;
    private long nowMs;

    /**
     * An empty list.
     *
     * @param factory makes a new holder when the list grows, e.g. {@code OrderEntry::new}.
     */
    @SuppressWarnings("unchecked")
    public StateEntryList(final Supplier<E> factory)
    {
        this.factory = factory;
        this.entries = (E[])new StateEntry[16];
        for (int i = 0; i < entries.length; i++)
        {
            entries[i] = factory.get();
        }
    }

    /**
     * Number of entries of the last listing.
     *
     * @return the size.
     */
    public int size()
    {
        return size;
    }

    /**
     * One entry of the last listing, in no particular order.
     *
     * @param index from 0 to {@link #size()} - 1.
     * @return the entry.
     */
    public E get(final int index)
    {
        if (index < 0 || index >= size)
        {
            throw new IndexOutOfBoundsException("index " + index + ", size " + size);
        }
        return entries[index];
    }

    void reset(final CharSequence sourceId, final CharSequence pair, final long tradeId, final long nowMs)
    {
        this.size = 0;
        this.sourceId = sourceId;
        this.pair = pair;
        this.tradeId = tradeId;
        this.nowMs = nowMs;
    }

    Predicate<MapEntry<StateRecord, StateRecord>> collector()
    {
        return collector;
    }

    private boolean collect(final MapEntry<StateRecord, StateRecord> mapEntry)
    {
        if (size == entries.length)
        {
            final int oldLength = entries.length;
            entries = Arrays.copyOf(entries, oldLength * 2);
            for (int i = oldLength; i < entries.length; i++)
            {
                entries[i] = factory.get();
            }
        }
        final E entry = entries[size];
        mapEntry.key().getUsing(entry.key);
        mapEntry.value().getUsing(entry.value);
        entry.onRead();
        if (entry.matches(sourceId, tradeId, nowMs) && (null == pair || entry.pairEquals(pair)))
        {
            size++;
        }
        return true;
    }
}
