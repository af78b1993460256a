package io.tradestate.reader.operations;

import io.tradestate.reader.ExpositionParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A {@link MetricsHistogram} is a Prometheus histogram by the text format's rules (cumulative buckets ending in
 * {@code +Inf}, which equals {@code _count}; a bound is inclusive), exposed in the base unit of its name, recorded
 * without allocating, and read whole while its thread records.
 */
class MetricsHistogramTest
{
    private static final String NAME = "test_commit_seconds";

    @Test
    void shouldExposeCumulativeBucketsEndingInInfWhoseCountIsTheCount()
    {
        final MetricsHistogram histogram = new MetricsHistogram(NAME, "a test", 1e-9, 0.001, 0.01, 0.1);
        histogram.record(500_000);         // 0.5 ms
        histogram.record(1_000_000);       // 1 ms: on the bound, in its bucket
        histogram.record(7_000_000);       // 7 ms
        histogram.record(2_000_000_000L);  // 2 s: over every bound
        histogram.record(-5);              // a clock step: 0

        final String text = text(histogram);
        final List<ExpositionParser.Sample> samples = ExpositionParser.parse(text);
        assertEquals(5.0, ExpositionParser.assertHistogram(samples, NAME), text);
        assertEquals("histogram", ExpositionParser.types(text).get(NAME));
        final Map<String, Double> buckets = new LinkedHashMap<>();
        for (final ExpositionParser.Sample sample : samples)
        {
            if (sample.name().equals(NAME + "_bucket"))
            {
                buckets.put(sample.labels().get("le"), sample.value());
            }
        }
        assertEquals(Map.of("0.001", 3.0, "0.01", 4.0, "0.1", 4.0, "+Inf", 5.0), buckets, text);
        assertEquals(List.of("0.001", "0.01", "0.1", "+Inf"), new ArrayList<>(buckets.keySet()), "bounds in order");
        assertEquals(2.0085, value(samples, NAME + "_sum"), 1e-12, text);
        assertEquals(5.0, value(samples, NAME + "_count"), text);
    }

    @Test
    void shouldRecordTheTimeFromEachStartToTheEndAsOneUpdate()
    {
        final MetricsHistogram histogram = new MetricsHistogram(NAME, "a test", 1e-9, 0.001, 0.01);
        final long endNs = 1_000_000_000_000L;
        histogram.recordElapsed(endNs, new long[] { endNs - 2_000_000, endNs - 20_000_000, endNs, 0 }, 2);

        final List<ExpositionParser.Sample> samples = ExpositionParser.parse(text(histogram));
        assertEquals(2.0, ExpositionParser.assertHistogram(samples, NAME), "only the first two starts count");
        assertEquals(0.022, value(samples, NAME + "_sum"), 1e-12);
    }

    @Test
    void shouldRefuseBoundsThatAreNotAscending()
    {
        assertThrows(IllegalArgumentException.class, () -> new MetricsHistogram(NAME, "a test", 1, 10, 10));
        assertThrows(IllegalArgumentException.class, () -> new MetricsHistogram(NAME, "a test", 1, 10, 5));
        assertThrows(IllegalArgumentException.class,
            () -> new MetricsHistogram(NAME, "a test", 1, 1, Double.POSITIVE_INFINITY));
    }

    @Test
    void shouldRecordWithoutAllocating()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final MetricsHistogram histogram = new MetricsHistogram(NAME, "a test", 1e-9, 0.001, 0.01, 0.1, 1, 10);
        final long[] startsNs = new long[256];
        for (int i = 0; i < startsNs.length; i++)
        {
            startsNs[i] = i * 997_000L;
        }
        for (int round = 0; round < 20_000; round++)
        {
            record(histogram, startsNs, round);
        }

        // A real allocation shows in every stretch; one stretch without any passes (see StateCandidatesTest).
        final List<Long> stretches = new ArrayList<>();
        for (int stretch = 0; stretch < 5 && (stretches.isEmpty() || stretches.get(stretches.size() - 1) != 0);
            stretch++)
        {
            final long before = threads.getCurrentThreadAllocatedBytes();
            for (int round = 0; round < 2_000; round++)
            {
                record(histogram, startsNs, round);
            }
            final long after = threads.getCurrentThreadAllocatedBytes();
            final long calibration =
                threads.getCurrentThreadAllocatedBytes() - threads.getCurrentThreadAllocatedBytes();
            stretches.add(after - before + calibration);
        }
        assertEquals(0L, stretches.get(stretches.size() - 1),
            "bytes allocated over each stretch of 2,000 recordings: " + stretches);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldShowEachScrapeOneStateWhileItsThreadRecords() throws Exception
    {
        // Every recording adds 3 observations of 5 ms: a scrape that saw part of one would have a count that is not a
        // multiple of 3, or a sum that is not count x 5 ms, or buckets that do not add up.
        final MetricsHistogram histogram = new MetricsHistogram(NAME, "a test", 1e-9, 0.001, 0.01, 0.1);
        final long[] startsNs = { 0, 0, 0 };
        final AtomicBoolean running = new AtomicBoolean(true);
        final Thread recorder = new Thread(() ->
        {
            while (running.get())
            {
                histogram.recordElapsed(5_000_000, startsNs, startsNs.length);
            }
        }, "test-recorder");
        recorder.start();
        try
        {
            double lastCount = 0;
            for (int scrape = 0; scrape < 20_000; scrape++)
            {
                final List<ExpositionParser.Sample> samples = ExpositionParser.parse(text(histogram));
                final double count = ExpositionParser.assertHistogram(samples, NAME);
                assertEquals(0.0, count % 3, "a scrape saw part of a recording");
                assertEquals(count * 0.005, value(samples, NAME + "_sum"), 1e-6, "sum and count disagree");
                assertTrue(count >= lastCount, "the count went down");
                lastCount = count;
            }
            assertTrue(lastCount > 0, "the recorder never ran");
        }
        finally
        {
            running.set(false);
            recorder.join();
        }
    }

    private static void record(final MetricsHistogram histogram, final long[] startsNs, final int round)
    {
        histogram.record(round * 1_000L);
        histogram.recordElapsed(300_000_000L + round, startsNs, startsNs.length);
    }

    private static String text(final MetricsHistogram histogram)
    {
        final StringBuilder text = new StringBuilder();
        histogram.appendTo(text);
        return text.toString();
    }

    private static double value(final List<ExpositionParser.Sample> samples, final String name)
    {
        for (final ExpositionParser.Sample sample : samples)
        {
            if (sample.name().equals(name))
            {
                return sample.value();
            }
        }
        throw new AssertionError(name + " is not in " + samples);
    }
}
