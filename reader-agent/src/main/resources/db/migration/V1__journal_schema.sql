-- TradeState schema, version 1: history (append-only, partitioned by month of append time), current state
-- (upserted per key), dead letters and per-source checkpoints. Applied by Flyway at agent start; never by hand.
--
-- Conventions: money and quantities are NUMERIC exactly as appended (scale kept); every history row carries the
-- source id and queue index it came from, the append time as timestamptz and the writer's nanosecond clock as
-- bigint. Enums are lower-case text with CHECK constraints, readable in psql and stable across versions.

CREATE TABLE sources (
    source_id        text        PRIMARY KEY,
    host             text        NOT NULL,
    pid              bigint      NOT NULL,
    schema_version   integer     NOT NULL,
    start_time       timestamptz NOT NULL,
    last_seen        timestamptz NOT NULL
);

CREATE TABLE source_checkpoints (
    source_id        text        PRIMARY KEY,
    last_index       bigint      NOT NULL,
    events           bigint      NOT NULL,
    updated_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE dead_letters (
    id               bigserial   PRIMARY KEY,
    source_id        text        NOT NULL,
    queue_index      bigint      NOT NULL,
    raw_bytes        bytea       NOT NULL,
    reason           text        NOT NULL,
    recorded_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (source_id, queue_index)
);

-- History. The primary key includes append_time because a unique constraint on a partitioned table must contain
-- the partition key; an excerpt has exactly one append time, so (source_id, queue_index) is still unique.

CREATE TABLE order_events (
    source_id        text        NOT NULL,
    queue_index      bigint      NOT NULL,
    append_time      timestamptz NOT NULL,
    append_time_ns   bigint      NOT NULL,
    exchange_time    timestamptz,
    receive_time_ns  bigint,
    trade_id         bigint,
    exchange         text        NOT NULL,
    symbol           text        NOT NULL,
    order_id         text        NOT NULL,
    client_order_id  text,
    side             text        NOT NULL CHECK (side IN ('buy', 'sell')),
    order_type       text        NOT NULL,
    time_in_force    text,
    status           text        NOT NULL,
    reduce_only      boolean     NOT NULL,
    price            numeric,
    stop_price       numeric,
    amount           numeric     NOT NULL,
    filled           numeric,
    remaining        numeric,
    average          numeric,
    cost             numeric,
    fee_cost         numeric,
    fee_currency     text,
    leverage         numeric,
    PRIMARY KEY (source_id, queue_index, append_time)
) PARTITION BY RANGE (append_time);
CREATE INDEX order_events_time ON order_events (append_time);
CREATE INDEX order_events_order ON order_events (exchange, order_id);

CREATE TABLE fills (
    source_id        text        NOT NULL,
    queue_index      bigint      NOT NULL,
    append_time      timestamptz NOT NULL,
    append_time_ns   bigint      NOT NULL,
    exchange_time    timestamptz,
    trade_id         bigint,
    exchange         text        NOT NULL,
    symbol           text        NOT NULL,
    fill_id          text        NOT NULL,
    order_id         text        NOT NULL,
    side             text        NOT NULL CHECK (side IN ('buy', 'sell')),
    liquidity        text,
    price            numeric     NOT NULL,
    amount           numeric     NOT NULL,
    fee_cost         numeric,
    fee_currency     text,
    PRIMARY KEY (source_id, queue_index, append_time)
) PARTITION BY RANGE (append_time);
CREATE INDEX fills_time ON fills (append_time);
CREATE INDEX fills_order ON fills (exchange, order_id);

CREATE TABLE trade_events (
    source_id            text        NOT NULL,
    queue_index          bigint      NOT NULL,
    append_time          timestamptz NOT NULL,
    append_time_ns       bigint      NOT NULL,
    trade_id             bigint      NOT NULL,
    open_time            timestamptz NOT NULL,
    close_time           timestamptz,
    strategy             text        NOT NULL,
    exchange             text        NOT NULL,
    pair                 text        NOT NULL,
    stake_currency       text,
    is_short             boolean     NOT NULL,
    is_open              boolean     NOT NULL,
    is_trailing_stop     boolean     NOT NULL,
    trading_mode         text        NOT NULL,
    leverage             numeric,
    open_rate            numeric     NOT NULL,
    amount               numeric     NOT NULL,
    stake_amount         numeric     NOT NULL,
    stop_loss            numeric,
    stop_loss_pct        numeric,
    initial_stop_loss    numeric,
    initial_stop_loss_pct numeric,
    max_rate             numeric,
    min_rate             numeric,
    close_rate           numeric,
    liquidation_price    numeric,
    interest_rate        numeric,
    funding_fees         numeric,
    fee_open             numeric,
    fee_close            numeric,
    realized_profit      numeric,
    exit_reason          text,
    enter_tag            text,
    PRIMARY KEY (source_id, queue_index, append_time)
) PARTITION BY RANGE (append_time);
CREATE INDEX trade_events_time ON trade_events (append_time);
CREATE INDEX trade_events_trade ON trade_events (source_id, trade_id);

CREATE TABLE pair_lock_events (
    source_id        text        NOT NULL,
    queue_index      bigint      NOT NULL,
    append_time      timestamptz NOT NULL,
    append_time_ns   bigint      NOT NULL,
    action           text        NOT NULL CHECK (action IN ('lock', 'unlock')),
    pair             text,                   -- null for an unlock by reason
    side             text        NOT NULL CHECK (side IN ('long', 'short', '*')),
    event_time       timestamptz NOT NULL,   -- when the lock starts, or when the unlock takes effect
    lock_end_time    timestamptz,            -- null for an unlock
    reason           text,
    PRIMARY KEY (source_id, queue_index, append_time)
) PARTITION BY RANGE (append_time);
CREATE INDEX pair_lock_events_time ON pair_lock_events (append_time);

CREATE TABLE balance_events (
    source_id        text        NOT NULL,
    queue_index      bigint      NOT NULL,
    append_time      timestamptz NOT NULL,
    append_time_ns   bigint      NOT NULL,
    exchange_time    timestamptz,
    exchange         text        NOT NULL,
    asset            text        NOT NULL,
    free             numeric,
    used             numeric,
    total            numeric     NOT NULL,
    PRIMARY KEY (source_id, queue_index, append_time)
) PARTITION BY RANGE (append_time);
CREATE INDEX balance_events_time ON balance_events (append_time);

-- Every history table has a default partition so that no row is ever refused for want of one; the agent creates
-- the monthly partitions ahead of time (see create_history_partitions) so that the default stays empty.
CREATE TABLE order_events_default PARTITION OF order_events DEFAULT;
CREATE TABLE fills_default PARTITION OF fills DEFAULT;
CREATE TABLE trade_events_default PARTITION OF trade_events DEFAULT;
CREATE TABLE pair_lock_events_default PARTITION OF pair_lock_events DEFAULT;
CREATE TABLE balance_events_default PARTITION OF balance_events DEFAULT;

-- Creates the monthly partitions of every history table from the month of p_from to p_months months later,
-- skipping those that exist. Partitions are named <table>_yYYYYmMM; detach or drop old ones to free space.
-- Months are UTC months whatever the session's TimeZone: the arithmetic is done on timestamp without time zone,
-- because adding months to a timestamptz follows the session's calendar (DST, month lengths) and would misplace
-- bounds and names in any zone but UTC.
CREATE FUNCTION create_history_partitions(p_from timestamptz, p_months integer) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    history_table  text;
    first_month    timestamp := date_trunc('month', p_from AT TIME ZONE 'UTC');
    month_start    timestamp;
    partition_name text;
    created        integer := 0;
BEGIN
    FOREACH history_table IN ARRAY ARRAY['order_events', 'fills', 'trade_events', 'pair_lock_events',
                                         'balance_events']
    LOOP
        FOR m IN 0..p_months LOOP
            month_start := first_month + make_interval(months => m);
            partition_name := format('%s_y%sm%s', history_table, to_char(month_start, 'YYYY'),
                                     to_char(month_start, 'MM'));
            IF to_regclass(partition_name) IS NULL THEN
                EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)',
                               partition_name, history_table, month_start AT TIME ZONE 'UTC',
                               (month_start + interval '1 month') AT TIME ZONE 'UTC');
                created := created + 1;
            END IF;
        END LOOP;
    END LOOP;
    RETURN created;
