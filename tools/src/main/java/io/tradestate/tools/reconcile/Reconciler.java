package io.tradestate.tools.reconcile;

import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Compares what the exchange says happened on an account ({@link ExchangeView}) with what TradeState holds
 * ({@link LocalRecords}) for one source and a time window, and lists every difference ({@link Difference.Kind}).
 * Decimals are compared by value ({@code 0.50} equals {@code 0.5}), exactly. Read-only: nothing is written.
 * <p>
 * What is compared:
 * <ul>
 *     <li><b>fills</b>: each exchange fill in the window, by exchange and fill id, whichever source journaled it:
 *     missing, or differing in order id, symbol, side, price, amount, fee cost or fee currency (a field the
 *     exchange left null is not compared);</li>
 *     <li><b>orders</b>: each exchange order in the window (placed or last updated in it, or without times), and
 *     each one the source holds open: never journaled, closed on the exchange while open in TradeState, or
 *     differing in status, amount, filled or average. CCXT's {@code open} matches TradeState's {@code open} and
 *     {@code partially_filled}; TradeState's missing {@code filled} counts as zero;</li>
 *     <li><b>open orders</b>: each order the source holds open on the exchange, last updated in the window, that
 *     the exchange's orders do not hold is unknown to the exchange (checked only when the exchange's view holds
 *     orders at all);</li>
 *     <li><b>balances</b>, when the exchange's view has them, whatever the window: every asset of the exchange,
 *     total, free and used (when both sides have them); an asset with a total of zero on one side and absent on
 *     the other is no difference.</li>
 * </ul>
 */
public final class Reconciler
{
    private Reconciler()
    {
    }

    /**
     * Compare.
     *
     * @param exchange the exchange's view.
     * @param local    what TradeState holds.
     * @param sourceId the source whose open orders are checked.
     * @param fromMs   start of the window, inclusive, in ms since the epoch; null for no start.
     * @param toMs     end of the window, exclusive; null for no end.
     * @return the report.
     * @throws SQLException if the database cannot be read.
     */
    public static ReconcileReport reconcile(final ExchangeView exchange, final LocalRecords local,
        final String sourceId, final Long fromMs, final Long toMs) throws SQLException
    {
        final ReconcileReport report = new ReconcileReport(sourceId, exchange.exchange(), local.description(),
            fromMs, toMs);
        fills(exchange, local, fromMs, toMs, report);
        orders(exchange, local, sourceId, fromMs, toMs, report);
        balances(exchange, local, report);
        report.sort();
        return report;
    }

    private static void fills(final ExchangeView exchange, final LocalRecords local, final Long fromMs,
        final Long toMs, final ReconcileReport report) throws SQLException
    {
        if (exchange.fills().isEmpty())
        {
            return;
        }
        if (!local.holdsFills())
        {
            report.note(exchange.fills().size() + " fills not compared: the state maps hold no fills (reconcile " +
                "against the database for them)");
            return;
        }
        final List<ExchangeFill> inWindow = new ArrayList<>();
        for (final ExchangeFill fill : exchange.fills())
        {
            if (inWindow(fill.timestampMs(), fromMs, toMs) || (null == fill.timestampMs()))
            {
                inWindow.add(fill);
            }
        }
        final Map<String, LocalFill> held = local.fills(exchange.exchange(),
            inWindow.stream().map(ExchangeFill::id).toList());
        for (final ExchangeFill fill : inWindow)
        {
            report.comparedFill();
            final LocalFill mine = held.get(fill.id());
            if (null == mine)
            {
                report.difference(new Difference(Difference.Kind.MISSING_FILL, fill.id(), "fill " + fill.id() +
                    (null == fill.orderId() ? "" : " of order " + fill.orderId()) + ": " + fill.side() + " " +
                    text(fill.amount()) + " " + fill.symbol() + " at " + text(fill.price()) +
                    (null == fill.feeCost() ? "" : ", fee " + text(fill.feeCost()) + " " +
                    Objects.toString(fill.feeCurrency(), "")).stripTrailing() +
                    (null == fill.timestampMs() ? "" : ", " + Instant.ofEpochMilli(fill.timestampMs())) +
                    "; TradeState has no Fill of it", List.of(), null, fill));
                continue;
            }
            final List<Difference.FieldDifference> fields = new ArrayList<>();
            text(fields, "order", mine.orderId(), fill.orderId());
            text(fields, "symbol", mine.symbol(), fill.symbol());
            text(fields, "side", mine.side(), fill.side());
            decimal(fields, "price", mine.price(), fill.price(), false);
            decimal(fields, "amount", mine.amount(), fill.amount(), false);
            decimal(fields, "fee.cost", mine.feeCost(), fill.feeCost(), true);
            text(fields, "fee.currency", mine.feeCurrency(), fill.feeCurrency());
            if (!fields.isEmpty())
            {
                report.difference(new Difference(Difference.Kind.DIFFERING_FILL, fill.id(), "fill " + fill.id() +
                    " (source " + mine.sourceId() + "): " + describe(fields), fields, null, fill));
            }
        }
    }

