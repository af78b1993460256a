-- TradeState schema, version 11: the summary metrics a freqtrade user reads after a run, over the closed trades of the
-- ledger (V4), per strategy and over all, per leverage, and per day, week or month.
--
-- The definitions are freqtrade's (freqtrade/data/metrics.py and freqtrade/optimize/optimize_reports/), written out in
-- docs/ledger.md ("Performance metrics"). A trade counts once it is closed (its fills bring the amount back to zero),
-- at its close time, with its realized profit as profit_abs and its close_profit_ratio as profit_ratio. Amounts in
-- different stake currencies are never added: every group is within one stake currency.
-- Sums, means, ratios, profit factor, expectancy and the drawdown are exact NUMERIC (a quotient rounded half away from
-- zero at the 30th decimal by ledger_quotient). The ratios that need a square root or a fractional power (CAGR,
-- Sharpe, Sortino, Calmar, SQN) are computed in NUMERIC up to that root or power, which PostgreSQL takes to at least
-- 16 significant digits, and returned as double precision; SQN is rounded to 4 decimals, as freqtrade rounds it.
-- Every call replays the ledger of the trades it reads: a report to run, not a query to poll.

-- One closed trade as the metrics read it.
CREATE TYPE closed_trade_result AS (
    source_id      text,
    strategy       text,
    trade_id       bigint,
    exchange       text,
    pair           text,
    stake_currency text,
    is_short       boolean,
    trading_mode   text,
    leverage       numeric,
    open_time      timestamptz,
    close_time     timestamptz,
    duration       interval,     -- close_time - open_time
    profit_abs     numeric,      -- the ledger's realized_profit
    profit_ratio   numeric       -- the ledger's close_profit_ratio
);

-- The closed trades of a source (any when null) and strategy (any when null) whose close time is in [from, to) (open
-- ended where null), in close order.
CREATE FUNCTION closed_trade_results(
    p_source_id text DEFAULT NULL, p_strategy text DEFAULT NULL,
    p_from timestamptz DEFAULT NULL, p_to timestamptz DEFAULT NULL)
RETURNS SETOF closed_trade_result
LANGUAGE sql STABLE AS $$
    SELECT l.source_id, l.strategy, l.trade_id, l.exchange, l.pair, l.stake_currency, l.is_short, l.trading_mode,
           l.leverage, l.open_time, l.close_time, l.close_time - l.open_time, l.realized_profit,
           coalesce(l.close_profit_ratio, 0)
    FROM trades t CROSS JOIN LATERAL trade_ledger(t.source_id, t.trade_id) l
    WHERE (p_source_id IS NULL OR t.source_id = p_source_id)
      AND (p_strategy IS NULL OR t.strategy = p_strategy)
      AND NOT l.is_open AND l.exit_fills > 0 AND l.close_time IS NOT NULL
      AND (p_from IS NULL OR l.close_time >= p_from)
      AND (p_to IS NULL OR l.close_time < p_to)
    ORDER BY l.close_time, l.source_id, l.trade_id
$$;

COMMENT ON FUNCTION closed_trade_results(text, text, timestamptz, timestamptz) IS
    'The closed trades the performance metrics read, in close order (docs/ledger.md)';

