package io.tradestate.reader;

import io.tradestate.test.ChildJvm;
import io.tradestate.writer.state.StrategySnapshot;
import io.tradestate.writer.state.TradeContinuity;
import io.tradestate.writer.state.TradeStateView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Trade continuity: a strategy JVM killed with SIGKILL while it trades, then restarted, gets back its open trades,
 * open orders and holding pair locks in one call, and the state maps and PostgreSQL give it the same answer.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class TradeContinuityIT
{
    private static final String SOURCE = "continuity";

    @RegisterExtension
    final AgentTestEnvironment environment = new AgentTestEnvironment("continuity")
        .settings((context) -> context.set(ReaderConfiguration.METRICS_PORT, "-1"));

    @Test
    void shouldGiveAKilledStrategyBackTheSameStateFromTheMapsAndFromTheDatabase() throws Exception
    {
        final long seed = Long.getLong("tradestate.continuity.seed", System.nanoTime());
        System.out.println("TradeContinuityIT seed " + seed);
        final Random random = new Random(seed);
        final Path root = environment.root();
        final Path journalRoot = environment.journalRoot();
        environment.launch();

        for (int life = 1; life <= 2; life++)
        {
            final long excerptsBefore = Files.exists(journalRoot.resolve(SOURCE).resolve("metadata.cq4t")) ?
                QueueSummary.of(journalRoot.resolve(SOURCE)).excerpts : 0;
            try (ChildJvm strategy = ChildJvm.builder(ContinuityStrategyMain.class)
                .arguments("trade", journalRoot.toString(), SOURCE, Long.toString(seed + life))
                .appendLog(root.resolve("strategy-" + life + ".log")).start())
            {
                // Each life appends: the second does not end before its first 2,000 events.
                awaitAppended(journalRoot, strategy.process(), excerptsBefore + 2_000L, strategy.log());
                Thread.sleep(random.nextInt(2_000));
                assertTrue(strategy.isAlive(), strategy.output());
                strategy.process().destroyForcibly().waitFor();
            }

            final long lastIndex = QueueSummary.of(journalRoot.resolve(SOURCE)).lastIndex;
            environment.awaitCheckpoint(SOURCE, lastIndex, 60_000);
            final long nowMs = System.currentTimeMillis();
            final StrategySnapshot fromMaps;
            final StrategySnapshot fromDatabase;
            try (TradeStateView view = TradeStateView.open(environment.stateDir());
                Connection connection = environment.dataSource().getConnection())
            {
                assertTrue(view.awaitAvailable(60_000));
                fromDatabase = TradeContinuity.fromDatabase(connection, SOURCE, nowMs);
                fromMaps = awaitMapsEqual(view, fromDatabase, nowMs);
            }
            System.out.printf("life %d: killed at index %x; restored %d open trades, %d open orders, %d locks%n",
                life, lastIndex, fromMaps.openTrades().size(), fromMaps.openOrders().size(),
                fromMaps.activeLocks().size());
            assertEquals(List.of(), differences(fromDatabase, fromMaps), "the maps and the database restore the same " +
                "state (database first)");
            assertEquals(fromDatabase, fromMaps);
            assertFalse(fromMaps.openTrades().isEmpty(), "open trades");
            assertFalse(fromMaps.openOrders().isEmpty(), "open orders");
            assertFalse(fromMaps.activeLocks().isEmpty(), "locks");
            assertFalse(fromMaps.openOrdersOf(fromMaps.openOrders().get(0).tradeId()).isEmpty());

            final Path restoreLog = root.resolve("restore-" + life + ".log");
            try (ChildJvm restored = ChildJvm.builder(ContinuityStrategyMain.class)
                .arguments("restore", environment.stateDir().toString(), SOURCE, Long.toString(nowMs))
                .appendLog(restoreLog).start())
            {
                assertTrue(restored.awaitExit(90_000), "the restarted strategy did not finish");
                assertEquals(0, restored.exitValue(), restored.output());
            }
            final String expected = "RESTORED " + fromMaps.openTrades().size() + " " + fromMaps.openOrders().size() +
                " " + fromMaps.activeLocks().size() + " " + ContinuityStrategyMain.digest(fromMaps);
            assertTrue(Files.readAllLines(restoreLog, StandardCharsets.UTF_8).contains(expected),
                "the restarted strategy restored the same state:\n" + Files.readString(restoreLog));
        }
    }

    private static List<String> differences(final StrategySnapshot database, final StrategySnapshot maps)
    {
        final List<String> differences = new java.util.ArrayList<>();
        compare(differences, "trade", database.openTrades(), maps.openTrades());
        compare(differences, "order", database.openOrders(), maps.openOrders());
        compare(differences, "lock", database.activeLocks(), maps.activeLocks());
        return differences.size() > 10 ? differences.subList(0, 10) : differences;
    }

    private static void compare(
        final List<String> differences, final String what, final List<?> database, final List<?> maps)
    {
        for (final Object row : database)
        {
            if (!maps.contains(row))
            {
                differences.add(what + " only in the database: " + row);
            }
        }
        for (final Object row : maps)
        {
            if (!database.contains(row))
            {
                differences.add(what + " only in the maps: " + row);
            }
        }
    }

    private static StrategySnapshot awaitMapsEqual(
        final TradeStateView view, final StrategySnapshot expected, final long nowMs) throws Exception
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        StrategySnapshot fromMaps = TradeContinuity.fromView(view, SOURCE, nowMs);
        while (!expected.equals(fromMaps) && System.nanoTime() < deadlineNs)
        {
            Thread.sleep(50);
            fromMaps = TradeContinuity.fromView(view, SOURCE, nowMs);
        }
        return fromMaps;
    }

    private static void awaitAppended(
        final Path journalRoot, final Process strategy, final long excerpts, final Path log) throws Exception
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!Files.exists(journalRoot.resolve(SOURCE).resolve("metadata.cq4t")) ||
            QueueSummary.of(journalRoot.resolve(SOURCE)).excerpts < excerpts)
        {
            assertTrue(strategy.isAlive(), Files.readString(log));
            assertTrue(System.nanoTime() < deadlineNs, "the strategy never appended " + excerpts + " events");
            Thread.sleep(50);
        }
    }
}
