package io.tradestate.tools.reconcile;

import io.tradestate.codecs.BalanceUpdateDecoder;
import io.tradestate.codecs.DecimalDecoder;
import io.tradestate.codecs.OrderUpdateDecoder;
import io.tradestate.codecs.TimeInForce;
import io.tradestate.codecs.event.JournalField;
import io.tradestate.codecs.event.JournalMessage;
import io.tradestate.writer.state.BalanceEntry;
import io.tradestate.writer.state.OrderEntry;
import io.tradestate.writer.state.StateEntryList;
import io.tradestate.writer.state.TradeStateView;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the state maps hold, read through a {@link TradeStateView}: every open order and, for
 * {@code state.closed.retention.ms} (an hour by default), the closed ones; balances. They hold no fills, and a
 * closed order may have left them, so with the maps missing fills cannot be found and an order the exchange closed
 * that the maps lack is not called never journaled; the database has both.
 */
public final class StateMapRecords implements LocalRecords
{
    private static final JournalField ORDER_SIDE = JournalMessage.ORDER_UPDATE.field("side");
    private static final JournalField ORDER_STATUS = JournalMessage.ORDER_UPDATE.field("status");
    private static final JournalField ORDER_TYPE = JournalMessage.ORDER_UPDATE.field("orderType");
    private static final JournalField TIME_IN_FORCE = JournalMessage.ORDER_UPDATE.field("timeInForce");

    private final TradeStateView view;
    private final String description;

    /**
     * Records read through a view.
     *
     * @param view        an available view.
     * @param description what the report says is compared, such as the state folder.
     */
    public StateMapRecords(final TradeStateView view, final String description)
    {
        this.view = view;
        this.description = description;
    }

    /**
     * {@inheritDoc}
     */
    public String description()
    {
        return description;
    }

    /**
     * {@inheritDoc}
     */
    public Map<String, LocalOrder> orders(final String exchange, final Collection<String> orderIds)
    {
        final Map<String, LocalOrder> orders = new HashMap<>();
        final OrderEntry entry = new OrderEntry();
        for (final String orderId : orderIds)
        {
            final int result = view.order(exchange, orderId, entry);
            check(result, "orders");
            if (TradeStateView.FOUND == result)
            {
                orders.put(orderId, order(entry));
            }
        }
        return orders;
    }

    /**
     * {@inheritDoc}
     */
    public List<LocalOrder> openOrders(final String sourceId, final String exchange)
    {
        final StateEntryList<OrderEntry> entries = new StateEntryList<>(OrderEntry::new);
        check(view.openOrders(sourceId, entries), "orders");
        final List<LocalOrder> orders = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++)
        {
            if (exchange.equals(entries.get(i).decoder().exchange()))
            {
                orders.add(order(entries.get(i)));
            }
        }
        return orders;
    }

    /**
     * {@inheritDoc}
     */
    public boolean holdsClosedOrders()
    {
        return false;
    }

    /**
     * {@inheritDoc}
     */
    public boolean holdsFills()
    {
        return false;
    }

    /**
     * {@inheritDoc}
     */
    public Map<String, LocalFill> fills(final String exchange, final Collection<String> fillIds)
    {
        return Map.of();
    }

    /**
     * {@inheritDoc}
     */
    public Map<String, LocalBalance> balances(final String exchange)
    {
        final StateEntryList<BalanceEntry> entries = new StateEntryList<>(BalanceEntry::new);
        check(view.balances(entries), "balances");
        final Map<String, LocalBalance> balances = new HashMap<>();
        for (int i = 0; i < entries.size(); i++)
        {
            final BalanceEntry entry = entries.get(i);
            final BalanceUpdateDecoder d = entry.decoder();
            if (exchange.equals(d.exchange()))
            {
                final String asset = d.asset();
                balances.put(asset, new LocalBalance(asset, entry.sourceId(), decimal(d.free()), decimal(d.used()),
                    decimal(d.total())));
            }
        }
        return balances;
    }

    private static LocalOrder order(final OrderEntry entry)
    {
        final OrderUpdateDecoder d = entry.decoder();
        final long exchangeTimeMs = d.exchangeTimeMs();
        final long timeMs = OrderUpdateDecoder.exchangeTimeMsNullValue() != exchangeTimeMs ? exchangeTimeMs :
            Math.floorDiv(entry.appendTimeNs(), 1_000_000L);
        return new LocalOrder(d.orderId(), entry.sourceId(), d.symbol(), ORDER_SIDE.enumName(d.sideRaw()),
            ORDER_STATUS.enumName(d.statusRaw()), decimal(d.amount()), decimal(d.filled()), decimal(d.average()),
            timeMs, ORDER_TYPE.enumName(d.orderTypeRaw()), TimeInForce.NULL_VAL.value() == d.timeInForceRaw() ? null :
            TIME_IN_FORCE.enumName(d.timeInForceRaw()),
            OrderUpdateDecoder.tradeIdNullValue() == d.tradeId() ? null : d.tradeId(), decimal(d.price()));
    }

    private static BigDecimal decimal(final DecimalDecoder decimal)
    {
        final long mantissa = decimal.mantissa();
        return DecimalDecoder.mantissaNullValue() == mantissa ? null :
            BigDecimal.valueOf(mantissa, -decimal.exponent());
    }

    private static void check(final int result, final String map)
    {
        if (TradeStateView.UNAVAILABLE == result)
        {
            throw new IllegalStateException("the " + map + " map is unavailable (the agent died holding a lock: " +
                "run again once it has rebuilt)");
        }
    }
}
