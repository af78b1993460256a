package io.tradestate.bench;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The load campaign reads the reader agent's {@code /metrics} text: plain samples, per-source samples and sums over
 * labels, comments skipped.
 */
class MetricsScrapeTest
{
    private static final String TEXT = """
        # HELP tradestate_events_committed_total events committed by this agent since it started
        # TYPE tradestate_events_committed_total counter
        tradestate_events_committed_total 120000
        tradestate_batch_last_commit_seconds 0.2315
        tradestate_source_lag_events{source="load-1"} 2374001
        tradestate_source_lag_events{source="load-2"} 12
        tradestate_source_lag_events_other{source="load-1"} 5
        tradestate_jvm_gc_collections_total{gc="G1 Young Generation"} 3
        tradestate_jvm_gc_collections_total{gc="G1 Old Generation"} 1
        """;

    @Test
    void shouldReadPlainSamplesAndSkipComments()
    {
        final MetricsScrape scrape = MetricsScrape.parse(TEXT);

        assertEquals(120_000.0, scrape.value("tradestate_events_committed_total"));
        assertEquals(0.2315, scrape.value("tradestate_batch_last_commit_seconds"));
        assertTrue(Double.isNaN(scrape.value("tradestate_missing")));
    }

    @Test
    void shouldReadEachSourceOfAPerSourceMetricOnly()
    {
        final Map<String, Double> lag = MetricsScrape.parse(TEXT).bySource("tradestate_source_lag_events");

        assertEquals(Map.of("load-1", 2_374_001.0, "load-2", 12.0), lag);
    }

    @Test
    void shouldSumAMetricOverItsLabels()
    {
        final MetricsScrape scrape = MetricsScrape.parse(TEXT);

        assertEquals(4.0, scrape.sum("tradestate_jvm_gc_collections_total"));
        assertEquals(2_374_013.0, scrape.sum("tradestate_source_lag_events"));
        assertTrue(Double.isNaN(scrape.sum("tradestate_jvm_gc")));
    }
}
