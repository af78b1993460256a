package io.tradestate.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The append in the regime strategies live in: one or two events a second, each one cold. Several strategy JVMs at
 * once ({@link SparseAppendMain}), {@code --jvms} per variant, every variant's JVMs running side by side so that they
 * share the machine's conditions, append {@code OrderUpdate}s open loop on seeded Poisson schedules ({@link OpenLoop},
 * {@link AppendLatencyRun#poisson}), one rate at a time:
 * <ul>
 * <li>{@code TS}: {@code TradeJournal} with its default settings, warm-up at open on;</li>
 * <li>{@code TS-keepwarm}: the same, calling {@code journal.keepWarm()} about every millisecond between events;</li>
 * <li>{@code TS-rehearse}: the same, calling {@code journal.rehearse(Runnable)} of its own append code instead;</li>
 * <li>{@code TS-nowarmup}: the journal with its warm-up at open off ({@code warmUpAppends(0)});</li>
 * <li>{@code B1}: a bare Chronicle Queue appender writing the same bytes; {@code B0}: a store of them into a pretouched
 * mapping, the floor ({@link SparseVariant}).</li>
 * </ul>
 * Each JVM runs two phases, both started at the same moment in every JVM: <b>fresh</b>, its first {@code events}
 * appends ({@code --fresh-events}, fewer if the rate gives fewer in {@code --phase-seconds}); then a burst of
 * {@code --burst} appends flat out, unmeasured, the same for every variant, a pause of {@code --settle-ms}, and
 * <b>warm</b>: the same schedule again, as in a JVM that has run a while. Response time runs from each event's
 * intended time, service time is the append alone; histograms are merged over a variant's JVMs. Results: a folder
 * {@code sparse-append-<UTC time>} under the results folder ({@link SparseAppendReport}).
 * <pre>
 * java $TRADESTATE_JVM_ARGS -cp ... io.tradestate.bench.SparseAppendHarness [workParent] [--results=dir]
 *     [--rates=1,2,10,100] [--variants=TS,TS-keepwarm,TS-rehearse,TS-nowarmup,B1,B0] [--jvms=2] [--fresh-events=2000]
 *     [--phase-seconds=120] [--burst=50000] [--settle-ms=1000] [--spin-us=200] [--seed=42] [--keep]
 * </pre>
 */
public final class SparseAppendHarness
{
    /**
     * Heap of each strategy JVM; it gets this JVM's Chronicle flags too ({@link ChildJvm}).
     */
    public static final List<String> STRATEGY_HEAP = List.of("-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch");

    private static final long START_DELAY_NS = TimeUnit.MILLISECONDS.toNanos(500);

    private final String arguments;
    private final Path workParent;
    private final Path resultsRoot;
    private final long[] rates;
    private final List<SparseVariant> variants;
    private final int jvms;
    private final int freshEvents;
    private final double phaseSeconds;
    private final int burst;
    private final long settleMs;
    private final long spinUs;
    private final long seed;
    private final boolean keep;

    SparseAppendHarness(final String... args)
    {
        final HarnessArguments parsed = HarnessArguments.parse(args, Paths.get(System.getProperty("java.io.tmpdir")));
        workParent = parsed.workParent();
        resultsRoot = Paths.get(parsed.value("--results", Paths.get("bench", "results").toString()));
        rates = Stream.of(parsed.value("--rates", "1,2,10,100").split(",")).mapToLong(Long::parseLong).toArray();
        variants = Stream.of(parsed.value("--variants", "TS,TS-keepwarm,TS-rehearse,TS-nowarmup,B1,B0").split(","))
            .map(SparseVariant::of).distinct().toList();
        jvms = parsed.intValue("--jvms", 2);
        freshEvents = parsed.intValue("--fresh-events", 2_000);
        phaseSeconds = parsed.doubleValue("--phase-seconds", 120);
        burst = parsed.intValue("--burst", 50_000);
        settleMs = parsed.longValue("--settle-ms", 1_000);
        spinUs = parsed.longValue("--spin-us", 200);
        seed = parsed.longValue("--seed", 42);
        keep = parsed.flag("--keep");
        parsed.refuseUnasked();
        arguments = String.join(" ", args);

        if (Arrays.stream(rates).min().orElse(0) < 1 || jvms < 1 || freshEvents < 1 || phaseSeconds <= 0 ||
            burst < 0 || settleMs < 0 || spinUs < 0)
        {
            throw new IllegalArgumentException("--rates, --jvms, --fresh-events and --phase-seconds must be " +
                "positive, --burst, --settle-ms and --spin-us at least 0");
        }
    }

    /**
     * Measure every rate; the tables go to the standard output as each rate ends, and to the results folder.
     *
     * @param args {@code [workParent] [--results=dir] [--rates=a,b] [--variants=a,b] [--jvms=n]
     *             [--fresh-events=n] [--phase-seconds=s] [--burst=n] [--settle-ms=ms] [--spin-us=us] [--seed=n]
     *             [--keep]}.
     * @throws Exception if a strategy JVM fails: its log's tail is in the message.
     */
    public static void main(final String[] args) throws Exception
    {
        final Path resultsDir = new SparseAppendHarness(args).run();
        System.out.println("results written to " + resultsDir);
        System.exit(0);
    }

    /**
     * One rate after another, each with fresh strategy JVMs, into a new results folder.
     *
     * @return the results folder.
     * @throws Exception if a strategy JVM fails.
     */
    Path run() throws Exception
    {
        final String stamp = OffsetDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        final SparseAppendReport report = new SparseAppendReport(
            Files.createDirectories(resultsRoot.resolve("sparse-append-" + stamp)), variants);
        final Path workDir = Files.createTempDirectory(Files.createDirectories(workParent), "sparse-append-");
        try
        {
            report.header(stamp, arguments, workDir, String.format(Locale.ROOT, "%d JVMs per variant, at most %,d " +
                "events or %.0f s a phase, a burst of %,d events and %,d ms between the phases, spin %d us, seed %d",
                jvms, freshEvents, phaseSeconds, burst, settleMs, spinUs, seed));
            for (final long rate : rates)
            {
                runRate(report, rate, workDir.resolve("rate-" + rate));
            }
            return report.write();
        }
        finally
        {
            if (!keep)
            {
                WorkFolder.delete(workDir);
            }
        }
    }

    private void runRate(final SparseAppendReport report, final long rate, final Path rateWork) throws Exception
    {
        final int events = (int)Math.max(1, Math.min(freshEvents, Math.round(rate * phaseSeconds)));
        final Path histograms = Files.createDirectories(rateWork.resolve("histograms"));
        System.out.printf(Locale.ROOT, "rate %,d/s: %d strategy JVMs, %,d events a phase (%.1f s on average) ...%n",
            rate, variants.size() * jvms, events, events / (double)rate);
        final List<SparseStrategy> strategies = new ArrayList<>();
        try
        {
            // The variants interleaved, so that none is always started first.
            for (int jvm = 0; jvm < jvms; jvm++)
            {
                for (final SparseVariant variant : variants)
                {
                    strategies.add(SparseStrategy.start(STRATEGY_HEAP, variant, jvm, rate, seed + strategies.size(),
                        events, burst, TimeUnit.MICROSECONDS.toNanos(spinUs), rateWork, histograms));
                }
            }
            for (final SparseStrategy strategy : strategies)
            {
                strategy.awaitReady();
            }
            long longestScheduleNs = 0;
            for (final SparseStrategy strategy : strategies)
            {
                longestScheduleNs = Math.max(longestScheduleNs, strategy.value("READY", "scheduleNs"));
            }
            final long phaseNs = START_DELAY_NS + longestScheduleNs;

            phase(report, rate, SparseAppendMain.FRESH, strategies, phaseNs);
            for (final SparseStrategy strategy : strategies)
            {
                strategy.burst();
            }
            for (final SparseStrategy strategy : strategies)
            {
                strategy.awaitBurst();
            }
            Thread.sleep(settleMs);
            phase(report, rate, SparseAppendMain.WARM, strategies, phaseNs);
            for (final SparseStrategy strategy : strategies)
            {
                strategy.quit();
            }
        }
        finally
        {
            for (final SparseStrategy strategy : strategies)
            {
                strategy.close();
            }
        }

        report.rate(rate, events, strategies);
        if (!keep)
        {
            WorkFolder.delete(rateWork);
        }
    }

    private static void phase(
        final SparseAppendReport report,
        final long rate,
        final String phase,
        final List<SparseStrategy> strategies,
        final long phaseNs) throws Exception
    {
        final long busyTicksBefore = ProcStat.machineBusyTicks();
        final long beforeNs = System.nanoTime();
        final long startNs = beforeNs + START_DELAY_NS;
        for (final SparseStrategy strategy : strategies)
        {
            strategy.run(phase, startNs);
        }
        for (final SparseStrategy strategy : strategies)
        {
            strategy.awaitDone(phase, phaseNs);
        }
        report.conditions(rate, phase, ProcStat.cores(ProcStat.machineBusyTicks() - busyTicksBefore,
            System.nanoTime() - beforeNs), DrainCpu.loadAverage());
    }
}
