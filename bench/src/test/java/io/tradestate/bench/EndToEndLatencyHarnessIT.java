package io.tradestate.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The end-to-end latency harness with tiny rates, so that it cannot rot: a tailer JVM and a reader agent JVM (with
 * its embedded PostgreSQL) see every appended event, across rolls, and every histogram file is written. Its
 * latencies and rates mean nothing and are not checked.
 */
class EndToEndLatencyHarnessIT
{
    /**
     * The journal's heartbeats are in the state map's histogram too: one per roll, a run of 1.5 s crosses two.
     */
    private static final long MOST_HEARTBEATS = 5;

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void shouldSeeEveryEventAtEveryStageAndWriteTheHistograms() throws Exception
    {
        final Path target = Files.createDirectories(Paths.get("target", "end-to-end-smoke"));

        final Path results = EndToEndLatencyHarness.parse(target.toString(), "--results=" + target.resolve("results"),
            "--rates=2000", "--commit-rate=100", "--seconds=1.5", "--low-rate-seconds=1.5", "--warmup-events=1000",
            "--no-probe", "--drain-timeout=60").run();

        final List<String> csv = Files.readAllLines(results.resolve("runs.csv"));
        assertEquals(EndToEndReport.CSV_HEADER, csv.get(0));
        final List<String> measured = new ArrayList<>();
        for (final String line : csv.subList(1, csv.size()))
        {
            final String[] fields = line.split(",");
            final long events = Long.parseLong(fields[3]);
            final long count = HistogramFiles.read(results.resolve(fields[6])).getTotalCount();
            if ("state-map".equals(fields[5]))
            {
                assertTrue(count >= events && count <= events + MOST_HEARTBEATS, line + ": " + count);
            }
            else
            {
                assertEquals(events, count, line);
            }
            assertEquals("true", fields[9], line + ": incomplete");
            assertTrue(Files.size(results.resolve(fields[6].replace(".hlog", ".hgrm"))) > 0, line);
            measured.add(fields[0] + " " + fields[5] + " " + events);
        }
        assertEquals(List.of("tailer-2000 append 3000", "tailer-2000 append-service 3000", "tailer-2000 read 3000",
            "agent-100 append 150", "agent-100 append-service 150", "agent-100 state-map 150", "agent-100 commit 150",
            "agent-2000 append 3000", "agent-2000 append-service 3000", "agent-2000 state-map 3000",
            "agent-2000 commit 3000"), measured);
        final String summary = Files.readString(results.resolve("summary.txt"));
        assertTrue(summary.contains("read (tailer)"), summary);
    }
}
