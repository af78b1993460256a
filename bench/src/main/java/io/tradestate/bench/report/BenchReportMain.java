package io.tradestate.bench.report;

import io.tradestate.bench.ChildJvm;
import io.tradestate.bench.HarnessCommandLine;
import io.tradestate.bench.SparseAppendHarness;
import io.tradestate.reader.cli.CommandLines;
import io.tradestate.reader.cli.VersionProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * One command for a whole benchmark report: runs the JMH suite, the end-to-end latency harness, the drain
 * throughput harness and the sparse append harness one after another, each in JVMs of its own, into a new folder
 * {@code <results>/<date>-<machine>/}, then writes {@code REPORT.md} and its plots there ({@link BenchReport}).
 * <p>
 * Two profiles:
 * <ul>
 * <li>{@code quick} (8 to 12 minutes): JMH with one fork, one 1 s warm-up and two 1 s iterations; end-to-end runs of
 * 2.5 s (5 s at 1,000/s and below); the drain of 2 x 50,000 events; the sparse append at 10 and 100 events/s, phases
 * of at most 15 s (about 2 minutes). Enough to see that everything works and roughly where it stands; not numbers to
 * quote.</li>
 * <li>{@code full} (about 35 minutes): JMH as annotated (3 forks, 5 x 1 s warm-up and measurement); end-to-end runs of
 * 10 s (60 s at 1,000/s and below) after 100,000 warm-up events; the drain of 4 x 250,000 events; the sparse append
 * at 1, 2, 10 and 100 events/s, phases of at most 120 s (about 15 minutes).</li>
 * </ul>
 * Every child JVM gets this JVM's Chronicle flags and system properties ({@code tradestate.jvm.args}) and a heap of
 * its own. A part that exits with an error is reported as such; the command fails if a part wrote no results.
 * <pre>
 * java $TRADESTATE_JVM_ARGS -cp ... io.tradestate.bench.report.BenchReportMain [workParent] --profile=quick|full
 *     [--results=bench/results] [--skip=jmh,latency,drain,sparse] [--jmh-args="..."] [--latency-args="..."]
 *     [--drain-args="..."] [--sparse-args="..."]
 * </pre>
 * {@code --help} lists the options with their defaults ({@link HarnessCommandLine}).
 */