END
$$;

-- Current state, one row per key, from the latest event by queue order within a source.

CREATE TABLE orders (
    exchange         text        NOT NULL,
    order_id         text        NOT NULL,
    source_id        text        NOT NULL,
    queue_index      bigint      NOT NULL,
    append_time      timestamptz NOT NULL,
    exchange_time    timestamptz,
    trade_id         bigint,
    symbol           text        NOT NULL,
    client_order_id  text,
    side             text        NOT NULL,
    order_type       text        NOT NULL,
    time_in_force    text,
    status           text        NOT NULL,
    reduce_only      boolean     NOT NULL,
    price            numeric,
    stop_price       numeric,
    amount           numeric     NOT NULL,
    filled           numeric,
    remaining        numeric,
    average          numeric,
    cost             numeric,
    fee_cost         numeric,
    fee_currency     text,
    leverage         numeric,
    PRIMARY KEY (exchange, order_id)
);
CREATE INDEX orders_open_by_source ON orders (source_id, symbol) WHERE status IN ('open', 'partially_filled');
CREATE INDEX orders_by_trade ON orders (source_id, trade_id);

CREATE TABLE trades (
    source_id            text        NOT NULL,
    trade_id             bigint      NOT NULL,
    queue_index          bigint      NOT NULL,
    append_time          timestamptz NOT NULL,
    open_time            timestamptz NOT NULL,
    close_time           timestamptz,
    strategy             text        NOT NULL,
    exchange             text        NOT NULL,
    pair                 text        NOT NULL,
    stake_currency       text,
    is_short             boolean     NOT NULL,
    is_open              boolean     NOT NULL,
    is_trailing_stop     boolean     NOT NULL,
    trading_mode         text        NOT NULL,
    leverage             numeric,
    open_rate            numeric     NOT NULL,
    amount               numeric     NOT NULL,
    stake_amount         numeric     NOT NULL,
    stop_loss            numeric,
    stop_loss_pct        numeric,
    initial_stop_loss    numeric,
    initial_stop_loss_pct numeric,
    max_rate             numeric,
    min_rate             numeric,
    close_rate           numeric,
    liquidation_price    numeric,
    interest_rate        numeric,
    funding_fees         numeric,
    fee_open             numeric,
    fee_close            numeric,
    realized_profit      numeric,
    exit_reason          text,
    enter_tag            text,
    PRIMARY KEY (source_id, trade_id)
);
CREATE INDEX trades_by_strategy_time ON trades (strategy, open_time);
CREATE INDEX trades_open ON trades (strategy, pair) WHERE is_open;

