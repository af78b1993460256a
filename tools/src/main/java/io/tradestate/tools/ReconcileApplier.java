package io.tradestate.tools;

import io.tradestate.tools.reconcile.DatabaseReconciliation;
import io.tradestate.tools.reconcile.ExchangeInputException;
import io.tradestate.tools.reconcile.ExchangeView;
import io.tradestate.tools.reconcile.JournalTail;
import io.tradestate.tools.reconcile.ReconcileReport;
import io.tradestate.tools.reconcile.ReconcileRepair;
import io.tradestate.writer.JournalContext;
import io.tradestate.writer.TradeJournal;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
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
        final DatabaseReconciliation reconciliation;
        try (Connection connection = ToolDatabase.connect(options.jdbcUrl(), options.user(), options.password(),
            "tradestate-reconcile"))
        {
            reconciliation = DatabaseReconciliation.plan(connection,
                "database " + JournalVerifyTool.redacted(options.jdbcUrl()), exchange, options.sourceId(),
                options.fromMs(), options.toMs(), queueDirectory, reconcileTimeMs);
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
        final String refusal = writerAlive(reconciliation.writerHost(), reconciliation.writerPid(), localHost);
        if (null != refusal)
        {
            err.println("tradestate reconcile: --apply refused: " + refusal + "; nothing appended");
            return ReconcileTool.EXIT_INVALID;
        }

        long firstIndex = -1;
        long lastIndex = -1;
        final ReconcileReport report = reconciliation.report();
        final ReconcileRepair.Plan plan = reconciliation.plan();
        if (!plan.appends().isEmpty())
        {
            try (TradeJournal journal = TradeJournal.open(context(journalRoot, options.sourceId())))
            {
                plan.appendTo(journal);
            }
            final JournalTail appended = JournalTail.read(queueDirectory, reconciliation.tail().lastIndex(),
                exchange.exchange());
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
