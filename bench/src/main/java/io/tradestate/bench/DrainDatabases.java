package io.tradestate.bench;

import io.tradestate.codecs.event.HistoryTable;
import io.tradestate.reader.postgres.EmbeddedDatabase;
import io.tradestate.reader.postgres.SchemaMigrations;
import org.postgresql.ds.PGSimpleDataSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The PostgreSQL server of {@link DrainThroughputHarness} and a fresh database on it for each variant: the reader
 * agent's embedded server ({@link EmbeddedDatabase}: PostgreSQL 17, {@code fsync}, {@code synchronous_commit} and
 * {@code full_page_writes} on) in a scratch folder, or the server of {@value #JDBC_URL_ENV} (user and password in the
 * URL; the user must be allowed to create databases, and {@code fsync} must be on). Each database gets the agent's
 * schema through {@link SchemaMigrations#migrate}, so every variant writes the same tables with the same indexes, and
 * {@code synchronous_commit = on}.
 */
final class DrainDatabases implements AutoCloseable
{
    static final String JDBC_URL_ENV = "TRADESTATE_BENCH_JDBC_URL";

    private static final String[] SETTINGS = { "server_version", "fsync", "synchronous_commit", "full_page_writes",
        "wal_level", "shared_buffers", "max_wal_size", "checkpoint_timeout" };

    private final EmbeddedDatabase embedded;
    private final String url;
    private final List<String> created = new ArrayList<>();

    private DrainDatabases(final EmbeddedDatabase embedded, final String url)
    {
        this.embedded = embedded;
        this.url = url;
    }

    /**
     * Start the embedded server under {@code stateDir}, or use the server of {@value #JDBC_URL_ENV} when it is set.
     *
     * @param stateDir scratch folder for the embedded server.
     * @return the server.
     */
    static DrainDatabases start(final Path stateDir)
    {
        final String url = System.getenv(JDBC_URL_ENV);
        if (null != url && !url.isBlank())
        {
            return new DrainDatabases(null, url);
        }
        try
        {
            return new DrainDatabases(EmbeddedDatabase.start(stateDir, 0), null);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * Create a fresh database named {@code prefix} (plus a time stamp on a server of {@value #JDBC_URL_ENV}), give it
     * the agent's schema, and checkpoint the server, so that the previous variant's dirty pages are written before
     * this one starts.
     *
     * @param prefix of the database's name.
     * @return the database's name.
     * @throws SQLException if it fails.
     */
    String create(final String prefix) throws SQLException
    {
        final String name = null == embedded ?
            prefix + "_" + Long.toString(System.currentTimeMillis(), 36) : prefix;
        try (Connection connection = connectAdmin(); Statement statement = connection.createStatement())
        {
            statement.execute("CREATE DATABASE " + name);
            created.add(name);
            statement.execute("ALTER DATABASE " + name + " SET synchronous_commit = on");
        }
        SchemaMigrations.migrate(dataSource(name));
        checkpoint();
        return name;
    }

    /**
     * Drop a database {@link #create} made, once its round is checked: the next round's variants then start with
     * the server's buffers and disk as free as the first round's.
     *
     * @param name the database's name.
     * @throws SQLException if it fails.
     */
    void drop(final String name) throws SQLException
    {
        try (Connection connection = connectAdmin(); Statement statement = connection.createStatement())
        {
            statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            created.remove(name);
        }
    }

    /**
     * A new connection to a database, {@code autoCommit} off, with durable commits checked.
     *
     * @param database name.
     * @param rewriteBatchedInserts pgjdbc's {@code reWriteBatchedInserts}.
     * @return the connection.
     * @throws SQLException if it fails, or {@code fsync} is off.
     */
    Connection connect(final String database, final boolean rewriteBatchedInserts) throws SQLException
    {
        final PGSimpleDataSource dataSource = dataSource(database);
        dataSource.setReWriteBatchedInserts(rewriteBatchedInserts);
        final Connection connection = dataSource.getConnection();
        try (Statement statement = connection.createStatement())
        {
            statement.execute("SET synchronous_commit = on");
            try (ResultSet fsync = statement.executeQuery("SHOW fsync"))
            {
                if (!fsync.next() || !"on".equals(fsync.getString(1)))
                {
                    throw new SQLException("fsync is off on " + description() + ": the harness needs a durable server");
                }
            }
            connection.setAutoCommit(false);
        }
        catch (final SQLException ex)
        {
            connection.close();
            throw ex;
        }
        return connection;
    }

    /**
     * The JDBC URL the reader agent gets for a database.
     *
     * @param database name.
     * @return the URL.
     */
    String jdbcUrl(final String database)
    {
        return null == embedded ? withDatabase(url, database) : embedded.jdbcUrl(database);
    }

    /**
     * The password the reader agent gets, or null when it is in the URL.
     *
     * @return the password.
     */
    String password()
    {
        return null == embedded ? null : embedded.password();
    }

    /**
     * Create the monthly partitions the agent would create for these append times (the month of the first, two
     * more ahead, as {@code PostgresBatchWriter.ensurePartitions} does), so that the baselines' rows land in the same
     * partitions as the agent's.
     *
     * @param connection    to the database.
     * @param minAppendTimeNs earliest append time of the rows.
     * @param maxAppendTimeNs latest append time of the rows.
     * @throws SQLException if it fails.
     */
    static void createPartitions(final Connection connection, final long minAppendTimeNs, final long maxAppendTimeNs)
        throws SQLException
    {
        final YearMonth first = month(minAppendTimeNs);
        final YearMonth last = month(maxAppendTimeNs).plusMonths(2);
        try (PreparedStatement statement = connection.prepareStatement("SELECT create_history_partitions(?, ?)"))
        {
            statement.setTimestamp(1, Timestamp.from(first.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC)));
            statement.setInt(2, (last.getYear() - first.getYear()) * 12 + last.getMonthValue() - first.getMonthValue());
            statement.executeQuery().close();
        }
        connection.commit();
    }

    /**
     * Per history table, the row count and a hash of every row's stored values (the columns the agent's COPY loads,
     * as text), summed so that the order of rows does not matter: equal in two databases when they hold the same rows.
     *
     * @param database name.
     * @return one {@code table rows hash} line per table.
     * @throws SQLException if it fails.
     */
    List<String> contents(final String database) throws SQLException
    {
        final List<String> contents = new ArrayList<>();
        try (Connection connection = connect(database, false); Statement statement = connection.createStatement())
        {
            for (int table = 0; table < HistoryTable.values().length; table++)
            {
                final String name = HistoryTable.values()[table].tableName();
                try (ResultSet result = statement.executeQuery("SELECT count(*), coalesce(sum(hashtextextended(" +
                    "row(" + HistoryTable.values()[table].columnList() + ")::text, 0)), 0) FROM " + name))
                {
                    result.next();
                    contents.add(String.format(Locale.ROOT, "%s %d %s", name, result.getLong(1),
                        result.getBigDecimal(2).toPlainString()));
                }
            }
            connection.commit();
        }
        return contents;
    }

    /**
     * Rows per transaction in the history tables, read from the rows' {@code xmin}: the reader agent writes each batch
     * in one transaction, so these are its batch sizes (less the events without a row, one {@code SourceStarted} per
     * source).
     *
     * @param database name.
     * @return the sizes, in no particular order.
     * @throws SQLException if it fails.
     */
    long[] rowsPerTransaction(final String database) throws SQLException
    {
        final StringBuilder union = new StringBuilder();
        for (final HistoryTable table : HistoryTable.values())
        {
            union.append(union.length() > 0 ? " UNION ALL " : "").append("SELECT xmin::text AS tx FROM ")
                .append(table.tableName());
        }
        final List<Long> sizes = new ArrayList<>();
        try (Connection connection = connect(database, false);
            Statement statement = connection.createStatement();
            ResultSet result = statement.executeQuery("SELECT count(*) FROM (" + union + ") r GROUP BY tx"))
        {
            while (result.next())
            {
                sizes.add(result.getLong(1));
            }
            connection.commit();
        }
        return sizes.stream().mapToLong(Long::longValue).toArray();
    }

    /**
     * A value of the database's own tables.
     *
     * @param database name.
     * @param sql      a query returning one number.
     * @return the number.
     * @throws SQLException if it fails.
     */
    long queryLong(final String database, final String sql) throws SQLException
    {
        try (Connection connection = connect(database, false);
            Statement statement = connection.createStatement();
            ResultSet result = statement.executeQuery(sql))
        {
            result.next();
            final long value = result.getLong(1);
            connection.commit();
            return value;
        }
    }

    /**
     * The server's durability and memory settings, for the report.
     *
     * @return {@code name=value} pairs.
     * @throws SQLException if they cannot be read.
     */
    String settings() throws SQLException
    {
        final StringBuilder text = new StringBuilder();
        try (Connection connection = connectAdmin(); Statement statement = connection.createStatement())
        {
            for (final String setting : SETTINGS)
            {
                try (ResultSet result = statement.executeQuery("SHOW " + setting))
                {
                    result.next();
                    text.append(text.length() > 0 ? ", " : "").append(setting).append('=').append(result.getString(1));
                }
            }
        }
        return text.toString();
    }

    /**
     * Where the databases are, for the report.
     *
     * @return e.g. {@code embedded PostgreSQL on 127.0.0.1:41234}.
     */
    String description()
    {
        return null == embedded ? "the server of " + JDBC_URL_ENV : "embedded PostgreSQL (the reader agent's " +
            "EmbeddedDatabase) on " + EmbeddedDatabase.HOST + ":" + embedded.port();
    }

    /**
     * CPU time used so far by the embedded server's processes: the postmaster, its live children and its reaped
     * children (backends that have exited).
     *
     * @return clock ticks, or -1 when unknown (a server of {@value #JDBC_URL_ENV}, or no {@code /proc}).
     */
    long serverCpuTicks()
    {
        return null == embedded ? -1 : ProcStat.serverCpuTicks(embedded.postmasterPid());
    }

    /**
     * Drop the databases made on a server of {@value #JDBC_URL_ENV}; stop the embedded server.
     */
    public void close()
    {
        if (null != embedded)
        {
            embedded.close();
            return;
        }
        try (Connection connection = connectAdmin(); Statement statement = connection.createStatement())
        {
            for (final String name : created)
            {
                statement.execute("DROP DATABASE IF EXISTS " + name);
            }
        }
        catch (final SQLException ex)
        {
            System.err.println("could not drop the databases " + created + ": " + ex);
        }
    }

    private void checkpoint() throws SQLException
    {
        try (Connection connection = connectAdmin(); Statement statement = connection.createStatement())
        {
            statement.execute("CHECKPOINT");
        }
        catch (final SQLException ex)
        {
            if (null != embedded)
            {
                throw ex;
            }
            // Not a superuser (or pg_checkpoint) on a server of its own: the run goes on without it.
        }
    }

    private Connection connectAdmin() throws SQLException
    {
        final Connection connection = null == embedded ? dataSource(url, null).getConnection() :
            dataSource("postgres").getConnection();
        connection.setAutoCommit(true);
        return connection;
    }

    private PGSimpleDataSource dataSource(final String database)
    {
        return dataSource(jdbcUrl(database), password());
    }

    private static PGSimpleDataSource dataSource(final String url, final String password)
    {
        final PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(url);
        if (null != password)
        {
            dataSource.setPassword(password);
        }
        return dataSource;
    }

    private static String withDatabase(final String url, final String database)
    {
        final int hostStart = url.indexOf("//");
        final int path = url.indexOf('/', hostStart + 2);
        final int query = url.indexOf('?');
        if (hostStart < 0 || path < 0)
        {
            throw new IllegalArgumentException(JDBC_URL_ENV + " must be jdbc:postgresql://host:port/database[?...]");
        }
        return url.substring(0, path + 1) + database + (query < 0 ? "" : url.substring(query));
    }

    private static YearMonth month(final long epochNs)
    {
        return YearMonth.from(Instant.ofEpochSecond(Math.floorDiv(epochNs, 1_000_000_000L)).atZone(ZoneOffset.UTC));
    }
}
