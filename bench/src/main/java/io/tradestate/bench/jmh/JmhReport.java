package io.tradestate.bench.jmh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns the JSON of a JMH run of the suite into a markdown table, and checks the allocation rule.
 * <p>
 * Each row: average time per op with its 99.9% error, bytes allocated per op (JMH's {@code gc.alloc.rate.norm},
 * which counts every thread of the fork, background threads included), and the ratio of the row's time to its
 * reference: TradeState's {@code OrderUpdate} append for the encoders and writers, the view's order lookup for the
 * plain Chronicle Map and the JDBC select. A single-shot benchmark (B4) reports a batch per op; its time and
 * allocation are divided by the batch size.
 * <p>
 * <b>The allocation rule.</b> TradeState's appends and lookups must allocate at most {@value #MAX_BYTES_PER_OP} bytes
 * per op, taken as the median of the measured iterations: the few hundred bytes Chronicle allocates when it maps a
 * new block, spread over the appends, fit; an allocation on every op does not. The median, not JMH's mean, because
 * JMH counts a trial's teardown (closing maps and journals: tens to hundreds of kilobytes) in the last iteration. A
 * row of those without the allocation figure (a run without {@code -prof gc}) fails the rule too.
 * <pre>
 * java -cp ... io.tradestate.bench.jmh.JmhReport results/jmh-&lt;time&gt;/jmh.json [report.md]
 * </pre>
 * prints the table (and writes it if asked) and exits with 1 if the rule failed.
 */
public final class JmhReport
{
    /**
     * Most bytes a TradeState append or lookup may allocate per op, on average over a run.
     */
    public static final double MAX_BYTES_PER_OP = 0.01;

    private static final String PACKAGE = "io.tradestate.bench.jmh.";
    private static final String ALLOCATION = "gc.alloc.rate.norm";
    private static final String APPEND = "TradeStateAppendBenchmark.appendOrderUpdate";
    private static final String LOOKUP = "TradeStateViewBenchmark.lookUpOrder";

    /**
     * Benchmark (class.method), label, what it is, reference (null: none), whether the allocation rule applies.
     */
    private static final String[][] ROWS =
    {
        { APPEND, "TradeState", "append `OrderUpdate` (`TradeJournal`)", null, "rule" },
        { "TradeStateAppendBenchmark.appendFill", "TradeState", "append `Fill`", null, "rule" },
        { "TradeStateAppendBenchmark.appendTradeUpdate", "TradeState", "append `TradeUpdate`", null, "rule" },
        { "TradeStateAppendBenchmark.appendPairLock", "TradeState", "append `PairLock`", null, "rule" },
        { "TradeStateAppendBenchmark.appendBalanceUpdate", "TradeState", "append `BalanceUpdate`", null, "rule" },
        { LOOKUP, "TradeState", "view: order lookup (`TradeStateView.order`)", null, "rule" },
        { "TradeStateViewBenchmark.checkPairLock", "TradeState", "view: `pairLockStatus`", null, "rule" },
        { "TradeStateViewBenchmark.checkPairLockWhileALockForAllSourcesHolds", "TradeState",
            "view: `pairLockStatus`, a lock for all sources in force", null, "rule" },
        { "SbeEncodeBenchmark.encodeOrderUpdate", "part", "SBE encode of the order alone", APPEND, null },
        { "MappedBufferBenchmark.storeBytes", "B0", "store of the bytes into a pretouched mapping", APPEND, null },
        { "ChronicleQueueBenchmark.writeBytes", "B1", "bare Chronicle Queue appender, the bytes", APPEND, null },
        { "ChronicleQueueBenchmark.writeDocument", "B2", "Chronicle Wire `writeDocument(dto)`", APPEND, null },
        { "RingBufferBenchmark.write", "B3", "Agrona `OneToOneRingBuffer` write", APPEND, null },
        { "AsyncInsertBenchmark.submitRow", "B4", "row object to a PostgreSQL insert thread", APPEND, null },
        { "JdbcBenchmark.insertAndCommit", "B5", "JDBC insert and commit (fsync)", APPEND, null },
        { "ChronicleMapBenchmark.put", "B6", "Chronicle Map `put`", LOOKUP, null },
        { "ChronicleMapBenchmark.getUsing", "B6", "Chronicle Map `getUsing`", LOOKUP, null },
        { "JdbcBenchmark.selectOrder", "B7", "JDBC select by primary key", LOOKUP, null },
    };

