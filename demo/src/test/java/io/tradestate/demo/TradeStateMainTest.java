package io.tradestate.demo;

import io.tradestate.reader.cli.VersionProvider;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The repository's {@code tradestate}: the tools' command line with {@code demo} added, the same version line for
 * each, the demo's help with its exit codes, bad usage of the demo exiting 2 with the option named.
 */
class TradeStateMainTest
{
    @Test
    void shouldPrintTheSameVersionForTradestateTheDemoAndTheTools()
    {
        final String version = VersionProvider.version() + System.lineSeparator();
        for (final String[] args : new String[][] { { "--version" }, { "demo", "--version" }, { "demo", "-V" },
            { "dump", "--version" }, { "verify", "--version" } })
        {
            final Run run = Run.of(args);
            assertEquals(0, run.exitCode, run.err);
            assertEquals(version, run.out, String.join(" ", args));
        }
    }

    @Test
    void shouldListTheDemoOptionsAndExitCodesInItsHelp()
    {
        final Run run = Run.of("demo", "--help");
        assertEquals(0, run.exitCode, run.err);
        assertTrue(run.out.startsWith("usage: tradestate demo [options]"), run.out);
        assertTrue(run.out.contains("--json") && run.out.contains("--chaos") && run.out.contains("--duration=D"),
            run.out);
        assertTrue(run.out.contains("Exit codes:" + System.lineSeparator() + "  0   every appended event is in the " +
            "database exactly once"), run.out);
        assertTrue(run.out.contains("  2   invalid arguments"), run.out);
    }

    @Test
    void shouldExitTwoNamingTheOptionWhenTheDemoIsMisused()
    {
        final Run unknown = Run.of("demo", "--bogus");
        assertEquals(DemoOptions.EXIT_INVALID, unknown.exitCode);
        assertTrue(unknown.err.startsWith("tradestate demo: Unknown option: '--bogus'"), unknown.err);

        final Run invalid = Run.of("demo", "--rate", "-1");
        assertEquals(DemoOptions.EXIT_INVALID, invalid.exitCode);
        assertTrue(invalid.err.startsWith("tradestate demo: --rate must be above 0"), invalid.err);
        assertEquals("", invalid.out);
    }

    private static final class Run
    {
        final int exitCode;
        final String out;
        final String err;

        private Run(final int exitCode, final String out, final String err)
        {
            this.exitCode = exitCode;
            this.out = out;
            this.err = err;
        }

        static Run of(final String... args)
        {
            final ByteArrayOutputStream out = new ByteArrayOutputStream();
            final ByteArrayOutputStream err = new ByteArrayOutputStream();
            final int exitCode = TradeStateMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of());
            return new Run(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        }
    }
}
