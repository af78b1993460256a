package io.tradestate.reader;

import java.util.List;

/**
 * The reader agent's history tables and the columns its COPY statements load, in the agent's order, for the drain
 * throughput harness: its bare JDBC baselines must load the same columns of the same tables. It lives in the
 * {@code bench} module, in the agent's package, because {@code HistoryTables} is package-private.
 */
public final class BenchHistoryTables
{
    /**
     * The history tables, in the order of the agent's table numbers.
     */
    public static final List<String> TABLES =
        List.of("order_events", "fills", "trade_events", "pair_lock_events", "balance_events");

    private static final List<String> COPY_STATEMENTS = List.of(HistoryTables.COPY_ORDER_EVENTS,
        HistoryTables.COPY_FILLS, HistoryTables.COPY_TRADE_EVENTS, HistoryTables.COPY_PAIR_LOCK_EVENTS,
        HistoryTables.COPY_BALANCE_EVENTS);

    private BenchHistoryTables()
    {
    }

    /**
     * The columns the agent's COPY statement of a history table names, comma separated, in its order.
     *
     * @param table number, an index of {@link #TABLES}.
     * @return e.g. {@code source_id, queue_index, append_time, ...}.
     */
    public static String columns(final int table)
    {
        final String copy = COPY_STATEMENTS.get(table);
        final String prefix = "COPY " + TABLES.get(table) + " (";
        if (!copy.startsWith(prefix) || !copy.endsWith(") FROM STDIN"))
        {
            throw new IllegalStateException("unexpected COPY statement: " + copy);
        }
        return copy.substring(prefix.length(), copy.length() - ") FROM STDIN".length());
    }

    /**
     * How many columns {@link #columns(int)} names.
     *
     * @param table number, an index of {@link #TABLES}.
     * @return the column count.
     */
    public static int columnCount(final int table)
    {
        return columns(table).split(", ").length;
    }
}
