package io.tradestate.reader.state;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Time from append to visible in the state maps, per event, as the state publisher records it: one histogram, or two
 * split by the events' append time, so that the first seconds of a run can be told from its steady state (the demo's
 * summary does). Recorded by the publisher's thread without allocating once the histograms have grown, taken by any
 * thread (HdrHistogram {@link Recorder}s).
 */
final class StateVisibleLatency
{
    private final Recorder beforeSplitNs = new Recorder(3);
    private final Recorder fromSplitNs = new Recorder(3);
    private volatile long splitAppendTimeNs = Long.MIN_VALUE;

    /**
     * Record one event.
     *
     * @param appendTimeNs the event's append time, epoch nanoseconds.
     * @param visibleNs    when it became visible in the maps, epoch nanoseconds of the same host clock.
     */
    void record(final long appendTimeNs, final long visibleNs)
    {
        final long latencyNs = Math.max(0, visibleNs - appendTimeNs);
        if (appendTimeNs < splitAppendTimeNs)
        {
            beforeSplitNs.recordValue(latencyNs);
        }
        else
        {
            fromSplitNs.recordValue(latencyNs);
        }
    }

    /**
     * From now on, record the events appended before this time apart from the others.
     *
     * @param appendTimeNs epoch nanoseconds; {@link Long#MIN_VALUE} records every event together again.
     */
    void split(final long appendTimeNs)
    {
        splitAppendTimeNs = appendTimeNs;
    }

    /**
     * Every event recorded since the last take.
     *
     * @return a new histogram, in nanoseconds.
     */
    Histogram take()
    {
        final Histogram all = fromSplitNs.getIntervalHistogram();
        all.add(beforeSplitNs.getIntervalHistogram());
        return all;
    }

    /**
     * The events on one side of the split recorded since the last take of that side.
     *
     * @param beforeSplit true for the events appended before the split, false for the others.
     * @return a new histogram, in nanoseconds.
     */
    Histogram take(final boolean beforeSplit)
    {
        return (beforeSplit ? beforeSplitNs : fromSplitNs).getIntervalHistogram();
    }
}
