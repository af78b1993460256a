package io.tradestate.bench;

import io.tradestate.reader.cli.CommandLines;
import io.tradestate.reader.cli.VersionProvider;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * One strategy of {@link SparseAppendHarness}, in a JVM of its own: one {@link SparseVariant} appending orders on its
 * main thread, open loop on a Poisson schedule, in two phases the harness starts at the same moment in every JVM.
 * <p>
 * <b>Open loop.</b> Event {@code i} of a phase is due at {@code start + schedule[i]}; its <b>response</b> time runs
 * from that intended time to the end of the append, its <b>service</b> time is the append alone (for TradeState, from
 * {@code orderUpdate()} to {@code commit()} returning). A late append is followed at once by the events now due, and
 * each is charged from its own intended time. {@code start} is a {@link System#nanoTime()} of the harness's JVM: on
 * Linux every process reads the same {@code CLOCK_MONOTONIC}.
 * <p>
 * <b>The wait</b> ({@link OpenLoop#awaitIntended(long, long, IntSupplier, long)}) is the same for every variant: park
 * until {@code spinNs} before the intended time, then spin to it. Parking for the whole gap would charge each event
 * the scheduler's wake-up lateness (timer slack, a busy core), which varies from moment to moment and would land on
 * the variants unequally; spinning through the whole gap would keep the thread and its caches hot on a core, which is
 * neither what a strategy waiting on the network does nor possible for several JVMs on a couple of cores. The spin
 * touches nothing of the append path, so the path stays as cold as the gap left it, and a wake-up lateness shorter
 * than the spin costs no variant anything. {@code TS-keepwarm} and {@code TS-rehearse} wake every millisecond while
 * parked to call {@code journal.keepWarm()}, or {@code journal.rehearse(Runnable)} of their own append, then spin the
 * same way.
 * <p>
 * Protocol ({@link ReaderProcess}): {@code READY} once open, with the open time, the journal's warm-up time and the
 * schedule's length; {@code RUN <phase> <startNanoTime>} runs a phase and answers {@code DONE} with its counts;
 * {@code BURST} appends {@code burst} events flat out, unmeasured, and answers {@code BURST_DONE}; {@code QUIT} writes
 * the histograms {@code <name>-<phase>-response} and {@code -service} ({@link HistogramFiles}), closes and answers
 * {@code BYE}. The histograms are sized up front and the orders built before: nothing on the measured path allocates.
 * <pre>
 * SparseAppendMain workFolder --variant=TS --rate=10 --seed=42 --events=1200 --burst=50000 --spin-ns=200000
 *     --histograms=dir --name=ts-10-0
 * </pre>
 * {@code --help} lists the options with their defaults ({@link HarnessCommandLine}).
 */
@Command(
    name = "SparseAppendMain",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    synopsisHeading = "usage: ",
    customSynopsis = "java ... io.tradestate.bench.SparseAppendMain [workFolder] [options]",
    description =
    {
        "",
        "One strategy JVM of SparseAppendHarness, which starts it and drives it through its standard input.",
        "",
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList =
    {
        "0:quit when told to, or at the end of its input",
        "1:appending failed",
        CommandLines.EXIT_USAGE + ":invalid arguments",
    })
public final class SparseAppendMain implements HarnessCommandLine.Command
{
    /**
     * The first phase: a fresh JVM's first appends.
     */
    static final String FRESH = "fresh";

    /**
     * The second phase: the same schedule after the burst.
     */
    static final String WARM = "warm";

    private static final long HIGHEST_TRACKABLE_NS = TimeUnit.SECONDS.toNanos(60);
    private static final long KEEP_WARM_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long LATE_START_NS = TimeUnit.MICROSECONDS.toNanos(10);

    @Parameters(index = "0", arity = "0..1", paramLabel = "workFolder", defaultValue = "${sys:java.io.tmpdir}",
        description = "where the variant keeps its files (default: ${DEFAULT-VALUE})")
    private Path workFolder;

    @Option(names = "--variant", paramLabel = "V", defaultValue = "TS",
        description = "the variant: TS, TS-keepwarm, TS-rehearse, TS-nowarmup, B1 or B0 (default: ${DEFAULT-VALUE})")
    private String variantText;

    @Option(names = "--rate", paramLabel = "N", defaultValue = "1",
        description = "events/s of the Poisson schedule (default: ${DEFAULT-VALUE})")
    private long rate;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "0",
        description = "seed of the schedule (default: ${DEFAULT-VALUE})")
    private long seed;

    @Option(names = "--events", paramLabel = "N", defaultValue = "1",
        description = "events a phase (default: ${DEFAULT-VALUE})")
    private int events;

    @Option(names = "--burst", paramLabel = "N", defaultValue = "0",
        description = "events of the unmeasured burst between the phases (default: ${DEFAULT-VALUE})")
    private int burst;

    @Option(names = "--spin-ns", paramLabel = "NS", defaultValue = "0",
        description = "how long before each event's intended time the wait spins (default: ${DEFAULT-VALUE})")
    private long spinNs;

    @Option(names = "--histograms", paramLabel = "DIR",
        description = "where the histograms go (default: the work folder)")
    private Path histogramFolder;

    @Option(names = "--name", paramLabel = "NAME",
        description = "the strategy's name: its source id and the histograms' prefix (default: the variant's)")
    private String name;

    private SparseVariant variant;
    private long[] scheduleNs;
    private final Histogram[] responseNs = {new Histogram(HIGHEST_TRACKABLE_NS, 3),
        new Histogram(HIGHEST_TRACKABLE_NS, 3)};
    private final Histogram[] serviceNs = {new Histogram(HIGHEST_TRACKABLE_NS, 3),
        new Histogram(HIGHEST_TRACKABLE_NS, 3)};
    private final com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
    private int nextEvent;
    private long rehearsals;

    /**
     * The harness, its options not parsed yet: {@code main} parses them ({@link HarnessCommandLine}).
     */
    SparseAppendMain()
    {
    }

    /**
     * Open the variant, then run what the harness asks for until it says {@code QUIT} or closes the input;
     * {@code --help} lists the options.
     *
     * @param args {@code workFolder --variant=TS --rate=n --seed=n --events=n --burst=n --spin-ns=n
     *             --histograms=dir --name=name}.
     * @throws Exception if appending fails: the harness sees the exit and the log.
     */
    public static void main(final String[] args) throws Exception
    {
        final SparseAppendMain strategy = new SparseAppendMain();
        if (HarnessCommandLine.parseOrExit(strategy, args))
        {
            strategy.run();
            System.exit(0);
        }
    }

    /**
     * Validate the options and make the schedule.
     *
     * @throws IllegalArgumentException naming the option if one is invalid.
     */
    @Override
    public void conclude()
    {
        try
        {
            variant = SparseVariant.of(variantText);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("--variant: " + ex.getMessage(), ex);
        }
        if (null == histogramFolder)
        {
            histogramFolder = workFolder;
        }
        if (null == name)
        {
            name = variant.fileLabel();
        }
        scheduleNs = AppendLatencyRun.poisson(events, rate, seed);
    }

    private void run() throws Exception
    {
        final BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        final long openStartNs = System.nanoTime();
        boolean quit = false;
        try (SparseAppender appender = variant.open(workFolder, name))
        {
            final long openNs = System.nanoTime() - openStartNs;
            EndToEndReaderMain.reply("READY openNs=%d warmUpNs=%d scheduleNs=%d", openNs, appender.warmUpNs(),
                scheduleNs[scheduleNs.length - 1]);
            final IntSupplier idleWork = variant.keepsWarm() ? () -> rehearsed(appender.keepWarm()) : null;

            String line;
            while (!quit && null != (line = commands.readLine()))
            {
                final String[] command = line.trim().split(" ");
                switch (command[0])
                {
                    case "RUN" -> phase(appender, idleWork, command[1], Long.parseLong(command[2]));
                    case "BURST" -> burst(appender);
                    case "QUIT" -> quit = true;
                    default -> throw new IllegalArgumentException("unknown command " + line);
                }
            }
        }

        if (quit)
        {
            for (int p = 0; p < 2; p++)
            {
                final String phase = 0 == p ? FRESH : WARM;
                HistogramFiles.write(histogramFolder, name + "-" + phase + "-response", responseNs[p]);
                HistogramFiles.write(histogramFolder, name + "-" + phase + "-service", serviceNs[p]);
            }
            EndToEndReaderMain.reply("BYE");
        }
    }

    private int rehearsed(final int rehearsed)
    {
        rehearsals += rehearsed;
        return rehearsed;
    }

    private void burst(final SparseAppender appender)
    {
        final long startNs = System.nanoTime();
        for (int i = 0; i < burst; i++)
        {
            appender.append(nextEvent++);
        }
        EndToEndReaderMain.reply("BURST_DONE events=%d ns=%d", burst, System.nanoTime() - startNs);
    }

    private void phase(
        final SparseAppender appender, final IntSupplier idleWork, final String phase, final long startNs)
    {
        final int p = FRESH.equals(phase) ? 0 : 1;
        final long[] scheduleNs = this.scheduleNs;
        final long spinNs = this.spinNs;
        final Histogram responseNs = this.responseNs[p];
        final Histogram serviceNs = this.serviceNs[p];
        final long rehearsalsBefore = rehearsals;
        final long faultsBefore = ProcStat.thisThreadMinorFaults();
        final long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
        int lateStarts = 0;
        int event = nextEvent;

        for (int i = 0; i < scheduleNs.length; i++)
        {
            final long intendedNs = startNs + scheduleNs[i];
            final long beginNs = OpenLoop.awaitIntended(intendedNs, spinNs, idleWork, KEEP_WARM_INTERVAL_NS);
            appender.append(event++);
            final long endNs = System.nanoTime();
            responseNs.recordValue(Math.min(HIGHEST_TRACKABLE_NS, endNs - intendedNs));
            serviceNs.recordValue(Math.min(HIGHEST_TRACKABLE_NS, endNs - beginNs));
            if (beginNs - intendedNs > LATE_START_NS)
            {
                lateStarts++;
            }
        }

        final long allocatedBytes = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;
        final long minorFaults = ProcStat.thisThreadMinorFaults() - faultsBefore;
        nextEvent = event;
        EndToEndReaderMain.reply("DONE phase=%s events=%d lateStarts=%d rehearsals=%d allocatedBytes=%d " +
            "minorFaults=%d", phase, scheduleNs.length, lateStarts, rehearsals - rehearsalsBefore,
            allocatedBytes, minorFaults);
    }
}
