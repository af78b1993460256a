package io.tradestate.tools;

import io.tradestate.reader.AgentTestEnvironment;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One run of {@code tradestate reconcile} ({@link ReconcileTool#run}) in this JVM: its exit code and output.
 */
final class ReconcileRun
{
    final int exitCode;
    final String out;
    final String err;

    private ReconcileRun(final int exitCode, final String out, final String err)
    {
        this.exitCode = exitCode;
        this.out = out;
        this.err = err;
    }

    /**
     * Reconcile against the test's database, with the test server's user and password (in a file of mode 0600, in
     * the test's folder).
     *
     * @param environment the test's database and folder.
     * @param args        the source and options, {@code --db} and credentials added.
     * @return the run.
     * @throws IOException if the password file cannot be written.
     */
    static ReconcileRun againstDatabase(final AgentTestEnvironment environment, final String... args)
        throws IOException
    {
        final List<String> all = new ArrayList<>(List.of(args));
        all.addAll(DatabaseArguments.of(environment.database(), environment.root()));
        return of(all.toArray(new String[0]));
    }

    /**
     * Reconcile with the arguments as given.
     *
     * @param args the arguments after {@code reconcile}.
     * @return the run.
     */
    static ReconcileRun of(final String... args)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int exitCode;
        try (PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
            PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8))
        {
            exitCode = ReconcileTool.run(args, outStream, errStream, Map.of());
        }
        return new ReconcileRun(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
