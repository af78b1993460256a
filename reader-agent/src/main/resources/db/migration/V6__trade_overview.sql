-- TradeState schema, version 6: one row per trade with everything a user checks a trade by. The ledger's figures,
-- replayed from the fills with freqtrade's rules (V4: trade_ledger), beside what the strategy states in its
-- TradeUpdate events and only it can know (stop loss and its history, the highest and lowest rate since open, why it
-- exited, its enter tag), and the trade's duration. Replays every trade it returns: filter by source (and trade).

CREATE VIEW trade_overview AS
    SELECT t.source_id, t.trade_id, l.strategy, l.exchange, l.pair, l.stake_currency, l.is_short, l.trading_mode,
           l.leverage, l.open_time, l.close_time,
           coalesce(l.close_time, t.close_time, now()) - l.open_time AS duration,
           l.is_open, l.entry_fills, l.exit_fills, l.amount, l.open_rate, l.stake_amount, l.max_stake_amount,
           l.close_rate, l.fee_open, l.fee_close, l.interest, l.funding_fees, l.realized_profit,
           l.close_profit_ratio, t.stop_loss, t.stop_loss_pct, t.initial_stop_loss, t.initial_stop_loss_pct,
           t.is_trailing_stop, t.max_rate, t.min_rate, t.liquidation_price, t.exit_reason, t.enter_tag,
           t.queue_index AS trade_queue_index
    FROM trades t
    CROSS JOIN LATERAL trade_ledger(t.source_id, t.trade_id) AS l;
