package io.tradestate.reader;

import org.agrona.concurrent.AgentRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the reader agent until SIGTERM or SIGINT: {@code reader-agent [config-file]}; {@code reader-agent status
 * [config-file]} prints each source's lag; {@code --help} lists the settings. On SIGTERM the open batch is committed
 * before the process exits 0. Under a {@code Type=notify} systemd unit it says when it is ready, pings the watchdog
 * while its agents are healthy and says when it is stopping ({@link SystemdWatchdogAgent}).
 */
public final class ReaderAgentMain
{
    private static final Logger LOGGER = LoggerFactory.getLogger(ReaderAgentMain.class);

    private ReaderAgentMain()
    {
    }

    /**
     * Entry point.
     *
     * @param args an optional configuration file path, or {@code --help}.
     */
    public static void main(final String[] args)
    {
        if (args.length > 0 && ("--help".equals(args[0]) || "-h".equals(args[0])))
        {
            printSettings();
            return;
        }

        final boolean status = args.length > 0 && "status".equals(args[0]);
        final int configArgument = status ? 1 : 0;
        final Path configFile = args.length > configArgument ? Paths.get(args[configArgument]) : null;
        final ReaderContext context;
        try
        {
            context = ReaderContext.load(configFile, System.getenv()).conclude();
        }
        catch (final IllegalArgumentException ex)
        {
            System.err.println("tradestate reader-agent: invalid configuration: " + ex.getMessage());
            System.exit(2);
            return;
        }

        if (status)
        {
            try
            {
                System.exit(StatusCommand.run(context, System.out));
            }
            catch (final Exception ex)
            {
                System.err.println("tradestate reader-agent status: " + ex);
                System.exit(1);
            }
            return;
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

        final SystemdNotifier systemd = SystemdNotifier.fromEnvironment(System.getenv(), ProcessHandle.current().pid());
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
            System.exit(1);
            return;
        }
        LOGGER.info("stopped");
        System.exit(0);
    }

    private static void printSettings()
    {
        System.out.println("usage: reader-agent [config-file]          run the agent until SIGTERM");
        System.out.println("       reader-agent status [config-file]   per source: indexes, lag, dead letters");
        System.out.println("(the config file is Java properties; the environment overrides each key)");
        System.out.println();
        for (final ReaderConfiguration.Setting setting : ReaderConfiguration.settings().values())
        {
            System.out.printf("  %-24s %-30s %s%n  %-24s %s%n", setting.key(),
                setting.defaultValue().isEmpty() ? "(empty)" : setting.defaultValue(), setting.meaning(),
                "", "env: " + ReaderConfiguration.environmentVariable(setting.key()));
        }
        System.out.println(
            "  password: env " + ReaderContext.DB_PASSWORD_ENV + " or the file named by db.password.file");
    }
}
