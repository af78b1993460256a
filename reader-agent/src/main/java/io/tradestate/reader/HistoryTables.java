package io.tradestate.reader;

/**
 * The rows of one batch for each history table, in COPY text form, with the COPY statement that loads them. The
 * column lists here and the row layouts written by {@link HistoryRowEncoder} must agree, column for column.
 */
final class HistoryTables
{
    static final String COPY_ORDER_EVENTS = "COPY order_events (source_id, queue_index, append_time, append_time_ns, " +
        "exchange_time, receive_time_ns, trade_id, exchange, symbol, order_id, client_order_id, side, order_type, " +
        "time_in_force, status, reduce_only, price, stop_price, amount, filled, remaining, average, cost, fee_cost, " +
        "fee_currency, leverage) FROM STDIN";

    static final String COPY_FILLS = "COPY fills (source_id, queue_index, append_time, append_time_ns, " +
        "exchange_time, trade_id, exchange, symbol, fill_id, order_id, side, liquidity, price, amount, fee_cost, " +
        "fee_currency) FROM STDIN";

    static final String COPY_TRADE_EVENTS = "COPY trade_events (source_id, queue_index, append_time, " +
        "append_time_ns, trade_id, open_time, close_time, strategy, exchange, pair, stake_currency, is_short, " +
        "is_open, is_trailing_stop, trading_mode, leverage, open_rate, amount, stake_amount, stop_loss, " +
        "stop_loss_pct, initial_stop_loss, initial_stop_loss_pct, max_rate, min_rate, close_rate, " +
        "liquidation_price, interest_rate, funding_fees, fee_open, fee_close, realized_profit, exit_reason, " +
        "enter_tag) FROM STDIN";

    static final String COPY_PAIR_LOCK_EVENTS = "COPY pair_lock_events (source_id, queue_index, append_time, " +
        "append_time_ns, action, pair, side, event_time, lock_end_time, reason) FROM STDIN";

    static final String COPY_BALANCE_EVENTS = "COPY balance_events (source_id, queue_index, append_time, " +
        "append_time_ns, exchange_time, exchange, asset, free, used, total) FROM STDIN";

    private final CopyTextEncoder orderEvents = new CopyTextEncoder();
    private final CopyTextEncoder fills = new CopyTextEncoder();
    private final CopyTextEncoder tradeEvents = new CopyTextEncoder();
    private final CopyTextEncoder pairLockEvents = new CopyTextEncoder();
    private final CopyTextEncoder balanceEvents = new CopyTextEncoder();

    CopyTextEncoder orderEvents()
    {
        return orderEvents;
    }

    CopyTextEncoder fills()
    {
        return fills;
    }

    CopyTextEncoder tradeEvents()
    {
        return tradeEvents;
    }

    CopyTextEncoder pairLockEvents()
    {
        return pairLockEvents;
    }

    CopyTextEncoder balanceEvents()
    {
        return balanceEvents;
    }

    int rows()
    {
        return orderEvents.rows() + fills.rows() + tradeEvents.rows() + pairLockEvents.rows() + balanceEvents.rows();
    }

    void reset()
    {
        orderEvents.reset();
        fills.reset();
        tradeEvents.reset();
        pairLockEvents.reset();
        balanceEvents.reset();
    }
}
