package io.tradestate.bench;

import io.tradestate.codecs.MessageHeaderEncoder;
import io.tradestate.codecs.OrderUpdateEncoder;
import io.tradestate.reader.cli.CommandLines;
import io.tradestate.reader.cli.VersionProvider;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Append latency of {@code OrderUpdate} events with the journal's pretoucher on and off, side by side in one JVM,
 * each run on a fresh queue folder.
 * <ol>
 * <li><b>steady</b>: a fixed rate (50,000 events/s by default) for long enough to cross several 64 MiB blocks
 * (1.5M events of 322 bytes, some 490 MiB), cycle {@code FAST_DAILY}.</li>
 * <li><b>roll-busy</b>: the same fixed rate with a roll every second ({@code TEST_SECONDLY}, real clock), so the
 * first append of a cycle follows the boundary by at most one interval.</li>
 * <li><b>roll-quiet</b>: Poisson arrivals at 200 events/s with a roll every second, so the first append of a cycle
 * comes a random few milliseconds after the boundary, giving the background thread time to roll first.</li>
 * </ol>
 * Latency is measured open loop from each event's intended send time (response) and around {@code commit()} alone
 * (service). Every run also counts the minor page faults of the appending thread and of the whole process, the
 * collections of the garbage collector and the CPU that other processes used meanwhile: on two cores, anything above
 * a few hundredths of a core competes with the appending thread and the pretoucher and spoils the run. Runs
 * alternate off/on, then on/off, then off/on; a short unrecorded warm-up of both configurations comes first. The
 * report goes to standard output and, with one {@code .hgrm} file per histogram (microseconds), to a new folder
 * under the results folder.
 * <pre>
 * java $TRADESTATE_JVM_ARGS -cp ... io.tradestate.bench.PretouchLatencyHarness [workParent] [--results=dir]
 *     [--events=1500000] [--rate=50000] [--roll-seconds=15] [--quiet-rate=200] [--warmup-events=200000]
 *     [--await-quiet=seconds] [--keep]
 * </pre>
 * {@code --help} lists the options with their defaults ({@link HarnessCommandLine}).
 */
