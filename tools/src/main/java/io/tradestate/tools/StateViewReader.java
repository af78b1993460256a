package io.tradestate.tools;

import io.tradestate.codecs.BalanceUpdateDecoder;
import io.tradestate.codecs.DecimalDecoder;
import io.tradestate.codecs.OrderUpdateDecoder;
import io.tradestate.codecs.TradeUpdateDecoder;
import io.tradestate.codecs.event.JournalField;
import io.tradestate.codecs.event.JournalMessage;
import io.tradestate.writer.state.BalanceEntry;
import io.tradestate.writer.state.OrderEntry;
import io.tradestate.writer.state.PairLockEntry;
import io.tradestate.writer.state.StateEntryList;
import io.tradestate.state.StateLayout;
import io.tradestate.writer.state.TradeEntry;
import io.tradestate.writer.state.TradeStateView;

/**
 * Reads the sections {@code tradestate state} prints from a {@link TradeStateView}, through its listings: open
 * orders, open trades, running pair locks (one row per lock, a map entry holding up to
 * {@link StateLayout#LOCK_SLOTS} per source, pair and side) and balances.
 * <p>
 * Each value is read from the entry's copy of the event with the generated decoder (fixed-length fields only, in
 * any order, which SBE's field-order checks allow); decimals are written exact by {@link DecimalText}, enums by the
 * names the reader agent stores. A listing that answers {@link TradeStateView#UNAVAILABLE} fails the read.
 */
final class StateViewReader
{
    private static final JournalField ORDER_SIDE = JournalMessage.ORDER_UPDATE.field("side");
    private static final JournalField ORDER_TYPE = JournalMessage.ORDER_UPDATE.field("orderType");
    private static final JournalField ORDER_STATUS = JournalMessage.ORDER_UPDATE.field("status");
    private static final JournalField LOCK_SIDE = JournalMessage.PAIR_LOCK.field("side");

    private final TradeStateView view;
    private final StringBuilder scratch = new StringBuilder(64);

    StateViewReader(final TradeStateView view)
    {
        this.view = view;
    }

