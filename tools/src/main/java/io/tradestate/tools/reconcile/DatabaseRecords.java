package io.tradestate.tools.reconcile;

import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the reader agent's database holds: orders from the current-state table {@code orders} (the winning update
 * of each), fills from the history table {@code fills} (every one ever drained, the first appended of a fill id),
 * balances from {@code balances}. Numbers are read as PostgreSQL's text of the {@code NUMERIC}, so exactly.
 * <p>
 * The caller owns the connection; one read-only, repeatable-read transaction makes every query one snapshot.
 */
public final class DatabaseRecords implements LocalRecords
{
    private static final String ORDER_COLUMNS = "order_id, source_id, symbol, side, status, amount::text, " +
        "filled::text, average::text, floor(extract(epoch FROM coalesce(exchange_time, append_time)) * 1000)::bigint" +
        ", order_type, time_in_force, trade_id, price::text";

    private final Connection connection;
    private final String description;

    /**
     * Records read through a connection.
     *
     * @param connection  to the agent's database.
     * @param description what the report says is compared, such as the database's URL without a password.
     */
    public DatabaseRecords(final Connection connection, final String description)
    {
        this.connection = connection;
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
        throws SQLException
    {
        final Map<String, LocalOrder> orders = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT " + ORDER_COLUMNS +
            " FROM orders WHERE exchange = ? AND order_id = ANY (?)"))
        {
            final Array ids = connection.createArrayOf("text", orderIds.toArray());
            statement.setString(1, exchange);
            statement.setArray(2, ids);
            try (ResultSet rows = statement.executeQuery())
            {
                while (rows.next())
                {
                    final LocalOrder order = order(rows);
                    orders.put(order.orderId(), order);
                }
            }
        }
        return orders;
    }

    /**
     * {@inheritDoc}
     */
    public List<LocalOrder> openOrders(final String sourceId, final String exchange) throws SQLException
    {
        final List<LocalOrder> orders = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT " + ORDER_COLUMNS +
            " FROM orders WHERE source_id = ? AND exchange = ? AND status IN ('open', 'partially_filled') " +
            "ORDER BY order_id"))
        {
            statement.setString(1, sourceId);
            statement.setString(2, exchange);
            try (ResultSet rows = statement.executeQuery())
            {
                while (rows.next())
                {
                    orders.add(order(rows));
                }
            }
        }
        return orders;
    }

    /**
     * {@inheritDoc}
     */
    public boolean holdsClosedOrders()
    {
        return true;
    }

    /**
     * {@inheritDoc}
     */
    public boolean holdsFills()
    {
        return true;
    }

    /**
     * {@inheritDoc}
     */
    public Map<String, LocalFill> fills(final String exchange, final Collection<String> fillIds) throws SQLException
    {
        final Map<String, LocalFill> fills = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT DISTINCT ON (fill_id) fill_id, " +
            "order_id, source_id, symbol, side, price::text, amount::text, fee_cost::text, fee_currency FROM fills " +
            "WHERE exchange = ? AND fill_id = ANY (?) ORDER BY fill_id, append_time_ns, source_id, queue_index"))
        {
            statement.setString(1, exchange);
            statement.setArray(2, connection.createArrayOf("text", fillIds.toArray()));
            try (ResultSet rows = statement.executeQuery())
            {
                while (rows.next())
                {
                    fills.put(rows.getString(1), new LocalFill(rows.getString(1), rows.getString(2),
                        rows.getString(3), rows.getString(4), rows.getString(5), decimal(rows.getString(6)),
                        decimal(rows.getString(7)), decimal(rows.getString(8)), rows.getString(9)));
                }
            }
        }
        return fills;
    }

    /**
     * {@inheritDoc}
     */
    public Map<String, LocalBalance> balances(final String exchange) throws SQLException
    {
        final Map<String, LocalBalance> balances = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT asset, source_id, free::text, " +
            "used::text, total::text FROM balances WHERE exchange = ?"))
        {
            statement.setString(1, exchange);
            try (ResultSet rows = statement.executeQuery())
            {
                while (rows.next())
                {
                    balances.put(rows.getString(1), new LocalBalance(rows.getString(1), rows.getString(2),
                        decimal(rows.getString(3)), decimal(rows.getString(4)), decimal(rows.getString(5))));
                }
            }
        }
        return balances;
    }

    private static LocalOrder order(final ResultSet rows) throws SQLException
    {
        return new LocalOrder(rows.getString(1), rows.getString(2), rows.getString(3), rows.getString(4),
            rows.getString(5), decimal(rows.getString(6)), decimal(rows.getString(7)), decimal(rows.getString(8)),
            rows.getLong(9), rows.getString(10), rows.getString(11), (Long)rows.getObject(12, Long.class),
            decimal(rows.getString(13)));
    }

    private static BigDecimal decimal(final String text)
    {
        return null == text ? null : new BigDecimal(text);
    }
}
