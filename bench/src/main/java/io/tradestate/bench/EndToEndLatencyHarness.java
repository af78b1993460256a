package io.tradestate.bench;

import io.tradestate.writer.TradeJournal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * End-to-end latency under load, open loop: {@code OrderUpdate} events appended at a fixed rate by a strategy's
 * journal in this JVM ({@link EndToEndRun}), and read in another JVM ({@link EndToEndReaderMain}). Measured from each
 * event's intended send time:
 * <ol>
 * <li><b>append</b>: to the return of {@code commit()}, in this JVM;</li>
 * <li><b>read</b>: to a Chronicle tailer in another JVM having it ({@link TailerLatencyProbe}), one run per rate;</li>
 * <li><b>state map</b> and <b>commit</b>: to visible in the reader agent's state maps, and to committed in its
 * embedded PostgreSQL, with the agent in another JVM ({@link AgentLatencyProbe}): one run at {@code --commit-rate}
 * (200 events/s, the product's design load) and one per rate the appender sustained.</li>
 * </ol>
 * If the appender or the tailer does not sustain the highest rate, lower rates are tried (x0.7 each, at most
 * {@value #PROBES} times) until one is, so that the report can say which rate this machine sustains; and the same for
 * the commit, from the rate the drain achieved. Every journal rolls every second. Results: a folder
 * {@code end-to-end-<UTC time>} under the results folder with {@code summary.txt}, {@code runs.csv} and two files
 * per histogram ({@link HistogramFiles}).
 * <pre>
 * java $TRADESTATE_JVM_ARGS -cp ... io.tradestate.bench.EndToEndLatencyHarness [workParent] [--results=dir]
 *     [--rates=1000,100000,1000000] [--commit-rate=200] [--seconds=10] [--low-rate-seconds=60]
 *     [--warmup-events=100000] [--tailer-idle=busy-spin] [--no-probe] [--drain-timeout=300] [--keep]
 * </pre>
 */
public final class EndToEndLatencyHarness
{
    private static final int PROBES = 4;
    private static final double PROBE_FACTOR = 0.7;
    private static final long LOW_RATE = 1_000;
    private static final long SETTLE_MS = 500;
    private static final long CHILD_START_TIMEOUT_MS = 180_000;
    private static final List<String> TAILER_HEAP = List.of("-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch");
    private static final List<String> AGENT_HEAP = List.of("-Xms512m", "-Xmx512m", "-XX:+AlwaysPreTouch");

    private Path workParent = Paths.get(System.getProperty("java.io.tmpdir"));
    private Path resultsRoot = Paths.get("bench", "results");
    private long[] rates = {1_000, 100_000, 1_000_000};
    private long commitRate = 200;
    private double seconds = 10;
    private double lowRateSeconds = 60;
    private int warmupEvents = 100_000;
    private String tailerIdle = "busy-spin";
    private boolean probe = true;
    private long drainTimeoutSeconds = 300;
    private boolean keep;
    private final String arguments;
    private final List<EndToEndRun> runs = new ArrayList<>();
    private long epochOffsetNs;
    private long agentEventsAppended;
    private Path workDir;
    private Path resultsDir;

    EndToEndLatencyHarness(final String... args)
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
                case "--rates" -> rates = Stream.of(value.split(",")).mapToLong(Long::parseLong).sorted().toArray();
                case "--commit-rate" -> commitRate = Long.parseLong(value);
                case "--seconds" -> seconds = Double.parseDouble(value);
                case "--low-rate-seconds" -> lowRateSeconds = Double.parseDouble(value);
                case "--warmup-events" -> warmupEvents = Integer.parseInt(value);
                case "--tailer-idle" -> tailerIdle = value;
                case "--no-probe" -> probe = false;
                case "--drain-timeout" -> drainTimeoutSeconds = Long.parseLong(value);
                case "--keep" -> keep = true;
                default -> throw option.unknown();
            }
        }

        if (0 == rates.length || rates[0] < 1 || commitRate < 1 || seconds <= 0 || lowRateSeconds <= 0 ||
            warmupEvents < 0 || drainTimeoutSeconds < 1)
        {
            throw new IllegalArgumentException("--rates, --commit-rate, --seconds, --low-rate-seconds and " +
                "--drain-timeout must be positive, --warmup-events at least 0");
        }
    }

    /**
     * Run the harness, print the summary and write the results.
     *
     * @param args {@code [workParent] [--results=dir] [--rates=a,b,c] [--commit-rate=n] [--seconds=s]
     *             [--low-rate-seconds=s] [--warmup-events=n] [--tailer-idle=busy-spin|yield|backoff] [--no-probe]
     *             [--drain-timeout=s] [--keep]}.
     * @throws Exception if a run fails.
     */
    public static void main(final String[] args) throws Exception
    {
        new EndToEndLatencyHarness(args).run();
        System.exit(0);
    }

    /**
     * Run every phase and write the results.
     *
     * @return the folder of the results.
     * @throws Exception if a run fails.
     */
    Path run() throws Exception
    {
        final String stamp = OffsetDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        workDir = Files.createTempDirectory(Files.createDirectories(workParent), "end-to-end-");
        resultsDir = Files.createDirectories(resultsRoot.resolve("end-to-end-" + stamp));
        epochOffsetNs = IntendedTimeClock.measureEpochOffsetNs();
        final EndToEndReport report = new EndToEndReport(stamp, arguments, resultsDir);
        try
        {
            report.header(workDir);
            final long appendMax = tailerPhase();
            agentPhase(appendMax);
            report.runs(runs);
            report.write(runs);
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

    /**
     * A tailer run per rate, and lower rates if the highest is not sustained.
     *
     * @return the highest rate sustained by the appender and the tailer, 0 if none.
     */
    private long tailerPhase() throws Exception
    {
        long sustained = 0;
        long notSustained = 0;
        for (final long rate : rates)
        {
            final EndToEndRun run = tailerRun(rate);
            if (run.appendSustained() && run.readSustained())
            {
                sustained = Math.max(sustained, rate);
            }
            else if (0 == notSustained)
            {
                notSustained = rate;
            }
        }

        long rate = notSustained;
        for (int i = 0; probe && 0 != notSustained && i < PROBES; i++)
        {
            rate = roundRate(rate * PROBE_FACTOR);
            if (rate <= sustained)
            {
                break;
            }
            final EndToEndRun run = tailerRun(rate);
            if (run.appendSustained() && run.readSustained())
            {
                sustained = rate;
                break;
            }
        }

        return sustained;
    }

    /**
     * The agent's runs: the commit rate, every rate the appender sustained, and lower rates if the commit did not
     * sustain the highest.
     */
    private void agentPhase(final long appendMax) throws Exception
    {
        final List<Long> agentRates = new ArrayList<>();
        agentRates.add(commitRate);
        for (final EndToEndRun run : runs)
        {
            if (run.appendSustained() && run.readSustained() && !agentRates.contains(run.rate()))
            {
                agentRates.add(run.rate());
            }
        }
        agentRates.sort(Comparator.naturalOrder());
        System.out.printf(Locale.ROOT, "reader agent runs at %s events/s (the appender sustained up to %,d/s)%n",
            agentRates, appendMax);

        final Path agentWork = Files.createDirectories(workDir.resolve("agent"));
        final Path journalRoot = Files.createDirectories(agentWork.resolve("journal"));
        try (ReaderProcess agent = ReaderProcess.start(AGENT_HEAP, List.of(EndToEndRun.AGENT, agentWork.toString(),
            Long.toString(epochOffsetNs), resultsDir.toString()), workDir.resolve("agent.log")))
        {
            agent.await("READY", CHILD_START_TIMEOUT_MS);
            long commitSustained = 0;
            boolean probed = !probe;
            for (final long rate : agentRates)
            {
                final EndToEndRun run = agentRun(agent, journalRoot, rate);
                if (run.commitSustained())
                {
                    commitSustained = Math.max(commitSustained, rate);
                }
                else if (!probed)
                {
                    // Down from what the drain achieved, before the higher rates leave it a backlog to clear.
                    probed = true;
                    double probeRate = run.commitRate();
                    for (int i = 0; i < PROBES && !Double.isNaN(probeRate); i++)
                    {
                        probeRate = roundRate(probeRate * (0 == i ? 0.9 : PROBE_FACTOR));
                        if (probeRate <= commitSustained)
                        {
                            break;
                        }
                        if (agentRun(agent, journalRoot, (long)probeRate).commitSustained())
                        {
                            commitSustained = (long)probeRate;
                            break;
                        }
                    }
                }
            }
            agent.send("QUIT");
        }
    }

    private EndToEndRun tailerRun(final long rate) throws Exception
    {
        final EndToEndRun run = newRun(EndToEndRun.TAILER, rate);
        final Path journalRoot = Files.createDirectories(workDir.resolve(EndToEndRun.TAILER));
        final IntendedTimeClock clock = new IntendedTimeClock(epochOffsetNs);
        clock.appendingThread(Thread.currentThread());
        System.out.printf(Locale.ROOT, "running %s, tailer in another JVM ...%n", run.describe());
        try (TradeJournal journal = run.openJournal(journalRoot, clock))
        {
            EndToEndRun.warmUp(journal, 1);
            try (ReaderProcess tailer = ReaderProcess.start(TAILER_HEAP, List.of(EndToEndRun.TAILER,
                journalRoot.resolve(run.name()).toString(), Long.toString(1L + warmupEvents),
                Long.toString(epochOffsetNs), resultsDir.toString(), run.name(), tailerIdle),
                workDir.resolve(run.name() + ".log")))
            {
                tailer.await("READY", CHILD_START_TIMEOUT_MS);
                EndToEndRun.warmUp(journal, warmupEvents);
                Thread.sleep(SETTLE_MS);
                run.measure(journal, clock);
                tailer.send("END " + run.events());
                final Map<String, String> done = tailer.await("DONE",
                    (long)(run.seconds() * 1000) + CHILD_START_TIMEOUT_MS);
                run.readDoneEpochNs(Long.parseLong(done.get("lastEpochNs")));
                if (!Boolean.parseBoolean(done.get("complete")))
                {
                    run.incomplete();
                }
            }
        }
        finish(run, journalRoot);
        return run;
    }

    private EndToEndRun agentRun(final ReaderProcess agent, final Path journalRoot, final long rate) throws Exception
    {
        final EndToEndRun run = newRun(EndToEndRun.AGENT, rate);
        final IntendedTimeClock clock = new IntendedTimeClock(epochOffsetNs);
        clock.appendingThread(Thread.currentThread());
        System.out.printf(Locale.ROOT, "running %s, reader agent in another JVM ...%n", run.describe());
        try (TradeJournal journal = run.openJournal(journalRoot, clock))
        {
            EndToEndRun.warmUp(journal, 1 + warmupEvents);
            agentEventsAppended += 1 + warmupEvents;
            agent.send("SYNC " + run.name() + " " + (1 + warmupEvents) + " " + agentEventsAppended + " " +
                3 * drainTimeoutSeconds);
            agent.await("SYNCED", (3 * drainTimeoutSeconds + 60) * 1000);
            Thread.sleep(SETTLE_MS);
            final long startEpochNs = run.measure(journal, clock);
            agentEventsAppended += run.events();
            agent.send("MEASURE " + run.name() + " " + startEpochNs + " " + run.events() + " " + run.name() + " " +
                drainTimeoutSeconds);
            final Map<String, String> done = agent.await("DONE", (drainTimeoutSeconds + 60) * 1000);
            run.stateDoneEpochNs(Long.parseLong(done.get("stateDoneEpochNs")));
            run.commitDoneEpochNs(Long.parseLong(done.get("lastCommitEpochNs")));
            if (!Boolean.parseBoolean(done.get("complete")))
            {
                run.incomplete();
            }
        }
        HistogramFiles.write(resultsDir, run.name() + "-append", run.appendNs());
        HistogramFiles.write(resultsDir, run.name() + "-append-service", run.appendServiceNs());
        runs.add(run);
        EndToEndReport.progress(run);
        return run;
    }

    private EndToEndRun newRun(final String mode, final long rate)
    {
        final double runSeconds = rate <= LOW_RATE ? Math.max(seconds, lowRateSeconds) : seconds;
        final int events = (int)Math.max(1, Math.min(Integer.MAX_VALUE, Math.round(rate * runSeconds)));
        String name = mode + "-" + rate;
        for (int i = 2; nameTaken(name); i++)
        {
            name = mode + "-" + rate + "-" + i;
        }
        return new EndToEndRun(name, mode, rate, events);
    }

    private boolean nameTaken(final String name)
    {
        for (final EndToEndRun run : runs)
        {
            if (run.name().equals(name))
            {
                return true;
            }
        }
        return false;
    }

    private void finish(final EndToEndRun run, final Path journalRoot) throws IOException
    {
        HistogramFiles.write(resultsDir, run.name() + "-append", run.appendNs());
        HistogramFiles.write(resultsDir, run.name() + "-append-service", run.appendServiceNs());
        runs.add(run);
        EndToEndReport.progress(run);
        if (!keep)
        {
            WorkFolder.delete(journalRoot.resolve(run.name()));
        }
    }

    private static long roundRate(final double rate)
    {
        final double magnitude = Math.pow(10, Math.floor(Math.log10(Math.max(1, rate))) - 1);
        return Math.max(1, Math.round(rate / magnitude) * (long)magnitude);
    }
}
