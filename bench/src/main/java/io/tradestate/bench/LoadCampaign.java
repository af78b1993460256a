package io.tradestate.bench;

import io.tradestate.bench.report.MachineInfo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
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
 *     [--agent-heap="-Xms1g -Xmx1g ..."] [--no-baseline] [--keep]
 * </pre>
 */
public final class LoadCampaign
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

    private Path workParent = Paths.get(System.getProperty("java.io.tmpdir"));
    private Path resultsRoot = Paths.get("bench", "results");
    private int writers = 1;
    private double burstSeconds = 60;
    private long burstRate;
    private long catchupRate = 250;
    private double tailSeconds = 10;
    private long catchupTimeoutSeconds = 1800;
    private List<String> agentHeap = List.of(AGENT_HEAP.split(" "));
    private int agentNice = AGENT_NICE;
    private boolean baseline = true;
    private boolean keep;
    private final String arguments;
    private LoadRun drained;
    private LoadRun undrained;

    LoadCampaign(final String... args)
    {
        arguments = String.join(" ", args);
        final HarnessArguments parsed = HarnessArguments.parse(args, workParent);
        workParent = parsed.workParent();
        for (final HarnessArguments.Option option : parsed.options())
        {
            final String value = option.value();
            switch (option.key())
            {
                case "--results" -> resultsRoot = Paths.get(value);
                case "--writers" -> writers = Integer.parseInt(value);
                case "--burst-seconds" -> burstSeconds = Double.parseDouble(value);
                case "--burst-rate" -> burstRate = "max".equals(value) ? 0 : Long.parseLong(value);
                case "--catchup-rate" -> catchupRate = Long.parseLong(value);
                case "--tail-seconds" -> tailSeconds = Double.parseDouble(value);
                case "--catchup-timeout" -> catchupTimeoutSeconds = Long.parseLong(value);
                case "--agent-heap" -> agentHeap = Arrays.stream(value.trim().split("\\s+"))
                    .filter((flag) -> !flag.isEmpty()).toList();
                case "--agent-nice" -> agentNice = Integer.parseInt(value);
                case "--no-baseline" -> baseline = false;
                case "--keep" -> keep = true;
                default -> throw option.unknown();
            }
        }
        if (writers < 1 || burstSeconds <= 0 || burstRate < 0 || catchupRate < writers || tailSeconds < 0 ||
            catchupTimeoutSeconds < 1 || agentNice < 0 || agentNice > 19)
        {
            throw new IllegalArgumentException("--writers, --burst-seconds and --catchup-timeout must be positive, " +
                "--burst-rate max or positive, --catchup-rate at least one event/s per writer, --tail-seconds >= 0, " +
                "--agent-nice 0 to 19");
        }
    }

    /**
     * Run the campaign, print where the results are, exit 1 if an event was lost or stored twice.
     *
     * @param args {@code [workParent] [--results=dir] [--writers=n] [--burst-seconds=s] [--burst-rate=max|n]
     *             [--catchup-rate=n] [--tail-seconds=s] [--catchup-timeout=s] [--agent-heap="flags"]
     *             [--agent-nice=n] [--no-baseline] [--keep]}.
     * @throws Exception if a run fails.
     */
    public static void main(final String[] args) throws Exception
    {
        final LoadCampaign campaign = new LoadCampaign(args);
        campaign.run();
        System.exit(campaign.drained().verification().clean() ? 0 : 1);
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
