package io.tradestate.tools;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code tradestate reconcile}'s usage and input errors: exit 2 with a message naming the option, or the file, line
 * and field, before any database is opened (the URL given here answers nothing).
 */
class ReconcileToolTest
{
    private static final String NO_DATABASE = "jdbc:postgresql://127.0.0.1:1/none";

    @TempDir
    Path dir;

    @Test
    void shouldRefuseBadUsageNamingTheOption()
    {
        assertInvalid("--exchange-dump is missing", "alpha", "--exchange", "binance", "--db", NO_DATABASE);
        assertInvalid("--exchange is missing", "alpha", "--exchange-dump", "x", "--db", NO_DATABASE);
        assertInvalid("give one of --db", "alpha", "--exchange-dump", "x", "--exchange", "binance");
        assertInvalid("give one of --db", "alpha", "--exchange-dump", "x", "--exchange", "binance", "--db",
            NO_DATABASE, "--state", "s");
        assertInvalid("<source> is missing", "--exchange-dump", "x", "--exchange", "binance", "--db", NO_DATABASE);
        assertInvalid("--to must be after --from", "alpha", "--exchange-dump", "x", "--exchange", "binance",
            "--from", "2026-01-02", "--to", "2026-01-01", "--db", NO_DATABASE);
        assertInvalid("--from must be ISO-8601", "alpha", "--exchange-dump", "x", "--exchange", "binance",
            "--from", "yesterday", "--db", NO_DATABASE);
        assertInvalid("--exchange-dump " + dir.resolve("none") + " is not a file", "alpha", "--exchange-dump",
            dir.resolve("none").toString(), "--exchange", "binance", "--db", NO_DATABASE);
        assertInvalid("--apply goes with --db", "alpha", "--exchange-dump", "x", "--exchange", "binance",
            "--state", "s", "--apply", "j");
        assertInvalid("Missing required parameter for option '--apply'", "alpha", "--exchange-dump", "x",
            "--exchange", "binance", "--db", NO_DATABASE, "--apply");
        final ReconcileRun help = ReconcileRun.of("--help");
        assertEquals(ReconcileTool.EXIT_CONSISTENT, help.exitCode);
        assertTrue(help.out.startsWith("usage: tradestate reconcile <source>"), help.out);
        assertTrue(help.out.contains("  --apply=DIR "), help.out);
    }

    @Test
    void shouldRefuseToApplyToAJournalRootWithoutTheSourceBeforeOpeningTheDatabase() throws IOException
    {
        final Path dump = dir.resolve("dump.jsonl");
        Files.writeString(dump, "{\"id\":\"t-1\",\"order\":\"o-1\",\"symbol\":\"BTC/USDT\",\"side\":\"buy\"," +
            "\"price\":1,\"amount\":1}\n");
        assertInvalid("--apply " + dir + " holds no journal of source alpha", "alpha", "--exchange-dump",
            dump.toString(), "--exchange", "binance", "--db", NO_DATABASE, "--apply", dir.toString());
    }

    @Test
    void shouldRefuseAMalformedDumpNamingTheFileLineAndField() throws IOException
    {
        final Path dump = dir.resolve("dump.jsonl");
        Files.writeString(dump, "{\"id\":\"t-1\",\"order\":\"o-1\",\"symbol\":\"BTC/USDT\",\"side\":\"buy\"," +
            "\"price\":1,\"amount\":1}\n\n{\"id\":\"t-2\",\"order\":\"o-1\",\"symbol\":\"BTC/USDT\",\"side\":\"buy\"," +
            "\"price\":1,\"amount\":\"1.2.3\"}\n");
        assertInvalid(dump + " line 3: amount does not parse as a decimal: '1.2.3'", "alpha", "--exchange-dump",
            dump.toString(), "--exchange", "binance", "--db", NO_DATABASE);
        Files.write(dump, new byte[] {'{', '"', 'i', 'd', '"', ':', '"', (byte)0xC3, (byte)0x28, '"', '}', '\n'});
        assertInvalid(dump + " line 1: not UTF-8 text", "alpha", "--exchange-dump", dump.toString(), "--exchange",
            "binance", "--db", NO_DATABASE);
    }

    private static void assertInvalid(final String message, final String... args)
    {
        final ReconcileRun run = ReconcileRun.of(args);
        assertEquals(ReconcileTool.EXIT_INVALID, run.exitCode, run.out + run.err);
        assertTrue(run.err.startsWith("tradestate reconcile: " + message), run.err);
        assertEquals("", run.out);
    }
}
