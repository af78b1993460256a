package io.tradestate.bench;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The report of a {@link PretouchLatencyHarness} run: percentile tables of each phase with the pretoucher off and on
 * and their ratios, the rolls one by one, the fault, GC and CPU counters, printed as it goes and kept for
 * {@code summary.txt}; then one {@code .hgrm} file per histogram, in microseconds.
 * <p>
 * A run is marked noisy when other processes, or the hypervisor, took more than {@value #NOISY_CORES} of a core while
 * it measured: on two cores that competes with the appending thread and the pretoucher.
 */
final class PretouchLatencyReport
{
    private static final double CLOCK_TICKS_PER_SECOND = 100.0;
    private static final double NOISY_CORES = 0.05;
    private static final double[] PERCENTILES = {50, 90, 99, 99.9, 99.99, 100};

    private final StringBuilder text = new StringBuilder();

    /**
     * Print a line and keep it for the summary.
     *
     * @param format as {@link String#format(Locale, String, Object...)}, in the root locale.
     * @param args   of the format.
     */
    void line(final String format, final Object... args)
    {
        final String line = String.format(Locale.ROOT, format, args);
        System.out.println(line);
        text.append(line).append('\n');
    }

    /**
     * Report one phase: its two runs, pretoucher off and on, in the order they ran.
     *
     * @param phase       name.
     * @param description of the load.
     * @param runs        the two runs.
     */
    void phase(final String phase, final String description, final AppendLatencyRun[] runs)
    {
        final AppendLatencyRun off = runs[0].pretouch() ? runs[1] : runs[0];
        final AppendLatencyRun on = runs[0].pretouch() ? runs[0] : runs[1];

        line("== %s: %s, run order %s then %s ==", phase, description, onOff(runs[0].pretouch()),
            onOff(runs[1].pretouch()));
        header("all appends");
        percentiles("response  off", off.responseNs());
        percentiles("response  on", on.responseNs());
        ratios("response  off/on", off.responseNs(), on.responseNs());
        percentiles("service   off", off.serviceNs());
        percentiles("service   on", on.serviceNs());
        ratios("service   off/on", off.serviceNs(), on.serviceNs());

        if (off.rolls() > 0 || on.rolls() > 0)
        {
            header(String.format(Locale.ROOT, "first append after a roll (%d off, %d on)", off.rolls(), on.rolls()));
            percentiles("response  off", off.rollResponseNs());
            percentiles("response  on", on.rollResponseNs());
            ratios("response  off/on", off.rollResponseNs(), on.rollResponseNs());
            percentiles("service   off", off.rollServiceNs());
            percentiles("service   on", on.rollServiceNs());
            ratios("service   off/on", off.rollServiceNs(), on.rollServiceNs());
            rolls(off);
            rolls(on);
        }

        line("worst append (max response) off/on: %.2fx; p99.99 off/on: %.2fx",
            ratio(off.responseNs(), on.responseNs(), 100), ratio(off.responseNs(), on.responseNs(), 99.99));
        counters(off);
        counters(on);
        line("");
    }

    private void header(final String title)
    {
        final StringBuilder columns = new StringBuilder(String.format(Locale.ROOT, "  %-38s", title + ", us"));
        for (final double percentile : PERCENTILES)
        {
            columns.append(String.format(Locale.ROOT, " %10s", 100 == percentile ? "max" : "p" + fmt(percentile)));
        }

        line("%s", columns);
    }

    private void percentiles(final String label, final Histogram histogram)
    {
        final StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "  %-38s", label));
        for (final double percentile : PERCENTILES)
        {
            row.append(String.format(Locale.ROOT, " %10.1f", valueAt(histogram, percentile) / 1000.0));
        }

        line("%s", row);
    }

    private void ratios(final String label, final Histogram off, final Histogram on)
    {
        final StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "  %-38s", label));
        for (final double percentile : PERCENTILES)
        {
            row.append(String.format(Locale.ROOT, " %9.2fx", ratio(off, on, percentile)));
        }

        line("%s", row);
    }

    private void rolls(final AppendLatencyRun run)
    {
        int ahead = 0;
        final StringBuilder detail = new StringBuilder();
        for (int i = 0; i < run.rolls(); i++)
        {
            ahead += run.rollAhead(i) ? 1 : 0;
            detail.append(String.format(Locale.ROOT, " %.2f/%.0f%s", run.rollDelayNs(i) / 1e6, run.rollCostNs(i) / 1e3,
                run.rollAhead(i) ? "*" : ""));
        }

        line("  %-3s first appends that found the cycle already started by another excerpt: %d of %d",
            onOff(run.pretouch()), ahead, run.rolls());
        line("      per roll, began ms after the boundary / commit us (* = not the first excerpt of its cycle):%s",
            detail);
    }

    private void counters(final AppendLatencyRun run)
    {
        final double seconds = run.elapsedNs() / 1e9;
        // Ticks are sampled at 100 Hz per counter, so a quiet machine can show a hundredth below zero: clamp.
        final double otherCores = Math.max(0, run.otherProcessesCpuTicks() / CLOCK_TICKS_PER_SECOND / seconds);
        final double stolenCores = Math.max(0, run.stealTicks() / CLOCK_TICKS_PER_SECOND / seconds);
        line("  %-3s minor faults: appending thread %,d, process %,d; GC %d (%d ms); %.1f s; CPU of other processes " +
            "%.2f cores, stolen %.2f%s", onOff(run.pretouch()), run.threadMinorFaults(), run.processMinorFaults(),
            run.gcCount(), run.gcTimeMs(), seconds, otherCores, stolenCores,
            otherCores + stolenCores > NOISY_CORES ? "  << NOISY: do not use these numbers" : "");
    }

    /**
     * Write {@code summary.txt} and the histograms of every run.
     *
     * @param resultsDir folder of this harness run.
     * @param phases     the runs, by phase.
     * @throws IOException if a file cannot be written.
     */
    void write(final Path resultsDir, final List<AppendLatencyRun[]> phases) throws IOException
    {
        for (final AppendLatencyRun[] phase : phases)
        {
            for (final AppendLatencyRun run : phase)
            {
                writeHistograms(resultsDir, run);
            }
        }

        Files.writeString(resultsDir.resolve("summary.txt"), text, StandardCharsets.UTF_8);
    }

    static String onOff(final boolean pretouch)
    {
        return pretouch ? "on" : "off";
    }

    private static void writeHistograms(final Path resultsDir, final AppendLatencyRun run) throws IOException
    {
        writeHistogram(resultsDir.resolve(run.name() + "-response.hgrm"), run.responseNs());
        writeHistogram(resultsDir.resolve(run.name() + "-service.hgrm"), run.serviceNs());
        if (run.rolls() > 0)
        {
            writeHistogram(resultsDir.resolve(run.name() + "-first-after-roll-response.hgrm"), run.rollResponseNs());
            writeHistogram(resultsDir.resolve(run.name() + "-first-after-roll-service.hgrm"), run.rollServiceNs());
        }
    }

    private static void writeHistogram(final Path file, final Histogram histogram) throws IOException
    {
        try (PrintStream out = new PrintStream(Files.newOutputStream(file), false, StandardCharsets.UTF_8))
        {
            histogram.outputPercentileDistribution(out, 1000.0);
        }
    }

    private static long valueAt(final Histogram histogram, final double percentile)
    {
        return 100 == percentile ? histogram.getMaxValue() : histogram.getValueAtPercentile(percentile);
    }

    private static double ratio(final Histogram off, final Histogram on, final double percentile)
    {
        final long onValue = valueAt(on, percentile);
        return 0 == onValue ? Double.NaN : valueAt(off, percentile) / (double)onValue;
    }

    private static String fmt(final double percentile)
    {
        return percentile == Math.rint(percentile) ? Long.toString((long)percentile) : Double.toString(percentile);
    }
}