CREATE TABLE pair_locks (
    source_id        text        NOT NULL,
    queue_index      bigint      NOT NULL,
    pair             text        NOT NULL,
    side             text        NOT NULL CHECK (side IN ('long', 'short', '*')),
    lock_time        timestamptz NOT NULL,
    lock_end_time    timestamptz NOT NULL,
    reason           text,
    active           boolean     NOT NULL,
    PRIMARY KEY (source_id, queue_index)
);
CREATE INDEX pair_locks_active ON pair_locks (source_id, pair) WHERE active;

CREATE TABLE balances (
    exchange         text        NOT NULL,
    asset            text        NOT NULL,
    source_id        text        NOT NULL,
    queue_index      bigint      NOT NULL,
    append_time      timestamptz NOT NULL,
    exchange_time    timestamptz,
    free             numeric,
    used             numeric,
    total            numeric     NOT NULL,
    PRIMARY KEY (exchange, asset)
);

-- Applies the pair lock events of one batch (per source, an index range) to pair_locks, in queue order, with
-- freqtrade's rules: a lock adds an active row; an unlock of a pair deactivates that pair's active locks of the same
-- side (all sides when the unlock's side is '*'); an unlock by reason deactivates every active lock with that reason.
-- Unlocked locks stay, inactive, as history.
CREATE FUNCTION apply_pair_lock_events(p_sources text[], p_lo bigint[], p_hi bigint[], p_from timestamptz,
                                       p_to timestamptz) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    e       record;
    applied integer := 0;
BEGIN
    FOR e IN
        SELECT pe.* FROM pair_lock_events pe
        JOIN unnest(p_sources, p_lo, p_hi) AS r(source_id, lo, hi)
          ON pe.source_id = r.source_id AND pe.queue_index BETWEEN r.lo AND r.hi
        WHERE pe.append_time BETWEEN p_from AND p_to
        ORDER BY pe.source_id, pe.queue_index
    LOOP
        IF e.action = 'lock' THEN
            INSERT INTO pair_locks (source_id, queue_index, pair, side, lock_time, lock_end_time, reason, active)
            VALUES (e.source_id, e.queue_index, e.pair, e.side, e.event_time, e.lock_end_time, e.reason, true)
            ON CONFLICT (source_id, queue_index) DO NOTHING;
        ELSIF e.pair IS NOT NULL THEN
            UPDATE pair_locks SET active = false
            WHERE source_id = e.source_id AND active AND queue_index < e.queue_index AND pair = e.pair
              AND (e.side = '*' OR side = e.side);
        ELSE
            UPDATE pair_locks SET active = false
            WHERE source_id = e.source_id AND active AND queue_index < e.queue_index AND reason = e.reason;
        END IF;
        applied := applied + 1;
    END LOOP;
    RETURN applied;
END
$$;
