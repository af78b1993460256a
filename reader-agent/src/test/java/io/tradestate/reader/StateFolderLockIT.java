package io.tradestate.reader;

import io.tradestate.codecs.OrderStatus;
import io.tradestate.codecs.OrderType;
import io.tradestate.codecs.Side;
import io.tradestate.writer.TradeJournal;
import io.tradestate.writer.state.OrderEntry;
import io.tradestate.writer.state.StateEntryList;
import io.tradestate.writer.state.TradeStateView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 16, one agent per state folder whatever the database: with {@code db.url} set (no embedded database, so no
 * lock of the embedded server's), a second agent on a running agent's state folder, in another JVM and in the same
 * one, fails at start with a message naming the folder and the holder's pid; the first agent's published generation
 * stays, and its maps keep being updated. Once the first agent stops, an agent starts on the folder at once. Before:
 * the second agent started, built a generation of its own, published it and deleted the first one's live generation.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class StateFolderLockIT
{
    private static final String SOURCE = "alpha";
    private static final long REFUSAL_TIMEOUT_MS = 30_000;

    @RegisterExtension
    final AgentTestEnvironment environment = new AgentTestEnvironment("state_folder_lock");

    @Test
    void shouldRefuseASecondAgentOnTheSameStateFolderWithAnExternalDatabase() throws Exception
    {
        append(0, 10);
        final ReaderAgent first = environment.launch();
        final long generation = awaitPublished(first);
        final Path generationDir = environment.stateDir().resolve("maps").resolve("gen-" + generation);
        final String holder = "pid " + ProcessHandle.current().pid();

        final Map<String, String> settings =
            environment.processSettings(environment.journalRoot(), environment.stateDir());
        settings.put(ReaderConfiguration.METRICS_PORT, "-1");
        try (ReaderAgentProcess second = environment.process(environment.root().resolve("second"), settings, Map.of()))
        {
            second.start();
            final int exitCode = second.awaitExit(REFUSAL_TIMEOUT_MS);
            assertEquals(1, exitCode, second.logTail());
            assertTrue(second.currentLogContains("the state folder " + environment.stateDir() + " is in use by " +
                "another reader agent (" + holder), second.logTail());
        }

        final IllegalStateException refused = assertThrows(IllegalStateException.class,
            () -> ReaderAgent.launch(environment.context().set(ReaderConfiguration.METRICS_PORT, "-1").conclude())
                .close());
        assertTrue(refused.getMessage().startsWith("the state folder " + environment.stateDir() + " is in use by " +
            "another reader agent (" + holder), refused.getMessage());

        // the first agent is unharmed: the same generation, still published and still updated
        assertTrue(Files.isDirectory(generationDir), generationDir + " deleted");
        assertEquals(generation, first.stateGeneration());
        final long lastIndex = append(10, 10);
        environment.awaitCheckpoint(SOURCE, lastIndex, 60_000);
        awaitOpenOrdersInMaps(20);
        try (TradeStateView view = TradeStateView.open(environment.stateDir()))
        {
            assertTrue(view.awaitAvailable(10_000));
            assertEquals(generation, view.generation());
        }

        environment.stopAgent();
        environment.launch(); // the lock went with the first agent
        awaitPublished(environment.agent());
    }

    private long append(final int from, final int orders)
    {
        long last = -1;
        try (TradeJournal journal = environment.journal(SOURCE))
        {
            for (int i = from; i < from + orders; i++)
            {
                last = journal.orderUpdate().exchange("binance").symbol("BTC/USDT").orderId("o-" + i)
                    .side(Side.BUY).orderType(OrderType.LIMIT).status(OrderStatus.OPEN).amount(1, 0).price(100, 0)
                    .commit();
            }
        }
        return last;
    }

    private static long awaitPublished(final ReaderAgent agent) throws InterruptedException
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (0 == agent.stateGeneration() && System.nanoTime() - deadlineNs < 0)
        {
            Thread.sleep(20);
        }
        assertTrue(agent.stateGeneration() > 0, "no generation published");
        return agent.stateGeneration();
    }

    private void awaitOpenOrdersInMaps(final int expected) throws InterruptedException
    {
        try (TradeStateView view = TradeStateView.open(environment.stateDir()))
        {
            assertTrue(view.awaitAvailable(60_000), "the state maps are not available");
            final StateEntryList<OrderEntry> orders = new StateEntryList<>(OrderEntry::new);
            final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (view.openOrders(SOURCE, orders) < expected && System.nanoTime() - deadlineNs < 0)
            {
                Thread.sleep(20);
            }
            assertEquals(expected, view.openOrders(SOURCE, orders), "open orders in the maps");
        }
    }
}
