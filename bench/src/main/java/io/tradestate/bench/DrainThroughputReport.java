package io.tradestate.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Locale;

/**
 * The report of a {@link DrainThroughputHarness} run, printed as it goes and written to {@code summary.txt}: the
 * rates of the three variants and their ratios, the agent's allocation, CPU and batch sizes, who used the machine
 * meanwhile, and the checks.
 */
final class DrainThroughputReport
{
    /**
     * Columns of {@code rates.csv}, one line per variant, for the report generator.
     */
    static final String RATES_CSV_HEADER = "variant,events_per_s,steady_events_per_s,elapsed_s,first_commit_s";

    private final StringBuilder text = new StringBuilder();
    private final Map<String, String> ratesCsv = new LinkedHashMap<>();

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
     * The header of the rates table.
     */
    void ratesHeader()
    {
        line("%-34s %12s %16s %10s %14s", "variant", "events/s", "steady events/s", "elapsed", "first commit");
    }

    /**
     * One row of the rates table, also written to {@code rates.csv} (a run of several rounds writes its medians last,
     * and they are the rows the file keeps: see {@link #write}).
     *
     * @param name  of the variant.
     * @param rates its rates.
     */
    void rates(final String name, final DrainRates rates)
    {
        line("%-34s %,12.0f %16s %8.2f s %12.3f s", name, rates.eventsPerS(), rate(rates.steadyEventsPerS()),
            rates.elapsedS(), rates.firstCommitS());
        // A variant's name may hold commas; the file's readers split on them.
        ratesCsv.put(name, String.format(Locale.ROOT, "%s,%.0f,%s,%.3f,%.3f%n", name.replace(',', ';'),
            rates.eventsPerS(), Double.isNaN(rates.steadyEventsPerS()) ? "" :
            String.format(Locale.ROOT, "%.0f", rates.steadyEventsPerS()), rates.elapsedS(), rates.firstCommitS()));
    }

    /**
     * A ratio of rates, overall and steady.
     *
     * @param name   e.g. {@code agent / COPY binary}.
     * @param ratio  of the events per second.
     * @param steady of the steady events per second; NaN if a variant took under 2 s.
     */
    void ratio(final String name, final double ratio, final double steady)
    {
        line("  %-32s %6.3f   (steady %s)", name, ratio,
            Double.isNaN(steady) ? "n/a: a variant took under 2 s" : String.format(Locale.ROOT, "%.3f", steady));
    }

    private static String rate(final double eventsPerSecond)
    {
        return Double.isNaN(eventsPerSecond) ? "n/a" : String.format(Locale.ROOT, "%,.0f", eventsPerSecond);
    }

    /**
     * Count, min, median, p90, max and mean of batch sizes.
     *
     * @param name  what they are.
     * @param sizes the sizes, in any order; sorted in place.
     */
    void sizes(final String name, final long[] sizes)
    {
        if (0 == sizes.length)
        {
            line("%s: none", name);
            return;
        }
        Arrays.sort(sizes);
        final double mean = Arrays.stream(sizes).average().orElse(0);
        line("%s: %,d transactions; min %,d, median %,d, p90 %,d, max %,d, mean %,.0f", name, sizes.length, sizes[0],
            sizes[(sizes.length - 1) / 2], sizes[(int)Math.ceil(0.9 * sizes.length) - 1], sizes[sizes.length - 1],
            mean);
    }

    /**
     * Write what was printed to {@code summary.txt}, and the rates to {@code rates.csv}: one row per variant, the
     * last rates reported of it (the medians, in a run of several rounds).
     *
     * @param resultsDir folder of the run.
     * @throws IOException if it cannot be written.
     */
    void write(final Path resultsDir) throws IOException
    {
        Files.writeString(resultsDir.resolve("summary.txt"), text.toString(), StandardCharsets.UTF_8);
        final StringBuilder csv = new StringBuilder(RATES_CSV_HEADER).append('\n');
        for (final String row : ratesCsv.values())
        {
            csv.append(row);
        }
        Files.writeString(resultsDir.resolve("rates.csv"), csv.toString(), StandardCharsets.UTF_8);
    }
}
