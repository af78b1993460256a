package io.tradestate.reader;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.tradestate.reader.drain.DrainAgent;
import io.tradestate.reader.drain.PostgresBatchWriter;
import io.tradestate.reader.postgres.EmbeddedDatabase;
import org.postgresql.ds.PGSimpleDataSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * The PostgreSQL server of the integration tests. When {@value #JDBC_URL_ENV} is set (with {@value #JDBC_USER_ENV}
 * and {@value #JDBC_PASSWORD_ENV} when the URL does not carry them), the tests use that server; otherwise one
 * {@link EmbeddedDatabase} per JVM, started on first use in a temporary state folder and stopped at JVM exit. Either
 * way the data sources made here carry the user and password.
 * <p>
 * Tests that write should work in a database of their own: {@link #createDatabase(String)} makes an empty one with
 * {@code CREATE DATABASE}, and {@link #dropDatabase(String)} removes it (an external server keeps what is not
 * dropped).
 */
public final class TestDatabase
{
    /**
     * Environment variable naming an external server, e.g. {@code jdbc:postgresql://db:5432/postgres}; its database
     * must allow {@code CREATE DATABASE}.
     */
    public static final String JDBC_URL_ENV = "TRADESTATE_TEST_JDBC_URL";

    /**
     * Environment variable holding the user for {@value #JDBC_URL_ENV}.
     */
    public static final String JDBC_USER_ENV = "TRADESTATE_TEST_JDBC_USER";

    /**
     * Environment variable holding the password for {@value #JDBC_URL_ENV}.
     */
    public static final String JDBC_PASSWORD_ENV = "TRADESTATE_TEST_JDBC_PASSWORD";

    private static final Pattern URL_DATABASE = Pattern.compile("^(jdbc:postgresql://[^/?]*)(/[^?]*)?(\\?.*)?$");
    private static final int MAX_NAME_LENGTH = 63;

    private static EmbeddedDatabase embedded;
    private static String adminUrl;
    private static String user;
    private static String password;

    private TestDatabase()
    {
    }

    /**
     * Whether the tests run against the server named by {@value #JDBC_URL_ENV}.
     *
     * @return true for an external server, false for the embedded one.
     */
    public static boolean isExternal()
    {
        final String url = System.getenv(JDBC_URL_ENV);
        return null != url && !url.isBlank();
    }

    /**
     * JDBC URL of the server's own database (the one of {@value #JDBC_URL_ENV}, or {@code postgres}); starts the
     * embedded server on first use.
     *
     * @return the URL, without password.
     */
    public static synchronized String jdbcUrl()
    {
        if (null == adminUrl)
        {
            if (isExternal())
            {
                adminUrl = System.getenv(JDBC_URL_ENV).trim();
                user = System.getenv(JDBC_USER_ENV);
                password = System.getenv(JDBC_PASSWORD_ENV);
            }
            else
            {
                embedded = startEmbedded();
                adminUrl = embedded.jdbcUrl("postgres");
                user = EmbeddedDatabase.USER;
                password = embedded.password();
            }
        }
        return adminUrl;
    }

    /**
     * JDBC URL of another database of the same server.
     *
     * @param database name of the database.
     * @return the URL of {@link #jdbcUrl()} with its database replaced.
     */
    public static String jdbcUrl(final String database)
    {
        final Matcher matcher = URL_DATABASE.matcher(jdbcUrl());
        if (!matcher.matches())
        {
            throw new IllegalStateException(JDBC_URL_ENV + " is not a jdbc:postgresql://host[:port][/database] URL");
        }
        return matcher.group(1) + "/" + database + (null == matcher.group(3) ? "" : matcher.group(3));
    }

    /**
     * User for the test server, or {@code null} when the URL carries it.
     *
     * @return the user.
     */
    public static synchronized String user()
    {
        jdbcUrl();
        return user;
    }

    /**
     * Password for the test server: the embedded server's, or that of {@value #JDBC_PASSWORD_ENV}.
     *
     * @return the password, or {@code null} when the URL carries it or the server needs none.
     */
    public static synchronized String password()
    {
        jdbcUrl();
        return password;
    }

    /**
     * Unpooled data source of the server's own database, with the user and password.
     *
     * @return a new data source.
     */
    public static DataSource dataSource()
    {
        return dataSourceFor(jdbcUrl());
    }

    /**
     * Unpooled data source of another database of the same server.
     *
     * @param database name of the database.
     * @return a new data source.
     */
    public static DataSource dataSource(final String database)
    {
        return dataSourceFor(jdbcUrl(database));
    }

    /**
     * A pool over a database of the same server set as the reader agent's own for its batches (autocommit off, four
     * connections: the three batches in flight and the drain's discovery), for tests that drive a {@link DrainAgent}
     * or a {@link PostgresBatchWriter} themselves.
     *
     * @param database name of the database.
     * @return the pool; the caller closes it.
     */
    public static HikariDataSource agentPool(final String database)
    {
        final HikariConfig config = new HikariConfig();
        config.setDataSource(dataSource(database));
        config.setAutoCommit(false);
        config.setMaximumPoolSize(4);
        return new HikariDataSource(config);
    }

    /**
     * Create an empty database, named from {@code prefix} and a random suffix so that runs never collide.
     *
     * @param prefix start of the name, e.g. the test class; reduced to lower-case letters, digits and underscores.
     * @return the name of the new database.
     */
    public static String createDatabase(final String prefix)
    {
        final String suffix = "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String name = prefix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        name = "it_" + name.substring(0, Math.min(name.length(), MAX_NAME_LENGTH - suffix.length() - 3)) + suffix;
        execute("CREATE DATABASE " + name);
        return name;
    }

    /**
     * The settings of an agent draining into a database made by {@link #createDatabase(String)}: its journal root,
     * its state folder, the database's URL and user, discovery every 50 ms, the metrics on a free port; the password
     * is not among them (a child JVM takes it from {@value ReaderContext#DB_PASSWORD_ENV}).
     *
     * @param database    name of the database.
     * @param journalRoot the journals to drain.
     * @param stateDir    the agent's state folder.
     * @return keys of {@link ReaderConfiguration} and their values, a mutable map.
     */
    public static Map<String, String> agentSettings(final String database, final Path journalRoot, final Path stateDir)
    {
        final Map<String, String> settings = new HashMap<>();
        settings.put(ReaderConfiguration.JOURNAL_ROOT, journalRoot.toString());
        settings.put(ReaderConfiguration.STATE_DIR, stateDir.toString());
        settings.put(ReaderConfiguration.DB_URL, jdbcUrl(database));
        if (null != user())
        {
            settings.put(ReaderConfiguration.DB_USER, user());
        }
        settings.put(ReaderConfiguration.DISCOVERY_INTERVAL_MS, "50");
        settings.put(ReaderConfiguration.METRICS_PORT, "0");
        return settings;
    }

    /**
     * The settings of {@link #agentSettings} and the password, as the context of an agent in this JVM. Not
     * concluded, so that a test can set more.
     *
     * @param database    name of the database.
     * @param journalRoot the journals to drain.
     * @param stateDir    the agent's state folder.
     * @return the context.
     */
    public static ReaderContext agentContext(final String database, final Path journalRoot, final Path stateDir)
    {
        final ReaderContext context = ReaderContext.load(null, Map.of());
        agentSettings(database, journalRoot, stateDir).forEach(context::set);
        final String password = password();
        if (null != password)
        {
            context.dbPassword(password);
        }
        return context;
    }

    /**
     * Drop a database made by {@link #createDatabase(String)}, closing its sessions.
     *
     * @param database name of the database.
     */
    public static void dropDatabase(final String database)
    {
        execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    }

    private static void execute(final String sql)
    {
        try (Connection connection = dataSource().getConnection();
            Statement statement = connection.createStatement())
        {
            statement.execute(sql);
        }
        catch (final SQLException ex)
        {
            throw new IllegalStateException(sql + ": " + ex.getMessage(), ex);
        }
    }

    private static DataSource dataSourceFor(final String url)
    {
        jdbcUrl();
        final PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(url);
        if (null != user)
        {
            dataSource.setUser(user);
        }
        if (null != password)
        {
            dataSource.setPassword(password);
        }
        return dataSource;
    }

    private static EmbeddedDatabase startEmbedded()
    {
        try
        {
            final Path stateDir = Files.createTempDirectory("tradestate-it-");
            final EmbeddedDatabase database = EmbeddedDatabase.start(stateDir, 0);
            Runtime.getRuntime().addShutdownHook(new Thread(() ->
            {
                database.close();
                deleteQuietly(stateDir);
            }, "test-database-closer"));
            return database;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private static void deleteQuietly(final Path directory)
    {
        try (Stream<Path> paths = Files.walk(directory))
        {
            paths.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
        }
        catch (final IOException | UncheckedIOException ex)
        {
            // a temp folder left behind is no test failure
        }
    }
}
