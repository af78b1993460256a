package io.tradestate.bench;

import io.tradestate.reader.cli.CommandLines;
import io.tradestate.reader.cli.VersionProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
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
 * {@code --help} lists the options with their defaults ({@link HarnessCommandLine}).
 */
@Command(
    name = "SparseAppendHarness",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    synopsisHeading = "usage: ",
    customSynopsis =
    {
        "java ... io.tradestate.bench.SparseAppendHarness [workParent] [options]",
        "       mvn -B -pl bench compile exec:exec@sparse-append [-Dsparse.workDir=DIR] [-Dsparse.args=\"options\"]",
    },
    description =
    {
        "",
        "The append in the regime strategies live in, a few events a second, each one cold: several strategy JVMs",
        "per variant side by side, open loop on seeded Poisson schedules, a fresh and a warm phase at each rate",
        "(bench/results/README.md).",
        "",
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList =
    {
        "0:the results are written",
        "1:a strategy JVM failed",
        CommandLines.EXIT_USAGE + ":invalid arguments",
    })
public final class SparseAppendHarness implements HarnessCommandLine.Command
{
    /**
     * Heap of each strategy JVM; it gets this JVM's Chronicle flags too ({@link ChildJvm}).
     */
    public static final List<String> STRATEGY_HEAP = List.of("-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch");

    private static final long START_DELAY_NS = TimeUnit.MILLISECONDS.toNanos(500);

    @Parameters(index = "0", arity = "0..1", paramLabel = "workParent", defaultValue = "${sys:java.io.tmpdir}",
        description = "where the strategy JVMs make their journals, queues and mappings (default: ${DEFAULT-VALUE})")
    private Path workParent;

    @Option(names = "--results", paramLabel = "DIR", defaultValue = "bench/results",
        description = "where the results folder is made (default: ${DEFAULT-VALUE})")
    private Path resultsRoot;

    @Option(names = "--rates", paramLabel = "N,N", defaultValue = "1,2,10,100",
        description = "events/s per strategy, one after another (default: ${DEFAULT-VALUE})")
    private String ratesText;

    @Option(names = "--variants", paramLabel = "V,V", defaultValue = "TS,TS-keepwarm,TS-rehearse,TS-nowarmup,B1,B0",
        description = "the variants, side by side (default: ${DEFAULT-VALUE})")
    private String variantsText;

    @Option(names = "--jvms", paramLabel = "N", defaultValue = "2",
        description = "strategy JVMs per variant (default: ${DEFAULT-VALUE})")
    private int jvms;

    @Option(names = "--fresh-events", paramLabel = "N", defaultValue = "2000",
        description = "events a phase at most (default: ${DEFAULT-VALUE})")
    private int freshEvents;

    @Option(names = "--phase-seconds", paramLabel = "S", defaultValue = "120",
        description = "a phase's length at most, on average (default: ${DEFAULT-VALUE})")
    private double phaseSeconds;

    @Option(names = "--burst", paramLabel = "N", defaultValue = "50000",
        description = "events appended flat out, unmeasured, between the phases (default: ${DEFAULT-VALUE})")
    private int burst;

    @Option(names = "--settle-ms", paramLabel = "MS", defaultValue = "1000",
        description = "pause after the burst (default: ${DEFAULT-VALUE})")
    private long settleMs;

    @Option(names = "--spin-us", paramLabel = "US", defaultValue = "200",
        description = "how long before each event's intended time the wait stops parking and spins " +
        "(default: ${DEFAULT-VALUE})")
    private long spinUs;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42",
        description = "seed of the first strategy's schedule, the next ones counting up (default: ${DEFAULT-VALUE})")
    private long seed;

    @Option(names = "--keep", description = "keep the journals, queues and mappings")
    private boolean keep;

    private final String arguments;
    private long[] rates;
    private List<SparseVariant> variants;

    /**
     * The harness, its options not parsed yet: {@link #parse} parses them, as {@code main} does.
     *
     * @param args the command line, as the results quote it.
     */
    SparseAppendHarness(final String[] args)
    {
        arguments = String.join(" ", args);
    }

    /**
     * The harness with its options parsed and validated.
     *
     * @param args {@code [workParent] [--results=dir] [--rates=a,b] ...}.
     * @return the harness, ready to run.
     * @throws IllegalArgumentException naming the first unknown or invalid option.
     */
    static SparseAppendHarness parse(final String... args)
    {
        final SparseAppendHarness harness = new SparseAppendHarness(args);
        HarnessCommandLine.parse(harness, args);
        return harness;
    }

    /**
     * Validate the options.
     *
     * @throws IllegalArgumentException naming the options if one is out of range.
     */
    @Override
    public void conclude()
    {
        rates = HarnessCommandLine.numbers("--rates", ratesText);
        try
        {
            variants = Stream.of(variantsText.split(",")).map(SparseVariant::of).distinct().toList();
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("--variants: " + ex.getMessage(), ex);
        }
        if (Arrays.stream(rates).min().orElse(0) < 1 || jvms < 1 || freshEvents < 1 || phaseSeconds <= 0 ||
            burst < 0 || settleMs < 0 || spinUs < 0)
        {
            throw new IllegalArgumentException("--rates, --jvms, --fresh-events and --phase-seconds must be " +
                "positive, --burst, --settle-ms and --spin-us at least 0");
        }
    }

    /**
     * Measure every rate; the tables go to the standard output as each rate ends, and to the results folder;
     * {@code --help} lists the options.
     *
     * @param args {@code [workParent] [--results=dir] [--rates=a,b] [--variants=a,b] [--jvms=n]
     *             [--fresh-events=n] [--phase-seconds=s] [--burst=n] [--settle-ms=ms] [--spin-us=us] [--seed=n]
     *             [--keep]}.
     * @throws Exception if a strategy JVM fails: its log's tail is in the message.
     */
    public static void main(final String[] args) throws Exception
    {
        final SparseAppendHarness harness = new SparseAppendHarness(args);
        if (HarnessCommandLine.parseOrExit(harness, args))
        {
            final Path resultsDir = harness.run();
            System.out.println("results written to " + resultsDir);
            System.exit(0);
        }
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
