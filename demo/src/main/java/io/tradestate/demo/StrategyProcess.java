package io.tradestate.demo;

import io.tradestate.reader.ReaderContext;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One strategy JVM as the demo sees it: started with the TradeState JVM flags and the demo's class path, read
 * through its {@link StrategyStatsFile}, stopped with SIGTERM if it outlives its duration, and its commit-time
 * histogram read back once it has exited.
 * <p>
 * The JVM flags come from the system property {@code tradestate.jvm.args} (the launcher passes the flags of
 * {@code deploy/jvm.options} it picked for this Java, the build those of the parent pom), or else the flags this JVM
 * was itself started with.
 */
final class StrategyProcess implements AutoCloseable
{
    static final String JVM_ARGS_PROPERTY = "tradestate.jvm.args";

    private final String sourceId;
    private final Path statsPath;
    private final Path histogramPath;
    private final Path logPath;
    private final Process process;
    private final StrategyStatsFile stats;

    private StrategyProcess(
        final String sourceId,
        final Path statsPath,
        final Path histogramPath,
        final Path logPath,
        final Process process,
        final StrategyStatsFile stats)
    {
        this.sourceId = sourceId;
        this.statsPath = statsPath;
        this.histogramPath = histogramPath;
        this.logPath = logPath;
        this.process = process;
        this.stats = stats;
    }

    static String sourceId(final int processIndex)
    {
        return String.format("demo-strategy-%02d", processIndex + 1);
    }

    /**
     * How a restarted strategy reconciles with the simulated exchange before it trades again.
     *
     * @param downSinceMs when it was killed, ms since the epoch.
     * @param jdbcUrl     the reader agent's database.
     * @param user        its user.
     * @param password    its password (passed in the environment, never on the command line), or null.
     */
    record Reconciliation(long downSinceMs, String jdbcUrl, String user, String password)
    {
    }

    /**
     * The simulated exchange's record of a strategy's account ({@link ExchangeAccount}), for the strategy
     * {@code --chaos} kills.
     *
     * @param runDir       the run's scratch folder.
     * @param processIndex the strategy.
     * @return the file.
     */
    static Path exchangeAccount(final Path runDir, final int processIndex)
    {
        return runDir.resolve(sourceId(processIndex) + ".exchange");
    }

    /**
     * Start a strategy for the first time.
     *
     * @param exchangeAccount where it records its orders and fills as the exchange sees them, or null.
     */
    static StrategyProcess start(
        final DemoOptions options, final int processIndex, final long runId, final Path runDir,
        final Path exchangeAccount) throws IOException
    {
        return start(options, processIndex, runId, runDir, 1, options.durationMs(), null, 0, exchangeAccount, null);
    }

    /**
     * Start a strategy; again after its process was killed, a new life with a run id of its own (its order and
     * trade ids never collide with the last life's), the time left of the run, and the state folder to get its
     * open orders, trades and locks back from before it trades.
     *
     * @param life        1 for the first start, 2 for the first restart, and so on; names its stats, histogram and
     *                    log files.
     * @param durationMs  how long it appends once started.
     * @param restoreFrom  the reader agent's state folder, or null for a first start.
     * @param steadyFromMs when the run's steady state starts (epoch milliseconds) for a restart, whose first appends
     *                     come before its start signal; 0 for a first start, which gets it with the start signal.
     * @param exchangeAccount the simulated exchange's record of its account, or null for none.
     * @param reconciliation  for a restart with an exchange account: how to reconcile before trading; else null.
     */
    static StrategyProcess start(
        final DemoOptions options,
        final int processIndex,
        final long runId,
        final Path runDir,
        final int life,
        final long durationMs,
        final Path restoreFrom,
        final long steadyFromMs,
        final Path exchangeAccount,
        final Reconciliation reconciliation) throws IOException
    {
        final String sourceId = sourceId(processIndex);
        final String fileName = 1 == life ? sourceId : sourceId + "-life" + life;
        final Path statsPath = runDir.resolve(fileName + ".stats");
        final Path histogramPath = runDir.resolve(fileName + ".hdr");
        final Path logPath = runDir.resolve(fileName + ".log");
        final StrategyStatsFile stats = StrategyStatsFile.create(statsPath);

        final List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags());
        command.add("-Xms32m");
        command.add("-Xmx256m");
        // Many small JVMs share the machine: one GC thread each, not one per core.
        command.add("-XX:+UseSerialGC");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(StrategySimulatorMain.class.getName());
        command.add("--journal-root=" + options.journalRoot());
        command.add("--source-id=" + sourceId);
        command.add("--stats-file=" + statsPath);
        command.add("--histogram-file=" + histogramPath);
        command.add("--process-index=" + processIndex);
        command.add("--processes=" + options.processes());
        command.add("--instruments=" + options.instruments());
        command.add("--exchanges=" + options.exchanges());
        command.add("--rate=" + options.rate());
        command.add("--speed=" + options.speed());
        command.add("--max=" + options.max());
        command.add("--keep-warm=" + options.keepWarm());
        command.add("--seed=" + options.seed());
        command.add("--run-id=" + runId);
        command.add("--duration-ms=" + durationMs);
        command.add("--state-dir=" + options.stateDir());
        if (null != restoreFrom)
        {
            command.add("--restore-from=" + restoreFrom);
        }
        if (steadyFromMs > 0)
        {
            command.add("--steady-from-ms=" + steadyFromMs);
        }
        if (null != exchangeAccount)
        {
            command.add("--exchange-account=" + exchangeAccount);
        }
        final ProcessBuilder builder = new ProcessBuilder(command);
        if (null != reconciliation)
        {
            command.add("--down-since-ms=" + reconciliation.downSinceMs());
            command.add("--db-url=" + reconciliation.jdbcUrl());
            command.add("--db-user=" + reconciliation.user());
            if (null != reconciliation.password())
            {
                builder.environment().put(ReaderContext.DB_PASSWORD_ENV, reconciliation.password());
            }
        }

