package io.tradestate.tools;

import io.tradestate.codecs.event.FieldKind;

/**
 * The reader agent's history tables as {@code tradestate verify} reads them: for each, its columns after
 * {@code source_id} and {@code queue_index}, as {@link io.tradestate.codecs.event.HistoryTable} lays them out for the
 * agent's {@code COPY}, and the query that streams one source's rows in queue order with every column as text.
 * <p>
 * Column text is what the comparison is made on, as the agent's own tests do: {@code numeric} as text keeps the scale
 * it was written with ({@code 64123.50}), {@code bigint} and {@code boolean} as PostgreSQL writes them, and a
 * {@code timestamptz} as microseconds since the epoch, the precision PostgreSQL stores.
 */
enum HistoryTableQuery
{
    ORDER_EVENTS(io.tradestate.codecs.event.HistoryTable.ORDER_EVENTS),
    FILLS(io.tradestate.codecs.event.HistoryTable.FILLS),
    TRADE_EVENTS(io.tradestate.codecs.event.HistoryTable.TRADE_EVENTS),
    PAIR_LOCK_EVENTS(io.tradestate.codecs.event.HistoryTable.PAIR_LOCK_EVENTS),
    BALANCE_EVENTS(io.tradestate.codecs.event.HistoryTable.BALANCE_EVENTS);

    /**
     * The first column compared: the columns before it are {@code source_id} and {@code queue_index}.
     */
    static final int FIRST_COLUMN = io.tradestate.codecs.event.HistoryTable.APPEND_TIME_COLUMN;

    private final io.tradestate.codecs.event.HistoryTable layout;
    private final String selectSql;

    HistoryTableQuery(final io.tradestate.codecs.event.HistoryTable layout)
    {
        this.layout = layout;
        final StringBuilder sql = new StringBuilder("SELECT queue_index");
        for (int c = FIRST_COLUMN; c < layout.columnCount(); c++)
        {
            final String column = layout.columnName(c);
            sql.append(", ");
            if (layout.isTimestamp(c))
            {
                sql.append("(extract(epoch FROM ").append(column).append(") * 1000000)::bigint::text");
            }
            else if (isText(layout.columnKind(c)))
            {
                sql.append(column);
            }
            else
            {
                sql.append(column).append("::text");
            }
        }
        this.selectSql = sql.append(" FROM ").append(layout.tableName())
            .append(" WHERE source_id = ? ORDER BY queue_index").toString();
    }

    /**
     * The table's columns, as the drain writes them.
     *
     * @return the layout.
     */
    io.tradestate.codecs.event.HistoryTable layout()
    {
        return layout;
    }

    /**
     * Name of the table.
     *
     * @return as in the schema.
     */
    String tableName()
    {
        return layout.tableName();
    }

    /**
     * Number of columns compared.
     *
     * @return the count: every column but {@code source_id} and {@code queue_index}.
     */
    int columnCount()
    {
        return layout.columnCount() - FIRST_COLUMN;
    }

    /**
     * Name of a compared column.
     *
     * @param column from 0.
     * @return as in the schema.
     */
    String columnName(final int column)
    {
        return layout.columnName(FIRST_COLUMN + column);
    }

    /**
     * Whether a column is a {@code timestamptz}, compared as microseconds since the epoch.
     *
     * @param column from 0.
     * @return true for a time.
     */
    boolean isTime(final int column)
    {
        return layout.isTimestamp(FIRST_COLUMN + column);
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

    private static boolean isText(final FieldKind kind)
    {
        return FieldKind.ASCII == kind || FieldKind.UTF8 == kind || FieldKind.ENUM == kind;
    }
}
