package io.tradestate.bench;

import io.tradestate.bench.jmh.ExchangeBaselines;
import io.tradestate.reader.cli.CommandLines;
import io.tradestate.reader.cli.VersionProvider;
import io.tradestate.writer.SyncPolicy;
import org.agrona.CloseHelper;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The project's seed question measured persistence inside a strategy this way, and this is that experiment in Java:
 * {@code --exchanges} simulated exchanges, each on its own thread, send {@code --messages} order messages with
 * exponentially distributed waits between them ({@code --mean-gap-ms}, seeded); the strategy persists a share of them
 * ({@code --persist-share}, spread evenly: 0.5 is every other message), and each exchange's total time, from its
 * start to its last message handled, is what counts. Closed loop on purpose, as the question measured it: wait,
 * handle the message, then the next wait starts, so that persisting on the exchange thread stretches the total.
 * <p>
 * Each variant ({@link ExchangeVariant}) runs a round of its own, one after the other in this JVM, with fresh threads
 * and the same waits: {@code noop} (persist does nothing), {@code tradestate} (one {@code TradeJournal} shared by the
 * threads), {@code jdbc} (an INSERT and a COMMIT per order on the exchange thread, durable PostgreSQL) and
 * {@code executor} (a row object handed to one insert thread; the round waits for it to drain). Results: a folder
 * {@code exchange-experiment-<UTC time>} under the results folder ({@link ExchangeExperimentReport}).
 * <pre>
 * java $TRADESTATE_JVM_ARGS -cp ... io.tradestate.bench.ExchangeExperiment [workParent] [--results=dir]
 *     [--exchanges=5] [--messages=1000] [--mean-gap-ms=2] [--persist-share=0.5] [--seed=42]
 *     [--variants=noop,tradestate,jdbc,executor] [--journal-sync=none] [--keep]
 * </pre>
 * {@code --help} lists the options with their defaults ({@link HarnessCommandLine}).
 */
