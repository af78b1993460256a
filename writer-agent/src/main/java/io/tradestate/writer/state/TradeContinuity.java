package io.tradestate.writer.state;

import io.tradestate.codecs.BooleanType;
import io.tradestate.codecs.DecimalDecoder;
import io.tradestate.codecs.LockSide;
import io.tradestate.codecs.OrderStatus;
import io.tradestate.codecs.OrderType;
import io.tradestate.codecs.OrderUpdateDecoder;
import io.tradestate.codecs.Side;
import io.tradestate.codecs.TimeInForce;
import io.tradestate.codecs.TradeUpdateDecoder;
import io.tradestate.codecs.TradingMode;
import io.tradestate.state.StateLayout;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Trade continuity: a restarted strategy gets back its open trades, its open orders and the pair locks that hold
 * for it (its own and those any source took for all sources), in one call, from the state maps (microseconds, the
 * normal case) or from PostgreSQL (after the host, and with it the maps, was lost). Both return the same
 * {@link StrategySnapshot} for the same state: the maps hold each entry's last update as appended and the tables
 * the same values, exact.
 * <pre>{@code
 * StrategySnapshot restored = TradeContinuity.fromView(view, "momentum-1", System.currentTimeMillis());
 * // or, with a connection to the agent's database (any JDBC driver for PostgreSQL on the class path):
 * StrategySnapshot restored = TradeContinuity.fromDatabase(connection, "momentum-1", System.currentTimeMillis());
 * }</pre>
 * This is a start-up path: it allocates freely. Lock reasons longer than the maps keep (60 bytes) are cut the same
 * way from the database, and of more than {@link StateLayout#LOCK_SLOTS} running locks on one pair and side both
 * return the ones that end last, so that both sides compare equal (a pair is locked all the same).
 */
public final class TradeContinuity
{
    private static final String TRADES = "SELECT trade_id, strategy, exchange, pair, stake_currency, is_short, " +
        "is_trailing_stop, trading_mode, leverage, open_rate, amount, stake_amount, stop_loss, stop_loss_pct, " +
        "initial_stop_loss, initial_stop_loss_pct, max_rate, min_rate, liquidation_price, interest_rate, " +
        "funding_fees, fee_open, realized_profit, (extract(epoch FROM open_time) * 1000)::bigint, enter_tag, " +
        "queue_index FROM trades WHERE source_id = ? AND is_open";

    private static final String ORDERS = "SELECT exchange, order_id, client_order_id, trade_id, symbol, side, " +
        "order_type, time_in_force, status, reduce_only, price, stop_price, amount, filled, remaining, average, " +
        "cost, fee_cost, fee_currency, leverage, (extract(epoch FROM exchange_time) * 1000)::bigint, queue_index " +
        "FROM orders WHERE source_id = ? AND status IN ('open', 'partially_filled')";

    /**
     * The locks that hold, per pair and side the {@link StateLayout#LOCK_SLOTS} that end last, as the maps keep them:
     * the source's own per pair and side, and those for all sources per pair and side whoever took them.
     */
    private static final String LOCKS = "SELECT pair, side, (extract(epoch FROM lock_time) * 1000)::bigint, " +
        "(extract(epoch FROM lock_end_time) * 1000)::bigint, reason, queue_index, source_id, all_sources " +
        "FROM (SELECT *, row_number() OVER (PARTITION BY all_sources, pair, side " +
        "ORDER BY lock_end_time DESC, source_id, queue_index) AS rank FROM pair_locks " +
        "WHERE (source_id = ? OR all_sources) AND active AND lock_end_time > ?) AS l WHERE rank <= " +
        StateLayout.LOCK_SLOTS + " AND lock_time <= ?";

    private TradeContinuity()
    {
    }

    /**
     * Restore from the state maps.
     *
     * @param view     open on the agent's state folder.
     * @param sourceId the strategy's journal.
     * @param nowMs    time at which locks must hold.
     * @return the snapshot.
     * @throws IllegalStateException if the maps are unavailable (no generation, or a dead one).
     */
    public static StrategySnapshot fromView(final TradeStateView view, final String sourceId, final long nowMs)
    {
        final StateEntryList<TradeEntry> trades = new StateEntryList<>(TradeEntry::new);
        final StateEntryList<OrderEntry> orders = new StateEntryList<>(OrderEntry::new);
        final StateEntryList<PairLockEntry> locks = new StateEntryList<>(PairLockEntry::new);
        if (TradeStateView.UNAVAILABLE == view.openTrades(sourceId, trades) ||
            TradeStateView.UNAVAILABLE == view.openOrders(sourceId, orders) ||
            TradeStateView.UNAVAILABLE == view.activePairLocks(sourceId, nowMs, locks))
        {
            throw new IllegalStateException("the state maps are unavailable: restore from the database");
        }

        final List<TradeSnapshot> openTrades = new ArrayList<>();
        for (int i = 0; i < trades.size(); i++)
        {
            openTrades.add(trade(trades.get(i)));
        }
        final List<OrderSnapshot> openOrders = new ArrayList<>();
        for (int i = 0; i < orders.size(); i++)
        {
            openOrders.add(order(orders.get(i)));
        }
        final List<PairLockSnapshot> activeLocks = new ArrayList<>();
        for (int i = 0; i < locks.size(); i++)
        {
            final PairLockEntry entry = locks.get(i);
            final String pair = entry.pair(new StringBuilder()).toString();
            for (int slot = 0; slot < entry.lockCount(); slot++)
            {
                if (entry.lockTimeMs(slot) <= nowMs && entry.lockEndTimeMs(slot) > nowMs)
                {
                    activeLocks.add(new PairLockSnapshot(pair, entry.side(), entry.lockTimeMs(slot),
                        entry.lockEndTimeMs(slot), entry.reason(slot), entry.lockQueueIndex(slot),
                        entry.lockSourceId(slot, new StringBuilder()).toString(), entry.isForAllSources()));
                }
            }
        }
        return sorted(sourceId, openTrades, openOrders, activeLocks);
    }

    /**
     * Restore from the database's current-state tables.
     *
     * @param connection to the agent's database.
     * @param sourceId   the strategy's journal.
     * @param nowMs      time at which locks must hold.
     * @return the snapshot.
     * @throws SQLException if the tables cannot be read.
     */
    public static StrategySnapshot fromDatabase(final Connection connection, final String sourceId, final long nowMs)
        throws SQLException
    {
        final List<TradeSnapshot> openTrades = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(TRADES))
        {
            statement.setString(1, sourceId);
            try (ResultSet rows = statement.executeQuery())
            {
                while (rows.next())
                {
                    openTrades.add(new TradeSnapshot(rows.getLong(1), rows.getString(2), rows.getString(3),
                        rows.getString(4), rows.getString(5), rows.getBoolean(6), rows.getBoolean(7),
                        TradingMode.valueOf(rows.getString(8).toUpperCase(Locale.ROOT)), rows.getBigDecimal(9),
                        rows.getBigDecimal(10), rows.getBigDecimal(11), rows.getBigDecimal(12),
                        rows.getBigDecimal(13), rows.getBigDecimal(14), rows.getBigDecimal(15),
                        rows.getBigDecimal(16), rows.getBigDecimal(17), rows.getBigDecimal(18),
                        rows.getBigDecimal(19), rows.getBigDecimal(20), rows.getBigDecimal(21),
                        rows.getBigDecimal(22), rows.getBigDecimal(23), rows.getLong(24), text(rows.getString(25)),
                        rows.getLong(26)));
                }
            }
        }

        final List<OrderSnapshot> openOrders = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(ORDERS))
        {
            statement.setString(1, sourceId);
            try (ResultSet rows = statement.executeQuery())
            {
                while (rows.next())
                {
                    final long tradeId = rows.getLong(4);
                    final Long trade = rows.wasNull() ? null : tradeId;
                    final String timeInForce = rows.getString(8);
                    final long exchangeTimeMs = rows.getLong(21);
                    final Long exchangeTime = rows.wasNull() ? null : exchangeTimeMs;
                    openOrders.add(new OrderSnapshot(rows.getString(1), rows.getString(2), rows.getString(3), trade,
                        rows.getString(5), Side.valueOf(upper(rows.getString(6))),
                        OrderType.valueOf(upper(rows.getString(7))),
                        null == timeInForce ? null : TimeInForce.valueOf(upper(timeInForce)),
                        OrderStatus.valueOf(upper(rows.getString(9))), rows.getBoolean(10), rows.getBigDecimal(11),
                        rows.getBigDecimal(12), rows.getBigDecimal(13), rows.getBigDecimal(14),
                        rows.getBigDecimal(15), rows.getBigDecimal(16), rows.getBigDecimal(17),
                        rows.getBigDecimal(18), rows.getString(19), rows.getBigDecimal(20), exchangeTime,
                        rows.getLong(22)));
                }
            }
        }

        final List<PairLockSnapshot> activeLocks = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(LOCKS))
        {
            final Timestamp now = new Timestamp(nowMs);
            statement.setString(1, sourceId);
            statement.setTimestamp(2, now);
            statement.setTimestamp(3, now);
            try (ResultSet rows = statement.executeQuery())
            {
                while (rows.next())
                {
                    final String side = rows.getString(2);
                    activeLocks.add(new PairLockSnapshot(rows.getString(1),
                        "*".equals(side) ? LockSide.ANY : LockSide.valueOf(upper(side)), rows.getLong(3),
                        rows.getLong(4), asInMaps(text(rows.getString(5))), rows.getLong(6), rows.getString(7),
                        rows.getBoolean(8)));
                }
            }
        }
        return sorted(sourceId, openTrades, openOrders, activeLocks);
    }

    private static TradeSnapshot trade(final TradeEntry entry)
    {
        final TradeUpdateDecoder d = entry.decoder();
        final long tradeId = d.tradeId();
        final String strategy = d.strategy();
        final String exchange = d.exchange();
        final String pair = d.pair();
        final String stakeCurrency = emptyToNull(d.stakeCurrency());
        final boolean isShort = BooleanType.TRUE == d.isShort();
        final boolean isTrailingStop = BooleanType.TRUE == d.isTrailingStop();
        final TradingMode tradingMode = d.tradingMode();
        final BigDecimal leverage = decimal(d.leverage());
        final BigDecimal openRate = decimal(d.openRate());
        final BigDecimal amount = decimal(d.amount());
        final BigDecimal stakeAmount = decimal(d.stakeAmount());
        final BigDecimal stopLoss = decimal(d.stopLoss());
        final BigDecimal stopLossPct = decimal(d.stopLossPct());
        final BigDecimal initialStopLoss = decimal(d.initialStopLoss());
        final BigDecimal initialStopLossPct = decimal(d.initialStopLossPct());
        final BigDecimal maxRate = decimal(d.maxRate());
        final BigDecimal minRate = decimal(d.minRate());
        final BigDecimal liquidationPrice = decimal(d.liquidationPrice());
        final BigDecimal interestRate = decimal(d.interestRate());
        final BigDecimal fundingFees = decimal(d.fundingFees());
        final BigDecimal feeOpen = decimal(d.feeOpen());
        final BigDecimal realizedProfit = decimal(d.realizedProfit());
        final long openTimeMs = d.openTimeMs();
        d.skipExitReason();
        final String enterTag = d.enterTag();
        return new TradeSnapshot(tradeId, strategy, exchange, pair, stakeCurrency, isShort, isTrailingStop,
            tradingMode, leverage, openRate, amount, stakeAmount, stopLoss, stopLossPct, initialStopLoss,
            initialStopLossPct, maxRate, minRate, liquidationPrice, interestRate, fundingFees, feeOpen,
            realizedProfit, openTimeMs, enterTag, entry.queueIndex());
    }

    private static OrderSnapshot order(final OrderEntry entry)
    {
        final OrderUpdateDecoder d = entry.decoder();
        final long tradeId = d.tradeId();
        final long exchangeTimeMs = d.exchangeTimeMs();
        final TimeInForce timeInForce = d.timeInForce();
        return new OrderSnapshot(d.exchange(), d.orderId(), emptyToNull(d.clientOrderId()),
            OrderUpdateDecoder.tradeIdNullValue() == tradeId ? null : tradeId, d.symbol(), d.side(), d.orderType(),
            TimeInForce.NULL_VAL == timeInForce ? null : timeInForce, d.status(), BooleanType.TRUE == d.reduceOnly(),
            decimal(d.price()), decimal(d.stopPrice()), decimal(d.amount()), decimal(d.filled()),
            decimal(d.remaining()), decimal(d.average()), decimal(d.cost()), decimal(d.feeCost()),
            emptyToNull(d.feeCurrency()), decimal(d.leverage()),
            OrderUpdateDecoder.exchangeTimeMsNullValue() == exchangeTimeMs ? null : exchangeTimeMs,
            entry.queueIndex());
    }

    /**
     * The decimal as PostgreSQL's {@code NUMERIC} holds it: the mantissa at scale {@code -exponent}, or, for a
     * positive exponent, the integer at scale 0.
     */
    static BigDecimal decimal(final DecimalDecoder decimal)
    {
        final long mantissa = decimal.mantissa();
        if (DecimalDecoder.mantissaNullValue() == mantissa)
        {
            return null;
        }
        final int exponent = decimal.exponent();
        return exponent <= 0 ? BigDecimal.valueOf(mantissa, -exponent) :
            new BigDecimal(BigInteger.valueOf(mantissa).multiply(BigInteger.TEN.pow(exponent)));
    }

    private static StrategySnapshot sorted(
        final String sourceId, final List<TradeSnapshot> trades, final List<OrderSnapshot> orders,
        final List<PairLockSnapshot> locks)
    {
        trades.sort(Comparator.comparingLong(TradeSnapshot::tradeId));
        orders.sort(Comparator.comparing(OrderSnapshot::exchange).thenComparing(OrderSnapshot::orderId));
        locks.sort(Comparator.comparing(PairLockSnapshot::pair).thenComparing(PairLockSnapshot::side)
            .thenComparing(PairLockSnapshot::allSources).thenComparing(PairLockSnapshot::sourceId)
            .thenComparingLong(PairLockSnapshot::queueIndex));
        return new StrategySnapshot(sourceId, List.copyOf(trades), List.copyOf(orders), List.copyOf(locks));
    }

    private static String asInMaps(final String reason)
    {
        final byte[] bytes = reason.getBytes(StandardCharsets.UTF_8);
        return bytes.length <= StateLayout.SLOT_REASON_CAPACITY ? reason :
            new String(bytes, 0, StateLayout.SLOT_REASON_CAPACITY, StandardCharsets.UTF_8);
    }

    private static String emptyToNull(final String text)
    {
        return null == text || text.isEmpty() ? null : text;
    }

    private static String text(final String text)
    {
        return null == text ? "" : text;
    }

    private static String upper(final String text)
    {
        return text.toUpperCase(Locale.ROOT);
    }
}
