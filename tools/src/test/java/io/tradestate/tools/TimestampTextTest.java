package io.tradestate.tools;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TimestampTextTest
{
    @Test
    void shouldWriteMillisecondsWithThreeFractionDigitsWhenGivenMilliseconds()
    {
        assertEquals("1970-01-01T00:00:00.000Z", TimestampText.appendMillis(new StringBuilder(), 0).toString());
        assertEquals("2026-01-01T00:00:00.123Z",
            TimestampText.appendMillis(new StringBuilder(), 1_767_225_600_123L).toString());
        assertEquals("9999-12-31T23:59:59.999Z",
            TimestampText.appendMillis(new StringBuilder(), 253_402_300_799_999L).toString());
    }

    @Test
    void shouldWriteNanosecondsWithNineFractionDigitsWhenGivenNanoseconds()
    {
        assertEquals("2026-01-01T00:00:00.000000001Z",
            TimestampText.appendNanos(new StringBuilder(), 1_767_225_600_000_000_001L).toString());
        assertEquals("2262-04-11T23:47:16.854775807Z",
            TimestampText.appendNanos(new StringBuilder(), Long.MAX_VALUE).toString());
        assertEquals("1969-12-31T23:59:59.999999999Z", TimestampText.appendNanos(new StringBuilder(), -1).toString());
    }
}
