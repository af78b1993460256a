-- TradeState schema, version 14: where an event came from (journal schema version 2, origin and reconcileTimeMs of
-- Fill, OrderUpdate and BalanceUpdate).
--
-- `tradestate reconcile --apply` appends the fills, order updates and balances the journal lacks, from the
-- exchange's account, through the source's journal; they are drained, stored and counted like any other (the ledger
-- and the current state follow from them), and these two columns say so: origin 'reconciliation' and the time the
-- reconciliation ran. The strategy's own events store 'strategy'; a version-1 writer's events (no such field) store
-- NULL in both, which means the strategy. Nullable columns without a default: no rewrite of the partitions.

ALTER TABLE fills ADD COLUMN origin text CHECK (origin IN ('strategy', 'reconciliation'));
ALTER TABLE fills ADD COLUMN reconcile_time timestamptz;

ALTER TABLE order_events ADD COLUMN origin text CHECK (origin IN ('strategy', 'reconciliation'));
ALTER TABLE order_events ADD COLUMN reconcile_time timestamptz;

ALTER TABLE balance_events ADD COLUMN origin text CHECK (origin IN ('strategy', 'reconciliation'));
ALTER TABLE balance_events ADD COLUMN reconcile_time timestamptz;
