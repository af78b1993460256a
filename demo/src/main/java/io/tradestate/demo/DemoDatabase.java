package io.tradestate.demo;

import io.tradestate.reader.postgres.EmbeddedDatabase;


import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The demo's own view of the database the reader agent drains into: one connection, autocommit, used for the
 * progress line and the summary, opened again after a failure (the server restarted by {@code --chaos}, say): a
 * query that fails drops the connection, the next one reconnects. It never writes, except to switch on
 * {@code track_commit_timestamp} in the embedded server it starts, which is what lets the summary measure
 * append-to-commit latency per row.
 * <p>
 * "This run" is every row of the run's sources whose append time is at or after the run's start: the journals and
 * the database are kept across runs unless {@code --reset}.
 */
final class DemoDatabase implements AutoCloseable
{
    static final List<String> HISTORY_TABLES =
        List.of("order_events", "fills", "trade_events", "pair_lock_events", "balance_events");

    private final Connector connector;
    private final String[] sources;
    private final long runStartNs;
    private final java.sql.Timestamp runStart;
    private Connection connection;

    DemoDatabase(final Connector connector, final List<String> sources, final long runStartNs)
    {
        this.connector = connector;
        this.sources = sources.toArray(new String[0]);
        this.runStartNs = runStartNs;
        this.runStart = new java.sql.Timestamp(runStartNs / 1_000_000);
    }

    /**
     * Start the embedded server under the state folder, with {@code track_commit_timestamp} on: set once with
     * {@code ALTER SYSTEM} and a restart, kept in the cluster's {@code postgresql.auto.conf} afterwards.
     */
    static EmbeddedDatabase startEmbedded(final Path stateDir, final int port) throws IOException, SQLException
    {
        final EmbeddedDatabase database = EmbeddedDatabase.start(stateDir, port);
        boolean tracking;
        try (Connection connection = database.dataSource().getConnection();
            Statement statement = connection.createStatement())
        {
            tracking = isOn(statement, "track_commit_timestamp");
            if (!tracking)
            {
                statement.execute("ALTER SYSTEM SET track_commit_timestamp = on");
            }
        }
        catch (final SQLException ex)
        {
            database.close();
            throw ex;
        }
        if (tracking)
        {
            return database;
        }
        final int actualPort = database.port();
        database.close();
        return EmbeddedDatabase.start(stateDir, 0 == port ? 0 : actualPort);
    }

    static Connection connect(final String url, final String user, final String password) throws SQLException
    {
        final Connection connection = DriverManager.getConnection(url, user, password);
        connection.setAutoCommit(true);
        return connection;
    }

    boolean commitTimestampsTracked() throws SQLException
    {
        return query((session) ->
        {
            try (Statement statement = session.createStatement())
            {
                return isOn(statement, "track_commit_timestamp");
            }
        });
    }

    /**
     * Rows of this run per history table.
     */
    Map<String, Long> rowsPerTable() throws SQLException
    {
        return query((session) ->
        {
            final Map<String, Long> rows = new LinkedHashMap<>();
            for (final String table : HISTORY_TABLES)
            {
                try (PreparedStatement statement = session.prepareStatement(
                    "SELECT count(*) FROM " + table + " WHERE source_id = ANY(?) AND append_time >= ? AND " +
                    "append_time_ns >= ?"))
                {
                    statement.setArray(1, session.createArrayOf("text", sources));
                    statement.setTimestamp(2, runStart);
                    statement.setLong(3, runStartNs);
                    rows.put(table, single(statement));
                }
            }
            return rows;
        });
    }

    static long sum(final Map<String, Long> rows)
    {
        long total = 0;
        for (final long count : rows.values())
        {
            total += count;
        }
        return total;
    }

    /**
     * Append time of the newest row in any history table, whichever its source.
     *
     * @return epoch milliseconds, or 0 if there is none.
     */
    long newestAppendMs() throws SQLException
    {
        final StringBuilder sql = new StringBuilder("SELECT extract(epoch FROM greatest(");
        for (int i = 0; i < HISTORY_TABLES.size(); i++)
        {
            sql.append(i > 0 ? ", " : "").append("(SELECT max(append_time) FROM ").append(HISTORY_TABLES.get(i))
                .append(')');
        }
        sql.append(")) * 1000");
        return query((session) ->
        {
            try (Statement statement = session.createStatement();
                ResultSet result = statement.executeQuery(sql.toString()))
            {
                result.next();
                return result.getLong(1);
            }
        });
    }

    /**
     * Dead letters of the run's sources recorded since the run started.
     */
    long deadLetters() throws SQLException
    {
        return query((session) ->
        {
            try (PreparedStatement statement = session.prepareStatement(
                "SELECT count(*) FROM dead_letters WHERE source_id = ANY(?) AND recorded_at >= ?"))
            {
                statement.setArray(1, session.createArrayOf("text", sources));
                statement.setTimestamp(2, runStart);
                return single(statement);
            }
        });
    }

