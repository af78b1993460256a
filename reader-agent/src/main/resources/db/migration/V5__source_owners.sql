-- TradeState schema, version 5: which reader agent drains each source. Several hosts, each with its own journal
-- root and agent, may drain into one database; a source id must then be unique across hosts, or two journals would
-- share one checkpoint and one key space in the history tables. An agent claims a source before its first batch
-- (first claim wins, by this table's key) and refuses to drain a source another agent has claimed. The agent is
-- named "<host name>:<journal root>"; hand a source over to another agent with
--   DELETE FROM source_owners WHERE source_id = '...';
-- once its old agent is stopped. Sources drained before this version are claimed by the first agent that finds them.
CREATE TABLE source_owners (
    source_id        text        PRIMARY KEY,
    agent            text        NOT NULL,
    claimed_at       timestamptz NOT NULL DEFAULT now()
);
