package io.tradestate.reader.state;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class StateVisibleLatencyTest
{
    @Test
    void shouldKeepTheEventsAppendedBeforeTheSplitApartWhenSplit()
    {
        final StateVisibleLatency latency = new StateVisibleLatency();
        latency.record(1_000, 3_000);
        assertEquals(1, latency.take().getTotalCount(), "unsplit, every event together");

        latency.split(10_000);
        latency.record(9_999, 12_000);
        latency.record(10_000, 10_500);
        latency.record(20_000, 20_700);

        final org.HdrHistogram.Histogram before = latency.take(true);
        final org.HdrHistogram.Histogram after = latency.take(false);
        assertEquals(1, before.getTotalCount());
        assertEquals(2_001, before.getMaxValue(), 1);
        assertEquals(2, after.getTotalCount());
        assertEquals(700, after.getMaxValue(), 1);
        assertEquals(0, latency.take().getTotalCount(), "taken");
    }

    @Test
    void shouldNeverRecordANegativeTimeWhenTheClocksDisagree()
    {
        final StateVisibleLatency latency = new StateVisibleLatency();
        latency.record(5_000, 4_000);
        assertEquals(0, latency.take().getMaxValue());
    }
}