    private final Map<String, Result> results = new LinkedHashMap<>();
    private final Map<String, Object> first;

    private JmhReport(final List<Object> runs)
    {
        Map<String, Object> firstRun = Map.of();
        for (final Object run : runs)
        {
            final Map<String, Object> benchmark = JmhJson.object(run);
            if (firstRun.isEmpty() || !"avgt".equals(firstRun.get("mode")))
            {
                firstRun = benchmark;
            }
            final Result result = new Result(benchmark);
            results.put(result.name, result);
        }
        this.first = firstRun;
    }

    /**
     * Read a JMH JSON result file.
     *
     * @param json the file JMH wrote with {@code -rf json}.
     * @return the report.
     * @throws IOException if the file cannot be read.
     * @throws IllegalArgumentException if it is not a JMH result array.
     */
    public static JmhReport read(final Path json) throws IOException
    {
        final Object parsed = JmhJson.parse(Files.readString(json, StandardCharsets.UTF_8));
        if (!(parsed instanceof List))
        {
            throw new IllegalArgumentException(json + " is not a JMH result array");
        }
        @SuppressWarnings("unchecked") final List<Object> runs = (List<Object>)parsed;
        return new JmhReport(runs);
    }

    /**
     * Print the report of a JSON file, write it next to it if asked, and exit with 1 if the allocation rule failed.
     *
     * @param args the JSON file, then optionally the markdown file to write.
     * @throws IOException if a file cannot be read or written.
     */
    public static void main(final String[] args) throws IOException
    {
        if (args.length < 1)
        {
            System.err.println("usage: JmhReport <jmh.json> [report.md]");
            System.exit(2);
        }
        final JmhReport report = read(Paths.get(args[0]));
        final String markdown = report.markdown("");
        System.out.print(markdown);
        if (args.length > 1)
        {
            Files.writeString(Paths.get(args[1]), markdown, StandardCharsets.UTF_8);
        }
        System.exit(report.allocationFailures().isEmpty() ? 0 : 1);
    }

    /**
     * Benchmarks the run holds, by {@code Class.method}.
     *
     * @return the names, in file order.
     */
    public List<String> benchmarks()
    {
        return new ArrayList<>(results.keySet());
    }

    /**
     * Benchmarks the run holds in the report's order: TradeState's, then the part and the baselines B0-B7, then any
     * other.
     *
     * @return the names, by {@code Class.method}.
     */
    public List<String> benchmarksInReportOrder()
    {
        final List<String> ordered = new ArrayList<>();
        for (final String[] row : ROWS)
        {
            if (results.containsKey(row[0]))
            {
                ordered.add(row[0]);
            }
        }
        for (final String benchmark : results.keySet())
        {
            if (!ordered.contains(benchmark))
            {
                ordered.add(benchmark);
            }
        }
        return ordered;
    }

    /**
     * A benchmark's label in the report: its group (TradeState, part, B0-B7) and what it measures.
     *
     * @param benchmark {@code Class.method}.
     * @return the label, without markdown, or the benchmark's name if the report does not know it.
     */
    public static String label(final String benchmark)
    {
        for (final String[] row : ROWS)
        {
            if (row[0].equals(benchmark))
            {
                return (row[1] + " " + row[2]).replace("`", "");
            }
        }
        return benchmark;
    }

    /**
     * Average nanoseconds per op of a benchmark, per row for a batch.
     *
     * @param benchmark {@code Class.method}.
     * @return the score, or NaN if the run does not hold it.
     */
    public double nanosPerOp(final String benchmark)
    {
        final Result result = results.get(benchmark);
        return null == result ? Double.NaN : result.nanosPerOp;
    }

    /**
     * Bytes allocated per op of a benchmark.
     *
     * @param benchmark {@code Class.method}.
     * @return the bytes, or NaN if the run does not hold it or was made without {@code -prof gc}.
     */
    public double bytesPerOp(final String benchmark)
    {
        final Result result = results.get(benchmark);
        return null == result ? Double.NaN : result.bytesPerOp;
    }

