package io.tradestate.demo;

import java.util.List;

/**
 * Three queries the summary suggests, written against the reader agent's schema ({@code V1__journal_schema.sql});
 * the demo's integration test runs each of them.
 */
final class ExampleQueries
{
    static final String OPEN_ORDERS_PER_STRATEGY =
        "SELECT source_id AS strategy, count(*) AS open_orders FROM orders " +
        "WHERE status IN ('open', 'partially_filled') GROUP BY source_id ORDER BY source_id;";

    static final String REALIZED_PNL_PER_STRATEGY =
        "SELECT strategy, count(*) AS closed_trades, sum(realized_profit) AS realized_pnl_usdt FROM trades " +
        "WHERE NOT is_open GROUP BY strategy ORDER BY strategy;";

    static final String ACTIVE_PAIR_LOCKS =
        "SELECT source_id, pair, side, lock_end_time, reason FROM pair_locks " +
        "WHERE active AND lock_end_time > now() ORDER BY lock_end_time;";

    static final List<String> TITLES = List.of(
        "open orders per strategy", "realized P&L per strategy", "active pair locks");

    static final List<String> ALL = List.of(OPEN_ORDERS_PER_STRATEGY, REALIZED_PNL_PER_STRATEGY, ACTIVE_PAIR_LOCKS);

    private ExampleQueries()
    {
    }
}
