package io.tradestate.tools;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * {@code tradestate partitions list|expire}: the monthly partitions of the history tables, and their expiry through
 * the schema's {@code expire_history_partitions} (schema V7, V8), which holds the rules of what may expire.
 */
public final class PartitionsTool
{
    /**
     * Exit code: done.
     */
    public static final int EXIT_DONE = 0;

    /**
     * Exit code: the arguments are invalid.
     */
    public static final int EXIT_INVALID_ARGUMENTS = 2;

    /**
     * Exit code: the database could not be read or changed.
     */
    public static final int EXIT_DATABASE_FAILED = 3;

    private static final String PARTITIONS =
        "SELECT c.relname, to_char(to_date(substring(c.relname FROM '_y([0-9]{4}m[0-9]{2})$'), 'YYYY\"m\"MM'), " +
        "'YYYY-MM'), i.inhparent IS NOT NULL, c.reltuples::bigint, pg_total_relation_size(c.oid) " +
        "FROM pg_class c LEFT JOIN pg_inherits i ON i.inhrelid = c.oid " +
        "WHERE c.relkind = 'r' AND c.relnamespace = current_schema()::regnamespace " +
        "AND c.relname ~ ('^(' || array_to_string(history_table_names(), '|') || ')_y[0-9]{4}m[0-9]{2}$') " +
        "AND (?::timestamptz IS NULL OR (i.inhparent IS NOT NULL AND to_date(substring(c.relname " +
        "FROM '_y([0-9]{4}m[0-9]{2})$'), 'YYYY\"m\"MM') + interval '1 month' <= ?::timestamptz AT TIME ZONE 'UTC')) " +
        "ORDER BY 2, 1";
    private static final String CUTOFF = "SELECT history_expiry_cutoff(?)";
    private static final String EXPIRE =
        "SELECT partition_name, to_char(month_start AT TIME ZONE 'UTC', 'YYYY-MM'), action, row_count " +
        "FROM expire_history_partitions(?, ?)";

    private final PartitionsOptions options;
    private final PrintStream out;
    private final PrintStream err;

    PartitionsTool(final PartitionsOptions options, final PrintStream out, final PrintStream err)
    {
        this.options = options;
        this.out = out;
        this.err = err;
    }

    /**
     * Entry point: {@code PartitionsTool list|expire --db <jdbc-url> [options]}.
     *
     * @param args the action and options.
     */
    public static void main(final String[] args)
    {
        System.exit(run(args));
    }

    /**
     * Run on stdout and stderr, with the process's environment.
     *
     * @param args the arguments after {@code partitions}.
     * @return the exit code.
     */
    public static int run(final String[] args)
    {
        return ToolsMain.run(ToolsMain.subcommand("partitions", args));
    }

    /**
     * Run on the given streams.
     *
     * @param args        the arguments after {@code partitions}.
     * @param out         where the listing (or the help text) goes.
     * @param err         where errors go.
     * @param environment where {@value VerifyOptions#PASSWORD_ENV} is looked up.
     * @return the exit code.
     */
    public static int run(
        final String[] args, final PrintStream out, final PrintStream err, final Map<String, String> environment)
    {
        return ToolsMain.run(ToolsMain.subcommand("partitions", args), out, err, environment);
    }

    /**
     * List or expire, as the options say.
     *
     * @return the exit code.
     */
    int run()
    {
        try (Connection connection = connect())
        {
            if (PartitionsOptions.Action.LIST == options.action())
            {
                final String partitions = list(connection, null);
                if (options.json())
                {
                    out.println("{\"partitions\":[" + partitions + "]}");
                }
            }
            else if (options.dryRun())
            {
                final OffsetDateTime cutoff = cutoff(connection);
                if (!options.json())
                {
                    out.println("cutoff " + cutoff + " (asked for " + options.before() + "); would " +
                        (options.drop() ? "drop:" : "detach:"));
                }
                final String partitions = list(connection, cutoff);
                if (options.json())
                {
                    out.println(expiryHeading(cutoff, true).append(",\"partitions\":[").append(partitions)
                        .append("]}"));
                }
            }
            else
            {
                expire(connection);
            }
            out.flush();
            return EXIT_DONE;
        }
        catch (final SQLException ex)
        {
            err.println("tradestate partitions: the database failed: " + ex.getMessage() +
                " (SQLState " + ex.getSQLState() + ")");
            return EXIT_DATABASE_FAILED;
        }
    }

