package io.tradestate.bench;

import io.tradestate.bench.report.LatencyPlot;
import io.tradestate.bench.report.MachineInfo;
import io.tradestate.bench.report.TimeSeriesPlot;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;

/**
 * The results of a {@link LoadCampaign}: {@code load.md} (the figures, how they were measured, nothing lost),
 * the plots of the agent over time ({@code lag.png}, {@code memory.png}, {@code batches.png},
 * {@code throughput.png}) and of the append latency with and without the drainer ({@code append-latency.png}).
 * The samples are in {@code load.csv} ({@link LoadSampler}), the histograms beside them ({@link HistogramFiles}).
 */
final class LoadReport
{
    static final String REPORT_FILE = "load.md";
    static final String CSV_FILE = "load.csv";
    static final String VERIFY_FILE = "verify.txt";

    private static final double[] PERCENTILES = {50, 90, 99, 99.9, 99.99};

    private final Path resultsDir;
    private final String arguments;
    private final MachineInfo machine;
    private final OffsetDateTime started;
    private final LoadCampaign campaign;
    private final StringBuilder md = new StringBuilder(16_384);

    LoadReport(
        final Path resultsDir,
        final String arguments,
        final MachineInfo machine,
        final OffsetDateTime started,
        final LoadCampaign campaign)
    {
        this.resultsDir = resultsDir;
        this.arguments = arguments;
        this.machine = machine;
        this.started = started;
        this.campaign = campaign;
    }

    /**
     * Write the plots and {@code load.md}.
     *
     * @param drained   the run with the reader agent.
     * @param undrained the run without, or null if skipped.
     * @throws IOException if a file cannot be written.
     */
    void write(final LoadRun drained, final LoadRun undrained) throws IOException
    {
        plots(drained, undrained);
        header(drained, undrained);
        agent(drained);
        latency(drained, undrained);
        lost(drained);
        files();
        Files.writeString(resultsDir.resolve(REPORT_FILE), md.toString(), StandardCharsets.UTF_8);
    }

    private void header(final LoadRun drained, final LoadRun undrained)
    {
        line("# Load campaign `%s`", resultsDir.getFileName());
        line("");
        line("Started %s UTC. Command: `LoadCampaign %s`.", started.format(DateTimeFormatter.ofPattern(
            "yyyy-MM-dd HH:mm:ss")), arguments.isEmpty() ? "(defaults)" : arguments);
        line("");
        line("Machine: %s, %s, %d cores, %s, %s, %s. Load average at the start %s, at the end %s.",
            machine.host(), machine.cpuModel(), machine.cores(), machine.memory(), machine.kernel(), machine.jdk(),
            machine.loadAverage(), MachineInfo.loadAverageNow());
        line("");
        line("**Workload.** %d strategy JVM(s), one source each, appending through `TradeJournal` (defaults: " +
            "pretoucher, heartbeats) the drain harness's mix (per 32 events: 16 order updates, 7 fills, 4 trade " +
            "updates, 4 balance updates, 1 pair lock or unlock). Burst: %s for %.0f s. Then open loop at %,d " +
            "events/s in all (the design load; each event's latency from its intended send time) until the agent " +
            "has caught up (every source's oldest uncommitted event under 1 s old), and %.0f s more.",
            campaign.writers(), 0 == campaign.burstRate() ? "flat out (each append right after the previous)" :
            String.format(Locale.ROOT, "open loop at %,d events/s", campaign.burstRate()), campaign.burstSeconds(),
            campaign.catchupRate(), campaign.tailSeconds());
        line("");
        line("**Reader agent.** `ReaderAgentMain` in its own JVM (`%s`), every setting its default but the " +
            "folders and ports: embedded PostgreSQL (fsync and synchronous commit on), batches of up to 10,000 " +
            "events, state publisher on. Sampled every second by the harness: its `/metrics` and `/proc`.",
            String.join(" ", campaign.agentHeap()));
        line("");
        line("| run | burst | burst events | burst s | burst events/s | after the burst: events | s | other " +
            "cores after the burst |");
        line("|---|---|---:|---:|---:|---:|---:|---:|");
        for (final LoadRun run : runs(drained, undrained))
        {
            line("| %s | %s | %,.0f | %.1f | %,.0f | %,.0f | %.1f | %.2f |", run.name(), 0 == run.burstRate() ?
                "flat out" : String.format(Locale.ROOT, "open loop at %,d/s", run.burstRate()),
                run.writersSum("burstEvents"), run.writersMax("burstSeconds"),
                run.writersSum("burstEvents") / run.writersMax("burstSeconds"), run.writersSum("catchupEvents"),
                run.writersMax("catchupSeconds"), run.writersMax("machineCores") - run.writersSum("writerCores"));
        }
        line("");
        line("The run without the drainer appends the same events at the same pace as the run with it: its burst is " +
            "open loop at the rate the first run's burst achieved. *Other cores after the burst*: cores the machine " +
            "used, but for the strategies' JVMs, while they appended at the design load (the agent and PostgreSQL " +
            "in the first run; the machine's other users in both).");
        line("");
    }

