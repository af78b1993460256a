package io.tradestate.reader;

import io.tradestate.reader.cli.CommandLines;
import io.tradestate.reader.cli.VersionProvider;
import io.tradestate.reader.operations.StatusCommand;
import io.tradestate.reader.operations.SystemdNotifier;
import io.tradestate.reader.operations.SystemdWatchdogAgent;
import org.agrona.concurrent.AgentRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the reader agent until SIGTERM or SIGINT: {@code tradestate-reader-agent [config-file]};
 * {@code tradestate-reader-agent status [--json] [config-file]} prints each source's lag ({@link StatusCommand});
 * {@code --help} lists the settings, {@code --version} the version. On SIGTERM the open batch is committed before the
 * process exits 0. Under a {@code Type=notify} systemd unit it says when it is ready, pings the watchdog while its
 * agents are healthy and says when it is stopping ({@link SystemdWatchdogAgent}).
 */
@Command(
    name = "tradestate-reader-agent",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    subcommands = StatusCommand.class,
    synopsisHeading = "usage: ",
    customSynopsis =
    {
        "tradestate-reader-agent [config-file]                   run the agent until SIGTERM",
        "       tradestate-reader-agent status [--json] [config-file]   per source: indexes, lag, dead letters",
    },
    description =
    {
        "",
        "Drains every journal under journal.root into PostgreSQL and publishes the live state under state.dir.",
        "The config file is Java properties; the environment overrides each key.",
        "",
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList =
    {
        ReaderAgentMain.EXIT_OK + ":stopped by SIGTERM or SIGINT after committing the open batch",
        ReaderAgentMain.EXIT_FAILED + ":the agent failed",
        ReaderAgentMain.EXIT_INVALID + ":invalid arguments or configuration",
    },
    footerHeading = "%nSettings (key, default, meaning, environment variable):%n")
public final class ReaderAgentMain
{
    /**
     * Exit code: stopped cleanly.
     */
    public static final int EXIT_OK = 0;

    /**
     * Exit code: the agent failed.
     */
    public static final int EXIT_FAILED = 1;

    /**
     * Exit code: invalid arguments or configuration; the message names the option or key.
     */
    public static final int EXIT_INVALID = 2;

    private static final Logger LOGGER = LoggerFactory.getLogger(ReaderAgentMain.class);

    @Parameters(arity = "0..1", paramLabel = "config-file",
        description = "the configuration file (Java properties); default: the settings' defaults and the environment")
    private Path configFile;

    private ReaderAgentMain()
    {
    }

    /**
     * Entry point.
     *
     * @param args an optional configuration file path; {@code status}; {@code --help} or {@code --version}.
     */
    public static void main(final String[] args)
    {
        System.exit(run(args, System.out, System.err, System.getenv()));
    }

    /**
     * Run the command: the agent until SIGTERM, the status, the help or the version.
     *
     * @param args        as {@code main} got them.
     * @param out         where the help, the version and the status go.
     * @param err         where errors go.
     * @param environment overrides the configuration file's keys.
     * @return the exit code.
     */
    public static int run(
        final String[] args, final PrintStream out, final PrintStream err, final Map<String, String> environment)
    {
        final ReaderAgentMain main = new ReaderAgentMain();
        final CommandLine commandLine = CommandLines.withoutCommandList(CommandLines.create(main, out, err));
        final String[] settings = settings();
        commandLine.getCommandSpec().usageMessage().footer(settings);
        // The settings' lines stay whole: the help is as wide as the longest.
        int width = CommandLines.USAGE_WIDTH;
        for (final String line : settings)
        {
            width = Math.max(width, line.length() + 1);
        }
        commandLine.setUsageHelpWidth(width);
        return CommandLines.run(commandLine, args, (result) ->
        {
            final Object command = CommandLines.leaf(result).commandSpec().userObject();
            return command instanceof StatusCommand ?
                ((StatusCommand)command).run(out, err, environment) : main.runAgent(err, environment);
        });
    }

    private int runAgent(final PrintStream err, final Map<String, String> environment)
    {
        final ReaderContext context;
        try
        {
            context = ReaderContext.load(configFile, environment).conclude();
        }
        catch (final IllegalArgumentException ex)
        {
            err.println("tradestate reader-agent: invalid configuration: " + ex.getMessage());
            return EXIT_INVALID;
        }

        // A thread that dies of an exception says so in the log, in its format, rather than as bare lines on stderr.
        Thread.setDefaultUncaughtExceptionHandler(
            (thread, ex) -> LOGGER.error("uncaught exception in thread {}", thread.getName(), ex));
        LOGGER.info("starting with {}", context);

        // Our own handlers replace the JVM's, which would start the shutdown sequence and exit with 143: the agent
        // stops in order and exits 0, as systemd expects of a clean stop.
        final CountDownLatch stopRequested = new CountDownLatch(1);
        sun.misc.Signal.handle(new sun.misc.Signal("TERM"), (signal) -> stopRequested.countDown());
        sun.misc.Signal.handle(new sun.misc.Signal("INT"), (signal) -> stopRequested.countDown());

        final SystemdNotifier systemd = SystemdNotifier.fromEnvironment(environment, ProcessHandle.current().pid());
        try (ReaderAgent agent = ReaderAgent.launch(context);
            AgentRunner ignored = SystemdWatchdogAgent.launch(systemd, agent))
        {
            LOGGER.info("reader agent running; SIGTERM stops it after committing the open batch");
            stopRequested.await();
            LOGGER.info("stopping");
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        catch (final RuntimeException ex)
        {
            LOGGER.error("reader agent failed; exiting with status 1", ex);
            return EXIT_FAILED;
        }
        LOGGER.info("stopped");
        return EXIT_OK;
    }

    /**
     * The settings, for the help's footer: {@code %} doubled, as picocli formats the footer.
     */
    private static String[] settings()
    {
        final List<String> lines = new ArrayList<>();
        for (final ReaderConfiguration.Setting setting : ReaderConfiguration.settings().values())
        {
            lines.add(String.format("  %-24s %-30s %s", setting.key(),
                setting.defaultValue().isEmpty() ? "(empty)" : setting.defaultValue(), setting.meaning())
                .replace("%", "%%"));
            lines.add(String.format("  %-24s env: %s", "", ReaderConfiguration.environmentVariable(setting.key())));
        }
        lines.add("  password: env " + ReaderContext.DB_PASSWORD_ENV + " or the file named by db.password.file");
        return lines.toArray(new String[0]);
    }
}
