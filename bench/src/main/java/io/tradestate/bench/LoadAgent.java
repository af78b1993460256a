package io.tradestate.bench;

import io.tradestate.reader.ReaderAgentMain;
import io.tradestate.reader.ReaderConfiguration;
import io.tradestate.reader.postgres.EmbeddedDatabase;

import java.io.IOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.MalformedURLException;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The reader agent of a {@link LoadCampaign} as production runs it: {@link ReaderAgentMain} in a JVM of its own with
 * a configuration file, its embedded PostgreSQL (durable settings) under its state folder, its state publisher on,
 * and its {@code /metrics} endpoint on a free loopback port. Every setting but the folders and the ports is the
 * product's default. Stopped with {@code SIGTERM}, as systemd does.
 */
final class LoadAgent implements AutoCloseable
{
    private static final long STOP_TIMEOUT_MS = TimeUnit.MINUTES.toMillis(2);
    private static final long POLL_MS = 200;

    private final Path stateDir;
    private final Path log;
    private final int metricsPort;
    private final int databasePort;
    private final Process process;

    private LoadAgent(
        final Path stateDir, final Path log, final int metricsPort, final int databasePort, final Process process)
    {
        this.stateDir = stateDir;
        this.log = log;
        this.metricsPort = metricsPort;
        this.databasePort = databasePort;
        this.process = process;
    }

    /**
     * Start the agent and wait until its metrics endpoint answers.
     *
     * @param workDir     folder for its configuration, its log and its state folder.
     * @param journalRoot the strategies' journals.
     * @param heapArgs    its JVM's heap and GC options.
     * @param nice        its scheduling niceness, and its PostgreSQL's, 0 to 19, as the systemd unit's {@code Nice=}.
     * @param timeoutMs   longest wait for it to come up (initdb on first start).
     * @return the running agent.
     * @throws IOException          if it cannot be started or did not come up.
     * @throws InterruptedException if interrupted while waiting.
     */
    static LoadAgent start(
        final Path workDir, final Path journalRoot, final List<String> heapArgs, final int nice, final long timeoutMs)
        throws IOException, InterruptedException
    {
        final Path stateDir = Files.createDirectories(workDir.resolve("state")).toAbsolutePath();
        final int metricsPort = freePort();
        final int databasePort = freePort();
        final Properties settings = new Properties();
        settings.setProperty(ReaderConfiguration.JOURNAL_ROOT, journalRoot.toAbsolutePath().toString());
        settings.setProperty(ReaderConfiguration.STATE_DIR, stateDir.toString());
        settings.setProperty(ReaderConfiguration.DB_EMBEDDED_PORT, Integer.toString(databasePort));
        settings.setProperty(ReaderConfiguration.METRICS_PORT, Integer.toString(metricsPort));
        final Path config = workDir.resolve("reader-agent.properties").toAbsolutePath();
        try (Writer writer = Files.newBufferedWriter(config, StandardCharsets.UTF_8))
        {
            settings.store(writer, "written by " + LoadCampaign.class.getSimpleName());
        }

        final Path log = workDir.resolve("agent.log");
        final List<String> command = new ArrayList<>();
        if (0 != nice)
        {
            command.addAll(List.of("nice", "-n", Integer.toString(nice)));
        }
        command.addAll(ChildJvm.command(heapArgs, ReaderAgentMain.class.getName(), List.of(config.toString())));
        final ProcessBuilder builder = new ProcessBuilder(command);
        builder.directory(workDir.toFile());
        builder.redirectErrorStream(true);
        builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        final LoadAgent agent = new LoadAgent(stateDir, log, metricsPort, databasePort, builder.start());
        agent.awaitMetrics(timeoutMs);
        return agent;
    }

    /**
     * The metrics endpoint.
     *
     * @return {@code http://127.0.0.1:<port>/metrics}.
     */
    URL metricsUrl()
    {
        try
        {
            return new URL("http", EmbeddedDatabase.HOST, metricsPort, "/metrics");
        }
        catch (final MalformedURLException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /**
     * JDBC URL of the agent's database.
     *
     * @return the URL, without credentials.
     */
    String jdbcUrl()
    {
        return "jdbc:postgresql://" + EmbeddedDatabase.HOST + ":" + databasePort + "/" + EmbeddedDatabase.DATABASE;
    }

    /**
     * The file holding the database password, which the agent made at its first start.
     *
     * @return {@code <state>/postgres/password}.
     */
    Path passwordFile()
    {
        return stateDir.resolve("postgres").resolve("password");
    }

    /**
     * The agent's state folder (its state maps under {@code maps/}).
     *
     * @return the folder.
     */
    Path stateDir()
    {
        return stateDir;
    }

    /**
     * Process id of the agent's JVM.
     *
     * @return the pid.
     */
    long pid()
    {
        return process.pid();
    }

    /**
     * Process id of its PostgreSQL's postmaster, from the server's {@code postmaster.pid}.
     *
     * @return the pid, or -1 while the server is not up.
     */
    long postmasterPid()
    {
        try
        {
            final List<String> lines = Files.readAllLines(stateDir.resolve("postgres").resolve("data")
                .resolve("postmaster.pid"), StandardCharsets.UTF_8);
            return lines.isEmpty() ? -1 : Long.parseLong(lines.get(0).trim());
        }
        catch (final IOException | RuntimeException ex)
        {
            return -1;
        }
    }

    /**
     * Fail if the agent has exited by itself.
     *
     * @throws IOException with the end of its log.
     */
    void checkAlive() throws IOException
    {
        if (!process.isAlive())
        {
            throw new IOException("the reader agent exited with " + process.exitValue() + ChildJvm.logTail(log));
        }
    }

    /**
     * Stop the agent with {@code SIGTERM}: it commits its open batch, stops its PostgreSQL and exits 0.
     *
     * @return its exit code.
     * @throws InterruptedException if interrupted while waiting.
     */
    int stop() throws InterruptedException
    {
        process.destroy();
        if (!process.waitFor(STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS))
        {
            process.destroyForcibly().waitFor(STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        }
        return process.exitValue();
    }

    /**
     * Kill the agent if it still runs: a failed run leaves nothing behind.
     */
    public void close()
    {
        if (process.isAlive())
        {
            try
            {
                stop();
            }
            catch (final InterruptedException ex)
            {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    private void awaitMetrics(final long timeoutMs) throws IOException, InterruptedException
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (System.nanoTime() - deadlineNs < 0)
        {
            checkAlive();
            try
            {
                MetricsScrape.fetch(metricsUrl(), 1_000);
                return;
            }
            catch (final IOException notYet)
            {
                Thread.sleep(POLL_MS);
            }
        }
        close();
        throw new IOException("the reader agent's metrics did not answer within " + timeoutMs + " ms" +
            ChildJvm.logTail(log));
    }

    private static int freePort() throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(EmbeddedDatabase.HOST)))
        {
            return socket.getLocalPort();
        }
    }
}
