package io.tradestate.reader;

import java.util.Arrays;

/**
 * Latencies recorded by one thread into a preallocated array (recording allocates nothing, so it cannot disturb
 * what it measures), read by another once the recording thread has been joined. Samples beyond the capacity are
 * counted but not kept.
 */
final class LatencySamples
{
    private final String name;
    private final long[] samplesNs;
    private int kept;
    private long recorded;

    /**
     * Empty samples.
     *
     * @param name     for the summary, such as the phase of the test.
     * @param capacity most samples kept.
     */
    LatencySamples(final String name, final int capacity)
    {
        this.name = name;
        this.samplesNs = new long[capacity];
    }

    /**
     * Record one latency.
     *
     * @param latencyNs in nanoseconds.
     */
    void record(final long latencyNs)
    {
        if (kept < samplesNs.length)
        {
            samplesNs[kept++] = latencyNs;
        }
        recorded++;
    }

    /**
     * Number of latencies recorded, kept or not.
     *
     * @return the count.
     */
    long recorded()
    {
        return recorded;
    }

    /**
     * A percentile of the kept samples, by the nearest-rank method.
     *
     * @param percent from 0 (exclusive) to 100.
     * @return the latency in nanoseconds, or 0 without samples.
     */
    long percentileNs(final double percent)
    {
        if (0 == kept)
        {
            return 0;
        }
        final long[] sorted = Arrays.copyOf(samplesNs, kept);
        Arrays.sort(sorted);
        final int rank = (int)Math.ceil(percent / 100.0 * kept);
        return sorted[Math.max(0, Math.min(kept, rank) - 1)];
    }

    /**
     * Count, median, p99, p99.9 and maximum, in microseconds.
     *
     * @return one line.
     */
    String summary()
    {
        return String.format("%-8s %,8d appends: p50 %,8.1f us, p99 %,8.1f us, p99.9 %,9.1f us, max %,10.1f us", name,
            recorded, percentileNs(50) / 1e3, percentileNs(99) / 1e3, percentileNs(99.9) / 1e3,
            percentileNs(100) / 1e3);
    }
}
