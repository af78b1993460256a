-- TradeState schema, version 13: risk locks across strategies (journal schema version 2, PairLock.allSources).
--
-- A lock taken with allSources holds for every source this database holds, not only for the source that took it:
-- a risk process (or any strategy) locks a volatile pair and every strategy's is_pair_locked says so. Such a lock is
-- the taking source's like any other: its lockPair/unlockPair/unlockReason events end it, by the same rules, with
-- the same queue order (an unlock ends the source's locks of both kinds taken before it). No other source ends it.
-- A version-1 writer's locks (no allSources field) and locks stored before this version are the source's own.
-- Adds two columns (no rewrite: one nullable, one with a constant default) and replaces three definitions.

-- Null for an unlock and for a lock of a version-1 writer (the journal's own field, stored as written).
ALTER TABLE pair_lock_events ADD COLUMN all_sources boolean;

ALTER TABLE pair_locks ADD COLUMN all_sources boolean NOT NULL DEFAULT false;
CREATE INDEX pair_locks_all_sources_active ON pair_locks (pair) WHERE active AND all_sources;

CREATE OR REPLACE FUNCTION apply_pair_lock_events(p_sources text[], p_lo bigint[], p_hi bigint[],
                                                  p_from timestamptz, p_to timestamptz) RETURNS integer
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
            INSERT INTO pair_locks (source_id, queue_index, pair, side, lock_time, lock_end_time, reason, active,
                                    all_sources)
            VALUES (e.source_id, e.queue_index, e.pair, e.side, e.event_time, e.lock_end_time, e.reason, true,
                    coalesce(e.all_sources, false))
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

-- V2's rules (freqtrade's is_pair_locked), over the source's own locks and every source's locks for all sources.
CREATE OR REPLACE FUNCTION is_pair_locked(p_source_id text, p_pair text, p_side text,
                                          p_at timestamptz DEFAULT now())
RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT EXISTS (
        SELECT 1 FROM pair_locks
        WHERE (source_id = p_source_id OR all_sources)
          AND active
          AND pair IN (p_pair, '*')
          AND (side = '*' OR (p_side <> '*' AND side = p_side))
          AND lock_time <= p_at
          AND lock_end_time > p_at)
$$;

COMMENT ON FUNCTION is_pair_locked(text, text, text, timestamptz) IS
    'Whether the source''s pair is locked for the side (long, short or *) at p_at, by freqtrade''s rules, by its '
    'own locks or by any source''s locks for all sources';

-- source_id is the source that took the lock; all_sources says whether it holds for every source.
CREATE OR REPLACE VIEW active_pair_locks AS
    SELECT source_id, queue_index, pair, side, lock_time, lock_end_time, reason, all_sources
    FROM pair_locks WHERE active AND lock_end_time > now();
