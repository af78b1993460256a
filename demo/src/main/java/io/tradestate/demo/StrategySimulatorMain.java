package io.tradestate.demo;

import io.tradestate.reader.ReaderContext;
import io.tradestate.writer.JournalContext;
import io.tradestate.writer.TradeJournal;
import io.tradestate.writer.state.OrderSnapshot;
import io.tradestate.writer.state.StrategySnapshot;
import io.tradestate.writer.state.TradeContinuity;
import io.tradestate.writer.state.TradeStateView;
import org.HdrHistogram.Histogram;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One simulated strategy JVM, started by the demo: it owns its share of the instruments, appends their events
 * through {@link TradeJournal} for the given duration, publishes its counters in a {@link StrategyStatsFile}, and
 * at exit writes the histogram of its {@code commit()} times (HdrHistogram, compressed) for the demo to merge.
 * <p>
 * Arguments are {@code --key=value}: {@code journal-root source-id stats-file histogram-file process-index
 * processes instruments exchanges rate speed max keep-warm seed run-id duration-ms}, and, for a strategy started
 * again after a crash, {@code restore-from} (the reader agent's state folder) and {@code steady-from-ms}: before
 * trading it gets back its open orders, trades and pair locks from the state maps ({@link TradeContinuity}) and
 * cancels the orders, whose fate it cannot know. With {@code exchange-account} (the simulated exchange's record of
 * this account, {@link ExchangeAccount}) it records its orders and fills there before journaling them, and a restart
 * ({@code down-since-ms}, {@code db-url}, {@code db-user}, the password in {@code TRADESTATE_DB_PASSWORD}) first
 * reconciles with the exchange ({@link RestartReconciliation}), then cancels only the orders still open there.
 * With {@code state-dir} (the reader agent's state folder) each entry first asks the state maps whether a lock keeps
 * it out ({@link StateMapsEntryGate}); the first process also runs the risk desk ({@link RiskDesk}).
 * SIGTERM stops it early, cleanly.
 * <p>
 * Warm-up: {@link TradeJournal#open} runs the journal's own ({@link TradeJournal#warmUpNs()}, reported in the stats
 * file), which compiles the append path before the first event; the simulator's own code is not warmed: its speed is
 * in no measured figure (the append time is stamped inside {@code commit()}), and at a few steps a second it costs
 * little CPU interpreted (demo/README.md, "Warm-up", has the measurement). With {@code keep-warm} the idle loop calls
 * {@link TradeJournal#keepWarm()} about every millisecond between events.
 */
public final class StrategySimulatorMain
{
    private static final long HEARTBEAT_INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);
    private static final long STATS_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long MAX_PARK_NS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long KEEP_WARM_PARK_NS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long READY_WAIT_PARK_NS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final int PARENT_CHECK_EVERY_WAITS = 20;
    private static final long JIT_QUIET_MS = 1_000;
    private static final long JIT_QUIET_MAX_WAIT_MS = 30_000;
    private static final long JIT_POLL_MS = 50;
    private static final long RESTORE_TIMEOUT_MS = 30_000;
    private static final long RECONCILE_LOOKBACK_MS = 60_000;
    private static final int RISK_DESK_PROCESS = 0;

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
        final boolean keepWarm = Boolean.parseBoolean(settings.getOrDefault("keep-warm", "false"));
        final long durationNs = TimeUnit.MILLISECONDS.toNanos(Long.parseLong(required(settings, "duration-ms")));
        final List<Instrument> universe = InstrumentUniverse.create(Integer.parseInt(required(settings,
            "instruments")), Integer.parseInt(required(settings, "exchanges")), seed);
        final List<Instrument> instruments = InstrumentUniverse.ofProcess(universe, processIndex, processes);

        final Histogram startLatencyNs = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        final Histogram steadyLatencyNs = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        // Heartbeats are appended here, not by the journal's thread, so that every excerpt is counted. The journal's
        // warm-up runs in open, before the queue exists.
        final String accountFile = settings.get("exchange-account");
        final String stateDir = settings.get("state-dir");
        final Path journalRoot = Paths.get(required(settings, "journal-root"));
        try (ExchangeAccount account = null == accountFile ? null : ExchangeAccount.open(Paths.get(accountFile));
            TradeStateView view = null == stateDir ? null : TradeStateView.open(Paths.get(stateDir));
            TradeJournal journal = TradeJournal.open(new JournalContext()
                .journalRoot(journalRoot)
                .sourceId(sourceId)
                .heartbeatIntervalMs(0)))
        {
            final JournalEventSink sink = new JournalEventSink(journal, sourceId, startLatencyNs, steadyLatencyNs);
            final EventSink events = null == account ? sink : new ExchangeRecordingSink(account, sink);
            final StrategySimulator simulator = new StrategySimulator(instruments,
                Double.parseDouble(required(settings, "rate")), seed, processIndex,
                Long.parseLong(required(settings, "run-id")), events,
                null == view ? null : new StateMapsEntryGate(view, sourceId),
                RISK_DESK_PROCESS == processIndex ? new RiskDesk(universe, seed, events) : null);
            final String steadyFromMs = settings.get("steady-from-ms");
            if (null != steadyFromMs)
            {
                sink.steadyFrom(nanoTimeAt(Long.parseLong(steadyFromMs)));
            }
            final String restoreFrom = settings.get("restore-from");
            if (null != restoreFrom)
            {
                final List<OrderSnapshot> restoredOrders = restore(Paths.get(restoreFrom), sourceId, stats);
                if (null != account)
                {
                    reconcile(settings, account, journalRoot.resolve(sourceId), journal, stats);
                }
                cancelRestored(sourceId, restoredOrders, account, sink, stats);
            }
            long heartbeats = 0;
            long lastAppendMs = 0;
            stats.update(sink.appended(), 1 + sink.appended(), 0, 0);
            if (null == restoreFrom)
            {
                // Not after a crash: a restarted strategy trades on at once, while the others run.
                awaitJitQuiet();
            }
            stats.warmedUp(journal.warmUpNs(), ManagementFactory.getRuntimeMXBean().getUptime());
            stats.state(StrategyStatsFile.READY);
            for (int waits = 1; 0 == stats.goAtMs() && !stopRequested; waits++)
            {
                // The parent is looked up in /proc: ten strategies doing so every millisecond took a third of the
                // machine while the others warmed up.
                if (0 == waits % PARENT_CHECK_EVERY_WAITS && !parentAlive())
                {
                    break;
                }
                LockSupport.parkNanos(READY_WAIT_PARK_NS);
            }
            final boolean started = 0 != stats.goAtMs();
            if (null == steadyFromMs)
            {
                sink.steadyFrom(nanoTimeAt(stats.steadyFromMs()));
            }
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
                    stats.risk(simulator.riskLocks(), simulator.entriesHeldBack());
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
                    if (keepWarm)
                    {
                        journal.keepWarm();
                    }
                    LockSupport.parkNanos(
                        Math.max(1_000, Math.min(dueInNs, keepWarm ? KEEP_WARM_PARK_NS : MAX_PARK_NS)));
                }
            }
            stats.update(sink.appended(), 1 + heartbeats + sink.appended(), lastAppendMs, simulator.steps());
            stats.risk(simulator.riskLocks(), simulator.entriesHeldBack());
        }

        writeHistograms(Paths.get(required(settings, "histogram-file")), startLatencyNs, steadyLatencyNs);
    }

    /**
     * The commit-time histograms, compressed, one after the other, each behind its length; written to a temporary
     * name and moved into place, so the demo never reads half a file.
     */
    private static void writeHistograms(final Path file, final Histogram... histograms) throws IOException
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final DataOutputStream out = new DataOutputStream(bytes);
        for (final Histogram histogram : histograms)
        {
            // One buffer each: HdrHistogram reads and writes the backing array from its start, so no slices.
            final ByteBuffer encoded = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
            final int length = histogram.encodeIntoCompressedByteBuffer(encoded);
            out.writeInt(length);
            out.write(encoded.array(), 0, length);
        }
        out.flush();
        final Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(temporary, bytes.toByteArray());
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Wait until the JIT's threads have used no CPU for a while (at most 30 s): what they compile after the journal's
     * warm-up (code the warm-up ran but did not wait for) would otherwise run on the demo's two cores in the first
     * seconds of the run, ten JVMs at once, beside the agent (demo/README.md, "Where the latency goes"). Their CPU
     * time comes from {@code /proc/self/task}; where there is none, the JIT's total compilation time stands in, which
     * misses a long compilation in progress.
     */
    private static void awaitJitQuiet()
    {
        final CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        final boolean timed = null != jit && jit.isCompilationTimeMonitoringSupported();
        final long startMs = System.currentTimeMillis();
        long last = jitWork(jit, timed);
        long quietSinceMs = startMs;
        long nowMs = startMs;
        while (last >= 0 && nowMs - quietSinceMs < JIT_QUIET_MS && nowMs - startMs < JIT_QUIET_MAX_WAIT_MS &&
            !stopRequested)
        {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(JIT_POLL_MS));
            nowMs = System.currentTimeMillis();
            final long work = jitWork(jit, timed);
            if (work != last)
            {
                last = work;
                quietSinceMs = nowMs;
            }
        }
    }

    /**
     * A figure that grows while the JIT works: the CPU clock ticks of its compiler threads, or its total compilation
     * time in milliseconds.
     *
     * @return the figure, or -1 if there is none.
     */
    private static long jitWork(final CompilationMXBean jit, final boolean timed)
    {
        final File[] threads = new File("/proc/self/task").listFiles();
        if (null != threads)
        {
            long ticks = 0;
            int compilers = 0;
            for (final File thread : threads)
            {
                try
                {
                    final String stat = new String(Files.readAllBytes(thread.toPath().resolve("stat")),
                        StandardCharsets.US_ASCII);
                    final int nameEnd = stat.lastIndexOf(')');
                    if (stat.startsWith("CompilerThre", nameEnd - "CompilerThre".length()))
                    {
                        // after the name: state, then 10 fields, then utime and stime (proc(5))
                        final String[] fields = stat.substring(nameEnd + 2).split(" ");
                        ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                        compilers++;
                    }
                }
                catch (final IOException | RuntimeException ex)
                {
                    // a thread that ended meanwhile
                }
            }
            if (compilers > 0)
            {
                return ticks;
            }
        }
        return timed ? jit.getTotalCompilationTime() : -1;
    }

    /**
     * The {@link System#nanoTime()} of a wall-clock time, to compare with the commit times' clock.
     */
    private static long nanoTimeAt(final long epochMs)
    {
        return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(epochMs - System.currentTimeMillis());
    }

    /**
     * Trade continuity after a crash: the open orders, trades and locks of this strategy as the state maps hold them;
     * the trades and locks are kept as they are, the orders are cancelled afterwards ({@link #cancelRestored}).
     *
     * @return the open orders.
     */
    private static List<OrderSnapshot> restore(
        final Path stateDir, final String sourceId, final StrategyStatsFile stats)
    {
        try (TradeStateView view = TradeStateView.open(stateDir))
        {
            if (!view.awaitAvailable(RESTORE_TIMEOUT_MS))
            {
                throw new IllegalStateException("the state maps in " + stateDir + " are not available");
            }
            final StrategySnapshot restored = TradeContinuity.fromView(view, sourceId, System.currentTimeMillis());
            stats.restored(restored.openOrders().size(), restored.openTrades().size(), restored.activeLocks().size());
            System.out.printf("%s restored from the state maps: %d open orders, %d open trades, %d pair locks%n",
                sourceId, restored.openOrders().size(), restored.openTrades().size(), restored.activeLocks().size());
            return restored.openOrders();
        }
    }

    /**
     * Order history audit after a crash, with the exchange's record of the account: what the exchange did while the
     * strategy was down (and what it did just before the kill that the journal never got) is appended, marked as
     * reconciled, before the strategy trades again.
     */
    private static void reconcile(
        final Map<String, String> settings,
        final ExchangeAccount account,
        final Path queueDirectory,
        final TradeJournal journal,
        final StrategyStatsFile stats)
    {
        final String sourceId = required(settings, "source-id");
        final long fromMs = Long.parseLong(required(settings, "down-since-ms")) - RECONCILE_LOOKBACK_MS;
        final RestartReconciliation.Result result = RestartReconciliation.run(account, sourceId, queueDirectory,
            journal, required(settings, "db-url"), required(settings, "db-user"),
            System.getenv(ReaderContext.DB_PASSWORD_ENV), fromMs);
        stats.reconciled(result.fills(), result.orderUpdates());
        System.out.printf("%s reconciled with the exchange: %d differences, %d fills and %d order updates " +
            "appended%n", sourceId, result.differences(), result.fills(), result.orderUpdates());
    }

    /**
     * Cancel the restored orders, whose fate the strategy cannot know without the exchange's record; with it, those
     * the exchange still holds open, on the exchange first.
     */
    private static void cancelRestored(
        final String sourceId, final List<OrderSnapshot> orders, final ExchangeAccount account,
        final JournalEventSink sink, final StrategyStatsFile stats)
    {
        final long nowMs = System.currentTimeMillis();
        int cancelled = 0;
        for (final OrderSnapshot order : orders)
        {
            if (null == account || account.isOpen(order.exchange(), order.orderId()))
            {
                if (null != account)
                {
                    account.cancel(order.exchange(), order.orderId(), nowMs);
                }
                sink.cancelRestored(order, nowMs);
                cancelled++;
            }
        }
        stats.cancelled(cancelled);
        System.out.printf("%s cancelled %d restored orders%n", sourceId, cancelled);
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
