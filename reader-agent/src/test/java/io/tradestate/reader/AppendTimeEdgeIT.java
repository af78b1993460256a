package io.tradestate.reader;

import io.tradestate.codecs.OrderStatus;
import io.tradestate.codecs.OrderType;
import io.tradestate.codecs.Side;
import io.tradestate.writer.TradeJournal;
import io.tradestate.writer.state.OrderEntry;
import io.tradestate.writer.state.StateEntryList;
import io.tradestate.writer.state.TradeStateView;
import org.agrona.concurrent.EpochNanoClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 16, "a time at the edge of the range silently drops current state": an order whose append time is within a
 * second of {@link Long#MAX_VALUE} (a writer whose clock is wrong), and one at the epoch, among normal orders in one
 * batch. Before the one rule for append times, the batch's time window overflowed and none of its orders reached
 * {@code orders} while the maps applied them. Now both edge events are dead-lettered with the reason, by the drain
 * and skipped by the state maps alike, and every other order of the batch is current state in both.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AppendTimeEdgeIT
{
    private static final String SOURCE = "edge";
    private static final int ORDERS = 50;

    @RegisterExtension
    final AgentTestEnvironment environment = new AgentTestEnvironment("append_time_edge")
        .settings((context) -> context.set(ReaderConfiguration.METRICS_PORT, "-1"));

    @Test
    void shouldDeadLetterAppendTimesTheHistoryCannotHoldAndKeepTheRestOfTheBatch() throws Exception
    {
        final SettableClock clock = new SettableClock(System.currentTimeMillis() * 1_000_000L);
        final long lastIndex;
        try (TradeJournal journal = TradeJournal.open(environment.journalContext(SOURCE).epochNanoClock(clock)))
        {
            order(journal, "first");
            final long now = clock.timeNs;
            clock.timeNs = Long.MAX_VALUE - 500_000_000L;
            order(journal, "late-clock");
            clock.timeNs = 0;
            order(journal, "epoch-clock");
            long last = 0;
            for (int i = 0; i < ORDERS; i++)
            {
                clock.timeNs = now + 1_000_000L * (i + 1);
                last = order(journal, "o-" + i);
            }
            lastIndex = last;
        }

        environment.launch();
        environment.awaitCheckpoint(SOURCE, lastIndex, 60_000);

        assertEquals(Integer.toString(ORDERS + 1), environment.query(
            "SELECT count(*) FROM orders WHERE source_id = '" + SOURCE + "'"));
        assertEquals("0", environment.query(
            "SELECT count(*) FROM orders WHERE order_id IN ('late-clock', 'epoch-clock')"));
        assertEquals(Integer.toString(ORDERS + 1), environment.query("SELECT count(*) FROM order_events"));
        final String reasons = environment.query("SELECT string_agg(reason, ' | ' ORDER BY queue_index) " +
            "FROM dead_letters WHERE source_id = '" + SOURCE + "'");
        assertEquals("OrderUpdate.appendTimeNs 9223372036354775807 is outside the times the history holds, " +
            "2000-01-01 to 2200-01-01: the writer's clock is wrong | OrderUpdate.appendTimeNs 0 is outside the times " +
            "the history holds, 2000-01-01 to 2200-01-01: the writer's clock is wrong", reasons);

        final TreeSet<String> inMaps = new TreeSet<>();
        try (TradeStateView view = TradeStateView.open(environment.stateDir()))
        {
            assertTrue(view.awaitAvailable(60_000));
            final StateEntryList<OrderEntry> orders = new StateEntryList<>(OrderEntry::new);
            final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (view.openOrders(SOURCE, orders) < ORDERS + 1 && System.nanoTime() - deadlineNs < 0)
            {
                Thread.sleep(20);
            }
            for (int i = 0; i < orders.size(); i++)
            {
                inMaps.add(orders.get(i).decoder().orderId());
            }
        }
        assertEquals(ORDERS + 1, inMaps.size(), inMaps.toString());
        assertTrue(inMaps.contains("first") && !inMaps.contains("late-clock") && !inMaps.contains("epoch-clock"),
            inMaps.toString());
    }

    private static long order(final TradeJournal journal, final String orderId)
    {
        return journal.orderUpdate().exchange("binance").symbol("BTC/USDT").orderId(orderId).side(Side.BUY)
            .orderType(OrderType.LIMIT).status(OrderStatus.OPEN).amount(1, 0).price(100, 0).commit();
    }

    /**
     * The journal's clock, set by the test: a writer whose clock jumps.
     */
    private static final class SettableClock implements EpochNanoClock
    {
        private long timeNs;

        SettableClock(final long timeNs)
        {
            this.timeNs = timeNs;
        }

        public long nanoTime()
        {
            return timeNs;
        }
    }
}
