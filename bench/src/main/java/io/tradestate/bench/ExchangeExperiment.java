package io.tradestate.bench;

import io.tradestate.bench.jmh.ExchangeBaselines;
import io.tradestate.writer.SyncPolicy;
import org.agrona.CloseHelper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
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
 */
public final class ExchangeExperiment
{
    private static final double NANOS_PER_MILLI = 1e6;

    private final Path workParent;
    private final Path resultsRoot;
    private final int exchanges;
    private final int messages;
    private final double meanGapMs;
    private final double persistShare;
    private final long seed;
    private final List<String> variants;
    private final SyncPolicy journalSync;
    private final boolean keep;
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

    ExchangeExperiment(final String... args)
    {
        arguments = String.join(" ", args);
        final HarnessArguments parsed = HarnessArguments.parse(args, Paths.get(System.getProperty("java.io.tmpdir")));
        workParent = parsed.workParent();
        resultsRoot = Paths.get(parsed.value("--results", Paths.get("bench", "results").toString()));
        exchanges = parsed.intValue("--exchanges", 5);
        messages = parsed.intValue("--messages", 1000);
        meanGapMs = parsed.doubleValue("--mean-gap-ms", 2);
        persistShare = parsed.doubleValue("--persist-share", 0.5);
        seed = parsed.longValue("--seed", 42);
        variants = List.of(parsed.value("--variants", String.join(",", ExchangeVariant.NAMES)).split(","));
        journalSync = syncPolicy(parsed.value("--journal-sync", "none"));
        keep = parsed.flag("--keep");
        parsed.refuseUnasked();

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
     * Run the experiment, print the summary and write the results.
     *
     * @param args {@code [workParent] [--results=dir] [--exchanges=n] [--messages=n] [--mean-gap-ms=ms]
     *             [--persist-share=0..1] [--seed=n] [--variants=noop,tradestate,jdbc,executor]
     *             [--journal-sync=none|interval|every-n-appends|every-append] [--keep]}.
     * @throws Exception if a round fails.
     */
    public static void main(final String[] args) throws Exception
    {
        new ExchangeExperiment(args).run();
        System.exit(0);
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
