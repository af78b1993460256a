package io.tradestate.tools;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportOptionsTest
{
    private static final String URL = "jdbc:postgresql://127.0.0.1:5432/tradestate";

    @Test
    void shouldTakeTheFiltersAndDefaultToDailyText()
    {
        final ReportOptions options = parse("--db", URL, "--starting-balance", "1000.50", "--source", "alpha",
            "--strategy=momentum", "--from-time", "2026-05-01", "--to-time", "1777766400000");

        assertEquals(new BigDecimal("1000.50"), options.startingBalance());
        assertEquals("alpha", options.sourceId());
        assertEquals("momentum", options.strategy());
        assertEquals("2026-05-01T00:00:00Z", options.fromTime().toString());
        assertEquals("2026-05-03T00:00:00Z", options.toTime().toString());
        assertEquals("day", options.period());
        assertFalse(options.json());
    }

    @Test
    void shouldTakeAPeriodJsonAndNoFilter()
    {
        final ReportOptions options = parse("--db", URL, "--starting-balance", "1", "--period", "month", "--json");

        assertEquals("month", options.period());
        assertTrue(options.json());
        assertNull(options.sourceId());
        assertNull(options.fromTime());
    }

    @Test
    void shouldNameWhatIsWrong()
    {
        assertMessage("--starting-balance is missing: the balance the drawdown and the ratios start from, such as " +
            "1000", "--db", URL);
        assertMessage("--starting-balance must be above 0, was: '0'", "--db", URL, "--starting-balance", "0");
        assertMessage("--starting-balance must be above 0, was: '-100'", "--db", URL, "--starting-balance=-100");
        assertMessage("--starting-balance must be a decimal number, was: 'lots'", "--db", URL, "--starting-balance",
            "lots");
        assertMessage("--period must be day, week or month, was: 'year'", "--db", URL, "--starting-balance", "1",
            "--period", "year");
        assertMessage("--from-time must be before --to-time, was: '2026-06-01' and '2026-05-01'", "--db", URL,
            "--starting-balance", "1", "--from-time", "2026-06-01", "--to-time", "2026-05-01");
        assertMessage("--to-time must be ISO-8601 (2026-05-01T12:00:00Z) or epoch milliseconds, was: 'soon'",
            "--db", URL, "--starting-balance", "1", "--to-time", "soon");
        assertMessage("--db is missing: the JDBC URL of the agent's database, such as " +
            "jdbc:postgresql://127.0.0.1:5432/tradestate", "--starting-balance", "1");
        assertMessage("unexpected argument 'alpha': report takes options only; see --help", "alpha", "--db", URL);
        assertMessage("Unknown option: '--pair'", "--db", URL, "--pair", "BTC/USDT");
        assertMessage("--source must not be empty", "--db", URL, "--starting-balance", "1", "--source", "");
    }

    @Test
    void shouldExitWithTwoNamingTheOptionAndZeroForHelp()
    {
        final java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        assertEquals(ReportTool.EXIT_INVALID_ARGUMENTS, ReportTool.run(new String[]{"--db", URL},
            new java.io.PrintStream(out), new java.io.PrintStream(err), Map.of()));
        assertTrue(err.toString().startsWith("tradestate report: --starting-balance is missing"), err.toString());
        assertEquals(ReportTool.EXIT_DONE, ReportTool.run(new String[]{"--help"},
            new java.io.PrintStream(out), new java.io.PrintStream(err), Map.of()));
        assertTrue(out.toString().startsWith(ReportOptions.usage()), out.toString());
        assertTrue(out.toString().contains("Exit codes:\n  0   done\n  2   invalid arguments\n  3   the database " +
            "cannot be read"), out.toString());
    }

    private static ReportOptions parse(final String... args)
    {
        return ReportOptions.parse(args, Map.of());
    }

    private static void assertMessage(final String message, final String... args)
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> parse(args));
        assertEquals(message, ex.getMessage());
    }
}
