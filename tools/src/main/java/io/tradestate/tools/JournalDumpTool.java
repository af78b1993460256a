package io.tradestate.tools;

import io.tradestate.files.ChronicleDefaults;
import io.tradestate.reader.cli.CommandLines;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import picocli.CommandLine;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * {@code tradestate dump <queue-dir> [options]}: decodes one strategy's journal to JSON lines on stdout, one event
 * a line, for an operator to read, grep or feed to {@code jq}. See {@link DumpOptions} for the options and
 * {@code tools/README.md} for the fields of each line.
 * <p>
 * The queue is opened read-only, so the tool never takes a lock the strategy's appender might wait on, and it can
 * run against a live journal. Without {@code --follow} it stops at the end of the queue; with it, it keeps polling
 * with a backoff idle strategy (parking up to {@value #MAX_IDLE_MS} ms) until {@link #requestStop()}, which
 * SIGINT and SIGTERM call.
 * <p>
 * Exit codes: {@value #EXIT_OK} done (also when stdout is closed early, as by {@code | head}),
 * {@value #EXIT_INVALID_ARGUMENTS} invalid arguments, {@value #EXIT_CANNOT_OPEN} the queue cannot be opened or read.
 */
public final class JournalDumpTool
{
    /**
     * Exit code: the dump ran to its end, or was stopped.
     */
    public static final int EXIT_OK = 0;

    /**
     * Exit code: an option or argument is invalid; the message names it.
     */
    public static final int EXIT_INVALID_ARGUMENTS = 2;

    /**
     * Exit code: the queue folder does not exist, is not a queue, or cannot be read.
     */
    public static final int EXIT_CANNOT_OPEN = 3;

    /**
     * Longest park of the idle strategy while following an idle journal.
     */
    public static final long MAX_IDLE_MS = 10;

    private static final String METADATA_FILE = "metadata.cq4t";

    static
    {
        ChronicleDefaults.apply();
    }

    private final DumpOptions options;
    private final Writer out;
    private final PrintStream err;
    private final IdleStrategy idleStrategy = new BackoffIdleStrategy(
        100, 10, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MILLISECONDS.toNanos(MAX_IDLE_MS));
    private volatile boolean stopRequested;

    /**
     * A dump with validated options.
     *
     * @param options what to print.
     * @param out     where the JSON lines go; flushed whenever the dump catches up with the journal.
     * @param err     where errors go.
     */
    public JournalDumpTool(final DumpOptions options, final Writer out, final PrintStream err)
    {
        this.options = options;
        this.out = out;
        this.err = err;
    }

    /**
     * Entry point: {@code JournalDumpTool <queue-dir> [options]}.
     *
     * @param args the queue folder and options.
     */
    public static void main(final String[] args)
    {
        System.exit(run(args));
    }

    /**
     * Run the dump on stdout and stderr, stopping on SIGINT or SIGTERM (a second signal exits at once).
     *
     * @param args the arguments after {@code dump}.
     * @return the exit code.
     */
    public static int run(final String[] args)
    {
        return ToolsMain.run(ToolsMain.subcommand("dump", args));
    }

    /**
     * Run the dump on the given streams, without signal handlers. With {@code --follow} this never returns: a
     * caller that follows creates the tool with {@link #JournalDumpTool(DumpOptions, Writer, PrintStream)} and
     * stops it with {@link #requestStop()}.
     *
     * @param args the arguments after {@code dump}.
     * @param out  where the JSON lines (or the help text) go.
     * @param err  where errors go.
     * @return the exit code.
     */
    public static int run(final String[] args, final Writer out, final PrintStream err)
    {
        final DumpOptions options = new DumpOptions();
        final PrintWriter help = new PrintWriter(out, true);
        final CommandLine commandLine = CommandLines.create(options, help,
            new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true));
        return CommandLines.run(commandLine, args, (result) ->
        {
            try
            {
                options.conclude();
            }
            catch (final IllegalArgumentException ex)
            {
                err.println("tradestate dump: " + ex.getMessage());
                return EXIT_INVALID_ARGUMENTS;
            }
            return run(options, out, err, false);
        });
    }

    /**
     * Open the queue read-only and print until the end of the queue, or until {@link #requestStop()} with
     * {@code --follow}.
     *
     * @return the exit code.
     */
    public int run()
    {
        final Path directory = options.queueDirectory();
        if (!Files.isDirectory(directory))
        {
            err.println("tradestate dump: cannot open the queue: " + directory + " is not a folder");
            return EXIT_CANNOT_OPEN;
        }
        if (!Files.isRegularFile(directory.resolve(METADATA_FILE)))
        {
            err.println("tradestate dump: cannot open the queue: " + directory + " has no " + METADATA_FILE +
                ", so it is not a Chronicle Queue folder");
            return EXIT_CANNOT_OPEN;
        }

        final SingleChronicleQueue queue;
        try
        {
            queue = SingleChronicleQueueBuilder.single(directory.toFile()).readOnly(true).build();
        }
        catch (final RuntimeException ex)
        {
            err.println("tradestate dump: cannot open the queue " + directory + ": " + ex);
            return EXIT_CANNOT_OPEN;
        }

        try (queue; ExcerptTailer tailer = queue.createTailer())
        {
            final JournalDumpAgent agent = new JournalDumpAgent(tailer, options, out);
            while (!stopRequested && !agent.isDone())
            {
                final int workCount = agent.doWork();
                if (0 == workCount)
                {
                    out.flush();
                    if (!options.follow())
                    {
                        break;
                    }
                }
                idleStrategy.idle(workCount);
            }
            out.flush();
            return EXIT_OK;
        }
        catch (final IOException | UncheckedIOException ex)
        {
            // stdout closed under us (| head): the reader has what it wanted.
            return EXIT_OK;
        }
        catch (final RuntimeException ex)
        {
            err.println("tradestate dump: cannot read the queue " + directory + ": " + ex);
            return EXIT_CANNOT_OPEN;
        }
    }

    /**
     * Ask a running dump to stop after the excerpt it is reading; safe from any thread and from a signal handler.
     *
     * @return false if a stop had been requested already.
     */
    public boolean requestStop()
    {
        final boolean first = !stopRequested;
        stopRequested = true;
        return first;
    }

    /**
     * Run a dump of validated options.
     *
     * @param options validated.
     * @param out     where the JSON lines go.
     * @param err     where errors go.
     * @param signals whether SIGINT and SIGTERM stop it (a second exits at once).
     * @return the exit code.
     */
    static int run(final DumpOptions options, final Writer out, final PrintStream err, final boolean signals)
    {
        final JournalDumpTool tool = new JournalDumpTool(options, out, err);
        if (signals)
        {
            final sun.misc.SignalHandler handler = (signal) ->
            {
                if (!tool.requestStop())
                {
                    Runtime.getRuntime().halt(130);
                }
            };
            sun.misc.Signal.handle(new sun.misc.Signal("INT"), handler);
            sun.misc.Signal.handle(new sun.misc.Signal("TERM"), handler);
        }
        return tool.run();
    }
}