    private static void orders(final ExchangeView exchange, final LocalRecords local, final String sourceId,
        final Long fromMs, final Long toMs, final ReconcileReport report) throws SQLException
    {
        final List<LocalOrder> open = local.openOrders(sourceId, exchange.exchange());
        final Set<String> openIds = new HashSet<>();
        open.forEach((order) -> openIds.add(order.orderId()));
        final List<ExchangeOrder> compared = new ArrayList<>();
        final Set<String> dumpIds = new HashSet<>();
        for (final ExchangeOrder order : exchange.orders())
        {
            dumpIds.add(order.id());
            final boolean noTime = null == order.timestampMs() && null == order.lastUpdateMs();
            if (noTime || inWindow(order.timestampMs(), fromMs, toMs) ||
                inWindow(order.lastUpdateMs(), fromMs, toMs) || openIds.contains(order.id()))
            {
                compared.add(order);
            }
        }

        final Map<String, LocalOrder> held = local.orders(exchange.exchange(),
            compared.stream().map(ExchangeOrder::id).toList());
        int notCompared = 0;
        for (final ExchangeOrder order : compared)
        {
            final LocalOrder mine = held.get(order.id());
            if (null == mine)
            {
                if (!order.isOpen() && !local.holdsClosedOrders())
                {
                    notCompared++;
                    continue;
                }
                report.comparedOrder();
                report.difference(new Difference(Difference.Kind.NEVER_JOURNALED, order.id(), "order " +
                    order.id() + ": " + order.side() + " " + text(order.amount()) + " " + order.symbol() +
                    (null == order.price() ? "" : " at " + text(order.price())) + ", " +
                    Objects.toString(order.status(), "status unknown") + ", filled " + text(order.filled()) +
                    "; TradeState has no OrderUpdate of it", List.of(), order, null));
                continue;
            }
            report.comparedOrder();
            final List<Difference.FieldDifference> fields = new ArrayList<>();
            if (null != order.status() && !statusMatches(mine.status(), order.status()))
            {
                fields.add(new Difference.FieldDifference("status", mine.status(), order.status()));
            }
            decimal(fields, "amount", mine.amount(), order.amount(), false);
            decimal(fields, "filled", null == mine.filled() ? BigDecimal.ZERO : mine.filled(), order.filled(), false);
            if (null != order.average() && (0 != order.average().signum() || null != mine.average()))
            {
                decimal(fields, "average", mine.average(), order.average(), false);
            }
            if (fields.isEmpty())
            {
                continue;
            }
            final boolean closedThere = mine.isOpen() && null != order.status() && !order.isOpen();
            report.difference(new Difference(closedThere ? Difference.Kind.CLOSED_ON_EXCHANGE :
                Difference.Kind.DIFFERING_ORDER, order.id(), "order " + order.id() + " (" + order.symbol() +
                ", source " + mine.sourceId() + "): " + describe(fields), fields, order, null));
        }
        if (notCompared > 0)
        {
            report.note(notCompared + " orders the exchange reports closed are not in the state maps, which keep " +
                "closed orders for state.closed.retention.ms only: not compared (reconcile against the database " +
                "for them)");
        }

        if (exchange.orders().isEmpty())
        {
            if (!open.isEmpty())
            {
                report.note(open.size() + " orders open in TradeState not compared: the exchange's view holds no " +
                    "orders (dump fetchOpenOrders too)");
            }
            return;
        }
        for (final LocalOrder mine : open)
        {
            if (!dumpIds.contains(mine.orderId()) && inWindow(mine.timeMs(), fromMs, toMs))
            {
                report.comparedOrder();
                report.difference(new Difference(Difference.Kind.UNKNOWN_TO_EXCHANGE, mine.orderId(), "order " +
                    mine.orderId() + " (" + mine.symbol() + ", source " + mine.sourceId() + ") is " + mine.status() +
                    " in TradeState, filled " + text(null == mine.filled() ? BigDecimal.ZERO : mine.filled()) +
                    "; the exchange's orders do not hold it",
                    List.of(), null, null));
            }
        }
    }

