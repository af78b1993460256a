package io.tradestate.tools;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * One run of the dump in this JVM, with what it printed on each stream.
 */
final class DumpRun
{
    final int exitCode;
    final String out;
    final String err;

    private DumpRun(final int exitCode, final String out, final String err)
    {
        this.exitCode = exitCode;
        this.out = out;
        this.err = err;
    }

    static DumpRun of(final String... args)
    {
        final StringWriter out = new StringWriter();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int exitCode;
        try (PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8))
        {
            exitCode = JournalDumpTool.run(args, out, errStream);
        }
        return new DumpRun(exitCode, out.toString(), err.toString(StandardCharsets.UTF_8));
    }

    /**
     * Run a dump that must succeed and parse every line it printed.
     */
    static List<Map<String, Object>> lines(final String... args)
    {
        final DumpRun run = of(args);
        assertEquals(JournalDumpTool.EXIT_OK, run.exitCode, run.err);
        assertEquals("", run.err);
        return JsonLine.parseAll(run.out);
    }

    /**
     * Run a dump that must succeed and return its output as it is.
     */
    static String output(final String... args)
    {
        final DumpRun run = of(args);
        assertEquals(JournalDumpTool.EXIT_OK, run.exitCode, run.err);
        assertEquals("", run.err);
        return run.out;
    }
}
