package io.tradestate.bench;

import io.tradestate.codecs.MessageHeaderEncoder;
import io.tradestate.codecs.OrderUpdateEncoder;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
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
 */
public final class PretouchLatencyHarness
{
    private static final int EVENT_BYTES = MessageHeaderEncoder.ENCODED_LENGTH + OrderUpdateEncoder.BLOCK_LENGTH;
    private static final long POISSON_SEED = 42;
    private static final long PAUSE_BETWEEN_RUNS_MS = 1000;
    private static final int QUIET_SECONDS_NEEDED = 10;
    private static final long QUIET_TICKS_PER_SECOND = 3;

    private Path workParent = Paths.get(System.getProperty("java.io.tmpdir"));
    private Path resultsRoot = Paths.get("bench", "results");
    private int events = 1_500_000;
    private long rate = 50_000;
    private int rollSeconds = 15;
    private long quietRate = 200;
    private int warmupEvents = 200_000;
    private int awaitQuietSeconds;
    private boolean keep;
    private final PretouchLatencyReport report = new PretouchLatencyReport();

    private PretouchLatencyHarness(final String[] args)
    {
        final HarnessArguments parsed = HarnessArguments.parse(args, workParent);
        workParent = parsed.workParent();
        for (final HarnessArguments.Option option : parsed.options())
        {
            final String value = option.value();
            switch (option.key())
            {
                case "--results" -> resultsRoot = Paths.get(value);
                case "--events" -> events = Integer.parseInt(value);
                case "--rate" -> rate = Long.parseLong(value);
                case "--roll-seconds" -> rollSeconds = Integer.parseInt(value);
                case "--quiet-rate" -> quietRate = Long.parseLong(value);
                case "--warmup-events" -> warmupEvents = Integer.parseInt(value);
                case "--await-quiet" -> awaitQuietSeconds = Integer.parseInt(value);
                case "--keep" -> keep = true;
                default -> throw option.unknown();
            }
        }

        if (events < 1 || rate < 1 || rollSeconds < 1 || quietRate < 1 || warmupEvents < 1 || awaitQuietSeconds < 0)
        {
            throw new IllegalArgumentException("--events, --rate, --roll-seconds, --quiet-rate and --warmup-events " +
                "must be at least 1, --await-quiet at least 0");
        }
    }

    /**
     * Run the warm-up and the six measured runs, print the report and write the histograms.
     *
     * @param args {@code [workParent] [--results=dir] [--events=n] [--rate=n] [--roll-seconds=n] [--quiet-rate=n]
     *             [--warmup-events=n] [--await-quiet=seconds] [--keep]}.
     * @throws Exception if a run or the results cannot be written.
     */
    public static void main(final String[] args) throws Exception
    {
        new PretouchLatencyHarness(args).run();
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