    private void agent(final LoadRun run)
    {
        final List<LoadSample> samples = run.samples();
        final Predicate<LoadSample> burst = (s) -> "burst".equals(s.phase());
        final Predicate<LoadSample> catchup = (s) -> "catch-up".equals(s.phase());
        final Predicate<LoadSample> busy = burst.or(catchup);
        final Predicate<LoadSample> tail = (s) -> "tail".equals(s.phase());
        final LoadSample peak = samples.stream().filter((s) -> !Double.isNaN(s.lagEvents()))
            .max((a, b) -> Double.compare(a.lagEvents(), b.lagEvents())).orElse(null);

        line("## The reader agent during the burst and the catch-up");
        line("");
        line("| figure | burst | catch-up | after (design load) |");
        line("|---|---:|---:|---:|");
        line("| seconds | %.1f | %.1f | %.1f |", run.burstEndS(), run.caughtUpS() - run.burstEndS(),
            run.stopS() - run.caughtUpS());
        line("| events appended/s, median of the seconds | %,.0f | %,.0f | %,.0f |",
            median(samples, burst, LoadSample::appendedPerS), median(samples, catchup, LoadSample::appendedPerS),
            median(samples, tail, LoadSample::appendedPerS));
        line("| events committed/s, median | %,.0f | %,.0f | %,.0f |",
            median(samples, burst, LoadSample::committedPerS), median(samples, catchup, LoadSample::committedPerS),
            median(samples, tail, LoadSample::committedPerS));
        line("| events per batch, median (max) | %s | %s | %s |", medianMax(samples, burst),
            medianMax(samples, catchup), medianMax(samples, tail));
        line("| write + commit per batch, ms, median | %.1f | %.1f | %.1f |",
            median(samples, burst, LoadSample::meanCommitMs), median(samples, catchup, LoadSample::meanCommitMs),
            median(samples, tail, LoadSample::meanCommitMs));
        line("| lag at the end, events | %,.0f | %,.0f | %,.0f |", lagAt(samples, run.burstEndS()),
            lagAt(samples, run.caughtUpS()), lagAt(samples, run.stopS()));
        line("| agent JVM cores, median | %.2f | %.2f | %.2f |", median(samples, burst, LoadSample::agentCores),
            median(samples, catchup, LoadSample::agentCores), median(samples, tail, LoadSample::agentCores));
        line("| PostgreSQL cores, median | %.2f | %.2f | %.2f |", median(samples, burst, LoadSample::postgresCores),
            median(samples, catchup, LoadSample::postgresCores), median(samples, tail, LoadSample::postgresCores));
        line("| machine cores, median | %.2f | %.2f | %.2f |", median(samples, burst, LoadSample::machineCores),
            median(samples, catchup, LoadSample::machineCores), median(samples, tail, LoadSample::machineCores));
        line("");
        line("Peak lag **%,.0f events** at %.0f s; caught up %.1f s after the burst ended; lag 0 %.1f s after the " +
            "strategies stopped. Memory of the agent's JVM over the whole run: heap used max %.0f MB (median %.0f " +
            "during the burst and catch-up), heap committed max %.0f MB; resident (VmRSS) max %.0f MB, of which " +
            "anonymous max %.0f MB and mapped files max %.0f MB; PostgreSQL (Pss of all its processes) max %.0f " +
            "MB. %,.0f GCs in the agent. State map entries dropped (maps full): %,.0f. Agent exit code %d, %d WARN " +
            "or ERROR lines in its log.",
            null == peak ? Double.NaN : peak.lagEvents(), null == peak ? Double.NaN : peak.elapsedS(),
            run.caughtUpS() - run.burstEndS(), run.drainedS() - run.stopS(),
            max(samples, (s) -> true, LoadSample::heapUsedMb), median(samples, busy, LoadSample::heapUsedMb),
            max(samples, (s) -> true, LoadSample::heapCommittedMb), max(samples, (s) -> true, LoadSample::rssMb),
            max(samples, (s) -> true, LoadSample::rssAnonMb), max(samples, (s) -> true, LoadSample::rssFileMb),
            max(samples, (s) -> true, LoadSample::postgresPssMb), sum(samples, LoadSample::gcCollections),
            samples.isEmpty() ? Double.NaN : samples.get(samples.size() - 1).stateDroppedTotal(), run.agentExit(),
            run.agentWarnings());
        line("");
        line("![lag](lag.png)");
        line("![memory](memory.png)");
        line("![batches](batches.png)");
        line("![throughput](throughput.png)");
        line("");
    }

