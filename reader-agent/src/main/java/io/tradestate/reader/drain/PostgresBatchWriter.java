package io.tradestate.reader.drain;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;

import javax.sql.DataSource;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes one batch into PostgreSQL in one transaction: the history rows by binary COPY, the current-state tables by one
 * set-based upsert each from the batch's candidates, the dead letters, the writers' identities and, in the same
 * transaction, each source's checkpoint. Either all of it is committed or none of it.
 * <p>
 * Design: the checkpoint in the transaction is what makes the drain exactly once; the history tables' primary keys
 * on (source, index) are a second guard that turns a checkpoint bug into a failed batch instead of a duplicate. The
 * current state is derived from the history rows in the database rather than sent twice: the batch's
 * {@link StateCandidates} (per key the update that wins within the batch) are copied into the session's
 * {@code drain_candidates} table, and each upsert joins them to the rows just copied by primary key. Monthly
 * partitions are created before the first row of a month arrives, so the default partition stays empty and old
 * months can be detached.
 * <p>
 * When PostgreSQL rejects a row of a batch, {@link #writeIsolatingRejected} writes the batch again in one transaction,
 * slice by slice under savepoints, and leaves the rejected events to {@code dead_letters}; the search itself is
 * {@link RejectedEventIsolator}'s.
 */
public final class PostgresBatchWriter
{
    private static final String RANGES = "unnest(?::text[], ?::bigint[], ?::bigint[]) AS r(source_id, lo, hi)";
    private static final String CANDIDATE = "drain_candidates c JOIN %s e ON e.source_id = c.source_id AND " +
        "e.queue_index = c.queue_index AND e.append_time = c.append_time WHERE c.kind = '%s'";

    /**
     * An order's update supersedes another when it is greater by (status rank, the exchange's time or, without one,
     * the append time, the append time in ns, the queue index): V3's rule, which the state maps apply as
     * {@link io.tradestate.state.StateUpdateRule#orderWins}; StateUpdateRuleIT checks that the two agree.
     */
    static final String UPSERT_ORDERS = "INSERT INTO orders (exchange, order_id, source_id, queue_index, " +
        "append_time, append_time_ns, exchange_time, trade_id, symbol, client_order_id, side, order_type, " +
        "time_in_force, status, reduce_only, price, stop_price, amount, filled, remaining, average, cost, fee_cost, " +
        "fee_currency, leverage) SELECT DISTINCT ON (e.exchange, e.order_id) e.exchange, e.order_id, e.source_id, " +
        "e.queue_index, e.append_time, e.append_time_ns, e.exchange_time, e.trade_id, e.symbol, e.client_order_id, " +
        "e.side, e.order_type, e.time_in_force, e.status, e.reduce_only, e.price, e.stop_price, e.amount, e.filled, " +
        "e.remaining, e.average, e.cost, e.fee_cost, e.fee_currency, e.leverage FROM " +
        candidates("order_events", StateCandidates.ORDER_WINNER) + " ORDER BY e.exchange, e.order_id, " +
        "order_status_rank(e.status) DESC, " +
        "coalesce(e.exchange_time, e.append_time) DESC, e.append_time_ns DESC, e.queue_index DESC " +
        "ON CONFLICT (exchange, order_id) DO UPDATE SET source_id = excluded.source_id, " +
        "queue_index = excluded.queue_index, append_time = excluded.append_time, " +
        "append_time_ns = excluded.append_time_ns, " +
        "exchange_time = excluded.exchange_time, trade_id = excluded.trade_id, symbol = excluded.symbol, " +
        "client_order_id = excluded.client_order_id, side = excluded.side, order_type = excluded.order_type, " +
        "time_in_force = excluded.time_in_force, status = excluded.status, reduce_only = excluded.reduce_only, " +
        "price = excluded.price, stop_price = excluded.stop_price, amount = excluded.amount, " +
        "filled = excluded.filled, remaining = excluded.remaining, average = excluded.average, " +
        "cost = excluded.cost, fee_cost = excluded.fee_cost, fee_currency = excluded.fee_currency, " +
        "leverage = excluded.leverage WHERE (order_status_rank(excluded.status), " +
        "coalesce(excluded.exchange_time, excluded.append_time), excluded.append_time_ns, excluded.queue_index) > " +
        "(order_status_rank(orders.status), coalesce(orders.exchange_time, orders.append_time), " +
        "orders.append_time_ns, orders.queue_index)";

    /**
     * The batch's orders whose status rank in {@code orders} is greater than the lowest rank of their updates in the
     * batch ({@code min_rank} of their winner), usually none: those updates regress against the table. Runs before the
     * upsert, so {@code orders} still holds the state before the batch.
     */
    private static final String SELECT_ORDERS_AHEAD = "SELECT c.source_id, c.queue_index, " +
        "order_status_rank(o.status) FROM drain_candidates c JOIN orders o ON o.exchange = c.exchange AND " +
        "o.order_id = c.order_id WHERE c.kind = '" + StateCandidates.ORDER_WINNER + "' AND " +
        "order_status_rank(o.status) > c.min_rank";

    /**
     * Flags the batch's order updates that came after one of a greater status rank of the same order, in the batch
     * or in {@code orders}, as {@link StateCandidates} marked them.
     */
    private static final String FLAG_REGRESSIONS = "UPDATE order_events t SET status_regression = true " +
        "FROM drain_candidates c WHERE c.kind = '" + StateCandidates.ORDER_REGRESSION + "' AND " +
        "t.source_id = c.source_id AND t.queue_index = c.queue_index AND t.append_time = c.append_time";

    private static final String TRADE_COLUMNS = "open_time, close_time, strategy, exchange, pair, stake_currency, " +
        "is_short, is_open, is_trailing_stop, trading_mode, leverage, open_rate, amount, stake_amount, stop_loss, " +
        "stop_loss_pct, initial_stop_loss, initial_stop_loss_pct, max_rate, min_rate, close_rate, " +
        "liquidation_price, interest_rate, funding_fees, fee_open, fee_close, realized_profit, exit_reason, " +
        "enter_tag";

    private static final String UPSERT_TRADES = "INSERT INTO trades (source_id, trade_id, queue_index, " +
        "append_time, " + TRADE_COLUMNS + ") SELECT DISTINCT ON (e.source_id, e.trade_id) e.source_id, " +
        "e.trade_id, e.queue_index, e.append_time, " + prefixed(TRADE_COLUMNS) + " FROM " +
        candidates("trade_events", StateCandidates.TRADE_WINNER) +
        " ORDER BY e.source_id, e.trade_id, e.queue_index DESC " +
        "ON CONFLICT (source_id, trade_id) DO UPDATE SET queue_index = excluded.queue_index, " +
        "append_time = excluded.append_time, " + assignments(TRADE_COLUMNS) +
        " WHERE trades.queue_index < excluded.queue_index";

    /**
     * The batch's winner per balance follows the rule of the conflict clause and of the state maps
     * ({@link io.tradestate.state.StateUpdateRule#balanceWins}): within a source the latest queue index (append times
     * of one source can go backwards: two threads, or a clock stepped back), across sources the latest append time.
     */
    static final String UPSERT_BALANCES = "INSERT INTO balances (exchange, asset, source_id, queue_index, " +
        "append_time, exchange_time, free, used, total) SELECT DISTINCT ON (b.exchange, b.asset) b.exchange, " +
        "b.asset, b.source_id, b.queue_index, b.append_time, b.exchange_time, b.free, b.used, b.total FROM " +
        "(SELECT DISTINCT ON (e.exchange, e.asset, e.source_id) e.exchange, e.asset, e.source_id, e.queue_index, " +
        "e.append_time, e.append_time_ns, e.exchange_time, e.free, e.used, e.total " +
        "FROM " + candidates("balance_events", StateCandidates.BALANCE_WINNER) +
        " ORDER BY e.exchange, e.asset, e.source_id, e.queue_index DESC) b " +
        "ORDER BY b.exchange, b.asset, b.append_time_ns DESC, b.queue_index DESC " +
        "ON CONFLICT (exchange, asset) DO UPDATE SET source_id = excluded.source_id, " +
        "queue_index = excluded.queue_index, append_time = excluded.append_time, " +
        "exchange_time = excluded.exchange_time, free = excluded.free, used = excluded.used, " +
        "total = excluded.total WHERE (balances.source_id = excluded.source_id AND " +
        "balances.queue_index < excluded.queue_index) OR (balances.source_id <> excluded.source_id AND " +
        "balances.append_time <= excluded.append_time)";

    private static final String APPLY_PAIR_LOCKS = "SELECT apply_pair_lock_events(?::text[], ?::bigint[], " +
        "?::bigint[], ?, ?)";

    private static final String INSERT_DEAD_LETTER = "INSERT INTO dead_letters (source_id, queue_index, raw_bytes, " +
        "reason) VALUES (?, ?, ?, ?) ON CONFLICT (source_id, queue_index) DO NOTHING";

    private static final String UPSERT_SOURCE = "INSERT INTO sources (source_id, host, pid, schema_version, " +
        "start_time, last_seen) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (source_id) DO UPDATE SET " +
        "host = excluded.host, pid = excluded.pid, schema_version = excluded.schema_version, " +
        "start_time = excluded.start_time, last_seen = GREATEST(sources.last_seen, excluded.last_seen)";

    /**
     * A source's first checkpoint, with its journal's identity: nothing if the source has one already, or if another
     * source holds the journal (the unique key on {@code journal_id}), and the batch then fails.
     */
    private static final String INSERT_CHECKPOINT = "INSERT INTO source_checkpoints (source_id, last_index, events, " +
        "updated_at, journal_id) VALUES (?, ?, ?, now(), ?::uuid) ON CONFLICT DO NOTHING";

    /**
     * A checkpoint moves forward only, and only from the index the batch started after, for the journal it was
     * recorded for (compare-and-set): a batch of an agent that is not the only reader of the source updates no row,
     * and fails. A checkpoint written before journal identities (schema version 10) takes the journal's at its next
     * batch.
     */
    private static final String ADVANCE_CHECKPOINT = "UPDATE source_checkpoints SET last_index = ?, " +
        "events = events + ?, updated_at = now(), journal_id = coalesce(journal_id, ?::uuid) WHERE source_id = ? " +
        "AND last_index = ? AND last_index < ? AND (journal_id IS NULL OR journal_id = ?::uuid)";

    private static final String SELECT_CHECKPOINTS = "SELECT source_id, last_index FROM source_checkpoints";
    private static final String CREATE_PARTITIONS = "SELECT create_history_partitions(?, ?)";
    private static final long TIME_SLACK_NS = 1_000_000_000L;

    private final DataSource dataSource;
    private final Set<YearMonth> partitionedMonths = ConcurrentHashMap.newKeySet();
    private final Map<PGConnection, Boolean> sessionsWithCandidates =
        Collections.synchronizedMap(new WeakHashMap<>());
    private final CopyTextEncoder candidateRows = new CopyTextEncoder();

    /**
     * @param dataSource the database, a pool.
     */
    public PostgresBatchWriter(final DataSource dataSource)
    {
        this.dataSource = dataSource;
    }

    /**
     * The database this writer writes to.
     *
     * @return the data source given at construction.
     */
    DataSource dataSource()
    {
        return dataSource;
    }

    /**
     * Fail at start, with the grant that is missing, when the agent's role cannot create the temporary table each
     * batch's candidates go to: PostgreSQL gives {@code TEMPORARY} to {@code PUBLIC}, a least-privilege setup may
     * have revoked it.
     *
     * @param dataSource the agent's pool.
     * @throws SQLException          if the database cannot be asked.
     * @throws IllegalStateException if the role lacks {@code TEMPORARY} on the database.
     */
    public static void checkPrivileges(final DataSource dataSource) throws SQLException
    {
        try (Connection connection = dataSource.getConnection();
            Statement statement = connection.createStatement();
            ResultSet resultSet = statement.executeQuery("SELECT current_user, current_database(), " +
                "has_database_privilege(current_database(), 'TEMPORARY')"))
        {
            resultSet.next();
            final boolean allowed = resultSet.getBoolean(3);
            final String role = resultSet.getString(1);
            final String database = resultSet.getString(2);
            if (!connection.getAutoCommit())
            {
                connection.commit();
            }
            if (!allowed)
            {
                throw new IllegalStateException("the role " + role + " cannot create temporary tables in the " +
                    "database " + database + ", where the drain copies each batch's current-state candidates: " +
                    "GRANT TEMPORARY ON DATABASE " + database + " TO " + role + " (docs/operations.md, " +
                    "\"Least-privilege database roles\")");
            }
        }
    }

    /**
     * The last committed index of every source the database knows.
     *
     * @return source id to queue index.
     * @throws SQLException if the database cannot be read.
     */
    Map<String, Long> loadCheckpoints() throws SQLException
    {
        final Map<String, Long> checkpoints = new HashMap<>();
        try (Connection connection = dataSource.getConnection();
            Statement statement = connection.createStatement();
            ResultSet resultSet = statement.executeQuery(SELECT_CHECKPOINTS))
        {
            while (resultSet.next())
            {
                checkpoints.put(resultSet.getString(1), resultSet.getLong(2));
            }
            if (!connection.getAutoCommit())
            {
                connection.commit();
            }
        }
        return checkpoints;
    }

    /**
     * Write the batch and the checkpoints of its sources in one transaction.
     *
     * @param batch to write; left as it is, the caller resets it.
     * @throws SQLException if anything fails; the transaction is rolled back and nothing of the batch is kept.
     */
    void write(final DrainBatch batch) throws SQLException
    {
        try (Connection connection = dataSource.getConnection())
        {
            ensurePartitions(connection, batch);
            try
            {
                copyHistory(connection, batch);
                finish(connection, batch);
                connection.commit();
            }
            catch (final SQLException | RuntimeException ex)
            {
                rollback(connection, ex);
                throw ex;
            }
        }
    }

    /**
     * Write the batch in one transaction as {@link #write} does, leaving out the events PostgreSQL rejects: they are
     * found by the isolator, added to the batch's dead letters with their bytes and the reason, and written to
     * {@code dead_letters} in the same transaction as the rest and the checkpoints.
     *
     * @param batch    whose plain write PostgreSQL rejected; its dead letters grow by the rejected events.
     * @param isolator searches the batch's rows.
     * @return how many events PostgreSQL rejected; 0 if the whole batch went in this time.
     * @throws SQLException if anything fails but a rejected row; the transaction is rolled back.
     */
    int writeIsolatingRejected(final DrainBatch batch, final RejectedEventIsolator isolator) throws SQLException
    {
        try (Connection connection = dataSource.getConnection())
        {
            ensurePartitions(connection, batch);
            try
            {
                final int rejected = isolateRejected(connection, batch, isolator);
                connection.commit();
                return rejected;
            }
            catch (final SQLException | RuntimeException ex)
            {
                rollback(connection, ex);
                throw ex;
            }
        }
    }

    /**
     * The first step of a batch's transaction: its history rows, by binary COPY, on a connection with no transaction
     * open; the transaction stays open for {@link #finish}. History rows of different batches never conflict, so the
     * {@link BatchCommitter} copies a batch while the one before it finishes on another connection.
     *
     * @param connection with auto-commit off; the batch's partitions made already ({@link #ensurePartitions}).
     * @param batch      to write.
     * @throws SQLException if the COPY fails; the caller rolls back.
     */
    void copyHistory(final Connection connection, final DrainBatch batch) throws SQLException
    {
        final HistoryTables tables = batch.tables();
        if (tables.rows() > 0)
        {
            final CopyManager copyManager = connection.unwrap(PGConnection.class).getCopyAPI();
            for (int table = 0; table < HistoryTables.TABLE_COUNT; table++)
            {
                copyRows(copyManager, HistoryTables.copyStatement(table), tables.encoder(table));
            }
        }
    }

    /**
     * The rest of a batch's transaction after {@link #copyHistory}: the current-state tables from the batch's
     * candidates, the pair locks, the dead letters, the writers' identities and the checkpoints; the caller commits.
     * It must run only once the batch before it is committed: the checkpoints move from the index that one ended at.
     *
     * @param connection the one the history rows were copied on, its transaction open.
     * @param batch      to write.
     * @throws SQLException if anything fails; the caller rolls back.
     */
    void finish(final Connection connection, final DrainBatch batch) throws SQLException
    {
        final HistoryTables tables = batch.tables();
        if (tables.rows() > 0)
        {
            final CopyManager copyManager = connection.unwrap(PGConnection.class).getCopyAPI();
            final List<BatchSource> sources = batch.sources();
            final String[] sourceIds = new String[sources.size()];
            final Long[] firstIndexes = new Long[sources.size()];
            final Long[] lastIndexes = new Long[sources.size()];
            for (int i = 0; i < sources.size(); i++)
            {
                sourceIds[i] = sources.get(i).sourceId();
                firstIndexes[i] = sources.get(i).firstIndex();
                lastIndexes[i] = sources.get(i).lastIndex();
            }
            batch.candidates().selectAll();
            applyToCurrentState(connection, copyManager, batch, sourceIds, sourceIds, firstIndexes, lastIndexes,
                tables.pairLockEvents().rows() > 0, false);
        }

        writeDeadLettersAndCheckpoints(connection, batch);
    }

    /**
     * Roll back the connection's transaction after a failure, and forget what it made.
     *
     * @param connection whose transaction failed.
     * @param failure    why: a failure of the rollback is added to it as suppressed.
     */
    void rollback(final Connection connection, final Throwable failure)
    {
        sessionsWithCandidates.clear();
        try
        {
            connection.rollback();
        }
        catch (final SQLException rollbackFailure)
        {
            failure.addSuppressed(rollbackFailure);
        }
    }

    /**
     * Write the batch in the connection's transaction, as {@link #writeIsolatingRejected} does, without committing:
     * the transaction must hold nothing of the batch yet (rolled back after its plain write failed).
     *
     * @param connection with auto-commit off, the batch's partitions made already.
     * @param batch      whose plain write PostgreSQL rejected; its dead letters grow by the rejected events.
     * @param isolator   searches the batch's rows.
     * @return how many events PostgreSQL rejected.
     * @throws SQLException if anything fails but a rejected row; the caller rolls back.
     */
    int isolateRejected(
        final Connection connection, final DrainBatch batch, final RejectedEventIsolator isolator) throws SQLException
    {
        return isolateInTransaction(connection, batch, isolator);
    }

    private int isolateInTransaction(
        final Connection connection, final DrainBatch batch, final RejectedEventIsolator isolator) throws SQLException
    {
        try (Statement statement = connection.createStatement())
        {
            // A deferred constraint would fail only at commit, outside any savepoint, for the whole batch.
            statement.execute("SET CONSTRAINTS ALL IMMEDIATE");
        }

        int rejected = 0;
        final HistoryTables tables = batch.tables();
        if (tables.rows() > 0)
        {
            final List<BatchSource> sources = batch.sources();
            final List<String> sourceIds = new ArrayList<>(sources.size());
            for (int i = 0; i < sources.size(); i++)
            {
                sourceIds.add(sources.get(i).sourceId());
            }
            final CopyManager copyManager = connection.unwrap(PGConnection.class).getCopyAPI();
            final BatchRowIndex rows = new BatchRowIndex(tables, sourceIds);
            final List<RejectedEventIsolator.Rejection> rejections = isolator.isolate(rows,
                (index, from, to) -> writeSlice(connection, copyManager, batch, index, from, to));
            for (final RejectedEventIsolator.Rejection rejection : rejections)
            {
                final BatchSource source = sources.get(rows.source(rejection.row()));
                final long queueIndex = rows.queueIndex(rejection.row());
                batch.deadLetter(source.sourceId(), queueIndex, source.poller().excerptBytes(queueIndex),
                    rejection.reason());
            }
            rejected = rejections.size();
        }

        writeDeadLettersAndCheckpoints(connection, batch);
        return rejected;
    }

    /**
     * Rows {@code [from, to)} of the batch, copied and applied to the current state under a savepoint, so that a
     * rejection leaves the transaction as it was before the slice. Each table's rows go in row order, so the n-th
     * line of a COPY is the n-th row of that table in the slice.
     */
    private void writeSlice(
        final Connection connection,
        final CopyManager copyManager,
        final DrainBatch batch,
        final BatchRowIndex rows,
        final int from,
        final int to) throws SQLException
    {
        final Savepoint savepoint = connection.setSavepoint();
        try
        {
            final int[] tableRows = new int[HistoryTables.TABLE_COUNT];
            for (int table = 0; table < HistoryTables.TABLE_COUNT; table++)
            {
                tableRows[table] = copySlice(copyManager, table, rows, from, to);
            }

            int rangeCount = 0;
            for (int row = from; row < to; row++)
            {
                if (row == from || rows.source(row) != rows.source(row - 1))
                {
                    rangeCount++;
                }
            }
            final String[] sourceIds = new String[rangeCount];
            final Long[] firstIndexes = new Long[rangeCount];
            final Long[] lastIndexes = new Long[rangeCount];
            final int[] rangeSources = new int[rangeCount];
            final long[] lows = new long[rangeCount];
            final long[] highs = new long[rangeCount];
            int range = -1;
            for (int row = from; row < to; row++)
            {
                if (row == from || rows.source(row) != rows.source(row - 1))
                {
                    range++;
                    sourceIds[range] = rows.sourceId(row);
                    firstIndexes[range] = rows.queueIndex(row);
                    rangeSources[range] = rows.source(row);
                    lows[range] = rows.queueIndex(row);
                }
                lastIndexes[range] = rows.queueIndex(row);
                highs[range] = rows.queueIndex(row);
            }
            final String[] batchSourceIds = new String[batch.sources().size()];
            for (int source = 0; source < batchSourceIds.length; source++)
            {
                batchSourceIds[source] = batch.sources().get(source).sourceId();
            }
            batch.candidates().selectRanges(rangeSources, lows, highs, rangeCount);
            applyToCurrentState(connection, copyManager, batch, batchSourceIds, sourceIds, firstIndexes, lastIndexes,
                tableRows[HistoryTables.PAIR_LOCK_EVENTS] > 0, true);
            connection.releaseSavepoint(savepoint);
        }
        catch (final SQLException ex)
        {
            try
            {
                connection.rollback(savepoint);
            }
            catch (final SQLException rollbackFailure)
            {
                rollbackFailure.addSuppressed(ex);
                throw rollbackFailure;
            }
            throw ex;
        }
    }

    private static int copySlice(
        final CopyManager copyManager, final int table, final BatchRowIndex rows, final int from, final int to)
        throws SQLException
    {
        CopyIn copyIn = null;
        int copied = 0;
        try
        {
            for (int row = from; row < to; row++)
            {
                if (rows.table(row) == table)
                {
                    if (null == copyIn)
                    {
                        copyIn = copyManager.copyIn(HistoryTables.copyStatement(table));
                        copyIn.writeToCopy(CopyBinaryEncoder.HEADER, 0, CopyBinaryEncoder.HEADER.length);
                    }
                    copyIn.writeToCopy(rows.buffer(row), rows.offset(row), rows.length(row));
                    copied++;
                }
            }
            if (null != copyIn)
            {
                copyIn.writeToCopy(CopyBinaryEncoder.TRAILER, 0, CopyBinaryEncoder.TRAILER.length);
                copyIn.endCopy();
            }
            return copied;
        }
        catch (final SQLException ex)
        {
            if (null != copyIn && copyIn.isActive())
            {
                try
                {
                    copyIn.cancelCopy();
                }
                catch (final SQLException cancelFailure)
                {
                    ex.addSuppressed(cancelFailure);
                }
            }
            throw ex;
        }
    }

    /**
     * Apply the chosen candidates and the batch's pair lock events to the current-state tables.
     *
     * @param batchSourceIds the batch's sources, in the order its candidates name them.
     * @param sourceIds      the source of each range of the batch (or slice) being written.
     * @param replacing whether {@code drain_candidates} may hold the rows of an earlier slice of this transaction.
     */
    private void applyToCurrentState(
        final Connection connection,
        final CopyManager copyManager,
        final DrainBatch batch,
        final String[] batchSourceIds,
        final String[] sourceIds,
        final Long[] firstIndexes,
        final Long[] lastIndexes,
        final boolean pairLocks,
        final boolean replacing) throws SQLException
    {
        final StateCandidates candidates = batch.candidates();
        if (candidates.orderWinners() > 0 || candidates.tradeWinners() > 0 || candidates.balanceWinners() > 0)
        {
            copyCandidates(connection, copyManager, candidates, batchSourceIds, replacing);
        }
        if (candidates.orderWinners() > 0)
        {
            flagRegressionsAgainstTable(connection, copyManager, candidates, batchSourceIds);
            if (candidates.regressions() + candidates.tableRegressions() > 0)
            {
                execute(connection, FLAG_REGRESSIONS);
            }
            execute(connection, UPSERT_ORDERS);
        }
        if (candidates.tradeWinners() > 0)
        {
            execute(connection, UPSERT_TRADES);
        }
        if (candidates.balanceWinners() > 0)
        {
            execute(connection, UPSERT_BALANCES);
        }

        if (pairLocks)
        {
            final Timestamp from = timestamp(batch.minAppendTimeNs() - TIME_SLACK_NS);
            final Timestamp to = timestamp(batch.maxAppendTimeNs() + TIME_SLACK_NS);
            final Array ids = connection.createArrayOf("text", sourceIds);
            final Array lows = connection.createArrayOf("bigint", firstIndexes);
            final Array highs = connection.createArrayOf("bigint", lastIndexes);
            execute(connection, APPLY_PAIR_LOCKS, ids, lows, highs, from, to);
        }
    }

    /**
     * Ask the table which of the batch's orders it holds at a greater status rank than some of their updates in the
     * batch, have those updates marked, and add them to {@code drain_candidates}.
     */
    private void flagRegressionsAgainstTable(
        final Connection connection,
        final CopyManager copyManager,
        final StateCandidates candidates,
        final String[] batchSourceIds) throws SQLException
    {
        int marked = 0;
        try (PreparedStatement statement = connection.prepareStatement(SELECT_ORDERS_AHEAD);
            ResultSet orders = statement.executeQuery())
        {
            while (orders.next())
            {
                final String sourceId = orders.getString(1);
                int source = 0;
                while (source < batchSourceIds.length && !batchSourceIds[source].equals(sourceId))
                {
                    source++;
                }
                marked += candidates.flagAgainstTable(source, orders.getLong(2), orders.getInt(3));
            }
        }
        if (marked > 0)
        {
            candidateRows.reset();
            candidates.encodeTableRegressions(batchSourceIds, candidateRows);
            copy(copyManager, StateCandidates.COPY, candidateRows);
        }
    }

    private void copyCandidates(
        final Connection connection,
        final CopyManager copyManager,
        final StateCandidates candidates,
        final String[] batchSourceIds,
        final boolean replacing) throws SQLException
    {
        if (replacing)
        {
            // A slice under a savepoint: the table may have been made by an earlier slice that was rolled back, or
            // hold the rows of one that was released; this rare path asks every time.
            execute(connection, StateCandidates.CREATE_TABLE);
            execute(connection, "DELETE FROM drain_candidates");
        }
        else
        {
            final PGConnection session = connection.unwrap(PGConnection.class);
            if (null == sessionsWithCandidates.get(session))
            {
                execute(connection, StateCandidates.CREATE_TABLE);
                sessionsWithCandidates.put(session, Boolean.TRUE);
            }
        }

        candidateRows.reset();
        candidates.encode(batchSourceIds, candidateRows);
        copy(copyManager, StateCandidates.COPY, candidateRows);
    }

    private static void writeDeadLettersAndCheckpoints(final Connection connection, final DrainBatch batch)
        throws SQLException
    {
        if (!batch.deadLetters().isEmpty())
        {
            try (PreparedStatement statement = connection.prepareStatement(INSERT_DEAD_LETTER))
            {
                for (final DeadLetter deadLetter : batch.deadLetters())
                {
                    statement.setString(1, deadLetter.sourceId);
                    statement.setLong(2, deadLetter.index);
                    statement.setBytes(3, deadLetter.bytes);
                    statement.setString(4, deadLetter.reason);
                    statement.addBatch();
                }
                statement.executeBatch();
            }
        }

        try (PreparedStatement sources = connection.prepareStatement(UPSERT_SOURCE);
            PreparedStatement checkpoints = connection.prepareStatement(ADVANCE_CHECKPOINT))
        {
            boolean anySource = false;
            for (final BatchSource source : batch.sources())
            {
                final SourceStatus status = source.status();
                if (status.isDirty())
                {
                    sources.setString(1, source.sourceId());
                    sources.setString(2, status.host());
                    sources.setLong(3, status.pid());
                    sources.setInt(4, status.schemaVersion());
                    sources.setTimestamp(5, timestamp(status.startTimeNs()));
                    sources.setTimestamp(6, timestamp(status.lastSeenNs()));
                    sources.addBatch();
                    anySource = true;
                }
                final String journalId = null == source.journalId() ? null : source.journalId().toString();
                if (SourcePoller.NO_INDEX == source.afterIndex())
                {
                    try (PreparedStatement first = connection.prepareStatement(INSERT_CHECKPOINT))
                    {
                        first.setString(1, source.sourceId());
                        first.setLong(2, source.lastIndex());
                        first.setLong(3, source.events());
                        first.setString(4, journalId);
                        if (1 != first.executeUpdate())
                        {
                            throw CheckpointConflictException.of(connection, source);
                        }
                    }
                }
                else
                {
                    checkpoints.setLong(1, source.lastIndex());
                    checkpoints.setLong(2, source.events());
                    checkpoints.setString(3, journalId);
                    checkpoints.setString(4, source.sourceId());
                    checkpoints.setLong(5, source.afterIndex());
                    checkpoints.setLong(6, source.lastIndex());
                    checkpoints.setString(7, journalId);
                    checkpoints.addBatch();
                }
            }
            if (anySource)
            {
                sources.executeBatch();
            }
            final int[] advanced = checkpoints.executeBatch();
            int next = 0;
            for (final BatchSource source : batch.sources())
            {
                if (SourcePoller.NO_INDEX != source.afterIndex() && 1 != advanced[next++])
                {
                    throw CheckpointConflictException.of(connection, source);
                }
            }
        }
    }

    /**
     * Whether the batch has a month not known to have its partitions: then {@link #ensurePartitions} creates them,
     * which the {@link BatchCommitter} does only while no other batch's transaction is open (see there).
     *
     * @param batch to write.
     * @return true if {@link #ensurePartitions} would call the database.
     */
    boolean needsPartitions(final DrainBatch batch)
    {
        final int count = batch.monthCount();
        if (0 == count || 0 == batch.tables().rows())
        {
            return false;
        }

        final YearMonth newest = newestMonth(batch);
        for (int i = 0; i < count; i++)
        {
            final YearMonth month = batch.month(i);
            final int ahead = month.equals(newest) ? 2 : 0;
            if (!partitionedMonths.contains(month) || !partitionedMonths.contains(month.plusMonths(ahead)))
            {
                return true;
            }
        }
        return false;
    }

    /**
     * Partitions for each month of the batch's events, and two months ahead of the newest: one call per month not
     * known to have them, usually none. Each call is a short transaction of its own, committed before the batch's
     * begins (auto-commit for the call), so a partition once made stays whatever becomes of the batch, and a batch's
     * transaction never holds the locks a partition's creation takes on its parent table, which would block the
     * other batch in flight. The function is idempotent: another agent may have made the partitions meanwhile.
     *
     * @param connection with no transaction open; left with auto-commit off.
     * @param batch      to write.
     * @throws SQLException if a partition cannot be made.
     */
    void ensurePartitions(final Connection connection, final DrainBatch batch) throws SQLException
    {
        if (!needsPartitions(batch))
        {
            return;
        }

        final YearMonth newest = newestMonth(batch);
        connection.setAutoCommit(true);
        try
        {
            for (int i = 0; i < batch.monthCount(); i++)
            {
                final YearMonth month = batch.month(i);
                final int ahead = month.equals(newest) ? 2 : 0;
                if (partitionedMonths.contains(month) && partitionedMonths.contains(month.plusMonths(ahead)))
                {
                    continue;
                }
                try (PreparedStatement statement = connection.prepareStatement(CREATE_PARTITIONS))
                {
                    statement.setTimestamp(1,
                        Timestamp.from(month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC)));
                    statement.setInt(2, ahead);
                    statement.executeQuery().close();
                }
                for (int m = 0; m <= ahead; m++)
                {
                    partitionedMonths.add(month.plusMonths(m));
                }
            }
        }
        finally
        {
            connection.setAutoCommit(false);
        }
    }

    /**
     * Forget which months have partitions after a failed transaction: the next batch asks the database again (an
     * operator may have detached one), as it did when the partitions were made inside the batch's transaction.
     */
    void onRolledBack()
    {
        partitionedMonths.clear();
    }

    private static YearMonth newestMonth(final DrainBatch batch)
    {
        YearMonth newest = batch.month(0);
        for (int i = 1; i < batch.monthCount(); i++)
        {
            newest = batch.month(i).isAfter(newest) ? batch.month(i) : newest;
        }
        return newest;
    }

    private static void copyRows(final CopyManager copyManager, final String sql, final CopyBinaryEncoder rows)
        throws SQLException
    {
        if (0 == rows.rows())
        {
            return;
        }

        final CopyIn copyIn = copyManager.copyIn(sql);
        try
        {
            copyIn.writeToCopy(CopyBinaryEncoder.HEADER, 0, CopyBinaryEncoder.HEADER.length);
            copyIn.writeToCopy(rows.buffer(), 0, rows.length());
            copyIn.writeToCopy(CopyBinaryEncoder.TRAILER, 0, CopyBinaryEncoder.TRAILER.length);
            copyIn.endCopy();
        }
        finally
        {
            if (copyIn.isActive())
            {
                copyIn.cancelCopy();
            }
        }
    }

    private static void copy(final CopyManager copyManager, final String sql, final CopyTextEncoder rows)
        throws SQLException
    {
        if (0 == rows.rows())
        {
            return;
        }

        final CopyIn copyIn = copyManager.copyIn(sql);
        try
        {
            copyIn.writeToCopy(rows.buffer(), 0, rows.length());
            copyIn.endCopy();
        }
        finally
        {
            if (copyIn.isActive())
            {
                copyIn.cancelCopy();
            }
        }
    }

    private static void execute(final Connection connection, final String sql) throws SQLException
    {
        try (PreparedStatement statement = connection.prepareStatement(sql))
        {
            statement.execute();
        }
    }

    private static void execute(
        final Connection connection, final String sql, final Array ids, final Array lows, final Array highs,
        final Timestamp from, final Timestamp to) throws SQLException
    {
        try (PreparedStatement statement = connection.prepareStatement(sql))
        {
            statement.setArray(1, ids);
            statement.setArray(2, lows);
            statement.setArray(3, highs);
            statement.setTimestamp(4, from);
            statement.setTimestamp(5, to);
            statement.execute();
        }
    }

    private static Timestamp timestamp(final long epochNs)
    {
        return Timestamp.from(Instant.ofEpochSecond(Math.floorDiv(epochNs, 1_000_000_000L),
            Math.floorMod(epochNs, 1_000_000_000L)));
    }

    private static String candidates(final String table, final String kind)
    {
        return String.format(CANDIDATE, table, kind);
    }

    private static String prefixed(final String columns)
    {
        return "e." + columns.replace(", ", ", e.");
    }

    private static String assignments(final String columns)
    {
        final StringBuilder builder = new StringBuilder();
        for (final String column : columns.split(", "))
        {
            if (builder.length() > 0)
            {
                builder.append(", ");
            }
            builder.append(column).append(" = excluded.").append(column);
        }
        return builder.toString();
    }
}
