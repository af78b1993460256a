-- TradeState schema, version 11: a batch's pair lock events applied by two statements instead of one per event.
--
-- The rules are V1's (freqtrade's): a lock adds an active row; an unlock of a pair deactivates that pair's active locks
-- of the same side (all sides when the unlock's side is '*') taken before it in its source's queue; an unlock by
-- reason deactivates every active lock with that reason taken before it. Since a lock only ever adds an active row and
-- an unlock only ever deactivates locks of a lower queue index, inserting every lock of the batch first and then
-- applying every unlock to the locks before it gives the state that applying them one by one in queue order gives:
-- a lock after an unlock is untouched by it, a lock before it is deactivated whether it came in this batch or earlier.
-- The function keeps its signature and its grants; it returns the number of pair lock events of the batch, as before.
CREATE OR REPLACE FUNCTION apply_pair_lock_events(p_sources text[], p_lo bigint[], p_hi bigint[], p_from timestamptz,
                                                  p_to timestamptz) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    locks   integer;
    unlocks integer;
BEGIN
    INSERT INTO pair_locks (source_id, queue_index, pair, side, lock_time, lock_end_time, reason, active)
    SELECT pe.source_id, pe.queue_index, pe.pair, pe.side, pe.event_time, pe.lock_end_time, pe.reason, true
    FROM pair_lock_events pe
    JOIN unnest(p_sources, p_lo, p_hi) AS r(source_id, lo, hi)
      ON pe.source_id = r.source_id AND pe.queue_index BETWEEN r.lo AND r.hi
    WHERE pe.append_time BETWEEN p_from AND p_to AND pe.action = 'lock'
    ON CONFLICT (source_id, queue_index) DO NOTHING;

    SELECT count(*) FILTER (WHERE pe.action = 'lock'), count(*) FILTER (WHERE pe.action <> 'lock')
    INTO locks, unlocks
    FROM pair_lock_events pe
    JOIN unnest(p_sources, p_lo, p_hi) AS r(source_id, lo, hi)
      ON pe.source_id = r.source_id AND pe.queue_index BETWEEN r.lo AND r.hi
    WHERE pe.append_time BETWEEN p_from AND p_to;

    IF unlocks > 0 THEN
        UPDATE pair_locks p SET active = false
        FROM pair_lock_events u
        JOIN unnest(p_sources, p_lo, p_hi) AS r(source_id, lo, hi)
          ON u.source_id = r.source_id AND u.queue_index BETWEEN r.lo AND r.hi
        WHERE u.append_time BETWEEN p_from AND p_to AND u.action <> 'lock'
          AND p.source_id = u.source_id AND p.active AND p.queue_index < u.queue_index
          AND CASE WHEN u.pair IS NOT NULL THEN p.pair = u.pair AND (u.side = '*' OR p.side = u.side)
                   ELSE p.reason = u.reason END;
    END IF;
    RETURN locks + unlocks;
END
$$;
