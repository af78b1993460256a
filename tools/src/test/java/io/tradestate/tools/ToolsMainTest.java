package io.tradestate.tools;

import io.tradestate.reader.ReaderAgentMain;
import io.tradestate.reader.cli.VersionProvider;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The command line every command shares: {@code --version} prints one version line, the same for {@code tradestate},
 * each of its subcommands and the reader agent; {@code --help} of each ends with its exit codes; bad usage exits 2
 * naming what is wrong.
 */
class ToolsMainTest
{
    private static final List<String> TOOLS = List.of("dump", "state", "verify", "partitions", "report", "reconcile");

    @Test
    void shouldPrintTheSameVersionForTradestateEverySubcommandAndTheAgent()
    {
        final String version = VersionProvider.version();
        assertTrue(version.matches("tradestate \\S+ \\(commit (unknown|[0-9a-f]{7,})\\), Java .+ \\(.+\\)"), version);
        assertTrue(version.contains(System.getProperty("java.version")), version);
        assertTrue(!version.startsWith("tradestate unknown"), "the build wrote the version: " + version);

        assertVersion(version, run("--version"));
        assertVersion(version, run("-V"));
        for (final String tool : TOOLS)
        {
            assertVersion(version, run(tool, "--version"));
            assertVersion(version, run(tool, "-V"));
        }
        assertVersion(version, agent("--version"));
        assertVersion(version, agent("status", "--version"));
    }

    @Test
    void shouldEndEveryHelpWithItsExitCodes()
    {
        assertHelp(run("--help"), "usage: tradestate dump|state|verify|partitions|report|reconcile|demo",
            "  2   invalid arguments: an unknown command or option, a bad value");
        for (final String tool : TOOLS)
        {
            assertHelp(run(tool, "--help"), "usage: tradestate " + tool, "  2   invalid arguments");
        }
        assertHelp(run("partitions", "--help"), "usage: tradestate partitions",
            "  3   the database cannot be read or changed");
        assertHelp(agent("--help"), "usage: tradestate-reader-agent [config-file]",
            "  2   invalid arguments or configuration");
        assertTrue(agent("--help").out.contains("journal.root"), "the agent's help lists its settings");
        assertHelp(agent("status", "--help"), "usage: tradestate-reader-agent status [--json] [config-file]",
            "  1   the database or the journals cannot be read");
    }

    @Test
    void shouldExitTwoNamingTheCommandOrOptionThatIsWrong()
    {
        final Run unknownCommand = run("purge");
        assertEquals(2, unknownCommand.exitCode);
        assertTrue(unknownCommand.err.startsWith("tradestate: ") && unknownCommand.err.contains("'purge'"),
            unknownCommand.err);

        final Run noCommand = run();
        assertEquals(2, noCommand.exitCode);
        assertTrue(noCommand.err.contains("usage: tradestate"), noCommand.err);

        final Run unknownOption = run("partitions", "list", "--db", "jdbc:postgresql://127.0.0.1:1/x", "--bogus");
        assertEquals(PartitionsTool.EXIT_INVALID_ARGUMENTS, unknownOption.exitCode);
        assertTrue(unknownOption.err.startsWith("tradestate partitions: Unknown option: '--bogus'"),
            unknownOption.err);

        final Run missingValue = run("report", "--db");
        assertEquals(ReportTool.EXIT_INVALID_ARGUMENTS, missingValue.exitCode);
        assertTrue(missingValue.err.startsWith("tradestate report: ") && missingValue.err.contains("'--db'"),
            missingValue.err);

        final Run agentOption = agent("--bogus");
        assertEquals(ReaderAgentMain.EXIT_INVALID, agentOption.exitCode);
        assertTrue(agentOption.err.startsWith("tradestate-reader-agent: Unknown option: '--bogus'"),
            agentOption.err);

        final Run demo = run("demo");
        assertEquals(2, demo.exitCode);
        assertTrue(demo.err.contains("the demo runs from a repository checkout"), demo.err);
    }

    private static void assertVersion(final String version, final Run run)
    {
        assertEquals(0, run.exitCode, run.err);
        assertEquals(version + System.lineSeparator(), run.out);
        assertEquals("", run.err);
    }

    private static void assertHelp(final Run run, final String start, final String exitCode)
    {
        assertEquals(0, run.exitCode, run.err);
        assertTrue(run.out.startsWith(start), run.out);
        assertTrue(run.out.contains(System.lineSeparator() + "Exit codes:" + System.lineSeparator() + "  0   "),
            run.out);
        assertTrue(run.out.contains(exitCode), run.out);
        assertTrue(run.out.contains("-V, --version"), run.out);
    }

    private static Run run(final String... args)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int exitCode = ToolsMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8), Map.of());
        return new Run(exitCode, out, err);
    }

    private static Run agent(final String... args)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int exitCode = ReaderAgentMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8), Map.of());
        return new Run(exitCode, out, err);
    }

    private static final class Run
    {
        final int exitCode;
        final String out;
        final String err;

        Run(final int exitCode, final ByteArrayOutputStream out, final ByteArrayOutputStream err)
        {
            this.exitCode = exitCode;
            this.out = out.toString(StandardCharsets.UTF_8);
            this.err = err.toString(StandardCharsets.UTF_8);
        }
    }
}
