package io.tradestate.state;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.hash.serialization.SizedReader;
import net.openhft.chronicle.hash.serialization.SizedWriter;
import net.openhft.chronicle.hash.serialization.impl.EnumMarshallable;

/**
 * Copies {@link StateRecord}s in and out of Chronicle Map's memory. Reading into a given record copies into its
 * array, so {@code getUsing} allocates nothing; Chronicle Map's built-in {@code byte[]} marshallers allocate about
 * 190 bytes per lookup, which is why this class exists. Stateless: one instance, named in each map's header.
 */
public final class StateRecordMarshaller implements
    SizedReader<StateRecord>, SizedWriter<StateRecord>, EnumMarshallable<StateRecordMarshaller>
{
    /**
     * The only instance.
     */
    public static final StateRecordMarshaller INSTANCE = new StateRecordMarshaller();

    private StateRecordMarshaller()
    {
    }

    /**
     * {@inheritDoc}
     */
    public StateRecord read(final Bytes<?> in, final long size, final StateRecord using)
    {
        final StateRecord record = null == using || using.capacity() != size ? new StateRecord((int)size) : using;
        in.read(record.bytes(), 0, (int)size);
        return record;
    }

    /**
     * {@inheritDoc}
     */
    public long size(final StateRecord toWrite)
    {
        return toWrite.capacity();
    }

    /**
     * {@inheritDoc}
     */
    public void write(final Bytes<?> out, final long size, final StateRecord toWrite)
    {
        out.write(toWrite.bytes(), 0, (int)size);
    }

    /**
     * {@inheritDoc}
     */
    public StateRecordMarshaller readResolve()
    {
        return INSTANCE;
    }
}
