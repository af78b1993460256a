package io.tradestate.tools;

import io.tradestate.files.ChronicleDefaults;
import io.tradestate.tools.reconcile.DatabaseRecords;
import io.tradestate.tools.reconcile.ExchangeDumpReader;
import io.tradestate.tools.reconcile.ExchangeInputException;
import io.tradestate.tools.reconcile.ExchangeView;
import io.tradestate.tools.reconcile.ReconcileReport;
import io.tradestate.tools.reconcile.Reconciler;
import io.tradestate.tools.reconcile.StateMapRecords;
import io.tradestate.writer.state.TradeStateView;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;

/**
 * {@code tradestate reconcile <source> --exchange-dump <file> --exchange <id> [--from T] [--to T]
 * (--db <url> [--apply <journal-root>] | --state <dir>) [--json]}: what the exchange says happened against what
 * TradeState holds, and with {@code --apply} the repair ({@link ReconcileApplier}). The
 * comparison itself is {@link Reconciler}'s, which a strategy can call with objects it holds
 * ({@link ExchangeView#of}); this class reads the dump, opens the database or the state maps and prints.
 * <p>
 * The whole dump is read and checked before anything else is opened: an input error exits
 * {@value #EXIT_INVALID} with the line and field, having compared nothing.
 */
public final class ReconcileTool
{
    /**
     * Exit code: TradeState and the exchange agree.
     */
    public static final int EXIT_CONSISTENT = 0;

    /**
     * Exit code: at least one difference.
     */
    public static final int EXIT_DIFFERENCES = 1;

    /**
     * Exit code: invalid arguments, or a dump that cannot be reconciled.
     */
    public static final int EXIT_INVALID = 2;

    /**
     * Exit code: the database or the state maps cannot be read.
     */
    public static final int EXIT_CANNOT_READ = 3;

    static
    {
        ChronicleDefaults.apply();
    }

    private ReconcileTool()
    {
    }

    /**
     * Entry point.
     *
     * @param args the arguments after {@code reconcile}.
     */
    public static void main(final String[] args)
    {
        System.exit(run(args));
    }

    /**
     * Run on stdout and stderr, with the process's environment.
     *
     * @param args the arguments after {@code reconcile}.
     * @return the exit code.
     */
    public static int run(final String[] args)
    {
        return ToolsMain.run(ToolsMain.subcommand("reconcile", args));
    }

    /**
     * Run on the given streams.
     *
     * @param args        the arguments after {@code reconcile}.
     * @param out         where the report (or the help text) goes.
     * @param err         where errors go.
     * @param environment where {@value VerifyOptions#PASSWORD_ENV} is looked up.
     * @return the exit code.
     */
    public static int run(
        final String[] args, final PrintStream out, final PrintStream err, final Map<String, String> environment)
    {
        return ToolsMain.run(ToolsMain.subcommand("reconcile", args), out, err, environment);
    }

    /**
     * Reconcile with validated options.
     *
     * @param options validated.
     * @param out     where the report goes.
     * @param err     where errors go.
     * @return the exit code.
     */
    static int run(final ReconcileOptions options, final PrintStream out, final PrintStream err)
    {
        final ExchangeView exchange;
        if (!Files.isRegularFile(options.dump()))
        {
            err.println("tradestate reconcile: --exchange-dump " + options.dump() + " is not a file");
            return EXIT_INVALID;
        }
        try
        {
            exchange = ExchangeDumpReader.read(options.dump(), options.exchange());
        }
        catch (final ExchangeInputException ex)
        {
            err.println("tradestate reconcile: " + options.dump() + " " + ex.getMessage());
            return EXIT_INVALID;
        }
        catch (final IOException ex)
        {
            err.println("tradestate reconcile: cannot read " + options.dump() + ": " + ex.getMessage());
            return EXIT_INVALID;
        }

        if (null != options.applyJournalRoot())
        {
            return ReconcileApplier.run(options, exchange, out, err);
        }
        final ReconcileReport report;
        try
        {
            report = null != options.jdbcUrl() ? againstDatabase(options, exchange) : againstState(options, exchange,
                err);
        }
        catch (final SQLException ex)
        {
            err.println("tradestate reconcile: cannot read the database " +
                JournalVerifyTool.redacted(options.jdbcUrl()) + ": " + ex.getMessage());
            return EXIT_CANNOT_READ;
        }
        catch (final IllegalStateException ex)
        {
            err.println("tradestate reconcile: cannot read the state maps " + options.stateDir() + ": " +
                ex.getMessage());
            return EXIT_CANNOT_READ;
        }
        if (null == report)
        {
            return EXIT_CANNOT_READ;
        }

        print(options, report, out, err);
        return report.consistent() ? EXIT_CONSISTENT : EXIT_DIFFERENCES;
    }

    /**
     * Print a report as the options ask: text, or one JSON object.
     */
    static void print(final ReconcileOptions options, final ReconcileReport report, final PrintStream out,
        final PrintStream err)
    {
        if (options.json())
        {
            final Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            report.printJson(writer, options.dump().toString());
            try
            {
                writer.flush();
            }
            catch (final IOException ex)
            {
                err.println("tradestate reconcile: cannot write the report: " + ex.getMessage());
            }
        }
        else
        {
            report.printText(out, options.dump().toString());
        }
    }

    private static ReconcileReport againstDatabase(final ReconcileOptions options, final ExchangeView exchange)
        throws SQLException
    {
        try (Connection connection = ToolDatabase.connect(options.jdbcUrl(), options.user(), options.password(),
            "tradestate-reconcile"))
        {
            connection.setAutoCommit(false);
            connection.setReadOnly(true);
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try
            {
                return Reconciler.reconcile(exchange, new DatabaseRecords(connection,
                    "database " + JournalVerifyTool.redacted(options.jdbcUrl())), options.sourceId(),
                    options.fromMs(), options.toMs());
            }
            finally
            {
                connection.rollback();
            }
        }
    }

    private static ReconcileReport againstState(final ReconcileOptions options, final ExchangeView exchange,
        final PrintStream err) throws SQLException
    {
        if (!Files.isDirectory(options.stateDir().resolve("maps")))
        {
            err.println("tradestate reconcile: cannot read the state maps: " + options.stateDir() +
                " has no maps folder");
            return null;
        }
        try (TradeStateView view = TradeStateView.open(options.stateDir()))
        {
            if (!view.awaitAvailable(options.waitMs()))
            {
                err.println("tradestate reconcile: no state maps published under " + options.stateDir() +
                    " within " + options.waitMs() + " ms");
                return null;
            }
            return Reconciler.reconcile(exchange, new StateMapRecords(view, "state maps " + options.stateDir() +
                " (generation " + view.generation() + ")"), options.sourceId(), options.fromMs(), options.toMs());
        }
    }
}
