package io.tradestate.bench;

import io.tradestate.bench.jmh.SampleEvents;
import io.tradestate.bench.report.LatencyPlot;
import io.tradestate.bench.report.MachineInfo;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The results of a {@link SparseAppendHarness} run, in its folder: {@code summary.txt} (printed as it goes: what ran,
 * on what, and per rate and phase a table of each variant's percentiles, merged over its JVMs, with its ratios to B1),
 * {@code sparse.csv} (one line per variant, rate, phase and measurement), {@code jvms.csv} (one line per strategy
 * JVM: open and warm-up time, burst, and each phase's counts), per histogram {@code <variant>-<rate>-<phase>-
 * <measurement>.hgrm} and {@code .hlog} ({@link HistogramFiles}), and a percentile plot of the response times per
 * rate and phase, {@code sparse-<rate>-<phase>.png}.
 */
final class SparseAppendReport
{
    /**
     * The latency table, one line per variant, rate, phase and measurement.
     */
    static final String CSV = "sparse.csv";

    /**
     * Columns of {@link #CSV}: percentiles in nanoseconds, ratios to B1's percentile in the same rate, phase and
     * measurement, the file of the merged histogram.
     */
    static final String CSV_HEADER = "variant,rate,phase,measurement,jvms,events,p50_ns,p90_ns,p99_ns,p999_ns,max_ns," +
        "p50_vs_b1,p99_vs_b1,file";

    /**
     * The strategy JVMs, one line each.
     */
    static final String JVMS_CSV = "jvms.csv";

    /**
     * Columns of {@link #JVMS_CSV}.
     */
    static final String JVMS_HEADER = "variant,rate,jvm,name,seed,open_ns,warm_up_ns,burst_events,burst_ns," +
        "fresh_events,fresh_late_starts,fresh_rehearsals,fresh_allocated_bytes,fresh_minor_faults," +
        "warm_events,warm_late_starts,warm_rehearsals,warm_allocated_bytes,warm_minor_faults";

    private static final String[] MEASUREMENTS = {"response", "service"};
    private static final String[] PHASES = {SparseAppendMain.FRESH, SparseAppendMain.WARM};
    private static final double[] PERCENTILES = {50, 90, 99, 99.9};
    private static final String[] PHASE_KEYS = {"events", "lateStarts", "rehearsals", "allocatedBytes", "minorFaults"};

    private final Path resultsDir;
    private final List<SparseVariant> variants;
    private final StringBuilder text = new StringBuilder();
    private final StringBuilder csv = new StringBuilder(CSV_HEADER).append('\n');
    private final StringBuilder jvmsCsv = new StringBuilder(JVMS_HEADER).append('\n');
    private final Map<String, String> conditions = new HashMap<>();
    private String loadAtStart = "";

    SparseAppendReport(final Path resultsDir, final List<SparseVariant> variants)
    {
        this.resultsDir = resultsDir;
        this.variants = variants;
    }

    void header(final String stamp, final String arguments, final Path workDir, final String settings)
    {
        final MachineInfo machine = MachineInfo.current();
        loadAtStart = machine.loadAverage();
        line("TradeState sparse append harness, %s UTC", stamp);
        line("command: java <flags> -cp <bench classpath> %s %s", SparseAppendHarness.class.getName(), arguments);
        line("machine: %s, %s, %d cores, %s memory, %s; %s", machine.host(), machine.cpuModel(), machine.cores(),
            machine.memory(), machine.kernel(), machine.jdk());
        line("load average at the start: %s", loadAtStart);
        line("strategy JVMs: %s %s (default GC), one variant each, files under %s",
            String.join(" ", SparseAppendHarness.STRATEGY_HEAP), String.join(" ", ChildJvm.inheritedFlags()), workDir);
        line("settings: %s", settings);
        for (final SparseVariant variant : variants)
        {
            line("  %-12s %s", variant.label(), variant.description());
        }
        line("OrderUpdate events, %d bytes encoded, 1,024 order ids and prices in turn; Poisson gaps, open loop: " +
            "response time from each event's intended time to the append's end, service time the append alone; " +
            "every JVM parks until shortly before the intended time, then spins to it",
            SampleEvents.ORDER_UPDATE_LENGTH);
        line("fresh: a fresh JVM's first appends; warm: the same schedule after an unmeasured burst (as in a JVM " +
            "that has run a while); microseconds; ratios are the variant's percentile over B1's in the same rate and " +
            "phase");
        line("");
    }

    void conditions(final long rate, final String phase, final double busyCores, final String loadAverage)
    {
        conditions.put(rate + " " + phase, String.format(Locale.ROOT, "machine busy %.2f cores, load average %s at " +
            "the end", busyCores, loadAverage));
    }

    /**
     * Merge and record one rate's results, and print its tables.
     *
     * @param rate       mean events per second.
     * @param events     per phase and JVM.
     * @param strategies every JVM of the rate, after it quit.
     * @throws IOException if a histogram cannot be read or written.
     */
    void rate(final long rate, final int events, final List<SparseStrategy> strategies) throws IOException
    {
        final int jvms = strategies.size() / variants.size();
        for (final String phase : PHASES)
        {
            final Map<SparseVariant, Histogram[]> merged = new EnumMap<>(SparseVariant.class);
            for (final SparseStrategy strategy : strategies)
            {
                final Histogram[] histograms = merged.computeIfAbsent(strategy.variant(),
                    (variant) -> new Histogram[]{new Histogram(3), new Histogram(3)});
                for (int m = 0; m < MEASUREMENTS.length; m++)
                {
                    histograms[m].add(strategy.histogram(phase, MEASUREMENTS[m]));
                }
            }
            table(rate, phase, events, jvms, merged);
            counts(phase, strategies);
            plot(rate, phase, merged);
        }
        opens(strategies);
        for (final SparseStrategy strategy : strategies)
        {
            jvmsCsv.append(String.format(Locale.ROOT, "%s,%d,%d,%s,%d,%d,%d,%d,%d", strategy.variant().label(), rate,
                strategy.jvm(), strategy.name(), strategy.seed(), strategy.value("READY", "openNs"),
                strategy.value("READY", "warmUpNs"), strategy.value("BURST", "events"),
                strategy.value("BURST", "ns")));
            for (final String phase : PHASES)
            {
                for (final String key : PHASE_KEYS)
                {
                    jvmsCsv.append(',').append(strategy.value(phase, key));
                }
            }
            jvmsCsv.append('\n');
        }
        line("");
    }

    /**
     * Write {@code summary.txt} and the CSV files.
     *
     * @return the results folder.
     * @throws IOException if a file cannot be written.
     */
    Path write() throws IOException
    {
        line("load average: %s at the start, %s at the end", loadAtStart, MachineInfo.loadAverageNow());
        Files.writeString(resultsDir.resolve("summary.txt"), text.toString(), StandardCharsets.UTF_8);
        Files.writeString(resultsDir.resolve(CSV), csv.toString(), StandardCharsets.UTF_8);
        Files.writeString(resultsDir.resolve(JVMS_CSV), jvmsCsv.toString(), StandardCharsets.UTF_8);
        return resultsDir;
    }

    private void table(
        final long rate,
        final String phase,
        final int events,
        final int jvms,
        final Map<SparseVariant, Histogram[]> merged) throws IOException
    {
        line("rate %,d/s, %s: %,d events a JVM, %d JVMs a variant; %s", rate,
            SparseAppendMain.FRESH.equals(phase) ? "fresh JVM" : "warm (after the burst)", events, jvms,
            conditions.getOrDefault(rate + " " + phase, ""));
        line("%-12s %8s | %-44s | %-44s | %-11s | %-11s", "", "", "response (from the intended time), us",
            "service (the append alone), us", "response/B1", "service/B1");
        line("%-12s %8s | %8s %8s %8s %8s %8s | %8s %8s %8s %8s %8s | %5s %5s | %5s %5s", "variant", "events",
            "p50", "p90", "p99", "p99.9", "max", "p50", "p90", "p99", "p99.9", "max", "p50", "p99", "p50", "p99");
        final Histogram[] b1 = merged.get(SparseVariant.B1);
        for (final Map.Entry<SparseVariant, Histogram[]> entry : merged.entrySet())
        {
            final SparseVariant variant = entry.getKey();
            final StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-12s %,8d", variant.label(),
                entry.getValue()[0].getTotalCount()));
            final StringBuilder ratios = new StringBuilder();
            for (int m = 0; m < MEASUREMENTS.length; m++)
            {
                final Histogram histogram = entry.getValue()[m];
                final String file = variant.fileLabel() + "-" + rate + "-" + phase + "-" + MEASUREMENTS[m];
                HistogramFiles.write(resultsDir, file, histogram);
                row.append(" |");
                for (final double percentile : PERCENTILES)
                {
                    row.append(String.format(Locale.ROOT, " %8.1f", histogram.getValueAtPercentile(percentile) / 1e3));
                }
                row.append(String.format(Locale.ROOT, " %8.1f", histogram.getMaxValue() / 1e3));
                final String p50Ratio = ratio(histogram, null == b1 ? null : b1[m], 50);
                final String p99Ratio = ratio(histogram, null == b1 ? null : b1[m], 99);
                ratios.append(String.format(Locale.ROOT, " | %5s %5s", p50Ratio, p99Ratio));
                csv.append(String.format(Locale.ROOT, "%s,%d,%s,%s,%d,%d,%d,%d,%d,%d,%d,%s,%s,%s%n", variant.label(),
                    rate, phase, MEASUREMENTS[m], jvms, histogram.getTotalCount(), histogram.getValueAtPercentile(50),
                    histogram.getValueAtPercentile(90), histogram.getValueAtPercentile(99),
                    histogram.getValueAtPercentile(99.9), histogram.getMaxValue(), p50Ratio, p99Ratio,
                    file + HistogramFiles.LOG_EXTENSION));
            }
            line("%s%s", row, ratios);
        }
    }

    private void counts(final String phase, final List<SparseStrategy> strategies)
    {
        line("  summed over each variant's JVMs: appends whose wait ended over 10 us late, keepWarm() rehearsals, " +
            "bytes allocated and minor faults on the appending thread");
        for (final SparseVariant variant : variants)
        {
            final long[] sums = new long[PHASE_KEYS.length];
            for (final SparseStrategy strategy : strategies)
            {
                if (strategy.variant() == variant)
                {
                    for (int k = 0; k < PHASE_KEYS.length; k++)
                    {
                        sums[k] += strategy.value(phase, PHASE_KEYS[k]);
                    }
                }
            }
            line("  %-12s late %,d, rehearsals %,d, allocated %,d B, minor faults %,d", variant.label(), sums[1],
                sums[2], sums[3], sums[4]);
        }
    }

    private void opens(final List<SparseStrategy> strategies)
    {
        line("open and burst, per JVM (ms): open includes the journal's warm-up, shown apart");
        for (final SparseVariant variant : variants)
        {
            final List<String> open = new ArrayList<>();
            final List<String> warmUp = new ArrayList<>();
            final List<String> burst = new ArrayList<>();
            for (final SparseStrategy strategy : strategies)
            {
                if (strategy.variant() == variant)
                {
                    open.add(millis(strategy.value("READY", "openNs")));
                    warmUp.add(millis(strategy.value("READY", "warmUpNs")));
                    burst.add(millis(strategy.value("BURST", "ns")));
                }
            }
            line("  %-12s open %s%s, burst %s", variant.label(), String.join(" / ", open),
                variant.tradeState() ? ", warm-up " + String.join(" / ", warmUp) : "", String.join(" / ", burst));
        }
    }

    private void plot(final long rate, final String phase, final Map<SparseVariant, Histogram[]> merged)
        throws IOException
    {
        System.setProperty("java.awt.headless", "true");
        final LatencyPlot plot = new LatencyPlot(String.format(Locale.ROOT, "Sparse append at %,d/s, %s: response " +
            "time (intended time to append done)", rate, SparseAppendMain.FRESH.equals(phase) ? "fresh JVM" :
            "after a burst"));
        for (final Map.Entry<SparseVariant, Histogram[]> entry : merged.entrySet())
        {
            plot.curve(entry.getKey().label(), entry.getValue()[0]);
        }
        plot.write(resultsDir.resolve("sparse-" + rate + "-" + phase + ".png"));
    }

    private static String ratio(final Histogram histogram, final Histogram b1, final double percentile)
    {
        if (null == b1 || 0 == b1.getTotalCount())
        {
            return "";
        }
        return String.format(Locale.ROOT, "%.2f", histogram.getValueAtPercentile(percentile) /
            (double)Math.max(1, b1.getValueAtPercentile(percentile)));
    }

    private static String millis(final long nanos)
    {
        return String.format(Locale.ROOT, "%.1f", nanos / 1e6);
    }

    private void line(final String format, final Object... args)
    {
        final String line = String.format(Locale.ROOT, format, args);
        System.out.println(line);
        text.append(line).append('\n');
    }
}
