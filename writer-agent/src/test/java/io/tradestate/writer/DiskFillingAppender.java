package io.tradestate.writer;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A {@link DiskFillingAppenderMain} strategy JVM as a test drives it: started with the build's JVM flags and this
 * JVM's class path, its report read as it goes, its log at hand for failure messages, killed on close if still
 * running.
 */
public final class DiskFillingAppender implements AutoCloseable
{
    private static final long STEP_TIMEOUT_MS = 60_000;

    private final Process process;
    private final Path reportFile;
    private final Path log;

    private DiskFillingAppender(final Process process, final Path reportFile, final Path log)
    {
        this.process = process;
        this.reportFile = reportFile;
        this.log = log;
    }

    /**
     * Start the strategy JVM.
     *
     * @param workDir     its working folder, which holds its report and log (not on the small file system).
     * @param journalRoot the journal root, on the small file system.
     * @param sourceId    the journal's source id.
     * @param stream      the {@link NumberedEvents} stream it appends.
     * @param rounds      outages to go through before the last events.
     * @param eventsAfter events appended after the last outage.
     * @return the running process.
     * @throws IOException if it cannot be started.
     */
    public static DiskFillingAppender start(
        final Path workDir,
        final Path journalRoot,
        final String sourceId,
        final int stream,
        final int rounds,
        final long eventsAfter) throws IOException
    {
        final String jvmArgs = System.getProperty("tradestate.jvm.args");
        assertTrue(null != jvmArgs && !jvmArgs.isBlank(), "system property tradestate.jvm.args must be set");
        final Path reportFile = workDir.resolve("report.properties");
        final Path log = workDir.resolve("appender.log");
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(Arrays.asList(jvmArgs.trim().split("\\s+")));
        command.add("-Xmx256m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(DiskFillingAppenderMain.class.getName());
        command.addAll(List.of(journalRoot.toString(), sourceId, reportFile.toString(), Integer.toString(stream),
            Integer.toString(rounds), Long.toString(eventsAfter)));
        final Process process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
            .redirectOutput(log.toFile()).start();
        return new DiskFillingAppender(process, reportFile, log);
    }

    /**
     * Wait until the report holds a key.
     *
     * @param key for example {@code full.1.message}.
     * @return the report then.
     * @throws Exception if it does not within a minute (with the log's tail), or the report cannot be read.
     */
    public Properties await(final String key) throws Exception
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STEP_TIMEOUT_MS);
        while (System.nanoTime() - deadlineNs < 0)
        {
            if (Files.exists(reportFile))
            {
                final Properties report = report();
                if (null != report.getProperty(key))
                {
                    return report;
                }
            }
            Thread.sleep(10);
        }
        fail("no " + key + " within " + STEP_TIMEOUT_MS + " ms:\n" + logTail());
        return null;
    }

    /**
     * Wait for a clean end: exit code 0, every event appended, no mapped write faulted.
     *
     * @return the final report.
     * @throws Exception if it did not end so within a minute, or the report cannot be read.
     */
    public Properties awaitDone() throws Exception
    {
        assertTrue(process.waitFor(STEP_TIMEOUT_MS, TimeUnit.MILLISECONDS), "the appender did not finish:\n" +
            logTail());
        assertEquals(0, process.exitValue(), "the appender failed:\n" + logTail());
        final Properties done = report();
        assertEquals("true", done.getProperty("done"), "the appender ran out of time:\n" + logTail());
        final String text = Files.readString(log);
        assertFalse(text.contains("InternalError") || text.contains("fault occurred"),
            "a mapped write faulted:\n" + text);
        return done;
    }

    /**
     * The report as it is now.
     *
     * @return its properties.
     * @throws IOException if it cannot be read.
     */
    public Properties report() throws IOException
    {
        final Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(reportFile, StandardCharsets.UTF_8))
        {
            properties.load(reader);
        }
        return properties;
    }

    /**
     * The process id, as the journal's {@code SourceStarted} records it.
     *
     * @return the pid.
     */
    public long pid()
    {
        return process.pid();
    }

    /**
     * The last 40 lines of the log.
     *
     * @return them, or {@code (no log)}.
     * @throws IOException if the log cannot be read.
     */
    public String logTail() throws IOException
    {
        if (!Files.exists(log))
        {
            return "(no log)";
        }
        final List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    /**
     * Kill the process if it is still running, and wait up to 10 s for it to go.
     */
    public void close()
    {
        if (process.isAlive())
        {
            try
            {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }
}
