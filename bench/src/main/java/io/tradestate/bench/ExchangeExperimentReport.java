package io.tradestate.bench;

import io.tradestate.bench.report.MachineInfo;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * The report of an {@link ExchangeExperiment} run, in its results folder: {@code summary.txt} (printed as it goes:
 * what ran, on what, the load average at the start, after each round and at the end, and one table: each exchange's
 * total time, their mean, its ratio to the no-op's, and the per-message persist time), {@code exchanges.csv} (a line
 * per variant and exchange, and a line {@code all} per variant) and each variant's persist histogram
 * ({@code <variant>-persist.hgrm} and {@code .hlog}, {@link HistogramFiles}).
 */
final class ExchangeExperimentReport
{
    /**
     * Columns of {@code exchanges.csv}.
     */
    static final String CSV_HEADER = "variant,exchange,messages,persisted,stored,total_ms,ratio_to_noop," +
        "persist_p50_us,persist_p99_us,persist_max_us,all_stored_ms,histogram";

    /**
     * The {@code exchange} of a variant's line: its mean total, its counts and its persist times.
     */
    static final String ALL_EXCHANGES = "all";

    private static final double NANOS_PER_MILLI = 1e6;
    private static final double NANOS_PER_MICRO = 1e3;

    private final StringBuilder text = new StringBuilder();
    private final String stamp;
    private final Path resultsDir;

    private ExchangeExperimentReport(final String stamp, final Path resultsDir)
    {
        this.stamp = stamp;
        this.resultsDir = resultsDir;
    }

    /**
     * A report in a new folder {@code exchange-experiment-<UTC time>}.
     *
     * @param resultsRoot where the folder goes.
     * @return the report.
     * @throws IOException if the folder cannot be created.
     */
    static ExchangeExperimentReport create(final Path resultsRoot) throws IOException
    {
        final String stamp = OffsetDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        return new ExchangeExperimentReport(
            stamp, Files.createDirectories(resultsRoot.resolve("exchange-experiment-" + stamp)));
    }

    Path resultsDir()
    {
        return resultsDir;
    }

