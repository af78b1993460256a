package io.tradestate.tools;

import io.tradestate.tools.reconcile.DatabaseRecords;
import io.tradestate.tools.reconcile.ExchangeInputException;
import io.tradestate.tools.reconcile.ExchangeView;
import io.tradestate.tools.reconcile.JournalTail;
import io.tradestate.tools.reconcile.ReconcileReport;
import io.tradestate.tools.reconcile.ReconcileRepair;
import io.tradestate.tools.reconcile.Reconciler;
import io.tradestate.writer.JournalContext;
import io.tradestate.writer.TradeJournal;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * {@code tradestate reconcile ... --db URL --apply <journal-root>}: compare, then append the repair
 * ({@link ReconcileRepair}) to the source's journal, opened as the strategy opens it. In order, so that a refusal
 * appends nothing: the comparison and the journal's entries after the agent's checkpoint are read in one
 * read-only snapshot; the source's writer (the last {@code SourceStarted} or {@code Heartbeat} in the journal's
 * tail, else the {@code sources} row) must be a process of this host that is no longer alive, since one source
 * has one writer; every event is planned and checked; only then is the journal opened and the plan appended.
 */
final class ReconcileApplier
{
    private ReconcileApplier()
    {
    }

    static int run(final ReconcileOptions options, final ExchangeView exchange, final PrintStream out,
        final PrintStream err)
    {
        final Path journalRoot = options.applyJournalRoot();
        final Path queueDirectory = journalRoot.resolve(options.sourceId());
        if (!Files.isDirectory(queueDirectory))
        {
            err.println("tradestate reconcile: --apply " + journalRoot + " holds no journal of source " +
                options.sourceId() + " (" + queueDirectory + " is not a folder)");
            return ReconcileTool.EXIT_INVALID;
        }
        final long reconcileTimeMs = System.currentTimeMillis();
        final ReconcileReport report;
        final ReconcileRepair.Plan plan;
        final JournalTail tail;
        String host = null;
        long pid = -1;
        try (Connection connection = ToolDatabase.connect(options.jdbcUrl(), options.user(), options.password(),
            "tradestate-reconcile"))
        {
            connection.setAutoCommit(false);
            connection.setReadOnly(true);
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try
            {
                final DatabaseRecords records = new DatabaseRecords(connection,
                    "database " + JournalVerifyTool.redacted(options.jdbcUrl()));
                report = Reconciler.reconcile(exchange, records, options.sourceId(), options.fromMs(),
                    options.toMs());
                long checkpoint = -1;
                try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT c.last_index, s.host, s.pid FROM sources s LEFT JOIN source_checkpoints c " +
                    "ON c.source_id = s.source_id WHERE s.source_id = ?"))
                {
                    statement.setString(1, options.sourceId());
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
                tail = JournalTail.read(queueDirectory, checkpoint, exchange.exchange());
                if (null != tail.writerHost())
                {
                    host = tail.writerHost();
                    pid = tail.writerPid();
                }
                plan = ReconcileRepair.plan(exchange, report, records, tail, reconcileTimeMs);
            }
            finally
            {
                connection.rollback();
            }
        }
        catch (final SQLException ex)
        {
            err.println("tradestate reconcile: cannot read the database " +
                JournalVerifyTool.redacted(options.jdbcUrl()) + ": " + ex.getMessage());
            return ReconcileTool.EXIT_CANNOT_READ;
        }
        catch (final ExchangeInputException ex)
        {
            err.println("tradestate reconcile: " + options.dump() + " " + ex.getMessage() + "; nothing appended");
            return ReconcileTool.EXIT_INVALID;
        }

        final String localHost = context(journalRoot, options.sourceId()).conclude().host();
        final String refusal = writerAlive(host, pid, localHost);
        if (null != refusal)
        {
            err.println("tradestate reconcile: --apply refused: " + refusal + "; nothing appended");
            return ReconcileTool.EXIT_INVALID;
        }

        long firstIndex = -1;
        long lastIndex = -1;
        if (!plan.appends().isEmpty())
        {
            try (TradeJournal journal = TradeJournal.open(context(journalRoot, options.sourceId())))
            {
                plan.appendTo(journal);
            }
            final JournalTail appended = JournalTail.read(queueDirectory, tail.lastIndex(), exchange.exchange());
            lastIndex = appended.lastIndex();
            firstIndex = lastIndex - plan.appends().size() + 1;
        }
        report.repaired(plan, queueDirectory.toString(), firstIndex, lastIndex);
        ReconcileTool.print(options, report, out, err);
        return report.consistent() ? ReconcileTool.EXIT_CONSISTENT : ReconcileTool.EXIT_DIFFERENCES;
    }

    private static JournalContext context(final Path journalRoot, final String sourceId)
    {
        return new JournalContext().journalRoot(journalRoot).sourceId(sourceId).heartbeatIntervalMs(0)
            .warmUpAppends(0);
    }

    /**
     * Why the source's writer may still be alive, or null if it is not: a writer of another host cannot be checked
     * from here, a pid of this host that is alive is the strategy (or another repair).
     */
    static String writerAlive(final String host, final long pid, final String localHost)
    {
        if (null == host)
        {
            return null;
        }
        if (!host.equals(localHost))
        {
            return "the source's writer ran on host " + host + ", not " + localHost + ": run --apply there, once it " +
                "has stopped";
        }
        if (pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
        {
            return "the source's writer, pid " + pid + " on " + host + ", is alive: one source has one writer; " +
                "stop the strategy, or repair through its own TradeJournal (ReconcileRepair.apply)";
        }
        return null;
    }
}
