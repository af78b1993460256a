package io.tradestate.tools;

import io.tradestate.reader.AgentTestEnvironment;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One run of {@code tradestate verify} ({@link JournalVerifyTool#run}) in this JVM against a test database, with the
 * test server's user and password (in a file of mode 0600, as an operator would pass it): its exit code and output.
 */
final class VerifyRun
{
    final int exitCode;
    final String out;
    final String err;

    private VerifyRun(final int exitCode, final String out, final String err)
    {
        this.exitCode = exitCode;
        this.out = out;
        this.err = err;
    }

    /**
     * Verify journals against the test's database.
     *
     * @param journalRoot the journals.
     * @param environment the test's database, and its folder for the password file.
     * @param more        further arguments, for example {@code --state <dir>} or {@code --source <id>}.
     * @return the run.
     * @throws IOException if the password file cannot be written.
     */
    static VerifyRun of(final Path journalRoot, final AgentTestEnvironment environment, final String... more)
        throws IOException
    {
        final List<String> args = new ArrayList<>(List.of(journalRoot.toString()));
        args.addAll(DatabaseArguments.of(environment.database(), environment.root()));
        args.addAll(List.of(more));

        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int exitCode;
        try (PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
            PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8))
        {
            exitCode = JournalVerifyTool.run(args.toArray(new String[0]), outStream, errStream, Map.of());
        }
        return new VerifyRun(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