    /**
     * Median over the measured iterations (of every fork) of the bytes allocated per op of a benchmark: what the
     * allocation rule checks.
     *
     * @param benchmark {@code Class.method}.
     * @return the bytes, or NaN if the run does not hold it or was made without {@code -prof gc}.
     */
    public double medianBytesPerOp(final String benchmark)
    {
        final Result result = results.get(benchmark);
        return null == result ? Double.NaN : result.medianBytesPerOp;
    }

    /**
     * The TradeState rows of the run that break the allocation rule.
     *
     * @return one line per failure, empty if the rule holds.
     */
    public List<String> allocationFailures()
    {
        final List<String> failures = new ArrayList<>();
        for (final String[] row : ROWS)
        {
            final Result result = results.get(row[0]);
            if (null == row[4] || null == result)
            {
                continue;
            }
            if (Double.isNaN(result.bytesPerOp))
            {
                failures.add(row[0] + ": no " + ALLOCATION + " (run it with -prof gc)");
            }
            else if (result.medianBytesPerOp > MAX_BYTES_PER_OP)
            {
                failures.add(String.format(Locale.ROOT, "%s: %.4f B/op (median of the iterations), more than %s%s",
                    row[0], result.medianBytesPerOp, MAX_BYTES_PER_OP, result.measuredIterations < 3 ?
                    "; with fewer than 3 measured iterations a fork, the median includes the trial's teardown" : ""));
            }
        }
        return failures;
    }

    /**
     * The report as markdown.
     *
     * @param environment lines about the machine and the run to print under the title, or empty.
     * @return the markdown.
     */
    public String markdown(final String environment)
    {
        final StringBuilder out = new StringBuilder();
        out.append("# JMH suite\n\n");
        if (!environment.isEmpty())
        {
            out.append(environment).append("\n\n");
        }
        out.append(String.format(Locale.ROOT,
            "JMH %s, %s %s, `%s`; %s forks, warm-up %s x %s, measurement %s x %s (B4: %s x %s single-shot " +
            "batches)%n%n",
            first.get("jmhVersion"), first.get("vmName"), first.get("jdkVersion"),
            String.join(" ", jvmArgs()), integer(first.get("forks")), integer(first.get("warmupIterations")),
            first.get("warmupTime"), integer(first.get("measurementIterations")), first.get("measurementTime"),
            integer(batchRun("measurementIterations")), integer(batchRun("measurementBatchSize"))));
        out.append("| | benchmark | ns/op | ± (99.9%) | B/op | B/op median | vs | ratio |\n");
        out.append("|---|---|---:|---:|---:|---:|---|---:|\n");
        final double appendNs = nanosPerOp(APPEND);
        final double lookupNs = nanosPerOp(LOOKUP);
        final List<String> listed = new ArrayList<>();
        for (final String[] row : ROWS)
        {
            final Result result = results.get(row[0]);
            if (null == result)
            {
                continue;
            }
            listed.add(row[0]);
            String reference = "";
            String ratio = "";
            if (null != row[3])
            {
                final double referenceNs = APPEND.equals(row[3]) ? appendNs : lookupNs;
                reference = APPEND.equals(row[3]) ? "append" : "lookup";
                ratio = Double.isNaN(referenceNs) ? "" :
                    String.format(Locale.ROOT, "%.2fx", result.nanosPerOp / referenceNs);
            }
            appendRow(out, row[1], row[2], result, reference, ratio);
        }
        for (final Result result : results.values())
        {
            if (!listed.contains(result.name))
            {
                appendRow(out, "", "`" + result.name + "`", result, "", "");
            }
        }

        final List<String> failures = allocationFailures();
        out.append(String.format(Locale.ROOT,
            "%nAllocation rule (TradeState appends and lookups at most %s B/op): %s%n",
            MAX_BYTES_PER_OP, failures.isEmpty() ? "passed." : "FAILED"));
        for (final String failure : failures)
        {
            out.append("- ").append(failure).append('\n');
        }
        return out.toString();
    }