@Command(
    name = "PretouchLatencyHarness",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    synopsisHeading = "usage: ",
    customSynopsis =
    {
        "java ... io.tradestate.bench.PretouchLatencyHarness [workParent] [options]",
        "       mvn -B -pl bench compile exec:exec@pretouch-latency [-Dpretouch.workDir=DIR]",
        "           [-Dpretouch.args=\"options\"]",
    },
    description =
    {
        "",
        "Append latency of OrderUpdate events with the journal's pretoucher on and off, side by side in one JVM,",
        "each run on a fresh queue folder: steady, roll-busy and roll-quiet phases (bench/results/README.md).",
        "",
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList =
    {
        "0:the results are written",
        "1:a run failed, or the results could not be written",
        CommandLines.EXIT_USAGE + ":invalid arguments",
    })
public final class PretouchLatencyHarness implements HarnessCommandLine.Command
{
    private static final int EVENT_BYTES = MessageHeaderEncoder.ENCODED_LENGTH + OrderUpdateEncoder.BLOCK_LENGTH;
    private static final long POISSON_SEED = 42;
    private static final long PAUSE_BETWEEN_RUNS_MS = 1000;
    private static final int QUIET_SECONDS_NEEDED = 10;
    private static final long QUIET_TICKS_PER_SECOND = 3;

    @Parameters(index = "0", arity = "0..1", paramLabel = "workParent", defaultValue = "${sys:java.io.tmpdir}",
        description = "where the fresh queue folders are made (default: ${DEFAULT-VALUE})")
    private Path workParent;

    @Option(names = "--results", paramLabel = "DIR", defaultValue = "bench/results",
        description = "where the results folder is made (default: ${DEFAULT-VALUE})")
    private Path resultsRoot;

    @Option(names = "--events", paramLabel = "N", defaultValue = "1500000",
        description = "events of the steady phase (default: ${DEFAULT-VALUE})")
    private int events;

    @Option(names = "--rate", paramLabel = "N", defaultValue = "50000",
        description = "events/s of the steady and roll-busy phases (default: ${DEFAULT-VALUE})")
    private long rate;

    @Option(names = "--roll-seconds", paramLabel = "S", defaultValue = "15",
        description = "length of the roll-busy and roll-quiet phases, rolling every second (default: ${DEFAULT-VALUE})")
    private int rollSeconds;

    @Option(names = "--quiet-rate", paramLabel = "N", defaultValue = "200",
        description = "events/s of the roll-quiet phase, Poisson arrivals (default: ${DEFAULT-VALUE})")
    private long quietRate;

    @Option(names = "--warmup-events", paramLabel = "N", defaultValue = "200000",
        description = "unrecorded warm-up events of each configuration (default: ${DEFAULT-VALUE})")
    private int warmupEvents;

    @Option(names = "--await-quiet", paramLabel = "S", defaultValue = "0",
        description = "before each run, wait up to S seconds for other processes to leave the machine quiet, 0 " +
        "not to wait (default: ${DEFAULT-VALUE}; bench/pom.xml passes 300)")
    private int awaitQuietSeconds;

    @Option(names = "--keep", description = "keep the queue folders")
    private boolean keep;

    private final PretouchLatencyReport report = new PretouchLatencyReport();

    /**
     * The harness, its options not parsed yet: {@code main} parses them ({@link HarnessCommandLine}).
     */
    PretouchLatencyHarness()
    {
    }

    /**
     * Run the warm-up and the six measured runs, print the report and write the histograms; {@code --help} lists
     * the options.
     *
     * @param args {@code [workParent] [--results=dir] [--events=n] [--rate=n] [--roll-seconds=n] [--quiet-rate=n]
     *             [--warmup-events=n] [--await-quiet=seconds] [--keep]}.
     * @throws Exception if a run or the results cannot be written.
     */
    public static void main(final String[] args) throws Exception
    {
        final PretouchLatencyHarness harness = new PretouchLatencyHarness();
        if (HarnessCommandLine.parseOrExit(harness, args))
        {
            harness.run();
        }
    }

    /**
     * Validate the options.
     *
     * @throws IllegalArgumentException naming the options if one is out of range.
     */
    @Override
    public void conclude()
    {
        if (events < 1 || rate < 1 || rollSeconds < 1 || quietRate < 1 || warmupEvents < 1 || awaitQuietSeconds < 0)
        {
            throw new IllegalArgumentException("--events, --rate, --roll-seconds, --quiet-rate and --warmup-events " +
                "must be at least 1, --await-quiet at least 0");
        }
    }

    private void run() throws IOException, InterruptedException
    {
        final String stamp = OffsetDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        final Path workDir = Files.createTempDirectory(Files.createDirectories(workParent), "pretouch-latency-");
        final Path resultsDir = Files.createDirectories(resultsRoot.resolve("pretouch-latency-" + stamp));

        report.line("TradeState pretouch latency harness, %s UTC", stamp);
        report.line("java %s (%s), %s %s, %d CPUs, max heap %d MiB", System.getProperty("java.version"),
            System.getProperty("java.vm.name"), System.getProperty("os.name"), System.getProperty("os.version"),
            Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
        report.line("queues under %s; OrderUpdate %d bytes encoded (+4 bytes excerpt header)", workDir, EVENT_BYTES);
        report.line("options: --events=%d --rate=%d --roll-seconds=%d --quiet-rate=%d --warmup-events=%d " +
            "--await-quiet=%d", events, rate, rollSeconds, quietRate, warmupEvents, awaitQuietSeconds);
        report.line("");

        final long warmupRate = Math.max(rate, 200_000);
        for (final boolean pretouch : new boolean[]{false, true})
        {
            final AppendLatencyRun warmup = new AppendLatencyRun(
                "warmup-" + onOff(pretouch), pretouch, RollCycles.FAST_DAILY,
                AppendLatencyRun.fixedRate(warmupEvents, warmupRate));
            execute(warmup, workDir);
        }

        final long[] steady = AppendLatencyRun.fixedRate(events, rate);
        final long[] rollBusy = AppendLatencyRun.fixedRate((int)(rollSeconds * rate), rate);
        final long[] rollQuiet = AppendLatencyRun.poisson((int)(rollSeconds * quietRate), quietRate, POISSON_SEED);
        final List<AppendLatencyRun[]> phases = new ArrayList<>();
        phases.add(pair("steady", RollCycles.FAST_DAILY, steady, false));
        phases.add(pair("roll-busy", TestRollCycles.TEST_SECONDLY, rollBusy, true));
        phases.add(pair("roll-quiet", TestRollCycles.TEST_SECONDLY, rollQuiet, false));

        for (final AppendLatencyRun[] phase : phases)
        {
            for (final AppendLatencyRun run : phase)
            {
                execute(run, workDir);
            }
        }

        report.phase("steady", String.format(Locale.ROOT, "%,d events at %,d/s, FAST_DAILY", events, rate),
            phases.get(0));
        report.phase("roll-busy", String.format(Locale.ROOT, "%,d events at %,d/s, TEST_SECONDLY (real clock)",
            rollBusy.length, rate), phases.get(1));
        report.phase("roll-quiet", String.format(Locale.ROOT,
            "%,d events, Poisson at %,d/s, TEST_SECONDLY (real clock)", rollQuiet.length, quietRate), phases.get(2));
        report.write(resultsDir, phases);
        System.out.println("histograms and summary written to " + resultsDir);
        if (!keep)
        {
            WorkFolder.delete(workDir);
        }
    }

    private static AppendLatencyRun[] pair(
        final String phase, final RollCycle rollCycle, final long[] schedule, final boolean onFirst)
    {
        final AppendLatencyRun off = new AppendLatencyRun(phase + "-off", false, rollCycle, schedule);
        final AppendLatencyRun on = new AppendLatencyRun(phase + "-on", true, rollCycle, schedule);
        return onFirst ? new AppendLatencyRun[]{on, off} : new AppendLatencyRun[]{off, on};
    }

    private void execute(final AppendLatencyRun run, final Path workDir) throws IOException, InterruptedException
    {
        System.gc();
        Thread.sleep(PAUSE_BETWEEN_RUNS_MS);
        awaitQuietMachine();
        System.out.printf(Locale.ROOT, "running %s (%,d events) ...%n", run.name(), run.events());
        final Path journalRoot = workDir.resolve(run.name());
        run.run(journalRoot);
        System.out.printf(Locale.ROOT, "  done in %.1f s%n", run.elapsedNs() / 1e9);
        if (!keep)
        {
            WorkFolder.delete(journalRoot);
        }
    }

    /**
     * On a shared machine, wait (up to {@code --await-quiet} seconds) until other processes have used next to no CPU
     * for a while, so that a run starts quiet; the run still reports what they used while it ran.
     */
    private void awaitQuietMachine() throws InterruptedException
    {
        if (0 == awaitQuietSeconds)
        {
            return;
        }

        final long startNs = System.nanoTime();
        final long deadlineNs = startNs + TimeUnit.SECONDS.toNanos(awaitQuietSeconds);
        long otherTicks = ProcStat.machineBusyTicks() - ProcStat.processCpuTicks();
        int quietSeconds = 0;
        while (quietSeconds < QUIET_SECONDS_NEEDED && System.nanoTime() < deadlineNs)
        {
            Thread.sleep(1000);
            final long nowTicks = ProcStat.machineBusyTicks() - ProcStat.processCpuTicks();
            quietSeconds = nowTicks - otherTicks <= QUIET_TICKS_PER_SECOND ? quietSeconds + 1 : 0;
            otherTicks = nowTicks;
        }

        System.out.printf(Locale.ROOT, "waited %.0f s for a quiet machine (%s)%n", (System.nanoTime() - startNs) / 1e9,
            quietSeconds >= QUIET_SECONDS_NEEDED ? "quiet" : "gave up");
    }

    private static String onOff(final boolean pretouch)
    {
        return PretouchLatencyReport.onOff(pretouch);
    }
}