@Command(
    name = "BenchReportMain",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    synopsisHeading = "usage: ",
    customSynopsis =
    {
        "java ... io.tradestate.bench.report.BenchReportMain [workParent] [options]",
        "       mvn -B -pl bench -am package -DskipTests -Preport-quick|-Preport-full [-Dbench.workDir=DIR]",
        "           [-Dbench.jmh.args=...] [-Dbench.latency.args=...] [-Dbench.drain.args=...]",
        "           [-Dbench.sparse.args=...]",
    },
    description =
    {
        "",
        "A whole benchmark report: the JMH suite, the end-to-end latency, drain throughput and sparse append",
        "harnesses one after another, each in JVMs of its own, into a new folder <results>/<date>-<machine>/, then",
        "REPORT.md and its plots there (bench/results/README.md).",
        "",
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList =
    {
        "0:the report is written, every part wrote results",
        "1:a part wrote no results, or the report could not be written",
        CommandLines.EXIT_USAGE + ":invalid arguments",
    })
public final class BenchReportMain implements HarnessCommandLine.Command
{
    private static final List<String> HARNESS_HEAP = List.of("-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch");
    private static final String JMH = "jmh";
    private static final String LATENCY = "latency";
    private static final String DRAIN = "drain";
    private static final String SPARSE = "sparse";
    private static final String QUICK_JMH = "-f 1 -wi 1 -i 2 -w 1s -r 1s";
    private static final String QUICK_LATENCY =
        "--seconds=2.5 --low-rate-seconds=5 --warmup-events=20000 --drain-timeout=120";
    private static final String QUICK_DRAIN = "--sources=2 --events-per-source=50000";
    private static final String QUICK_SPARSE = "--rates=10,100 --phase-seconds=15";

    private static final List<String> PARTS = List.of(JMH, LATENCY, DRAIN, SPARSE);

    @Parameters(index = "0", arity = "0..1", paramLabel = "workParent", defaultValue = "${sys:java.io.tmpdir}",
        description = "where the harnesses make their scratch files (default: ${DEFAULT-VALUE})")
    private Path workParent;

    @Option(names = "--profile", paramLabel = "quick|full", defaultValue = "quick",
        description = "the profile: quick (8 to 12 minutes) or full (about 35 minutes) (default: ${DEFAULT-VALUE})")
    private String profile;

    @Option(names = "--results", paramLabel = "DIR", defaultValue = "bench/results",
        description = "where the report's folder <date>-<machine> is made (default: ${DEFAULT-VALUE})")
    private Path resultsRoot;

    @Option(names = "--skip", paramLabel = "PART", split = ",",
        description = "parts not to run: jmh, latency, drain, sparse (default: none)")
    private List<String> skip = new ArrayList<>();

    @Option(names = "--jmh-args", paramLabel = "ARGS",
        description = "the JMH suite's options instead of the profile's (quick: " + QUICK_JMH + "; full: none)")
    private String jmhArgs;

    @Option(names = "--latency-args", paramLabel = "ARGS", description = "EndToEndLatencyHarness's options instead " +
        "of the profile's (quick: " + QUICK_LATENCY + "; full: none)")
    private String latencyArgs;

    @Option(names = "--drain-args", paramLabel = "ARGS", description = "DrainThroughputHarness's options instead " +
        "of the profile's (quick: " + QUICK_DRAIN + "; full: none)")
    private String drainArgs;

    @Option(names = "--sparse-args", paramLabel = "ARGS", description = "SparseAppendHarness's options instead " +
        "of the profile's (quick: " + QUICK_SPARSE + "; full: none)")
    private String sparseArgs;

    /**
     * The report, its options not parsed yet: {@code main} parses them ({@link HarnessCommandLine}).
     */
    public BenchReportMain()
    {
    }

    /**
     * Validate the options and fill in the profile's options of each part not given.
     *
     * @throws IllegalArgumentException naming the option if one is invalid.
     */
    @Override
    public void conclude()
    {
        final boolean quick = "quick".equals(profile);
        if (!quick && !"full".equals(profile))
        {
            throw new IllegalArgumentException("--profile must be quick or full: " + profile);
        }
        for (final String part : skip)
        {
            if (!part.isEmpty() && !PARTS.contains(part))
            {
                throw new IllegalArgumentException("--skip takes parts among " + String.join(", ", PARTS) + ", not '" +
                    part + "'");
            }
        }
        jmhArgs = orDefault(jmhArgs, quick ? QUICK_JMH : "");
        latencyArgs = orDefault(latencyArgs, quick ? QUICK_LATENCY : "");
        drainArgs = orDefault(drainArgs, quick ? QUICK_DRAIN : "");
        sparseArgs = orDefault(sparseArgs, quick ? QUICK_SPARSE : "");
    }

    /**
     * Run the profile and write the report; {@code --help} lists the options.
     *
     * @param args {@code [workParent] --profile=quick|full [--results=dir] [--skip=parts] [--jmh-args=...]
     *             [--latency-args=...] [--drain-args=...] [--sparse-args=...]}.
     * @throws Exception if the report cannot be written.
     */
    public static void main(final String[] args) throws Exception
    {
        final BenchReportMain report = new BenchReportMain();
        if (HarnessCommandLine.parseOrExit(report, args))
        {
            System.setProperty("java.awt.headless", "true");
            System.exit(report.run());
        }
    }

    /**
     * A part's options: as given, trimmed, unless empty.
     */
    private static String orDefault(final String given, final String profileDefault)
    {
        return null == given || given.trim().isEmpty() ? profileDefault : given.trim();
    }

    private int run() throws IOException, InterruptedException
    {
        final MachineInfo machine = MachineInfo.current();
        final Path folder = newFolder(machine);
        final OffsetDateTime started = OffsetDateTime.now(ZoneOffset.UTC);
        final Properties properties = new Properties();
        properties.setProperty("profile", profile);
        properties.setProperty("command", "mvn -B -pl bench -am package -DskipTests -Preport-" + profile);
        properties.setProperty("started", started.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")));
        properties.setProperty("host", machine.host());
        properties.setProperty("cpu", machine.cpuModel());
        properties.setProperty("cores", Integer.toString(machine.cores()));
        properties.setProperty("memory", machine.memory());
        properties.setProperty("kernel", machine.kernel());
        properties.setProperty("jdk", machine.jdk());
        properties.setProperty("gc", machine.gc());
        properties.setProperty("jvmFlags", String.join(" ", ChildJvm.inheritedFlags()));
        properties.setProperty("heaps", "JMH forks, latency and drain harnesses `" + String.join(" ", HARNESS_HEAP) +
            "`; the end-to-end tailer JVM `-Xms256m -Xmx256m`, its reader agent JVM `-Xms512m -Xmx512m` (both " +
            "`-XX:+AlwaysPreTouch`); the sparse append's strategy JVMs `" +
            String.join(" ", SparseAppendHarness.STRATEGY_HEAP) + "`");
        properties.setProperty("loadBefore", machine.loadAverage());
        System.out.printf(Locale.ROOT, "TradeState %s benchmark report into %s (load average %s)%n", profile, folder,
            machine.loadAverage());

        final String results = "--results=" + folder;
        int failures = 0;
        if (!skip.contains(JMH))
        {
            final List<String> args = new ArrayList<>(List.of(results, "-jvmArgsAppend",
                String.join(" ", ChildJvm.inheritedFlags()) + " " + String.join(" ", HARNESS_HEAP)));
            args.addAll(split(jmhArgs));
            failures += part(properties, JMH, ChildJvm.bareCommand(List.of(), "io.tradestate.bench.jmh.JmhSuiteMain",
                args), folder, "jmh-");
        }
        if (!skip.contains(LATENCY))
        {
            final List<String> args = new ArrayList<>(List.of(workParent.toString(), results));
            args.addAll(split(latencyArgs));
            failures += part(properties, LATENCY, ChildJvm.command(HARNESS_HEAP,
                "io.tradestate.bench.EndToEndLatencyHarness", args), folder, "end-to-end-");
        }
        if (!skip.contains(DRAIN))
        {
            final List<String> args = new ArrayList<>(List.of(workParent.toString(), results));
            args.addAll(split(drainArgs));
            failures += part(properties, DRAIN, ChildJvm.command(HARNESS_HEAP,
                "io.tradestate.bench.DrainThroughputHarness", args), folder, "drain-throughput-");
        }
        if (!skip.contains(SPARSE))
        {
            final List<String> args = new ArrayList<>(List.of(workParent.toString(), results));
            args.addAll(split(sparseArgs));
            failures += part(properties, SPARSE, ChildJvm.command(List.of("-Xmx512m"),
                "io.tradestate.bench.SparseAppendHarness", args), folder, "sparse-append-");
        }

        properties.setProperty("loadAfter", MachineInfo.loadAverageNow());
        properties.setProperty("took", format(Duration.between(started, OffsetDateTime.now(ZoneOffset.UTC))));
        try (OutputStream out = Files.newOutputStream(folder.resolve(BenchReport.RUN_PROPERTIES)))
        {
            properties.store(out, "TradeState benchmark report: what ran, on what");
        }
        final Path report = BenchReport.write(folder);
        System.out.println("report written to " + report.toAbsolutePath());
        return 0 == failures ? 0 : 1;
    }

    /**
     * Run one part in its own JVM, its output on this one's.
     *
     * @return 1 if it wrote no results, else 0 (an error exit with results is only reported).
     */
    private static int part(
        final Properties properties,
        final String part,
        final List<String> command,
        final Path folder,
        final String resultsPrefix) throws IOException, InterruptedException
    {
        System.out.printf(Locale.ROOT, "%n=== %s: %s%n", part, String.join(" ",
            command.subList(command.indexOf("-cp") + 2, command.size())).replaceAll("--add-\\S+ ?", ""));
        final long startNs = System.nanoTime();
        // Output to this JVM's; no input: a child never waits on, or is stopped for reading, a terminal.
        final Process process = new ProcessBuilder(command)
            .redirectOutput(ProcessBuilder.Redirect.INHERIT)
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
        process.getOutputStream().close();
        final int exit = process.waitFor();
        properties.setProperty("exit." + part, Integer.toString(exit));
        properties.setProperty("took." + part, format(Duration.ofNanos(System.nanoTime() - startNs)));
        boolean wrote;
        try (var paths = Files.list(folder))
        {
            wrote = paths.anyMatch((path) -> path.getFileName().toString().startsWith(resultsPrefix));
        }
        System.out.printf(Locale.ROOT, "=== %s exited with %d%s%n", part, exit, wrote ? "" : ", no results");
        return wrote ? 0 : 1;
    }

    private Path newFolder(final MachineInfo machine) throws IOException
    {
        final String base = LocalDate.now(ZoneOffset.UTC) + "-" + machine.folderName();
        Path folder = resultsRoot.resolve(base);
        for (int i = 2; Files.exists(folder); i++)
        {
            folder = resultsRoot.resolve(base + "-" + i);
        }
        return Files.createDirectories(folder).toAbsolutePath();
    }

    private static List<String> split(final String args)
    {
        final List<String> list = new ArrayList<>();
        for (final String arg : args.trim().split("\\s+"))
        {
            if (!arg.isEmpty())
            {
                list.add(arg);
            }
        }
        return list;
    }

    private static String format(final Duration duration)
    {
        final long seconds = duration.toSeconds();
        return seconds >= 60 ? String.format(Locale.ROOT, "%d min %02d s", seconds / 60, seconds % 60) :
            seconds + " s";
    }
}
