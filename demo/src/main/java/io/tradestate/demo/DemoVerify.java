package io.tradestate.demo;

import io.tradestate.tools.JournalVerifyTool;
import io.tradestate.tools.VerifyOptions;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code tradestate verify} as a {@code --chaos} run ends: every journal under the demo's journal folder against the
 * database, event by event and field for field, with no row or dead letter that has no entry, and the state maps
 * against the current-state tables. The counters the strategies keep cannot prove exactly-once when one of them was
 * killed (its last appends are not in its counter); the journals can.
 */
final class DemoVerify
{
    final int exitCode;
    final String report;
    final long elapsedMs;

    private DemoVerify(final int exitCode, final String report, final long elapsedMs)
    {
        this.exitCode = exitCode;
        this.report = report;
        this.elapsedMs = elapsedMs;
    }

    /**
     * Run it.
     *
     * @param options  the demo's journal and state folders.
     * @param jdbcUrl  the database the agent drains into.
     * @param user     its user.
     * @param password its password, or null.
     * @return the exit code and what it printed.
     */
    static DemoVerify run(final DemoOptions options, final String jdbcUrl, final String user, final String password)
    {
        final List<String> args = new ArrayList<>(List.of(options.journalRoot().toString(), "--db", jdbcUrl,
            "--user", user, "--state", options.stateDir().toString()));
        final Map<String, String> environment = null == password ? Map.of() :
            Map.of(VerifyOptions.PASSWORD_ENV, password);
        final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        final long startMs = System.currentTimeMillis();
        final int exitCode;
        try (PrintStream stream = new PrintStream(captured, true, StandardCharsets.UTF_8))
        {
            exitCode = JournalVerifyTool.run(args.toArray(new String[0]), stream, stream, environment);
        }
        return new DemoVerify(exitCode, captured.toString(StandardCharsets.UTF_8),
            System.currentTimeMillis() - startMs);
    }

    boolean clean()
    {
        return JournalVerifyTool.EXIT_CLEAN == exitCode;
    }

    /**
     * The sources it compared.
     *
     * @return how many {@code source ...:} headings the report has.
     */
    long sources()
    {
        return report.lines().filter((line) -> line.startsWith("source ")).count();
    }
}