    /**
     * The state maps became unavailable during a listing (the agent died holding a lock).
     */
    static final class UnavailableException extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        UnavailableException(final String what)
        {
            super("the " + what + " map is unavailable");
        }
    }

    /**
     * The open and partially filled orders, by source, exchange and order id.
     *
     * @param sourceId the source, or null for every source.
     * @return the section.
     */
    StateTable openOrders(final String sourceId)
    {
        final StateTable table = new StateTable("open orders")
            .column("source", "source", StateTable.Kind.TEXT)
            .column("exchange", "exchange", StateTable.Kind.TEXT)
            .column("order id", "orderId", StateTable.Kind.TEXT)
            .column("symbol", "symbol", StateTable.Kind.TEXT)
            .column("side", "side", StateTable.Kind.TEXT)
            .column("type", "orderType", StateTable.Kind.TEXT)
            .column("status", "status", StateTable.Kind.TEXT)
            .column("price", "price", StateTable.Kind.DECIMAL)
            .column("amount", "amount", StateTable.Kind.DECIMAL)
            .column("filled", "filled", StateTable.Kind.DECIMAL)
            .column("remaining", "remaining", StateTable.Kind.DECIMAL)
            .column("trade id", "tradeId", StateTable.Kind.NUMBER)
            .column("last update", "updateTime", StateTable.Kind.TIME_NS)
            .column(null, "queueIndex", StateTable.Kind.NUMBER);
        final StateEntryList<OrderEntry> orders = new StateEntryList<>(OrderEntry::new);
        check(view.openOrders(sourceId, orders), "orders");
        for (int i = 0; i < orders.size(); i++)
        {
            final OrderEntry entry = orders.get(i);
            final OrderUpdateDecoder d = entry.decoder();
            table.row(
                entry.sourceId(),
                d.exchange(),
                d.orderId(),
                d.symbol(),
                name(d.sideRaw(), ORDER_SIDE),
                name(d.orderTypeRaw(), ORDER_TYPE),
                name(d.statusRaw(), ORDER_STATUS),
                decimal(d.price()),
                decimal(d.amount()),
                decimal(d.filled()),
                decimal(d.remaining()),
                number(d.tradeId(), OrderUpdateDecoder.tradeIdNullValue()),
                entry.appendTimeNs(),
                entry.queueIndex());
        }
        table.sort(3);
        return table;
    }

    /**
     * The open trades, by source and trade id.
     *
     * @param sourceId the source, or null for every source.
     * @return the section.
     */
    StateTable openTrades(final String sourceId)
    {
        final StateTable table = new StateTable("open trades")
            .column("source", "source", StateTable.Kind.TEXT)
            .column("trade id", "tradeId", StateTable.Kind.NUMBER)
            .column("strategy", "strategy", StateTable.Kind.TEXT)
            .column("pair", "pair", StateTable.Kind.TEXT)
            .column("short", "isShort", StateTable.Kind.BOOLEAN)
            .column("leverage", "leverage", StateTable.Kind.DECIMAL)
            .column("open rate", "openRate", StateTable.Kind.DECIMAL)
            .column("amount", "amount", StateTable.Kind.DECIMAL)
            .column("stake", "stakeAmount", StateTable.Kind.DECIMAL)
            .column("stop loss", "stopLoss", StateTable.Kind.DECIMAL)
            .column("max rate", "maxRate", StateTable.Kind.DECIMAL)
            .column("min rate", "minRate", StateTable.Kind.DECIMAL)
            .column("open time", "openTime", StateTable.Kind.TIME_MS)
            .column(null, "queueIndex", StateTable.Kind.NUMBER);
        final StateEntryList<TradeEntry> trades = new StateEntryList<>(TradeEntry::new);
        check(view.openTrades(sourceId, trades), "trades");
        for (int i = 0; i < trades.size(); i++)
        {
            final TradeEntry entry = trades.get(i);
            final TradeUpdateDecoder d = entry.decoder();
            table.row(
                entry.sourceId(),
                number(d.tradeId(), TradeUpdateDecoder.tradeIdNullValue()),
                d.strategy(),
                d.pair(),
                1 == d.isShortRaw(),
                decimal(d.leverage()),
                decimal(d.openRate()),
                decimal(d.amount()),
                decimal(d.stakeAmount()),
                decimal(d.stopLoss()),
                decimal(d.maxRate()),
                decimal(d.minRate()),
                number(d.openTimeMs(), TradeUpdateDecoder.openTimeMsNullValue()),
                entry.queueIndex());
        }
        table.sort(2);
        return table;
    }

    /**
     * The pair locks still running at a time, one row per lock, by source, pair, side and end: for a source, its own
     * and those any source took for all sources ({@code scope} {@code all}).
     *
     * @param sourceId the source, or null for every source.
     * @param atMs     the time, ms since the epoch.
     * @return the section.
     */
    StateTable activePairLocks(final String sourceId, final long atMs)
    {
        final StateTable table = new StateTable("active pair locks")
            .column("source", "source", StateTable.Kind.TEXT)
            .column("scope", "scope", StateTable.Kind.TEXT)
            .column("pair", "pair", StateTable.Kind.TEXT)
            .column("side", "side", StateTable.Kind.TEXT)
            .column("until", "lockEndTime", StateTable.Kind.TIME_MS)
            .column("since", "lockTime", StateTable.Kind.TIME_MS)
            .column("reason", "reason", StateTable.Kind.TEXT)
            .column(null, "reasonTruncated", StateTable.Kind.BOOLEAN)
            .column(null, "queueIndex", StateTable.Kind.NUMBER);
        final StateEntryList<PairLockEntry> locks = new StateEntryList<>(PairLockEntry::new);
        check(view.activePairLocks(sourceId, atMs, locks), "pair locks");
        for (int i = 0; i < locks.size(); i++)
        {
            final PairLockEntry entry = locks.get(i);
            final String scope = entry.isForAllSources() ? "all" : "source";
            scratch.setLength(0);
            final String pair = entry.pair(scratch).toString();
            final String side = LOCK_SIDE.enumName(entry.side().value());
            for (int slot = 0, count = entry.lockCount(); slot < count; slot++)
            {
                if (entry.lockEndTimeMs(slot) > atMs)
                {
                    final int reasonLength = entry.reasonLength(slot);
                    scratch.setLength(0);
                    table.row(
                        entry.lockSourceId(slot, scratch).toString(),
                        scope,
                        pair,
                        side,
                        entry.lockEndTimeMs(slot),
                        entry.lockTimeMs(slot),
                        0 == reasonLength ? null : entry.reason(slot),
                        reasonLength > StateLayout.SLOT_REASON_CAPACITY,
                        entry.lockQueueIndex(slot));
                }
            }
        }
        table.sort(5);
        return table;
    }

    /**
     * Every balance, by exchange and asset, with the source of its last update.
     *
     * @return the section.
     */
    StateTable balances()
    {
        final StateTable table = new StateTable("balances")
            .column("exchange", "exchange", StateTable.Kind.TEXT)
            .column("asset", "asset", StateTable.Kind.TEXT)
            .column("free", "free", StateTable.Kind.DECIMAL)
            .column("used", "used", StateTable.Kind.DECIMAL)
            .column("total", "total", StateTable.Kind.DECIMAL)
            .column("source", "source", StateTable.Kind.TEXT)
            .column("last update", "updateTime", StateTable.Kind.TIME_NS)
            .column(null, "queueIndex", StateTable.Kind.NUMBER);
        final StateEntryList<BalanceEntry> balances = new StateEntryList<>(BalanceEntry::new);
        check(view.balances(balances), "balances");
        for (int i = 0; i < balances.size(); i++)
        {
            final BalanceEntry entry = balances.get(i);
            final BalanceUpdateDecoder d = entry.decoder();
            table.row(
                d.exchange(),
                d.asset(),
                decimal(d.free()),
                decimal(d.used()),
                decimal(d.total()),
                entry.sourceId(),
                entry.appendTimeNs(),
                entry.queueIndex());
        }
        table.sort(2);
        return table;
    }

    private String decimal(final DecimalDecoder decimal)
    {
        final long mantissa = decimal.mantissa();
        if (DecimalDecoder.mantissaNullValue() == mantissa)
        {
            return null;
        }
        scratch.setLength(0);
        return DecimalText.append(scratch, mantissa, decimal.exponent()).toString();
    }

    private static Long number(final long value, final long nullValue)
    {
        return nullValue == value ? null : value;
    }

    private static String name(final short raw, final JournalField field)
    {
        return raw >= 0 && raw < field.enumValues() ? field.enumName(raw) : null;
    }

    private static void check(final int result, final String what)
    {
        if (TradeStateView.UNAVAILABLE == result)
        {
            throw new UnavailableException(what);
        }
    }
}
