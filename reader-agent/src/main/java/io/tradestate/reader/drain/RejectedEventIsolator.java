package io.tradestate.reader.drain;

import org.agrona.collections.IntArrayList;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the events of a batch that PostgreSQL itself rejects, so that they go to {@code dead_letters} and every
 * other event of the batch is committed: a row that fails a CHECK an operator added, or a value the decoder let
 * through and the database refuses, must not stall the drain.
 * <p>
 * <b>What counts as a rejected row.</b> An error PostgreSQL reports with SQLState class 22 (data exception) or 23
 * (integrity constraint violation). Connection failures (08), serialization failures and deadlocks (40), a full disk
 * (53) and the like are about the database, not a row: the batch fails and is retried, as before. One class-23
 * error is not a row's fault either: a unique violation (23505) of a history table's primary key. That key holds
 * {@code (source_id, queue_index)}, so the event is already stored: a commit whose reply was lost (the agent then
 * resumes after the checkpoint it reads back) or a checkpoint bug. Dead-lettering it would record as refused an
 * event the database holds, and committing the rest past it would hide the very bug the key guards against; so it
 * stays a failed batch, logged and counted. A rejection outside the events' rows (a constraint on
 * {@code source_checkpoints}, {@code sources} or {@code dead_letters}) cannot be pinned on an event either: the search
 * finds no culprit, the final write fails, and the batch fails as before.
 * <p>
 * <b>Design note.</b> The search runs in one transaction, with a savepoint per attempt: a slice of the batch's rows
 * (in {@link BatchRowIndex} order, so each source's rows keep their queue order) is copied and applied to the
 * current-state tables; if PostgreSQL rejects it, the slice is rolled back to its savepoint and split, left part
 * first, and a rejected slice of one row is that event's dead letter. Everything that succeeded stays in the
 * transaction, which then writes the dead letters and the checkpoints and commits once, so exactly-once holds
 * exactly as for a plain batch. Rows are tried in queue order, so a row that conflicts with an earlier row of the same
 * batch (two fills with one id under an operator's unique index) is the later one, as it would be in separate
 * batches. Replaying the batch from the queue in smaller batches instead would commit parts of it separately and
 * leave the checkpoint between them, and would need the journal to be read again for each try.
 * <p>
 * When the failing statement is a COPY, PostgreSQL names the line ({@code COPY fills, line 812}), which is the row:
 * that row is tried alone and the rows around it are written, so such a rejection costs about three writes. A
 * rejection found in the upserts (a constraint on {@code orders}, say) carries no row number and is found by
 * bisection. <b>Cost bound:</b> with k rejected rows in a batch of n, bisection takes at most 1 + 2k⌈log2 n⌉
 * slice writes (about 29 for one bad row in 10,000); whatever the database answers, never more than 2n − 1, because
 * every failed slice is split into disjoint, smaller, non-empty ones. Each write sends only the slice's rows. The
 * batch that failed whole cost one write before the search began.
 */
final class RejectedEventIsolator
{
    private static final String UNIQUE_VIOLATION = "23505";
    private static final Pattern COPY_LINE = Pattern.compile("(?m)^COPY ([a-z_]+), line ([0-9]+)");
    private static final String[] HISTORY_TABLES =
    {
        "order_events", "fills", "trade_events", "pair_lock_events", "balance_events",
    };

    private int attempts;

    /**
     * Writes one slice of a batch's rows and applies it to the current-state tables, all or nothing.
     */
    @FunctionalInterface
    interface SliceWriter
    {
        /**
         * Write rows {@code [from, to)}; on failure nothing of them is kept and the transaction can go on.
         *
         * @param rows of the batch.
         * @param from first row of the slice.
         * @param to   row after the last of the slice.
         * @throws SQLException as PostgreSQL reported it.
         */
        void write(BatchRowIndex rows, int from, int to) throws SQLException;
    }

    /**
     * A row PostgreSQL rejected when written alone.
     *
     * @param row    in the {@link BatchRowIndex}.
     * @param reason for the dead letter: PostgreSQL's message, SQLState, constraint and detail.
     */
    record Rejection(int row, String reason)
    {
    }

    /**
     * Write every row of the batch that PostgreSQL accepts, and find those it rejects.
     *
     * @param rows   of the batch.
     * @param writer writes slices of the rows within the caller's transaction.
     * @return the rejected rows, in row order.
     * @throws SQLException if a write fails for another reason than a rejected row; the caller rolls back.
     */
    List<Rejection> isolate(final BatchRowIndex rows, final SliceWriter writer) throws SQLException
    {
        final List<Rejection> rejections = new ArrayList<>();
        final IntArrayList pending = new IntArrayList();
        attempts = 0;
        push(pending, 0, rows.count());
        while (!pending.isEmpty())
        {
            final int to = pending.popInt();
            final int from = pending.popInt();
            attempts++;
            try
            {
                writer.write(rows, from, to);
            }
            catch (final SQLException ex)
            {
                if (!isRowRejection(ex))
                {
                    throw ex;
                }

                if (1 == to - from)
                {
                    rejections.add(new Rejection(from, reason(ex)));
                    continue;
                }

                // Pushed right to left, so the left part is written first and every source keeps its queue order.
                final int hinted = hintedRow(ex, rows, from, to);
                if (hinted >= 0)
                {
                    push(pending, hinted + 1, to);
                    push(pending, hinted, hinted + 1);
                    push(pending, from, hinted);
                }
                else
                {
                    final int middle = (from + to) >>> 1;
                    push(pending, middle, to);
                    push(pending, from, middle);
                }
            }
        }
        return rejections;
    }

    /**
     * Slice writes made by the last {@link #isolate} call.
     *
     * @return the count, at least 1 for a batch with rows.
     */
    int attempts()
    {
        return attempts;
    }

    /**
     * Whether an error is PostgreSQL refusing a row (class 22 or 23), rather than a database failure or the history
     * key's duplicate guard.
     *
     * @param ex as thrown by the driver.
     * @return true if the batch should be searched for the rejected rows.
     */
    static boolean isRowRejection(final SQLException ex)
    {
        final ServerErrorMessage error = serverError(ex);
        if (null == error || null == error.getSQLState())
        {
            return false;
        }

        final String sqlState = error.getSQLState();
        if (!sqlState.startsWith("22") && !sqlState.startsWith("23"))
        {
            return false;
        }

        return !(UNIQUE_VIOLATION.equals(sqlState) && isHistoryKey(error.getTable(), error.getConstraint()));
    }

    /**
     * The reason written to {@code dead_letters} for a rejected row.
     *
     * @param ex as thrown when the row was written alone.
     * @return PostgreSQL's message, SQLState, constraint and detail.
     */
    static String reason(final SQLException ex)
    {
        final ServerErrorMessage error = serverError(ex);
        if (null == error)
        {
            return "rejected by PostgreSQL: " + ex.getMessage() + " (SQLState " + ex.getSQLState() + ")";
        }

        final StringBuilder reason = new StringBuilder(256)
            .append("rejected by PostgreSQL: ").append(error.getMessage())
            .append(" (SQLState ").append(error.getSQLState());
        if (null != error.getConstraint())
        {
            reason.append(", constraint ").append(error.getConstraint());
        }
        reason.append(')');
        if (null != error.getDetail())
        {
            reason.append("; ").append(error.getDetail());
        }
        return reason.toString();
    }

    private static boolean isHistoryKey(final String table, final String constraint)
    {
        if (null == table || null == constraint || !constraint.endsWith("_pkey"))
        {
            return false;
        }

        // The violation names the partition: fills_y2026m05, fills_default.
        for (final String historyTable : HISTORY_TABLES)
        {
            if (table.equals(historyTable) || table.startsWith(historyTable + "_"))
            {
                return true;
            }
        }
        return false;
    }

    /**
     * The row a COPY error names ({@code COPY fills, line 3}): line n is the n-th row of that table in the slice, as
     * the slice writer sends them.
     *
     * @return the row, or -1 if the error names none in the slice.
     */
    private static int hintedRow(final SQLException ex, final BatchRowIndex rows, final int from, final int to)
    {
        final ServerErrorMessage error = serverError(ex);
        if (null == error || null == error.getWhere())
        {
            return -1;
        }

        final Matcher matcher = COPY_LINE.matcher(error.getWhere());
        if (!matcher.find())
        {
            return -1;
        }

        final int table = HistoryTables.table(matcher.group(1));
        final long line;
        try
        {
            line = Long.parseLong(matcher.group(2));
        }
        catch (final NumberFormatException ignore)
        {
            return -1;
        }

        long seen = 0;
        for (int row = from; row < to && table >= 0; row++)
        {
            if (rows.table(row) == table && ++seen == line)
            {
                return row;
            }
        }
        return -1;
    }

    private static ServerErrorMessage serverError(final SQLException ex)
    {
        // A statement batch reports the server's error as the next exception; keep to a short chain.
        SQLException current = ex;
        for (int depth = 0; null != current && depth < 8; depth++)
        {
            if (current instanceof PSQLException && null != ((PSQLException)current).getServerErrorMessage())
            {
                return ((PSQLException)current).getServerErrorMessage();
            }
            current = null != current.getNextException() ? current.getNextException() :
                current.getCause() instanceof SQLException ? (SQLException)current.getCause() : null;
        }
        return null;
    }

    private static void push(final IntArrayList pending, final int from, final int to)
    {
        if (from < to)
        {
            pending.pushInt(from);
            pending.pushInt(to);
        }
    }
}
