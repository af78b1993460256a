package io.tradestate.reader;

import io.tradestate.codecs.OrderStatus;
import io.tradestate.codecs.OrderType;
import io.tradestate.codecs.Side;
import io.tradestate.writer.OrderUpdateEvent;
import io.tradestate.writer.TradeJournal;
import io.tradestate.writer.state.OrderEntry;
import io.tradestate.writer.state.TradeStateView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An order's status moves forward only and updates arriving out of order are settled by the exchange's clock, in
 * the {@code orders} table and in the state maps alike, whether the updates arrive in one batch or several, from one
 * source or two: a regression is kept in {@code order_events}, flagged, and never becomes the current state.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class OrderPrecedenceIT
{
    private static final long T = 1_763_700_000_000L;

    @RegisterExtension
    final AgentTestEnvironment environment = new AgentTestEnvironment("precedence")
        .settings((context) -> context.set(ReaderConfiguration.METRICS_PORT, "-1"));

    @Test
    void shouldMoveEveryOrderForwardOnlyByStatusThenExchangeTime() throws Exception
    {
        final List<Long> regressions = new ArrayList<>();
        try (TradeJournal east = environment.journal("east");
            TradeJournal west = environment.journal("west"))
        {
            // One batch: everything below is appended before the agent starts.
            update(east, "A", OrderStatus.OPEN, 0, T + 1_000).commit();
            update(east, "A", OrderStatus.PARTIALLY_FILLED, 2, T + 2_000).commit();
            update(east, "A", OrderStatus.CLOSED, 5, T + 3_000).commit();
            update(east, "B", OrderStatus.PARTIALLY_FILLED, 1, T + 2_000).commit();
            regressions.add(update(east, "B", OrderStatus.OPEN, 0, T + 3_000).commit());
            update(east, "C", OrderStatus.PARTIALLY_FILLED, 1, T + 5_000).commit();
            update(east, "E", OrderStatus.OPEN, 0, null).commit();
            final long lastEast = update(east, "E", OrderStatus.PARTIALLY_FILLED, 4, null).commit();

            environment.launch();
            environment.awaitCheckpoint("east", lastEast, 60_000);

            // Later batches: against the state already in the table.
            regressions.add(update(east, "A", OrderStatus.OPEN, 0, T + 4_000).commit());
            update(east, "A", OrderStatus.CLOSED, 5, T + 5_000).feeCost(-7, -3).feeCurrency("USDT").commit();
            update(east, "C", OrderStatus.PARTIALLY_FILLED, 2, T + 4_000).commit();
            final long lastWest = update(west, "D", OrderStatus.PARTIALLY_FILLED, 3, T + 7_000).commit();
            environment.awaitCheckpoint("west", lastWest, 60_000);
            final long lastEastAgain = update(east, "D", OrderStatus.PARTIALLY_FILLED, 2, T + 6_000).commit();
            environment.awaitCheckpoint("east", lastEastAgain, 60_000);
        }

        assertEquals("closed 5 -7 east", current("A"), "a fee update of the closed order applies");
        assertEquals("partially_filled 1 null east", current("B"), "a partially filled order does not reopen");
        assertEquals("partially_filled 1 null east", current("C"), "an older exchange time arriving later loses");
        assertEquals("partially_filled 3 null west", current("D"), "across sources the exchange's clock decides");
        assertEquals("partially_filled 4 null east", current("E"), "without exchange times, arrival decides");

        final List<Long> flagged = new ArrayList<>();
        try (Connection connection = environment.dataSource().getConnection();
            Statement statement = connection.createStatement();
            ResultSet rows = statement.executeQuery(
                "SELECT queue_index FROM order_events WHERE status_regression ORDER BY queue_index"))
        {
            while (rows.next())
            {
                flagged.add(rows.getLong(1));
            }
        }
        assertEquals(regressions, flagged, "exactly the regressions are flagged, and kept");

        StateMapsAssertions.assertMapsEqualTables(environment.stateDir(), environment.dataSource());
        try (TradeStateView view = TradeStateView.open(environment.stateDir()))
        {
            assertTrue(view.awaitAvailable(30_000));
            final OrderEntry order = new OrderEntry();
            assertEquals(TradeStateView.FOUND, view.order("binance", "A", order));
            assertEquals(OrderStatus.CLOSED, order.decoder().status());
            assertEquals(-7, order.decoder().feeCost().mantissa());
            assertEquals(TradeStateView.FOUND, view.order("binance", "D", order));
            assertTrue(order.sourceIdEquals("west"));
        }
    }

    private static OrderUpdateEvent update(
        final TradeJournal journal, final String orderId, final OrderStatus status, final long filled,
        final Long exchangeTimeMs)
    {
        final OrderUpdateEvent event = journal.orderUpdate()
            .exchange("binance").symbol("BTC/USDT").orderId(orderId).side(Side.BUY).orderType(OrderType.LIMIT)
            .status(status).price(6412350, -2).amount(5, 0).filled(filled, 0).remaining(5 - filled, 0);
        if (null != exchangeTimeMs)
        {
            event.exchangeTimeMs(exchangeTimeMs);
        }
        return event;
    }

    private String current(final String orderId) throws SQLException
    {
        try (Connection connection = environment.dataSource().getConnection();
            Statement statement = connection.createStatement();
            ResultSet rows = statement.executeQuery("SELECT status, filled::text, (fee_cost * 1000)::bigint, " +
                "source_id FROM orders WHERE exchange = 'binance' AND order_id = '" + orderId + "'"))
        {
            assertTrue(rows.next(), "order " + orderId);
            return rows.getString(1) + " " + rows.getString(2) + " " + rows.getString(3) + " " + rows.getString(4);
        }
    }
}
