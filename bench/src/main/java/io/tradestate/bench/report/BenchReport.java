package io.tradestate.bench.report;

import io.tradestate.bench.HistogramFiles;
import io.tradestate.bench.jmh.JmhReport;
import org.HdrHistogram.Histogram;

import java.awt.Color;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Writes {@code REPORT.md} and its plots from the results in one report folder: the JMH suite's {@code jmh-*}
 * folder, the drain throughput harness's {@code drain-throughput-*}, the end-to-end latency harness's
 * {@code end-to-end-*} and the sparse append harness's {@code sparse-append-*} (the newest of each; a part that is
 * missing is reported as not run), and {@code run.properties} ({@link BenchReportMain}: profile, commands, exit
 * codes, machine, load). The plots go to {@code plots/}: one latency
 * percentile plot per end-to-end run, the drainer throughput bars and the JMH times.
 * <pre>
 * java -cp ... io.tradestate.bench.report.BenchReport bench/results/&lt;date&gt;-&lt;machine&gt;
 * </pre>
 * regenerates the report of a folder.
 */
public final class BenchReport
{
    /**
     * Name of the report's own properties file in the report folder.
     */
    public static final String RUN_PROPERTIES = "run.properties";

    private static final double[] PERCENTILES = {50, 90, 99, 99.9, 99.99};
    private static final String[][] MEASUREMENTS =
    {
        {"append", "Append, in the strategy JVM (intended send time to `commit()` returned)"},
        {"append-service", "Append service time (`commit()` alone; not open loop, for reference)"},
        {"read", "Append to read by a tailer in another JVM"},
        {"state-map", "Append to visible in the state map (reader agent in another JVM)"},
        {"commit", "Append to committed in PostgreSQL (reader agent in another JVM, fsync on)"},
    };
    private static final Pattern ALLOCATION = Pattern.compile(
        "drain threads? allocated ([0-9.,]+) B/event.*?\\(([^)]*) B/event after the first second\\)");
    private static final Pattern CONDITIONS = Pattern.compile("conditions: (.*)");
    private static final Pattern CHECK = Pattern.compile("check: every event stored once in each variant: (\\w+)");

    private final Path folder;
    private final Path plots;
    private final Properties run = new Properties();
    private final StringBuilder md = new StringBuilder();

    private BenchReport(final Path folder) throws IOException
    {
        this.folder = folder;
        this.plots = Files.createDirectories(folder.resolve("plots"));
        final Path properties = folder.resolve(RUN_PROPERTIES);
        if (Files.exists(properties))
        {
            try (InputStream in = Files.newInputStream(properties))
            {
                run.load(in);
            }
        }
    }

    /**
     * Regenerate the report of a folder.
     *
     * @param args the report folder.
     * @throws IOException if a file cannot be read or written.
     */
    public static void main(final String[] args) throws IOException
    {
        System.setProperty("java.awt.headless", "true");
        System.out.println("written " + write(Paths.get(args[0])));
    }

    /**
     * Write {@code REPORT.md} and the plots of a report folder.
     *
     * @param folder the report folder.
     * @return the path of {@code REPORT.md}.
     * @throws IOException if a file cannot be read or written.
     */
    public static Path write(final Path folder) throws IOException
    {
        System.setProperty("java.awt.headless", "true");
        final BenchReport report = new BenchReport(folder);
        report.generate();
        final Path file = folder.resolve("REPORT.md");
        Files.writeString(file, report.md.toString(), StandardCharsets.UTF_8);
        return file;
    }

    private void generate() throws IOException
    {
        final String title = folder.getFileName().toString();
        md.append("# TradeState benchmark report `").append(title).append("`\n\n");
        md.append(String.format(Locale.ROOT, "Profile **%s**, started %s UTC, took %s. Command: `%s`.%n%n",
            run.getProperty("profile", "unknown"), run.getProperty("started", "?"), run.getProperty("took", "?"),
            run.getProperty("command", "?")));
        md.append("All parts ran one after another on the same machine, each harness in JVMs of its own. ");
        md.append("On a machine shared with other work the numbers are noisy: see the load averages below and each ");
        md.append("part's own summary before quoting them.\n\n");
        machine();
        latency();
        jmh();
        drain();
        sparse();
        files();
    }

