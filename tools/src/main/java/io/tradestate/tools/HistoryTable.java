package io.tradestate.tools;

/**
 * The reader agent's history tables as {@code tradestate verify} reads them: for each, its columns after
 * {@code source_id} and {@code queue_index}, in the order of the agent's {@code COPY}, and the query that streams one
 * source's rows in queue order with every column as text.
 * <p>
 * Column text is what the comparison is made on, as the agent's own tests do: {@code numeric} as text keeps the scale
 * it was written with ({@code 64123.50}), {@code bigint} and {@code boolean} as PostgreSQL writes them, and a
 * {@code timestamptz} as microseconds since the epoch, the precision PostgreSQL stores.
 */
enum HistoryTable
{
    ORDER_EVENTS("order_events",
        "T:append_time", "N:append_time_ns", "T:exchange_time", "N:receive_time_ns", "N:trade_id", "S:exchange",
        "S:symbol", "S:order_id", "S:client_order_id", "S:side", "S:order_type", "S:time_in_force", "S:status",
        "N:reduce_only", "N:price", "N:stop_price", "N:amount", "N:filled", "N:remaining", "N:average", "N:cost",
        "N:fee_cost", "S:fee_currency", "N:leverage"),

    FILLS("fills",
        "T:append_time", "N:append_time_ns", "T:exchange_time", "N:trade_id", "S:exchange", "S:symbol", "S:fill_id",
        "S:order_id", "S:side", "S:liquidity", "N:price", "N:amount", "N:fee_cost", "S:fee_currency"),

    TRADE_EVENTS("trade_events",
        "T:append_time", "N:append_time_ns", "N:trade_id", "T:open_time", "T:close_time", "S:strategy", "S:exchange",
        "S:pair", "S:stake_currency", "N:is_short", "N:is_open", "N:is_trailing_stop", "S:trading_mode", "N:leverage",
        "N:open_rate", "N:amount", "N:stake_amount", "N:stop_loss", "N:stop_loss_pct", "N:initial_stop_loss",
        "N:initial_stop_loss_pct", "N:max_rate", "N:min_rate", "N:close_rate", "N:liquidation_price",
        "N:interest_rate", "N:funding_fees", "N:fee_open", "N:fee_close", "N:realized_profit", "S:exit_reason",
        "S:enter_tag"),

    PAIR_LOCK_EVENTS("pair_lock_events",
        "T:append_time", "N:append_time_ns", "S:action", "S:pair", "S:side", "T:event_time", "T:lock_end_time",
        "S:reason"),

    BALANCE_EVENTS("balance_events",
        "T:append_time", "N:append_time_ns", "T:exchange_time", "S:exchange", "S:asset", "N:free", "N:used",
        "N:total");

    /**
     * The most columns a table has.
     */
    static final int MAX_COLUMNS = 32;

    private final String tableName;
    private final String[] columns;
    private final boolean[] times;
    private final String selectSql;

    HistoryTable(final String tableName, final String... specs)
    {
        this.tableName = tableName;
        this.columns = new String[specs.length];
        this.times = new boolean[specs.length];
        final StringBuilder sql = new StringBuilder("SELECT queue_index");
        for (int i = 0; i < specs.length; i++)
        {
            final char kind = specs[i].charAt(0);
            final String column = specs[i].substring(2);
            columns[i] = column;
            times[i] = 'T' == kind;
            sql.append(", ");
            if ('T' == kind)
            {
                sql.append("(extract(epoch FROM ").append(column).append(") * 1000000)::bigint::text");
            }
            else if ('N' == kind)
            {
                sql.append(column).append("::text");
            }
            else
            {
                sql.append(column);
            }
        }
        this.selectSql = sql.append(" FROM ").append(tableName)
            .append(" WHERE source_id = ? ORDER BY queue_index").toString();
    }

    /**
     * Name of the table.
     *
     * @return as in the schema.
     */
    String tableName()
    {
        return tableName;
    }

    /**
     * Number of columns compared.
     *
     * @return the count, at most {@link #MAX_COLUMNS}.
     */
    int columnCount()
    {
        return columns.length;
    }

    /**
     * Name of a compared column.
     *
     * @param column from 0.
     * @return as in the schema.
     */
    String columnName(final int column)
    {
        return columns[column];
    }

    /**
     * Whether a column is a {@code timestamptz}, compared as microseconds since the epoch.
     *
     * @param column from 0.
     * @return true for a time.
     */
    boolean isTime(final int column)
    {
        return times[column];
    }

    /**
     * The query of one source's rows in queue order: {@code queue_index} then every compared column as text; its one
     * parameter is the source id.
     *
     * @return the SQL.
     */
    String selectSql()
    {
        return selectSql;
    }
}
