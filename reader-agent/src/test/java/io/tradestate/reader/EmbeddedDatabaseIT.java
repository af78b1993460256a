package io.tradestate.reader;

import io.tradestate.reader.postgres.EmbeddedDatabase;
import io.tradestate.reader.postgres.SchemaMigrations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.sql.DataSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The embedded server on a real state folder: durable settings, password authentication, persistence across
 * restarts, restart after the server or the agent was killed, upgrade of a cluster that trusted local connections,
 * and the schema's partition function.
 */
@Timeout(120)
class EmbeddedDatabaseIT
{
    private static final List<String> TABLES = List.of(
        "order_events", "fills", "trade_events", "pair_lock_events", "balance_events", "orders", "trades",
        "pair_locks", "balances", "dead_letters", "source_checkpoints", "sources");
    private static final String READY = "READY ";
    private static final String LEGACY_HBA =
        "local   all             all                                     trust\n" +
        "host    all             all             127.0.0.1/32            trust\n" +
        "host    all             all             ::1/128                 trust\n" +
        "local   replication     all                                     trust\n" +
        "host    replication     all             127.0.0.1/32            trust\n" +
        "host    replication     all             ::1/128                 trust\n";

    /**
     * The database of the partition function's tests, on {@link TestDatabase}'s server: made only for the tests that
     * ask for it; the others start an embedded server of their own, which is what they test.
     */
    @RegisterExtension
    final AgentTestEnvironment environment = new AgentTestEnvironment("partitions").migrated();

    @TempDir
    Path stateDir;