    private void machine()
    {
        md.append("## Machine\n\n| | |\n|---|---|\n");
        row("host", run.getProperty("host", "?"));
        row("CPU", run.getProperty("cpu", "?"));
        row("cores", run.getProperty("cores", "?"));
        row("memory", run.getProperty("memory", "?"));
        row("kernel", run.getProperty("kernel", "?"));
        row("JDK", run.getProperty("jdk", "?"));
        row("GC", run.getProperty("gc", "?") + " (the JDK's default: no GC flag is set)");
        row("JVM flags (every JVM)", "`" + run.getProperty("jvmFlags", "?") + "`");
        row("heap per JVM", run.getProperty("heaps", "?"));
        row("load average", "before " + run.getProperty("loadBefore", "?") + "; after " +
            run.getProperty("loadAfter", "?"));
        md.append('\n');
    }

    private void row(final String key, final String value)
    {
        md.append("| ").append(key).append(" | ").append(value.replace("|", "\\|")).append(" |\n");
    }

    private void latency() throws IOException
    {
        md.append("## 1. End-to-end latency under load, open loop\n\n");
        final Path dir = newest("end-to-end-");
        if (null == dir || !Files.exists(dir.resolve("runs.csv")))
        {
            md.append("Not run").append(exitNote("latency")).append(".\n\n");
            return;
        }
        final List<Map<String, String>> rows = readCsv(dir.resolve("runs.csv"));
        md.append("`OrderUpdate` events appended at a fixed rate by a strategy JVM, each stamped with its intended ");
        md.append("send time; every latency runs from that time, so a stall counts against every event it delayed ");
        md.append("(no coordinated omission). The journal rolls every second (`TEST_SECONDLY`), so every run crosses ");
        md.append("rolls. Microseconds. A stage *sustained* the rate if it had the last event within 250 ms (or 5% ");
        md.append("of the run) of its intended time. Details: [`").append(dir.getFileName()).append("/summary.txt`](")
            .append(dir.getFileName()).append("/summary.txt); one `.hgrm` file per histogram beside it.\n\n");
        sustainedSummary(rows);

        for (final String[] measurement : MEASUREMENTS)
        {
            final List<Map<String, String>> selected = new ArrayList<>();
            for (final Map<String, String> row : rows)
            {
                if (measurement[0].equals(row.get("measurement")))
                {
                    selected.add(row);
                }
            }
            if (selected.isEmpty())
            {
                continue;
            }
            md.append("### ").append(measurement[1]).append("\n\n");
            md.append("| run | rate/s | events | p50 | p90 | p99 | p99.9 | p99.99 | max | achieved/s | sustained |\n");
            md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
            for (final Map<String, String> row : selected)
            {
                final Histogram histogram = HistogramFiles.read(dir.resolve(row.get("file")));
                md.append(String.format(Locale.ROOT, "| %s | %,d | %,d", row.get("run"),
                    Long.parseLong(row.get("rate")), histogram.getTotalCount()));
                for (final double percentile : PERCENTILES)
                {
                    md.append(" | ").append(micros(histogram.getValueAtPercentile(percentile)));
                }
                md.append(" | ").append(micros(histogram.getMaxValue()));
                final String achieved = row.get("achieved_per_s");
                md.append(" | ").append(achieved.isEmpty() ? "" :
                    String.format(Locale.ROOT, "%,d", Long.parseLong(achieved)));
                md.append(" | ").append(achieved.isEmpty() ? "" : Boolean.parseBoolean(row.get("sustained")) ?
                    "yes" : "**no**").append(Boolean.parseBoolean(row.get("complete")) ? "" : " (incomplete)")
                    .append(" |\n");
            }
            md.append('\n');
        }

        md.append("### Percentile plots\n\n");
        final Map<String, List<Map<String, String>>> byRun = new LinkedHashMap<>();
        for (final Map<String, String> row : rows)
        {
            byRun.computeIfAbsent(row.get("run"), (key) -> new ArrayList<>()).add(row);
        }
        for (final Map.Entry<String, List<Map<String, String>>> entry : byRun.entrySet())
        {
            final Map<String, String> first = entry.getValue().get(0);
            final LatencyPlot plot = new LatencyPlot(String.format(Locale.ROOT, "%s: %,d events at %,d/s",
                entry.getKey(), Long.parseLong(first.get("events")), Long.parseLong(first.get("rate"))));
            for (final Map<String, String> row : entry.getValue())
            {
                plot.curve(curveName(row.get("measurement")), HistogramFiles.read(dir.resolve(row.get("file"))));
            }
            final String png = "latency-" + entry.getKey() + ".png";
            plot.write(plots.resolve(png));
            md.append("![").append(entry.getKey()).append("](plots/").append(png).append(")\n\n");
        }
    }

