package io.tradestate.bench.report;

import io.tradestate.bench.HistogramFiles;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The report generator turns a folder of harness results into {@code REPORT.md} with its tables, ratios and plots,
 * and says which parts did not run.
 */
class BenchReportTest
{
    @TempDir
    Path folder;

    @Test
    void shouldWriteTablesRatiosAndPlotsWhenEveryPartHasResults() throws Exception
    {
        final Path latency = Files.createDirectories(folder.resolve("end-to-end-20260101-000000"));
        HistogramFiles.write(latency, "tailer-1000-append", histogram(1_000, 300));
        HistogramFiles.write(latency, "tailer-1000-read", histogram(1_000, 2_000));
        HistogramFiles.write(latency, "agent-200-commit", histogram(200, 3_000_000));
        Files.writeString(latency.resolve("runs.csv"), "run,mode,rate,events,seconds,measurement,file," +
            "achieved_per_s,sustained,complete,busy_cores,strategy_cores\n" +
            "tailer-1000,tailer,1000,1000,1.000,append,tailer-1000-append.hlog,1000,true,true,1.00,1.00\n" +
            "tailer-1000,tailer,1000,1000,1.000,read,tailer-1000-read.hlog,998,true,true,1.00,1.00\n" +
            "agent-200,agent,200,200,1.000,commit,agent-200-commit.hlog,150,false,true,1.00,1.00\n");
        final Path drain = Files.createDirectories(folder.resolve("drain-throughput-20260101-000000"));
        Files.writeString(drain.resolve("rates.csv"), "variant,events_per_s,steady_events_per_s,elapsed_s," +
            "first_commit_s\nTradeState reader agent,50000,51000,20.0,0.5\nCOPY binary,100000,,10.0,0.1\n");
        Files.writeString(drain.resolve("summary.txt"), "agent: drain thread allocated 10.3 B/event from its start " +
            "to the end of the drain (1.8 B/event after the first second); ...\n  conditions: quiet: other " +
            "processes used at most 0.02 cores during any variant\n");
        final Path jmh = Files.createDirectories(folder.resolve("jmh-20260101-000000"));
        Files.writeString(jmh.resolve("jmh.json"), "[" + jmhResult("TradeStateAppendBenchmark.appendOrderUpdate", 400) +
            "," + jmhResult("ChronicleQueueBenchmark.writeBytes", 200) + "]");
        final Path sparse = Files.createDirectories(folder.resolve("sparse-append-20260101-000000"));
        Files.writeString(sparse.resolve("sparse.csv"), "variant,rate,phase,measurement,jvms,events,p50_ns,p90_ns," +
            "p99_ns,p999_ns,max_ns,p50_vs_b1,p99_vs_b1,file\n" +
            "TS,10,fresh,response,2,400,30000,50000,90000,95000,99000,0.50,0.90,ts-10-fresh-response.hlog\n" +
            "TS,10,fresh,service,2,400,25000,40000,80000,85000,90000,0.45,0.85,ts-10-fresh-service.hlog\n" +
            "B1,10,fresh,response,2,400,60000,80000,100000,110000,120000,1.00,1.00,b1-10-fresh-response.hlog\n" +
            "B1,10,fresh,service,2,400,55000,70000,94000,99000,100000,1.00,1.00,b1-10-fresh-service.hlog\n");
        Files.writeString(sparse.resolve("jvms.csv"), "variant,rate,jvm,name,seed,open_ns,warm_up_ns\n" +
            "TS,10,0,ts-10-0,42,900000000,600000000\nTS,10,1,ts-10-1,44,1100000000,700000000\n" +
            "B1,10,0,b1-10-0,43,300000000,0\n");

        final String report = Files.readString(BenchReport.write(folder));

        assertTrue(report.contains("| tailer-1000 | 1,000 | 1,000 | "), report);
        assertTrue(report.contains("append and tailer 1,000 events/s; append to PostgreSQL commit 0 events/s"),
            report);
        assertTrue(report.contains("agent-200 commit at 200/s (achieved 150/s)"), report);
        assertTrue(report.contains("| COPY binary | 100,000 | n/a | 0.50 | n/a |"), report);
        assertTrue(report.contains("Agent allocation: 10.3 B/event"), report);
        assertTrue(report.contains("| B1 | bare Chronicle Queue appender, the bytes | 200 |"), report);
        assertTrue(report.contains("| 10 | TS | 400 | 30.0 | 90.0 | 0.50 | 0.90 | 25.0 | 80.0 | 0.45 | 0.85 |"),
            report);
        assertTrue(report.contains("`TradeJournal.open`, median over the JVMs (of which the warm-up): TS 1,000 ms " +
            "(650 ms)."), report);
        for (final String png : new String[]{"latency-tailer-1000.png", "latency-agent-200.png",
            "drain-throughput.png", "jmh.png"})
        {
            assertTrue(report.contains("(plots/" + png + ")"), png);
            final BufferedImage image = ImageIO.read(folder.resolve("plots").resolve(png).toFile());
            assertNotNull(image, png);
            assertTrue(image.getWidth() > 500 && image.getHeight() > 100, png);
        }
    }

    @Test
    void shouldSayWhichPartsDidNotRun() throws Exception
    {
        final String report = Files.readString(BenchReport.write(folder));

        assertEquals(4, report.split("Not run", -1).length - 1, report);
    }

    private static Histogram histogram(final int count, final long baseNs)
    {
        final Histogram histogram = new Histogram(3);
        for (int i = 0; i < count; i++)
        {
            histogram.recordValue(baseNs + i * (baseNs / 100));
        }
        return histogram;
    }

    private static String jmhResult(final String benchmark, final double score)
    {
        return "{\"jmhVersion\": \"1.37\", \"benchmark\": \"io.tradestate.bench.jmh." + benchmark + "\", " +
            "\"mode\": \"avgt\", \"forks\": 1, \"jvmArgs\": [], \"measurementBatchSize\": 1, " +
            "\"primaryMetric\": {\"score\": " + score + ", \"scoreError\": 1.5, \"scoreUnit\": \"ns/op\", " +
            "\"rawData\": [[1.0, 2.0]]}, \"secondaryMetrics\": {\"gc.alloc.rate.norm\": {\"score\": 0.001, " +
            "\"scoreError\": \"NaN\", \"scoreUnit\": \"B/op\", \"rawData\": [[0.001, 0.001]]}}}";
    }
}
