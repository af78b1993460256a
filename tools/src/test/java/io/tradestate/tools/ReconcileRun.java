package io.tradestate.tools;


import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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
     * Reconcile against a test database, with the test server's user and password (in a file of mode 0600).
     *
     * @param database the test database's name.
     * @param workDir  a folder for the password file.
     * @param args     the source and options, {@code --db} and credentials added.
     * @return the run.
     * @throws IOException if the password file cannot be written.
     */
    static ReconcileRun againstDatabase(final String database, final Path workDir, final String... args)
        throws IOException
    {
        final List<String> all = new ArrayList<>(List.of(args));
        all.addAll(DatabaseArguments.of(database, workDir));
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
