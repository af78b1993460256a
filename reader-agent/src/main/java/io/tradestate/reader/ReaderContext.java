package io.tradestate.reader;

import io.tradestate.files.FileAccess;
import io.tradestate.reader.postgres.PasswordFile;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The reader agent's settings, collected once from the configuration file and the environment, validated by
 * {@link #conclude()} and then read-only. Every key and default is in {@link ReaderConfiguration}.
 * <p>
 * Precedence: environment variable, then the file, then the default. An unknown key in the file, or an invalid
 * value from anywhere, stops the agent with a message naming the key. The password is held here but never printed:
 * {@link #toString()} leaves it out.
 */
public final class ReaderContext
{
    /**
     * Environment variable holding the database password.
     */
    public static final String DB_PASSWORD_ENV = "TRADESTATE_DB_PASSWORD";

    /**
     * Environment variable holding the password of the migration role ({@code db.migration.user}).
     */
    public static final String DB_MIGRATION_PASSWORD_ENV = "TRADESTATE_DB_MIGRATION_PASSWORD";

    /**
     * Mode of the folders under {@code state.dir} the agent creates: setgid, the group may search and read.
     */
    static final int STATE_DIRECTORY_MODE = FileAccess.GROUP_READ_DIRECTORY_MODE;

    /**
     * Mode of the state maps: the strategies' group may write, a Chronicle Map reader takes its locks in the file.
     */
    static final int STATE_FILE_MODE = FileAccess.GROUP_WRITE_FILE_MODE;

    private final Map<String, String> values = new HashMap<>();
    private Path journalRoot;
    private Path stateDir;
    private String dbUrl;
    private String dbUser;
    private String dbPassword;
    private String dbMigrationUser;
    private String dbMigrationPassword;
    private FileAccess stateFileAccess;
    private FileAccess journalFileAccess;
    private int embeddedPort;
    private int batchMaxEvents;
    private long batchMaxBytes;
    private long batchMaxAgeMs;
    private long batchLingerMs;
    private long discoveryIntervalMs;
    private String idleStrategy;
    private long retryInitialMs;
    private long retryMaxMs;
    private String metricsHost;
    private int metricsPort;
    private boolean stateEnabled;
    private long stateOrdersEntries;
    private long stateTradesEntries;
    private long statePairLocksEntries;
    private long stateBalancesEntries;
    private long stateClosedRetentionMs;
    private long stateLockTimeoutMs;
    private long stateSnapshotIntervalMs;
    private long stateIdleMaxParkUs;
    private long journalRetentionMs;
    private long journalRetentionCheckMs;
    private long journalFreeWarnBytes;
    private boolean concluded;

    /**
     * A context from a configuration file (Java properties format) and an environment.
     *
     * @param configFile  properties file, or null for defaults and environment only.
     * @param environment variables, usually {@link System#getenv()}.
     * @return the context, not yet concluded.
     * @throws IllegalArgumentException naming an unknown key, or if the file cannot be read.
     */
    public static ReaderContext load(final Path configFile, final Map<String, String> environment)
    {
        final ReaderContext context = new ReaderContext();
        for (final ReaderConfiguration.Setting setting : ReaderConfiguration.settings().values())
        {
            context.values.put(setting.key(), setting.defaultValue());
        }

        if (null != configFile)
        {
            final Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(configFile, StandardCharsets.UTF_8))
            {
                properties.load(reader);
            }
            catch (final IOException ex)
            {
                throw new IllegalArgumentException("cannot read configuration file " + configFile + ": " + ex, ex);
            }

            for (final String key : properties.stringPropertyNames())
            {
                if (!ReaderConfiguration.settings().containsKey(key))
                {
                    throw new IllegalArgumentException(
                        "unknown key " + key + " in " + configFile + "; known keys: " +
                        String.join(", ", ReaderConfiguration.settings().keySet()));
                }
                context.values.put(key, properties.getProperty(key).trim());
            }
        }

        for (final String key : ReaderConfiguration.settings().keySet())
        {
            final String value = environment.get(ReaderConfiguration.environmentVariable(key));
            if (null != value)
            {
                context.values.put(key, value.trim());
            }
        }

        context.dbPassword = environment.get(DB_PASSWORD_ENV);
        context.dbMigrationPassword = environment.get(DB_MIGRATION_PASSWORD_ENV);
        return context;
    }

    /**
     * Override one setting, as a test or a tool does; validated by {@link #conclude()}.
     *
     * @param key   a key of {@link ReaderConfiguration}.
     * @param value its new value.
     * @return this for a fluent API.
     */
    public ReaderContext set(final String key, final String value)
    {
        checkNotConcluded();
        if (!ReaderConfiguration.settings().containsKey(key))
        {
            throw new IllegalArgumentException("unknown key " + key);
        }
        values.put(key, value);
        return this;
    }

    /**
     * Set the database password directly (tests and embedding code); never logged.
     *
     * @param password for {@link #dbUser()}.
     * @return this for a fluent API.
     */
    public ReaderContext dbPassword(final String password)
    {
        checkNotConcluded();
        this.dbPassword = password;
        return this;
    }

    /**
     * Validate every value and seal the context.
     *
     * @return this for a fluent API.
     * @throws IllegalArgumentException naming the key of the first invalid value.
     */
    public ReaderContext conclude()
    {
        checkNotConcluded();
        journalRoot = path(ReaderConfiguration.JOURNAL_ROOT);
        stateDir = path(ReaderConfiguration.STATE_DIR);
        dbUrl = values.get(ReaderConfiguration.DB_URL);
        if (!dbUrl.isEmpty() && !dbUrl.startsWith("jdbc:postgresql:"))
        {
            throw invalid(ReaderConfiguration.DB_URL, "must be empty or a jdbc:postgresql: URL");
        }
        if (dbUrl.toLowerCase(java.util.Locale.ROOT).matches(".*[?&](ssl)?password=.*"))
        {
            // Not invalid(): it would echo the value. The URL is logged at start, the password never is.
            throw new IllegalArgumentException(ReaderConfiguration.DB_URL + " must not carry the password (the URL " +
                "is logged): use " + DB_PASSWORD_ENV + " or " + ReaderConfiguration.DB_PASSWORD_FILE +
                " (environment: " + ReaderConfiguration.environmentVariable(ReaderConfiguration.DB_URL) + ")");
        }
        dbUser = values.get(ReaderConfiguration.DB_USER);
        if (dbUser.isEmpty())
        {
            throw invalid(ReaderConfiguration.DB_USER, "must not be empty");
        }
        embeddedPort = (int)number(ReaderConfiguration.DB_EMBEDDED_PORT, 0, 65535);
        batchMaxEvents = (int)number(ReaderConfiguration.BATCH_MAX_EVENTS, 1, 1_000_000);
        batchMaxBytes = number(ReaderConfiguration.BATCH_MAX_BYTES, 1L << 20, 1L << 30);
        batchMaxAgeMs = number(ReaderConfiguration.BATCH_MAX_AGE_MS, 0, 60_000);
        batchLingerMs = number(ReaderConfiguration.BATCH_LINGER_MS, 0, 60_000);
        discoveryIntervalMs = number(ReaderConfiguration.DISCOVERY_INTERVAL_MS, 10, 60_000);
        retryInitialMs = number(ReaderConfiguration.RETRY_INITIAL_MS, 1, 60_000);
        retryMaxMs = number(ReaderConfiguration.RETRY_MAX_MS, retryInitialMs, 3_600_000);
        metricsHost = values.get(ReaderConfiguration.METRICS_HOST);
        if (metricsHost.isEmpty())
        {
            throw invalid(ReaderConfiguration.METRICS_HOST, "must not be empty");
        }
        metricsPort = (int)number(ReaderConfiguration.METRICS_PORT, -1, 65535);
        stateEnabled = bool(ReaderConfiguration.STATE_ENABLED);
        stateOrdersEntries = number(ReaderConfiguration.STATE_ORDERS_ENTRIES, 1_000, 100_000_000);
        stateTradesEntries = number(ReaderConfiguration.STATE_TRADES_ENTRIES, 1_000, 100_000_000);
        statePairLocksEntries = number(ReaderConfiguration.STATE_PAIR_LOCKS_ENTRIES, 1_000, 100_000_000);
        stateBalancesEntries = number(ReaderConfiguration.STATE_BALANCES_ENTRIES, 1_000, 100_000_000);
        stateClosedRetentionMs = number(ReaderConfiguration.STATE_CLOSED_RETENTION_MS, 0, 366L * 86_400_000L);
        stateLockTimeoutMs = number(ReaderConfiguration.STATE_LOCK_TIMEOUT_MS, 10, 600_000);
        stateSnapshotIntervalMs = number(ReaderConfiguration.STATE_SNAPSHOT_INTERVAL_MS, 100, 86_400_000L);
        stateIdleMaxParkUs = number(ReaderConfiguration.STATE_IDLE_MAX_PARK_US, 1, 1_000_000);
        journalRetentionMs = number(ReaderConfiguration.JOURNAL_RETENTION_MS, -1, 3660L * 86_400_000L);
        journalRetentionCheckMs = number(ReaderConfiguration.JOURNAL_RETENTION_CHECK_MS, 100, 86_400_000L);
        journalFreeWarnBytes = number(ReaderConfiguration.JOURNAL_FREE_WARN_BYTES, 0, Long.MAX_VALUE);
        idleStrategy = values.get(ReaderConfiguration.IDLE_STRATEGY);
        IdleStrategies.parse(idleStrategy, ReaderConfiguration.IDLE_STRATEGY);

        final String passwordFile = values.get(ReaderConfiguration.DB_PASSWORD_FILE);
        if (null == dbPassword && !passwordFile.isEmpty())
        {
            dbPassword = PasswordFile.read(ReaderConfiguration.DB_PASSWORD_FILE, passwordFile);
        }

        dbMigrationUser = values.get(ReaderConfiguration.DB_MIGRATION_USER);
        if (!dbMigrationUser.isEmpty() && dbUrl.isEmpty())
        {
            throw invalid(ReaderConfiguration.DB_MIGRATION_USER, "needs db.url: the embedded server has one user");
        }
        checkUrlUser();
        final String migrationPasswordFile = values.get(ReaderConfiguration.DB_MIGRATION_PASSWORD_FILE);
        if (null == dbMigrationPassword && !migrationPasswordFile.isEmpty())
        {
            dbMigrationPassword = PasswordFile.read(ReaderConfiguration.DB_MIGRATION_PASSWORD_FILE,
                migrationPasswordFile);
        }

        final String filesGroup = values.get(ReaderConfiguration.FILES_GROUP);
        stateFileAccess = FileAccess.of(ReaderConfiguration.FILES_GROUP, filesGroup, STATE_DIRECTORY_MODE,
            STATE_FILE_MODE);
        journalFileAccess = FileAccess.of(ReaderConfiguration.FILES_GROUP, filesGroup,
            FileAccess.GROUP_WRITE_DIRECTORY_MODE, FileAccess.GROUP_WRITE_FILE_MODE);

        concluded = true;
        return this;
    }

    /**
     * Folder holding one queue folder per source.
     *
     * @return the journal root.
     */
    public Path journalRoot()
    {
        return journalRoot;
    }

    /**
     * Folder of the agent's own state.
     *
     * @return the state folder.
     */
    public Path stateDir()
    {
        return stateDir;
    }

    /**
     * JDBC URL of the database, or empty for the embedded server.
     *
     * @return the URL.
     */
    public String dbUrl()
    {
        return dbUrl;
    }

    /**
     * Whether the agent starts its embedded PostgreSQL.
     *
     * @return true when no URL is configured.
     */
    public boolean embeddedDatabase()
    {
        return dbUrl.isEmpty();
    }

    /**
     * Database user.
     *
     * @return the user.
     */
    public String dbUser()
    {
        return dbUser;
    }

    /**
     * Database password, or null if none is configured.
     *
     * @return the password; never log it.
     */
    public String dbPassword()
    {
        return dbPassword;
    }

    /**
     * Role that runs the schema migrations.
     *
     * @return the role, or empty to run them as {@link #dbUser()}.
     */
    public String dbMigrationUser()
    {
        return dbMigrationUser;
    }

    /**
     * Password of the migration role, or null if none is configured.
     *
     * @return the password; never log it.
     */
    public String dbMigrationPassword()
    {
        return dbMigrationPassword;
    }

    /**
     * Group and modes of what the agent creates under {@code state.dir}: folders {@code 2750}, state maps
     * {@code 0660}; files for the agent alone are made {@link FileAccess#OWNER_ONLY_FILE_MODE}.
     *
     * @return the access, once concluded.
     */
    public FileAccess stateFileAccess()
    {
        return stateFileAccess;
    }

    /**
     * Group and modes of the journal root when the agent creates it: {@code 2770}, for the strategies to create
     * their queue folders in.
     *
     * @return the access, once concluded.
     */
    public FileAccess journalFileAccess()
    {
        return journalFileAccess;
    }

    /**
     * Port of the embedded PostgreSQL; 0 for any free port.
     *
     * @return the port.
     */
    public int embeddedPort()
    {
        return embeddedPort;
    }

    /**
     * Most events in one transaction.
     *
     * @return the count.
     */
    public int batchMaxEvents()
    {
        return batchMaxEvents;
    }

    /**
     * Most bytes of history rows and dead letters in one transaction: a batch closes at the first of this and
     * {@link #batchMaxEvents()}, so that large dead letters (up to 64 KiB each) cannot fill the heap.
     *
     * @return bytes, at least 1 MiB.
     */
    public long batchMaxBytes()
    {
        return batchMaxBytes;
    }

    /**
     * Longest wait of an event in an open batch while more keep coming.
     *
     * @return milliseconds.
     */
    public long batchMaxAgeMs()
    {
        return batchMaxAgeMs;
    }

    /**
     * Wait for more events once every journal is drained.
     *
     * @return milliseconds.
     */
    public long batchLingerMs()
    {
        return batchLingerMs;
    }

    /**
     * Interval between scans of the journal root.
     *
     * @return milliseconds.
     */
    public long discoveryIntervalMs()
    {
        return discoveryIntervalMs;
    }

    /**
     * Idle strategy name of the agents.
     *
     * @return the name.
     */
    public String idleStrategy()
    {
        return idleStrategy;
    }

    /**
     * First delay before retrying a failed batch.
     *
     * @return milliseconds.
     */
    public long retryInitialMs()
    {
        return retryInitialMs;
    }

    /**
     * Longest delay between retries of a failed batch.
     *
     * @return milliseconds.
     */
    public long retryMaxMs()
    {
        return retryMaxMs;
    }

    /**
     * Address of the metrics endpoint.
     *
     * @return host name or address.
     */
    public String metricsHost()
    {
        return metricsHost;
    }

    /**
     * Port of the metrics endpoint.
     *
     * @return the port, 0 for any free one, -1 when off.
     */
    public int metricsPort()
    {
        return metricsPort;
    }

    /**
     * Whether the agent publishes the live state through Chronicle Map files.
     *
     * @return true if it does.
     */
    public boolean stateEnabled()
    {
        return stateEnabled;
    }

    /**
     * Capacity of the orders state map.
     *
     * @return entries.
     */
    public long stateOrdersEntries()
    {
        return stateOrdersEntries;
    }

    /**
     * Capacity of the trades state map.
     *
     * @return entries.
     */
    public long stateTradesEntries()
    {
        return stateTradesEntries;
    }

    /**
     * Capacity of the pair locks state map.
     *
     * @return entries.
     */
    public long statePairLocksEntries()
    {
        return statePairLocksEntries;
    }

    /**
     * Capacity of the balances state map.
     *
     * @return entries.
     */
    public long stateBalancesEntries()
    {
        return stateBalancesEntries;
    }

    /**
     * How long closed orders and trades stay in the maps.
     *
     * @return milliseconds.
     */
    public long stateClosedRetentionMs()
    {
        return stateClosedRetentionMs;
    }

    /**
     * Longest wait of the publisher for a map lock.
     *
     * @return milliseconds.
     */
    public long stateLockTimeoutMs()
    {
        return stateLockTimeoutMs;
    }

    /**
     * Interval between two snapshots of the state maps.
     *
     * @return milliseconds.
     */
    public long stateSnapshotIntervalMs()
    {
        return stateSnapshotIntervalMs;
    }

    /**
     * Longest park of the state publisher's backoff idle strategy.
     *
     * @return microseconds.
     */
    public long stateIdleMaxParkUs()
    {
        return stateIdleMaxParkUs;
    }

    /**
     * How old a drained cycle file must be before retention deletes it.
     *
     * @return milliseconds, -1 when retention is off.
     */
    public long journalRetentionMs()
    {
        return journalRetentionMs;
    }

    /**
     * Interval between two retention passes over the journals.
     *
     * @return milliseconds.
     */
    public long journalRetentionCheckMs()
    {
        return journalRetentionCheckMs;
    }

    /**
     * Free space on the journal root's file system under which the agent warns.
     *
     * @return bytes, 0 for no warning.
     */
    public long journalFreeWarnBytes()
    {
        return journalFreeWarnBytes;
    }

    /**
     * The settings, without the password.
     *
     * @return key=value pairs.
     */
    public String toString()
    {
        final StringBuilder builder = new StringBuilder("ReaderContext{");
        for (final String key : ReaderConfiguration.settings().keySet())
        {
            builder.append(key).append('=').append(values.get(key)).append(", ");
        }
        return builder.append("password=").append(null == dbPassword ? "none" : "set")
            .append(", migrationPassword=").append(null == dbMigrationPassword ? "none" : "set").append('}').toString();
    }

    private Path path(final String key)
    {
        final String value = values.get(key);
        if (value.isEmpty())
        {
            throw invalid(key, "must not be empty");
        }
        try
        {
            return Paths.get(value).toAbsolutePath();
        }
        catch (final RuntimeException ex)
        {
            throw invalid(key, "is not a valid path");
        }
    }

    private long number(final String key, final long min, final long max)
    {
        final String value = values.get(key);
        final long number;
        try
        {
            number = Long.parseLong(value);
        }
        catch (final NumberFormatException ex)
        {
            throw invalid(key, "must be a whole number");
        }
        if (number < min || number > max)
        {
            throw invalid(key, "must be between " + min + " and " + max);
        }
        return number;
    }

    private boolean bool(final String key)
    {
        final String value = values.get(key);
        if ("true".equals(value))
        {
            return true;
        }
        if ("false".equals(value))
        {
            return false;
        }
        throw invalid(key, "must be true or false");
    }

    /**
     * A {@code user=} in the URL wins over the connection properties in pgjdbc: over {@code db.user} and over
     * {@code db.migration.user}, silently. Refused unless it names {@code db.user} and no migration role is set.
     */
    private void checkUrlUser()
    {
        final int query = dbUrl.indexOf('?');
        if (query < 0)
        {
            return;
        }
        for (final String parameter : dbUrl.substring(query + 1).split("&"))
        {
            if (parameter.startsWith("user="))
            {
                final String urlUser = java.net.URLDecoder.decode(
                    parameter.substring("user=".length()), java.nio.charset.StandardCharsets.UTF_8);
                if (!urlUser.equals(dbUser))
                {
                    throw invalid(ReaderConfiguration.DB_URL, "names the user '" + urlUser + "', which would win " +
                        "over db.user ('" + dbUser + "'): drop user= from the URL and set db.user");
                }
                if (!dbMigrationUser.isEmpty())
                {
                    throw invalid(ReaderConfiguration.DB_URL, "names the user '" + urlUser + "', which would win " +
                        "over db.migration.user ('" + dbMigrationUser + "'): drop user= from the URL");
                }
            }
        }
    }

    private IllegalArgumentException invalid(final String key, final String rule)
    {
        return new IllegalArgumentException(
            key + " " + rule + ", was: '" + values.get(key) + "' (environment: " +
            ReaderConfiguration.environmentVariable(key) + ")");
    }

    private void checkNotConcluded()
    {
        if (concluded)
        {
            throw new IllegalStateException("ReaderContext is concluded");
        }
    }
}
