package io.tradestate.demo;

import io.tradestate.reader.cli.CommandLines;
import io.tradestate.reader.logging.LogConfiguration;
import io.tradestate.tools.ToolsMain;
import picocli.CommandLine;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The {@code tradestate} command of a repository checkout: {@link ToolsMain}'s command line, the command an
 * installed host has ({@code dump}, {@code state}, {@code verify}, {@code partitions}, {@code report},
 * {@code reconcile}, {@code --help}, {@code --version}), with {@code demo} ({@link DemoOptions}) added. Exit codes: 0
 * success, 1 the demo's check failed or verify found differences, 2 invalid arguments, 3 the demo could not run, or a
 * journal, the state or the database could not be read.
 */
public final class TradeStateMain
{
    private TradeStateMain()
    {
    }

    /**
     * Entry point.
     *
     * @param args the subcommand and its options.
     */
    public static void main(final String[] args)
    {
        final PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        System.exit(run(args, out, System.err, System.getenv()));
    }

    /**
     * Run a command on the given streams.
     *
     * @param args        the subcommand and its options.
     * @param out         where the output, the help and the version go.
     * @param err         where errors go.
     * @param environment where the tools look their password up.
     * @return the exit code.
     */
    public static int run(
        final String[] args, final PrintStream out, final PrintStream err, final Map<String, String> environment)
    {
        final CommandLine commandLine = ToolsMain.commandLine(out, err);
        commandLine.addSubcommand("demo", new DemoOptions());
        // What was set on the command line before reaches the subcommands it had then only: set again for the demo.
        commandLine.setOut(commandLine.getOut()).setErr(commandLine.getErr())
            .setUsageHelpWidth(CommandLines.USAGE_WIDTH).setExpandAtFiles(false);
        return ToolsMain.run(commandLine, args, out, err, environment);
    }

    /**
     * Run the demo with validated options.
     *
     * @param options validated.
     * @param out     where the progress and the summary go (with {@code --json}, the summary only).
     * @param err     where errors go (with {@code --json}, the progress too).
     * @return the exit code.
     */
    static int runDemo(final DemoOptions options, final PrintStream out, final PrintStream err)
    {
        if (options.chaos() && !options.verbose())
        {
            // The demo reports each fault itself; the embedded server's failed stop after its SIGKILL (zonky)
            // and the pool's broken connections (HikariCP) would repeat them as stack traces.
            setUnlessSet(LogConfiguration.LEVEL_PROPERTY + ".io.zonky", "off");
            setUnlessSet(LogConfiguration.LEVEL_PROPERTY + ".com.zaxxer.hikari", "error");
        }

        final DemoRunner runner = options.json() ? new DemoRunner(options, err, out) : new DemoRunner(options, out);
        sun.misc.Signal.handle(new sun.misc.Signal("INT"), (signal) -> runner.requestStop());
        sun.misc.Signal.handle(new sun.misc.Signal("TERM"), (signal) -> runner.requestStop());
        try
        {
            return runner.run();
        }
        catch (final Exception ex)
        {
            err.println("tradestate demo: " + ex);
            ex.printStackTrace(err);
            return DemoOptions.EXIT_CANNOT_RUN;
        }
    }

    private static void setUnlessSet(final String property, final String value)
    {
        if (null == System.getProperty(property))
        {
            System.setProperty(property, value);
        }
    }
}
