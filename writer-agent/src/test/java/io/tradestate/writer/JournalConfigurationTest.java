package io.tradestate.writer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A malformed property value is refused with a message naming the property, never silently replaced by the default.
 */
class JournalConfigurationTest
{
    private String property;
    private String previousValue;

    /**
     * Puts back the value the JVM started with: surefire's argLine sets tradestate.journal.warmup.appends=0, and a
     * test class that runs after this one in the same JVM must not find the warm-up turned on.
     */
    @AfterEach
    void restoreProperty()
    {
        if (null != property)
        {
            if (null == previousValue)
            {
                System.clearProperty(property);
            }
            else
            {
                System.setProperty(property, previousValue);
            }
        }
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
        "tradestate.journal.heartbeat.interval.ms, 5O",
        "tradestate.journal.sync.every.appends, 1_000",
        "tradestate.journal.sync.every.appends, 3000000000",
        "tradestate.journal.sync.interval.ms, 50ms",
        "tradestate.journal.maintenance.idle.ms, one",
        "tradestate.journal.pretouch.enabled, yes",
        "tradestate.journal.block.size, 64mb",
        "tradestate.journal.pretouch.ahead, lots",
        "tradestate.journal.warmup.appends, 12k",
        "tradestate.journal.warmup.appends, 3000000000",
        "tradestate.journal.keepwarm.interval.us, 1ms",
    })
    void shouldNameThePropertyWhenItsValueIsMalformed(final String key, final String value)
    {
        property = key;
        previousValue = System.setProperty(key, value);
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, JournalContext::new);
        assertTrue(ex.getMessage().contains(key), ex.getMessage());
        assertTrue(ex.getMessage().contains(value), ex.getMessage());
    }
}