-- The metrics of one group of closed trades.
CREATE TYPE trade_metrics_row AS (
    trades                   integer,
    wins                     integer,      -- profit_abs > 0
    draws                    integer,      -- profit_abs = 0
    losses                   integer,      -- profit_abs < 0
    win_rate                 numeric,      -- wins / trades
    starting_balance         numeric,
    final_balance            numeric,      -- starting_balance + profit_total_abs
    profit_total_abs         numeric,      -- sum of profit_abs
    profit_total_ratio       numeric,      -- profit_total_abs / starting_balance
    profit_mean_abs          numeric,      -- profit_total_abs / trades
    profit_mean_ratio        numeric,      -- mean of profit_ratio
    gross_profit             numeric,      -- sum of the wins' profit_abs
    gross_loss               numeric,      -- sum of the losses' profit_abs (negative or 0)
    profit_factor            numeric,      -- gross_profit / -gross_loss; 0 without a loss
    expectancy               numeric,      -- win rate x average win - loss rate x average loss
    expectancy_ratio         numeric,      -- (1 + average win / average loss) x win rate - 1; 100 without a loss
    first_open_time          timestamptz,  -- the period of the ratios: earliest open ...
    last_close_time          timestamptz,  -- ... to latest close
    period_days              integer,      -- whole days between them, at least 1
    max_drawdown_abs         numeric,      -- the largest fall of the cumulative profit from its high (>= 0)
    max_drawdown_account     numeric,      -- that fall relative to the balance at the high
    max_drawdown_high_time   timestamptz,  -- close time of the trade at the high (the first trade when it is 0)
    max_drawdown_low_time    timestamptz,  -- close time of the trade at the low
    max_drawdown_high_value  numeric,      -- cumulative profit at the high
    max_drawdown_low_value   numeric,      -- cumulative profit at the low
    max_drawdown_high_balance numeric,     -- starting_balance + high value
    max_drawdown_low_balance numeric,      -- starting_balance + low value
    max_drawdown_duration    interval,     -- low time - high time
    max_relative_drawdown    numeric,      -- the largest fall relative to the balance at its high
    cagr                     double precision,
    sharpe                   double precision,
    sortino                  double precision,
    calmar                   double precision,
    sqn                      double precision,
    holding_avg              interval,     -- mean duration of all trades
    winner_holding_avg       interval,     -- of the wins
    loser_holding_avg        interval,     -- of the losses
    max_consecutive_wins     integer,
    max_consecutive_losses   integer,      -- a draw counts as a loss here, as in freqtrade's calc_streak
    best_pair                text,         -- the pair with the highest sum of profit_abs (ties: first by name)
    best_pair_profit_abs     numeric,
    worst_pair               text,         -- the pair with the lowest sum of profit_abs (ties: first by name)
    worst_pair_profit_abs    numeric
);

-- A double precision from a NUMERIC, or p_default when it is out of double precision's range (freqtrade's float
-- overflows there).
CREATE FUNCTION metrics_float(p_value numeric, p_default double precision) RETURNS double precision
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
    RETURN p_value::double precision;
EXCEPTION WHEN numeric_value_out_of_range THEN
    RETURN p_default;
END
$$;

-- The metrics of closed trades given in close order, from a starting balance (> 0). No trades: zero counts, null
-- amounts, and the ratios freqtrade gives an empty frame (0, and 100 for the expectancy ratio).
CREATE FUNCTION trade_metrics(p_trades closed_trade_result[], p_starting_balance numeric)
RETURNS trade_metrics_row
LANGUAGE plpgsql STABLE AS $$
DECLARE
    m             trade_metrics_row;
    r             closed_trade_result;
    n             integer := coalesce(cardinality(p_trades), 0);
    sum_p         numeric := 0;
    sum_p2        numeric := 0;
    sum_ratio     numeric := 0;
    sum_down      numeric := 0;
    sum_down2     numeric := 0;
    cumulative    numeric := 0;
    high          numeric := 0;
    high_time     timestamptz;
    dd            numeric;
    rel           numeric;
    worst_dd      numeric := 0;
    worst_rel     numeric := 0;
    streak_wins   integer := 0;
    streak_losses integer := 0;
    variance      numeric;
    days_numeric  numeric;
    pair_row      record;
