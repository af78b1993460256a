package io.tradestate.tools;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PartitionsOptionsTest
{
    private static final String URL = "jdbc:postgresql://127.0.0.1:5432/tradestate";
    private static final LocalDate TODAY = LocalDate.of(2026, 11, 21);

    @Test
    void shouldCountKeptMonthsBackFromTheCurrentOne()
    {
        final PartitionsOptions options = parse("expire", "--db", URL, "--keep-months", "13", "--drop");

        assertEquals(PartitionsOptions.Action.EXPIRE, options.action());
        assertEquals("2025-11-01T00:00Z", options.before().toString());
        assertTrue(options.drop());
    }

    @Test
    void shouldTakeTheCutoffAsAUtcDateAndThePasswordFromTheEnvironment()
    {
        final PartitionsOptions options = PartitionsOptions.parse(
            new String[]{"expire", "--db=" + URL, "--before", "2025-01-01", "--dry-run"},
            Map.of(VerifyOptions.PASSWORD_ENV, "secret"), TODAY);

        assertEquals("2025-01-01T00:00Z", options.before().toString());
        assertTrue(options.dryRun());
        assertEquals("secret", options.password());
    }

    @Test
    void shouldListWithoutACutoff()
    {
        final PartitionsOptions options = parse("list", "--db", URL);

        assertEquals(PartitionsOptions.Action.LIST, options.action());
        assertNull(options.before());
    }

    @Test
    void shouldNameWhatIsWrong()
    {
        assertMessage("the action is missing: list or expire", "--db", URL);
        assertMessage("unknown action 'purge': list or expire", "purge", "--db", URL);
        assertMessage("--db is missing: the JDBC URL of the agent's database, such as " +
            "jdbc:postgresql://127.0.0.1:5432/tradestate", "list");
        assertMessage("expire needs either --before or --keep-months", "expire", "--db", URL);
        assertMessage("expire needs either --before or --keep-months", "expire", "--db", URL, "--before",
            "2025-01-01", "--keep-months", "3");
        assertMessage("--before must be a date such as 2025-01-01, was: '2025-13-01'", "expire", "--db", URL,
            "--before", "2025-13-01");
        assertMessage("--before, --keep-months, --drop and --dry-run go with expire", "list", "--db", URL, "--drop");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("expire", "--db", URL, "--keep-months",
            "0")).getMessage().startsWith("--keep-months"));
    }

    private static void assertMessage(final String message, final String... args)
    {
        assertEquals(message, assertThrows(IllegalArgumentException.class, () -> parse(args)).getMessage());
    }

    private static PartitionsOptions parse(final String... args)
    {
        return PartitionsOptions.parse(args, Map.of(), TODAY);
    }
}
