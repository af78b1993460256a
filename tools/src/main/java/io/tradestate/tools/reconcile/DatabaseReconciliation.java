package io.tradestate.tools.reconcile;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * A reconciliation against the reader agent's database, planned for repair: the comparison, the source's checkpoint
 * and last known writer, and the journal's entries after that checkpoint ({@link JournalTail}), read so that every
 * event of the source is in what was compared or in the tail. The comparison and the checkpoint come from one
 * read-only, repeatable-read snapshot, and the tail is read after it: an event drained since is in the tail, so the
 * repair never appends what the journal already holds, however far the agent has drained meanwhile.
 * <p>
 * What {@code tradestate reconcile --apply} runs, and what a strategy runs through its own {@code TradeJournal}
 * after a restart ({@link #plan}, then {@code plan().appendTo(journal)}). Nothing is appended here.
 *
 * @param report     the differences found.
 * @param plan       the repair: the events to append, and the differences left.
 * @param tail       the journal after the agent's checkpoint.
 * @param writerHost host of the source's last writer (the journal's last {@code SourceStarted} or
 *                   {@code Heartbeat}, else the {@code sources} row), null if unknown.
 * @param writerPid  its pid, -1 if unknown.
 */
public record DatabaseReconciliation(
    ReconcileReport report, ReconcileRepair.Plan plan, JournalTail tail, String writerHost, long writerPid)
{
    /**
     * Compare and plan the repair.
     *
     * @param connection      to the agent's database; its transaction settings are restored afterwards.
     * @param description     what the report says is compared, such as the database's URL without a password.
     * @param exchange        the exchange's view.
     * @param sourceId        the source reconciled.
     * @param fromMs          start of the window, inclusive, ms since the epoch; null for none.
     * @param toMs            end of the window, exclusive; null for none.
     * @param queueDirectory  the source's journal folder.
     * @param reconcileTimeMs the run's time, which every repair event carries.
     * @return the report and the plan.
     * @throws SQLException           if the database cannot be read.
     * @throws ExchangeInputException naming the record and field of a value the journal cannot hold.
     */
    public static DatabaseReconciliation plan(
        final Connection connection,
        final String description,
        final ExchangeView exchange,
        final String sourceId,
        final Long fromMs,
        final Long toMs,
        final Path queueDirectory,
        final long reconcileTimeMs) throws SQLException
    {
        final boolean autoCommit = connection.getAutoCommit();
        final boolean readOnly = connection.isReadOnly();
        final int isolation = connection.getTransactionIsolation();
        connection.setAutoCommit(false);
        connection.setReadOnly(true);
        connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        try
        {
            final DatabaseRecords records = new DatabaseRecords(connection, description);
            final ReconcileReport report = Reconciler.reconcile(exchange, records, sourceId, fromMs, toMs);
            long checkpoint = -1;
            String host = null;
            long pid = -1;
            try (PreparedStatement statement = connection.prepareStatement(
                "SELECT c.last_index, s.host, s.pid FROM sources s LEFT JOIN source_checkpoints c " +
                "ON c.source_id = s.source_id WHERE s.source_id = ?"))
            {
                statement.setString(1, sourceId);
                try (ResultSet rows = statement.executeQuery())
                {
                    if (rows.next())
                    {
                        checkpoint = null == rows.getObject(1) ? -1 : rows.getLong(1);
                        host = rows.getString(2);
                        pid = rows.getLong(3);
                    }
                }
            }
            final JournalTail tail = JournalTail.read(queueDirectory, checkpoint, exchange.exchange());
            if (null != tail.writerHost())
            {
                host = tail.writerHost();
                pid = tail.writerPid();
            }
            final ReconcileRepair.Plan plan = ReconcileRepair.plan(exchange, report, records, tail, reconcileTimeMs);
            return new DatabaseReconciliation(report, plan, tail, host, pid);
        }
        finally
        {
            connection.rollback();
            connection.setAutoCommit(autoCommit);
            connection.setReadOnly(readOnly);
            connection.setTransactionIsolation(isolation);
        }
    }
}
