package io.tradestate.bench.jmh;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The report reads JMH's JSON, computes per-op figures and ratios, and its allocation rule fails when it should.
 */
class JmhReportTest
{
    @TempDir
    Path folder;

    @Test
    void shouldPassTheRuleAndComputeRatiosWhenTheAppendAndLookupDoNotAllocate() throws Exception
    {
        final JmhReport report = JmhReport.read(write(
            result("TradeStateAppendBenchmark.appendOrderUpdate", "avgt", 1, 400, "ns/op", "[[0.004, 0.006, 0.5]]"),
            result("TradeStateViewBenchmark.lookUpOrder", "avgt", 1, 0.5, "us/op", "[[0.001, 0.002, 0.003]]"),
            result("ChronicleQueueBenchmark.writeBytes", "avgt", 1, 200, "ns/op", "[[0.004, 0.004, 0.004]]"),
            result("JdbcBenchmark.selectOrder", "avgt", 1, 50, "us/op", "[[900, 900, 900]]"),
            result("AsyncInsertBenchmark.submitRow", "ss", 2000, 0.4, "ms/op", "[[288000, 288000, 288000]]")));

        assertEquals(List.of(), report.allocationFailures());
        assertEquals(500, report.nanosPerOp("TradeStateViewBenchmark.lookUpOrder"), 1e-9);
        assertEquals(0.006, report.medianBytesPerOp("TradeStateAppendBenchmark.appendOrderUpdate"), 1e-12);
        assertEquals(200, report.nanosPerOp("AsyncInsertBenchmark.submitRow"), 1e-9);
        assertEquals(144, report.medianBytesPerOp("AsyncInsertBenchmark.submitRow"), 1e-9);
        final String markdown = report.markdown("");
        assertTrue(markdown.contains("| B1 | bare Chronicle Queue appender, the bytes | 200 |"), markdown);
        assertTrue(markdown.contains("| append | 0.50x |"), markdown);
        assertTrue(markdown.contains("| lookup | 100.00x |"), markdown);
        assertTrue(markdown.contains("| B4 | row object to a PostgreSQL insert thread | 200 |"), markdown);
        assertTrue(markdown.contains("passed."), markdown);
    }

    @Test
    void shouldFailTheRuleWhenTheAppendOrALookupAllocates() throws Exception
    {
        final JmhReport report = JmhReport.read(write(
            result("TradeStateAppendBenchmark.appendFill", "avgt", 1, 400, "ns/op", "[[24.0, 24.0, 24.0]]"),
            result("TradeStateViewBenchmark.checkPairLock", "avgt", 1, 300, "ns/op", "[[0.011, 0.02, 0.0]]"),
            result("TradeStateViewBenchmark.lookUpOrder", "avgt", 1, 300, "ns/op", "[[0.0, 0.0, 0.0]]")));

        final List<String> failures = report.allocationFailures();
        assertEquals(2, failures.size(), failures.toString());
        assertTrue(failures.get(0).startsWith("TradeStateAppendBenchmark.appendFill: 24.0000 B/op"), failures.get(0));
        assertTrue(failures.get(1).startsWith("TradeStateViewBenchmark.checkPairLock: 0.0110 B/op"), failures.get(1));
        assertTrue(report.markdown("").contains("FAILED"));
    }

    @Test
    void shouldFailTheRuleWhenTheRunHadNoGcProfiler() throws Exception
    {
        final JmhReport report = JmhReport.read(write(
            "{\"benchmark\": \"io.tradestate.bench.jmh.TradeStateViewBenchmark.lookUpOrder\", \"mode\": \"avgt\", " +
            "\"primaryMetric\": {\"score\": 300.0, \"scoreError\": \"NaN\", \"scoreUnit\": \"ns/op\"}, " +
            "\"secondaryMetrics\": {}}"));

        assertEquals(List.of("TradeStateViewBenchmark.lookUpOrder: no gc.alloc.rate.norm (run it with -prof gc)"),
            report.allocationFailures());
    }

    private Path write(final String... results) throws Exception
    {
        final Path json = folder.resolve("jmh.json");
        Files.writeString(json, "[\n" + String.join(",\n", results) + "\n]\n");
        return json;
    }

    private static String result(
        final String benchmark,
        final String mode,
        final int batchSize,
        final double score,
        final String unit,
        final String allocationRawData)
    {
        return "{\"jmhVersion\": \"1.37\", \"benchmark\": \"io.tradestate.bench.jmh." + benchmark + "\", " +
            "\"mode\": \"" + mode + "\", \"forks\": 1, \"jvmArgs\": [\"--add-opens=x\", \"-Xmx1g\"], " +
            "\"measurementBatchSize\": " + batchSize + ", " +
            "\"primaryMetric\": {\"score\": " + score + ", \"scoreError\": 1.5, \"scoreUnit\": \"" + unit + "\", " +
            "\"rawData\": [[1.0, 2.0]]}, " +
            "\"secondaryMetrics\": {\"gc.alloc.rate.norm\": {\"score\": 1.0, \"scoreError\": \"NaN\", " +
            "\"scoreUnit\": \"B/op\", \"rawData\": " + allocationRawData + "}}}";
    }
}
