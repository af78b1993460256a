-- TradeState schema, version 2: answers users ask the current state for, in SQL: is a pair locked
-- (is_pair_locked), which orders and trades are open (open_orders, open_trades) and which locks hold now
-- (active_pair_locks). Adds no table and changes no data, so it applies in a moment to a database of any size.

-- Whether a source's pair is locked for a side at a time, by freqtrade's rules. They are those of freqtrade's
-- PairLocks.is_pair_locked(pair, now, side): PairLocks.get_pair_locks(pair, now, side) or a global lock
-- (get_pair_locks('*', now, side)), where the live, database path of get_pair_locks is PairLock.query_pair_locks in
-- freqtrade/persistence/pairlock.py, with the filters:
--   lock_end_time > now                           the end is exclusive: a lock ending at p_at no longer holds
--   active                                        an unlocked lock never counts, at any time
--   pair = the pair                               a lock of pair '*' locks every pair (the global lock)
--   side != '*': side = the side OR side = '*'    a 'long' query is matched by 'long' and '*' locks
--   side  = '*': side = '*'                       a '*' query is matched only by '*' locks, not by one-sided ones
-- (freqtrade's in-memory backtesting path tests lock_end_time >= now instead; the live rule is the one here.)
-- freqtrade sets no lower bound: a lock counts from the moment it is queried, because it is always made with
-- lock_time = now. Here p_at may lie in the past, so a lock counts from its lock_time, inclusive: at p_at = now()
-- the answer is freqtrade's for every lock made before the query. Activity is the current one, as in freqtrade:
-- asking about an earlier time does not bring back a lock unlocked since (pair_lock_events keeps that history).
CREATE FUNCTION is_pair_locked(p_source_id text, p_pair text, p_side text, p_at timestamptz DEFAULT now())
RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT EXISTS (
        SELECT 1 FROM pair_locks
        WHERE source_id = p_source_id
          AND active
          AND pair IN (p_pair, '*')
          AND (side = '*' OR (p_side <> '*' AND side = p_side))
          AND lock_time <= p_at
          AND lock_end_time > p_at)
$$;

COMMENT ON FUNCTION is_pair_locked(text, text, text, timestamptz) IS
    'Whether the source''s pair is locked for the side (long, short or *) at p_at, by freqtrade''s rules';

-- Orders still working on the exchange.
CREATE VIEW open_orders AS
    SELECT * FROM orders WHERE status IN ('open', 'partially_filled');

-- Trades not closed yet.
CREATE VIEW open_trades AS
    SELECT * FROM trades WHERE is_open;

-- Locks that hold or will hold: active and not expired at now() (freqtrade's get_pair_locks(None)); a lock whose
-- lock_time is still ahead is listed, though is_pair_locked does not count it before its lock_time.
CREATE VIEW active_pair_locks AS
    SELECT source_id, queue_index, pair, side, lock_time, lock_end_time, reason
    FROM pair_locks WHERE active AND lock_end_time > now();

-- V1's partial indexes serve open_orders (orders_open_by_source), open_trades (trades_open) and is_pair_locked
-- (pair_locks_active, on source_id and pair where active). The view of active locks wants the end time.
CREATE INDEX pair_locks_active_until ON pair_locks (lock_end_time) WHERE active;