    /**
     * What runs, on what, and the load average now.
     *
     * @param arguments the command line.
     * @param workload  the experiment's settings in a sentence.
     * @param workDir   its scratch folder.
     */
    void header(final String arguments, final String workload, final Path workDir)
    {
        final MachineInfo machine = MachineInfo.current();
        line("TradeState: the question's experiment, exchanges persisting their messages (ExchangeExperiment), %s UTC",
            stamp);
        line("command: java <flags below> -cp <bench classpath> %s %s", ExchangeExperiment.class.getName(), arguments);
        line("machine: %s, %s, %d CPUs, %s memory, %s", machine.host(), machine.cpuModel(), machine.cores(),
            machine.memory(), machine.kernel());
        line("java: %s, GC %s, max heap %,d MiB, flags: %s", machine.jdk(), machine.gc(),
            Runtime.getRuntime().maxMemory() >> 20,
            String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        line("load average at start: %s; scratch folder %s", machine.loadAverage(), workDir);
        line("workload: %s", workload);
        line("");
    }

    void round(final ExchangeRound round)
    {
        line("%-10s %s", round.variant(), round.description());
        line("%-10s done: mean exchange total %.1f ms, %,d persisted, %s stored%s; load average %s", "",
            round.meanTotalNs() / NANOS_PER_MILLI, round.persisted(), stored(round),
            storedAt(round, ", all stored at %.1f ms", ""), round.loadAverage());
    }

    void write(final List<ExchangeRound> rounds) throws IOException
    {
        final ExchangeRound noop = noop(rounds);
        final int exchanges = rounds.get(0).runs().length;
        line("");
        final StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-10s", "variant"));
        for (int i = 1; i <= exchanges; i++)
        {
            head.append(String.format(Locale.ROOT, " %9s", "ex" + i));
        }
        line("%s %9s %7s %9s %9s %9s %9s %9s %10s", head, "mean", "x no-op", "persisted", "stored", "p50 us",
            "p99 us", "max us", "stored at");
        for (final ExchangeRound round : rounds)
        {
            final StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-10s", round.variant()));
            for (final ExchangeRun run : round.runs())
            {
                row.append(String.format(Locale.ROOT, " %9.1f", run.totalNs() / NANOS_PER_MILLI));
            }
            final Histogram persistNs = round.persistNs();
            line("%s %9.1f %7s %,9d %9s %9.1f %9.1f %9.1f %10s", row, round.meanTotalNs() / NANOS_PER_MILLI,
                ratio(round.meanTotalNs(), null == noop ? Double.NaN : noop.meanTotalNs()), round.persisted(),
                stored(round), persistNs.getValueAtPercentile(50) / NANOS_PER_MICRO,
                persistNs.getValueAtPercentile(99) / NANOS_PER_MICRO, persistNs.getMaxValue() / NANOS_PER_MICRO,
                storedAt(round, "%.1f", "-"));
            HistogramFiles.write(resultsDir, histogramName(round), persistNs);
        }
        line("(ex1..: each exchange's total in ms, from its start to its last message handled; mean: theirs; " +
            "x no-op: the mean over the no-op's; persisted: the messages persist was called for; stored: those " +
            "read back from the journal or the table; p50/p99/max: the time of a persist call on the exchange " +
            "thread, in us; stored at: ms from the round's start until every persisted order was stored, the " +
            "executor's insert thread drained)");
        line("load average at end: %s", MachineInfo.loadAverageNow());

        Files.writeString(resultsDir.resolve("summary.txt"), text.toString(), StandardCharsets.UTF_8);
        Files.writeString(resultsDir.resolve("exchanges.csv"), csv(rounds, noop), StandardCharsets.UTF_8);
    }

    private static String csv(final List<ExchangeRound> rounds, final ExchangeRound noop)
    {
        final StringBuilder csv = new StringBuilder(CSV_HEADER).append('\n');
        for (final ExchangeRound round : rounds)
        {
            final String stored = ExchangeVariant.NOT_STORED == round.stored() ? "" : Long.toString(round.stored());
            final ExchangeRun[] runs = round.runs();
            for (int i = 0; i < runs.length; i++)
            {
                csvRow(csv, round.variant(), Integer.toString(runs[i].exchange()), runs[i].messages(),
                    runs[i].persistedCount(), "", runs[i].totalNs(),
                    null == noop ? Double.NaN : noop.runs()[i].totalNs(), runs[i].persistNs(), "", "");
            }
            csvRow(csv, round.variant(), ALL_EXCHANGES, runs.length * (long)runs[0].messages(), round.persisted(),
                stored, round.meanTotalNs(), null == noop ? Double.NaN : noop.meanTotalNs(), round.persistNs(),
                storedAt(round, "%.3f", ""), histogramName(round) + HistogramFiles.LOG_EXTENSION);
        }
        return csv.toString();
    }

    private static void csvRow(
        final StringBuilder csv,
        final String variant,
        final String exchange,
        final long messages,
        final long persisted,
        final String stored,
        final double totalNs,
        final double noopTotalNs,
        final Histogram persistNs,
        final String storedAt,
        final String histogram)
    {
        csv.append(String.format(Locale.ROOT, "%s,%s,%d,%d,%s,%.3f,%s,%.3f,%.3f,%.3f,%s,%s%n", variant, exchange,
            messages, persisted, stored, totalNs / NANOS_PER_MILLI, ratio(totalNs, noopTotalNs).trim(),
            persistNs.getValueAtPercentile(50) / NANOS_PER_MICRO, persistNs.getValueAtPercentile(99) / NANOS_PER_MICRO,
            persistNs.getMaxValue() / NANOS_PER_MICRO, storedAt, histogram));
    }

    private static ExchangeRound noop(final List<ExchangeRound> rounds)
    {
        for (final ExchangeRound round : rounds)
        {
            if (ExchangeVariant.NOOP.equals(round.variant()))
            {
                return round;
            }
        }
        return null;
    }

    private static String ratio(final double totalNs, final double noopTotalNs)
    {
        return Double.isNaN(noopTotalNs) || noopTotalNs <= 0 ? "" : String.format(Locale.ROOT, "%.3f",
            totalNs / noopTotalNs);
    }

    private static String stored(final ExchangeRound round)
    {
        return ExchangeVariant.NOT_STORED == round.stored() ? "-" : String.format(Locale.ROOT, "%,d", round.stored());
    }

    /**
     * When every persisted order of a round was stored, in ms from its start, formatted; {@code none} for the no-op.
     */
    private static String storedAt(final ExchangeRound round, final String format, final String none)
    {
        return ExchangeVariant.NOT_STORED == round.stored() ? none :
            String.format(Locale.ROOT, format, round.allStoredNs() / NANOS_PER_MILLI);
    }

    private static String histogramName(final ExchangeRound round)
    {
        return round.variant() + "-persist";
    }

    private void line(final String format, final Object... args)
    {
        final String line = String.format(Locale.ROOT, format, args);
        System.out.println(line);
        text.append(line).append('\n');
    }
}