        try
        {
            final Process process = builder
                .redirectErrorStream(true)
                .redirectOutput(logPath.toFile())
                .start();
            return new StrategyProcess(sourceId, statsPath, histogramPath, logPath, process, stats);
        }
        catch (final IOException | RuntimeException ex)
        {
            stats.close();
            throw ex;
        }
    }

    static List<String> jvmFlags()
    {
        final String args = System.getProperty(JVM_ARGS_PROPERTY);
        if (null != args && !args.isBlank())
        {
            return Arrays.asList(args.trim().split("\\s+"));
        }
        final List<String> inherited = new ArrayList<>();
        for (final String flag : ManagementFactory.getRuntimeMXBean().getInputArguments())
        {
            if (flag.startsWith("--add-") || flag.startsWith("--enable-native-access") ||
                flag.startsWith("--sun-misc-unsafe-memory-access") || flag.startsWith("-Dchronicle.") ||
                flag.startsWith("-Ddisable."))
            {
                inherited.add(flag);
            }
        }
        return inherited;
    }

    String sourceId()
    {
        return sourceId;
    }

    StrategyStatsFile stats()
    {
        return stats;
    }

    boolean isAlive()
    {
        return process.isAlive();
    }

    /**
     * Kill the process with SIGKILL, as a crash would, and wait for it to be gone.
     *
     * @return its process id.
     */
    long kill() throws InterruptedException
    {
        final long pid = process.pid();
        process.destroyForcibly();
        process.waitFor();
        return pid;
    }

    /**
     * Ask the strategy to stop now (SIGTERM): it finishes the event it is appending, writes its histogram, exits.
     */
    void requestStop()
    {
        process.destroy();
    }

    /**
     * Wait for the process to exit, killing it after the timeout.
     *
     * @return its exit code.
     */
    int awaitExit(final long timeoutMs) throws InterruptedException
    {
        if (!process.waitFor(timeoutMs, TimeUnit.MILLISECONDS))
        {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS))
            {
                process.destroyForcibly();
                process.waitFor();
            }
        }
        return process.exitValue();
    }

    /**
     * The histograms of {@code commit()} times the process wrote at exit: the appends of the run's first seconds, then
     * those after.
     *
     * @return the two histograms, or null if there are none.
     */
    Histogram[] commitLatencyNs() throws IOException
    {
        if (!Files.exists(histogramPath))
        {
            return null;
        }
        final ByteBuffer encoded = ByteBuffer.wrap(Files.readAllBytes(histogramPath));
        final Histogram[] histograms = new Histogram[2];
        try
        {
            for (int i = 0; i < histograms.length; i++)
            {
                // One buffer each: HdrHistogram reads the backing array from its start, so no slices.
                final byte[] one = new byte[encoded.getInt()];
                encoded.get(one);
                histograms[i] = Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(one), 0);
            }
        }
        catch (final java.util.zip.DataFormatException | RuntimeException ex)
        {
            throw new IOException("cannot decode " + histogramPath, ex);
        }
        return histograms;
    }

    /**
     * The last lines of the process's output, to show why it failed.
     */
    String logTail(final int lines)
    {
        try
        {
            final List<String> all = Files.readAllLines(logPath, StandardCharsets.UTF_8);
            return String.join(System.lineSeparator(), all.subList(Math.max(0, all.size() - lines), all.size()));
        }
        catch (final IOException ex)
        {
            return "(no output: " + ex.getMessage() + ")";
        }
    }

    public void close()
    {
        if (process.isAlive())
        {
            process.destroyForcibly();
        }
        stats.close();
        try
        {
            Files.deleteIfExists(statsPath);
        }
        catch (final IOException ignore)
        {
            // A leftover stats file in a temporary folder is harmless.
        }
    }
}
