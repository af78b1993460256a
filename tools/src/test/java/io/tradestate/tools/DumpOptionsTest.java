package io.tradestate.tools;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.file.Paths;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DumpOptionsTest
{
    private static final long T0_NS = 1_767_225_600_000_000_000L;

    @Test
    void shouldUseDefaultsWhenOnlyTheQueueIsGiven()
    {
        final DumpOptions options = DumpOptions.parse("/var/lib/tradestate/journal/momentum-1");

        assertEquals(Paths.get("/var/lib/tradestate/journal/momentum-1"), options.queueDirectory());
        assertTrue(options.types().isEmpty());
        assertNull(options.symbol());
        assertNull(options.orderId());
        assertEquals(0, options.fromIndex());
        assertEquals(Long.MAX_VALUE, options.toIndex());
        assertFalse(options.hasTimeRange());
        assertEquals(Long.MAX_VALUE, options.limit());
        assertFalse(options.follow());
    }

    @Test
    void shouldParseEveryOptionWhenGivenInEitherForm()
    {
        final DumpOptions options = DumpOptions.parse("--type=fill,ORDERUPDATE", "q", "--type", "undecodable",
            "--symbol", "BTC/USDT", "--order-id=o-1", "--from-index", "0x10", "--to-index=32",
            "--from-time", "2026-01-01T00:00:00Z", "--to-time", "1767225601000", "--limit", "5", "-f");

        assertEquals(Paths.get("q"), options.queueDirectory());
        assertEquals(List.of("Fill", "OrderUpdate", "undecodable"), List.copyOf(options.types()));
        assertEquals("BTC/USDT", options.symbol());
        assertEquals("o-1", options.orderId());
        assertEquals(16, options.fromIndex());
        assertEquals(32, options.toIndex());
        assertEquals(T0_NS, options.fromTimeNs());
        assertEquals(T0_NS + 1_000_000_000L, options.toTimeNs());
        assertTrue(options.hasTimeRange());
        assertEquals(5, options.limit());
        assertTrue(options.follow());
    }

    @Test
    void shouldAcceptIsoFormsWhenParsingTimes()
    {
        assertEquals(T0_NS, DumpOptions.time("--from-time", "2026-01-01"));
        assertEquals(T0_NS, DumpOptions.time("--from-time", "2026-01-01T00:00"));
        assertEquals(T0_NS, DumpOptions.time("--from-time", "2026-01-01T00:00Z"));
        assertEquals(T0_NS, DumpOptions.time("--from-time", "2026-01-01t01:00:00+01:00"));
        assertEquals(T0_NS + 123_456_789L, DumpOptions.time("--from-time", "2026-01-01T00:00:00.123456789Z"));
        assertEquals(T0_NS, DumpOptions.time("--from-time", "1767225600000"));
        assertEquals(0, DumpOptions.time("--from-time", "0"));
    }

    @Test
    void shouldNameTheOptionWhenAValueIsInvalid()
    {
        assertInvalid("--from-time must be ISO-8601", "q", "--from-time", "2026-13-01");
        assertInvalid("--to-time is out of range", "q", "--to-time", "9223372036854775807");
        assertInvalid("--from-time must be before --to-time", "q", "--from-time", "2026-01-02", "--to-time",
            "2026-01-01");
        assertInvalid("--from-index 0x10 is after --to-index 0xf", "q", "--from-index", "16", "--to-index", "15");
        assertInvalid("--from-index must be a queue index", "q", "--from-index", "0xZZ");
        assertInvalid("--limit must be a whole number", "q", "--limit", "many");
        assertInvalid("--type must name types among SourceStarted", "q", "--type", "OrderUpdate,");
        assertInvalid("--order-id must not be empty", "q", "--order-id", "");
        assertInvalid("<queue-dir> is missing", "--limit", "1");
        assertInvalid("unexpected argument 'r': one <queue-dir> only", "q", "r");
    }

    @Test
    void shouldNameTheOptionWhenPicocliRefusesIt()
    {
        assertNaming("--follow", "q", "--follow=yes");
        assertNaming("--limit", "q", "--limit");
        assertNaming("Unknown option: '--verbose'", "q", "--verbose", "1");
    }

    @Test
    void shouldNotNeedTheQueueWhenHelpIsAsked()
    {
        final StringWriter out = new StringWriter();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();

        assertEquals(JournalDumpTool.EXIT_OK, JournalDumpTool.run(new String[]{ "-h" }, out, new PrintStream(err)));
        assertTrue(out.toString().startsWith("usage: tradestate dump <queue-dir> [options]"), out.toString());
        assertTrue(out.toString().contains("Exit codes:"), out.toString());
        assertEquals(DumpOptions.usage(), out.toString());
        assertEquals("", err.toString());
    }

    @Test
    void shouldExitTwoNamingTheOptionWhenTheUsageIsBad()
    {
        final StringWriter out = new StringWriter();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();

        assertEquals(JournalDumpTool.EXIT_INVALID_ARGUMENTS,
            JournalDumpTool.run(new String[]{ "q", "--limit" }, out, new PrintStream(err)));
        assertTrue(err.toString().startsWith("tradestate dump: ") && err.toString().contains("'--limit'"),
            err.toString());
        assertEquals("", out.toString());
    }

    private static void assertNaming(final String text, final String... args)
    {
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> DumpOptions.parse(args));
        assertTrue(ex.getMessage().contains(text), ex.getMessage());
    }

    private static void assertInvalid(final String message, final String... args)
    {
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> DumpOptions.parse(args));
        assertTrue(ex.getMessage().startsWith(message), ex.getMessage());
    }
}