    private void latency(final LoadRun drained, final LoadRun undrained)
    {
        line("## Append latency with and without the drainer");
        line("");
        line("The same strategies and events, run twice: first with the reader agent catching up, then with no " +
            "agent at all. After the burst (catch-up and the %.0f s after): open loop at the design load, " +
            "microseconds from each event's intended send time to `commit()` returned (response), and `commit()` " +
            "alone (service). Burst: `commit()` alone, the time of each append (flat out there is no intended " +
            "time to measure from).", campaign.tailSeconds());
        line("");
        if (null == undrained)
        {
            line("No run without the drainer (`--no-baseline`).");
            line("");
            return;
        }
        table("After the burst, response time, open loop at the design load", drained.catchupNs(),
            undrained.catchupNs());
        table("After the burst, service time (`commit()` alone)", drained.catchupServiceNs(),
            undrained.catchupServiceNs());
        table("Burst, service time (`commit()` alone)", drained.burstServiceNs(), undrained.burstServiceNs());
        line("![append latency](append-latency.png)");
        line("");
    }

    private void table(final String title, final Histogram with, final Histogram without)
    {
        line("**%s** (%,d and %,d events)", title, with.getTotalCount(), without.getTotalCount());
        line("");
        line("| | p50 | p90 | p99 | p99.9 | p99.99 | max |");
        line("|---|---:|---:|---:|---:|---:|---:|");
        final StringBuilder withRow = new StringBuilder("| drainer running |");
        final StringBuilder withoutRow = new StringBuilder("| no drainer |");
        final StringBuilder ratioRow = new StringBuilder("| ratio |");
        for (int i = 0; i <= PERCENTILES.length; i++)
        {
            final long a = i < PERCENTILES.length ? with.getValueAtPercentile(PERCENTILES[i]) : with.getMaxValue();
            final long b = i < PERCENTILES.length ? without.getValueAtPercentile(PERCENTILES[i]) :
                without.getMaxValue();
            withRow.append(' ').append(micros(a)).append(" |");
            withoutRow.append(' ').append(micros(b)).append(" |");
            ratioRow.append(String.format(Locale.ROOT, " %.2f |", b > 0 ? a / (double)b : Double.NaN));
        }
        line("%s", withRow);
        line("%s", withoutRow);
        line("%s", ratioRow);
        line("");
    }

