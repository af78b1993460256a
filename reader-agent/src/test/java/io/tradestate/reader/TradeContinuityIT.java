package io.tradestate.reader;

import io.tradestate.writer.state.StrategySnapshot;
import io.tradestate.writer.state.TradeContinuity;
import io.tradestate.writer.state.TradeStateView;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
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

    @TempDir
    Path root;

    private String database;
    private DataSource dataSource;
    private ReaderAgent agent;

    @BeforeEach
    void createDatabase()
    {
        database = TestDatabase.createDatabase("continuity");
        dataSource = TestDatabase.dataSource(database);
    }

    @AfterEach
    void dropDatabase()
    {
        if (null != agent)
        {
            agent.close();
        }
        TestDatabase.dropDatabase(database);
    }

    @Test
    void shouldGiveAKilledStrategyBackTheSameStateFromTheMapsAndFromTheDatabase() throws Exception
    {
        final long seed = Long.getLong("tradestate.continuity.seed", System.nanoTime());
        System.out.println("TradeContinuityIT seed " + seed);
        final Random random = new Random(seed);
        final Path journalRoot = root.resolve("journal");
        agent = ReaderAgent.launch(context(journalRoot));

        for (int life = 1; life <= 2; life++)
        {
            final Process strategy = ChildJvm.start(ContinuityStrategyMain.class,
                List.of("trade", journalRoot.toString(), SOURCE, Long.toString(seed + life)), root,
                root.resolve("strategy-" + life + ".log"), Map.of());
            awaitAppended(journalRoot, strategy, life * 2_000L, root.resolve("strategy-" + life + ".log"));
            Thread.sleep(random.nextInt(2_000));
            assertTrue(strategy.isAlive(), Files.readString(root.resolve("strategy-" + life + ".log")));
            strategy.destroyForcibly().waitFor();

            final long lastIndex = QueueSummary.of(journalRoot.resolve(SOURCE)).lastIndex;
            awaitCheckpoint(lastIndex);
            final long nowMs = System.currentTimeMillis();
            final StrategySnapshot fromMaps;
            final StrategySnapshot fromDatabase;
            try (TradeStateView view = TradeStateView.open(root.resolve("state"));
                Connection connection = dataSource.getConnection())
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
            final Process restored = ChildJvm.start(ContinuityStrategyMain.class,
                List.of("restore", root.resolve("state").toString(), SOURCE, Long.toString(nowMs)), root,
                restoreLog, Map.of());
            assertTrue(restored.waitFor(90, TimeUnit.SECONDS), "the restarted strategy did not finish");
            assertEquals(0, restored.exitValue(), Files.readString(restoreLog));
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

    private void awaitCheckpoint(final long index) throws Exception
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadlineNs)
        {
            try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(
                    "SELECT last_index FROM source_checkpoints WHERE source_id = '" + SOURCE + "'"))
            {
                if (rows.next() && rows.getLong(1) >= index)
                {
                    return;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("not drained to " + Long.toHexString(index));
    }

    private ReaderContext context(final Path journalRoot)
    {
        return TestDatabase.agentContext(database, journalRoot, root.resolve("state"))
            .set(ReaderConfiguration.METRICS_PORT, "-1")
            .conclude();
    }
}
