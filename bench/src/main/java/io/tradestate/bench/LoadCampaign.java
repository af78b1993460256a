package io.tradestate.bench;

import io.tradestate.bench.report.MachineInfo;
import io.tradestate.reader.cli.CommandLines;
import io.tradestate.reader.cli.VersionProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The load campaign (issue 7, item 4): a burst at the highest append rate the machine allows, then the catch-up.
 * <ol>
 * <li><b>With the drainer.</b> The reader agent runs as in production ({@link LoadAgent}: its own JVM, embedded
 * PostgreSQL, state publisher, metrics). {@code --writers} strategy JVMs ({@link LoadWriterMain}), one source each,
 * append {@link DrainWorkload}'s mix flat out for {@code --burst-seconds} (or open loop at {@code --burst-rate}), then
 * open loop at the design load ({@code --catchup-rate} events/s in all) while the agent catches up, and
 * {@code --tail-seconds} more once it has (every source's oldest uncommitted event under a second old). Every second
 * a {@link LoadSampler} scrapes the agent's {@code /metrics} and reads {@code /proc}: lag per source, batch sizes,
 * commit rate, heap, resident memory, CPU. When the writers have stopped and the lag is 0, {@link LoadVerification}
 * checks that every appended event is stored once.</li>
 * <li><b>Without the drainer.</b> The same writers and the same events with no agent: the burst open loop at the
 * rate the first run's burst achieved (or {@code --burst-rate}), then the same catch-up schedule for as long as the
 * first run's catch-up and tail lasted: the append latency a strategy has when nothing reads.</li>
 * </ol>
 * {@link LoadReport} writes {@code load.md}, {@code load.csv}, the plots and the merged histograms into
 * {@code <results>/<date>-<machine>/load-<UTC time>/}. The exit code is 1 if anything was lost or stored twice.
 * <pre>
 * java $TRADESTATE_JVM_ARGS -cp ... io.tradestate.bench.LoadCampaign [workParent] [--results=dir] [--writers=1]
 *     [--burst-seconds=60] [--burst-rate=max] [--catchup-rate=250] [--tail-seconds=10] [--catchup-timeout=1800]
 *     [--agent-heap="-Xms1g -Xmx1g ..."] [--agent-nice=10] [--no-baseline] [--keep]
 * </pre>
 * {@code --help} lists the options with their defaults ({@link HarnessCommandLine}).
 */
@Command(
    name = "LoadCampaign",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    synopsisHeading = "usage: ",
    customSynopsis =
    {
        "java ... io.tradestate.bench.LoadCampaign [workParent] [options]",
        "       mvn -B -pl bench -am package -DskipTests -Pload [-Dload.workDir=DIR] [-Dload.args=\"options\"]",
    },
    description =
    {
        "",
        "The load campaign: a burst at the highest append rate the machine allows, then the reader agent's",
        "catch-up, sampled every second; then the same without the agent (bench/results/README.md).",
        "",
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList =
    {
        "0:every appended event is stored once; the results are written",
        "1:an event was lost or stored twice, or a run failed",
        CommandLines.EXIT_USAGE + ":invalid arguments",
    })
public final class LoadCampaign implements HarnessCommandLine.Command
{
    /**
     * The production heap and GC flags of the agent (deploy/jvm.options), without its log files.
     */
    static final String AGENT_HEAP = "-Xms1g -Xmx1g -XX:+AlwaysPreTouch -XX:+UseG1GC -XX:MaxGCPauseMillis=50 " +
        "-XX:+ExitOnOutOfMemoryError";

    /**
     * The agent's niceness, as the systemd unit's {@code Nice=}: the strategies win a contended core.
     */
    static final int AGENT_NICE = 10;

    private static final List<String> WRITER_HEAP = List.of("-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch");
    private static final long START_TIMEOUT_MS = TimeUnit.MINUTES.toMillis(3);
    private static final long DONE_TIMEOUT_MS = TimeUnit.MINUTES.toMillis(2);
    private static final long DRAIN_TIMEOUT_MS = TimeUnit.MINUTES.toMillis(10);
    private static final double CAUGHT_UP_LAG_SECONDS = 1.0;
    private static final long POLL_MS = 200;
    private static final long LAST_SAMPLES_MS = 2_500;

    @Parameters(index = "0", arity = "0..1", paramLabel = "workParent", defaultValue = "${sys:java.io.tmpdir}",
        description = "where the journals and the reader agent's state folder go (default: ${DEFAULT-VALUE})")
    private Path workParent;

    @Option(names = "--results", paramLabel = "DIR", defaultValue = "bench/results",
        description = "where the results folder is made (default: ${DEFAULT-VALUE})")
    private Path resultsRoot;

    @Option(names = "--writers", paramLabel = "N", defaultValue = "1",
        description = "strategy JVMs, one source each (default: ${DEFAULT-VALUE})")
    private int writers;

    @Option(names = "--burst-seconds", paramLabel = "S", defaultValue = "60",
        description = "length of the burst (default: ${DEFAULT-VALUE})")
    private double burstSeconds;

    @Option(names = "--burst-rate", paramLabel = "max|N", defaultValue = "max",
        description = "the burst flat out, or open loop at N events/s in all, in both runs (default: ${DEFAULT-VALUE})")
    private String burstRateText;

    @Option(names = "--catchup-rate", paramLabel = "N", defaultValue = "250",
        description = "events/s in all while the agent catches up, open loop (default: ${DEFAULT-VALUE})")
    private long catchupRate;

    @Option(names = "--tail-seconds", paramLabel = "S", defaultValue = "10",
        description = "how long the writers go on once the agent has caught up (default: ${DEFAULT-VALUE})")
    private double tailSeconds;

    @Option(names = "--catchup-timeout", paramLabel = "S", defaultValue = "1800",
        description = "how long the agent may take to catch up (default: ${DEFAULT-VALUE})")
    private long catchupTimeoutSeconds;

    @Option(names = "--agent-heap", paramLabel = "FLAGS", defaultValue = AGENT_HEAP,
        description = {"the agent JVM's heap and GC flags, separated by spaces; default:", "${DEFAULT-VALUE}"})
    private String agentHeapText;

    @Option(names = "--agent-nice", paramLabel = "N", defaultValue = "" + AGENT_NICE,
        description = "the agent's niceness, 0 to 19, as the systemd unit's Nice= (default: ${DEFAULT-VALUE})")
    private int agentNice;

    @Option(names = "--no-baseline", description = "skip the run without the drainer")
    private boolean noBaseline;

    @Option(names = "--keep", description = "keep the journals and the agent's state folder")
    private boolean keep;

    private long burstRate;
    private List<String> agentHeap;
    private boolean baseline;
    private final String arguments;
    private LoadRun drained;
    private LoadRun undrained;

    /**
     * The harness, its options not parsed yet: {@link #parse} parses them, as {@code main} does.
     *
     * @param args the command line, as the results quote it.
     */
    LoadCampaign(final String[] args)
    {
        arguments = String.join(" ", args);
    }

    /**
     * The campaign with its options parsed and validated.
     *
     * @param args {@code [workParent] [--results=dir] [--writers=n] ...}.
     * @return the campaign, ready to run.
     * @throws IllegalArgumentException naming the first unknown or invalid option.
     */
    static LoadCampaign parse(final String... args)
    {
        final LoadCampaign campaign = new LoadCampaign(args);
        HarnessCommandLine.parse(campaign, args);
        return campaign;
    }

    /**
     * Run the campaign, print where the results are, exit 1 if an event was lost or stored twice; {@code --help}
     * lists the options.
     *
     * @param args {@code [workParent] [--results=dir] [--writers=n] [--burst-seconds=s] [--burst-rate=max|n]
     *             [--catchup-rate=n] [--tail-seconds=s] [--catchup-timeout=s] [--agent-heap="flags"]
     *             [--agent-nice=n] [--no-baseline] [--keep]}.
     * @throws Exception if a run fails.
     */
    public static void main(final String[] args) throws Exception
    {
        final LoadCampaign campaign = new LoadCampaign(args);
        if (HarnessCommandLine.parseOrExit(campaign, args))
        {
            campaign.run();
            System.exit(campaign.drained().verification().clean() ? 0 : 1);
        }
    }

    /**
     * Validate the options.
     *
     * @throws IllegalArgumentException naming the options if one is out of range.
     */
    @Override
    public void conclude()
    {
        try
        {
            burstRate = "max".equals(burstRateText) ? 0 : Long.parseLong(burstRateText);
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("--burst-rate takes max or a whole number, not '" + burstRateText +
                "'", ex);
        }
        agentHeap = Arrays.stream(agentHeapText.trim().split("\\s+")).filter((flag) -> !flag.isEmpty()).toList();
        baseline = !noBaseline;
        if (writers < 1 || burstSeconds <= 0 || burstRate < 0 || catchupRate < writers || tailSeconds < 0 ||
            catchupTimeoutSeconds < 1 || agentNice < 0 || agentNice > 19)
        {
            throw new IllegalArgumentException("--writers, --burst-seconds and --catchup-timeout must be positive, " +
                "--burst-rate max or positive, --catchup-rate at least one event/s per writer, --tail-seconds >= 0, " +
                "--agent-nice 0 to 19");
        }
    }

    /**
     * Run both runs and write the results.
     *
     * @return the results folder.
     * @throws Exception if a run fails.
     */
    Path run() throws Exception
    {
        final OffsetDateTime started = OffsetDateTime.now(ZoneOffset.UTC);
        final MachineInfo machine = MachineInfo.current();
        final Path resultsDir = Files.createDirectories(resultsRoot
            .resolve(LocalDate.now(ZoneOffset.UTC) + "-" + machine.folderName())
            .resolve("load-" + started.format(DateTimeFormatter.ofPattern("HHmmss"))));
        final Path workDir = Files.createTempDirectory(Files.createDirectories(workParent), "load-").toAbsolutePath();
        final LoadReport report = new LoadReport(resultsDir, arguments, machine, started, this);
        try
        {
            drained = drainerRun(workDir.resolve("drainer"), resultsDir);
            drained.writeHistograms(resultsDir);
            if (!keep)
            {
                // Gigabytes of journal pages still to be written back would compete with the second run.
                WorkFolder.delete(workDir.resolve("drainer"));
            }
            if (baseline)
            {
                // The same events at the same pace: flat out would append several times more with no agent.
                final long rate = 0 != burstRate ? burstRate : Math.max(writers,
                    Math.round(drained.writersSum("burstEvents") / drained.writersMax("burstSeconds")));
                undrained = undrainedRun(workDir.resolve("no-drainer"), rate, drained.stopS() - drained.burstEndS());
                undrained.writeHistograms(resultsDir);
            }
            report.write(drained, undrained);
            System.out.println(Files.readString(resultsDir.resolve(LoadReport.REPORT_FILE)));
            System.out.println("results written to " + resultsDir);
            return resultsDir;
        }
        finally
        {
            if (!keep)
            {
                WorkFolder.delete(workDir);
            }
        }
    }

    private LoadRun drainerRun(final Path workDir, final Path resultsDir) throws Exception
    {
        final LoadRun run = new LoadRun("drainer", true);
        final Path journalRoot = Files.createDirectories(workDir.resolve("journal"));
        final Path agentDir = Files.createDirectories(workDir.resolve("agent"));
        System.out.printf(Locale.ROOT, "%s: starting the reader agent (%s, nice %d) ...%n", run.name(), agentHeap,
            agentNice);
        try (LoadAgent agent = LoadAgent.start(agentDir, journalRoot, agentHeap, agentNice, START_TIMEOUT_MS))
        {
            final List<ReaderProcess> strategies = startWriters(run, workDir, journalRoot, burstRate);
            try (LoadSampler sampler = new LoadSampler(agent.metricsUrl(), agent.pid(), agent::postmasterPid,
                sourceIds(), resultsDir.resolve(LoadReport.CSV_FILE)))
            {
                final long originNs = sampler.originNs();
                send(strategies, "START 0");
                awaitBurst(run, strategies, originNs);
                sampler.phase("catch-up");

                final long timeoutNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(catchupTimeoutSeconds);
                while (Double.isNaN(run.caughtUpS()))
                {
                    agent.checkAlive();
                    final LoadSample sample = sampler.latestScrapedAfter(run.burstEndS());
                    if (null != sample && sample.lagBySource().size() == writers &&
                        sample.lagSecondsMax() < CAUGHT_UP_LAG_SECONDS)
                    {
                        run.caughtUpS(sample.elapsedS());
                    }
                    else if (System.nanoTime() - timeoutNs > 0)
                    {
                        throw new IOException("the reader agent did not catch up within " + catchupTimeoutSeconds +
                            " s after the burst; last sample " + sample);
                    }
                    Thread.sleep(POLL_MS);
                }
                System.out.printf(Locale.ROOT, "%s: caught up %.1f s after the burst%n", run.name(),
                    run.caughtUpS() - run.burstEndS());
                sampler.phase("tail");
                Thread.sleep((long)(tailSeconds * 1000));
                run.stopS(elapsedS(originNs));
                send(strategies, "STOP");
                awaitDone(run, strategies, workDir);
                sampler.phase("drain");

                final long drainDeadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DRAIN_TIMEOUT_MS);
                while (Double.isNaN(run.drainedS()))
                {
                    agent.checkAlive();
                    final LoadSample sample = sampler.latestScrapedAfter(elapsedS(originNs) - 0.5);
                    if (null != sample && sample.lagBySource().size() == writers && 0 == sample.lagEvents())
                    {
                        run.drainedS(sample.elapsedS());
                    }
                    else if (System.nanoTime() - drainDeadlineNs > 0)
                    {
                        throw new IOException("the lag did not return to 0 within " + DRAIN_TIMEOUT_MS +
                            " ms of the writers stopping; last sample " + sample);
                    }
                    Thread.sleep(POLL_MS);
                }
                Thread.sleep(LAST_SAMPLES_MS);
                sampler.close();
                run.samples(sampler.samples());
            }
            finally
            {
                closeAll(strategies);
            }

            final LoadSample last = run.samples().get(run.samples().size() - 1);
            final boolean checkState = 0 == last.stateDroppedTotal();
            System.out.printf(Locale.ROOT, "%s: verifying every event against the database%s ...%n", run.name(),
                checkState ? " and the state maps" : "");
            run.verification(LoadVerification.run(agent, journalRoot, run.appendedBySource(), checkState,
                resultsDir.resolve(LoadReport.VERIFY_FILE)));
            run.agentExit(agent.stop());
        }
        final Path agentLog = agentDir.resolve("agent.log");
        if (Files.exists(agentLog))
        {
            try (Stream<String> lines = Files.lines(agentLog))
            {
                run.agentWarnings(lines.filter((line) -> line.contains("[WARN]") || line.contains("[ERROR]")).count());
            }
            Files.copy(agentLog, resultsDir.resolve("agent.log"));
        }
        return run;
    }

    private LoadRun undrainedRun(final Path workDir, final long rate, final double catchupSeconds) throws Exception
    {
        final LoadRun run = new LoadRun("no-drainer", false);
        final Path journalRoot = Files.createDirectories(workDir.resolve("journal"));
        final List<ReaderProcess> strategies = startWriters(run, workDir, journalRoot, rate);
        try
        {
            final long originNs = System.nanoTime();
            send(strategies, String.format(Locale.ROOT, "START %.3f", catchupSeconds));
            awaitBurst(run, strategies, originNs);
            awaitDone(run, strategies, workDir);
            run.stopS(elapsedS(originNs));
        }
        finally
        {
            closeAll(strategies);
        }
        return run;
    }

    private List<ReaderProcess> startWriters(
        final LoadRun run, final Path workDir, final Path journalRoot, final long rate) throws Exception
    {
        final Path histograms = Files.createDirectories(workDir.resolve("histograms"));
        final List<ReaderProcess> strategies = new ArrayList<>();
        run.burstRate(rate);
        System.out.printf(Locale.ROOT, "%s: %d strategy JVM(s), burst %s for %.0f s, then %,d events/s%n",
            run.name(), writers, 0 == rate ? "flat out" : String.format(Locale.ROOT, "at %,d events/s", rate),
            burstSeconds, catchupRate);
        try
        {
            for (int i = 1; i <= writers; i++)
            {
                final String sourceId = sourceId(i);
                strategies.add(ReaderProcess.start(WRITER_HEAP, LoadWriterMain.class, List.of(journalRoot.toString(),
                    sourceId, Integer.toString(i), Double.toString(burstSeconds),
                    Long.toString(0 == rate ? 0 : Math.max(1, rate / writers)),
                    Long.toString(catchupRate / writers), histograms.toString(), sourceId),
                    workDir.resolve(sourceId + ".log")));
            }
            for (final ReaderProcess strategy : strategies)
            {
                strategy.await("READY", START_TIMEOUT_MS);
            }
        }
        catch (final Exception ex)
        {
            closeAll(strategies);
            throw ex;
        }
        return strategies;
    }

    private void awaitBurst(final LoadRun run, final List<ReaderProcess> strategies, final long originNs)
        throws Exception
    {
        for (final ReaderProcess strategy : strategies)
        {
            strategy.await("BURST_DONE", (long)(burstSeconds * 1000) + DONE_TIMEOUT_MS);
        }
        run.burstEndS(elapsedS(originNs));
        System.out.printf(Locale.ROOT, "%s: burst done after %.1f s%n", run.name(), run.burstEndS());
    }

    private void awaitDone(final LoadRun run, final List<ReaderProcess> strategies, final Path workDir)
        throws Exception
    {
        final long timeoutMs = DONE_TIMEOUT_MS + (run.drainer() ? 0 :
            TimeUnit.SECONDS.toMillis(catchupTimeoutSeconds + (long)tailSeconds));
        for (int i = 0; i < strategies.size(); i++)
        {
            final Map<String, String> done = strategies.get(i).await("DONE", timeoutMs);
            run.writerDone(sourceId(i + 1), done, workDir.resolve("histograms"), sourceId(i + 1));
        }
        System.out.printf(Locale.ROOT, "%s: the strategies appended %,.0f events in the burst, %,.0f after%n",
            run.name(), run.writersSum("burstEvents"), run.writersSum("catchupEvents"));
    }

    private static void send(final List<ReaderProcess> strategies, final String command) throws IOException
    {
        for (final ReaderProcess strategy : strategies)
        {
            strategy.send(command);
        }
    }

    private static void closeAll(final List<ReaderProcess> strategies)
    {
        for (final ReaderProcess strategy : strategies)
        {
            strategy.close();
        }
    }

    private List<String> sourceIds()
    {
        final List<String> ids = new ArrayList<>();
        for (int i = 1; i <= writers; i++)
        {
            ids.add(sourceId(i));
        }
        return ids;
    }

    private static String sourceId(final int writer)
    {
        return "load-" + writer;
    }

    private static double elapsedS(final long originNs)
    {
        return (System.nanoTime() - originNs) / 1e9;
    }

    LoadRun drained()
    {
        return drained;
    }

    LoadRun undrained()
    {
        return undrained;
    }

    int writers()
    {
        return writers;
    }

    double burstSeconds()
    {
        return burstSeconds;
    }

    long burstRate()
    {
        return burstRate;
    }

    long catchupRate()
    {
        return catchupRate;
    }

    double tailSeconds()
    {
        return tailSeconds;
    }

    List<String> agentHeap()
    {
        return agentHeap;
    }
}
