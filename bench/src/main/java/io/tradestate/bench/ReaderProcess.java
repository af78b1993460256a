package io.tradestate.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A harness's child JVM seen from the harness: the reading side of an end-to-end run ({@link EndToEndReaderMain}), or
 * a strategy of the load campaign ({@link LoadWriterMain}) or of the sparse append harness ({@link SparseAppendMain}).
 * A line protocol on the child's standard input and output: the child answers each command with one line
 * {@code @e2e <WORD> key=value ...}; everything else it prints goes to its log file, with its standard error.
 */
final class ReaderProcess implements AutoCloseable
{
    /**
     * Prefix of the child's protocol lines.
     */
    static final String PREFIX = "@e2e ";

    private static final long EXIT_WAIT_MS = 30_000;

    private final Process process;
    private final Path log;
    private final Writer commands;
    private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();

    private ReaderProcess(final Process process, final Path log)
    {
        this.process = process;
        this.log = log;
        this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        final Thread reader = new Thread(this::readOutput, "e2e-child-output");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Start the child JVM.
     *
     * @param heapArgs its heap options.
     * @param args     its arguments, the mode first.
     * @param log      file for its standard error and non-protocol output.
     * @return the running child.
     * @throws IOException if it cannot be started.
     */
    static ReaderProcess start(final List<String> heapArgs, final List<String> args, final Path log)
        throws IOException
    {
        return start(heapArgs, EndToEndReaderMain.class, args, log);
    }

    /**
     * Start a child JVM running another main class that speaks the same protocol
     * ({@link EndToEndReaderMain#reply(String, Object...)}), such as {@link LoadWriterMain}.
     *
     * @param heapArgs  its heap options.
     * @param mainClass the class to run.
     * @param args      its arguments.
     * @param log       file for its standard error and non-protocol output.
     * @return the running child.
     * @throws IOException if it cannot be started.
     */
    static ReaderProcess start(
        final List<String> heapArgs, final Class<?> mainClass, final List<String> args, final Path log)
        throws IOException
    {
        final ProcessBuilder builder = new ProcessBuilder(ChildJvm.command(heapArgs, mainClass.getName(), args));
        builder.redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        return new ReaderProcess(builder.start(), log);
    }

    /**
     * Send a command line.
     *
     * @param command the line.
     * @throws IOException if the child is gone.
     */
    void send(final String command) throws IOException
    {
        commands.write(command);
        commands.write('\n');
        commands.flush();
    }

    /**
     * Wait for the child's next protocol line, which must start with the given word.
     *
     * @param word      expected, e.g. {@code READY}.
     * @param timeoutMs longest wait.
     * @return the line's {@code key=value} pairs.
     * @throws IOException if the child died, answered something else or did not answer in time.
     * @throws InterruptedException if interrupted.
     */
    Map<String, String> await(final String word, final long timeoutMs) throws IOException, InterruptedException
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (true)
        {
            final String line = replies.poll(100, TimeUnit.MILLISECONDS);
            if (null != line)
            {
                final String[] fields = line.split(" ");
                if (!word.equals(fields[0]))
                {
                    throw new IOException("the child JVM answered '" + line + "', expected " + word +
                        ChildJvm.logTail(log));
                }
                final Map<String, String> values = new LinkedHashMap<>();
                for (int i = 1; i < fields.length; i++)
                {
                    final int equals = fields[i].indexOf('=');
                    if (equals > 0)
                    {
                        values.put(fields[i].substring(0, equals), fields[i].substring(equals + 1));
                    }
                }
                return values;
            }
            if (!process.isAlive() && replies.isEmpty())
            {
                throw new IOException("the child JVM exited with " + process.exitValue() + " before " + word +
                    ChildJvm.logTail(log));
            }
            if (System.nanoTime() > deadlineNs)
            {
                throw new IOException("no " + word + " from the child JVM within " + timeoutMs + " ms" +
                    ChildJvm.logTail(log));
            }
        }
    }

    /**
     * Wait for the child to exit, then kill it if it does not.
     */
    public void close()
    {
        try
        {
            commands.close();
        }
        catch (final IOException ignore)
        {
            // Already gone.
        }
        try
        {
            if (!process.waitFor(EXIT_WAIT_MS, TimeUnit.MILLISECONDS))
            {
                process.destroyForcibly().waitFor(EXIT_WAIT_MS, TimeUnit.MILLISECONDS);
            }
        }
        catch (final InterruptedException ex)
        {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private void readOutput()
    {
        try (BufferedReader reader = new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)))
        {
            String line;
            while (null != (line = reader.readLine()))
            {
                if (line.startsWith(PREFIX))
                {
                    replies.add(line.substring(PREFIX.length()));
                }
                else
                {
                    Files.writeString(log, line + System.lineSeparator(), StandardCharsets.UTF_8,
                        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
                }
            }
        }
        catch (final IOException ignore)
        {
            // The child closed its output: it exited.
        }
    }
}
