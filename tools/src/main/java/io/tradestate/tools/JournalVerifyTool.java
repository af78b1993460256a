package io.tradestate.tools;

import io.tradestate.files.ChronicleDefaults;
import io.tradestate.reader.state.StateMapsVerifier;
import io.tradestate.writer.state.TradeStateView;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;

import java.io.File;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * {@code tradestate verify <journal-root> --db <jdbc-url> [options]}: compares every journal with the reader agent's
 * database, and with {@code --state} the state maps with the current-state tables, and reports per source what is
 * missing, unexpected or different. See {@link VerifyOptions} for the options and {@code tools/README.md}
 * for the report.
 * <p>
 * Journals are opened read-only and streamed; the database is read through one connection, in one read-only,
 * repeatable-read transaction per source, so a source's checkpoint, rows and dead letters are one snapshot even
 * while the agent drains; {@link SourceVerifier} merges them in queue order.
 * <p>
 * Exit codes: {@value #EXIT_CLEAN} clean, {@value #EXIT_DIFFERENCES} differences found,
 * {@value #EXIT_INVALID_ARGUMENTS} invalid arguments, {@value #EXIT_CANNOT_READ} a journal, the database or the
 * state maps cannot be read (this wins over differences: the verify is incomplete).
 */
public final class JournalVerifyTool
{
    /**
     * Exit code: every journal matches the database.
     */
    public static final int EXIT_CLEAN = 0;

    /**
     * Exit code: at least one difference.
     */
    public static final int EXIT_DIFFERENCES = 1;

    /**
     * Exit code: an option or argument is invalid; the message names it.
     */
    public static final int EXIT_INVALID_ARGUMENTS = 2;

    /**
     * Exit code: a journal, the database or the state maps cannot be read.
     */
    public static final int EXIT_CANNOT_READ = 3;

    private static final String METADATA_FILE = "metadata.cq4t";
    private static final Pattern PASSWORD_IN_URL = Pattern.compile("(?i)([?&]password=)[^&]*");
    private static final String[] SOURCE_TABLES =
    {
        "order_events", "fills", "trade_events", "pair_lock_events", "balance_events", "dead_letters",
        "source_checkpoints",
    };

    static
    {
        ChronicleDefaults.apply();
    }

    private final VerifyOptions options;
    private final PrintStream out;
    private final PrintStream err;
    private final JsonEventWriter json = new JsonEventWriter();
    private final StringBuilder jsonSources = new StringBuilder();
    private String jsonStateMaps;
    private long differences;
    private boolean incomplete;

    /**
     * A verify with validated options.
     *
     * @param options what to compare.
     * @param out     where the report goes.
     * @param err     where errors go.
     */
    public JournalVerifyTool(final VerifyOptions options, final PrintStream out, final PrintStream err)
    {
        this.options = options;
        this.out = out;
        this.err = err;
    }

    /**
     * Entry point: {@code JournalVerifyTool <journal-root> --db <jdbc-url> [options]}.
     *
     * @param args the journal root and options.
     */
    public static void main(final String[] args)
    {
        System.exit(run(args));
    }

    /**
     * Run the verify on stdout and stderr, with the process's environment.
     *
     * @param args the arguments after {@code verify}.
     * @return the exit code.
     */
    public static int run(final String[] args)
    {
        return ToolsMain.run(ToolsMain.subcommand("verify", args));
    }

    /**
     * Run the verify on the given streams.
     *
     * @param args        the arguments after {@code verify}.
     * @param out         where the report (or the help text) goes.
     * @param err         where errors go.
     * @param environment where {@value VerifyOptions#PASSWORD_ENV} is looked up.
     * @return the exit code.
     */
    public static int run(
        final String[] args, final PrintStream out, final PrintStream err, final Map<String, String> environment)
    {
        return ToolsMain.run(ToolsMain.subcommand("verify", args), out, err, environment);
    }

    /**
     * Compare, print the report, and tell the outcome.
     *
     * @return the exit code.
     */
    public int run()
    {
        final Path root = options.journalRoot();
        if (!Files.isDirectory(root))
        {
            err.println("tradestate verify: cannot read the journals: " + root + " is not a folder");
            return EXIT_CANNOT_READ;
        }
        List<String> journals = journals(root);
        if (null != options.sourceId())
        {
            if (!journals.contains(options.sourceId()))
            {
                err.println("tradestate verify: cannot read the journal of " + options.sourceId() + ": " +
                    root.resolve(options.sourceId()) + " has no " + METADATA_FILE);
                return EXIT_CANNOT_READ;
            }
            journals = List.of(options.sourceId());
        }

        try (Connection connection = connect())
        {
            if (!options.json())
            {
                out.println("verify " + root + " against " + redacted(options.jdbcUrl()));
            }
            final TreeSet<String> databaseOnly = new TreeSet<>();
            if (null == options.sourceId())
            {
                databaseOnly.addAll(databaseSources(connection));
                databaseOnly.removeAll(journals);
            }

            final SourceVerifier verifier = new SourceVerifier();
            for (final String sourceId : journals)
            {
                verifySource(verifier, connection, root.resolve(sourceId), sourceId);
            }
            for (final String sourceId : databaseOnly)
            {
                final SourceReport report = new SourceReport(sourceId, options.maxDetails());
                report.difference(SourceReport.Kind.SOURCE, "the database holds rows of this source, but " + root +
                    " has no journal folder " + sourceId);
                differences += report.differences();
                print(report);
            }

            if (null != options.stateDir())
            {
                verifyStateMaps(connection);
            }
        }
        catch (final SQLException ex)
        {
            err.println("tradestate verify: cannot read the database " + redacted(options.jdbcUrl()) + ": " +
                ex.getMessage());
            return EXIT_CANNOT_READ;
        }

        if (options.json())
        {
            printJson(root);
        }
        else if (incomplete)
        {
            out.println("verify incomplete: " + differences + " differences in what could be read");
        }
        else
        {
            out.println(0 == differences ? "verify clean" : "verify found " + differences + " difference" +
                (1 == differences ? "" : "s"));
        }
        out.flush();
        if (incomplete)
        {
            return EXIT_CANNOT_READ;
        }
        return 0 == differences ? EXIT_CLEAN : EXIT_DIFFERENCES;
    }

    private void print(final SourceReport report)
    {
        if (options.json())
        {
            jsonSources.append(jsonSources.length() > 0 ? ",\n" : "\n");
            report.appendJson(jsonSources, json);
        }
        else
        {
            report.print(out);
            out.flush();
        }
    }

    /**
     * The whole report as one JSON object: what was compared, an object per source ({@link SourceReport#appendJson}),
     * the state maps' comparison (null without {@code --state}), the differences and the outcome.
     */
    private void printJson(final Path root)
    {
        json.begin()
            .string("journalRoot", root.toString())
            .string("database", redacted(options.jdbcUrl()))
            .string("source", options.sourceId())
            .number("differences", differences)
            .string("outcome", incomplete ? "incomplete" : 0 == differences ? "clean" : "differences");
        final StringBuilder document = new StringBuilder(json.line());
        document.append(",\n\"sources\":[").append(jsonSources).append("],\n\"stateMaps\":")
            .append(null == jsonStateMaps ? "null" : jsonStateMaps).append('}');
        out.println(document);
    }

    private void verifySource(
        final SourceVerifier verifier, final Connection connection, final Path directory, final String sourceId)
        throws SQLException
    {
        final SourceReport report = new SourceReport(sourceId, options.maxDetails());
        final SingleChronicleQueue queue;
        try
        {
            queue = SingleChronicleQueueBuilder.single(directory.toFile()).readOnly(true).build();
        }
        catch (final RuntimeException ex)
        {
            err.println("tradestate verify: cannot open the journal " + directory + ": " + ex);
            incomplete = true;
            return;
        }

        try (queue; ExcerptTailer tailer = queue.createTailer())
        {
            tailer.toStart();
            verifier.verify(tailer, connection, report);
            connection.commit();
        }
        catch (final RuntimeException ex)
        {
            connection.rollback();
            err.println("tradestate verify: cannot read the journal " + directory + ": " + ex);
            incomplete = true;
            return;
        }
        catch (final SQLException ex)
        {
            connection.rollback();
            throw ex;
        }

        differences += report.differences();
        print(report);
    }

    private void verifyStateMaps(final Connection connection) throws SQLException
    {
        final Path stateDir = options.stateDir();
        if (!Files.isDirectory(stateDir.resolve("maps")))
        {
            err.println("tradestate verify: cannot read the state maps: " + stateDir + " has no maps folder");
            incomplete = true;
            return;
        }
        try (TradeStateView view = TradeStateView.open(stateDir))
        {
            if (!view.awaitAvailable(options.waitMs()))
            {
                err.println("tradestate verify: no state maps published under " + stateDir + " within " +
                    options.waitMs() + " ms");
                incomplete = true;
                return;
            }
            final List<String> found = StateMapsVerifier.differences(
                view, connection, options.closedRetentionMs(), System.currentTimeMillis());
            connection.commit();
            final long count = found.stream().filter((line) -> !line.startsWith("... ")).count();
            if (options.json())
            {
                json.begin()
                    .string("stateDir", stateDir.toString())
                    .number("generation", view.generation())
                    .number("differences", count)
                    .bool("moreNotListed", found.size() > count);
                final StringBuilder maps = new StringBuilder(json.line()).append(",\"details\":[");
                for (int i = 0; i < found.size(); i++)
                {
                    maps.append(0 == i ? "" : ",").append(json.begin().string("detail", found.get(i)).end().line());
                }
                jsonStateMaps = maps.append("]}").toString();
            }
            else
            {
                out.println("state maps " + stateDir + " (generation " + view.generation() + "): " +
                    (found.isEmpty() ? "equal to the current-state tables" : count + (found.size() > count ? "+" : "") +
                    " difference" + (1 == count ? "" : "s") + " with the current-state tables"));
                for (final String line : found)
                {
                    out.println("  " + line);
                }
            }
            differences += count;
        }
        catch (final SQLException ex)
        {
            connection.rollback();
            throw ex;
        }
    }

    private Connection connect() throws SQLException
    {
        final Connection connection = ToolDatabase.connect(options.jdbcUrl(), options.user(), options.password(),
            "tradestate-verify");
        try
        {
            connection.setAutoCommit(false);
            connection.setReadOnly(true);
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            return connection;
        }
        catch (final SQLException ex)
        {
            connection.close();
            throw ex;
        }
    }

    /**
     * Every source with a row in a history table, a dead letter or a checkpoint: a walk of each table's index on
     * {@code source_id}, one probe per source, so it costs the number of sources, not of rows.
     */
    private static List<String> databaseSources(final Connection connection) throws SQLException
    {
        final List<String> sources = new ArrayList<>();
        try (Statement statement = connection.createStatement())
        {
            for (final String table : SOURCE_TABLES)
            {
                try (ResultSet rows = statement.executeQuery("WITH RECURSIVE s(source_id) AS (" +
                    "(SELECT source_id FROM " + table + " ORDER BY source_id LIMIT 1) UNION ALL " +
                    "SELECT (SELECT t.source_id FROM " + table + " t WHERE t.source_id > s.source_id " +
                    "ORDER BY t.source_id LIMIT 1) FROM s WHERE s.source_id IS NOT NULL) " +
                    "SELECT source_id FROM s WHERE source_id IS NOT NULL"))
                {
                    while (rows.next())
                    {
                        sources.add(rows.getString(1));
                    }
                }
            }
        }
        connection.commit();
        return sources;
    }

    /**
     * The URL as it may be printed: a password given in it is not.
     */
    static String redacted(final String jdbcUrl)
    {
        return PASSWORD_IN_URL.matcher(jdbcUrl).replaceAll("$1***");
    }

    private static List<String> journals(final Path root)
    {
        final List<String> journals = new ArrayList<>();
        final File[] folders = root.toFile().listFiles(File::isDirectory);
        if (null != folders)
        {
            for (final File folder : folders)
            {
                if (new File(folder, METADATA_FILE).isFile())
                {
                    journals.add(folder.getName());
                }
            }
        }
        journals.sort(null);
        return journals;
    }
}
