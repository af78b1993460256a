package io.tradestate.bench;

import io.tradestate.bench.jmh.MappedBufferBenchmark;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * B0 of {@link SparseAppendHarness}, the floor: the order's encoded bytes stored one after the other into a
 * {@value #CAPACITY_BYTES}-byte memory-mapped file written once at open, so no page ever faults; wraps around at the
 * end. As {@link MappedBufferBenchmark}: no header, no index, no lock.
 */
final class MappedSparseAppender implements SparseAppender
{
    private static final int CAPACITY_BYTES = 64 * 1024 * 1024;

    private final UnsafeBuffer orders = new UnsafeBuffer(SparseOrders.encoded());
    private final UnsafeBuffer target = new UnsafeBuffer(0, 0);
    private final MappedByteBuffer mapping;
    private int position;

    /**
     * Map a new file in {@code folder} and write every page of it once.
     *
     * @param folder where, created if missing.
     */
    MappedSparseAppender(final Path folder)
    {
        try
        {
            mapping = MappedBufferBenchmark.mapPretouched(Files.createDirectories(folder).resolve("floor.dat"),
                CAPACITY_BYTES);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        target.wrap(mapping);
    }

    /**
     * {@inheritDoc}
     */
    public void append(final int event)
    {
        if (position > CAPACITY_BYTES - SparseOrders.LENGTH)
        {
            position = 0;
        }
        target.putBytes(position, orders, SparseOrders.order(event) * SparseOrders.LENGTH, SparseOrders.LENGTH);
        position += SparseOrders.LENGTH;
    }

    /**
     * {@inheritDoc}
     */
    public void close()
    {
        IoUtil.unmap(mapping);
    }
}