    @Test
    void shouldKeepDataAndSkipMigrationWhenRestartedOnSameStateDir() throws Exception
    {
        long startNs = System.nanoTime();
        try (EmbeddedDatabase database = EmbeddedDatabase.start(stateDir, 0))
        {
            final long coldMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
            assertEquals(stateDir.resolve("postgres").resolve("data").toAbsolutePath(), database.dataDirectory());
            assertTrue(Files.isRegularFile(database.dataDirectory().resolve("PG_VERSION")));
            assertFalse(Files.exists(stateDir.resolve("postgres/data.initdb")), "scratch cluster renamed");
            assertEquals("jdbc:postgresql://127.0.0.1:" + database.port() + "/tradestate?user=postgres",
                database.jdbcUrl());
            assertEquals("PGPASSWORD=\"$(cat " + stateDir.resolve("postgres/password").toAbsolutePath() + ")\" " +
                "psql -h 127.0.0.1 -p " + database.port() + " -U postgres -d tradestate", database.psqlHint());

            final SchemaMigrations.Result result = SchemaMigrations.migrate(database.dataSource());
            assertEquals(SchemaMigrations.LATEST_VERSION, result.migrationsExecuted());
            assertEquals(String.valueOf(SchemaMigrations.LATEST_VERSION), result.versionAfter());

            final DataSource dataSource = database.dataSource();
            for (final String table : TABLES)
            {
                assertEquals(table, queryString(dataSource, "SELECT to_regclass('public." + table + "')::text"));
            }
            assertEquals("on", queryString(dataSource, "SHOW fsync"));
            assertEquals("on", queryString(dataSource, "SHOW synchronous_commit"));
            assertEquals("on", queryString(dataSource, "SHOW full_page_writes"));
            assertEquals("127.0.0.1", queryString(dataSource, "SHOW listen_addresses"));
            assertEquals("", queryString(dataSource, "SHOW unix_socket_directories"));
            assertEquals("C", queryString(dataSource,
                "SELECT datcollate FROM pg_database WHERE datname = current_database()"));
            execute(dataSource, "INSERT INTO sources (source_id, host, pid, schema_version, start_time, last_seen) " +
                "VALUES ('strategy-1', 'host-a', 4242, 1, now(), now())");

            final IllegalStateException inUse =
                assertThrows(IllegalStateException.class, () -> EmbeddedDatabase.start(stateDir, 0));
            assertTrue(inUse.getMessage().contains("in use by another reader agent"), inUse.getMessage());
            System.out.println("cold start (unpack, initdb, start) " + coldMs + " ms");
        }
        assertFalse(Files.exists(stateDir.resolve("postgres/data/postmaster.pid")), "clean shutdown");

        startNs = System.nanoTime();
        try (EmbeddedDatabase database = EmbeddedDatabase.start(stateDir, 0))
        {
            System.out.println("warm start " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs) + " ms");
            final DataSource dataSource = database.dataSource();
            assertEquals("host-a", queryString(dataSource, "SELECT host FROM sources WHERE source_id = 'strategy-1'"));

            final SchemaMigrations.Result result = SchemaMigrations.migrate(dataSource);
            assertEquals(String.valueOf(SchemaMigrations.LATEST_VERSION), result.versionBefore());
            assertEquals(String.valueOf(SchemaMigrations.LATEST_VERSION), result.versionAfter());
            assertEquals(0, result.migrationsExecuted());
            assertEquals("on", queryString(dataSource, "SHOW fsync"));
        }
    }

    @Test
    void shouldRequirePasswordForEveryConnectionAndReuseItWhenRestarted() throws Exception
    {
        final Path quotedStateDir = stateDir.resolve("it's state");
        final Path passwordFile = quotedStateDir.resolve("postgres").resolve("password").toAbsolutePath();
        final String password;
        try (EmbeddedDatabase database = EmbeddedDatabase.start(quotedStateDir, 0))
        {
            password = database.password();
            assertEquals(passwordFile, database.passwordFile());
            assertTrue(password.matches("[A-Za-z0-9_-]{32}"), "32 URL-safe characters");
            assertEquals(password + "\n", Files.readString(passwordFile));
            assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(passwordFile));
            assertRequiresPassword(database);

            final String hint = database.psqlHint();
            assertFalse(hint.contains(password), hint);
            assertEquals("PGPASSWORD=\"$(cat '" + passwordFile.toString().replace("'", "'\\''") + "')\" psql -h " +
                "127.0.0.1 -p " + database.port() + " -U postgres -d tradestate", hint);
            assertEquals(password, shellOutput(hint.substring(0, hint.indexOf(" psql ")) + " printenv PGPASSWORD"),
                "the hint's shell words give psql the password");

            final DataSource dataSource = database.dataSource();
            assertEquals("scram-sha-256", queryString(dataSource, "SHOW password_encryption"));
            assertEquals("scram-sha-256", queryString(dataSource,
                "SELECT string_agg(DISTINCT auth_method, ',') FROM pg_hba_file_rules"));
            assertEquals("127.0.0.1", queryString(dataSource,
                "SELECT string_agg(address, ',') FROM pg_hba_file_rules"));
            assertEquals("SCRAM-SHA-256$", queryString(dataSource,
                "SELECT left(rolpassword, 14) FROM pg_authid WHERE rolname = 'postgres'"));
        }
        Files.setPosixFilePermissions(passwordFile, PosixFilePermissions.fromString("rw-r--r--"));

        try (EmbeddedDatabase database = EmbeddedDatabase.start(quotedStateDir, 0))
        {
            assertEquals(password, database.password(), "the password of the first start");
            assertEquals(password + "\n", Files.readString(passwordFile));
            assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(passwordFile),
                "narrowed again");
            assertRequiresPassword(database);
            assertEquals("on", queryString(database.dataSource(), "SHOW fsync"));
        }
    }

    @Test
    void shouldSetPasswordAndRequireItWhenClusterTrustedLocalConnections() throws Exception
    {
        final Path dataDir;
        final String firstPassword;
        try (EmbeddedDatabase database = EmbeddedDatabase.start(stateDir, 0))
        {
            dataDir = database.dataDirectory();
            firstPassword = database.password();
            SchemaMigrations.migrate(database.dataSource());
            execute(database.dataSource(), "INSERT INTO source_checkpoints (source_id, last_index, events) " +
                "VALUES ('strategy-1', 7, 1)");
            execute(database.dataSource(), "ALTER USER postgres PASSWORD NULL");
        }
        // a cluster of the earlier agent: zonky's initdb -A trust, no password set, no password file
        Files.writeString(dataDir.resolve("pg_hba.conf"), LEGACY_HBA);
        Files.delete(stateDir.resolve("postgres/password"));

        final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        final PrintStream originalStderr = System.err;
        final String password;
        System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
        try (EmbeddedDatabase database = EmbeddedDatabase.start(stateDir, 0))
        {
            password = database.password();
            assertNotEquals(firstPassword, password, "a new password");
            assertEquals(PosixFilePermissions.fromString("rw-------"),
                Files.getPosixFilePermissions(database.passwordFile()));
            assertRequiresPassword(database);
            assertFalse(Files.readString(dataDir.resolve("pg_hba.conf")).contains("trust"), "no trust left");
            assertEquals("scram-sha-256", queryString(database.dataSource(),
                "SELECT string_agg(DISTINCT auth_method, ',') FROM pg_hba_file_rules"));
            assertEquals("7", queryString(database.dataSource(),
                "SELECT last_index::text FROM source_checkpoints WHERE source_id = 'strategy-1'"));
        }
        finally
        {
            System.setErr(originalStderr);
            System.err.print(stderr.toString(StandardCharsets.UTF_8));
        }
        final String log = stderr.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("does not require the password"), log);
        assertFalse(log.contains(password), "the agent's log never shows the password");
        try (Stream<Path> serverLogs = Files.list(dataDir.resolve("log")))
        {
            for (final Path serverLog : serverLogs.collect(Collectors.toList()))
            {
                assertFalse(Files.readString(serverLog, StandardCharsets.ISO_8859_1).contains(password),
                    "the server's log never shows the password: " + serverLog);
            }
        }

        try (EmbeddedDatabase database = EmbeddedDatabase.start(stateDir, 0))
        {
            assertEquals(password, database.password());
            assertRequiresPassword(database);
        }
    }

    @Test
    void shouldFailAtOnceWhenPasswordFileOfClusterIsMissing() throws Exception
    {
        final Path passwordFile;
        try (EmbeddedDatabase database = EmbeddedDatabase.start(stateDir, 0))
        {
            passwordFile = database.passwordFile();
        }
        Files.delete(passwordFile);

        final IllegalStateException ex =
            assertThrows(IllegalStateException.class, () -> EmbeddedDatabase.start(stateDir, 0));
        assertTrue(ex.getMessage().contains("requires the password that was in " + passwordFile), ex.getMessage());
        assertFalse(Files.exists(passwordFile), "no new password the cluster would not know");
    }

    @Test
    void shouldRecoverCommittedRowsWhenPostmasterWasKilled() throws Exception
    {
        final long killedPid;
        try (EmbeddedDatabase database = EmbeddedDatabase.start(stateDir, 0))
        {
            final DataSource dataSource = database.dataSource();
            SchemaMigrations.migrate(dataSource);
            execute(dataSource, "INSERT INTO source_checkpoints (source_id, last_index, events) " +
                "VALUES ('strategy-1', 123456789, 42)");

            killedPid = pidInPidFile(database.dataDirectory());
            assertEquals(database.postmasterPid(), killedPid);
            try (Connection idle = dataSource.getConnection())
            {
                // an open session keeps a backend that outlives its postmaster for a moment
                assertTrue(idle.isValid(1));
                assertTrue(ProcessHandle.of(killedPid).orElseThrow().destroyForcibly(), "SIGKILL");
                awaitStopped(killedPid);
            }
            assertTrue(Files.exists(database.dataDirectory().resolve("postmaster.pid")), "stale postmaster.pid");
        }

        final long startNs = System.nanoTime();
        try (EmbeddedDatabase database = EmbeddedDatabase.start(stateDir, 0))
        {
            System.out.println("start after SIGKILL of the postmaster " +
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs) + " ms");
            assertNotEquals(killedPid, database.postmasterPid());
            assertEquals("123456789", queryString(database.dataSource(),
                "SELECT last_index::text FROM source_checkpoints WHERE source_id = 'strategy-1'"));
            assertEquals(0, SchemaMigrations.migrate(database.dataSource()).migrationsExecuted());
        }
    }

    @Test
    void shouldStartWhenPidFileNamesUnrelatedProcess() throws Exception
    {
        final Path pidFile;
        try (EmbeddedDatabase database = EmbeddedDatabase.start(stateDir, 0))
        {
            pidFile = database.dataDirectory().resolve("postmaster.pid");
        }
        final Process unrelated = new ProcessBuilder("sleep", "60").start();
        try
        {
            // as after a reboot or in a container: a stale file whose pid now belongs to someone else
            Files.writeString(pidFile, unrelated.pid() + "\n");

            try (EmbeddedDatabase database = EmbeddedDatabase.start(stateDir, 0))
            {
                assertNotEquals(unrelated.pid(), database.postmasterPid());
                assertTrue(unrelated.isAlive(), "the unrelated process is left alone");
                assertEquals("on", queryString(database.dataSource(), "SHOW fsync"));
            }
        }
        finally
        {
            unrelated.destroyForcibly();
        }
    }

    @Test
    void shouldStopServerLeftRunningWhenPreviousAgentWasKilled() throws Exception
    {
        final Path log = stateDir.resolve("agent.log");
        final Process agent = new ProcessBuilder(
            Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx128m",
            "-cp", System.getProperty("java.class.path"),
            KilledAgentMain.class.getName(),
            stateDir.toString())
            .redirectError(log.toFile())
            .start();
        final long leftoverPid;
        try
        {
            leftoverPid = awaitReady(agent, log);
        }
        finally
        {
            agent.destroyForcibly();
        }
        assertTrue(agent.waitFor(10, TimeUnit.SECONDS), "agent JVM killed");
        assertTrue(isRunning(leftoverPid), "the killed agent's server keeps running");
        assertEquals(1, binaries().size(), "binaries unpacked under the state folder: " + binaries());

        final long startNs = System.nanoTime();
        try (EmbeddedDatabase database = EmbeddedDatabase.start(stateDir, 0))
        {
            System.out.println("start after SIGKILL of the agent " +
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs) + " ms");
            assertFalse(isRunning(leftoverPid), "leftover server stopped");
            assertNotEquals(leftoverPid, database.postmasterPid());
            assertEquals("on", queryString(database.dataSource(), "SHOW synchronous_commit"));
        }
    }

    @Test
    void shouldDiscardScratchClusterWhenFirstStartWasInterrupted() throws Exception
    {
        final Path scratch = Files.createDirectories(stateDir.resolve("postgres/data.initdb"));
        Files.writeString(scratch.resolve("PG_VERSION"), "17\n");

        try (EmbeddedDatabase database = EmbeddedDatabase.start(stateDir, 0))
        {
            assertFalse(Files.exists(scratch), "scratch cluster deleted, then renamed to data");
            assertEquals("on", queryString(database.dataSource(), "SHOW fsync"));
        }
    }

    @Test
    void shouldFailAtOnceWhenPortIsTaken() throws Exception
    {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName(EmbeddedDatabase.HOST)))
        {
            final long startNs = System.nanoTime();
            final IllegalStateException ex = assertThrows(IllegalStateException.class,
                () -> EmbeddedDatabase.start(stateDir, taken.getLocalPort()));
            assertTrue(ex.getMessage().contains("port " + taken.getLocalPort() + " on 127.0.0.1 is taken"),
                ex.getMessage());
            assertTrue(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startNs) < 30, "no wait for a timeout");
        }

        try (EmbeddedDatabase database = EmbeddedDatabase.start(stateDir, 0))
        {
            assertEquals("on", queryString(database.dataSource(), "SHOW full_page_writes"));
        }
    }

    @Test
    void shouldCreateMonthlyPartitionsOnceWhenCalledTwice() throws SQLException
    {
        final DataSource dataSource = environment.dataSource();

        assertEquals("15", queryString(dataSource, "SELECT create_history_partitions(now(), 2)::text"));
        assertEquals("0", queryString(dataSource, "SELECT create_history_partitions(now(), 2)::text"));
        for (final String table : List.of("order_events", "fills", "trade_events", "pair_lock_events",
            "balance_events"))
        {
            assertEquals("4", queryString(dataSource, "SELECT count(*)::text FROM pg_inherits " +
                "WHERE inhparent = '" + table + "'::regclass"), table + ": default and three months");
        }
    }

    @Test
    void shouldBoundPartitionsByUtcMonthsWhenSessionTimeZoneIsNotUtc() throws SQLException
    {
        final DataSource dataSource = environment.dataSource();
        try (Connection connection = dataSource.getConnection();
            Statement statement = connection.createStatement())
        {
            // months of 28 to 31 days and both DST changes of New York
            statement.execute("SET TimeZone = 'America/New_York'");
            try (ResultSet rows = statement.executeQuery(
                "SELECT create_history_partitions('2023-01-31 23:30:00+00', 12)"))
            {
                assertTrue(rows.next());
                assertEquals(5 * 13, rows.getInt(1));
            }
            statement.execute("SET TimeZone = 'UTC'");
            try (ResultSet rows = statement.executeQuery("SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) " +
                "FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid " +
                "WHERE i.inhparent = 'fills'::regclass AND c.relname <> 'fills_default' ORDER BY c.relname"))
            {
                final List<String> bounds = new ArrayList<>();
                while (rows.next())
                {
                    bounds.add(rows.getString(1) + " " + rows.getString(2));
                }
                assertEquals(13, bounds.size(), bounds.toString());
                assertEquals("fills_y2023m01 FOR VALUES FROM ('2023-01-01 00:00:00+00') TO " +
                    "('2023-02-01 00:00:00+00')", bounds.get(0));
                assertEquals("fills_y2023m03 FOR VALUES FROM ('2023-03-01 00:00:00+00') TO " +
                    "('2023-04-01 00:00:00+00')", bounds.get(2));
                assertEquals("fills_y2023m11 FOR VALUES FROM ('2023-11-01 00:00:00+00') TO " +
                    "('2023-12-01 00:00:00+00')", bounds.get(10));
                assertEquals("fills_y2024m01 FOR VALUES FROM ('2024-01-01 00:00:00+00') TO " +
                    "('2024-02-01 00:00:00+00')", bounds.get(12));
            }
        }
    }

    /**
     * An agent that starts the embedded server, says so on stdout, and waits to be killed.
     */
    public static final class KilledAgentMain
    {
        private KilledAgentMain()
        {
        }

        /**
         * Start the server under the state folder and wait forever.
         *
         * @param args the state folder.
         * @throws Exception if the server does not start.
         */
        public static void main(final String[] args) throws Exception
        {
            final EmbeddedDatabase database = EmbeddedDatabase.start(Paths.get(args[0]), 0);
            System.out.println(READY + database.postmasterPid());
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    /**
     * Every connection must authenticate: none without a password, none with a wrong one, one with the right one.
     */
    private static void assertRequiresPassword(final EmbeddedDatabase database) throws SQLException
    {
        final PGSimpleDataSource withoutPassword = new PGSimpleDataSource();
        withoutPassword.setUrl(database.jdbcUrl());
        assertThrows(SQLException.class, () -> withoutPassword.getConnection().close(), "no password");

        final PGSimpleDataSource wrongPassword = new PGSimpleDataSource();
        wrongPassword.setUrl(database.jdbcUrl());
        wrongPassword.setPassword(database.password() + "x");
        final SQLException refused = assertThrows(SQLException.class, () -> wrongPassword.getConnection().close());
        assertEquals("28P01", refused.getSQLState(), refused.getMessage());

        final PGSimpleDataSource rightPassword = new PGSimpleDataSource();
        rightPassword.setUrl(database.jdbcUrl());
        rightPassword.setPassword(database.password());
        assertEquals("postgres", queryString(rightPassword, "SELECT current_user"));
    }

    private static String shellOutput(final String command) throws IOException, InterruptedException
    {
        final Process shell = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true).start();
        final String output = new String(shell.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(shell.waitFor(10, TimeUnit.SECONDS), command);
        assertEquals(0, shell.exitValue(), output);
        return output;
    }

    private static long awaitReady(final Process agent, final Path log) throws IOException
    {
        try (BufferedReader reader = new BufferedReader(
            new InputStreamReader(agent.getInputStream(), StandardCharsets.UTF_8)))
        {
            String line;
            while (null != (line = reader.readLine()))
            {
                if (line.startsWith(READY))
                {
                    return Long.parseLong(line.substring(READY.length()).trim());
                }
            }
        }
        throw new AssertionError("agent exited before its server was ready: " + Files.readString(log));
    }

    private List<Path> binaries() throws IOException
    {
        try (Stream<Path> children = Files.list(stateDir.resolve("postgres")))
        {
            return children
                .filter((path) -> Files.isRegularFile(path.resolve("bin").resolve("postgres")))
                .collect(Collectors.toList());
        }
    }

    /**
     * A killed postmaster is reaped by pid 1, late in some containers: its zombie counts as stopped.
     */
    private static boolean isRunning(final long pid)
    {
        try
        {
            final String stat = Files.readString(Paths.get("/proc", Long.toString(pid), "stat"),
                StandardCharsets.ISO_8859_1);
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    private static void awaitStopped(final long pid) throws InterruptedException
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (isRunning(pid))
        {
            assertTrue(System.nanoTime() - deadlineNs < 0, "pid " + pid + " still running");
            Thread.sleep(10);
        }
    }

    private static long pidInPidFile(final Path dataDir) throws IOException
    {
        return Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
    }

    private static void execute(final DataSource dataSource, final String sql) throws SQLException
    {
        try (Connection connection = dataSource.getConnection();
            Statement statement = connection.createStatement())
        {
            statement.execute(sql);
        }
    }

    private static String queryString(final DataSource dataSource, final String sql) throws SQLException
    {
        try (Connection connection = dataSource.getConnection();
            Statement statement = connection.createStatement();
            ResultSet rows = statement.executeQuery(sql))
        {
            assertTrue(rows.next(), sql);
            return rows.getString(1);
        }
    }
}
