package io.tradestate.reader;

import io.tradestate.test.ChildJvm;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The reader agent as the daemon runs it: {@link ReaderAgentMain} in a child JVM with a configuration file, started
 * again after each {@link #kill()}. Each life logs to a file of its own ({@code agent-<life>.log}), so a test can read
 * what each one did and count log lines across all of them.
 */
final class ReaderAgentProcess implements AutoCloseable
{
    /**
     * Logged by {@link ReaderAgentMain} once the agent is running.
     */
    static final String RUNNING_LINE = "reader agent running";

    private static final long EXIT_TIMEOUT_MS = 30_000;
    private static final int SIGKILL_EXIT_CODE = 137;
    private static final int LOG_TAIL_LINES = 60;

    private final Path directory;
    private final Path configFile;
    private final Map<String, String> environment;
    private final List<Path> logs = new ArrayList<>();
    private Process process;
    private long startedNs;

    /**
     * A reader agent, not started yet.
     *
     * @param directory folder for the configuration file and the logs; the agent's working folder.
     * @param settings  keys of {@link ReaderConfiguration} and their values.
     * @param password  of the database user, or null; passed as {@value ReaderContext#DB_PASSWORD_ENV}.
     * @throws IOException if the configuration file cannot be written.
     */
    ReaderAgentProcess(final Path directory, final Map<String, String> settings, final String password)
        throws IOException
    {
        this(directory, settings, password, Map.of());
    }

    /**
     * A reader agent with more environment variables, not started yet.
     *
     * @param directory   folder for the configuration file and the logs; the agent's working folder.
     * @param settings    keys of {@link ReaderConfiguration} and their values.
     * @param password    of the database user, or null; passed as {@value ReaderContext#DB_PASSWORD_ENV}.
     * @param environment more variables, such as {@code TRADESTATE_LOG_FORMAT}.
     * @throws IOException if the configuration file cannot be written.
     */
    ReaderAgentProcess(
        final Path directory,
        final Map<String, String> settings,
        final String password,
        final Map<String, String> environment) throws IOException
    {
        this.directory = directory;
        this.configFile = directory.resolve("reader-agent.properties");
        final Map<String, String> variables = new HashMap<>(environment);
        if (null != password)
        {
            variables.put(ReaderContext.DB_PASSWORD_ENV, password);
        }
        this.environment = Map.copyOf(variables);
        Files.createDirectories(directory);
        final Properties properties = new Properties();
        properties.putAll(settings);
        try (Writer writer = Files.newBufferedWriter(configFile, StandardCharsets.UTF_8))
        {
            properties.store(writer, "written by " + ReaderAgentProcess.class.getSimpleName());
        }
    }

    /**
     * Start a new life of the agent; the previous one must have ended.
     *
     * @throws IOException if the JVM cannot be started.
     */
    void start() throws IOException
    {
        if (null != process && process.isAlive())
        {
            throw new IllegalStateException("the reader agent is still running");
        }
        final Path log = directory.resolve("agent-" + (logs.size() + 1) + ".log");
        logs.add(log);
        startedNs = System.nanoTime();
        process = ChildJvm.builder(ReaderAgentMain.class).arguments(configFile.toString()).workingDirectory(directory)
            .appendLog(log).environment(environment).start().process();
    }

    /**
     * Kill the agent with {@code SIGKILL}, as the OOM killer or a power cut would, and wait until it is gone.
     *
     * @throws IOException          if the log cannot be read to report a failure.
     * @throws InterruptedException if interrupted while waiting.
     */
    void kill() throws IOException, InterruptedException
    {
        if (!process.isAlive())
        {
            throw new AssertionError("the reader agent ended before it was killed, exit code " +
                process.exitValue() + ":\n" + logTail());
        }
        process.destroyForcibly();
        if (!process.waitFor(EXIT_TIMEOUT_MS, TimeUnit.MILLISECONDS) || SIGKILL_EXIT_CODE != process.exitValue())
        {
            throw new AssertionError("the reader agent did not die of SIGKILL:\n" + logTail());
        }
    }

    /**
     * Stop the agent with {@code SIGTERM}, as systemd does; it must commit its open batch and exit 0.
     *
     * @throws IOException          if the log cannot be read to report a failure.
     * @throws InterruptedException if interrupted while waiting.
     */
    void stop() throws IOException, InterruptedException
    {
        process.destroy();
        if (!process.waitFor(EXIT_TIMEOUT_MS, TimeUnit.MILLISECONDS) || 0 != process.exitValue())
        {
            throw new AssertionError("the reader agent did not stop cleanly on SIGTERM:\n" + logTail());
        }
    }

    /**
     * Wait for the current life to end by itself.
     *
     * @param timeoutMs how long to wait.
     * @return its exit code.
     * @throws AssertionError       if it still runs after the timeout, with its log.
     * @throws IOException          if the log cannot be read to report a failure.
     * @throws InterruptedException if interrupted while waiting.
     */
    int awaitExit(final long timeoutMs) throws IOException, InterruptedException
    {
        if (!process.waitFor(timeoutMs, TimeUnit.MILLISECONDS))
        {
            throw new AssertionError("the reader agent still runs after " + timeoutMs + " ms:\n" + logTail());
        }
        return process.exitValue();
    }

    /**
     * Whether the current life is running.
     *
     * @return true while the process is alive.
     */
    boolean isAlive()
    {
        return null != process && process.isAlive();
    }

    /**
     * Fail if the agent has ended by itself, showing its log.
     *
     * @throws IOException if the log cannot be read.
     */
    void checkAlive() throws IOException
    {
        if (!isAlive())
        {
            throw new AssertionError("the reader agent exited by itself with code " +
                (null == process ? "none" : process.exitValue()) + ":\n" + logTail());
        }
    }

    /**
     * Process id of the current life.
     *
     * @return the pid.
     */
    long pid()
    {
        return process.pid();
    }

    /**
     * Milliseconds since the current life started.
     *
     * @return the uptime.
     */
    long uptimeMs()
    {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNs);
    }

    /**
     * Number of times the agent was started.
     *
     * @return the lives so far.
     */
    int lives()
    {
        return logs.size();
    }

    /**
     * Whether the current life has logged a line containing this text.
     *
     * @param text to look for.
     * @return true if found.
     * @throws IOException if the log cannot be read.
     */
    boolean currentLogContains(final String text) throws IOException
    {
        return !logs.isEmpty() && Files.exists(current()) && Files.readString(current()).contains(text);
    }

    /**
     * Every line every life has logged, in order.
     *
     * @return the lines.
     * @throws IOException if a log cannot be read.
     */
    List<String> logLines() throws IOException
    {
        final List<String> lines = new ArrayList<>();
        for (final Path log : logs)
        {
            if (Files.exists(log))
            {
                lines.addAll(Files.readAllLines(log, StandardCharsets.UTF_8));
            }
        }
        return lines;
    }

    /**
     * Number of log lines, across all lives, containing this text.
     *
     * @param text to count.
     * @return the number of lines.
     * @throws IOException if a log cannot be read.
     */
    long countLogLines(final String text) throws IOException
    {
        return logLines().stream().filter((line) -> line.contains(text)).count();
    }

    /**
     * The last lines of the current life's log, for failure messages.
     *
     * @return the lines, joined.
     * @throws IOException if the log cannot be read.
     */
    String logTail() throws IOException
    {
        if (logs.isEmpty() || !Files.exists(current()))
        {
            return "(no log)";
        }
        final List<String> lines = Files.readAllLines(current(), StandardCharsets.UTF_8);
        return current() + ":\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES),
            lines.size()));
    }

    /**
     * Kill the agent if it still runs: a failed test must leave nothing behind.
     */
    public void close()
    {
        if (null != process && process.isAlive())
        {
            process.destroyForcibly();
            try
            {
                process.waitFor(EXIT_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    private Path current()
    {
        return logs.get(logs.size() - 1);
    }
}
