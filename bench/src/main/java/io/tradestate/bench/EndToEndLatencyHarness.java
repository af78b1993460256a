package io.tradestate.bench;

import io.tradestate.reader.cli.CommandLines;
import io.tradestate.reader.cli.VersionProvider;
import io.tradestate.writer.TradeJournal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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
 * {@code --help} lists the options with their defaults ({@link HarnessCommandLine}).
 */
@Command(
    name = "EndToEndLatencyHarness",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    synopsisHeading = "usage: ",
    customSynopsis =
    {
        "java ... io.tradestate.bench.EndToEndLatencyHarness [workParent] [options]",
        "       mvn -B -pl bench compile exec:exec@end-to-end [-De2e.workDir=DIR] [-De2e.args=\"options\"]",
    },
    description =
    {
        "",
        "End-to-end latency under load, open loop: OrderUpdate events appended at a fixed rate in this JVM, read by",
        "a Chronicle tailer in another JVM, then by the reader agent in another JVM into its state maps and its",
        "embedded PostgreSQL (bench/results/README.md).",
        "",
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList =
    {
        "0:the results are written",
        "1:a run failed",
        CommandLines.EXIT_USAGE + ":invalid arguments",
    })
public final class EndToEndLatencyHarness implements HarnessCommandLine.Command
{
    private static final int PROBES = 4;
    private static final double PROBE_FACTOR = 0.7;
    private static final long LOW_RATE = 1_000;
    private static final long SETTLE_MS = 500;
    private static final long CHILD_START_TIMEOUT_MS = 180_000;
    private static final List<String> TAILER_HEAP = List.of("-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch");
    private static final List<String> AGENT_HEAP = List.of("-Xms512m", "-Xmx512m", "-XX:+AlwaysPreTouch");

    @Parameters(index = "0", arity = "0..1", paramLabel = "workParent", defaultValue = "${sys:java.io.tmpdir}",
        description = "where the journals and the reader agent's embedded PostgreSQL go (default: ${DEFAULT-VALUE})")
    private Path workParent;

    @Option(names = "--results", paramLabel = "DIR", defaultValue = "bench/results",
        description = "where the results folder is made (default: ${DEFAULT-VALUE})")
    private Path resultsRoot;

    @Option(names = "--rates", paramLabel = "N,N", defaultValue = "1000,100000,1000000",
        description = "events/s of the tailer runs, and of the agent runs the appender sustained " +
        "(default: ${DEFAULT-VALUE})")
    private String ratesText;

    @Option(names = "--commit-rate", paramLabel = "N", defaultValue = "200",
        description = "events/s of the first agent run, the design load (default: ${DEFAULT-VALUE})")
    private long commitRate;

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "10",
        description = "length of a run above 1,000 events/s (default: ${DEFAULT-VALUE})")
    private double seconds;

    @Option(names = "--low-rate-seconds", paramLabel = "S", defaultValue = "60",
        description = "length of a run at 1,000 events/s and below (default: ${DEFAULT-VALUE})")
    private double lowRateSeconds;

    @Option(names = "--warmup-events", paramLabel = "N", defaultValue = "100000",
        description = "unrecorded events appended before each run (default: ${DEFAULT-VALUE})")
    private int warmupEvents;

    @Option(names = "--tailer-idle", paramLabel = "IDLE", defaultValue = "busy-spin",
        description = "how the tailer JVM waits: busy-spin, yield or backoff (default: ${DEFAULT-VALUE})")
    private String tailerIdle;

    @Option(names = "--no-probe", description = "try no lower rates when a rate is not sustained")
    private boolean noProbe;

    @Option(names = "--drain-timeout", paramLabel = "S", defaultValue = "300",
        description = "how long the agent may take to commit a run's events (default: ${DEFAULT-VALUE})")
    private long drainTimeoutSeconds;

    @Option(names = "--keep", description = "keep the journals and the agent's state")
    private boolean keep;

    private long[] rates;
    private boolean probe;
    private final String arguments;
    private final List<EndToEndRun> runs = new ArrayList<>();
    private long epochOffsetNs;
    private long agentEventsAppended;
    private Path workDir;
    private Path resultsDir;

    /**
     * The harness, its options not parsed yet: {@link #parse} parses them, as {@code main} does.
     *
     * @param args the command line, as the results quote it.
     */
    EndToEndLatencyHarness(final String[] args)
    {
        arguments = String.join(" ", args);
    }

    /**
     * The harness with its options parsed and validated.
     *
     * @param args {@code [workParent] [--results=dir] [--rates=a,b,c] ...}.
     * @return the harness, ready to run.
     * @throws IllegalArgumentException naming the first unknown or invalid option.
     */
    static EndToEndLatencyHarness parse(final String... args)
    {
        final EndToEndLatencyHarness harness = new EndToEndLatencyHarness(args);
        HarnessCommandLine.parse(harness, args);
        return harness;
    }

    /**
     * Run the harness, print the summary and write the results; {@code --help} lists the options.
     *
     * @param args {@code [workParent] [--results=dir] [--rates=a,b,c] [--commit-rate=n] [--seconds=s]
     *             [--low-rate-seconds=s] [--warmup-events=n] [--tailer-idle=busy-spin|yield|backoff] [--no-probe]
     *             [--drain-timeout=s] [--keep]}.
     * @throws Exception if a run fails.
     */
    public static void main(final String[] args) throws Exception
    {
        final EndToEndLatencyHarness harness = new EndToEndLatencyHarness(args);
        if (HarnessCommandLine.parseOrExit(harness, args))
        {
            harness.run();
            System.exit(0);
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
        rates = HarnessCommandLine.numbers("--rates", ratesText);
        Arrays.sort(rates);
        probe = !noProbe;
        if (0 == rates.length || rates[0] < 1 || commitRate < 1 || seconds <= 0 || lowRateSeconds <= 0 ||
            warmupEvents < 0 || drainTimeoutSeconds < 1)
        {
            throw new IllegalArgumentException("--rates, --commit-rate, --seconds, --low-rate-seconds and " +
                "--drain-timeout must be positive, --warmup-events at least 0");
        }
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
