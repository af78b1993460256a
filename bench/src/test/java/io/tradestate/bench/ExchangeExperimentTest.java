package io.tradestate.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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

    @Test
    void shouldRefuseAnOptionItDoesNotKnowNamingIt()
    {
        assertEquals("unknown option --exchange", assertThrows(IllegalArgumentException.class,
            () -> new ExchangeExperiment("--exchanges=2", "--exchange=5")).getMessage());
    }

    @Test
    void shouldNameTheOptionWhoseValueIsNotANumber()
    {
        assertEquals("--messages takes a whole number up to 2147483647, not '1e3'", assertThrows(
            IllegalArgumentException.class, () -> new ExchangeExperiment("--messages=1e3")).getMessage());
        assertEquals("--mean-gap-ms takes a number, not 'two'", assertThrows(
            IllegalArgumentException.class, () -> new ExchangeExperiment("--mean-gap-ms=two")).getMessage());
    }

    @Test
    void shouldRefuseAVariantItDoesNotHave()
    {
        assertThrows(IllegalArgumentException.class, () -> new ExchangeExperiment("--variants=noop,sqlite"));
        assertThrows(IllegalArgumentException.class, () -> new ExchangeExperiment("--variants=noop,noop"));
    }
}
