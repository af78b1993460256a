package io.tradestate.bench.jmh;

import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
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
import org.openjdk.jmh.infra.BenchmarkParams;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Plain Chronicle Queue, configured as the journal is ({@code FAST_DAILY}, 64 MiB blocks), without TradeState:
 * <ul>
 * <li>B1, {@link #writeBytes()}: a bare appender writing the order's encoded bytes, {@code writingDocument()} then
 * {@code bytes().write(...)}: what TradeState adds on top of Chronicle is the append minus this;</li>
 * <li>B2, {@link #writeDocument()}: the same order as a {@link OrderUpdateDto}, {@code appender.writeDocument(dto)},
 * the ordinary Chronicle Wire way.</li>
 * </ul>
 * Open-source Chronicle Queue has no pretoucher, so these appends take their own page faults. As for the TradeState
 * append, each iteration writes to its own fresh queue, all opened (with one excerpt of each kind written) in the
 * trial's setup, closed and deleted at the end of the iteration: see {@link TradeStateAppendBenchmark}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
@State(Scope.Thread)
public class ChronicleQueueBenchmark
{
    private static final long BLOCK_SIZE_BYTES = 64L * 1024 * 1024;

    private final byte[] encoded = SampleEvents.encodedOrderUpdate().byteArray();
    private final OrderUpdateDto dto = OrderUpdateDto.sample();
    private Path root;
    private ChronicleQueue[] queues;
    private ExcerptAppender[] appenders;
    private ExcerptAppender appender;
    private int iteration;

    /**
     * Open one queue for each iteration and write one excerpt of each kind in it, off the clock.
     *
     * @param params the run's parameters: how many iterations.
     */
    @Setup(Level.Trial)
    public void openQueues(final BenchmarkParams params)
    {
        root = BenchFiles.newFolder("queue");
        final int count = params.getWarmup().getCount() + params.getMeasurement().getCount();
        queues = new ChronicleQueue[count];
        appenders = new ExcerptAppender[count];
        for (int i = 0; i < count; i++)
        {
            queues[i] = SingleChronicleQueueBuilder.single(root.resolve("iteration-" + i).toFile())
                .rollCycle(RollCycles.FAST_DAILY)
                .blockSize(BLOCK_SIZE_BYTES)
                .build();
            appenders[i] = queues[i].createAppender();
            appender = appenders[i];
            writeBytes();
            writeDocument();
        }
        appender = appenders[0];
    }

    /**
     * Close and delete this iteration's queue, and move on to the next one.
     */
    @TearDown(Level.Iteration)
    public void closeQueue()
    {
        appenders[iteration].close();
        queues[iteration].close();
        BenchFiles.deleteSmall(root.resolve("iteration-" + iteration));
        iteration++;
        appender = appenders[Math.min(iteration, appenders.length - 1)];
    }

    /**
     * Close what is left and delete the folder.
     */
    @TearDown(Level.Trial)
    public void closeAll()
    {
        for (int i = iteration; i < queues.length; i++)
        {
            appenders[i].close();
            queues[i].close();
        }
        BenchFiles.delete(root);
    }

    /**
     * B1: write the encoded order as one excerpt.
     *
     * @return the queue index.
     */
    @Benchmark
    public long writeBytes()
    {
        try (DocumentContext context = appender.writingDocument())
        {
            context.wire().bytes().write(encoded, 0, encoded.length);
        }
        return appender.lastIndexAppended();
    }

    /**
     * B2: write the order DTO as one excerpt.
     *
     * @return the queue index.
     */
    @Benchmark
    public long writeDocument()
    {
        appender.writeDocument(dto);
        return appender.lastIndexAppended();
    }
}
