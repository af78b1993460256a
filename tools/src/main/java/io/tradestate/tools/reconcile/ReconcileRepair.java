package io.tradestate.tools.reconcile;

import io.tradestate.codecs.EventOrigin;
import io.tradestate.codecs.Liquidity;
import io.tradestate.codecs.OrderStatus;
import io.tradestate.codecs.OrderType;
import io.tradestate.codecs.Side;
import io.tradestate.codecs.TimeInForce;
import io.tradestate.codecs.event.EventRules;
import io.tradestate.writer.BalanceUpdateEvent;
import io.tradestate.writer.FillEvent;
import io.tradestate.writer.OrderUpdateEvent;
import io.tradestate.writer.TradeJournal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Repair: what a {@link ReconcileReport} found missing, appended through a {@link TradeJournal} with
 * {@link EventOrigin#RECONCILIATION} and the run's time, so that the drain, the current state and the ledger take it
 * as any other event and the history says where it came from. Nothing is deleted or rewritten.
 * <ul>
 *     <li>a {@code Fill} per missing fill, the exchange's values, the trade id of TradeState's order if it has one;
 *     </li>
 *     <li>an {@code OrderUpdate} per order closed on the exchange, differing or never journaled: the exchange's
 *     status, amount, filled and average over TradeState's last update (type, time in force, trade id, price),
 *     {@code exchangeTimeMs} the exchange's last update, so that the forward-only status rule decides as for any
 *     update. An update that rule would not let win (same status rank, the exchange's time not later) is not
 *     appended but listed as skipped: appending it would change nothing and a second run would append it again;</li>
 *     <li>a {@code BalanceUpdate} per differing or missing balance (the latest appended balance wins);</li>
 *     <li>orders unknown to the exchange, differing fills and unknown balances are reported, never repaired: the
 *     exchange said nothing about them, or TradeState already has the fill (the ledger counts a fill id once).</li>
 * </ul>
 * Idempotent: a difference whose repair is already in the journal after the agent's checkpoint
 * ({@link JournalTail}: appended, not yet drained) is skipped, and once drained the comparison finds nothing.
 * Everything is planned and checked ({@link #plan}) before anything is appended ({@link Plan#appendTo}): a value
 * the journal cannot hold refuses the whole repair, naming the record and field.
 */
public final class ReconcileRepair
{
    private ReconcileRepair()
    {
    }

    /**
     * One event to append, or one difference not repaired.
     *
     * @param kind   {@code Fill}, {@code OrderUpdate}, {@code BalanceUpdate}; or the difference's kind when
     *               skipped.
     * @param id     the fill id, order id or asset.
     * @param detail what is appended, or why not.
     */
    public record Action(String kind, String id, String detail)
    {
    }

    /**
     * What a repair appends and what it leaves, checked and ready.
     */
    public static final class Plan
    {
        private final List<Action> appends = new ArrayList<>();
        private final List<Consumer<TradeJournal>> writers = new ArrayList<>();
        private final List<Action> skipped = new ArrayList<>();
        private final long reconcileTimeMs;

        Plan(final long reconcileTimeMs)
        {
            this.reconcileTimeMs = reconcileTimeMs;
        }

        /**
         * The events to append, in order.
         *
         * @return unmodifiable.
         */
        public List<Action> appends()
        {
            return Collections.unmodifiableList(appends);
        }

        /**
         * Differences not repaired, and why.
         *
         * @return unmodifiable.
         */
        public List<Action> skipped()
        {
            return Collections.unmodifiableList(skipped);
        }

        /**
         * The time every appended event carries as {@code reconcileTimeMs}.
         *
         * @return ms since the epoch.
         */
        public long reconcileTimeMs()
        {
            return reconcileTimeMs;
        }

        /**
         * Append every planned event, in order.
         *
         * @param journal the source's journal.
         * @return the number of events appended.
         */
        public int appendTo(final TradeJournal journal)
        {
            for (final Consumer<TradeJournal> writer : writers)
            {
                writer.accept(journal);
            }
            return writers.size();
        }

        void append(final Action action, final Consumer<TradeJournal> writer)
        {
            appends.add(action);
            writers.add(writer);
        }

        void skip(final Action action)
        {
            skipped.add(action);
        }
    }

    /**
     * Plan and append in one step, from Java: through the strategy's own journal.
     *
     * @param exchange        the exchange's view the report was made from.
     * @param report          the report.
     * @param local           what TradeState holds (the database the report was made against).
     * @param tail            the journal after the agent's checkpoint.
     * @param journal         the source's journal.
     * @param reconcileTimeMs the run's time, ms since the epoch.
     * @return the plan appended.
     * @throws SQLException           if the database cannot be read.
     * @throws ExchangeInputException naming the record and field of a value the journal cannot hold; nothing is
     *                                appended then.
     */
    public static Plan apply(final ExchangeView exchange, final ReconcileReport report, final LocalRecords local,
        final JournalTail tail, final TradeJournal journal, final long reconcileTimeMs) throws SQLException
    {
        final Plan plan = plan(exchange, report, local, tail, reconcileTimeMs);
        plan.appendTo(journal);
        return plan;
    }

    /**
     * Plan a repair: every event checked and converted, nothing appended.
     *
     * @param exchange        the exchange's view the report was made from.
     * @param report          the report.
     * @param local           what TradeState holds.
     * @param tail            the journal after the agent's checkpoint ({@link JournalTail#empty()} if none).
     * @param reconcileTimeMs the run's time, ms since the epoch.
     * @return the plan.
     * @throws SQLException           if the database cannot be read.
     * @throws ExchangeInputException naming the record and field of a value the journal cannot hold.
     */
    public static Plan plan(final ExchangeView exchange, final ReconcileReport report, final LocalRecords local,
        final JournalTail tail, final long reconcileTimeMs) throws SQLException
    {
        if (reconcileTimeMs < 0 || reconcileTimeMs > EventRules.MAX_EPOCH_MS)
        {
            throw new IllegalArgumentException("reconcileTimeMs must be a time since the epoch, was " +
                reconcileTimeMs);
        }
        final Plan plan = new Plan(reconcileTimeMs);
        final List<String> orderIds = new ArrayList<>();
        for (final Difference difference : report.differences())
        {
            if (null != difference.fill() && null != difference.fill().orderId())
            {
                orderIds.add(difference.fill().orderId());
            }
            if (null != difference.order())
            {
                orderIds.add(difference.order().id());
            }
        }
        final Map<String, LocalOrder> orders = local.orders(exchange.exchange(), orderIds);
        for (final Difference difference : report.differences())
        {
            switch (difference.kind())
            {
                case MISSING_FILL -> fill(exchange.exchange(), difference.fill(), orders, tail, plan);
                case CLOSED_ON_EXCHANGE, DIFFERING_ORDER, NEVER_JOURNALED ->
                    order(exchange.exchange(), difference, orders.get(difference.id()), tail, plan);
                case DIFFERING_BALANCE, MISSING_BALANCE -> balance(exchange, difference, tail, plan);
                default -> plan.skip(new Action(difference.kind().label(), difference.id(), "reported, never " +
                    "repaired: " + (Difference.Kind.DIFFERING_FILL == difference.kind() ?
                    "TradeState has the fill (the ledger counts a fill id once)" :
                    "the exchange says nothing about it")));
            }
        }
        return plan;
    }

    private static void fill(final String exchange, final ExchangeFill fill, final Map<String, LocalOrder> orders,
        final JournalTail tail, final Plan plan)
    {
        if (tail.holdsFill(fill.id()))
        {
            plan.skip(new Action("missing fill", fill.id(), "already in the journal after the checkpoint"));
            return;
        }
        final String where = null == fill.origin() ? "fill " + fill.id() : fill.origin();
        if (null == fill.orderId())
        {
            throw new ExchangeInputException(where, "order is missing: a Fill needs its order id");
        }
        final long[] price = decimal(where, "price", fill.price());
        final long[] amount = decimal(where, "amount", fill.amount());
        final long[] feeCost = null == fill.feeCost() || null == fill.feeCurrency() ? null :
            decimal(where, "fee.cost", fill.feeCost());
        final LocalOrder order = orders.get(fill.orderId());
        final Long tradeId = null == order ? null : order.tradeId();
        final long time = plan.reconcileTimeMs;
        final Consumer<TradeJournal> writer = (journal) ->
        {
            final FillEvent event = journal.fill().exchange(exchange).symbol(fill.symbol()).fillId(fill.id())
                .orderId(fill.orderId()).side(side(fill.side())).price(price[0], (int)price[1])
                .amount(amount[0], (int)amount[1]).origin(EventOrigin.RECONCILIATION).reconcileTimeMs(time);
            if (null != fill.timestampMs())
            {
                event.exchangeTimeMs(fill.timestampMs());
            }
            if (null != tradeId)
            {
                event.tradeId(tradeId);
            }
            if (null != fill.takerOrMaker())
            {
                event.liquidity("maker".equals(fill.takerOrMaker()) ? Liquidity.MAKER : Liquidity.TAKER);
            }
            if (null != feeCost)
            {
                event.feeCost(feeCost[0], (int)feeCost[1]).feeCurrency(fill.feeCurrency());
            }
            event.commit();
        };
        plan.append(new Action("Fill", fill.id(), "fill " + fill.id() + " of order " + fill.orderId() + ": " +
            fill.side() + " " + fill.amount().toPlainString() + " " + fill.symbol() + " at " +
            fill.price().toPlainString()), writer);
    }

    private static void order(final String exchange, final Difference difference, final LocalOrder mine,
        final JournalTail tail, final Plan plan)
    {
        final ExchangeOrder order = difference.order();
        final String where = null == order.origin() ? "order " + order.id() : order.origin();
        final BigDecimal amount = null != order.amount() ? order.amount() : null == mine ? null : mine.amount();
        final BigDecimal filled = null != order.filled() ? order.filled() : null == mine ? null : mine.filled();
        final BigDecimal average = null != order.average() && 0 != order.average().signum() ? order.average() :
            null == mine ? null : mine.average();
        final BigDecimal price = null != order.price() ? order.price() : null == mine ? null : mine.price();
        if (null == amount)
        {
            throw new ExchangeInputException(where, "amount is missing: an OrderUpdate needs it");
        }
        final String status = status(order, filled, mine, where);
        final String type = null != mine ? mine.orderType() : orderTypeName(order.type(), where);
        final long[] amountValue = decimal(where, "amount", amount);
        final long[] filledValue = null == filled ? null : decimal(where, "filled", filled);
        final long[] averageValue = null == average ? null : decimal(where, "average", average);
        final long[] priceValue = null == price ? null : decimal(where, "price", price);
        final long[] feeValue = null == order.feeCost() || null == order.feeCurrency() ? null :
            decimal(where, "fee.cost", order.feeCost());
        final Long exchangeTimeMs = null != order.lastUpdateMs() ? order.lastUpdateMs() : order.timestampMs();

        final JournalTail.OrderState pending = tail.order(order.id());
        if (null != pending && status.equals(pending.status()) && same(amount, pending.amount()) &&
            same(filled, pending.filled()) && same(average, pending.average()))
        {
            plan.skip(new Action(difference.kind().label(), order.id(), "already in the journal after the " +
                "checkpoint"));
            return;
        }
        if (null != mine && rank(status) == rank(mine.status()) &&
            (null == exchangeTimeMs || exchangeTimeMs <= mine.timeMs()))
        {
            plan.skip(new Action(difference.kind().label(), order.id(), "not repaired: TradeState's last update (" +
                mine.timeMs() + " ms) is not older than the exchange's" + (null == exchangeTimeMs ? " (none)" :
                " (" + exchangeTimeMs + " ms)") + ", so an update would not win"));
            return;
        }

        final OrderType orderType = OrderType.valueOf(type.toUpperCase(Locale.ROOT));
        final TimeInForce timeInForce = null == mine || null == mine.timeInForce() ? null :
            TimeInForce.valueOf(mine.timeInForce());
        final Long tradeId = null == mine ? null : mine.tradeId();
        final OrderStatus orderStatus = OrderStatus.valueOf(status.toUpperCase(Locale.ROOT));
        final long time = plan.reconcileTimeMs;
        final Consumer<TradeJournal> writer = (journal) ->
        {
            final OrderUpdateEvent event = journal.orderUpdate().exchange(exchange).symbol(order.symbol())
                .orderId(order.id()).side(side(order.side())).orderType(orderType).status(orderStatus)
                .amount(amountValue[0], (int)amountValue[1]).origin(EventOrigin.RECONCILIATION)
                .reconcileTimeMs(time);
            if (null != order.clientOrderId())
            {
                event.clientOrderId(order.clientOrderId());
            }
            if (null != exchangeTimeMs)
            {
                event.exchangeTimeMs(exchangeTimeMs);
            }
            if (null != timeInForce)
            {
                event.timeInForce(timeInForce);
            }
            if (null != tradeId)
            {
                event.tradeId(tradeId);
            }
            if (null != priceValue)
            {
                event.price(priceValue[0], (int)priceValue[1]);
            }
            if (null != filledValue)
            {
                event.filled(filledValue[0], (int)filledValue[1]);
            }
            if (null != averageValue)
            {
                event.average(averageValue[0], (int)averageValue[1]);
            }
            if (null != feeValue)
            {
                event.feeCost(feeValue[0], (int)feeValue[1]).feeCurrency(order.feeCurrency());
            }
            event.commit();
        };
        plan.append(new Action("OrderUpdate", order.id(), "order " + order.id() + " (" + order.symbol() + "): " +
            status + ", amount " + amount.toPlainString() + (null == filled ? "" : ", filled " +
            filled.toPlainString()) + (null == average ? "" : ", average " + average.toPlainString())), writer);
    }

    private static void balance(final ExchangeView exchange, final Difference difference, final JournalTail tail,
        final Plan plan)
    {
        final String asset = difference.id();
        ExchangeBalance balance = null;
        for (final ExchangeBalance candidate : exchange.balances())
        {
            if (asset.equals(candidate.asset()))
            {
                balance = candidate;
            }
        }
        final ExchangeBalance found = balance;
        final String where = null == found.origin() ? "balance " + asset : found.origin();
        final JournalTail.BalanceState pending = tail.balance(asset);
        if (null != pending && same(found.total(), pending.total()) &&
            (null == found.free() || same(found.free(), pending.free())) &&
            (null == found.used() || same(found.used(), pending.used())))
        {
            plan.skip(new Action(difference.kind().label(), asset, "already in the journal after the checkpoint"));
            return;
        }
        final long[] total = decimal(where, "total." + asset, found.total());
        final long[] free = null == found.free() ? null : decimal(where, "free." + asset, found.free());
        final long[] used = null == found.used() ? null : decimal(where, "used." + asset, found.used());
        final long time = plan.reconcileTimeMs;
        final Consumer<TradeJournal> writer = (journal) ->
        {
            final BalanceUpdateEvent event = journal.balanceUpdate().exchange(exchange.exchange()).asset(asset)
                .total(total[0], (int)total[1]).origin(EventOrigin.RECONCILIATION).reconcileTimeMs(time);
            if (null != free)
            {
                event.free(free[0], (int)free[1]);
            }
            if (null != used)
            {
                event.used(used[0], (int)used[1]);
            }
            event.commit();
        };
        plan.append(new Action("BalanceUpdate", asset, "balance " + asset + ": total " +
            found.total().toPlainString() + (null == found.free() ? "" : ", free " + found.free().toPlainString()) +
            (null == found.used() ? "" : ", used " + found.used().toPlainString())), writer);
    }

    /**
     * The journal's status for the exchange's: CCXT's {@code open} is {@code partially_filled} once something has
     * filled; a status the exchange did not give is TradeState's.
     */
    private static String status(final ExchangeOrder order, final BigDecimal filled, final LocalOrder mine,
        final String where)
    {
        if (null == order.status())
        {
            if (null == mine)
            {
                throw new ExchangeInputException(where, "status is missing: an order never journaled needs it");
            }
            return mine.status();
        }
        if ("open".equals(order.status()))
        {
            return null != filled && filled.signum() > 0 ? "partially_filled" : "open";
        }
        return order.status();
    }

    private static String orderTypeName(final String type, final String where)
    {
        if (null != type)
        {
            final String name = type.toLowerCase(Locale.ROOT);
            for (final OrderType value : OrderType.values())
            {
                if (OrderType.NULL_VAL != value && value.name().toLowerCase(Locale.ROOT).equals(name))
                {
                    return name;
                }
            }
        }
        throw new ExchangeInputException(where, "type " + (null == type ? "is missing" : "'" + type +
            "' is no journal order type") + ": an order never journaled needs one of market, limit, stop_market, " +
            "stop_limit, take_profit_market, take_profit_limit, trailing_stop, liquidation");
    }

    private static int rank(final String status)
    {
        return "open".equals(status) ? 0 : "partially_filled".equals(status) ? 1 : 2;
    }

    private static Side side(final String side)
    {
        return "buy".equals(side) ? Side.BUY : Side.SELL;
    }

    private static boolean same(final BigDecimal a, final BigDecimal b)
    {
        return null == a ? null == b : null != b && 0 == a.compareTo(b);
    }

    /**
     * A decimal as the journal holds it, {@code {mantissa, exponent}}, exactly: the scale kept unless it must
     * change to fit, and then only without rounding.
     */
    static long[] decimal(final String where, final String field, final BigDecimal value)
    {
        BigDecimal fitted = value;
        if (!fits(fitted))
        {
            fitted = value.stripTrailingZeros();
            if (-fitted.scale() > EventRules.MAX_EXPONENT)
            {
                fitted = fitted.setScale(-EventRules.MAX_EXPONENT);
            }
        }
        if (!fits(fitted))
        {
            throw new ExchangeInputException(where, field + " " + value.toPlainString() + " is outside the " +
                "journal's range (a 64-bit mantissa, an exponent in [" + EventRules.MIN_EXPONENT + ", " +
                EventRules.MAX_EXPONENT + "])");
        }
        return new long[] { fitted.unscaledValue().longValue(), -fitted.scale() };
    }

    private static boolean fits(final BigDecimal value)
    {
        final int exponent = -value.scale();
        final BigInteger unscaled = value.unscaledValue();
        return exponent >= EventRules.MIN_EXPONENT && exponent <= EventRules.MAX_EXPONENT &&
            unscaled.bitLength() < Long.SIZE && unscaled.longValue() != Long.MIN_VALUE;
    }
}
