package io.tradestate.demo;

import org.junit.jupiter.api.Test;

import java.nio.file.Paths;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DemoOptionsTest
{
    @Test
    void shouldUseTheDocumentedDefaultsWhenNoOptionIsGiven()
    {
        final DemoOptions options = DemoOptions.parse();
        assertEquals(60_000, options.durationMs());
        assertEquals(100, options.instruments());
        assertEquals(5, options.exchanges());
        assertEquals(10, options.processes());
        assertEquals(1.5, options.rate());
        assertEquals(1.0, options.speed());
        assertFalse(options.max());
        assertFalse(options.reset());
        assertFalse(options.chaos());
        assertFalse(options.keepWarm());
        assertEquals("", options.dbUrl());
        assertEquals(Paths.get("tradestate-demo", "state").toAbsolutePath(), options.stateDir());
        assertEquals(Paths.get("tradestate-demo", "journal").toAbsolutePath(), options.journalRoot());
    }

    @Test
    void shouldParseEveryOptionInBothForms()
    {
        final DemoOptions options = DemoOptions.parse("--duration", "2m", "--instruments=20", "--exchanges", "3",
            "--processes", "4", "--rate", "0.5", "--speed=1000", "--max", "--seed", "9", "--db-port", "0",
            "--state-dir", "/tmp/s", "--journal-dir=/tmp/j", "--reset", "--hold", "--chaos", "--keep-warm");
        assertEquals(120_000, options.durationMs());
        assertEquals(20, options.instruments());
        assertEquals(3, options.exchanges());
        assertEquals(4, options.processes());
        assertEquals(0.5, options.rate());
        assertEquals(1000.0, options.speed());
        assertTrue(options.max());
        assertEquals(9, options.seed());
        assertEquals(0, options.dbPort());
        assertEquals(-1, options.metricsPort(), "off by default");
        assertEquals(9465, DemoOptions.parse("--metrics-port", "9465").metricsPort());
        assertEquals(0, DemoOptions.parse("--metrics-port=0").metricsPort());
        assertTrue(DemoOptions.parse("--json").json());
        assertFalse(options.json());
        assertEquals(Paths.get("/tmp/s"), options.stateDir());
        assertEquals(Paths.get("/tmp/j"), options.journalRoot());
        assertTrue(options.reset() && options.hold() && options.chaos() && options.keepWarm());
        assertTrue(options.describe().endsWith(", with --chaos"), options.describe());
        assertEquals(500, DemoOptions.parse("--duration", "500ms").durationMs());
        assertEquals(8_000, DemoOptions.parse("--duration", "8").durationMs());
    }

    @Test
    void shouldNameTheOptionWhenAValueIsInvalid()
    {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DemoOptions.parse("--rate", "-1"))
            .getMessage().startsWith("--rate"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DemoOptions.parse("--duration", "soon"))
            .getMessage().startsWith("--duration"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DemoOptions.parse("--db-url", "mysql://x"))
            .getMessage().startsWith("--db-url"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DemoOptions.parse("--metrics-port", "70000"))
            .getMessage().startsWith("--metrics-port"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DemoOptions.parse("--bogus", "1"))
            .getMessage().contains("--bogus"));
        assertThrows(IllegalArgumentException.class, () -> DemoOptions.parse("--instruments"));
        assertEquals("--chaos needs a --duration of at least 6 s, was: 5 s", assertThrows(
            IllegalArgumentException.class, () -> DemoOptions.parse("--chaos", "--duration", "5s")).getMessage());
    }

    @Test
    void shouldNeverRunMoreProcessesThanInstruments()
    {
        assertEquals(3, DemoOptions.parse("--instruments", "3", "--processes", "10").processes());
    }

    @Test
    void shouldListEveryOptionInTheUsage()
    {
        for (final String option : new String[] { "--duration", "--instruments", "--exchanges", "--processes",
            "--rate", "--speed", "--max", "--keep-warm", "--seed", "--db-url", "--state-dir", "--reset", "--chaos",
            "--help" })
        {
            assertTrue(DemoOptions.usage().contains(option), option);
        }
    }
}