    private static void appendRow(
        final StringBuilder out,
        final String label,
        final String what,
        final Result result,
        final String reference,
        final String ratio)
    {
        out.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s |%n",
            label, what, format(result.nanosPerOp), format(result.errorNanos), bytes(result.bytesPerOp),
            bytes(result.medianBytesPerOp), reference, ratio));
    }

    private List<String> jvmArgs()
    {
        final List<String> args = new ArrayList<>();
        if (first.get("jvmArgs") instanceof List)
        {
            for (final Object arg : (List<?>)first.get("jvmArgs"))
            {
                final String text = String.valueOf(arg);
                if (!text.startsWith("--add-"))
                {
                    args.add(text);
                }
            }
        }
        args.add(0, "tradestate.jvm.args");
        return args;
    }

    private Object batchRun(final String key)
    {
        for (final Result result : results.values())
        {
            if (result.batchSize > 1)
            {
                return result.benchmark.get(key);
            }
        }
        return "-";
    }

    private static String integer(final Object value)
    {
        return value instanceof Double ? Long.toString(Math.round((Double)value)) : String.valueOf(value);
    }

    private static String format(final double value)
    {
        if (Double.isNaN(value))
        {
            return "";
        }
        if (value >= 100_000)
        {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        return String.format(Locale.ROOT, value >= 100 ? "%.0f" : value >= 10 ? "%.1f" : "%.2f", value);
    }

    private static String bytes(final double value)
    {
        if (Double.isNaN(value))
        {
            return "n/a";
        }
        return value < 10 ? String.format(Locale.ROOT, "%.3f", value) : String.format(Locale.ROOT, "%.0f", value);
    }

    /**
     * One benchmark of the run, per op.
     */
    private static final class Result
    {
        private final Map<String, Object> benchmark;
        private final String name;
        private final long batchSize;
        private final double nanosPerOp;
        private final double errorNanos;
        private final double bytesPerOp;
        private final double medianBytesPerOp;
        private final int measuredIterations;

        Result(final Map<String, Object> benchmark)
        {
            this.benchmark = benchmark;
            final String fullName = String.valueOf(benchmark.get("benchmark"));
            this.name = fullName.startsWith(PACKAGE) ? fullName.substring(PACKAGE.length()) : fullName;
            final double batch = JmhJson.number(benchmark.get("measurementBatchSize"));
            this.batchSize = Double.isNaN(batch) || batch < 1 ? 1 : (long)batch;
            final Map<String, Object> primary = JmhJson.object(benchmark.get("primaryMetric"));
            final double toNanos = nanosPerUnit(String.valueOf(primary.get("scoreUnit")));
            this.nanosPerOp = JmhJson.number(primary.get("score")) * toNanos / batchSize;
            this.errorNanos = JmhJson.number(primary.get("scoreError")) * toNanos / batchSize;
            final Map<String, Object> allocation =
                JmhJson.object(JmhJson.object(benchmark.get("secondaryMetrics")).get(ALLOCATION));
            this.bytesPerOp = allocation.isEmpty() ? Double.NaN : JmhJson.number(allocation.get("score")) / batchSize;
            this.medianBytesPerOp = median(allocation.get("rawData")) / batchSize;
            this.measuredIterations = count(allocation.get("rawData"));
        }

        /**
         * Fewest measured iterations of a fork.
         */
        private static int count(final Object rawData)
        {
            int count = Integer.MAX_VALUE;
            if (rawData instanceof List)
            {
                for (final Object fork : (List<?>)rawData)
                {
                    count = Math.min(count, fork instanceof List ? ((List<?>)fork).size() : 0);
                }
            }
            return Integer.MAX_VALUE == count ? 0 : count;
        }

        /**
         * Median of JMH's raw data, one list of iteration values per fork.
         */
        private static double median(final Object rawData)
        {
            final List<Double> values = new ArrayList<>();
            if (rawData instanceof List)
            {
                for (final Object fork : (List<?>)rawData)
                {
                    if (fork instanceof List)
                    {
                        for (final Object value : (List<?>)fork)
                        {
                            values.add(JmhJson.number(value));
                        }
                    }
                }
            }
            if (values.isEmpty())
            {
                return Double.NaN;
            }
            values.sort(null);
            final int middle = values.size() / 2;
            return 0 == values.size() % 2 ? (values.get(middle - 1) + values.get(middle)) / 2 : values.get(middle);
        }

        private static double nanosPerUnit(final String unit)
        {
            switch (unit)
            {
                case "ns/op":
                    return 1;
                case "us/op":
                    return 1_000;
                case "ms/op":
                    return 1_000_000;
                case "s/op":
                    return 1_000_000_000;
                default:
                    throw new IllegalArgumentException("unexpected score unit " + unit + ": run in avgt or ss mode");
            }
        }
    }
}
