package io.tradestate.state;

import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;

/**
 * A fixed-size key or value of a state map, on the heap. Chronicle Map copies an entry into a record while it holds
 * the entry's segment lock, so a record is always one whole version of the entry, never half of two; the flyweights
 * of the view's entry holders then read the copy at leisure. Records are reused, so a lookup allocates nothing.
 */
public final class StateRecord
{
    private final byte[] bytes;
    private final UnsafeBuffer buffer;

    /**
     * A record of a fixed capacity, zeroed.
     *
     * @param capacity in bytes.
     */
    public StateRecord(final int capacity)
    {
        bytes = new byte[capacity];
        buffer = new UnsafeBuffer(bytes);
    }

    /**
     * Size of the record, which is also the size of every entry of its map.
     *
     * @return the capacity in bytes.
     */
    public int capacity()
    {
        return bytes.length;
    }

    /**
     * The record's bytes, for reading and writing with absolute offsets.
     *
     * @return the buffer over the record.
     */
    public UnsafeBuffer buffer()
    {
        return buffer;
    }

    /**
     * Zero every byte.
     */
    public void clear()
    {
        Arrays.fill(bytes, (byte)0);
    }

    /**
     * Copy another record of the same capacity into this one.
     *
     * @param other the source.
     */
    public void copyFrom(final StateRecord other)
    {
        System.arraycopy(other.bytes, 0, bytes, 0, bytes.length);
    }

    /**
     * Whether two records hold the same bytes.
     *
     * @param other record.
     * @return true if capacities and bytes are equal.
     */
    public boolean contentEquals(final StateRecord other)
    {
        return Arrays.equals(bytes, other.bytes);
    }

    byte[] bytes()
    {
        return bytes;
    }
}