@Command(
    name = "ExchangeExperiment",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    synopsisHeading = "usage: ",
    customSynopsis =
    {
        "java ... io.tradestate.bench.ExchangeExperiment [workParent] [options]",
        "       mvn -B -pl bench compile exec:exec@exchange-experiment [-Dexchange.workDir=DIR]",
        "           [-Dexchange.args=\"options\"]",
    },
    description =
    {
        "",
        "The seed question's experiment: simulated exchanges, a thread each, send order messages after exponential",
        "waits; the strategy persists a share of them through each variant in turn (noop, tradestate, jdbc,",
        "executor), and each exchange's total time counts (bench/results/README.md).",
        "",
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList =
    {
        "0:the results are written",
        "1:a round failed",
        CommandLines.EXIT_USAGE + ":invalid arguments",
    })
public final class ExchangeExperiment implements HarnessCommandLine.Command
{
    private static final double NANOS_PER_MILLI = 1e6;

    @Parameters(index = "0", arity = "0..1", paramLabel = "workParent", defaultValue = "${sys:java.io.tmpdir}",
        description = "where the scratch folder with the journal goes (default: ${DEFAULT-VALUE})")
    private Path workParent;

    @Option(names = "--results", paramLabel = "DIR", defaultValue = "bench/results",
        description = "where the results folder is made (default: ${DEFAULT-VALUE})")
    private Path resultsRoot;

    @Option(names = "--exchanges", paramLabel = "N", defaultValue = "5",
        description = "simulated exchanges, a thread each (default: ${DEFAULT-VALUE})")
    private int exchanges;

    @Option(names = "--messages", paramLabel = "N", defaultValue = "1000",
        description = "order messages each exchange sends (default: ${DEFAULT-VALUE})")
    private int messages;

    @Option(names = "--mean-gap-ms", paramLabel = "MS", defaultValue = "2",
        description = "mean of the exponential waits between messages (default: ${DEFAULT-VALUE})")
    private double meanGapMs;

    @Option(names = "--persist-share", paramLabel = "0..1", defaultValue = "0.5",
        description = "share of the messages persisted, spread evenly: 0.5 is every other (default: ${DEFAULT-VALUE})")
    private double persistShare;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42",
        description = "seed of the waits, the same in every variant (default: ${DEFAULT-VALUE})")
    private long seed;

    @Option(names = "--variants", paramLabel = "V,V", defaultValue = "noop,tradestate,jdbc,executor",
        description = "the variants to run, in this order (default: ${DEFAULT-VALUE})")
    private String variantsText;

    @Option(names = "--journal-sync", paramLabel = "SYNC", defaultValue = "none",
        description = "the journal's sync policy: none, interval, every-n-appends or every-append " +
        "(default: ${DEFAULT-VALUE})")
    private String journalSyncText;

    @Option(names = "--keep", description = "keep the scratch folder with the journal")
    private boolean keep;

    private List<String> variants;
    private SyncPolicy journalSync;
    private final String arguments;

    private static SyncPolicy syncPolicy(final String option)
    {
        for (final SyncPolicy policy : SyncPolicy.values())
        {
            if (policy.name().equals(option.toUpperCase(Locale.ROOT).replace('-', '_')))
            {
                return policy;
            }
        }
        throw new IllegalArgumentException(
            "--journal-sync must be none, interval, every-n-appends or every-append, was " + option);
    }

    /**
     * The harness, its options not parsed yet: {@link #parse} parses them, as {@code main} does.
     *
     * @param args the command line, as the results quote it.
     */
    ExchangeExperiment(final String[] args)
    {
        arguments = String.join(" ", args);
    }

    /**
     * The experiment with its options parsed and validated.
     *
     * @param args {@code [workParent] [--results=dir] [--exchanges=n] ...}.
     * @return the experiment, ready to run.
     * @throws IllegalArgumentException naming the first unknown or invalid option.
     */
    static ExchangeExperiment parse(final String... args)
    {
        final ExchangeExperiment experiment = new ExchangeExperiment(args);
        HarnessCommandLine.parse(experiment, args);
        return experiment;
    }

    /**
     * Validate the options.
     *
     * @throws IllegalArgumentException naming the options if one is out of range.
     */
    @Override
    public void conclude()
    {
        variants = List.of(variantsText.split(","));
        journalSync = syncPolicy(journalSyncText);
        if (exchanges < 1 || messages < 1 || !(meanGapMs >= 0) || !(persistShare >= 0 && persistShare <= 1))
        {
            throw new IllegalArgumentException("--exchanges and --messages must be positive, --mean-gap-ms at " +
                "least 0, --persist-share from 0 to 1");
        }
        if (variants.isEmpty() || !ExchangeVariant.NAMES.containsAll(variants) ||
            variants.stream().distinct().count() != variants.size())
        {
            throw new IllegalArgumentException("--variants must name some of " + ExchangeVariant.NAMES +
                ", each once: " + variants);
        }
    }

    /**
     * Run the experiment, print the summary and write the results; {@code --help} lists the options.
     *
     * @param args {@code [workParent] [--results=dir] [--exchanges=n] [--messages=n] [--mean-gap-ms=ms]
     *             [--persist-share=0..1] [--seed=n] [--variants=noop,tradestate,jdbc,executor]
     *             [--journal-sync=none|interval|every-n-appends|every-append] [--keep]}.
     * @throws Exception if a round fails.
     */
    public static void main(final String[] args) throws Exception
    {
        final ExchangeExperiment experiment = new ExchangeExperiment(args);
        if (HarnessCommandLine.parseOrExit(experiment, args))
        {
            experiment.run();
            System.exit(0);
        }
    }

    /**
     * Run every variant's round and write the results.
     *
     * @return the folder of the results.
     * @throws Exception if a round fails.
     */
    Path run() throws Exception
    {
        final long[][] gapsNs = gapsNs();
        final boolean[] persisted = persisted(messages, persistShare);
        final int orders = exchanges * countPersisted(persisted);
        final ExchangeExperimentReport report = ExchangeExperimentReport.create(resultsRoot);
        final Path workDir = Files.createTempDirectory(Files.createDirectories(workParent), "exchange-experiment-");
        report.header(arguments, String.format(Locale.ROOT, "%d exchanges x %,d messages, each after an " +
            "exponential wait (mean %s ms, seed %d, the same waits in every variant) waited with " +
            "LockSupport.parkNanos; the strategy persists a share %s of them, spread evenly (%,d per exchange); " +
            "closed loop: wait, handle the message, then the next wait starts", exchanges, messages, meanGapMs, seed,
            persistShare, orders / exchanges), workDir);

        ExchangeBaselines.Database database = null;
        try
        {
            // Up front, so that every round runs beside the same idle server.
            if (variants.stream().anyMatch(ExchangeVariant::needsDatabase))
            {
                database = ExchangeBaselines.startDatabase();
            }
            final List<ExchangeRound> rounds = new ArrayList<>();
            for (final String name : variants)
            {
                try (ExchangeVariant variant = ExchangeVariant.open(
                    name, workDir.resolve("journal"), journalSync, database, orders))
                {
                    final ExchangeRound round = ExchangeRound.run(variant, gapsNs, persisted);
                    report.round(round);
                    rounds.add(round);
                }
            }
            report.write(rounds);
            System.out.println("results written to " + report.resultsDir());
            return report.resultsDir();
        }
        finally
        {
            CloseHelper.quietClose(database);
            if (!keep)
            {
                WorkFolder.delete(workDir);
            }
        }
    }

    /**
     * Each exchange's waits, from one seeded generator split once per exchange.
     */
    private long[][] gapsNs()
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final long[][] gapsNs = new long[exchanges][messages];
        for (final long[] exchangeGapsNs : gapsNs)
        {
            final SplittableRandom exchangeRandom = random.split();
            for (int i = 0; i < messages; i++)
            {
                exchangeGapsNs[i] = Math.round(exchangeRandom.nextExponential() * meanGapMs * NANOS_PER_MILLI);
            }
        }
        return gapsNs;
    }

    /**
     * Which messages the strategy persists: message {@code i} (from 0) when {@code floor((i + 1) * share)} exceeds
     * {@code floor(i * share)}, so 0.5 persists every other message and any share persists evenly spread ones.
     *
     * @param messages how many.
     * @param share    from 0 to 1.
     * @return for each message, whether it is persisted.
     */
    static boolean[] persisted(final int messages, final double share)
    {
        final boolean[] persisted = new boolean[messages];
        for (int i = 0; i < messages; i++)
        {
            persisted[i] = (long)((i + 1) * share) > (long)(i * share);
        }
        return persisted;
    }

    private static int countPersisted(final boolean[] persisted)
    {
        int count = 0;
        for (final boolean message : persisted)
        {
            count += message ? 1 : 0;
        }
        return count;
    }
}
