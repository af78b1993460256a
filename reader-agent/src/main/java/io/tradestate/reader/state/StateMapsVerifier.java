package io.tradestate.reader.state;

import io.tradestate.codecs.LockSide;
import io.tradestate.writer.state.BalanceEntry;
import io.tradestate.writer.state.OrderEntry;
import io.tradestate.writer.state.PairLockEntry;
import io.tradestate.writer.state.StateEntry;
import io.tradestate.writer.state.StateEntryList;
import io.tradestate.state.StateLayout;
import io.tradestate.writer.state.TradeEntry;
import io.tradestate.writer.state.TradeStateView;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Compares the state maps with the database's current-state tables: every order, trade and balance row must be in
 * the maps as of the same event (same source and queue index), except closed orders and trades older than the
 * retention, which may have left; the maps must hold no open order, open trade or balance the tables do not; and the
 * running pair locks must be the same on both sides (per source, pair and side, the maps keep the
 * {@link StateLayout#LOCK_SLOTS} that end last). Meant for a quiet moment: the agent drained and caught up.
 */
public final class StateMapsVerifier
{
    private static final int MAX_REPORTED = 20;

    private StateMapsVerifier()
    {
    }

    /**
     * Compare.
     *
     * @param view              open on the agent's state folder.
     * @param connection        to the agent's database.
     * @param closedRetentionMs the agent's {@code state.closed.retention.ms}.
     * @param nowMs             the time at which running pair locks are compared.
     * @return the differences found, empty if none.
     * @throws SQLException if the tables cannot be read.
     */
    public static List<String> differences(
        final TradeStateView view, final Connection connection, final long closedRetentionMs, final long nowMs)
        throws SQLException
    {
        final List<String> differences = new ArrayList<>();
        final long retainedFromMs = nowMs - closedRetentionMs;
        final OrderEntry order = new OrderEntry();
        int openOrders = 0;
        try (PreparedStatement statement = connection.prepareStatement("SELECT exchange, order_id, source_id, " +
            "queue_index, status IN ('open', 'partially_filled'), (extract(epoch FROM append_time) * 1000)::bigint " +
            "FROM orders");
            ResultSet rows = statement.executeQuery())
        {
            while (rows.next())
            {
                final boolean open = rows.getBoolean(5);
                openOrders += open ? 1 : 0;
                final int found = view.order(rows.getString(1), rows.getString(2), order);
                compare(differences, "order " + rows.getString(1) + "/" + rows.getString(2), found, order,
                    rows.getString(3), rows.getLong(4), open || rows.getLong(6) >= retainedFromMs + 1_000);
            }
        }
        final int listedOrders = view.openOrders(null, new StateEntryList<>(OrderEntry::new));
        if (listedOrders != openOrders)
        {
            add(differences, "open orders: " + openOrders + " in the table, " + listedOrders + " in the map");
        }

        final TradeEntry trade = new TradeEntry();
        int openTrades = 0;
        try (PreparedStatement statement = connection.prepareStatement("SELECT source_id, trade_id, queue_index, " +
            "is_open, (extract(epoch FROM append_time) * 1000)::bigint FROM trades");
            ResultSet rows = statement.executeQuery())
        {
            while (rows.next())
            {
                final boolean open = rows.getBoolean(4);
                openTrades += open ? 1 : 0;
                final int found = view.trade(rows.getString(1), rows.getLong(2), trade);
                compare(differences, "trade " + rows.getString(1) + "/" + rows.getLong(2), found, trade,
                    rows.getString(1), rows.getLong(3), open || rows.getLong(5) >= retainedFromMs + 1_000);
            }
        }
        final int listedTrades = view.openTrades(null, new StateEntryList<>(TradeEntry::new));
        if (listedTrades != openTrades)
        {
            add(differences, "open trades: " + openTrades + " in the table, " + listedTrades + " in the map");
        }

        final BalanceEntry balance = new BalanceEntry();
        int balances = 0;
        try (PreparedStatement statement = connection.prepareStatement(
            "SELECT exchange, asset, source_id, queue_index FROM balances");
            ResultSet rows = statement.executeQuery())
        {
            while (rows.next())
            {
                balances++;
                final int found = view.balance(rows.getString(1), rows.getString(2), balance);
                compare(differences, "balance " + rows.getString(1) + "/" + rows.getString(2), found, balance,
                    rows.getString(3), rows.getLong(4), true);
            }
        }
        final int listedBalances = view.balances(new StateEntryList<>(BalanceEntry::new));
        if (listedBalances != balances)
        {
            add(differences, "balances: " + balances + " in the table, " + listedBalances + " in the map");
        }

        comparePairLocks(differences, view, connection, nowMs);
        return differences;
    }

    private static void comparePairLocks(
        final List<String> differences, final TradeStateView view, final Connection connection, final long nowMs)
        throws SQLException
    {
        final StateEntryList<PairLockEntry> locks = new StateEntryList<>(PairLockEntry::new);
        if (TradeStateView.UNAVAILABLE == view.activePairLocks(null, nowMs, locks))
        {
            add(differences, "pair locks: the map is unavailable");
            return;
        }
        final List<String> inMaps = new ArrayList<>();
        for (int i = 0; i < locks.size(); i++)
        {
            final PairLockEntry entry = locks.get(i);
            final String key = sourceOfLockKey(entry);
            for (int slot = 0; slot < entry.lockCount(); slot++)
            {
                if (entry.lockEndTimeMs(slot) > nowMs)
                {
                    inMaps.add(key + " " + entry.lockSourceId(slot, new StringBuilder()) + " " +
                        entry.pair(new StringBuilder()) + " " + sideText(entry.side()) + " " +
                        entry.lockQueueIndex(slot));
                }
            }
        }
        // The map keeps at most LOCK_SLOTS running locks per key (a source's own, or those for all sources), pair and
        // side: those that end last, then of the lowest source id and index.
        final List<String> inTable = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT key, source_id, pair, side, " +
            "queue_index FROM (SELECT k.*, row_number() OVER (PARTITION BY key, pair, side ORDER BY lock_end_time " +
            "DESC, source_id, queue_index) AS rank FROM (SELECT *, CASE WHEN all_sources THEN '" +
            StateLayout.ALL_SOURCES + "' ELSE source_id END AS key FROM pair_locks WHERE active AND lock_end_time > " +
            "to_timestamp(? / 1000.0)) AS k) AS l WHERE rank <= ?"))
        {
            statement.setLong(1, nowMs);
            statement.setInt(2, StateLayout.LOCK_SLOTS);
            try (ResultSet rows = statement.executeQuery())
            {
                while (rows.next())
                {
                    inTable.add(rows.getString(1) + " " + rows.getString(2) + " " + rows.getString(3) + " " +
                        rows.getString(4) + " " + rows.getLong(5));
                }
            }
        }
        for (final String lock : inTable)
        {
            if (!inMaps.contains(lock))
            {
                add(differences, "running pair lock missing from the map: " + lock);
            }
        }
        for (final String lock : inMaps)
        {
            if (!inTable.contains(lock))
            {
                add(differences, "running pair lock in the map but not in the table: " + lock);
            }
        }
    }

    private static void compare(
        final List<String> differences, final String what, final int found, final StateEntry entry,
        final String sourceId, final long queueIndex, final boolean mustBePresent)
    {
        if (TradeStateView.UNAVAILABLE == found)
        {
            add(differences, what + ": the map is unavailable");
        }
        else if (TradeStateView.NOT_FOUND == found)
        {
            if (mustBePresent)
            {
                add(differences, what + ": in the table (" + sourceId + " index " + Long.toHexString(queueIndex) +
                    ") but not in the map");
            }
        }
        else if (!entry.sourceIdEquals(sourceId) || entry.queueIndex() != queueIndex)
        {
            add(differences, what + ": the table has " + sourceId + " index " + Long.toHexString(queueIndex) +
                ", the map " + entry.sourceId() + " index " + Long.toHexString(entry.queueIndex()));
        }
    }

    private static String sourceOfLockKey(final PairLockEntry entry)
    {
        final StringBuilder source = new StringBuilder();
        for (int i = 0; i < StateLayout.SOURCE_ID_LENGTH; i++)
        {
            final byte b = entry.keyBuffer().getByte(i);
            if (0 == b)
            {
                break;
            }
            source.append((char)b);
        }
        return source.toString();
    }

    private static String sideText(final LockSide side)
    {
        return LockSide.ANY == side ? "*" : side.name().toLowerCase(java.util.Locale.ROOT);
    }

    private static void add(final List<String> differences, final String difference)
    {
        if (differences.size() < MAX_REPORTED)
        {
            differences.add(difference);
        }
        else if (differences.size() == MAX_REPORTED)
        {
            differences.add("... more differences not listed");
        }
    }
}
