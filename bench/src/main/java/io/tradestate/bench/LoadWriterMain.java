package io.tradestate.bench;

import io.tradestate.writer.JournalContext;
import io.tradestate.writer.TradeJournal;
import org.HdrHistogram.Histogram;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One strategy of the {@link LoadCampaign}, in a JVM of its own: a journal through the real {@link TradeJournal} API
 * with its defaults (pretoucher, heartbeats), appending {@link DrainWorkload}'s mix of events in two phases.
 * <ol>
 * <li><b>Burst</b>, {@code burstSeconds} long: flat out when {@code burstRate} is 0 (each append right after the last:
 * the highest rate this machine allows the strategy, whatever else runs), else open loop at that rate.</li>
 * <li><b>Catch-up</b>, right after: open loop at {@code catchupRate} (the design load) until the harness says
 * {@code STOP}, or for the seconds given with {@code START}. Event {@code i} is due at {@code start + i / rate};
 * its latency runs from that intended time to the return of {@code commit()} ({@link OpenLoop}), so a stall is
 * charged to every event it delayed.</li>
 * </ol>
 * Protocol ({@link ReaderProcess}): {@code READY} once the journal is open; {@code START <catchupSeconds>} (0: until
 * {@code STOP}); {@code BURST_DONE} when the burst ends; {@code DONE} with the counts once stopped, after writing the
 * histograms {@code <name>-burst}, {@code <name>-catchup} (response: from the intended send time) and
 * {@code <name>-burst-service}, {@code <name>-catchup-service} ({@code commit()} alone; {@link HistogramFiles}).
 * The histograms are sized up front, so recording allocates nothing.
 * <pre>
 * LoadWriterMain journalRoot sourceId source burstSeconds burstRate catchupRate resultsDir name
 * </pre>
 */
public final class LoadWriterMain
{
    private static final long HIGHEST_TRACKABLE_NS = TimeUnit.MINUTES.toNanos(10);
    private static final double CLOCK_TICKS_PER_SECOND = 100.0;

    private final Path journalRoot;
    private final String sourceId;
    private final int source;
    private final long burstDurationNs;
    private final long burstRate;
    private final long catchupRate;
    private final Path resultsDir;
    private final String name;
    private final DrainWorkload workload = new DrainWorkload();
    private final Histogram burstNs = new Histogram(HIGHEST_TRACKABLE_NS, 3);
    private final Histogram burstServiceNs = new Histogram(HIGHEST_TRACKABLE_NS, 3);
    private final Histogram catchupNs = new Histogram(HIGHEST_TRACKABLE_NS, 3);
    private final Histogram catchupServiceNs = new Histogram(HIGHEST_TRACKABLE_NS, 3);
    private final CountDownLatch started = new CountDownLatch(1);
    private volatile boolean stopRequested;
    private volatile long catchupLimitNs;
    private long sequence;

    private LoadWriterMain(final String[] args)
    {
        journalRoot = Paths.get(args[0]);
        sourceId = args[1];
        source = Integer.parseInt(args[2]);
        burstDurationNs = (long)(Double.parseDouble(args[3]) * 1e9);
        burstRate = Long.parseLong(args[4]);
        catchupRate = Long.parseLong(args[5]);
        resultsDir = Paths.get(args[6]);
        name = args[7];
    }

    /**
     * Run the strategy until the harness stops it.
     *
     * @param args {@code journalRoot sourceId source burstSeconds burstRate catchupRate resultsDir name}.
     * @throws Exception if appending fails: the harness sees the exit and the log.
     */
    public static void main(final String[] args) throws Exception
    {
        new LoadWriterMain(args).run();
        System.exit(0);
    }

