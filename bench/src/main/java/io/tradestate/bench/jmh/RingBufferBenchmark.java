package io.tradestate.bench.jmh;

import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
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
 * B3: an Agrona {@link OneToOneRingBuffer} write of the order's encoded bytes, the usual in-process hand-off to
 * another thread (which would then persist it).
 * <p>
 * <b>Draining.</b> The same thread reads the ring buffer after every {@value #DRAIN_EVERY} writes, all of them at
 * once, so it never fills and no second thread competes for one of the two cores; the read's share (a few
 * nanoseconds per message: the handler only sums the lengths) is part of the score. A consumer thread on another
 * core would instead add the cost of the cache lines moving between cores to each write, and on a shared two-core
 * machine the scheduler's noise.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
@State(Scope.Thread)
public class RingBufferBenchmark
{
    static final int DRAIN_EVERY = 64;
    private static final int CAPACITY_BYTES = 64 * 1024;
    private static final int MESSAGE_TYPE_ID = 3;

    private final UnsafeBuffer source = SampleEvents.encodedOrderUpdate();
    private final int length = source.capacity();
    private final OneToOneRingBuffer ringBuffer = new OneToOneRingBuffer(new UnsafeBuffer(
        BufferUtil.allocateDirectAligned(CAPACITY_BYTES + RingBufferDescriptor.TRAILER_LENGTH, 64)));
    private final MessageHandler handler = this::onMessage;
    private long bytesRead;
    private int writes;

    /**
     * Write the bytes; every {@value #DRAIN_EVERY} writes, read them all.
     *
     * @return whether the write succeeded, which it always does.
     */
    @Benchmark
    public boolean write()
    {
        final boolean written = ringBuffer.write(MESSAGE_TYPE_ID, source, 0, length);
        if (0 == (++writes & (DRAIN_EVERY - 1)))
        {
            ringBuffer.read(handler, DRAIN_EVERY);
        }
        return written;
    }

    private void onMessage(final int msgTypeId, final DirectBuffer buffer, final int index, final int messageLength)
    {
        bytesRead += messageLength;
    }
}
