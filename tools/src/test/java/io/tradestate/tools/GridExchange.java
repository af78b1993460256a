package io.tradestate.tools;

import io.tradestate.codecs.Liquidity;
import io.tradestate.codecs.OrderStatus;
import io.tradestate.codecs.OrderType;
import io.tradestate.codecs.Side;
import io.tradestate.codecs.TimeInForce;
import io.tradestate.codecs.TradingMode;
import io.tradestate.writer.OrderUpdateEvent;
import io.tradestate.writer.TradeJournal;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A simulated exchange account and the grid strategy trading on it, both deterministic, so that a test and a
 * strategy JVM agree on every event without talking: trade 1 on BTC/USDT, four limit orders placed at once (two
 * buys, two sells), filled in seven executions with a 0.1% fee in USDT, ending flat. The strategy journals
 * {@link #events()} in order; the exchange's account after all of them is {@link #dump()}. A strategy killed after
 * journaling a prefix of the events leaves exactly {@link #expectedDifferences(int)} to reconcile.
 */
final class GridExchange
{
    static final long T0_MS = 1_767_225_600_000L;
    static final String EXCHANGE = "binance";
    static final String SYMBOL = "BTC/USDT";
    static final long TRADE_ID = 1;
    static final BigDecimal FEE_RATE = new BigDecimal("0.001");
    static final BigDecimal START_USDT = new BigDecimal("10000.00");

    /**
     * One order of the grid.
     */
    record Order(String id, String side, BigDecimal price, BigDecimal amount, long placedMs)
    {
    }

    /**
     * One execution.
     */
    record Execution(String id, Order order, BigDecimal amount, long timeMs)
    {
        BigDecimal value()
        {
            return order.price.multiply(amount);
        }

        BigDecimal fee()
        {
            return value().multiply(FEE_RATE);
        }
    }

    /**
     * One event the strategy journals: its kind ({@code trade}, {@code order}, {@code fill}, {@code balance}), the
     * order or fill or asset it is about, and the state after it.
     */
    record Event(String kind, String id, Order order, Execution fill, OrderStatus status, BigDecimal filled,
        BigDecimal balance, long timeMs)
    {
    }

    private final List<Order> orders = new ArrayList<>();
    private final List<Execution> executions = new ArrayList<>();
    private final List<Event> events = new ArrayList<>();

    GridExchange()
    {
        final Order b1 = order("g-b1", "buy", "64000.00", "0.010", 1);
        final Order s1 = order("g-s1", "sell", "64500.00", "0.010", 2);
        final Order b2 = order("g-b2", "buy", "63500.50", "0.020", 3);
        final Order s2 = order("g-s2", "sell", "65000.25", "0.020", 4);
        events.add(new Event("trade", "1", null, null, null, null, null, T0_MS));
        for (final Order order : orders)
        {
            events.add(new Event("order", order.id, order, null, OrderStatus.OPEN, BigDecimal.ZERO, null,
                order.placedMs));
        }
        execute("g-f1", b1, "0.004", 10);
        execute("g-f2", b1, "0.006", 11);
        execute("g-f3", s1, "0.005", 12);
        execute("g-f4", s1, "0.005", 13);
        execute("g-f5", b2, "0.0125", 14);
        execute("g-f6", b2, "0.0075", 15);
        execute("g-f7", s2, "0.020", 16);
    }

    private Order order(final String id, final String side, final String price, final String amount,
        final long second)
    {
        final Order order = new Order(id, side, new BigDecimal(price), new BigDecimal(amount), T0_MS + second * 1000);
        orders.add(order);
        return order;
    }

    private void execute(final String id, final Order order, final String amount, final long second)
    {
        final Execution fill = new Execution(id, order, new BigDecimal(amount), T0_MS + second * 1000);
        executions.add(fill);
        final BigDecimal filled = filled(order, executions);
        final OrderStatus status = filled.compareTo(order.amount) == 0 ? OrderStatus.CLOSED :
            OrderStatus.PARTIALLY_FILLED;
        events.add(new Event("fill", id, order, fill, null, null, null, fill.timeMs));
        events.add(new Event("order", order.id, order, fill, status, filled, null, fill.timeMs));
        events.add(new Event("balance", "USDT", null, fill, null, null, usdt(executions), fill.timeMs));
        events.add(new Event("balance", "BTC", null, fill, null, null, btc(executions), fill.timeMs));
    }

    List<Event> events()
    {
        return events;
    }

    /**
     * Append one event as the strategy does.
     */
    static void append(final TradeJournal journal, final Event event)
    {
        switch (event.kind)
        {
            case "trade" -> journal.tradeUpdate().tradeId(TRADE_ID).openTimeMs(T0_MS).strategy("grid")
                .exchange(EXCHANGE).pair(SYMBOL).stakeCurrency("USDT").isOpen(true).tradingMode(TradingMode.SPOT)
                .openRate(6400000, -2).amount(10, -3).stakeAmount(64000, -2).commit();
            case "order" ->
            {
                final OrderUpdateEvent update = journal.orderUpdate().exchange(EXCHANGE).symbol(SYMBOL)
                    .orderId(event.order.id).tradeId(TRADE_ID)
                    .side("buy".equals(event.order.side) ? Side.BUY : Side.SELL).orderType(OrderType.LIMIT)
                    .timeInForce(TimeInForce.GTC).status(event.status).price(event.order.price)
                    .amount(event.order.amount).filled(event.filled).exchangeTimeMs(event.timeMs);
                if (event.filled.signum() > 0)
                {
                    update.average(event.order.price);
                }
                update.commit();
            }
            case "fill" -> journal.fill().exchange(EXCHANGE).symbol(SYMBOL).fillId(event.id)
                .orderId(event.order.id).tradeId(TRADE_ID)
                .side("buy".equals(event.order.side) ? Side.BUY : Side.SELL).liquidity(Liquidity.MAKER)
                .price(event.order.price).amount(event.fill.amount).feeCost(event.fill.fee()).feeCurrency("USDT")
                .exchangeTimeMs(event.timeMs).commit();
            default -> journal.balanceUpdate().exchange(EXCHANGE).asset(event.id).free(event.balance)
                .used(BigDecimal.ZERO).total(event.balance).exchangeTimeMs(event.timeMs).commit();
        }
    }

    /**
     * The exchange's CCXT results after every execution: fetchOrders, fetchMyTrades, fetchBalance.
     */
    List<String> dump()
    {
        final StringBuilder orderLine = new StringBuilder("[");
        for (final Order order : orders)
        {
            long lastMs = order.placedMs;
            for (final Execution fill : executions)
            {
                if (fill.order == order)
                {
                    lastMs = fill.timeMs;
                }
            }
            orderLine.append(orderLine.length() > 1 ? ", " : "").append("{\"id\":\"").append(order.id)
                .append("\",\"clientOrderId\":null,\"timestamp\":").append(order.placedMs)
                .append(",\"lastTradeTimestamp\":").append(lastMs).append(",\"symbol\":\"").append(SYMBOL)
                .append("\",\"type\":\"limit\",\"side\":\"").append(order.side).append("\",\"price\":")
                .append(order.price.toPlainString()).append(",\"amount\":").append(order.amount.toPlainString())
                .append(",\"filled\":").append(order.amount.toPlainString()).append(",\"remaining\":0.0")
                .append(",\"average\":").append(order.price.toPlainString())
                .append(",\"status\":\"closed\",\"fee\":null,\"info\":{}}");
        }
        orderLine.append(']');
        final StringBuilder tradeLine = new StringBuilder("[");
        for (final Execution fill : executions)
        {
            tradeLine.append(tradeLine.length() > 1 ? ", " : "").append("{\"info\":{},\"id\":\"").append(fill.id)
                .append("\",\"order\":\"").append(fill.order.id).append("\",\"timestamp\":").append(fill.timeMs)
                .append(",\"symbol\":\"").append(SYMBOL).append("\",\"type\":\"limit\",\"side\":\"")
                .append(fill.order.side).append("\",\"takerOrMaker\":\"maker\",\"price\":")
                .append(fill.order.price.toPlainString()).append(",\"amount\":").append(fill.amount.toPlainString())
                .append(",\"fee\":{\"cost\":").append(fill.fee().toPlainString())
                .append(",\"currency\":\"USDT\"}}");
        }
        tradeLine.append(']');
        final String usdt = usdt(executions).toPlainString();
        final String btc = btc(executions).toPlainString();
        final String balanceLine = "{\"info\":{},\"free\":{\"USDT\":" + usdt + ",\"BTC\":" + btc + "},\"used\":" +
            "{\"USDT\":0,\"BTC\":0},\"total\":{\"USDT\":" + usdt + ",\"BTC\":" + btc + "}}";
        return List.of(orderLine.toString(), tradeLine.toString(), balanceLine);
    }

    /**
     * The realized profit of the trade from the exchange's executions alone: the trade ends flat, so it is what the
     * sells brought in less what the buys cost less every fee.
     */
    BigDecimal realizedProfit()
    {
        BigDecimal profit = BigDecimal.ZERO;
        for (final Execution fill : executions)
        {
            profit = profit.add("sell".equals(fill.order.side) ? fill.value() : fill.value().negate())
                .subtract(fill.fee());
        }
        return profit;
    }

    /**
     * What reconciliation must report when the strategy journaled the first {@code journaled} events: each
     * {@code kind id}, in the report's order, worked out from the events, not by the reconciler's code.
     */
    List<String> expectedDifferences(final int journaled)
    {
        final TreeSet<String> missingFills = new TreeSet<>();
        final Map<String, Event> lastOrderUpdate = new HashMap<>();
        final Map<String, BigDecimal> lastBalance = new LinkedHashMap<>();
        for (int i = 0; i < events.size(); i++)
        {
            final Event event = events.get(i);
            if (i >= journaled)
            {
                if ("fill".equals(event.kind))
                {
                    missingFills.add(event.id);
                }
                continue;
            }
            if ("order".equals(event.kind))
            {
                lastOrderUpdate.put(event.id, event);
            }
            else if ("balance".equals(event.kind))
            {
                lastBalance.put(event.id, event.balance);
            }
        }
        final List<String> expected = new ArrayList<>();
        missingFills.forEach((id) -> expected.add("missing_fill " + id));
        final TreeSet<String> closed = new TreeSet<>();
        final TreeSet<String> never = new TreeSet<>();
        for (final Order order : orders)
        {
            final Event mine = lastOrderUpdate.get(order.id);
            if (null == mine)
            {
                never.add(order.id);
            }
            else if (OrderStatus.CLOSED != mine.status)
            {
                closed.add(order.id);
            }
        }
        closed.forEach((id) -> expected.add("closed_on_exchange " + id));
        never.forEach((id) -> expected.add("never_journaled " + id));
        final TreeSet<String> differing = new TreeSet<>();
        final TreeSet<String> missing = new TreeSet<>();
        final Map<String, BigDecimal> finalBalance = Map.of("USDT", usdt(executions), "BTC", btc(executions));
        for (final Map.Entry<String, BigDecimal> asset : finalBalance.entrySet())
        {
            final BigDecimal mine = lastBalance.get(asset.getKey());
            if (null == mine)
            {
                if (0 != asset.getValue().signum())
                {
                    missing.add(asset.getKey());
                }
            }
            else if (0 != mine.compareTo(asset.getValue()))
            {
                differing.add(asset.getKey());
            }
        }
        differing.forEach((id) -> expected.add("differing_balance " + id));
        missing.forEach((id) -> expected.add("missing_balance " + id));
        return expected;
    }

    private static BigDecimal filled(final Order order, final List<Execution> executions)
    {
        BigDecimal filled = BigDecimal.ZERO;
        for (final Execution fill : executions)
        {
            if (fill.order == order)
            {
                filled = filled.add(fill.amount);
            }
        }
        return filled;
    }

    private static BigDecimal usdt(final List<Execution> executions)
    {
        BigDecimal usdt = START_USDT;
        for (final Execution fill : executions)
        {
            usdt = usdt.add("sell".equals(fill.order.side) ? fill.value() : fill.value().negate())
                .subtract(fill.fee());
        }
        return usdt;
    }

    private static BigDecimal btc(final List<Execution> executions)
    {
        BigDecimal btc = BigDecimal.ZERO;
        for (final Execution fill : executions)
        {
            btc = "sell".equals(fill.order.side) ? btc.subtract(fill.amount) : btc.add(fill.amount);
        }
        return btc;
    }
}