BEGIN
    IF p_starting_balance IS NULL OR p_starting_balance <= 0 THEN
        RAISE EXCEPTION 'starting balance must be greater than 0, was %', p_starting_balance
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    m.trades := n;
    m.wins := 0;
    m.draws := 0;
    m.losses := 0;
    m.starting_balance := p_starting_balance;
    m.gross_profit := 0;
    m.gross_loss := 0;
    m.max_consecutive_wins := 0;
    m.max_consecutive_losses := 0;
    m.expectancy := 0;
    m.expectancy_ratio := 100;
    m.cagr := 0;
    m.sharpe := 0;
    m.sortino := 0;
    m.calmar := 0;
    m.sqn := 0;
    m.max_drawdown_abs := 0;
    m.max_drawdown_account := 0;
    m.max_relative_drawdown := 0;
    m.profit_factor := 0;
    IF n = 0 THEN
        m.profit_total_abs := 0;
        m.profit_total_ratio := 0;
        m.final_balance := p_starting_balance;
        RETURN m;
    END IF;

    -- The drawdown series of freqtrade's _calc_drawdown_series, with its leading zero row: the high is never below
    -- 0 (the starting balance), the maximum is the first lowest (drawdown) or highest (relative) point, and its high
    -- the first highest point up to it; a point of the zero row is dated by the first trade.
    m.max_drawdown_high_time := p_trades[1].close_time;
    m.max_drawdown_low_time := p_trades[1].close_time;
    m.max_drawdown_high_value := 0;
    m.max_drawdown_low_value := 0;
    high_time := p_trades[1].close_time;
    m.first_open_time := p_trades[1].open_time;
    m.last_close_time := p_trades[1].close_time;
    FOREACH r IN ARRAY p_trades LOOP
        sum_p := sum_p + r.profit_abs;
        sum_p2 := sum_p2 + r.profit_abs * r.profit_abs;
        sum_ratio := sum_ratio + r.profit_ratio;
        m.first_open_time := least(m.first_open_time, r.open_time);
        m.last_close_time := greatest(m.last_close_time, r.close_time);
        IF r.profit_abs > 0 THEN
            m.wins := m.wins + 1;
            m.gross_profit := m.gross_profit + r.profit_abs;
        ELSIF r.profit_abs < 0 THEN
            m.losses := m.losses + 1;
            m.gross_loss := m.gross_loss + r.profit_abs;
            sum_down := sum_down + r.profit_abs;
            sum_down2 := sum_down2 + r.profit_abs * r.profit_abs;
        ELSE
            m.draws := m.draws + 1;
        END IF;
        IF r.profit_abs > 0 THEN
            streak_wins := streak_wins + 1;
            streak_losses := 0;
        ELSE
            streak_losses := streak_losses + 1;
            streak_wins := 0;
        END IF;
        m.max_consecutive_wins := greatest(m.max_consecutive_wins, streak_wins);
        m.max_consecutive_losses := greatest(m.max_consecutive_losses, streak_losses);

        cumulative := cumulative + r.profit_abs;
        IF cumulative > high THEN
            high := cumulative;
            high_time := r.close_time;
        END IF;
        dd := cumulative - high;
        rel := ledger_quotient(high - cumulative, p_starting_balance + high);
        IF dd < -m.max_drawdown_abs THEN
            m.max_drawdown_abs := -dd;
            m.max_drawdown_account := rel;
            m.max_drawdown_high_time := high_time;
            m.max_drawdown_low_time := r.close_time;
            m.max_drawdown_high_value := high;
            m.max_drawdown_low_value := cumulative;
        END IF;
        IF rel > m.max_relative_drawdown THEN
            m.max_relative_drawdown := rel;
        END IF;
    END LOOP;
    m.max_drawdown_high_balance := p_starting_balance + m.max_drawdown_high_value;
    m.max_drawdown_low_balance := p_starting_balance + m.max_drawdown_low_value;
    m.max_drawdown_duration := m.max_drawdown_low_time - m.max_drawdown_high_time;

    m.win_rate := ledger_quotient(m.wins, n);
    m.profit_total_abs := sum_p;
    m.profit_total_ratio := ledger_quotient(sum_p, p_starting_balance);
    m.final_balance := p_starting_balance + sum_p;
    m.profit_mean_abs := ledger_quotient(sum_p, n);
    m.profit_mean_ratio := ledger_quotient(sum_ratio, n);
    IF m.gross_loss <> 0 THEN
        m.profit_factor := ledger_quotient(m.gross_profit, -m.gross_loss);
    END IF;
    -- win rate x average win - loss rate x average loss = (gross profit + gross loss) / n; with W the gross profit,
    -- L = -gross loss, w and l the counts: (1 + (W / w) / (L / l)) x w / n - 1 = (w L + W l - n L) / (n L).
    m.expectancy := ledger_quotient(m.gross_profit + m.gross_loss, n);
    IF m.gross_loss <> 0 THEN
        m.expectancy_ratio := ledger_quotient(m.wins * -m.gross_loss + m.gross_profit * m.losses
                                              + n * m.gross_loss, n * -m.gross_loss);
    END IF;

    m.period_days := greatest(1, floor(extract(epoch FROM m.last_close_time - m.first_open_time) / 86400))::integer;
    days_numeric := m.period_days;
    -- (final / start) ^ (365 / days) - 1; 0 when the final balance is negative, as freqtrade (and where it
    -- overflows a double, as freqtrade's float does).
    IF m.final_balance >= 0 THEN
        m.cagr := metrics_float(power(ledger_quotient(m.final_balance, p_starting_balance),
                                      ledger_quotient(365, days_numeric)) - 1, 0);
    END IF;

    IF m.first_open_time <> m.last_close_time THEN
        -- Sharpe: mean daily return (sum of profit_abs / start / days) over the population standard deviation of
        -- the trades' returns (profit_abs / start), times sqrt(365). The start cancels out:
        -- sum_p x n x sqrt(365 / (n sum_p2 - sum_p^2)) / days. A zero deviation gives -100.
        variance := n * sum_p2 - sum_p * sum_p;
        IF variance > 0 THEN
            m.sharpe := (sum_p * n * sqrt(ledger_quotient(365, variance)) / days_numeric)::double precision;
        ELSE
            m.sharpe := -100;
        END IF;
        -- Sortino: the same mean over the population standard deviation of the losing trades' returns alone.
        variance := m.losses * sum_down2 - sum_down * sum_down;
        IF m.losses > 0 AND variance > 0 THEN
            m.sortino := (sum_p * m.losses * sqrt(ledger_quotient(365, variance)) / days_numeric)::double precision;
        ELSE
            m.sortino := -100;
        END IF;
        -- Calmar: total profit ratio / days x 100, over the relative drawdown at the deepest fall, times sqrt(365).
        IF m.max_drawdown_account > 0 THEN
            m.calmar := (ledger_quotient(sum_p * 100, p_starting_balance * days_numeric * m.max_drawdown_account)
                         * sqrt(365::numeric))::double precision;
        ELSE
            m.calmar := -100;
        END IF;
    END IF;

    -- SQN: sqrt(n) x mean return / sample standard deviation of the returns = sum_p x sqrt(n - 1) /
    -- sqrt(n sum_p2 - sum_p^2); -100 for a single trade or no deviation; rounded to 4 decimals, as freqtrade does.
    variance := n * sum_p2 - sum_p * sum_p;
    IF n > 1 AND variance > 0 THEN
        m.sqn := round(sum_p * sqrt(ledger_quotient(n - 1, variance)), 4)::double precision;
    ELSE
        m.sqn := -100;
    END IF;

    SELECT avg(t.duration) AS all_avg,
           avg(t.duration) FILTER (WHERE t.profit_abs > 0) AS win_avg,
           avg(t.duration) FILTER (WHERE t.profit_abs < 0) AS loss_avg
    INTO pair_row FROM unnest(p_trades) t;
    m.holding_avg := pair_row.all_avg;
    m.winner_holding_avg := pair_row.win_avg;
    m.loser_holding_avg := pair_row.loss_avg;

    SELECT t.pair, sum(t.profit_abs) AS total INTO pair_row
    FROM unnest(p_trades) t GROUP BY t.pair ORDER BY sum(t.profit_abs) DESC, t.pair LIMIT 1;
    m.best_pair := pair_row.pair;
    m.best_pair_profit_abs := pair_row.total;
    SELECT t.pair, sum(t.profit_abs) AS total INTO pair_row
    FROM unnest(p_trades) t GROUP BY t.pair ORDER BY sum(t.profit_abs), t.pair LIMIT 1;
    m.worst_pair := pair_row.pair;
    m.worst_pair_profit_abs := pair_row.total;
    RETURN m;
END
$$;

COMMENT ON FUNCTION trade_metrics(closed_trade_result[], numeric) IS
    'freqtrade''s summary metrics of closed trades given in close order, from a starting balance (docs/ledger.md)';

-- The summary metrics per source and strategy (scope 'strategy') and over all the trades selected (scope 'all',
-- source_id and strategy null), each within one stake currency.
CREATE FUNCTION performance_metrics(
    p_starting_balance numeric, p_source_id text DEFAULT NULL, p_strategy text DEFAULT NULL,
    p_from timestamptz DEFAULT NULL, p_to timestamptz DEFAULT NULL)
RETURNS TABLE (scope text, stake_currency text, source_id text, strategy text, metrics trade_metrics_row)
LANGUAGE sql STABLE AS $$
    WITH closed AS MATERIALIZED (
        SELECT r AS t, r.stake_currency, r.source_id, r.strategy, r.leverage, r.trading_mode, r.is_short,
               r.close_time, r.trade_id
        FROM closed_trade_results(p_source_id, p_strategy, p_from, p_to) r
    )
    SELECT CASE WHEN grouping(c.source_id, c.strategy) = 0 THEN 'strategy' ELSE 'all' END,
           c.stake_currency, c.source_id, c.strategy,
           trade_metrics(array_agg(c.t ORDER BY c.close_time, c.source_id, c.trade_id), p_starting_balance)
    FROM closed c
    GROUP BY GROUPING SETS ((c.stake_currency, c.source_id, c.strategy), (c.stake_currency))
    ORDER BY c.stake_currency, grouping(c.source_id, c.strategy), c.source_id, c.strategy
$$;

COMMENT ON FUNCTION performance_metrics(numeric, text, text, timestamptz, timestamptz) IS
    'freqtrade''s summary metrics per strategy and over all, from a starting balance (docs/ledger.md)';

-- The same metrics per leverage (scope 'leverage': trading_mode and is_short null) and per trading mode, side and
-- leverage (scope 'mode_side_leverage'), each within one stake currency.
CREATE FUNCTION leverage_performance(
    p_starting_balance numeric, p_source_id text DEFAULT NULL, p_strategy text DEFAULT NULL,
    p_from timestamptz DEFAULT NULL, p_to timestamptz DEFAULT NULL)
RETURNS TABLE (scope text, stake_currency text, leverage numeric, trading_mode text, is_short boolean,
               metrics trade_metrics_row)
LANGUAGE sql STABLE AS $$
    WITH closed AS MATERIALIZED (
        SELECT r AS t, r.stake_currency, r.source_id, r.strategy, r.leverage, r.trading_mode, r.is_short,
               r.close_time, r.trade_id
        FROM closed_trade_results(p_source_id, p_strategy, p_from, p_to) r
    )
    SELECT CASE WHEN grouping(c.trading_mode, c.is_short) = 0 THEN 'mode_side_leverage' ELSE 'leverage' END,
           c.stake_currency, c.leverage, c.trading_mode, c.is_short,
           trade_metrics(array_agg(c.t ORDER BY c.close_time, c.source_id, c.trade_id), p_starting_balance)
    FROM closed c
    GROUP BY GROUPING SETS ((c.stake_currency, c.leverage), (c.stake_currency, c.trading_mode, c.is_short, c.leverage))
    ORDER BY c.stake_currency, grouping(c.trading_mode, c.is_short) DESC, c.leverage, c.trading_mode, c.is_short
$$;

COMMENT ON FUNCTION leverage_performance(numeric, text, text, timestamptz, timestamptz) IS
    'freqtrade''s summary metrics per leverage, and per trading mode, side and leverage (docs/ledger.md)';

-- Profit per day, ISO week (from Monday) or month of the close time in UTC, per source and strategy (scope
-- 'strategy') and over all (scope 'all'), each within one stake currency; only periods with closed trades.
CREATE FUNCTION profit_by_period(
    p_period text, p_source_id text DEFAULT NULL, p_strategy text DEFAULT NULL,
    p_from timestamptz DEFAULT NULL, p_to timestamptz DEFAULT NULL)
RETURNS TABLE (scope text, stake_currency text, source_id text, strategy text, period_start date, trades integer,
               wins integer, draws integer, losses integer, profit_abs numeric, profit_factor numeric)
LANGUAGE plpgsql STABLE AS $$
BEGIN
    IF p_period IS NULL OR p_period NOT IN ('day', 'week', 'month') THEN
        RAISE EXCEPTION 'period must be day, week or month, was %', coalesce(p_period, 'null')
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN QUERY
    WITH closed AS MATERIALIZED (
        SELECT c.*, date_trunc(p_period, c.close_time AT TIME ZONE 'UTC')::date AS period_start
        FROM closed_trade_results(p_source_id, p_strategy, p_from, p_to) c
    )
    SELECT CASE WHEN grouping(c.source_id, c.strategy) = 0 THEN 'strategy' ELSE 'all' END,
           c.stake_currency, c.source_id, c.strategy, c.period_start,
           count(*)::integer,
           count(*) FILTER (WHERE c.profit_abs > 0)::integer,
           count(*) FILTER (WHERE c.profit_abs = 0)::integer,
           count(*) FILTER (WHERE c.profit_abs < 0)::integer,
           sum(c.profit_abs),
           CASE WHEN coalesce(sum(c.profit_abs) FILTER (WHERE c.profit_abs < 0), 0) = 0 THEN 0::numeric
                ELSE ledger_quotient(coalesce(sum(c.profit_abs) FILTER (WHERE c.profit_abs > 0), 0),
                                     -sum(c.profit_abs) FILTER (WHERE c.profit_abs < 0)) END
    FROM closed c
    GROUP BY GROUPING SETS ((c.stake_currency, c.source_id, c.strategy, c.period_start),
                            (c.stake_currency, c.period_start))
    ORDER BY c.stake_currency, grouping(c.source_id, c.strategy), c.source_id, c.strategy, c.period_start;
END
$$;

COMMENT ON FUNCTION profit_by_period(text, text, text, timestamptz, timestamptz) IS
    'Closed trades and their profit per day, week or month, per strategy and over all (docs/ledger.md)';
