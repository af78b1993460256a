-- TradeState schema, version 3: an order's status moves forward only, and updates arriving out of order are
-- settled by the exchange's time, not by arrival.
--
-- The rank of a status: open 0, partially_filled 1, and the final ones (closed, canceled, expired, rejected) 2. Of
-- all the updates of one order (exchange, order_id), the current state in `orders` is the greatest by
--     (rank, exchange time, append time in ns, queue index)
-- where an update without an exchange time counts its append time instead. So an update that would move an order
-- back (a final order reopened, a partially filled one back to open) never overwrites the current state; it stays
-- in order_events, flagged status_regression; among updates of the same rank, the latest by the exchange's clock
-- wins whatever the order they arrive in, across sources too; the append time, then the queue index, break ties.
-- The state maps apply the same order (StateMapWriter), so they keep equalling this table.

CREATE FUNCTION order_status_rank(p_status text) RETURNS integer
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT CASE WHEN p_status = 'open' THEN 0 WHEN p_status = 'partially_filled' THEN 1 ELSE 2 END
$$;

-- An update that came after one of a greater rank for the same order: kept as history, not applied.
ALTER TABLE order_events ADD COLUMN status_regression boolean NOT NULL DEFAULT false;

-- The append time to the nanosecond, the third part of the order above (append_time keeps microseconds).
ALTER TABLE orders ADD COLUMN append_time_ns bigint;
UPDATE orders o SET append_time_ns = e.append_time_ns
FROM order_events e
WHERE e.source_id = o.source_id AND e.queue_index = o.queue_index AND e.append_time = o.append_time;
UPDATE orders SET append_time_ns = (extract(epoch FROM append_time) * 1000000)::bigint * 1000
WHERE append_time_ns IS NULL;
ALTER TABLE orders ALTER COLUMN append_time_ns SET NOT NULL;

CREATE INDEX order_events_regressions ON order_events (exchange, order_id) WHERE status_regression;
