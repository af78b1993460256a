-- TradeState schema, version 7: partition maintenance that several agents and an operator can run at once.
--
-- create_history_partitions now serialises on a transaction-level advisory lock: two agents draining into one
-- database (schema V5) both creating the month's partitions at the same moment made the second fail with
-- "relation ... already exists" (to_regclass saw neither), a failed batch retried after a back-off. A caller that
-- waited on the lock sees the partitions the first one committed; should its catalog snapshot still miss one, the
-- duplicate is skipped, never raised.
--
-- expire_history_partitions detaches, or drops, the monthly partitions of every history table that end on or before
-- a cutoff, for operators who keep a bounded history in the database (the journals and a backup keep the rest):
--   SELECT * FROM expire_history_partitions('2025-01-01', false);   -- detach: tables stay, out of the history
--   SELECT * FROM expire_history_partitions('2025-01-01', true);    -- drop them
-- or `tradestate partitions expire`. The cutoff is moved back, never forward, so that nothing expires that a
-- current reader still needs:
--   * the start of the previous UTC month: the agent may still be writing the current month and, at the turn of a
--     month, the one before;
--   * the month of the oldest open trade's open time: its ledger (schema V4) replays every fill since it opened.
-- Default partitions are never touched. Closed trades whose fills are expired leave trade_ledger and
-- realized_pnl_by_strategy; the current-state tables (orders, trades, pair_locks, balances) keep every row.

CREATE OR REPLACE FUNCTION create_history_partitions(p_from timestamptz, p_months integer) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    history_table  text;
    first_month    timestamp := date_trunc('month', p_from AT TIME ZONE 'UTC');
    month_start    timestamp;
    partition_name text;
    created        integer := 0;
BEGIN
    PERFORM pg_advisory_xact_lock(history_partitions_lock_key());
    FOREACH history_table IN ARRAY history_table_names()
    LOOP
        FOR m IN 0..p_months LOOP
            month_start := first_month + make_interval(months => m);
            partition_name := format('%s_y%sm%s', history_table, to_char(month_start, 'YYYY'),
                                     to_char(month_start, 'MM'));
            IF to_regclass(partition_name) IS NULL THEN
                BEGIN
                    EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)',
                                   partition_name, history_table, month_start AT TIME ZONE 'UTC',
                                   (month_start + interval '1 month') AT TIME ZONE 'UTC');
                    created := created + 1;
                EXCEPTION WHEN duplicate_table THEN
                    NULL; -- created by a transaction that committed after this one's catalog snapshot
                END;
            END IF;
        END LOOP;
    END LOOP;
    RETURN created;
END
$$;

-- The advisory lock key every partition change of TradeState's takes: 'TS' 'PART' in ASCII.
CREATE FUNCTION history_partitions_lock_key() RETURNS bigint
LANGUAGE sql IMMUTABLE AS $$ SELECT x'5453504152540000'::bigint $$;

-- The partitioned history tables, in the order partitions are created and expired.
CREATE FUNCTION history_table_names() RETURNS text[]
LANGUAGE sql IMMUTABLE AS $$
    SELECT ARRAY['order_events', 'fills', 'trade_events', 'pair_lock_events', 'balance_events']
$$;

-- The cutoff expire_history_partitions applies for a requested one: see the header of this script.
CREATE FUNCTION history_expiry_cutoff(p_before timestamptz) RETURNS timestamptz
LANGUAGE sql STABLE AS $$
    SELECT least(
        (date_trunc('month', p_before AT TIME ZONE 'UTC')) AT TIME ZONE 'UTC',
        (date_trunc('month', now() AT TIME ZONE 'UTC') - interval '1 month') AT TIME ZONE 'UTC',
        (SELECT (date_trunc('month', min(open_time) AT TIME ZONE 'UTC')) AT TIME ZONE 'UTC'
         FROM trades WHERE is_open))
$$;

-- Detaches (p_drop false) or drops (p_drop true) every monthly history partition that ends on or before
-- history_expiry_cutoff(p_before); returns one row per partition: its name, its month, what was done and its rows.
-- Runs in the caller's transaction and waits for the agents' partition creation; detaching takes an ACCESS
-- EXCLUSIVE lock on the parent table, so it waits for the batch in flight and the next batch waits for it.
CREATE FUNCTION expire_history_partitions(p_before timestamptz, p_drop boolean)
RETURNS TABLE(partition_name text, month_start timestamptz, action text, row_count bigint)
LANGUAGE plpgsql AS $$
DECLARE
    cutoff  timestamp := history_expiry_cutoff(p_before) AT TIME ZONE 'UTC';
    part    record;
BEGIN
    PERFORM pg_advisory_xact_lock(history_partitions_lock_key());
    FOR part IN
        SELECT c.relname::text AS name, p.relname::text AS parent,
               to_date(substring(c.relname FROM '_y([0-9]{4}m[0-9]{2})$'), 'YYYY"m"MM')::timestamp AS starts
        FROM pg_inherits i
        JOIN pg_class c ON c.oid = i.inhrelid
        JOIN pg_class p ON p.oid = i.inhparent
        WHERE p.relname = ANY (history_table_names())
          AND c.relnamespace = p.relnamespace
          AND p.relnamespace = current_schema()::regnamespace
          AND c.relname ~ '_y[0-9]{4}m[0-9]{2}$'
        ORDER BY 3, 1
    LOOP
        EXIT WHEN part.starts + interval '1 month' > cutoff;
        partition_name := part.name;
        month_start := part.starts AT TIME ZONE 'UTC';
        EXECUTE format('SELECT count(*) FROM %I', part.name) INTO row_count;
        EXECUTE format('ALTER TABLE %I DETACH PARTITION %I', part.parent, part.name);
        IF p_drop THEN
            EXECUTE format('DROP TABLE %I', part.name);
            action := 'dropped';
        ELSE
            action := 'detached';
        END IF;
        RETURN NEXT;
    END LOOP;
END
$$;
