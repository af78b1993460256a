package io.tradestate.bench.jmh;

import io.tradestate.codecs.MessageHeaderEncoder;
import io.tradestate.codecs.OrderUpdateEncoder;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * SBE encoding alone: the {@code OrderUpdate} of {@link SampleEvents} encoded with the generated encoder into a
 * reused, cache-resident off-heap buffer. The part of an append that is encoding, without validation, staging or
 * the queue.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
@State(Scope.Thread)
public class SbeEncodeBenchmark
{
    private final OrderUpdateEncoder encoder = new OrderUpdateEncoder();
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final UnsafeBuffer buffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(1024, 64));

    /**
     * Encode the order.
     *
     * @return the encoded length.
     */
    @Benchmark
    public int encodeOrderUpdate()
    {
        return SampleEvents.encodeOrderUpdate(encoder, header, buffer, 0, SampleEvents.APPEND_TIME_NS);
    }
}
