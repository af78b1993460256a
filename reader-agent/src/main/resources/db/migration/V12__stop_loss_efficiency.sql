-- TradeState schema, version 12: how well the stops worked, for the closed trades that exited on one.
--
-- A stop exit is a closed trade (V11: closed_trade_results) whose exit reason, from its latest TradeUpdate, is one of
-- freqtrade's stop reasons: stop_loss, stoploss_on_exchange, trailing_stop_loss and liquidation (the four that
-- freqtrade's StoplossGuard protection counts as stops). For each the functions give, with d = +1 for a long and -1
-- for a short, the amount exited q, and the exit value V = sum of price x amount over the exit fills (the ledger's,
-- V4: trade_ledger_steps):
--   stop price       the trade's stop_loss (its latest TradeUpdate); for a liquidation, its liquidation_price
--   exit rate        V / q, the exit fills' volume-weighted price (the ledger's close_rate)
--   slippage         d (stop price x q - V): in the stake currency (slippage_abs), per unit (/ q) and as a ratio of
--                    the stop price (/ (stop price x q)); positive is worse for the trade, long or short
--   R multiple       profit_abs / (|open_rate - initial_stop_loss| x q): the realized profit (fees included) in units
--                    of the risk the initial stop set; -1 is a loss of exactly that risk
--   trail            d (stop_loss - initial_stop_loss): how far the stop moved in the trade's favour, and that over
--                    the open rate
--   kept             d (V - initial_stop_loss x q): the profit at exit minus the profit had every exit filled at the
--                    initial stop (same fees, interest and funding fees)
-- and per stake currency and exit reason, stops together and the other reasons together: the count, mean and worst
-- slippage, mean and worst R, and the share of all losses (by count and by amount) each takes.
-- Everything is exact NUMERIC; a quotient is rounded half away from zero at the 30th decimal (ledger_quotient).
-- docs/ledger.md ("Stop-loss efficiency") defines each measure with a worked example. Each call replays the ledger of
-- the trades it reads, and a second time for the stop exits: a report to run, not a query to poll.

