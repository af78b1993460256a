package io.tradestate.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The drain throughput harness end to end with tiny numbers, so that it cannot rot: two journals of 2,000 events,
 * the reader agent and both baselines on the embedded PostgreSQL, the checks and the summary. Its rates mean
 * nothing; the point is that every variant runs and stores every event exactly once.
 */
class DrainThroughputHarnessIT
{
    private static final int SOURCES = 2;
    private static final int EVENTS_PER_SOURCE = 2_000;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void shouldStoreEveryEventOnceInEachVariantAndWriteTheSummary() throws Exception
    {
        final Path target = Files.createDirectories(Paths.get("target", "drain-throughput-smoke"));

        final DrainThroughputHarness.Result result = DrainThroughputHarness.parse(target.toString(),
            "--results=" + target.resolve("results"), "--sources=" + SOURCES,
            "--events-per-source=" + EVENTS_PER_SOURCE, "--batch=1500", "--rounds=2").run();

        final long events = (long)SOURCES * EVENTS_PER_SOURCE;
        assertEquals(Map.of("agent", events, "COPY binary", events, "batched INSERT", events), result.stored());
        assertEquals(0, result.deadLetters());
        final String summary = Files.readString(result.resultsDir().resolve("summary.txt"));
        assertTrue(summary.contains("every event stored once in each variant: yes"), summary);
        assertTrue(summary.contains("agent / COPY binary"), summary);
        assertTrue(summary.contains("B/event"), summary);
        assertTrue(summary.contains("round 2 of 2") && summary.contains("median of 2 rounds"), summary);
        final List<String> rates = Files.readAllLines(result.resultsDir().resolve("rates.csv"));
        assertEquals(4, rates.size(), "the header and one row per variant, the medians: " + rates);
    }
}
