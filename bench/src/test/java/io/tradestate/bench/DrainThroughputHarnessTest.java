package io.tradestate.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DrainThroughputHarnessTest
{
    @Test
    void shouldTakeTheMiddleRoundOfAnOddCountWhateverTheOrder()
    {
        assertEquals(97_945.0, DrainThroughputHarness.median(new double[] {121_000.0, 78_922.0, 97_945.0}));
        assertEquals(5.0, DrainThroughputHarness.median(new double[] {5.0}));
    }

    @Test
    void shouldAverageTheTwoMiddleRoundsOfAnEvenCount()
    {
        assertEquals(0.75, DrainThroughputHarness.median(new double[] {0.9, 0.7, 0.8, 0.6}), 1e-12);
    }

    @Test
    void shouldHaveNoMedianWhenARoundHasNoValue()
    {
        assertTrue(Double.isNaN(DrainThroughputHarness.median(new double[] {1.0, Double.NaN, 2.0})));
    }

    @Test
    void shouldLeaveTheRoundsInTheirOrder()
    {
        final double[] rounds = {3.0, 1.0, 2.0};
        DrainThroughputHarness.median(rounds);
        assertEquals(3.0, rounds[0]);
        assertEquals(1.0, rounds[1]);
    }
}