    /**
     * Per row of this run, the commit time of the transaction that stored it minus its append time, in
     * milliseconds, for the rows appended before {@code steadyFromNs} (the run's first seconds) and for the others:
     * count, p50, p90, p99, p99.9 and max of each. Needs {@code track_commit_timestamp}.
     *
     * @param steadyFromNs append time (epoch nanoseconds) from which a row counts as the run's steady state.
     * @return two rows, the first seconds' then the steady state's; a regime without rows has a count of 0.
     */
    double[][] appendToCommitMs(final long steadyFromNs) throws SQLException
    {
        final StringBuilder union = new StringBuilder();
        for (int i = 0; i < HISTORY_TABLES.size(); i++)
        {
            union.append(i > 0 ? " UNION ALL " : "")
                .append("SELECT append_time_ns >= ? AS steady, ")
                .append("(extract(epoch FROM pg_xact_commit_timestamp(xmin)) * 1000000000 - append_time_ns) ")
                .append("/ 1000000.0 AS ms FROM ").append(HISTORY_TABLES.get(i))
                .append(" WHERE source_id = ANY(?) AND append_time >= ? AND append_time_ns >= ?");
        }
        final String sql = "SELECT steady, count(ms), percentile_cont(ARRAY[0.5, 0.9, 0.99, 0.999]) WITHIN GROUP " +
            "(ORDER BY ms), max(ms) FROM (" + union + ") AS latency GROUP BY steady";
        return query((session) ->
        {
            try (PreparedStatement statement = session.prepareStatement(sql))
            {
                for (int i = 0; i < HISTORY_TABLES.size(); i++)
                {
                    statement.setLong(4 * i + 1, steadyFromNs);
                    statement.setArray(4 * i + 2, session.createArrayOf("text", sources));
                    statement.setTimestamp(4 * i + 3, runStart);
                    statement.setLong(4 * i + 4, runStartNs);
                }
                final double[][] values = new double[2][6];
                try (ResultSet result = statement.executeQuery())
                {
                    while (result.next())
                    {
                        final double[] regime = values[result.getBoolean(1) ? 1 : 0];
                        regime[0] = result.getLong(2);
                        final Object[] percentiles = (Object[])result.getArray(3).getArray();
                        for (int i = 0; i < 4; i++)
                        {
                            regime[1 + i] = ((Number)percentiles[i]).doubleValue();
                        }
                        regime[5] = result.getDouble(4);
                    }
                }
                return values;
            }
        });
    }

    long databaseSizeBytes() throws SQLException
    {
        return query((session) ->
        {
            try (Statement statement = session.createStatement();
                ResultSet result = statement.executeQuery("SELECT pg_database_size(current_database())"))
            {
                result.next();
                return result.getLong(1);
            }
        });
    }

    /**
     * Run a query and count its rows, to show the example queries work.
     */
    int countRows(final String sql) throws SQLException
    {
        return query((session) ->
        {
            try (Statement statement = session.createStatement(); ResultSet result = statement.executeQuery(sql))
            {
                int rows = 0;
                while (result.next())
                {
                    rows++;
                }
                return rows;
            }
        });
    }

    public void close()
    {
        drop();
    }

    /**
     * Run a query on the connection, opened first if need be; on failure drop the connection, so that the next
     * query opens a new one.
     */
    private <T> T query(final Query<T> query) throws SQLException
    {
        try
        {
            if (null == connection)
            {
                connection = connector.connect();
            }
            return query.run(connection);
        }
        catch (final SQLException ex)
        {
            drop();
            throw ex;
        }
    }

    private void drop()
    {
        if (null != connection)
        {
            try
            {
                connection.close();
            }
            catch (final SQLException ignore)
            {
                // Closing a connection of a server that is stopping or gone: nothing to do.
            }
            connection = null;
        }
    }

    private static long single(final PreparedStatement statement) throws SQLException
    {
        try (ResultSet result = statement.executeQuery())
        {
            result.next();
            return result.getLong(1);
        }
    }

    /**
     * Opens a connection to the database the agent drains into.
     */
    @FunctionalInterface
    interface Connector
    {
        Connection connect() throws SQLException;
    }

    @FunctionalInterface
    private interface Query<T>
    {
        T run(Connection connection) throws SQLException;
    }

    private static boolean isOn(final Statement statement, final String setting) throws SQLException
    {
        try (ResultSet result = statement.executeQuery("SHOW " + setting))
        {
            result.next();
            return "on".equalsIgnoreCase(result.getString(1));
        }
    }
}