    private void lost(final LoadRun run)
    {
        final LoadVerification verification = run.verification();
        line("## Nothing lost, nothing twice");
        line("");
        line("Once the strategies had stopped and the lag was 0: `tradestate verify` (every journal entry against " +
            "the database, column for column, checkpoints%s) said: `%s` (exit code %d, report in " +
            "[`%s`](%s)). Rows per source against the events each strategy committed:",
            verification.stateChecked() ? ", and the state maps against the current-state tables" : "; the state " +
            "maps not compared, as entries were dropped from full maps", verification.verifyLast(),
            verification.verifyExit(), VERIFY_FILE, VERIFY_FILE);
        line("");
        line("| source | appended (commit returned) | history rows | checkpoint entries |");
        line("|---|---:|---:|---:|");
        for (final Map.Entry<String, Long> source : verification.appended().entrySet())
        {
            line("| %s | %,d | %,d | %,d |", source.getKey(), source.getValue(),
                verification.stored().getOrDefault(source.getKey(), 0L),
                verification.checkpoints().getOrDefault(source.getKey(), 0L));
        }
        line("");
        line("**%s**: %,d events appended, %,d stored.", verification.clean() ? "Every event stored once" :
            "EVENTS LOST OR STORED TWICE", verification.appendedTotal(), verification.storedTotal());
        line("");
    }

    private void files()
    {
        line("## Files");
        line("");
        line("- `%s`: one row per second: phase, appended/s, committed/s, batches/s, mean events per batch, the " +
            "largest batch's events (to its histogram bucket), mean write+commit ms, lag (total and per source), " +
            "oldest uncommitted event's age, heap used and committed, RSS (anonymous and file), PostgreSQL Pss, " +
            "cores of the agent, PostgreSQL and the machine, GCs, state events applied/s, state entries dropped.",
            CSV_FILE);
        line("- `drainer-*.hgrm`, `no-drainer-*.hgrm` (and `.hlog`): the append histograms, all strategies merged.");
        line("- `%s`: the verify's report; `agent.log`: the reader agent's log.", VERIFY_FILE);
    }

    private void plots(final LoadRun drained, final LoadRun undrained) throws IOException
    {
        final List<LoadSample> samples = drained.samples();
        final double[] x = series(samples, LoadSample::elapsedS);
        final TimeSeriesPlot lag = markers(new TimeSeriesPlot("Reader agent lag: events appended, not committed",
            "events", LoadReport::count), drained);
        lag.series("all sources", x, series(samples, LoadSample::lagEvents));
        final List<String> sources = new ArrayList<>(drained.appendedBySource().keySet());
        if (sources.size() > 1)
        {
            for (final String source : sources)
            {
                lag.series(source, x, series(samples, (s) -> s.lagEvents(source)));
            }
        }
        lag.write(resultsDir.resolve("lag.png"));

        markers(new TimeSeriesPlot("Reader agent memory", "MB", LoadReport::count), drained)
            .series("heap used", x, series(samples, LoadSample::heapUsedMb))
            .series("heap committed", x, series(samples, LoadSample::heapCommittedMb))
            .series("JVM resident (VmRSS)", x, series(samples, LoadSample::rssMb))
            .series("JVM resident, anonymous", x, series(samples, LoadSample::rssAnonMb))
            .series("JVM resident, mapped files", x, series(samples, LoadSample::rssFileMb))
            .series("PostgreSQL (Pss)", x, series(samples, LoadSample::postgresPssMb))
            .write(resultsDir.resolve("memory.png"));

        markers(new TimeSeriesPlot("Batch sizes: events per committed batch", "events", LoadReport::count), drained)
            .series("mean of the second", x, series(samples, LoadSample::meanBatchEvents))
            .series("largest batch (bucket bound)", x, series(samples, LoadSample::largestBatchEvents))
            .write(resultsDir.resolve("batches.png"));

        markers(new TimeSeriesPlot("Appended and committed", "events/s", LoadReport::count), drained)
            .series("appended/s", x, series(samples, LoadSample::appendedPerS))
            .series("committed/s", x, series(samples, LoadSample::committedPerS))
            .write(resultsDir.resolve("throughput.png"));

        final LatencyPlot latency = new LatencyPlot("Append latency, strategies' JVMs")
            .curve("after the burst, drainer running", drained.catchupNs());
        if (null != undrained)
        {
            latency.curve("after the burst, no drainer", undrained.catchupNs());
        }
        latency.curve("burst (service), drainer running", drained.burstServiceNs());
        if (null != undrained)
        {
            latency.curve("burst (service), no drainer", undrained.burstServiceNs());
        }
        latency.write(resultsDir.resolve("append-latency.png"));
    }