    private void sustainedSummary(final List<Map<String, String>> rows)
    {
        long appendMax = 0;
        long commitMax = 0;
        final List<String> failed = new ArrayList<>();
        final Map<String, Boolean> tailerRuns = new LinkedHashMap<>();
        for (final Map<String, String> row : rows)
        {
            final long rate = Long.parseLong(row.get("rate"));
            final boolean sustained = Boolean.parseBoolean(row.get("sustained"));
            final String measurement = row.get("measurement");
            if ("tailer".equals(row.get("mode")) && ("append".equals(measurement) || "read".equals(measurement)))
            {
                tailerRuns.merge(row.get("run") + " " + rate, sustained, Boolean::logicalAnd);
            }
            if ("commit".equals(measurement) && sustained)
            {
                commitMax = Math.max(commitMax, rate);
            }
            if (!sustained && !row.get("achieved_per_s").isEmpty())
            {
                failed.add(String.format(Locale.ROOT, "%s %s at %,d/s (achieved %,d/s)", row.get("run"), measurement,
                    rate, Long.parseLong(row.get("achieved_per_s"))));
            }
        }
        for (final Map.Entry<String, Boolean> entry : tailerRuns.entrySet())
        {
            if (entry.getValue())
            {
                appendMax = Math.max(appendMax, Long.parseLong(entry.getKey().split(" ")[1]));
            }
        }
        md.append(String.format(Locale.ROOT, "**Highest rate sustained on this machine**: append and tailer %,d " +
            "events/s; append to PostgreSQL commit %,d events/s (measured, from the runs below).", appendMax,
            commitMax));
        if (!failed.isEmpty())
        {
            md.append(" Not sustained: ").append(String.join("; ", failed)).append('.');
        }
        md.append("\n\n");
    }

    private static String curveName(final String measurement)
    {
        return switch (measurement)
        {
            case "append" -> "append (from intended time)";
            case "append-service" -> "append service (commit() alone)";
            case "read" -> "append -> tailer in another JVM";
            case "state-map" -> "append -> visible in state map";
            case "commit" -> "append -> PostgreSQL commit";
            default -> measurement;
        };
    }

