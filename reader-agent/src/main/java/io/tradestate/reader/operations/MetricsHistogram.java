package io.tradestate.reader.operations;

import java.util.concurrent.locks.StampedLock;

/**
 * A Prometheus histogram with fixed buckets, recorded by one thread without allocating and read by any: the
 * {@code name_bucket{le="..."}} samples (cumulative, the last one {@code le="+Inf"}), {@code name_sum} and
 * {@code name_count}, as the Prometheus Java client writes a classic histogram.
 * <p>
 * <b>Design note.</b> The drain records on its own threads, where a scrape must cost nothing: a recording is a
 * linear search of a dozen bounds and a few long increments in arrays sized once, under a {@link StampedLock}'s write
 * lock, which is one uncontended compare-and-set because a scrape never takes the lock: it copies the counts under an
 * optimistic read and copies again if a recording came in between. So every scrape is one consistent state (the
 * {@code +Inf} bucket equals {@code _count}, and {@code _sum} belongs to the same observations), and a batch's
 * observations appear together. Values are recorded in a whole unit (nanoseconds, events, bytes) and exposed in the
 * base unit of the name (seconds for {@code _seconds}) by a scale, so the sum does not drift by rounding.
 */
public final class MetricsHistogram
{
    private final String name;
    private final String help;
    private final double[] bounds;
    private final long[] limits;
    private final double scale;
    private final long[] counts;
    private final StampedLock lock = new StampedLock();
    private long sum;

    /**
     * @param name   of the metric, without the {@code _bucket}, {@code _sum} and {@code _count} suffixes.
     * @param help   its help text.
     * @param scale  the exposed unit per recorded unit: {@code 1e-9} for nanoseconds exposed as seconds, 1 for counts.
     * @param bounds the buckets' upper bounds (inclusive) in the exposed unit, ascending; {@code +Inf} is added.
     * @throws IllegalArgumentException if the bounds are not ascending and finite.
     */
    public MetricsHistogram(final String name, final String help, final double scale, final double... bounds)
    {
        this.name = name;
        this.help = help;
        this.scale = scale;
        this.bounds = bounds.clone();
        this.limits = new long[bounds.length];
        for (int i = 0; i < bounds.length; i++)
        {
            if (!Double.isFinite(bounds[i]) || (i > 0 && bounds[i] <= bounds[i - 1]))
            {
                throw new IllegalArgumentException("bounds of " + name + " must be finite and ascending");
            }
            limits[i] = Math.round(bounds[i] / scale);
        }
        this.counts = new long[bounds.length + 1];
    }

    /**
     * The metric's name.
     *
     * @return without suffixes.
     */
    String name()
    {
        return name;
    }

    /**
     * Record one observation: from one thread only.
     *
     * @param value in the recorded unit; a negative value counts as 0.
     */
    public void record(final long value)
    {
        final long stamp = lock.writeLock();
        add(value);
        lock.unlockWrite(stamp);
    }

    /**
     * Record the time from each of several instants to one later instant, as one update a scrape sees whole: from one
     * thread only.
     *
     * @param endNs    the later instant.
     * @param startsNs the earlier instants, of the same clock.
     * @param count    how many of {@code startsNs} to record, from its start.
     */
    public void recordElapsed(final long endNs, final long[] startsNs, final int count)
    {
        final long stamp = lock.writeLock();
        for (int i = 0; i < count; i++)
        {
            add(endNs - startsNs[i]);
        }
        lock.unlockWrite(stamp);
    }

    /**
     * Append the histogram in the text exposition format: help, type, the cumulative buckets, sum and count.
     *
     * @param text the scrape being built.
     */
    public void appendTo(final StringBuilder text)
    {
        final long[] snapshot = new long[counts.length];
        long snapshotSum;
        while (true)
        {
            final long stamp = lock.tryOptimisticRead();
            System.arraycopy(counts, 0, snapshot, 0, counts.length);
            snapshotSum = sum;
            if (lock.validate(stamp))
            {
                break;
            }
            Thread.onSpinWait();
        }

        MetricsExposition.header(text, name, "histogram", help);
        long cumulative = 0;
        for (int i = 0; i < bounds.length; i++)
        {
            cumulative += snapshot[i];
            text.append(name).append("_bucket{le=\"").append(bounds[i]).append("\"} ").append(cumulative)
                .append('\n');
        }
        cumulative += snapshot[bounds.length];
        text.append(name).append("_bucket{le=\"+Inf\"} ").append(cumulative).append('\n');
        text.append(name).append("_sum ").append(snapshotSum * scale).append('\n');
        text.append(name).append("_count ").append(cumulative).append('\n');
    }

    private void add(final long value)
    {
        final long observed = Math.max(0, value);
        int bucket = 0;
        while (bucket < limits.length && observed > limits[bucket])
        {
            bucket++;
        }
        counts[bucket]++;
        sum += observed;
    }
}
