-- TradeState schema, version 4: the trade ledger, derived from fills with freqtrade's rules, in exact decimals.
--
-- For each trade (source_id, trade_id) the fills of its orders are replayed in the order they happened on the
-- exchange (exchange time, else append time; then queue index), as freqtrade's Trade.recalc_trade_from_orders replays
-- its filled orders (freqtrade/persistence/trade_model.py):
--   entry or exit   a fill on the trade's entry side (buy for a long, sell for a short) is an entry, else an exit
--   entry           amount += q; cost += p*q; open fees += fee; open_rate = cost / amount (the weighted average)
--   exit            the exited share s = q / amount carries s of the cost and s of the open fees; the average entry
--                   price stays and the amount decreases; the profit booked by the exit is
--                     direction * (p*q - share of cost) - share of open fees - exit fee - interest (+ funding fees)
--                   with direction +1 for a long and -1 for a short
--   funding fees    futures: the trade's funding_fees (its latest TradeUpdate), added to the exit that closes the
--                   trade when it is the trade's last fill, as freqtrade applies them only to the last closing order
--   interest        margin, unless a long at leverage 1: per exit, over the hours from the trade's open time to the
--                   fill, with freqtrade's formulas (freqtrade/leverage/interest.py): kraken
--                   borrowed * rate * (1 + ceil(hours / 4)), any other exchange binance's
--                   borrowed * rate * ceil(hours) / 24. A long borrows share of cost * (leverage - 1) / leverage of
--                   the stake currency; a short borrows the q coins it buys back, and pays for the interest coins at
--                   the exit price plus the exit's own fee rate, as freqtrade's close value (q + interest) * p * (1 + fee)
--   ratio           close_profit_ratio = realized profit * leverage / total stake, where total stake is the sum over
--                   the entries so far of p*q + fee (long) or p*q - fee (short): freqtrade's close_profit
--   fees            a fill's fee_cost is taken in the stake currency when its currency is the stake, quote or settle
--                   currency of the pair (or not given); in the base currency it is converted at the fill's price, and
--                   on an entry it also reduces the amount received (freqtrade's Order.safe_amount_after_fee); in any
--                   other currency (BNB, say) it is left out and the fill is counted in unconverted_fee_fills
-- Everything is NUMERIC. Sums and products are exact; a quotient (average price, an exit's share, interest, ratio)
-- is rounded half away from zero at the 30th decimal by ledger_quotient, and an exit of the whole amount takes the
-- whole cost, so the realized profit of a closed trade does not depend on how its exits were split.
-- docs/ledger.md has the rules with examples and what differs from freqtrade.

-- Fills are looked up by trade.
CREATE INDEX fills_trade ON fills (source_id, trade_id);

-- a / b rounded half away from zero at the 30th decimal, trailing zeros trimmed. Exact: div() and the remainder are
-- computed without rounding, unlike "/", whose scale depends on the operands.
CREATE FUNCTION ledger_quotient(p_dividend numeric, p_divisor numeric) RETURNS numeric
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT trim_scale((q + CASE WHEN 2 * abs(scaled - q * p_divisor) >= abs(p_divisor)
                                THEN sign(scaled) * sign(p_divisor) ELSE 0 END)
                      * 0.000000000000000000000000000001)
    FROM (SELECT p_dividend * 1000000000000000000000000000000 AS scaled) s,
         LATERAL (SELECT div(s.scaled, p_divisor) AS q) d
$$;

-- The fills of one trade, each once, in the order they happened: those carrying the trade id, and those without one
-- whose order carries it. A fill appended twice (same exchange, order and fill id) counts once, the first appended.
CREATE FUNCTION trade_fills(p_source_id text, p_trade_id bigint)
RETURNS TABLE (fill_time timestamptz, queue_index bigint, exchange text, order_id text, fill_id text, side text,
               reduce_only boolean, price numeric, amount numeric, fee_cost numeric, fee_currency text)
LANGUAGE sql STABLE AS $$
    WITH candidates AS (
        SELECT f.* FROM fills f WHERE f.source_id = p_source_id AND f.trade_id = p_trade_id
        UNION ALL
        SELECT f.* FROM orders o
        JOIN fills f ON f.exchange = o.exchange AND f.order_id = o.order_id
        WHERE o.source_id = p_source_id AND o.trade_id = p_trade_id AND f.source_id = p_source_id
          AND f.trade_id IS NULL
    ), once AS (
        SELECT DISTINCT ON (c.exchange, c.order_id, c.fill_id) c.*
        FROM candidates c ORDER BY c.exchange, c.order_id, c.fill_id, c.queue_index
    )
    SELECT coalesce(u.exchange_time, u.append_time), u.queue_index, u.exchange, u.order_id, u.fill_id, u.side,
           o.reduce_only, u.price, u.amount, u.fee_cost, u.fee_currency
    FROM once u LEFT JOIN orders o ON o.exchange = u.exchange AND o.order_id = u.order_id
    ORDER BY coalesce(u.exchange_time, u.append_time), u.queue_index
$$;

-- One row per fill of a trade: the fill, how it was taken, and the trade's ledger right after it.
CREATE TYPE trade_ledger_step AS (
    step                 integer,      -- 1, 2, ... in the order the fills are replayed
    fill_time            timestamptz,
    queue_index          bigint,
    exchange             text,
    order_id             text,
    fill_id              text,
    side                 text,
    is_exit              boolean,
    reduce_only          boolean,      -- the order's, when the order is known
    price                numeric,
    fill_amount          numeric,      -- as filled
    amount_delta         numeric,      -- what the fill added to (entry) or took from (exit) the open amount
    fee_cost             numeric,
    fee_currency         text,
    fee_stake            numeric,      -- the fee in the stake currency; null when its currency cannot be converted
    exit_cost            numeric,      -- exit: the share of the entry cost it closes (average entry x amount)
    exit_open_fee        numeric,      -- exit: the share of the entry fees it closes
    interest             numeric,      -- exit: margin interest, in the stake currency
    funding_fees         numeric,      -- exit: funding fees applied (the closing exit of a futures trade)
    exit_profit          numeric,      -- exit: the profit it booked
    amount               numeric,      -- open after the fill
    open_rate            numeric,      -- average entry price; kept when the amount returns to zero
    stake_amount         numeric,      -- open cost / leverage = open_rate x amount / leverage
    open_fees            numeric,      -- entry fees not yet closed by an exit
    total_stake          numeric,      -- sum over entries of p*q + fee (long) or p*q - fee (short)
    realized_profit      numeric,      -- sum of exit_profit so far
    close_profit_ratio   numeric,      -- realized_profit x leverage / total_stake at the last exit so far
    is_open              boolean       -- amount > 0
);

-- Replays the fills of a trade; no rows when the trade is unknown (no TradeUpdate) or has no fill.
CREATE FUNCTION trade_ledger_steps(p_source_id text, p_trade_id bigint) RETURNS SETOF trade_ledger_step
LANGUAGE plpgsql STABLE AS $$
DECLARE
    t             record;
    f             record;
    s             trade_ledger_step;
    leverage      numeric;
    direction     integer;
    exit_side     text;
    base_asset    text;
    quote_asset   text;
    settle_asset  text;
    stake_asset   text;
    fill_count    integer;
    fee_in_base   numeric;
    amount_before numeric;
    periods       numeric;
    per_day       numeric;
    hours_seconds numeric;
    cost          numeric := 0;
BEGIN
    SELECT tr.pair, tr.exchange, tr.stake_currency, tr.is_short, tr.trading_mode, tr.leverage, tr.open_time,
           tr.interest_rate, tr.funding_fees
    INTO t FROM trades tr WHERE tr.source_id = p_source_id AND tr.trade_id = p_trade_id;
    IF NOT FOUND THEN
        RETURN;
    END IF;

    leverage := coalesce(nullif(t.leverage, 0), 1);
    direction := CASE WHEN t.is_short THEN -1 ELSE 1 END;
    exit_side := CASE WHEN t.is_short THEN 'buy' ELSE 'sell' END;
    base_asset := split_part(t.pair, '/', 1);
    quote_asset := split_part(split_part(t.pair, '/', 2), ':', 1);
    settle_asset := nullif(split_part(t.pair, ':', 2), '');
    stake_asset := coalesce(t.stake_currency, settle_asset, quote_asset);
    SELECT count(*) INTO fill_count FROM trade_fills(p_source_id, p_trade_id);

    s.step := 0;
    s.amount := 0;
    s.open_fees := 0;
    s.total_stake := 0;
    s.realized_profit := 0;
    FOR f IN SELECT * FROM trade_fills(p_source_id, p_trade_id) LOOP
        s.step := s.step + 1;
        s.fill_time := f.fill_time;
        s.queue_index := f.queue_index;
        s.exchange := f.exchange;
        s.order_id := f.order_id;
        s.fill_id := f.fill_id;
        s.side := f.side;
        s.is_exit := f.side = exit_side;
        s.reduce_only := f.reduce_only;
        s.price := f.price;
        s.fill_amount := f.amount;
        s.fee_cost := f.fee_cost;
        s.fee_currency := f.fee_currency;
        s.exit_cost := NULL;
        s.exit_open_fee := NULL;
        s.interest := NULL;
        s.funding_fees := NULL;
        s.exit_profit := NULL;

        fee_in_base := 0;
        IF coalesce(f.fee_cost, 0) = 0 THEN
            s.fee_stake := 0;
        ELSIF f.fee_currency IS NULL OR f.fee_currency IN (stake_asset, quote_asset)
              OR f.fee_currency = settle_asset THEN
            s.fee_stake := f.fee_cost;
        ELSIF f.fee_currency = base_asset THEN
            s.fee_stake := f.fee_cost * f.price;
            fee_in_base := f.fee_cost;
        ELSE
            s.fee_stake := NULL;
        END IF;

        IF NOT s.is_exit THEN
            s.amount_delta := f.amount - fee_in_base;
            s.amount := s.amount + s.amount_delta;
            cost := cost + f.price * s.amount_delta;
            s.open_fees := s.open_fees + coalesce(s.fee_stake, 0);
            s.total_stake := s.total_stake + f.price * s.amount_delta + direction * coalesce(s.fee_stake, 0);
            IF s.amount > 0 THEN
                s.open_rate := ledger_quotient(cost, s.amount);
            END IF;
        ELSE
            s.amount_delta := f.amount;
            amount_before := s.amount;
            IF amount_before > 0 THEN
                s.exit_cost := ledger_quotient(cost * f.amount, amount_before);
                s.exit_open_fee := ledger_quotient(s.open_fees * f.amount, amount_before);
            ELSE
                -- nothing open: booked against the last average, as freqtrade does
                s.exit_cost := coalesce(s.open_rate, 0) * f.amount;
                s.exit_open_fee := 0;
            END IF;
            s.amount := amount_before - f.amount;
            cost := cost - s.exit_cost;
            s.open_fees := s.open_fees - s.exit_open_fee;

            s.interest := 0;
            IF t.trading_mode = 'margin' AND coalesce(t.interest_rate, 0) <> 0
               AND (t.is_short OR leverage <> 1) THEN
                hours_seconds := greatest(extract(epoch FROM f.fill_time - t.open_time), 0);
                IF lower(t.exchange) = 'kraken' THEN
                    periods := 1 + ceil(ledger_quotient(hours_seconds, 14400));
                    per_day := 1;
                ELSE
                    periods := ceil(ledger_quotient(hours_seconds, 3600));
                    per_day := 24;
                END IF;
                IF t.is_short THEN
                    s.interest := ledger_quotient(
                        t.interest_rate * periods * (f.price * f.amount + coalesce(s.fee_stake, 0)), per_day);
                ELSE
                    s.interest := ledger_quotient(
                        s.exit_cost * (leverage - 1) * t.interest_rate * periods, leverage * per_day);
                END IF;
            END IF;

            s.funding_fees := CASE WHEN t.trading_mode = 'futures' AND s.step = fill_count AND s.amount <= 0
                                   THEN coalesce(t.funding_fees, 0) ELSE 0 END;
            s.exit_profit := direction * (f.price * f.amount - s.exit_cost) - s.exit_open_fee
                             - coalesce(s.fee_stake, 0) - s.interest + s.funding_fees;
            s.realized_profit := s.realized_profit + s.exit_profit;
            IF s.total_stake <> 0 THEN
                s.close_profit_ratio := ledger_quotient(s.realized_profit * leverage, s.total_stake);
            END IF;
        END IF;

        s.stake_amount := ledger_quotient(cost, leverage);
        s.is_open := s.amount > 0;
        RETURN NEXT s;
    END LOOP;
END
$$;

COMMENT ON FUNCTION trade_ledger_steps(text, bigint) IS
    'The fills of a trade replayed with freqtrade''s rules, one row per fill with the ledger after it (docs/ledger.md)';

-- One trade's ledger: what the trade is (from trades), what its fills add up to, and the state after the last one.
CREATE TYPE trade_ledger_row AS (
    source_id             text,
    trade_id              bigint,
    strategy              text,
    exchange              text,
    pair                  text,
    stake_currency        text,         -- the trade's, else the pair's settle or quote currency
    is_short              boolean,
    trading_mode          text,
    leverage              numeric,      -- 1 when the trade gives none
    open_time             timestamptz,  -- the trade's
    close_time            timestamptz,  -- the last fill's, once the amount is back to zero
    is_open               boolean,      -- amount > 0; before any fill, the trade's own is_open
    entry_fills           integer,
    exit_fills            integer,
    entry_amount          numeric,      -- sum of what the entries added to the amount
    exit_amount           numeric,      -- sum of the exits' amounts
    amount                numeric,      -- still open
    open_rate             numeric,      -- weighted average entry price
    stake_amount          numeric,      -- open_rate x amount / leverage
    max_stake_amount      numeric,      -- entry cost of all entries / leverage (freqtrade's max_stake_amount)
    close_rate            numeric,      -- weighted average exit price
    fee_open              numeric,      -- entry fees, stake currency
    fee_close             numeric,      -- exit fees, stake currency
    unconverted_fee_fills integer,      -- fills whose fee currency is neither stake/quote nor base: fee left out
    interest              numeric,      -- margin interest booked by the exits
    funding_fees          numeric,      -- futures funding fees booked (by the closing exit)
    realized_profit       numeric,
    close_profit_ratio    numeric
);

CREATE FUNCTION trade_ledger(p_source_id text, p_trade_id bigint) RETURNS SETOF trade_ledger_row
LANGUAGE sql STABLE AS $$
    WITH steps AS MATERIALIZED (
        SELECT * FROM trade_ledger_steps(p_source_id, p_trade_id)
    ), totals AS (
        SELECT count(*) FILTER (WHERE NOT is_exit)::integer AS entry_fills,
               count(*) FILTER (WHERE is_exit)::integer AS exit_fills,
               coalesce(sum(amount_delta) FILTER (WHERE NOT is_exit), 0) AS entry_amount,
               coalesce(sum(amount_delta) FILTER (WHERE is_exit), 0) AS exit_amount,
               coalesce(sum(price * amount_delta) FILTER (WHERE NOT is_exit), 0) AS entry_cost,
               sum(price * fill_amount) FILTER (WHERE is_exit) AS exit_value,
               coalesce(sum(fee_stake) FILTER (WHERE NOT is_exit), 0) AS fee_open,
               coalesce(sum(fee_stake) FILTER (WHERE is_exit), 0) AS fee_close,
               count(*) FILTER (WHERE fee_stake IS NULL)::integer AS unconverted_fee_fills,
               coalesce(sum(interest), 0) AS interest,
               coalesce(sum(funding_fees), 0) AS funding_fees
        FROM steps
    ), last_step AS (
        SELECT * FROM steps ORDER BY step DESC LIMIT 1
    )
    SELECT t.source_id, t.trade_id, t.strategy, t.exchange, t.pair,
           coalesce(t.stake_currency, nullif(split_part(t.pair, ':', 2), ''),
                    split_part(split_part(t.pair, '/', 2), ':', 1)),
           t.is_short, t.trading_mode, coalesce(nullif(t.leverage, 0), 1), t.open_time,
           CASE WHEN NOT l.is_open THEN l.fill_time END,
           coalesce(l.is_open, t.is_open),
           x.entry_fills, x.exit_fills, x.entry_amount, x.exit_amount, coalesce(l.amount, 0), l.open_rate,
           coalesce(l.stake_amount, 0), ledger_quotient(x.entry_cost, coalesce(nullif(t.leverage, 0), 1)),
           ledger_quotient(x.exit_value, x.exit_amount), x.fee_open, x.fee_close, x.unconverted_fee_fills,
           x.interest, x.funding_fees, coalesce(l.realized_profit, 0), l.close_profit_ratio
    FROM trades t
    CROSS JOIN totals x
    LEFT JOIN last_step l ON true
    WHERE t.source_id = p_source_id AND t.trade_id = p_trade_id
$$;

COMMENT ON FUNCTION trade_ledger(text, bigint) IS
    'A trade''s ledger from its fills, with freqtrade''s rules in exact decimals (docs/ledger.md)';

-- Every trade of a source, by trade id.
CREATE FUNCTION trade_ledger_of(p_source_id text) RETURNS SETOF trade_ledger_row
LANGUAGE sql STABLE AS $$
    SELECT l.* FROM trades t CROSS JOIN LATERAL trade_ledger(t.source_id, t.trade_id) l
    WHERE t.source_id = p_source_id
    ORDER BY t.trade_id
$$;

COMMENT ON FUNCTION trade_ledger_of(text) IS 'The ledger of every trade of a source (docs/ledger.md)';

-- Realized profit per source and strategy, per stake currency (amounts in different currencies are never added).
-- Replays every trade's fills: a report, not something to poll.
CREATE VIEW realized_pnl_by_strategy AS
    SELECT l.source_id, l.strategy, l.stake_currency,
           count(*) AS trades,
           count(*) FILTER (WHERE NOT l.is_open AND l.exit_fills > 0) AS closed_trades,
           sum(l.realized_profit) AS realized_profit,
           sum(l.fee_open + l.fee_close) AS fees,
           sum(l.interest) AS interest,
           sum(l.funding_fees) AS funding_fees
    FROM trades t CROSS JOIN LATERAL trade_ledger(t.source_id, t.trade_id) l
    GROUP BY l.source_id, l.strategy, l.stake_currency;