    private void jmh() throws IOException
    {
        md.append("## 2. Per-operation cost (JMH)\n\n");
        final Path dir = newest("jmh-");
        if (null == dir || !Files.exists(dir.resolve("jmh.json")))
        {
            md.append("Not run").append(exitNote("jmh")).append(".\n\n");
            return;
        }
        final JmhReport report = JmhReport.read(dir.resolve("jmh.json"));
        md.append("Average time per operation with `-prof gc`; the ratio is the row's time over TradeState's ");
        md.append("(the `OrderUpdate` append for B0-B5, the view's order lookup for B6-B7). JSON and report: [`")
            .append(dir.getFileName()).append("/`](").append(dir.getFileName()).append("/report.md)")
            .append(exitNote("jmh")).append(".\n\n");
        final String table = report.markdown("");
        md.append(table.substring(table.indexOf('\n') + 1).trim()).append("\n\n");

        final BarChart chart = new BarChart("JMH: average time per operation (log scale)", List.of("ns/op"), true,
            (value) -> LatencyPlot.nanosLabel(value));
        for (final String benchmark : report.benchmarksInReportOrder())
        {
            final double nanos = report.nanosPerOp(benchmark);
            if (!Double.isNaN(nanos))
            {
                chart.row(JmhReport.label(benchmark), new double[]{nanos},
                    benchmark.startsWith("TradeState") ? new Color(0x2ca02c) : null);
            }
        }
        chart.write(plots.resolve("jmh.png"));
        md.append("![JMH](plots/jmh.png)\n\n");
    }

    private void drain() throws IOException
    {
        md.append("## 3. Drainer throughput\n\n");
        final Path dir = newest("drain-throughput-");
        if (null == dir || !Files.exists(dir.resolve("rates.csv")))
        {
            md.append("Not run").append(exitNote("drain")).append(".\n\n");
            return;
        }
        final List<Map<String, String>> rows = readCsv(dir.resolve("rates.csv"));
        final String summary = Files.readString(dir.resolve("summary.txt"), StandardCharsets.UTF_8);
        md.append("Events per second from pre-filled journals into PostgreSQL (fsync on), the reader agent against ");
        md.append("a bare JDBC binary COPY of the same history rows (the floor) and batched INSERT with ");
        md.append("`reWriteBatchedInserts`; the baselines store the history rows only. Summary: [`")
            .append(dir.getFileName()).append("/summary.txt`](").append(dir.getFileName()).append("/summary.txt)")
            .append(exitNote("drain")).append(".\n\n");
        final double agent = rate(rows.get(0), "events_per_s");
        final double agentSteady = rate(rows.get(0), "steady_events_per_s");
        md.append("| variant | events/s | steady events/s | agent / this (events/s) | agent / this (steady) |\n");
        md.append("|---|---:|---:|---:|---:|\n");
        final BarChart chart = new BarChart("Drainer throughput into PostgreSQL (events/s)",
            List.of("events/s", "steady (after the first second)"), false, BarChart::rate);
        for (final Map<String, String> row : rows)
        {
            final double rate = rate(row, "events_per_s");
            final double steady = rate(row, "steady_events_per_s");
            md.append(String.format(Locale.ROOT, "| %s | %,.0f | %s | %.2f | %s |%n", row.get("variant"), rate,
                Double.isNaN(steady) ? "n/a" : String.format(Locale.ROOT, "%,.0f", steady), agent / rate,
                Double.isNaN(steady) ? "n/a" : String.format(Locale.ROOT, "%.2f", agentSteady / steady)));
            chart.row(row.get("variant"), new double[]{rate, steady}, null);
        }
        md.append('\n');
        final Matcher allocation = ALLOCATION.matcher(summary);
        if (allocation.find())
        {
            md.append("Agent allocation: ").append(allocation.group(1)).append(" B/event from its start (")
                .append(allocation.group(2)).append(" B/event after the first second). ");
        }
        final Matcher check = CHECK.matcher(summary);
        if (check.find())
        {
            md.append("Every event stored once in each variant: ").append(check.group(1)).append(". ");
        }
        final Matcher conditions = CONDITIONS.matcher(summary);
        if (conditions.find())
        {
            md.append("Conditions: ").append(conditions.group(1)).append('.');
        }
        md.append("\n\n");
        chart.write(plots.resolve("drain-throughput.png"));
        md.append("![drain throughput](plots/drain-throughput.png)\n\n");
    }