    private static void balances(final ExchangeView exchange, final LocalRecords local,
        final ReconcileReport report) throws SQLException
    {
        if (null == exchange.balances())
        {
            report.note("balances not compared: the exchange's view holds none (dump fetchBalance too)");
            return;
        }
        final Map<String, LocalBalance> held = local.balances(exchange.exchange());
        final Set<String> listed = new HashSet<>();
        for (final ExchangeBalance balance : exchange.balances())
        {
            listed.add(balance.asset());
            final LocalBalance mine = held.get(balance.asset());
            report.comparedBalance();
            if (null == mine)
            {
                if (0 != balance.total().signum())
                {
                    report.difference(new Difference(Difference.Kind.MISSING_BALANCE, balance.asset(), "balance " +
                        balance.asset() + ": the exchange reports a total of " + text(balance.total()) +
                        "; TradeState has no balance of it", List.of(), null, null));
                }
                continue;
            }
            final List<Difference.FieldDifference> fields = new ArrayList<>();
            decimal(fields, "total", mine.total(), balance.total(), false);
            if (null != mine.free())
            {
                decimal(fields, "free", mine.free(), balance.free(), false);
            }
            if (null != mine.used())
            {
                decimal(fields, "used", mine.used(), balance.used(), false);
            }
            if (!fields.isEmpty())
            {
                report.difference(new Difference(Difference.Kind.DIFFERING_BALANCE, balance.asset(), "balance " +
                    balance.asset() + " (source " + mine.sourceId() + "): " + describe(fields), fields, null, null));
            }
        }
        held.values().stream().sorted(Comparator.comparing(LocalBalance::asset)).forEach((mine) ->
        {
            if (!listed.contains(mine.asset()) && 0 != mine.total().signum())
            {
                report.comparedBalance();
                report.difference(new Difference(Difference.Kind.UNKNOWN_BALANCE, mine.asset(), "balance " +
                    mine.asset() + " (source " + mine.sourceId() + "): TradeState holds a total of " +
                    text(mine.total()) + "; the exchange's balance does not list it", List.of(), null, null));
            }
        });
    }

    private static boolean statusMatches(final String local, final String exchange)
    {
        if ("open".equals(exchange))
        {
            return "open".equals(local) || "partially_filled".equals(local);
        }
        return exchange.equals(local);
    }

    static boolean inWindow(final Long timeMs, final Long fromMs, final Long toMs)
    {
        if (null == timeMs)
        {
            return false;
        }
        return (null == fromMs || timeMs >= fromMs) && (null == toMs || timeMs < toMs);
    }

    private static void text(final List<Difference.FieldDifference> fields, final String field, final String local,
        final String exchange)
    {
        if (null != exchange && !exchange.equals(local))
        {
            fields.add(new Difference.FieldDifference(field, local, exchange));
        }
    }

    /**
     * A decimal the exchange gave that TradeState lacks or holds with another value; with {@code zeroIsAbsent}, a
     * zero on one side and nothing on the other are the same (a fee of 0).
     */
    private static void decimal(final List<Difference.FieldDifference> fields, final String field,
        final BigDecimal local, final BigDecimal exchange, final boolean zeroIsAbsent)
    {
        if (null == exchange)
        {
            return;
        }
        if (null == local)
        {
            if (!(zeroIsAbsent && 0 == exchange.signum()))
            {
                fields.add(new Difference.FieldDifference(field, null, exchange.toPlainString()));
            }
            return;
        }
        if (0 != local.compareTo(exchange))
        {
            fields.add(new Difference.FieldDifference(field, local.toPlainString(), exchange.toPlainString()));
        }
    }

    private static String describe(final List<Difference.FieldDifference> fields)
    {
        final StringBuilder text = new StringBuilder();
        for (final Difference.FieldDifference field : fields)
        {
            text.append(text.length() > 0 ? ", " : "").append(field.field()).append(" is ")
                .append(null == field.tradeState() ? "absent" : "\"" + field.tradeState() + "\"")
                .append(" in TradeState, \"").append(field.exchange()).append("\" on the exchange");
        }
        return text.toString();
    }

    private static String text(final BigDecimal value)
    {
        return null == value ? "?" : value.toPlainString();
    }
}