    private void run() throws Exception
    {
        final Thread commands = new Thread(this::readCommands, "load-writer-commands");
        commands.setDaemon(true);
        try (TradeJournal journal = TradeJournal.open(new JournalContext().journalRoot(journalRoot).sourceId(sourceId)))
        {
            commands.start();
            EndToEndReaderMain.reply("READY");
            started.await();
            if (stopRequested)
            {
                return;
            }

            final long burstStartNs = System.nanoTime();
            final long burstEvents = 0 == burstRate ? burstFlatOut(journal, burstStartNs) :
                burstOpenLoop(journal, burstStartNs);
            final double burstSeconds = (System.nanoTime() - burstStartNs) / 1e9;
            // Off the clock: the burst is over, the catch-up's schedule starts after this line.
            EndToEndReaderMain.reply("BURST_DONE events=%d seconds=%.3f", burstEvents, burstSeconds);

            final long gcCountBefore = gcCount();
            final long gcTimeBefore = gcTimeMs();
            final long machineTicksBefore = ProcStat.machineBusyTicks();
            final long processTicksBefore = ProcStat.processCpuTicks();
            final long catchupStartNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1);
            final long catchupEvents = catchup(journal, catchupStartNs);
            final double catchupSeconds = (System.nanoTime() - catchupStartNs) / 1e9;
            final double ticks = catchupSeconds * CLOCK_TICKS_PER_SECOND;

            HistogramFiles.write(resultsDir, name + "-burst", burstNs);
            HistogramFiles.write(resultsDir, name + "-burst-service", burstServiceNs);
            HistogramFiles.write(resultsDir, name + "-catchup", catchupNs);
            HistogramFiles.write(resultsDir, name + "-catchup-service", catchupServiceNs);
            EndToEndReaderMain.reply("DONE burstEvents=%d burstSeconds=%.3f catchupEvents=%d catchupSeconds=%.3f " +
                "events=%d gcCount=%d gcTimeMs=%d machineCores=%.2f writerCores=%.2f", burstEvents, burstSeconds,
                catchupEvents, catchupSeconds, sequence, gcCount() - gcCountBefore, gcTimeMs() - gcTimeBefore,
                (ProcStat.machineBusyTicks() - machineTicksBefore) / ticks,
                (ProcStat.processCpuTicks() - processTicksBefore) / ticks);
        }
    }

    /**
     * Append back to back until the burst's time is up. There is no schedule to be late on: each append is due when
     * the previous one returned, so its response time is its service time.
     */
    private long burstFlatOut(final TradeJournal journal, final long startNs)
    {
        final long endNs = startNs + burstDurationNs;
        final Histogram response = burstNs;
        final Histogram service = burstServiceNs;
        long events = 0;
        long beginNs = startNs;
        while (beginNs < endNs)
        {
            workload.append(journal, source, sequence++);
            final long doneNs = System.nanoTime();
            final long valueNs = Math.min(HIGHEST_TRACKABLE_NS, doneNs - beginNs);
            response.recordValue(valueNs);
            service.recordValue(valueNs);
            beginNs = doneNs;
            events++;
        }

        return events;
    }

    private long burstOpenLoop(final TradeJournal journal, final long startNs)
    {
        final long events = Math.max(1, burstDurationNs * burstRate / 1_000_000_000L);
        final Histogram response = burstNs;
        final Histogram service = burstServiceNs;
        for (long i = 0; i < events; i++)
        {
            final long intendedNs = startNs + i * 1_000_000_000L / burstRate;
            final long beginNs = OpenLoop.awaitIntended(intendedNs);
            workload.append(journal, source, sequence++);
            final long endNs = System.nanoTime();
            response.recordValue(Math.min(HIGHEST_TRACKABLE_NS, endNs - intendedNs));
            service.recordValue(Math.min(HIGHEST_TRACKABLE_NS, endNs - beginNs));
        }

        return events;
    }

    private long catchup(final TradeJournal journal, final long startNs)
    {
        final Histogram response = catchupNs;
        final Histogram service = catchupServiceNs;
        final long limitNs = catchupLimitNs;
        long i = 0;
        while (!stopRequested)
        {
            final long intendedNs = startNs + i * 1_000_000_000L / catchupRate;
            if (limitNs > 0 && intendedNs - startNs >= limitNs)
            {
                break;
            }
            final long beginNs = OpenLoop.awaitIntended(intendedNs);
            workload.append(journal, source, sequence++);
            final long endNs = System.nanoTime();
            response.recordValue(Math.min(HIGHEST_TRACKABLE_NS, endNs - intendedNs));
            service.recordValue(Math.min(HIGHEST_TRACKABLE_NS, endNs - beginNs));
            i++;
        }

        return i;
    }

    private void readCommands()
    {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)))
        {
            String line;
            while (null != (line = reader.readLine()))
            {
                final String[] fields = line.trim().split(" ");
                if ("START".equals(fields[0]))
                {
                    catchupLimitNs = (long)(Double.parseDouble(fields[1]) * 1e9);
                    started.countDown();
                }
                else if ("STOP".equals(fields[0]))
                {
                    stopRequested = true;
                }
            }
        }
        catch (final IOException ignore)
        {
            // The harness is gone.
        }
        // No more commands will come: do not run forever.
        stopRequested = true;
        started.countDown();
    }

    private static long gcCount()
    {
        long count = 0;
        for (final GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans())
        {
            count += Math.max(0, gc.getCollectionCount());
        }
        return count;
    }

    private static long gcTimeMs()
    {
        long timeMs = 0;
        for (final GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans())
        {
            timeMs += Math.max(0, gc.getCollectionTime());
        }
        return timeMs;
    }
}
