package io.tradestate.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A JVM a test started: a {@code main} class of the test's own class path, run by the same {@code java}.
 * <p>
 * Design note: every test that needs a second process (a strategy to kill, an agent to restart, a JVM without the
 * flags) wants the same things, and each used to spell them out: the project's JVM flags (those of
 * {@code deploy/jvm.options}, which the build hands every test JVM in the system property {@value #JVM_ARGS_PROPERTY}),
 * a heap of its own, the output and errors in one log file that a failure message can quote, a working folder where
 * no stray {@code system.properties} is picked up, no inherited {@code TRADESTATE_*} variables (only the settings the
 * test passes apply), and a kill and a bounded wait at the end. {@link #builder(Class)} says what differs; the
 * {@code ChildJvm} it starts is {@link AutoCloseable} and kills a child still running, so that try-with-resources or
 * an {@code @AfterEach} leaves nothing behind.
 * <p>
 * The child does not get this JVM's own system properties: the test JVMs turn the journal's warm-up off
 * ({@code tradestate.journal.warmup.appends=0}), and a child's journals keep the default, as a strategy's do, unless
 * the test sets it with {@link Builder#systemProperty(String, String)}.
 */
public final class ChildJvm implements AutoCloseable
{
    /**
     * System property holding the project's JVM flags, which the build (surefire and failsafe) sets.
     */
    public static final String JVM_ARGS_PROPERTY = "tradestate.jvm.args";

    /**
     * Heap of a child unless the test names another.
     */
    public static final String DEFAULT_HEAP = "-Xmx256m";

    /**
     * How long {@link #kill()} and {@link #close()} wait for a killed child to be gone.
     */
    public static final long KILL_TIMEOUT_MS = 30_000;

    private static final String ENVIRONMENT_PREFIX = "TRADESTATE_";
    private static final int LOG_TAIL_LINES = 30;

    private final Process process;
    private final Path log;

    private ChildJvm(final Process process, final Path log)
    {
        this.process = process;
        this.log = log;
    }

    /**
     * Start describing a child that runs {@code mainClass}.
     *
     * @param mainClass whose {@code main} runs; it must be on this JVM's class path.
     * @return the builder.
     */
    public static Builder builder(final Class<?> mainClass)
    {
        return new Builder(mainClass.getName());
    }

    /**
     * The project's JVM flags, from {@value #JVM_ARGS_PROPERTY}: module exports and opens, native access, and the
     * Chronicle properties.
     *
     * @return the flags, in order, in a list the caller may change.
     * @throws IllegalStateException if the property is not set (the build sets it).
     */
    public static List<String> projectFlags()
    {
        final String jvmArgs = System.getProperty(JVM_ARGS_PROPERTY);
        if (null == jvmArgs || jvmArgs.isBlank())
        {
            throw new IllegalStateException("system property " + JVM_ARGS_PROPERTY + " must be set (the build does)");
        }
        return new ArrayList<>(Arrays.asList(jvmArgs.trim().split("\\s+")));
    }

    /**
     * The running (or ended) process, for what this class does not wrap: signals, {@code destroy()}, its handle.
     *
     * @return the process.
     */
    public Process process()
    {
        return process;
    }

    /**
     * The child's process id.
     *
     * @return the pid.
     */
    public long pid()
    {
        return process.pid();
    }

    /**
     * The file its standard output and errors go to.
     *
     * @return the log.
     */
    public Path log()
    {
        return log;
    }

    /**
     * Whether the child still runs.
     *
     * @return true while it runs.
     */
    public boolean isAlive()
    {
        return process.isAlive();
    }

    /**
     * Wait at most {@code timeoutMs} for the child to end.
     *
     * @param timeoutMs how long to wait.
     * @return true if it ended.
     * @throws InterruptedException if interrupted while waiting.
     */
    public boolean awaitExit(final long timeoutMs) throws InterruptedException
    {
        return process.waitFor(timeoutMs, TimeUnit.MILLISECONDS);
    }

    /**
     * Exit code of the ended child.
     *
     * @return the exit code.
     * @throws IllegalThreadStateException if it still runs.
     */
    public int exitValue()
    {
        return process.exitValue();
    }

    /**
     * Everything the child wrote so far.
     *
     * @return the log's text.
     * @throws UncheckedIOException if the log cannot be read.
     */
    public String output()
    {
        try
        {
            return Files.readString(log, StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * The last lines of the log, for the message of a failed assertion about the child.
     *
     * @return {@code "its log <file> ends with:"} and the lines, or {@code "no log at <file>"}.
     */
    public String logTail()
    {
        return logTail(log);
    }

    /**
     * The last lines of a child's log, for the message of a failed assertion about it.
     *
     * @param log the file its output and errors go to.
     * @return {@code "its log <file> ends with:"} and the lines, or {@code "no log at <file>"}.
     */
    public static String logTail(final Path log)
    {
        try
        {
            final List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return "its log " + log + " ends with:" + System.lineSeparator() + String.join(System.lineSeparator(),
                lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        }
        catch (final IOException ex)
        {
            return "no log at " + log;
        }
    }

    /**
     * Kill the child with {@code SIGKILL} and wait at most {@value #KILL_TIMEOUT_MS} ms until it is gone.
     *
     * @return true if it is gone.
     * @throws InterruptedException if interrupted while waiting.
     */
    public boolean kill() throws InterruptedException
    {
        process.destroyForcibly();
        return process.waitFor(KILL_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }

    /**
     * Kill the child if it still runs, and wait until it is gone, as {@link #kill()}.
     */
    public void close()
    {
        if (process.isAlive())
        {
            try
            {
                kill();
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * What differs from one child to the next; everything else is as the class says.
     */
    public static final class Builder
    {
        private final String mainClass;
        private final List<String> arguments = new ArrayList<>();
        private final List<String> properties = new ArrayList<>();
        private final Map<String, String> environment = new HashMap<>();
        private List<String> launcher = List.of();
        private List<String> jvmFlags;
        private String classPath = System.getProperty("java.class.path");
        private String heap = DEFAULT_HEAP;
        private Path workingDirectory;
        private Path log;
        private boolean appendLog;

        private Builder(final String mainClass)
        {
            this.mainClass = mainClass;
        }

        /**
         * Arguments of {@code main}.
         *
         * @param arguments in order.
         * @return this.
         */
        public Builder arguments(final String... arguments)
        {
            this.arguments.addAll(Arrays.asList(arguments));
            return this;
        }

        /**
         * Arguments of {@code main}.
         *
         * @param arguments in order.
         * @return this.
         */
        public Builder arguments(final List<String> arguments)
        {
            this.arguments.addAll(arguments);
            return this;
        }

        /**
         * JVM flags in place of {@link #projectFlags()}: for a test of what happens without some of them.
         *
         * @param jvmFlags the flags, in order.
         * @return this.
         */
        public Builder jvmFlags(final List<String> jvmFlags)
        {
            this.jvmFlags = List.copyOf(jvmFlags);
            return this;
        }

        /**
         * Heap of the child, {@value #DEFAULT_HEAP} unless set.
         *
         * @param heap the option, e.g. {@code -Xmx128m}.
         * @return this.
         */
        public Builder heap(final String heap)
        {
            this.heap = heap;
            return this;
        }

        /**
         * A system property of the child.
         *
         * @param name  of the property.
         * @param value of the property.
         * @return this.
         */
        public Builder systemProperty(final String name, final String value)
        {
            properties.add("-D" + name + "=" + value);
            return this;
        }

        /**
         * A variable added to the child's environment (this JVM's, without its {@code TRADESTATE_*} ones).
         *
         * @param variables names and values.
         * @return this.
         */
        public Builder environment(final Map<String, String> variables)
        {
            environment.putAll(variables);
            return this;
        }

        /**
         * Words before {@code java} on the command line, e.g. a shell that sets the umask and {@code exec}s the rest.
         *
         * @param launcher the words.
         * @return this.
         */
        public Builder launcher(final List<String> launcher)
        {
            this.launcher = List.copyOf(launcher);
            return this;
        }

        /**
         * Working folder of the child; the log's folder unless set.
         *
         * @param workingDirectory the folder.
         * @return this.
         */
        public Builder workingDirectory(final Path workingDirectory)
        {
            this.workingDirectory = workingDirectory;
            return this;
        }

        /**
         * The file receiving the child's standard output and errors, created or emptied. Required.
         *
         * @param log the file.
         * @return this.
         */
        public Builder log(final Path log)
        {
            this.log = log;
            this.appendLog = false;
            return this;
        }

        /**
         * The file receiving the child's standard output and errors, appended to: for several lives of one program.
         *
         * @param log the file.
         * @return this.
         */
        public Builder appendLog(final Path log)
        {
            this.log = log;
            this.appendLog = true;
            return this;
        }

        /**
         * Another class path than this JVM's: a test that runs the project's code beside classes it built itself.
         *
         * @param classPath entries separated by {@link java.io.File#pathSeparator}; the main class must be on it.
         * @return this.
         */
        public Builder classPath(final String classPath)
        {
            this.classPath = classPath;
            return this;
        }

        /**
         * The command line {@link #start()} runs.
         *
         * @return the words, in order.
         */
        public List<String> command()
        {
            final List<String> command = new ArrayList<>(launcher);
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(null == jvmFlags ? projectFlags() : jvmFlags);
            command.add(heap);
            command.addAll(properties);
            command.add("-cp");
            command.add(classPath);
            command.add(mainClass);
            command.addAll(arguments);
            return command;
        }

        /**
         * Start the child, its standard input closed.
         *
         * @return the running child.
         * @throws IOException if it cannot be started.
         */
        public ChildJvm start() throws IOException
        {
            if (null == log)
            {
                throw new IllegalStateException("a child JVM needs a log file");
            }
            final Path directory = null != workingDirectory ? workingDirectory :
                log.toAbsolutePath().getParent();
            final ProcessBuilder builder = new ProcessBuilder(command())
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(appendLog ? ProcessBuilder.Redirect.appendTo(log.toFile()) :
                    ProcessBuilder.Redirect.to(log.toFile()));
            builder.environment().keySet().removeIf((name) -> name.startsWith(ENVIRONMENT_PREFIX));
            builder.environment().putAll(environment);
            final Process process = builder.start();
            process.getOutputStream().close();
            return new ChildJvm(process, log);
        }
    }
}
