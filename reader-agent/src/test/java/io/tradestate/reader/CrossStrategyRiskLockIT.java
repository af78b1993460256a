package io.tradestate.reader;

import io.tradestate.codecs.LockSide;
import io.tradestate.test.ChildJvm;
import io.tradestate.writer.TradeJournal;
import io.tradestate.writer.state.PairLockEntry;
import io.tradestate.writer.state.StateEntryList;
import io.tradestate.writer.state.TradeStateView;
import org.agrona.concurrent.SystemEpochNanoClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Risk locks across strategies (issue 18): a risk source locks a pair for all sources, and three strategy JVMs, each
 * asking its own view about its own source, see the pair locked within the state maps' latency, and unlocked again
 * once the risk source unlocks it; the database's {@code is_pair_locked} agrees for every source. The risk source's
 * lock for itself alone, taken first, and each strategy's own lock stay invisible to the others.
 * <p>
 * The latencies (append to seen, per strategy JVM, on one host clock) are printed, not asserted.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class CrossStrategyRiskLockIT
{
    private static final String[] STRATEGIES = { "strategy-1", "strategy-2", "strategy-3" };
    private static final String PAIR = "SOL/USDT";
    private static final long TIMEOUT_MS = 90_000;

    @RegisterExtension
    final AgentTestEnvironment environment = new AgentTestEnvironment("risk_lock")
        .settings((context) -> context.set(ReaderConfiguration.METRICS_PORT, "-1"));

    @Test
    void shouldBlockAPairForThreeStrategyJvmsWhileARiskSourceHoldsItsLockForAllSources() throws Exception
    {
        environment.launch();
        final SystemEpochNanoClock clock = new SystemEpochNanoClock();
        final List<ChildJvm> strategies = new ArrayList<>();
        try (TradeJournal risk = environment.journal("risk"))
        {
            final long untilMs = System.currentTimeMillis() + 600_000;
            final long ownIndex = risk.lockPair(PAIR, untilMs, "risk's own", LockSide.ANY);
            environment.awaitCheckpoint("risk", ownIndex, TIMEOUT_MS);
            awaitRiskLocksInMaps(1);
            for (int i = 0; i < STRATEGIES.length; i++)
            {
                strategies.add(ChildJvm.builder(RiskLockStrategyMain.class)
                    .arguments(environment.journalRoot().toString(), environment.stateDir().toString(), STRATEGIES[i],
                        "OWN" + i + "/USDT", PAIR)
                    .appendLog(environment.root().resolve(STRATEGIES[i] + ".log")).start());
            }
            for (final ChildJvm strategy : strategies)
            {
                awaitLine(strategy, "READY");
            }

            final long lockNs = clock.nanoTime();
            final long lockIndex = risk.lockPairForAllSources(PAIR, untilMs, "volatile", LockSide.ANY);
            final long[] lockLatencyNs = new long[STRATEGIES.length];
            for (int i = 0; i < STRATEGIES.length; i++)
            {
                final String[] seen = awaitLine(strategies.get(i), "LOCKED ").split(" ");
                assertEquals("risk", seen[2], "the lock that holds was taken by the risk source");
                lockLatencyNs[i] = Long.parseLong(seen[1]) - lockNs;
                assertTrue(lockLatencyNs[i] >= 0, STRATEGIES[i] + " saw the pair locked before the lock for all " +
                    "sources: by the risk source's own lock, or its own?");
            }
            environment.awaitCheckpoint("risk", lockIndex, TIMEOUT_MS);
            for (int i = 0; i < STRATEGIES.length; i++)
            {
                assertEquals("true", locked(STRATEGIES[i], PAIR), STRATEGIES[i]);
                assertEquals("false", locked(STRATEGIES[i], "BTC/USDT"), STRATEGIES[i]);
                final String other = STRATEGIES[(i + 1) % STRATEGIES.length];
                assertEquals("false", locked(other, "OWN" + i + "/USDT"), "a strategy's own lock is its own");
            }
            assertEquals("risk true,risk false", environment.query("SELECT string_agg(source_id || ' ' || " +
                "all_sources, ',' ORDER BY queue_index DESC) FROM active_pair_locks WHERE pair = '" + PAIR + "'"));

            final long unlockNs = clock.nanoTime();
            final long unlockIndex = risk.unlockPair(PAIR, LockSide.ANY);
            final long[] unlockLatencyNs = new long[STRATEGIES.length];
            for (int i = 0; i < STRATEGIES.length; i++)
            {
                final ChildJvm strategy = strategies.get(i);
                unlockLatencyNs[i] = Long.parseLong(awaitLine(strategy, "UNLOCKED ").split(" ")[1]) - unlockNs;
                assertTrue(strategy.awaitExit(TIMEOUT_MS), strategy.logTail());
                assertEquals(0, strategy.exitValue(), strategy.logTail());
            }
            environment.awaitCheckpoint("risk", unlockIndex, TIMEOUT_MS);
            for (final String strategy : STRATEGIES)
            {
                assertEquals("false", locked(strategy, PAIR), strategy);
            }
            assertEquals("false", locked("risk", PAIR), "the unlock ended the risk source's locks of both kinds");
            // The strategies' own locks reach the database when their journals are drained, which nothing above
            // waits for (the strategies watch the state maps): under load a new journal's first drain can come later.
            assertEquals("3", awaitStrategiesOwnLocks("3"), "each strategy's own lock still holds");

            Arrays.sort(lockLatencyNs);
            Arrays.sort(unlockLatencyNs);
            System.out.printf("lock for all sources seen by %d strategy JVMs after %s us (median %d us); unlock " +
                "after %s us (median %d us), load %.2f%n", STRATEGIES.length, micros(lockLatencyNs),
                lockLatencyNs[1] / 1_000, micros(unlockLatencyNs), unlockLatencyNs[1] / 1_000,
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
        finally
        {
            for (final ChildJvm strategy : strategies)
            {
                strategy.close();
            }
        }
    }

    private String locked(final String sourceId, final String pair) throws Exception
    {
        return environment.query("SELECT is_pair_locked('" + sourceId + "', '" + pair + "', 'long')::text");
    }

    /**
     * The count of the strategies' own locks in the database once it is {@code expected}, or the last count read
     * when {@link #TIMEOUT_MS} has passed.
     */
    private String awaitStrategiesOwnLocks(final String expected) throws Exception
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
        while (true)
        {
            final String count = environment.query("SELECT count(*) FROM active_pair_locks WHERE NOT all_sources " +
                "AND source_id LIKE 'strategy-%'");
            if (expected.equals(count) || System.nanoTime() >= deadlineNs)
            {
                return count;
            }
            Thread.sleep(10);
        }
    }

    private void awaitRiskLocksInMaps(final int locks) throws Exception
    {
        try (TradeStateView view = TradeStateView.open(environment.stateDir()))
        {
            assertTrue(view.awaitAvailable(TIMEOUT_MS), "the state maps are not available");
            final StateEntryList<PairLockEntry> entries = new StateEntryList<>(PairLockEntry::new);
            final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
            while (view.activePairLocks("risk", System.currentTimeMillis(), entries) != locks)
            {
                assertTrue(System.nanoTime() < deadlineNs, "the risk source's locks never reached the maps");
                Thread.sleep(10);
            }
        }
    }

    private static String awaitLine(final ChildJvm strategy, final String prefix) throws Exception
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
        while (true)
        {
            if (Files.exists(strategy.log()))
            {
                for (final String line : Files.readAllLines(strategy.log(), StandardCharsets.UTF_8))
                {
                    if (line.startsWith(prefix))
                    {
                        return line;
                    }
                }
            }
            assertTrue(strategy.isAlive(), "the strategy JVM died before " + prefix.trim() + ": " +
                strategy.logTail());
            assertTrue(System.nanoTime() < deadlineNs, "no " + prefix.trim() + " within " + TIMEOUT_MS + " ms: " +
                strategy.logTail());
            Thread.sleep(5);
        }
    }

    private static String micros(final long[] latenciesNs)
    {
        final StringBuilder text = new StringBuilder();
        for (final long latencyNs : latenciesNs)
        {
            text.append(text.length() > 0 ? ", " : "").append(latencyNs / 1_000);
        }
        return text.toString();
    }
}
