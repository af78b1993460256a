package io.tradestate.bench;

import io.tradestate.codecs.event.HistoryTable;
import io.tradestate.reader.drain.BatchCommitter;
import io.tradestate.reader.cli.CommandLines;
import io.tradestate.reader.cli.VersionProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Drainer throughput: how fast the reader agent empties pre-filled journals into PostgreSQL, against the database's
 * floor, all in one run on one machine.
 * <ol>
 * <li>Fill {@code --sources} journals with {@code --events-per-source} events each ({@link DrainWorkload}: order
 * updates with repeated keys, fills, trade updates, balances, pair locks), through the real {@code TradeJournal}
 * API, before any clock starts.</li>
 * <li><b>agent</b>: the real reader agent ({@link DrainAgentRun}) from a cold start, in this JVM, into a fresh
 * database, until every checkpoint equals its queue's last index.</li>
 * <li><b>COPY binary</b> and <b>batched INSERT</b> ({@link DrainBaselineRun}): the same history rows into the same
 * tables of a fresh database each, in the agent's batches, one transaction per batch; nothing else.</li>
 * <li>Check that each database holds every event exactly once, the same rows in all three, and report.</li>
 * </ol>
 * The agent does more than the baselines: in each batch's transaction it also copies the batch's current-state
 * candidates into a temporary table, upserts the current-state tables from them ({@code orders}, {@code trades},
 * {@code balances}), applies the pair locks, flags order status regressions and writes the checkpoints. The ratios
 * say what all of that costs against the floor.
 * <pre>
 * java $TRADESTATE_JVM_ARGS -cp ... io.tradestate.bench.DrainThroughputHarness [workParent] [--results=dir]
 *     [--sources=4] [--events-per-source=250000] [--batch=10000] [--state-publisher] [--keep]
 * </pre>
 * PostgreSQL is the agent's embedded server (durable settings) in the work folder, or the server of
 * {@value DrainDatabases#JDBC_URL_ENV}. {@code --help} lists the options with their defaults
 * ({@link HarnessCommandLine}).
 */
@Command(
    name = "DrainThroughputHarness",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    synopsisHeading = "usage: ",
    customSynopsis =
    {
        "java ... io.tradestate.bench.DrainThroughputHarness [workParent] [options]",
        "       mvn -B -pl bench compile exec:exec@drain-throughput [-Ddrain.workDir=DIR] [-Ddrain.args=\"options\"]",
    },
    description =
    {
        "",
        "Drainer throughput: how fast the reader agent empties pre-filled journals into PostgreSQL, against COPY",
        "binary and batched INSERT of the same rows (bench/results/README.md). PostgreSQL is the agent's embedded",
        "server in the work folder, or the server of " + DrainDatabases.JDBC_URL_ENV + ".",
        "",
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList =
    {
        "0:every event stored once in each variant; the summary is written",
        "1:a variant failed or a check did not hold",
        CommandLines.EXIT_USAGE + ":invalid arguments",
    })
public final class DrainThroughputHarness implements HarnessCommandLine.Command
{
    /**
     * Other processes using more than this many cores during a variant mark the run as taken under load.
     */
    static final double BUSY_CORES = 0.10;

    @Parameters(index = "0", arity = "0..1", paramLabel = "workParent", defaultValue = "${sys:java.io.tmpdir}",
        description = "where the journals and the embedded PostgreSQL go (default: ${DEFAULT-VALUE})")
    private Path workParent;

    @Option(names = "--results", paramLabel = "DIR", defaultValue = "bench/results",
        description = "where the results folder is made (default: ${DEFAULT-VALUE})")
    private Path resultsRoot;

    @Option(names = "--sources", paramLabel = "N", defaultValue = "4",
        description = "journals, one source each (default: ${DEFAULT-VALUE})")
    private int sources;

    @Option(names = "--events-per-source", paramLabel = "N", defaultValue = "250000",
        description = "events appended to each journal before timing (default: ${DEFAULT-VALUE})")
    private int eventsPerSource;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "10000",
        description = "events a batch: the agent's batch.max.events, also the baselines' (default: ${DEFAULT-VALUE})")
    private int batchSize;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "3",
        description = "rounds of the three variants, each into fresh databases; the report gives each round and " +
        "the medians (default: ${DEFAULT-VALUE})")
    private int rounds;

    @Option(names = "--state-publisher",
        description = "the agent also publishes the state maps, as in production (default: off, the drain alone)")
    private boolean statePublisher;

    @Option(names = "--keep", description = "keep the journals and the server's folder")
    private boolean keep;

    private final String arguments;
    private final DrainThroughputReport report = new DrainThroughputReport();

    /**
     * The harness, its options not parsed yet: {@link #parse} parses them, as {@code main} does.
     *
     * @param args the command line, as the results quote it.
     */
    DrainThroughputHarness(final String[] args)
    {
        arguments = String.join(" ", args);
    }

    /**
     * The harness with its options parsed and validated.
     *
     * @param args {@code [workParent] [--results=dir] [--sources=n] ...}.
     * @return the harness, ready to run.
     * @throws IllegalArgumentException naming the first unknown or invalid option.
     */
    static DrainThroughputHarness parse(final String... args)
    {
        final DrainThroughputHarness harness = new DrainThroughputHarness(args);
        HarnessCommandLine.parse(harness, args);
        return harness;
    }

    /**
     * Run the harness, print the report and write it to {@code <results>/drain-throughput-<UTC time>/summary.txt};
     * {@code --help} lists the options.
     *
     * @param args {@code [workParent] [--results=dir] [--sources=n] [--events-per-source=n] [--batch=n]
     *             [--state-publisher] [--keep]}.
     * @throws Exception if a variant fails or a check does not hold.
     */
    public static void main(final String[] args) throws Exception
    {
        final DrainThroughputHarness harness = new DrainThroughputHarness(args);
        if (HarnessCommandLine.parseOrExit(harness, args))
        {
            harness.run();
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
        if (sources < 1 || eventsPerSource < 1 || batchSize < 1 || rounds < 1)
        {
            throw new IllegalArgumentException(
                "--sources, --events-per-source, --batch and --rounds must be at least 1");
        }
    }

    /**
     * Run every variant, check and report.
     *
     * @return what was stored and where the summary went.
     * @throws Exception if a variant fails or a check does not hold.
     */
    Result run() throws Exception
    {
        final String stamp = OffsetDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        final Path workDir = Files.createTempDirectory(Files.createDirectories(workParent), "drain-throughput-");
        final Path journalRoot = workDir.resolve("journal");
        final long events = (long)sources * eventsPerSource;
        final String loadAtStart = DrainCpu.loadAverage();
        try
        {
            header(stamp);

            final Map<String, Long> lastIndexes = new LinkedHashMap<>();
            final DrainWorkload workload = new DrainWorkload();
            final long fillStartNs = System.nanoTime();
            final long firstAppendNs = System.currentTimeMillis() * 1_000_000L;
            for (int source = 1; source <= sources; source++)
            {
                final String sourceId = "strategy-" + source;
                lastIndexes.put(sourceId, workload.fill(journalRoot, sourceId, source, eventsPerSource));
            }
            final long lastAppendNs = (System.currentTimeMillis() + 1) * 1_000_000L;
            final List<String> sourceIds = new ArrayList<>(lastIndexes.keySet());
            report.line("workload: %d sources x %,d events = %,d events (DrainWorkload), appended through " +
                "TradeJournal in %.1f s before timing, %,d MiB of journal files (apparent size: cycle files are " +
                "sparse)", sources, eventsPerSource, events,
                (System.nanoTime() - fillStartNs) / 1e9, sizeOf(journalRoot) >> 20);
            report.line("batches: %,d events (the agent's batch.max.events; the baselines use the same batches), " +
                "state publisher %s", batchSize,
                statePublisher ? "on (state.enabled=true)" : "off (state.enabled=false)");

            try (DrainDatabases databases = DrainDatabases.start(workDir.resolve("postgres")))
            {
                report.line("PostgreSQL: %s; %s", databases.description(), databases.settings());
                report.line("");
                return measure(stamp, databases, new Journals(journalRoot, workDir, sourceIds, lastIndexes, events,
                    firstAppendNs, lastAppendNs), loadAtStart);
            }
        }
        finally
        {
            if (!keep)
            {
                WorkFolder.delete(workDir);
            }
        }
    }

    private Result measure(
        final String stamp, final DrainDatabases databases, final Journals journals, final String loadAtStart)
        throws Exception
    {
        final List<Round> done = new ArrayList<>(rounds);
        for (int round = 1; round <= rounds; round++)
        {
            if (rounds > 1)
            {
                report.line("round %d of %d", round, rounds);
            }
            done.add(round(round, databases, journals));
            report.line("");
        }

        if (rounds > 1)
        {
            report.line("median of %d rounds (each variant's median; each ratio the median of the rounds' ratios):",
                rounds);
        }
        report.ratesHeader();
        report.rates("TradeState reader agent", median(done, Round::agent));
        report.rates("COPY binary, history rows only", median(done, Round::copy));
        report.rates("batched INSERT, history rows only", median(done, Round::insert));
        report.line("ratios of events/s:");
        report.ratio("agent / COPY binary", medianRatio(done, Round::copy, false),
            medianRatio(done, Round::copy, true));
        report.ratio("agent / batched INSERT", medianRatio(done, Round::insert, false),
            medianRatio(done, Round::insert, true));
        report.line("");
        report.line("what each variant does in one transaction per batch:");
        report.line("  agent:          reads the journals, decodes and checks each event, COPY binary into the " +
            "history tables, COPY of the batch's current-state candidates (per order, trade and balance the " +
            "update that wins in the batch) into a temporary table, then flags order status regressions, upserts " +
            "orders, trades and balances from the candidates, applies pair locks, writes sources and " +
            "source_checkpoints");
        report.line("  COPY binary:    COPY (FORMAT binary) of the same history rows, encoded before timing; no " +
            "upsert, no checkpoint: the database's floor");
        report.line("  batched INSERT: reads and decodes the journals, binds the same history rows to one INSERT " +
            "per table, executeBatch with reWriteBatchedInserts=true; no upsert, no checkpoint");
        if (rounds > 1)
        {
            report.line("  each round makes a fresh database per variant, checkpointed before it starts; the agent " +
                "starts cold in every round, in this JVM, whose JIT has compiled it from the second round on");
        }
        report.line("");
        double busiest = 0;
        long deadLetters = 0;
        for (final Round round : done)
        {
            busiest = Math.max(busiest, round.busiest());
            deadLetters += round.deadLetters();
        }
        report.line("load average at start %s, at end %s", loadAtStart, DrainCpu.loadAverage());
        report.line("conditions: %s", busiest > BUSY_CORES ? String.format(Locale.ROOT, "TAKEN UNDER LOAD: " +
            "other processes used up to %.2f cores during a variant (a quiet run: at most %.2f)", busiest,
            BUSY_CORES) : String.format(Locale.ROOT, "quiet: other processes used at most %.2f cores during any " +
            "variant", busiest));
        report.line("");

        final Path resultsDir = Files.createDirectories(resultsRoot.resolve("drain-throughput-" + stamp));
        report.write(resultsDir);
        System.out.println("summary written to " + resultsDir.resolve("summary.txt"));
        return new Result(done.get(done.size() - 1).stored(), deadLetters, resultsDir, busiest > BUSY_CORES);
    }

    /**
     * One round: the agent, then COPY binary, then batched INSERT, each into a fresh database; its rates, the
     * agent's allocation and CPU, who used the machine, and the check that every variant stored every event once.
     */
    private Round round(final int number, final DrainDatabases databases, final Journals journals) throws Exception
    {
        final String suffix = rounds > 1 ? "_r" + number : "";
        System.gc();
        final String agentDb = databases.create("drain_agent" + suffix);
        final DrainCpu agentCpu = DrainCpu.start(databases);
        final DrainAgentRun agent = new DrainAgentRun();
        agent.run(journals.root(), journals.workDir().resolve("agent-state" + suffix), databases, agentDb,
            journals.lastIndexes(), journals.events(),
            batchSize, statePublisher);
        final String agentCpuLine = agentCpu.stop();
        System.out.println("agent drained in " + agent.progress().elapsedNs() / 1_000_000 + " ms");

        final long encodeStartNs = System.nanoTime();
        final DrainBaselineRun.Batches batches = DrainBaselineRun.encodeBinary(journals.root(),
            journals.sourceIds(), batchSize);
        final long encodeNs = System.nanoTime() - encodeStartNs;
        System.gc();
        final String copyDb = baselineDatabase(databases, "drain_copy_binary" + suffix, journals);
        final DrainCpu copyCpu = DrainCpu.start(databases);
        final DrainProgress copy = DrainBaselineRun.copyBinary(databases, copyDb, batches);
        final String copyCpuLine = copyCpu.stop();
        System.out.println("COPY binary done in " + copy.elapsedNs() / 1_000_000 + " ms");
        final long binaryBytes = batches.bytes();
        batches.payloads.clear();

        System.gc();
        final String insertDb = baselineDatabase(databases, "drain_batched_insert" + suffix, journals);
        final DrainCpu insertCpu = DrainCpu.start(databases);
        final DrainProgress insert = DrainBaselineRun.batchedInsert(databases, insertDb, journals.root(),
            journals.sourceIds(), batchSize);
        final String insertCpuLine = insertCpu.stop();
        System.out.println("batched INSERT done in " + insert.elapsedNs() / 1_000_000 + " ms");

        report.ratesHeader();
        report.rates("TradeState reader agent", DrainRates.of(agent.progress()));
        report.rates("COPY binary, history rows only", DrainRates.of(copy));
        report.rates("batched INSERT, history rows only", DrainRates.of(insert));
        report.line("ratios of events/s:");
        report.ratio("agent / COPY binary", ratio(agent.progress(), copy, false), ratio(agent.progress(), copy, true));
        report.ratio("agent / batched INSERT", ratio(agent.progress(), insert, false),
            ratio(agent.progress(), insert, true));
        report.line("agent: drain threads allocated %,.1f B/event from their start to the end of the drain " +
            "(%s B/event after the first second); drain threads' CPU %.2f us/event (tradestate-drain reads and " +
            "encodes, tradestate-drain-copy-0 and -1 copy history rows, tradestate-drain-commit finishes and " +
            "commits); launch() took %.3f s; " +
            "GC in this JVM meanwhile: %d collections, %d ms", agent.allocatedBytesPerEvent(),
            Double.isNaN(agent.steadyAllocatedBytesPerEvent()) ? "n/a" :
            String.format(Locale.ROOT, "%,.1f", agent.steadyAllocatedBytesPerEvent()), agent.cpuMicrosPerEvent(),
            agent.launchNs() / 1e9,
            agent.gcCount(), agent.gcMs());
        final double drainS = agent.progress().elapsedNs() / 1e9;
        report.line("agent: the copying threads (tradestate-drain-copy-0 and -1) busy %.2f s in all (%.0f%% of the " +
            "drain each, on average: connection, partitions, COPY of the history rows), tradestate-drain-commit busy " +
            "%.2f s (%.0f%%: upserts, pair locks, checkpoints, commit)", agent.copyNs() / 1e9,
            100 * agent.copyNs() / 1e9 / drainS / BatchCommitter.COPY_THREADS, agent.finishNs() / 1e9,
            100 * agent.finishNs() / 1e9 / drainS);
        report.sizes("agent batches (history rows per transaction, from the rows' xmin)",
            databases.rowsPerTransaction(agentDb));
        report.line("COPY binary payloads: %,d MiB in all, encoded before timing in %.1f s", binaryBytes >> 20,
            encodeNs / 1e9);
        report.line("machine during each variant:");
        report.line("  agent:          %s", agentCpuLine);
        report.line("  COPY binary:    %s", copyCpuLine);
        report.line("  batched INSERT: %s", insertCpuLine);
        final double busiest = Math.max(agentCpu.otherCores(), Math.max(copyCpu.otherCores(), insertCpu.otherCores()));

        final Result checked = check(databases, journals.events(), agentDb, copyDb, insertDb);
        if (!keep)
        {
            databases.drop(agentDb);
            databases.drop(copyDb);
            databases.drop(insertDb);
        }
        return new Round(DrainRates.of(agent.progress()), DrainRates.of(copy), DrainRates.of(insert), busiest,
            checked.stored(), checked.deadLetters());
    }

    /**
     * A fresh database for a baseline, with the partitions of the journals' months made before timing: the agent
     * makes its own as it drains.
     */
    private static String baselineDatabase(final DrainDatabases databases, final String name, final Journals journals)
        throws SQLException
    {
        final String database = databases.create(name);
        try (Connection connection = databases.connect(database, false))
        {
            DrainDatabases.createPartitions(connection, journals.firstAppendNs(), journals.lastAppendNs());
        }
        return database;
    }

    private static double ratio(final DrainProgress numerator, final DrainProgress denominator, final boolean steady)
    {
        return steady ? numerator.steadyEventsPerSecond() / denominator.steadyEventsPerSecond() :
            numerator.eventsPerSecond() / denominator.eventsPerSecond();
    }

    private static DrainRates median(final List<Round> rounds, final Function<Round, DrainRates> variant)
    {
        final double[] eventsPerS = new double[rounds.size()];
        final double[] steady = new double[rounds.size()];
        final double[] elapsedS = new double[rounds.size()];
        final double[] firstCommitS = new double[rounds.size()];
        for (int i = 0; i < rounds.size(); i++)
        {
            final DrainRates rates = variant.apply(rounds.get(i));
            eventsPerS[i] = rates.eventsPerS();
            steady[i] = rates.steadyEventsPerS();
            elapsedS[i] = rates.elapsedS();
            firstCommitS[i] = rates.firstCommitS();
        }
        return new DrainRates(median(eventsPerS), median(steady), median(elapsedS), median(firstCommitS));
    }

    private static double medianRatio(
        final List<Round> rounds, final Function<Round, DrainRates> denominator, final boolean steady)
    {
        final double[] ratios = new double[rounds.size()];
        for (int i = 0; i < rounds.size(); i++)
        {
            final DrainRates agent = rounds.get(i).agent();
            final DrainRates other = denominator.apply(rounds.get(i));
            ratios[i] = steady ? agent.steadyEventsPerS() / other.steadyEventsPerS() :
                agent.eventsPerS() / other.eventsPerS();
        }
        return median(ratios);
    }

    /**
     * The median; the mean of the two middle values for an even count; NaN if any value is NaN (a variant under
     * 2 s has no steady rate).
     */
    static double median(final double[] values)
    {
        final double[] sorted = values.clone();
        Arrays.sort(sorted);
        for (final double value : sorted)
        {
            if (Double.isNaN(value))
            {
                return Double.NaN;
            }
        }
        final int middle = sorted.length / 2;
        return 0 == sorted.length % 2 ? (sorted[middle - 1] + sorted[middle]) / 2 : sorted[middle];
    }

    private Result check(
        final DrainDatabases databases, final long events, final String agentDb, final String copyDb,
        final String insertDb) throws Exception
    {
        final Map<String, List<String>> contents = new LinkedHashMap<>();
        contents.put("agent", databases.contents(agentDb));
        contents.put("COPY binary", databases.contents(copyDb));
        contents.put("batched INSERT", databases.contents(insertDb));
        final Map<String, Long> stored = new LinkedHashMap<>();
        for (final Map.Entry<String, List<String>> variant : contents.entrySet())
        {
            long rows = 0;
            for (final String table : variant.getValue())
            {
                rows += Long.parseLong(table.split(" ")[1]);
            }
            stored.put(variant.getKey(), rows);
        }
        final long deadLetters = databases.queryLong(agentDb, "SELECT count(*) FROM dead_letters");
        final boolean same = contents.get("agent").equals(contents.get("COPY binary")) &&
            contents.get("agent").equals(contents.get("batched INSERT"));
        final boolean all = stored.values().stream().allMatch((rows) -> rows == events);
        report.line("history rows (table, rows, sum of row hashes), agent: %s",
            String.join("; ", contents.get("agent")));
        report.line("check: every event stored once in each variant: %s (rows %s, expected %,d each; rows the same " +
            "in all three: %s; agent dead letters %d)", all && same && 0 == deadLetters ? "yes" : "NO",
            stored.entrySet().stream().map((e) -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")),
            events, same ? "yes" : "NO", deadLetters);
        report.line("agent's current state: orders %,d, trades %,d, balances %,d, pair_locks %,d",
            databases.queryLong(agentDb, "SELECT count(*) FROM orders"),
            databases.queryLong(agentDb, "SELECT count(*) FROM trades"),
            databases.queryLong(agentDb, "SELECT count(*) FROM balances"),
            databases.queryLong(agentDb, "SELECT count(*) FROM pair_locks"));
        if (!all || !same || 0 != deadLetters)
        {
            for (final Map.Entry<String, List<String>> variant : contents.entrySet())
            {
                report.line("  %s: %s", variant.getKey(), String.join("; ", variant.getValue()));
            }
            throw new IllegalStateException("the variants did not store every event exactly once: " + stored);
        }
        return new Result(stored, deadLetters, null, false);
    }

    private void header(final String stamp)
    {
        report.line("TradeState drain throughput harness, %s UTC", stamp);
        report.line("command: java <flags below> -cp <bench classpath> %s %s",
            DrainThroughputHarness.class.getName(), arguments);
        report.line("         (mvn -B -pl bench compile exec:exec@drain-throughput runs it; options in -Ddrain.args)");
        report.line("java: %s (%s, %s), max heap %,d MiB, GC %s, flags: %s", System.getProperty("java.version"),
            System.getProperty("java.vm.name"), System.getProperty("java.vendor"),
            Runtime.getRuntime().maxMemory() >> 20, ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(GarbageCollectorMXBean::getName).collect(Collectors.joining(", ")),
            String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        report.line("machine: %d CPUs (%s), %s RAM, %s %s, load average %s",
            Runtime.getRuntime().availableProcessors(), procField("/proc/cpuinfo", "model name"),
            procField("/proc/meminfo", "MemTotal"),
            System.getProperty("os.name"), System.getProperty("os.version"), DrainCpu.loadAverage());
        report.line("history tables: %s", HistoryTable.tableNames());
    }

    private static String procField(final String file, final String name)
    {
        try (Stream<String> lines = Files.lines(Paths.get(file)))
        {
            return lines.filter((line) -> line.startsWith(name)).findFirst()
                .map((line) -> line.substring(line.indexOf(':') + 1).trim()).orElse("n/a");
        }
        catch (final IOException | UncheckedIOException ex)
        {
            return "n/a";
        }
    }

    private static long sizeOf(final Path root) throws IOException
    {
        try (Stream<Path> paths = Files.walk(root))
        {
            long bytes = 0;
            for (final Path path : (Iterable<Path>)paths::iterator)
            {
                bytes += Files.isRegularFile(path) ? Files.size(path) : 0;
            }
            return bytes;
        }
    }

    /**
     * What a run stored and where its summary went.
     *
     * @param stored      history rows per variant: {@code agent}, {@code COPY binary}, {@code batched INSERT}.
     * @param deadLetters the agent's dead letters.
     * @param resultsDir  folder of {@code summary.txt}.
     * @param underLoad   whether other processes used more than {@value #BUSY_CORES} cores during a variant.
     */
    record Result(Map<String, Long> stored, long deadLetters, Path resultsDir, boolean underLoad)
    {
    }

    /**
     * The journals filled before timing, which every round drains.
     *
     * @param root          the journal root.
     * @param workDir       the run's work folder.
     * @param sourceIds     the sources, in the order they were filled.
     * @param lastIndexes   each source's last queue index.
     * @param events        events in all.
     * @param firstAppendNs epoch nanoseconds before the first append.
     * @param lastAppendNs  epoch nanoseconds after the last append.
     */
    private record Journals(
        Path root,
        Path workDir,
        List<String> sourceIds,
        Map<String, Long> lastIndexes,
        long events,
        long firstAppendNs,
        long lastAppendNs)
    {
    }

    /**
     * What one round measured.
     *
     * @param agent       the reader agent's rates.
     * @param copy        COPY binary's.
     * @param insert      batched INSERT's.
     * @param busiest     the most cores other processes used during one of its variants.
     * @param stored      history rows per variant.
     * @param deadLetters the agent's dead letters.
     */
    private record Round(
        DrainRates agent,
        DrainRates copy,
        DrainRates insert,
        double busiest,
        Map<String, Long> stored,
        long deadLetters)
    {
    }
}
