-- TradeState schema, version 8: expire_history_partitions counts the rows of every partition it expires before it
-- detaches the first one. V7 counted each partition after detaching the ones before it, so a whole scan of each
-- month ran while the transaction held ACCESS EXCLUSIVE locks on the history tables, and the agent's batches waited
-- for every count. Now the agent waits only for the detaches (and drops), milliseconds each. Same rows returned.
CREATE OR REPLACE FUNCTION expire_history_partitions(p_before timestamptz, p_drop boolean)
RETURNS TABLE(partition_name text, month_start timestamptz, action text, row_count bigint)
LANGUAGE plpgsql AS $$
DECLARE
    cutoff   timestamp := history_expiry_cutoff(p_before) AT TIME ZONE 'UTC';
    names    text[] := '{}';
    parents  text[] := '{}';
    starts   timestamp[] := '{}';
    counts   bigint[] := '{}';
    counted  bigint;
    part     record;
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
        EXECUTE format('SELECT count(*) FROM %I', part.name) INTO counted;
        names := names || part.name;
        parents := parents || part.parent;
        starts := starts || part.starts;
        counts := counts || counted;
    END LOOP;

    FOR i IN 1..coalesce(array_length(names, 1), 0) LOOP
        EXECUTE format('ALTER TABLE %I DETACH PARTITION %I', parents[i], names[i]);
        IF p_drop THEN
            EXECUTE format('DROP TABLE %I', names[i]);
        END IF;
        partition_name := names[i];
        month_start := starts[i] AT TIME ZONE 'UTC';
        action := CASE WHEN p_drop THEN 'dropped' ELSE 'detached' END;
        row_count := counts[i];
        RETURN NEXT;
    END LOOP;
END
$$;