    private void sparse() throws IOException
    {
        md.append("## 4. Sparse append: the regime strategies live in (open loop, cold)\n\n");
        final Path dir = partResults("sparse-append-", "sparse.csv", "sparse");
        if (null == dir)
        {
            return;
        }
        md.append("Strategies append one `OrderUpdate` now and then, so each append runs cold. Several strategy ");
        md.append("JVMs at once, every variant in JVMs of its own and all side by side, append on seeded Poisson ");
        md.append("schedules, open loop: *response* runs from each event's intended time, *service* is the append ");
        md.append("alone. **fresh**: a fresh JVM's first appends; **warm**: the same schedule after an unmeasured ");
        md.append("burst of tight-loop appends. TS is `TradeJournal` with its defaults (warm-up at open), ");
        md.append("TS-keepwarm also calls `keepWarm()` about every millisecond between events, TS-rehearse ");
        md.append("`rehearse(Runnable)` of its own append code instead, TS-nowarmup has the ");
        md.append("warm-up off, B1 is a bare Chronicle Queue appender writing the same bytes and B0 a store into a ");
        md.append("pretouched mapping. ");
        md.append("Microseconds, merged over each variant's JVMs; the ratios are to B1's in the same rate and phase. ");
        md.append("Details: [`").append(dir.getFileName()).append("/summary.txt`](").append(dir.getFileName())
            .append("/summary.txt)").append(exitNote("sparse")).append(".\n\n");

        final List<Map<String, String>> rows = readCsv(dir.resolve("sparse.csv"));
        for (final String phase : new String[]{"fresh", "warm"})
        {
            md.append("fresh".equals(phase) ? "### Fresh JVM: its first appends\n\n" :
                "### Warm: the same schedule after a burst\n\n");
            md.append("| rate/s | variant | events | response p50 | p99 | p50/B1 | p99/B1 | service p50 | p99 | ");
            md.append("p50/B1 | p99/B1 |\n|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            for (final Map<String, String> response : rows)
            {
                if (!phase.equals(response.get("phase")) || !"response".equals(response.get("measurement")))
                {
                    continue;
                }
                final Map<String, String> service = rows.stream().filter((row) ->
                    "service".equals(row.get("measurement")) && phase.equals(row.get("phase")) &&
                    response.get("variant").equals(row.get("variant")) && response.get("rate").equals(row.get("rate")))
                    .findFirst().orElse(Map.of());
                md.append(String.format(Locale.ROOT, "| %,d | %s | %,d | %s | %s | %s | %s | %s | %s | %s | %s |%n",
                    Long.parseLong(response.get("rate")), response.get("variant"),
                    Long.parseLong(response.get("events")), microsOf(response, "p50_ns"), microsOf(response, "p99_ns"),
                    response.get("p50_vs_b1"), response.get("p99_vs_b1"), microsOf(service, "p50_ns"),
                    microsOf(service, "p99_ns"), service.getOrDefault("p50_vs_b1", ""),
                    service.getOrDefault("p99_vs_b1", "")));
            }
            md.append('\n');
        }

        final Path jvms = dir.resolve("jvms.csv");
        if (Files.exists(jvms))
        {
            final Map<String, List<Double>> openMs = new LinkedHashMap<>();
            final Map<String, List<Double>> warmUpMs = new LinkedHashMap<>();
            for (final Map<String, String> row : readCsv(jvms))
            {
                if (row.get("variant").startsWith("TS"))
                {
                    openMs.computeIfAbsent(row.get("variant"), (key) -> new ArrayList<>())
                        .add(Long.parseLong(row.get("open_ns")) / 1e6);
                    warmUpMs.computeIfAbsent(row.get("variant"), (key) -> new ArrayList<>())
                        .add(Long.parseLong(row.get("warm_up_ns")) / 1e6);
                }
            }
            md.append("`TradeJournal.open`, median over the JVMs (of which the warm-up):");
            for (final Map.Entry<String, List<Double>> entry : openMs.entrySet())
            {
                md.append(String.format(Locale.ROOT, " %s %,.0f ms (%,.0f ms);", entry.getKey(),
                    median(entry.getValue()), median(warmUpMs.get(entry.getKey()))));
            }
            md.setLength(md.length() - 1);
            md.append(". Each strategy JVM started the open at the same time as the others, on the same cores.\n\n");
        }

        try (Stream<Path> paths = Files.list(dir))
        {
            for (final Path png : paths.filter((path) -> path.getFileName().toString().endsWith(".png")).sorted(
                Comparator.comparing((Path path) -> path.getFileName().toString())).toList())
            {
                md.append("![").append(png.getFileName()).append("](").append(dir.getFileName()).append('/')
                    .append(png.getFileName()).append(")\n\n");
            }
        }
    }

    private static String microsOf(final Map<String, String> row, final String column)
    {
        final String nanos = row.get(column);
        return null == nanos || nanos.isEmpty() ? "" : micros(Long.parseLong(nanos));
    }

    private static double median(final List<Double> values)
    {
        final List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Comparator.naturalOrder());
        final int size = sorted.size();
        return 0 == size ? Double.NaN : (sorted.get((size - 1) / 2) + sorted.get(size / 2)) / 2;
    }

