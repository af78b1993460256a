package io.tradestate.bench.jmh;

import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

/**
 * B0, the floor: a plain store of the order's encoded bytes into a memory-mapped file, one after the other, wrapping
 * around at the end of a {@value #CAPACITY_BYTES}-byte mapping that was written once in the setup, so no page ever
 * faults. No header, no index, no lock, no ordering: what writing the same bytes to the page cache costs at the very
 * least.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
@State(Scope.Thread)
public class MappedBufferBenchmark
{
    static final int CAPACITY_BYTES = 64 * 1024 * 1024;
    private static final int PAGE_BYTES = 4096;

    private final UnsafeBuffer source = SampleEvents.encodedOrderUpdate();
    private final UnsafeBuffer target = new UnsafeBuffer(0, 0);
    private final int length = source.capacity();
    private Path root;
    private MappedByteBuffer mapping;
    private int position;

    /**
     * Map the file and write every page of it once.
     */
    @Setup(Level.Trial)
    public void map()
    {
        root = BenchFiles.newFolder("mapped");
        mapping = mapPretouched(root.resolve("floor.dat"), CAPACITY_BYTES);
        target.wrap(mapping);
    }

    /**
     * Map a new file for writing and write every page of it once, so that no store into it faults: the floor's
     * mapping, here and in {@code SparseAppendHarness}.
     *
     * @param file          the file to create.
     * @param capacityBytes its length.
     * @return the mapping.
     * @throws UncheckedIOException if the file exists or cannot be mapped.
     */
    public static MappedByteBuffer mapPretouched(final Path file, final int capacityBytes)
    {
        final MappedByteBuffer mapping;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
            StandardOpenOption.WRITE))
        {
            mapping = channel.map(FileChannel.MapMode.READ_WRITE, 0, capacityBytes);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        for (int i = 0; i < capacityBytes; i += PAGE_BYTES)
        {
            mapping.putLong(i, 0L);
        }
        return mapping;
    }

    /**
     * Unmap and delete the file.
     */
    @TearDown(Level.Trial)
    public void unmap()
    {
        IoUtil.unmap(mapping);
        BenchFiles.delete(root);
    }

    /**
     * Store the bytes at the next position.
     *
     * @return the next position.
     */
    @Benchmark
    public int storeBytes()
    {
        if (position > CAPACITY_BYTES - length)
        {
            position = 0;
        }
        target.putBytes(position, source, 0, length);
        position += length;
        return position;
    }
}
