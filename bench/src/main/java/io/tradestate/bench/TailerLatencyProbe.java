package io.tradestate.bench;

import io.tradestate.codecs.MessageHeaderDecoder;
import io.tradestate.codecs.OrderUpdateDecoder;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.YieldingIdleStrategy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A tailer in another JVM than the strategy: reads one strategy's queue from its start as it is written and records,
 * for each {@code OrderUpdate} after the first {@code skip} (the warm-up), the time from the event's
 * {@code appendTimeNs} (its intended send time, see {@link IntendedTimeClock}) to the moment the tailer has it,
 * by {@code nanoTime} plus the harness's own epoch offset: both JVMs read the same monotonic clock, so the
 * difference carries no calibration error.
 * <p>
 * The loop reads in place from the mapped queue and allocates nothing. It ends when the harness has said how many
 * measured events to expect ({@code END n}) and all have been read, or when nothing new came for
 * {@value #STALL_SECONDS} s after that.
 */
final class TailerLatencyProbe
{
    private static final long STALL_SECONDS = 30;
    private static final long HIGHEST_TRACKABLE_NS = TimeUnit.MINUTES.toNanos(10);

    private final Path queueDir;
    private final long skip;
    private final long epochOffsetNs;
    private final Path resultsDir;
    private final String name;
    private final IdleStrategy idle;
    private final Histogram readNs = new Histogram(HIGHEST_TRACKABLE_NS, 3);
    private final UnsafeBuffer buffer = new UnsafeBuffer(0, 0);
    private volatile long expected = Long.MAX_VALUE;

    TailerLatencyProbe(
        final Path queueDir,
        final long skip,
        final long epochOffsetNs,
        final Path resultsDir,
        final String name,
        final String idle)
    {
        this.queueDir = queueDir;
        this.skip = skip;
        this.epochOffsetNs = epochOffsetNs;
        this.resultsDir = resultsDir;
        this.name = name;
        this.idle = switch (idle)
        {
            case "busy-spin" -> new BusySpinIdleStrategy();
            case "yield" -> new YieldingIdleStrategy();
            case "backoff" -> new BackoffIdleStrategy();
            default -> throw new IllegalArgumentException("tailer idle strategy " + idle +
                " is not busy-spin, yield or backoff");
        };
    }

    void run(final BufferedReader commands) throws IOException
    {
        final Thread listener = new Thread(() -> listen(commands), "e2e-commands");
        listener.setDaemon(true);
        listener.start();

        try (ChronicleQueue queue = SingleChronicleQueueBuilder.single(queueDir.toFile()).readOnly(true).build())
        {
            final ExcerptTailer tailer = queue.createTailer();
            EndToEndReaderMain.reply("READY");
            final long[] result = tail(tailer);
            HistogramFiles.write(resultsDir, name + "-read", readNs);
            EndToEndReaderMain.reply("DONE recorded=%d lastEpochNs=%d complete=%b", result[0], result[1],
                result[0] >= expected);
        }
    }

    private long[] tail(final ExcerptTailer tailer)
    {
        final long offsetNs = epochOffsetNs;
        final long stallNs = TimeUnit.SECONDS.toNanos(STALL_SECONDS);
        long orderUpdates = 0;
        long recorded = 0;
        long lastReadNs = 0;
        long lastProgressNs = System.nanoTime();
        while (recorded < expected)
        {
            int work = 0;
            try (DocumentContext context = tailer.readingDocument())
            {
                if (context.isPresent())
                {
                    work = 1;
                    final Bytes<?> bytes = context.wire().bytes();
                    final long nowNs = System.nanoTime();
                    lastProgressNs = nowNs;
                    buffer.wrap(bytes.addressForRead(bytes.readPosition()), (int)bytes.readRemaining());
                    if (buffer.capacity() >= MessageHeaderDecoder.ENCODED_LENGTH + Long.BYTES &&
                        OrderUpdateDecoder.TEMPLATE_ID == (buffer.getShort(2, ByteOrder.LITTLE_ENDIAN) & 0xFFFF) &&
                        ++orderUpdates > skip)
                    {
                        final long appendTimeNs = buffer.getLong(MessageHeaderDecoder.ENCODED_LENGTH,
                            ByteOrder.LITTLE_ENDIAN);
                        readNs.recordValue(Math.min(HIGHEST_TRACKABLE_NS, Math.max(0,
                            nowNs + offsetNs - appendTimeNs)));
                        recorded++;
                        lastReadNs = nowNs;
                    }
                }
            }

            if (0 == work)
            {
                final long nowNs = System.nanoTime();
                if (Long.MAX_VALUE != expected && nowNs - lastProgressNs > stallNs)
                {
                    break;
                }
                idle.idle();
            }
            else
            {
                idle.reset();
            }
        }

        return new long[]{recorded, 0 == lastReadNs ? 0 : lastReadNs + offsetNs};
    }

    private void listen(final BufferedReader commands)
    {
        try
        {
            String line;
            while (null != (line = commands.readLine()))
            {
                if (line.startsWith("END "))
                {
                    expected = Long.parseLong(line.substring(4).trim());
                }
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