-- Whether an exit reason is one of freqtrade's stop exits.
CREATE FUNCTION is_stop_exit(p_exit_reason text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(p_exit_reason IN ('stop_loss', 'stoploss_on_exchange', 'trailing_stop_loss', 'liquidation'), false)
$$;

COMMENT ON FUNCTION is_stop_exit(text) IS
    'True for freqtrade''s stop exit reasons: stop_loss, stoploss_on_exchange, trailing_stop_loss, liquidation';

-- One closed trade that exited on a stop, and how the stop did.
CREATE TYPE stop_loss_exit AS (
    source_id               text,
    strategy                text,
    trade_id                bigint,
    pair                    text,
    stake_currency          text,
    is_short                boolean,
    trading_mode            text,
    leverage                numeric,
    open_time               timestamptz,
    close_time              timestamptz,
    exit_reason             text,
    is_trailing_stop        boolean,      -- as the trade's latest TradeUpdate says
    open_rate               numeric,      -- the ledger's weighted average entry price
    amount                  numeric,      -- q: the amount exited, sum of the exit fills
    initial_stop_loss       numeric,      -- the trade's (latest TradeUpdate)
    stop_loss               numeric,      -- the trade's at exit (latest TradeUpdate)
    liquidation_price       numeric,      -- the trade's at exit
    stop_price              numeric,      -- what the exit is measured against: stop_loss; liquidation_price for a
                                          -- liquidation (stop_loss when it has none)
    exit_rate               numeric,      -- V / q: the exit fills' volume-weighted price
    slippage                numeric,      -- d (stop_price - exit_rate), per unit: > 0 is worse for the trade
    slippage_ratio          numeric,      -- slippage / stop_price
    slippage_abs            numeric,      -- d (stop_price x q - V), in the stake currency
    profit_abs              numeric,      -- the ledger's realized profit
    profit_ratio            numeric,      -- the ledger's close_profit_ratio
    initial_risk_abs        numeric,      -- |open_rate - initial_stop_loss| x q
    r_multiple              numeric,      -- profit_abs / initial_risk_abs
    trail_distance          numeric,      -- d (stop_loss - initial_stop_loss): > 0 moved in the trade's favour
    trail_ratio             numeric,      -- trail_distance / open_rate
    initial_stop_profit_abs numeric,      -- profit_abs - kept_abs: the profit had every exit filled at the initial stop
    kept_abs                numeric       -- d (V - initial_stop_loss x q)
);

-- The stop measures of one closed trade (a row of closed_trade_results), whatever its exit reason: the callers pick
-- the stop exits. Absent stops give null measures.
CREATE FUNCTION stop_loss_exit_of(p_trade closed_trade_result) RETURNS stop_loss_exit
LANGUAGE sql STABLE AS $$
    WITH exits AS (
        SELECT sum(s.amount_delta) FILTER (WHERE s.is_exit) AS q,
               sum(s.price * s.fill_amount) FILTER (WHERE s.is_exit) AS exit_value,
               (array_agg(s.open_rate ORDER BY s.step DESC))[1] AS open_rate
        FROM trade_ledger_steps(p_trade.source_id, p_trade.trade_id) s
    ), trade AS (
        SELECT t.exit_reason, t.is_trailing_stop, t.initial_stop_loss, t.stop_loss, t.liquidation_price,
               CASE WHEN t.exit_reason = 'liquidation' THEN coalesce(t.liquidation_price, t.stop_loss)
                    ELSE t.stop_loss END AS stop_price,
               CASE WHEN p_trade.is_short THEN -1 ELSE 1 END AS d,
               x.q, x.exit_value, x.open_rate
        FROM trades t CROSS JOIN exits x
        WHERE t.source_id = p_trade.source_id AND t.trade_id = p_trade.trade_id
    ), measures AS (
        SELECT r.*,
               r.d * (r.stop_price * r.q - r.exit_value) AS slippage_abs,
               abs(r.open_rate - r.initial_stop_loss) * r.q AS initial_risk_abs,
               r.d * (r.exit_value - r.initial_stop_loss * r.q) AS kept_abs
        FROM trade r
    )
    SELECT p_trade.source_id, p_trade.strategy, p_trade.trade_id, p_trade.pair, p_trade.stake_currency,
           p_trade.is_short, p_trade.trading_mode, p_trade.leverage, p_trade.open_time, p_trade.close_time,
           m.exit_reason, m.is_trailing_stop, m.open_rate, m.q, m.initial_stop_loss, m.stop_loss, m.liquidation_price,
           m.stop_price,
           ledger_quotient(m.exit_value, nullif(m.q, 0)),
           ledger_quotient(m.slippage_abs, nullif(m.q, 0)),
           ledger_quotient(m.slippage_abs, nullif(m.stop_price * m.q, 0)),
           m.slippage_abs,
           p_trade.profit_abs, p_trade.profit_ratio,
           m.initial_risk_abs,
           ledger_quotient(p_trade.profit_abs, nullif(m.initial_risk_abs, 0)),
           m.d * (m.stop_loss - m.initial_stop_loss),
           ledger_quotient(m.d * (m.stop_loss - m.initial_stop_loss), nullif(m.open_rate, 0)),
           p_trade.profit_abs - m.kept_abs,
           m.kept_abs
    FROM measures m
$$;

COMMENT ON FUNCTION stop_loss_exit_of(closed_trade_result) IS
    'How the stop did for one closed trade: slippage, R multiple, trail, what it kept (docs/ledger.md)';

-- The closed trades of a source and strategy (any when null) closed in [from, to) (open ended where null) that exited
-- on a stop, in close order, with how the stop did.
CREATE FUNCTION stop_loss_efficiency(
    p_source_id text DEFAULT NULL, p_strategy text DEFAULT NULL,
    p_from timestamptz DEFAULT NULL, p_to timestamptz DEFAULT NULL)
RETURNS SETOF stop_loss_exit
LANGUAGE sql STABLE AS $$
    SELECT s.*
    FROM closed_trade_results(p_source_id, p_strategy, p_from, p_to) c
    JOIN trades t ON t.source_id = c.source_id AND t.trade_id = c.trade_id
    CROSS JOIN LATERAL stop_loss_exit_of(c) s
    WHERE is_stop_exit(t.exit_reason)
    ORDER BY c.close_time, c.source_id, c.trade_id
$$;

COMMENT ON FUNCTION stop_loss_efficiency(text, text, timestamptz, timestamptz) IS
    'The closed trades that exited on a stop, with slippage, R multiple, trail and what the stop kept (docs/ledger.md)';

-- Per stake currency: each exit reason (scope 'exit_reason'), the stop exits together ('stop'), the other reasons
-- together ('other') and all closed trades ('all'); the losses each takes as a share of all the losses of the
-- currency, and for the stop exits the mean and worst slippage ratio and R multiple.
CREATE FUNCTION stop_loss_summary(
    p_source_id text DEFAULT NULL, p_strategy text DEFAULT NULL,
    p_from timestamptz DEFAULT NULL, p_to timestamptz DEFAULT NULL)
RETURNS TABLE (scope text, stake_currency text, exit_reason text, is_stop boolean, trades integer, losses integer,
               profit_abs numeric, loss_abs numeric, loss_count_share numeric, loss_abs_share numeric,
               slippage_ratio_mean numeric, slippage_ratio_worst numeric, slippage_abs numeric,
               r_multiple_mean numeric, r_multiple_worst numeric, kept_abs numeric)
LANGUAGE sql STABLE AS $$
    WITH closed AS MATERIALIZED (
        SELECT c.stake_currency, t.exit_reason, is_stop_exit(t.exit_reason) AS is_stop, c.profit_abs,
               CASE WHEN is_stop_exit(t.exit_reason) THEN stop_loss_exit_of(c) END AS s
        FROM closed_trade_results(p_source_id, p_strategy, p_from, p_to) c
        JOIN trades t ON t.source_id = c.source_id AND t.trade_id = c.trade_id
    ), totals AS (
        SELECT c.stake_currency, count(*) FILTER (WHERE c.profit_abs < 0) AS losses,
               sum(c.profit_abs) FILTER (WHERE c.profit_abs < 0) AS loss_abs
        FROM closed c GROUP BY c.stake_currency
    ), groups AS (
        SELECT CASE WHEN grouping(c.exit_reason) = 0 THEN 'exit_reason'
                    WHEN grouping(c.is_stop) = 0 THEN CASE WHEN c.is_stop THEN 'stop' ELSE 'other' END
                    ELSE 'all' END AS scope,
               grouping(c.is_stop, c.exit_reason) AS level,
               c.stake_currency, c.exit_reason, c.is_stop,
               count(*)::integer AS trades,
               count(*) FILTER (WHERE c.profit_abs < 0)::integer AS losses,
               sum(c.profit_abs) AS profit_abs,
               coalesce(sum(c.profit_abs) FILTER (WHERE c.profit_abs < 0), 0) AS loss_abs,
               ledger_quotient(sum((c.s).slippage_ratio), nullif(count((c.s).slippage_ratio), 0))
                   AS slippage_ratio_mean,
               max((c.s).slippage_ratio) AS slippage_ratio_worst,
               sum((c.s).slippage_abs) AS slippage_abs,
               ledger_quotient(sum((c.s).r_multiple), nullif(count((c.s).r_multiple), 0)) AS r_multiple_mean,
               min((c.s).r_multiple) AS r_multiple_worst,
               sum((c.s).kept_abs) AS kept_abs
        FROM closed c
        GROUP BY GROUPING SETS ((c.stake_currency, c.is_stop, c.exit_reason), (c.stake_currency, c.is_stop),
                                (c.stake_currency))
    )
    SELECT g.scope, g.stake_currency, g.exit_reason, g.is_stop, g.trades, g.losses,
           g.profit_abs, g.loss_abs,
           ledger_quotient(g.losses, nullif(x.losses, 0)),
           ledger_quotient(g.loss_abs, x.loss_abs),
           g.slippage_ratio_mean, g.slippage_ratio_worst, g.slippage_abs, g.r_multiple_mean, g.r_multiple_worst,
           g.kept_abs
    FROM groups g JOIN totals x ON x.stake_currency = g.stake_currency
    ORDER BY g.stake_currency, g.level, g.is_stop DESC, g.exit_reason NULLS LAST
$$;

COMMENT ON FUNCTION stop_loss_summary(text, text, timestamptz, timestamptz) IS
    'Stop exits against the other exit reasons: share of the losses, mean and worst slippage and R (docs/ledger.md)';
