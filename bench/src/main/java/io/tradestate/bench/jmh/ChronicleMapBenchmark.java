package io.tradestate.bench.jmh;

import net.openhft.chronicle.map.ChronicleMap;
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
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * B6: plain Chronicle Map, the way its README shows: a persisted {@code ChronicleMap<CharSequence, byte[]>} keyed
 * by {@code "<exchange>:<orderId>"}, holding the order's encoded bytes, with as many orders as
 * {@link TradeStateViewBenchmark} looks up. {@link #put()} replaces the next order's value (and returns the previous
 * one, as {@code Map.put} does); {@link #getUsing()} reads the next order into a reused array. Compare with the view's
 * order lookup, which copies the same bytes under the segment's read lock without allocating.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
@State(Scope.Thread)
public class ChronicleMapBenchmark
{
    private static final int ORDERS = TradeStateViewBenchmark.ORDERS;

    private final byte[] encoded = SampleEvents.encodedOrderUpdate().byteArray();
    private final byte[] using = new byte[encoded.length];
    private final String[] keys = new String[ORDERS];
    private Path root;
    private ChronicleMap<CharSequence, byte[]> map;
    private int next;

    /**
     * Create the map and put every order in it.
     */
    @Setup(Level.Trial)
    public void createMap()
    {
        for (int i = 0; i < ORDERS; i++)
        {
            keys[i] = TradeStateViewBenchmark.EXCHANGES[i % TradeStateViewBenchmark.EXCHANGES.length] + ":" +
                (8_389_765_123L + i * 7L);
        }
        root = BenchFiles.newFolder("map");
        try
        {
            map = ChronicleMap.of(CharSequence.class, byte[].class)
                .name("orders")
                .entries(ORDERS * 2L)
                .averageKey(keys[ORDERS - 1])
                .averageValueSize(encoded.length)
                .createPersistedTo(root.resolve("orders.dat").toFile());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        for (final String key : keys)
        {
            map.put(key, encoded);
        }
    }

    /**
     * Close the map and delete its file.
     */
    @TearDown(Level.Trial)
    public void closeMap()
    {
        map.close();
        BenchFiles.delete(root);
    }

    /**
     * Put the next order.
     *
     * @return the previous value.
     */
    @Benchmark
    public byte[] put()
    {
        return map.put(keys[next++ & (ORDERS - 1)], encoded);
    }

    /**
     * Read the next order into the reused array.
     *
     * @return the array read into.
     */
    @Benchmark
    public byte[] getUsing()
    {
        final String key = keys[next++ & (ORDERS - 1)];
        final byte[] value = map.getUsing(key, using);
        if (null == value)
        {
            throw new IllegalStateException(key + " not found");
        }
        return value;
    }
}
