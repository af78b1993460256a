package io.tradestate.tools.reconcile;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the exchange says happened on one account: its orders, its fills (CCXT trades) and, if fetched, its
 * balances. Built from a dump by {@link ExchangeDumpReader}, or from objects a strategy holds in memory with
 * {@link #of}; either way every value is checked once here, so the comparison can trust it.
 * <p>
 * An order id or fill id appears once: a second one is an error naming both places, since the comparison could
 * not tell which of the two the exchange means (dump {@code fetchOrders}, or {@code fetchOpenOrders} and
 * {@code fetchClosedOrders}, not both).
 */
public final class ExchangeView
{
    /**
     * The statuses of CCXT's unified order.
     */
    public static final Set<String> STATUSES = Set.of("open", "closed", "canceled", "expired", "rejected");

    private final String exchange;
    private final List<ExchangeOrder> orders;
    private final List<ExchangeFill> fills;
    private final List<ExchangeBalance> balances;

    private ExchangeView(final String exchange, final List<ExchangeOrder> orders, final List<ExchangeFill> fills,
        final List<ExchangeBalance> balances)
    {
        this.exchange = exchange;
        this.orders = orders;
        this.fills = fills;
        this.balances = balances;
    }

    /**
     * The exchange's view, checked.
     *
     * @param exchange the CCXT exchange id, as the journal holds it ({@code binance}).
     * @param orders   the orders, each once.
     * @param fills    the fills, each once.
     * @param balances the balances, each asset once; null when the balance was not fetched (balances are then not
     *                 compared), empty when the account holds nothing.
     * @return the view.
     * @throws ExchangeInputException naming the record and field of the first value the journal could not hold,
     *                                or a duplicate.
     */
    public static ExchangeView of(final String exchange, final List<ExchangeOrder> orders,
        final List<ExchangeFill> fills, final List<ExchangeBalance> balances)
    {
        ExchangeValues.text(exchange, "exchange", "exchange", ExchangeValues.MAX_EXCHANGE_LENGTH, true);
        final Map<String, String> seen = new HashMap<>();
        for (final ExchangeOrder order : orders)
        {
            check(order);
            unique(seen, "order " + order.id(), where(order.origin(), "order " + order.id()));
        }
        seen.clear();
        for (final ExchangeFill fill : fills)
        {
            check(fill);
            unique(seen, "fill " + fill.id(), where(fill.origin(), "fill " + fill.id()));
        }
        seen.clear();
        if (null != balances)
        {
            for (final ExchangeBalance balance : balances)
            {
                check(balance);
                unique(seen, "balance of " + balance.asset(), where(balance.origin(), "balance " + balance.asset()));
            }
        }
        return new ExchangeView(exchange, Collections.unmodifiableList(new ArrayList<>(orders)),
            Collections.unmodifiableList(new ArrayList<>(fills)),
            null == balances ? null : Collections.unmodifiableList(new ArrayList<>(balances)));
    }

    /**
     * The CCXT exchange id.
     *
     * @return such as {@code binance}.
     */
    public String exchange()
    {
        return exchange;
    }

    /**
     * The orders.
     *
     * @return unmodifiable, in input order.
     */
    public List<ExchangeOrder> orders()
    {
        return orders;
    }

    /**
     * The fills.
     *
     * @return unmodifiable, in input order.
     */
    public List<ExchangeFill> fills()
    {
        return fills;
    }

    /**
     * The balances.
     *
     * @return unmodifiable, in input order; null when the balance was not fetched.
     */
    public List<ExchangeBalance> balances()
    {
        return balances;
    }

    static String where(final String origin, final String record)
    {
        return null != origin ? origin : record;
    }

    private static void unique(final Map<String, String> seen, final String key, final String where)
    {
        final String first = seen.putIfAbsent(key, where);
        if (null != first)
        {
            throw new ExchangeInputException(where, "duplicate id: " + ExchangeValues.shortText(key) +
                " is also at " + first);
        }
    }

    private static void check(final ExchangeOrder order)
    {
        final String where = where(order.origin(), "order " + order.id());
        ExchangeValues.text(order.id(), where, "id", ExchangeValues.MAX_ID_LENGTH, true);
        ExchangeValues.text(order.clientOrderId(), where, "clientOrderId", ExchangeValues.MAX_ID_LENGTH, false);
        ExchangeValues.text(order.symbol(), where, "symbol", ExchangeValues.MAX_SYMBOL_LENGTH, true);
        ExchangeValues.side(order.side(), where, "side");
        if (null != order.status() && !STATUSES.contains(order.status()))
        {
            throw new ExchangeInputException(where, "status must be one of open, closed, canceled, expired, " +
                "rejected, was: '" + ExchangeValues.shortText(order.status()) + "'");
        }
        ExchangeValues.time(order.timestampMs(), where, "timestamp");
        ExchangeValues.time(order.lastUpdateMs(), where, "lastUpdateTimestamp");
        ExchangeValues.decimal(order.price(), where, "price", false);
        ExchangeValues.decimal(order.amount(), where, "amount", false);
        ExchangeValues.decimal(order.filled(), where, "filled", false);
        ExchangeValues.decimal(order.average(), where, "average", false);
        ExchangeValues.decimal(order.feeCost(), where, "fee.cost", true);
        ExchangeValues.text(order.feeCurrency(), where, "fee.currency", ExchangeValues.MAX_ASSET_LENGTH, false);
    }

    private static void check(final ExchangeFill fill)
    {
        final String where = where(fill.origin(), "fill " + fill.id());
        ExchangeValues.text(fill.id(), where, "id", ExchangeValues.MAX_ID_LENGTH, true);
        ExchangeValues.text(fill.orderId(), where, "order", ExchangeValues.MAX_ID_LENGTH, false);
        ExchangeValues.text(fill.symbol(), where, "symbol", ExchangeValues.MAX_SYMBOL_LENGTH, true);
        ExchangeValues.side(fill.side(), where, "side");
        if (null != fill.takerOrMaker() && !"taker".equals(fill.takerOrMaker()) &&
            !"maker".equals(fill.takerOrMaker()))
        {
            throw new ExchangeInputException(where, "takerOrMaker must be taker or maker, was: '" +
                ExchangeValues.shortText(fill.takerOrMaker()) + "'");
        }
        ExchangeValues.time(fill.timestampMs(), where, "timestamp");
        if (null == fill.price())
        {
            throw new ExchangeInputException(where, "price is missing");
        }
        if (null == fill.amount())
        {
            throw new ExchangeInputException(where, "amount is missing");
        }
        ExchangeValues.decimal(fill.price(), where, "price", false);
        ExchangeValues.decimal(fill.amount(), where, "amount", false);
        ExchangeValues.decimal(fill.feeCost(), where, "fee.cost", true);
        ExchangeValues.text(fill.feeCurrency(), where, "fee.currency", ExchangeValues.MAX_ASSET_LENGTH, false);
    }

    private static void check(final ExchangeBalance balance)
    {
        final String where = where(balance.origin(), "balance " + balance.asset());
        ExchangeValues.text(balance.asset(), where, "asset", ExchangeValues.MAX_ASSET_LENGTH, true);
        if (null == balance.total())
        {
            throw new ExchangeInputException(where, "total." + balance.asset() + " is missing");
        }
        ExchangeValues.decimal(balance.free(), where, "free." + balance.asset(), false);
        ExchangeValues.decimal(balance.used(), where, "used." + balance.asset(), false);
        ExchangeValues.decimal(balance.total(), where, "total." + balance.asset(), false);
    }
}