    /**
     * The members an expiry's JSON object starts with: the cutoff asked for and the one used, drop or detach.
     */
    private StringBuilder expiryHeading(final OffsetDateTime cutoff, final boolean dryRun)
    {
        final JsonEventWriter json = new JsonEventWriter().begin()
            .string("before", options.before().toString())
            .string("cutoff", cutoff.toString())
            .string("action", options.drop() ? "drop" : "detach")
            .bool("dryRun", dryRun);
        return new StringBuilder(json.line());
    }

    /**
     * Print the partitions as a table, or with {@code --json} return them as JSON objects separated by commas.
     */
    private String list(final Connection connection, final OffsetDateTime cutoff) throws SQLException
    {
        final JsonEventWriter json = new JsonEventWriter();
        final StringBuilder partitions = new StringBuilder();
        if (!options.json())
        {
            out.printf("%-30s %-7s %-8s %14s %14s%n", "partition", "month", "state", "rows (est.)", "bytes");
        }
        try (PreparedStatement statement = connection.prepareStatement(PARTITIONS))
        {
            statement.setObject(1, cutoff);
            statement.setObject(2, cutoff);
            try (ResultSet rows = statement.executeQuery())
            {
                while (rows.next())
                {
                    final long estimate = rows.getLong(4);
                    final String state = rows.getBoolean(3) ? "attached" : "detached";
                    if (options.json())
                    {
                        json.begin().string("partition", rows.getString(1)).string("month", rows.getString(2))
                            .string("state", state);
                        if (estimate < 0)
                        {
                            json.nullValue("rowsEstimate");
                        }
                        else
                        {
                            json.number("rowsEstimate", estimate);
                        }
                        json.number("bytes", rows.getLong(5)).end();
                        partitions.append(partitions.length() > 0 ? ",\n" : "\n").append(json.line());
                    }
                    else
                    {
                        out.printf("%-30s %-7s %-8s %14s %,14d%n", rows.getString(1), rows.getString(2), state,
                            estimate < 0 ? "?" : String.format("%,d", estimate), rows.getLong(5));
                    }
                }
            }
        }
        return partitions.toString();
    }

    private OffsetDateTime cutoff(final Connection connection) throws SQLException
    {
        try (PreparedStatement statement = connection.prepareStatement(CUTOFF))
        {
            statement.setObject(1, options.before());
            try (ResultSet rows = statement.executeQuery())
            {
                rows.next();
                return rows.getObject(1, OffsetDateTime.class).withOffsetSameInstant(ZoneOffset.UTC);
            }
        }
    }

    private void expire(final Connection connection) throws SQLException
    {
        final OffsetDateTime cutoff = cutoff(connection);
        connection.setAutoCommit(false);
        int expired = 0;
        long rowsExpired = 0;
        final JsonEventWriter json = new JsonEventWriter();
        final StringBuilder partitions = new StringBuilder();
        try (PreparedStatement statement = connection.prepareStatement(EXPIRE))
        {
            statement.setObject(1, options.before());
            statement.setBoolean(2, options.drop());
            try (ResultSet rows = statement.executeQuery())
            {
                while (rows.next())
                {
                    if (options.json())
                    {
                        json.begin().string("partition", rows.getString(1)).string("month", rows.getString(2))
                            .string("action", rows.getString(3)).number("rows", rows.getLong(4)).end();
                        partitions.append(partitions.length() > 0 ? ",\n" : "\n").append(json.line());
                    }
                    else
                    {
                        out.printf("%-30s %-7s %-8s %,d rows%n", rows.getString(1), rows.getString(2),
                            rows.getString(3), rows.getLong(4));
                    }
                    expired++;
                    rowsExpired += rows.getLong(4);
                }
            }
            connection.commit();
        }
        catch (final SQLException ex)
        {
            connection.rollback();
            throw ex;
        }
        if (options.json())
        {
            out.println(expiryHeading(cutoff, false).append(",\"expired\":").append(expired).append(",\"rows\":")
                .append(rowsExpired).append(",\"partitions\":[").append(partitions).append("]}"));
            return;
        }
        out.printf("%d partitions %s, %,d rows, cutoff %s (asked for %s)%n", expired,
            options.drop() ? "dropped" : "detached", rowsExpired, cutoff, options.before());
    }

    private Connection connect() throws SQLException
    {
        return ToolDatabase.connect(options.jdbcUrl(), options.user(), options.password(), "tradestate-partitions");
    }
}