    private void files()
    {
        md.append("## Files\n\n");
        md.append("- `end-to-end-*/`: `summary.txt`, `runs.csv`, per histogram `<run>-<measurement>.hgrm` ");
        md.append("(HdrHistogram percentile distribution, microseconds) and `.hlog` (the histogram itself, ");
        md.append("nanoseconds)\n");
        md.append("- `jmh-*/`: `jmh.json` (JMH's JSON), `report.md`\n");
        md.append("- `drain-throughput-*/`: `summary.txt`, `rates.csv`\n");
        md.append("- `sparse-append-*/`: `summary.txt`, `sparse.csv` (percentiles and ratios to B1), `jvms.csv` ");
        md.append("(per strategy JVM: open, warm-up, burst, counts), per histogram `.hgrm` and `.hlog`, and a ");
        md.append("percentile plot of the response times per rate and phase\n");
        md.append("- `plots/`: the PNGs above; `run.properties`: what ran, on what\n");
    }

    /**
     * The newest results folder of a part, if it has its results file; else say the part did not run.
     *
     * @return the folder, or null.
     */
    private Path partResults(final String prefix, final String resultsFile, final String part) throws IOException
    {
        final Path dir = newest(prefix);
        if (null != dir && Files.exists(dir.resolve(resultsFile)))
        {
            return dir;
        }
        md.append("Not run").append(exitNote(part)).append(".\n\n");
        return null;
    }

    private String exitNote(final String part)
    {
        final String exit = run.getProperty("exit." + part);
        return null == exit || "0".equals(exit) ? "" : " (its command exited with " + exit + ")";
    }

    private Path newest(final String prefix) throws IOException
    {
        try (Stream<Path> paths = Files.list(folder))
        {
            return paths.filter((path) -> Files.isDirectory(path) && path.getFileName().toString().startsWith(prefix))
                .max(Comparator.comparing((Path path) -> path.getFileName().toString())).orElse(null);
        }
    }

    private static List<Map<String, String>> readCsv(final Path file) throws IOException
    {
        final List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        final String[] header = lines.get(0).split(",", -1);
        final List<Map<String, String>> rows = new ArrayList<>();
        for (final String line : lines.subList(1, lines.size()))
        {
            if (line.isBlank())
            {
                continue;
            }
            final String[] fields = line.split(",", -1);
            final Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < header.length; i++)
            {
                row.put(header[i], i < fields.length ? fields[i] : "");
            }
            rows.add(row);
        }
        return rows;
    }

    private static double rate(final Map<String, String> row, final String column)
    {
        final String value = row.get(column);
        return null == value || value.isEmpty() ? Double.NaN : Double.parseDouble(value);
    }

    private static String micros(final long nanos)
    {
        final double micros = nanos / 1000.0;
        return micros >= 100 ? String.format(Locale.ROOT, "%,.0f", micros) : String.format(Locale.ROOT, "%.1f",
            micros);
    }
}
