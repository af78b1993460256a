package io.tradestate.demo;

import io.tradestate.writer.JournalContext;
import io.tradestate.writer.TradeJournal;
import io.tradestate.writer.state.OrderSnapshot;
import io.tradestate.writer.state.StrategySnapshot;
import io.tradestate.writer.state.TradeContinuity;
import io.tradestate.writer.state.TradeStateView;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * One simulated strategy JVM, started by the demo: it owns its share of the instruments, appends their events
 * through {@link TradeJournal} for the given duration, publishes its counters in a {@link StrategyStatsFile}, and
 * at exit writes the histogram of its {@code commit()} times (HdrHistogram, compressed) for the demo to merge.
 * <p>
 * Arguments are {@code --key=value}: {@code journal-root source-id stats-file histogram-file process-index
 * processes instruments exchanges rate speed max seed run-id duration-ms}, and {@code restore-from} (the reader
 * agent's state folder) for a strategy started again after a crash: before trading it gets back its open orders,
 * trades and pair locks from the state maps ({@link TradeContinuity}) and cancels the orders, whose fate it cannot
 * know. SIGTERM stops it early, cleanly.
 */
public final class StrategySimulatorMain
{
    private static final long HEARTBEAT_INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);
    private static final long STATS_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final int WARM_UP_STEPS = 10_000;
    private static final long MAX_PARK_NS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long RESTORE_TIMEOUT_MS = 30_000;

    private static final Optional<ProcessHandle> PARENT = ProcessHandle.current().parent();

    private static volatile boolean stopRequested;

    private StrategySimulatorMain()
    {
    }

    /**
     * Entry point of a strategy process.
     *
     * @param args {@code --key=value} settings, see the class description.
     */
    public static void main(final String[] args)
    {
        final Map<String, String> settings = parse(args);
        final Path statsFile = Paths.get(required(settings, "stats-file"));
        final CountDownLatch finished = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() ->
        {
            stopRequested = true;
            try
            {
                finished.await(20, TimeUnit.SECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }, "strategy-stop"));

        int exitCode = 0;
        try (StrategyStatsFile stats = StrategyStatsFile.open(statsFile))
        {
            try
            {
                run(settings, stats);
                stats.state(StrategyStatsFile.FINISHED);
            }
            catch (final RuntimeException | IOException ex)
            {
                stats.state(StrategyStatsFile.FAILED);
                ex.printStackTrace();
                exitCode = 1;
            }
        }
        finished.countDown();
        if (!stopRequested)
        {
            System.exit(exitCode);
        }
    }

    private static void run(final Map<String, String> settings, final StrategyStatsFile stats) throws IOException
    {
        final String sourceId = required(settings, "source-id");
        final int processIndex = Integer.parseInt(required(settings, "process-index"));
        final int processes = Integer.parseInt(required(settings, "processes"));
        final long seed = Long.parseLong(required(settings, "seed"));
        final double speed = Double.parseDouble(required(settings, "speed"));
        final boolean max = Boolean.parseBoolean(required(settings, "max"));
        final long durationNs = TimeUnit.MILLISECONDS.toNanos(Long.parseLong(required(settings, "duration-ms")));
        final List<Instrument> instruments = InstrumentUniverse.ofProcess(InstrumentUniverse.create(
            Integer.parseInt(required(settings, "instruments")), Integer.parseInt(required(settings, "exchanges")),
            seed), processIndex, processes);

        warmUp(instruments, seed, processIndex);

        final Histogram commitLatencyNs = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        // Heartbeats are appended here, not by the journal's thread, so that every excerpt is counted.
        try (TradeJournal journal = TradeJournal.open(new JournalContext()
            .journalRoot(Paths.get(required(settings, "journal-root")))
            .sourceId(sourceId)
            .heartbeatIntervalMs(0)))
        {
            final JournalEventSink sink = new JournalEventSink(journal, sourceId, commitLatencyNs);
            final StrategySimulator simulator = new StrategySimulator(instruments,
                Double.parseDouble(required(settings, "rate")), seed, processIndex,
                Long.parseLong(required(settings, "run-id")), sink);
            final String restoreFrom = settings.get("restore-from");
            if (null != restoreFrom)
            {
                restore(Paths.get(restoreFrom), sourceId, sink, stats);
            }
            long heartbeats = 0;
            long lastAppendMs = 0;
            stats.update(sink.appended(), 1 + sink.appended(), 0, 0);
            stats.state(StrategyStatsFile.READY);
            while (0 == stats.goAtMs() && !stopRequested && parentAlive())
            {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
            final boolean started = 0 != stats.goAtMs();
            stats.state(StrategyStatsFile.RUNNING);

            final long startNs = System.nanoTime();
            long nextHeartbeatNs = startNs + HEARTBEAT_INTERVAL_NS;
            long nextStatsNs = startNs;
            while (started && !stopRequested)
            {
                final long nowNs = System.nanoTime();
                final long elapsedNs = nowNs - startNs;
                if (elapsedNs >= durationNs)
                {
                    break;
                }
                if (nowNs >= nextHeartbeatNs)
                {
                    if (!parentAlive())
                    {
                        break;
                    }
                    journal.heartbeat();
                    heartbeats++;
                    nextHeartbeatNs += HEARTBEAT_INTERVAL_NS;
                }
                if (nowNs >= nextStatsNs)
                {
                    stats.update(sink.appended(), 1 + heartbeats + sink.appended(), lastAppendMs, simulator.steps());
                    nextStatsNs = nowNs + STATS_INTERVAL_NS;
                }

                final long simulatedNowNs = max ? Long.MAX_VALUE : (long)(elapsedNs * speed);
                final long nowMs = System.currentTimeMillis();
                final int emitted = simulator.runDue(simulatedNowNs, nowMs, max ? 256 : 10_000);
                if (emitted > 0)
                {
                    lastAppendMs = nowMs;
                }
                else if (!max)
                {
                    final long dueInNs = (long)(simulator.nextArrivalNs() / speed) - elapsedNs;
                    LockSupport.parkNanos(Math.max(1_000, Math.min(dueInNs, MAX_PARK_NS)));
                }
            }
            stats.update(sink.appended(), 1 + heartbeats + sink.appended(), lastAppendMs, simulator.steps());
        }

        final Path histogramFile = Paths.get(required(settings, "histogram-file"));
        final ByteBuffer encoded = ByteBuffer.allocate(commitLatencyNs.getNeededByteBufferCapacity());
        final int length = commitLatencyNs.encodeIntoCompressedByteBuffer(encoded);
        final Path temporary = histogramFile.resolveSibling(histogramFile.getFileName() + ".tmp");
        Files.write(temporary, Arrays.copyOf(encoded.array(), length));
        Files.move(temporary, histogramFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Trade continuity after a crash: the open orders, trades and locks of this strategy as the state maps hold them;
     * the orders are cancelled (their last update appended again as cancelled), the trades and locks kept as they are.
     */
    private static void restore(
        final Path stateDir, final String sourceId, final JournalEventSink sink, final StrategyStatsFile stats)
    {
        try (TradeStateView view = TradeStateView.open(stateDir))
        {
            if (!view.awaitAvailable(RESTORE_TIMEOUT_MS))
            {
                throw new IllegalStateException("the state maps in " + stateDir + " are not available");
            }
            final long nowMs = System.currentTimeMillis();
            final StrategySnapshot restored = TradeContinuity.fromView(view, sourceId, nowMs);
            for (final OrderSnapshot order : restored.openOrders())
            {
                sink.cancelRestored(order, nowMs);
            }
            stats.restored(restored.openOrders().size(), restored.openTrades().size(), restored.activeLocks().size());
            System.out.printf("%s restored from the state maps: %d open orders (cancelled), %d open trades, %d " +
                "pair locks%n", sourceId, restored.openOrders().size(), restored.openTrades().size(),
                restored.activeLocks().size());
        }
    }

    /**
     * Run the append path on a scratch journal first, as a real strategy warms up before trading, so that the
     * measured commit times are those of compiled code, not of the interpreter.
     */
    private static void warmUp(final List<Instrument> instruments, final long seed, final int processIndex)
        throws IOException
    {
        final Path scratch = Files.createTempDirectory("tradestate-warm-up-");
        try
        {
            try (TradeJournal journal = TradeJournal.open(new JournalContext()
                .journalRoot(scratch).sourceId("warm-up").heartbeatIntervalMs(0)))
            {
                final StrategySimulator simulator = new StrategySimulator(instruments, 1.0, ~seed, processIndex, 0,
                    new JournalEventSink(journal, "warm-up", new Histogram(TimeUnit.SECONDS.toNanos(60), 3)));
                for (int i = 0; i < WARM_UP_STEPS && !stopRequested; i++)
                {
                    simulator.step(System.currentTimeMillis());
                }
            }
        }
        finally
        {
            try (Stream<Path> paths = Files.walk(scratch))
            {
                paths.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
            }
        }
    }

    /**
     * A strategy whose demo died (killed, say) stops rather than appending, or waiting for its start, forever.
     */
    private static boolean parentAlive()
    {
        return PARENT.map(ProcessHandle::isAlive).orElse(true);
    }

    private static Map<String, String> parse(final String[] args)
    {
        final Map<String, String> settings = new HashMap<>();
        for (final String arg : args)
        {
            final int equals = arg.indexOf('=');
            if (!arg.startsWith("--") || equals < 0)
            {
                throw new IllegalArgumentException("expected --key=value, got: " + arg);
            }
            settings.put(arg.substring(2, equals), arg.substring(equals + 1));
        }
        return settings;
    }

    private static String required(final Map<String, String> settings, final String key)
    {
        final String value = settings.get(key);
        if (null == value)
        {
            throw new IllegalArgumentException("missing --" + key);
        }
        return value;
    }
}
