-- TradeState schema, version 9: the agent can drain as a role that owns nothing.
--
-- A deployment may let one role own the schema and run the migrations (db.migration.user) and the agent drain as
-- another with only the grants listed in docs/operations.md ("Security"): SELECT, INSERT and UPDATE on the tables,
-- USAGE on the sequences, EXECUTE on create_history_partitions. Creating a month's partitions needs the ownership of
-- the history tables, which such a role lacks, so create_history_partitions now runs with the rights of its owner
-- (SECURITY DEFINER). It can do only what it always did, create the monthly partitions of the five history tables,
-- with names and bounds it computes itself from a timestamp and a month count. Its search_path is pinned to the
-- schema it lives in, pg_temp last, so that no caller can slip a table or function of its own into it; EXECUTE is
-- revoked from PUBLIC, and the administrator grants it to the agent's role. With a single role for everything (the
-- default, and the embedded server) nothing changes: an owner may always execute its own function.
DO $$
BEGIN
    EXECUTE format('ALTER FUNCTION create_history_partitions(timestamptz, integer) SECURITY DEFINER ' ||
                   'SET search_path = %I, pg_temp', current_schema());
END
$$;

REVOKE EXECUTE ON FUNCTION create_history_partitions(timestamptz, integer) FROM PUBLIC;
