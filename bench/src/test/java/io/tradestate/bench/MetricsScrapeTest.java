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
        tradestate_batch_commit_seconds_sum 0.2315
        tradestate_source_lag_events{source="load-1"} 2374001
        tradestate_source_lag_events{source="load-2"} 12
        tradestate_source_lag_events_other{source="load-1"} 5
        jvm_gc_collection_seconds_count{gc="G1 Young Generation"} 3
        jvm_gc_collection_seconds_count{gc="G1 Old Generation"} 1
        jvm_memory_used_bytes{area="heap"} 8310784.0
        """;

    private static final String BATCHES_BEFORE = """
        tradestate_batch_size_events_bucket{le="10.0"} 4
        tradestate_batch_size_events_bucket{le="100.0"} 6
        tradestate_batch_size_events_bucket{le="1000.0"} 6
        tradestate_batch_size_events_bucket{le="+Inf"} 6
        tradestate_batch_size_events_count 6
        """;

    private static final String BATCHES_AFTER = """
        tradestate_batch_size_events_bucket{le="10.0"} 5
        tradestate_batch_size_events_bucket{le="100.0"} 8
        tradestate_batch_size_events_bucket{le="1000.0"} 9
        tradestate_batch_size_events_bucket{le="+Inf"} 9
        tradestate_batch_size_events_count 9
        """;

    @Test
    void shouldReadPlainSamplesAndSkipComments()
    {
        final MetricsScrape scrape = MetricsScrape.parse(TEXT);

        assertEquals(120_000.0, scrape.value("tradestate_events_committed_total"));
        assertEquals(0.2315, scrape.value("tradestate_batch_commit_seconds_sum"));
        assertEquals(8_310_784.0, scrape.value("jvm_memory_used_bytes{area=\"heap\"}"));
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

        assertEquals(4.0, scrape.sum("jvm_gc_collection_seconds_count"));
        assertEquals(2_374_013.0, scrape.sum("tradestate_source_lag_events"));
        assertTrue(Double.isNaN(scrape.sum("jvm_gc")));
    }

    @Test
    void shouldBoundTheLargestObservationSinceTheLastScrapeByItsBucket()
    {
        final String name = "tradestate_batch_size_events";
        final MetricsScrape before = MetricsScrape.parse(BATCHES_BEFORE);
        final MetricsScrape after = MetricsScrape.parse(BATCHES_AFTER);

        // 3 batches since: one of up to 10 events, one of 11 to 100, one of 101 to 1000.
        assertEquals(1_000.0, after.largestBucketBound(name, before));
        assertTrue(Double.isNaN(after.largestBucketBound(name, after)), "nothing observed since");
        assertTrue(Double.isNaN(after.largestBucketBound(name, null)), "no earlier scrape");
        assertEquals(Double.POSITIVE_INFINITY, MetricsScrape.parse(BATCHES_AFTER.replace("le=\"1000.0\"} 9",
            "le=\"1000.0\"} 8")).largestBucketBound(name, before), "above every bound");
    }
}