    private static TimeSeriesPlot markers(final TimeSeriesPlot plot, final LoadRun run)
    {
        return plot.marker("burst ends", run.burstEndS()).marker("caught up", run.caughtUpS())
            .marker("strategies stop", run.stopS());
    }

    private static double[] series(final List<LoadSample> samples, final ToDoubleFunction<LoadSample> value)
    {
        return samples.stream().mapToDouble(value).toArray();
    }

    private static double median(
        final List<LoadSample> samples, final Predicate<LoadSample> which, final ToDoubleFunction<LoadSample> value)
    {
        final double[] values = samples.stream().filter(which).mapToDouble(value).filter((v) -> !Double.isNaN(v))
            .sorted().toArray();
        return 0 == values.length ? Double.NaN : values.length % 2 == 1 ? values[values.length / 2] :
            (values[values.length / 2 - 1] + values[values.length / 2]) / 2;
    }

    private static double max(
        final List<LoadSample> samples, final Predicate<LoadSample> which, final ToDoubleFunction<LoadSample> value)
    {
        return samples.stream().filter(which).mapToDouble(value).filter((v) -> !Double.isNaN(v)).max()
            .orElse(Double.NaN);
    }

    private static double sum(final List<LoadSample> samples, final ToDoubleFunction<LoadSample> value)
    {
        return samples.stream().mapToDouble(value).filter((v) -> !Double.isNaN(v)).sum();
    }

    private static String medianMax(final List<LoadSample> samples, final Predicate<LoadSample> which)
    {
        return String.format(Locale.ROOT, "%,.0f (%,.0f)", median(samples, which, LoadSample::meanBatchEvents),
            max(samples, which, LoadSample::meanBatchEvents));
    }

    private static double lagAt(final List<LoadSample> samples, final double elapsedS)
    {
        double lag = Double.NaN;
        for (final LoadSample sample : samples)
        {
            if (sample.elapsedS() > elapsedS + 0.001)
            {
                break;
            }
            if (!Double.isNaN(sample.lagEvents()))
            {
                lag = sample.lagEvents();
            }
        }
        return lag;
    }

    private static List<LoadRun> runs(final LoadRun drained, final LoadRun undrained)
    {
        return null == undrained ? List.of(drained) : Arrays.asList(drained, undrained);
    }

    private static String count(final double value)
    {
        return String.format(Locale.ROOT, "%,.0f", value);
    }

    private static String micros(final long nanos)
    {
        final double micros = nanos / 1000.0;
        return micros >= 100 ? String.format(Locale.ROOT, "%,.0f", micros) : String.format(Locale.ROOT, "%.1f",
            micros);
    }

    private void line(final String format, final Object... args)
    {
        md.append(String.format(Locale.ROOT, format, args)).append('\n');
    }
}
