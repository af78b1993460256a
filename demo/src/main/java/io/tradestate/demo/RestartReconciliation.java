package io.tradestate.demo;

import io.tradestate.tools.reconcile.DatabaseReconciliation;
import io.tradestate.tools.reconcile.ReconcileRepair;
import io.tradestate.writer.TradeJournal;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * What a restarted strategy does before it trades again, after it got its open orders back from the state maps:
 * it asks the exchange what happened ({@link ExchangeAccount#view}, as it would fetch orders and trades), compares
 * that with the database and its journal's tail ({@link DatabaseReconciliation}), and appends the repair through
 * its own {@link TradeJournal}: the fills it missed while it was down, or between the exchange's fill and its own
 * append when it was killed, and the orders' updates, all marked as coming from reconciliation. Exchange by
 * exchange; a database that cannot be reached (the demo's chaos restarts it) is tried again for a while.
 */
final class RestartReconciliation
{
    private static final long RETRY_FOR_MS = 60_000;
    private static final long RETRY_PAUSE_MS = 500;

    /**
     * What was appended.
     *
     * @param fills        missing fills appended.
     * @param orderUpdates corrective order updates appended.
     * @param differences  differences the comparisons found, repaired or not (those already in the journal's tail
     *                     included).
     */
    record Result(int fills, int orderUpdates, int differences)
    {
    }

    private RestartReconciliation()
    {
    }

    /**
     * Reconcile every exchange of the account and append the repairs.
     *
     * @param account        the exchange's record of this strategy's account.
     * @param sourceId       this strategy's source.
     * @param queueDirectory its journal folder.
     * @param journal        its journal, open.
     * @param jdbcUrl        the reader agent's database.
     * @param user           its user.
     * @param password       its password, or null.
     * @param fromMs         the start of the window compared.
     * @return what was appended.
     * @throws IllegalStateException if the database could not be read within a minute.
     */
    static Result run(
        final ExchangeAccount account,
        final String sourceId,
        final Path queueDirectory,
        final TradeJournal journal,
        final String jdbcUrl,
        final String user,
        final String password,
        final long fromMs)
    {
        final long deadlineMs = System.currentTimeMillis() + RETRY_FOR_MS;
        int fills = 0;
        int orderUpdates = 0;
        int differences = 0;
        for (final String exchange : account.exchanges())
        {
            final DatabaseReconciliation reconciliation = plan(account, exchange, sourceId, queueDirectory, jdbcUrl,
                user, password, fromMs, deadlineMs);
            reconciliation.plan().appendTo(journal);
            differences += reconciliation.report().differences().size();
            for (final ReconcileRepair.Action action : reconciliation.plan().appends())
            {
                fills += "Fill".equals(action.kind()) ? 1 : 0;
                orderUpdates += "OrderUpdate".equals(action.kind()) ? 1 : 0;
            }
        }
        return new Result(fills, orderUpdates, differences);
    }

    private static DatabaseReconciliation plan(
        final ExchangeAccount account,
        final String exchange,
        final String sourceId,
        final Path queueDirectory,
        final String jdbcUrl,
        final String user,
        final String password,
        final long fromMs,
        final long deadlineMs)
    {
        while (true)
        {
            try (Connection connection = DriverManager.getConnection(jdbcUrl, user, password))
            {
                return DatabaseReconciliation.plan(connection, "the database", account.view(exchange, fromMs),
                    sourceId, fromMs, null, queueDirectory, System.currentTimeMillis());
            }
            catch (final SQLException ex)
            {
                if (System.currentTimeMillis() >= deadlineMs)
                {
                    throw new IllegalStateException("cannot reconcile " + exchange + ": the database is not " +
                        "reachable: " + ex.getMessage(), ex);
                }
                System.out.println(sourceId + " reconcile: the database is not reachable (" + ex.getMessage() +
                    "), trying again");
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(RETRY_PAUSE_MS));
            }
        }
    }
}
