package io.tradestate.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

class ExchangeExperimentTest
{
    @Test
    void shouldPersistEveryOtherMessageAtHalfAndSpreadAnyOtherShareEvenly()
    {
        assertArrayEquals(new boolean[] {false, true, false, true, false, true}, ExchangeExperiment.persisted(6, 0.5));
        assertArrayEquals(new boolean[] {false, false, false, true, false, false, false, true},
            ExchangeExperiment.persisted(8, 0.25));
        assertArrayEquals(new boolean[] {false, false, false}, ExchangeExperiment.persisted(3, 0));
        assertArrayEquals(new boolean[] {true, true, true}, ExchangeExperiment.persisted(3, 1));
    }
}
