package io.tradestate.bench;

import io.tradestate.bench.jmh.SampleEvents;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The report of an {@link EndToEndLatencyHarness} run: {@code summary.txt} (printed as it goes: what ran, on what,
 * one percentile table per measurement, in microseconds, with the rate each stage achieved) and {@code runs.csv}
 * (one line per run and measurement, for the report generator, which reads the histograms from their files).
 */
final class EndToEndReport
{
    /**
     * Columns of {@code runs.csv}.
     */
    static final String CSV_HEADER =
        "run,mode,rate,events,seconds,measurement,file,achieved_per_s,sustained,complete,busy_cores,strategy_cores";

    private static final double[] PERCENTILES = {50, 90, 99, 99.9, 99.99};

    private final StringBuilder text = new StringBuilder();
    private final String stamp;
    private final String arguments;
    private final Path resultsDir;

    EndToEndReport(final String stamp, final String arguments, final Path resultsDir)
    {
        this.stamp = stamp;
        this.arguments = arguments;
        this.resultsDir = resultsDir;
    }

    void header(final Path workDir)
    {
        line("TradeState end-to-end latency harness, %s UTC", stamp);
        line("command: java <flags below> -cp <bench classpath> %s %s", EndToEndLatencyHarness.class.getName(),
            arguments);
        line("java: %s (%s), max heap %,d MiB, GC %s, flags: %s", System.getProperty("java.version"),
            System.getProperty("java.vm.name"), Runtime.getRuntime().maxMemory() >> 20,
            ManagementFactory.getGarbageCollectorMXBeans().stream().map(GarbageCollectorMXBean::getName)
                .collect(Collectors.joining(", ")),
            String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        line("machine: %d CPUs, %s %s, load average %s; journals under %s", Runtime.getRuntime().availableProcessors(),
            System.getProperty("os.name"), System.getProperty("os.version"), DrainCpu.loadAverage(), workDir);
        line("events: OrderUpdate, %d bytes encoded; journal: TEST_SECONDLY roll cycle (a roll every second), " +
            "defaults otherwise (pretoucher on); reader JVMs: tailer busy-spin unless --tailer-idle, reader agent " +
            "with its default settings on its embedded PostgreSQL (fsync, synchronous_commit, " +
            "track_commit_timestamp on)", SampleEvents.ORDER_UPDATE_LENGTH);
        line("latency from each event's intended send time (open loop); a stage sustained the rate if it had the " +
            "last event within %d ms (or 5%% of the run) of its intended time", EndToEndRun.SUSTAINED_LAG_MS);
        line("");
    }

    static void progress(final EndToEndRun run)
    {
        System.out.printf(Locale.ROOT, "  %s done: append p99 %.1f us, achieved %,.0f/s%s; machine busy %.2f " +
            "cores, this JVM %.2f, load average %s%n", run.name(), run.appendNs().getValueAtPercentile(99) / 1000.0,
            run.appendRate(), run.appendSustained() ? "" : " (NOT sustained)", run.machineBusyCores(),
            run.thisJvmCores(), DrainCpu.loadAverage());
    }

    void runs(final List<EndToEndRun> runs) throws IOException
    {
        line("%-22s %-14s %9s %10s %10s %10s %10s %10s %10s %12s %s", "run", "measurement", "count", "p50", "p90",
            "p99", "p99.9", "p99.99", "max", "achieved/s", "sustained");
        for (final EndToEndRun run : runs)
        {
            row(run, "append", run.appendNs(), run.appendRate(), run.appendSustained());
            row(run, "append service", run.appendServiceNs(), Double.NaN, run.appendSustained());
            if (EndToEndRun.TAILER.equals(run.mode()))
            {
                row(run, "read (tailer)", histogram(run, "read"), run.readRate(), run.readSustained());
            }
            else
            {
                row(run, "state map", histogram(run, "state-map"), run.stateRate(), run.stateSustained());
                row(run, "commit", histogram(run, "commit"), run.commitRate(), run.commitSustained());
            }
            if (!run.complete())
            {
                line("  %s: INCOMPLETE, the reader did not get every event before its timeout", run.name());
            }
        }
        line("(microseconds; append service is commit() alone, every other row runs from the intended send time)");
        line("");
        line("machine while appending (all cores busy, of which the strategy JVM; the rest is the reader JVM, " +
            "PostgreSQL and anything else running):");
        for (final EndToEndRun run : runs)
        {
            line("  %-22s %.2f cores busy, strategy JVM %.2f; load average %s", run.name(), run.machineBusyCores(),
                run.thisJvmCores(), run.loadAverage());
        }
    }

    void write(final List<EndToEndRun> runs) throws IOException
    {
        Files.writeString(resultsDir.resolve("summary.txt"), text.toString(), StandardCharsets.UTF_8);
        final StringBuilder csv = new StringBuilder(CSV_HEADER).append('\n');
        for (final EndToEndRun run : runs)
        {
            csvRow(csv, run, "append", run.appendRate(), run.appendSustained());
            csvRow(csv, run, "append-service", Double.NaN, run.appendSustained());
            if (EndToEndRun.TAILER.equals(run.mode()))
            {
                csvRow(csv, run, "read", run.readRate(), run.readSustained());
            }
            else
            {
                csvRow(csv, run, "state-map", run.stateRate(), run.stateSustained());
                csvRow(csv, run, "commit", run.commitRate(), run.commitSustained());
            }
        }
        Files.writeString(resultsDir.resolve("runs.csv"), csv.toString(), StandardCharsets.UTF_8);
    }

    private Histogram histogram(final EndToEndRun run, final String measurement) throws IOException
    {
        return HistogramFiles.read(histogramFile(run, measurement));
    }

    private Path histogramFile(final EndToEndRun run, final String measurement)
    {
        return resultsDir.resolve(run.name() + "-" + measurement + HistogramFiles.LOG_EXTENSION);
    }

    private void row(
        final EndToEndRun run,
        final String measurement,
        final Histogram histogram,
        final double achieved,
        final boolean sustained)
    {
        final StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-22s %-14s %,9d", run.name(),
            measurement, histogram.getTotalCount()));
        for (final double percentile : PERCENTILES)
        {
            row.append(String.format(Locale.ROOT, " %10.1f", histogram.getValueAtPercentile(percentile) / 1000.0));
        }
        row.append(String.format(Locale.ROOT, " %10.1f", histogram.getMaxValue() / 1000.0));
        row.append(Double.isNaN(achieved) ? String.format(Locale.ROOT, " %12s", "") :
            String.format(Locale.ROOT, " %,12.0f", achieved));
        row.append(Double.isNaN(achieved) ? "" : sustained ? " yes" : " NO");
        line("%s", row);
    }

    private static void csvRow(
        final StringBuilder csv, final EndToEndRun run, final String measurement, final double achieved,
        final boolean sustained)
    {
        csv.append(String.format(Locale.ROOT, "%s,%s,%d,%d,%.3f,%s,%s,%s,%b,%b,%.2f,%.2f%n", run.name(), run.mode(),
            run.rate(), run.events(), run.seconds(), measurement,
            run.name() + "-" + measurement + HistogramFiles.LOG_EXTENSION,
            Double.isNaN(achieved) ? "" : String.format(Locale.ROOT, "%.0f", achieved), sustained, run.complete(),
            run.machineBusyCores(), run.thisJvmCores()));
    }

    private void line(final String format, final Object... args)
    {
        final String line = String.format(Locale.ROOT, format, args);
        System.out.println(line);
        text.append(line).append('\n');
    }
}
