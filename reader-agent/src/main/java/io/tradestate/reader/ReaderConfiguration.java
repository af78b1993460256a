package io.tradestate.reader;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every setting of the reader agent: its key in the configuration file, its default and what it means, side by
 * side. The same table is printed by {@code --help} and documented in {@code reader-agent/README.md} and
 * {@code deploy/config/reader-agent.properties}; {@code ReaderConfigurationDocsTest} keeps them in step.
 * <p>
 * Each key can be overridden by an environment variable: {@code TRADESTATE_} followed by the key in upper case with
 * dots as underscores, e.g. {@code TRADESTATE_DB_URL} for {@code db.url}. No key holds a secret: the database
 * passwords come from {@code TRADESTATE_DB_PASSWORD} and {@code TRADESTATE_DB_MIGRATION_PASSWORD}, or from the files
 * named by {@code db.password.file} and {@code db.migration.password.file}, and {@code db.url} refuses a password.
 */
public final class ReaderConfiguration
{
    /**
     * Folder holding one queue folder per source.
     */
    public static final String JOURNAL_ROOT = "journal.root";

    /**
     * Folder of the agent's own state: the embedded PostgreSQL, the state maps.
     */
    public static final String STATE_DIR = "state.dir";

    /**
     * Group given to the folders and files the agent creates for others (the state maps, the journal root when it
     * creates it); empty keeps the group they inherit. Others never get any access, whatever the umask.
     */
    public static final String FILES_GROUP = "files.group";

    /**
     * JDBC URL of the PostgreSQL server; empty starts the embedded server under the state folder.
     */
    public static final String DB_URL = "db.url";

    /**
     * Database user.
     */
    public static final String DB_USER = "db.user";

    /**
     * File holding the database password (first line); {@code TRADESTATE_DB_PASSWORD} takes precedence.
     */
    public static final String DB_PASSWORD_FILE = "db.password.file";

    /**
     * Database role that runs the schema migrations and owns the schema; empty runs them as {@link #DB_USER}.
     */
    public static final String DB_MIGRATION_USER = "db.migration.user";

    /**
     * File holding the migration role's password (first line); {@code TRADESTATE_DB_MIGRATION_PASSWORD} takes
     * precedence.
     */
    public static final String DB_MIGRATION_PASSWORD_FILE = "db.migration.password.file";

    /**
     * Port of the embedded PostgreSQL, loopback only; 0 picks a free port at each start.
     */
    public static final String DB_EMBEDDED_PORT = "db.embedded.port";

    /**
     * Most events in one database transaction.
     */
    public static final String BATCH_MAX_EVENTS = "batch.max.events";

    /**
     * Most bytes of rows and dead letters in one transaction.
     */
    public static final String BATCH_MAX_BYTES = "batch.max.bytes";

    /**
     * Longest time an event waits in an open batch while more keep coming, in milliseconds.
     */
    public static final String BATCH_MAX_AGE_MS = "batch.max.age.ms";

    /**
     * Time a batch waits for more events once every journal is drained, in milliseconds; 0 commits at once.
     */
    public static final String BATCH_LINGER_MS = "batch.linger.ms";

    /**
     * Interval between two scans of the journal root for new queues, in milliseconds.
     */
    public static final String DISCOVERY_INTERVAL_MS = "discovery.interval.ms";

    /**
     * Idle strategy of the agents: {@code backoff}, {@code sleep}, {@code yield} or {@code busy-spin}.
     */
    public static final String IDLE_STRATEGY = "idle.strategy";

    /**
     * First delay before retrying a failed database batch, in milliseconds; doubled on each failure.
     */
    public static final String RETRY_INITIAL_MS = "retry.initial.ms";

    /**
     * Longest delay between two retries of a failed database batch, in milliseconds.
     */
    public static final String RETRY_MAX_MS = "retry.max.ms";

    /**
     * Address the metrics and health endpoint listens on.
     */
    public static final String METRICS_HOST = "metrics.host";

    /**
     * Port of the metrics and health endpoint; 0 picks a free one, -1 turns it off.
     */
    public static final String METRICS_PORT = "metrics.port";

    /**
     * Whether the agent publishes the live state through Chronicle Map files under {@code state.dir/maps}.
     */
    public static final String STATE_ENABLED = "state.enabled";

    /**
     * Capacity of the orders state map.
     */
    public static final String STATE_ORDERS_ENTRIES = "state.orders.entries";

    /**
     * Capacity of the trades state map.
     */
    public static final String STATE_TRADES_ENTRIES = "state.trades.entries";

    /**
     * Capacity of the pair locks state map (one entry per source, pair and side).
     */
    public static final String STATE_PAIR_LOCKS_ENTRIES = "state.pair.locks.entries";

    /**
     * Capacity of the balances state map.
     */
    public static final String STATE_BALANCES_ENTRIES = "state.balances.entries";

    /**
     * How long closed orders and closed trades stay in the state maps, in milliseconds.
     */
    public static final String STATE_CLOSED_RETENTION_MS = "state.closed.retention.ms";

    /**
     * Longest wait of the state publisher for a map lock, in milliseconds, before it rebuilds the maps.
     */
    public static final String STATE_LOCK_TIMEOUT_MS = "state.lock.timeout.ms";

    /**
     * Interval between two snapshots of the state maps, in milliseconds; a rebuild replays from the last one.
     */
    public static final String STATE_SNAPSHOT_INTERVAL_MS = "state.snapshot.interval.ms";

    /**
     * Longest park of the state publisher's backoff idle strategy, in microseconds: how long an event can wait for
     * the publisher once it has gone idle, against how often an idle publisher wakes up to poll every journal.
     */
    public static final String STATE_IDLE_MAX_PARK_US = "state.idle.max.park.us";

    /**
     * Age in milliseconds after which a cycle file that every consumer has passed is deleted; -1 keeps them all.
     */
    public static final String JOURNAL_RETENTION_MS = "journal.retention.ms";

    /**
     * Interval between two retention passes over the journals, in milliseconds.
     */
    public static final String JOURNAL_RETENTION_CHECK_MS = "journal.retention.check.ms";

    /**
     * Free bytes on the journal root's file system under which the agent warns; 0 never warns.
     */
    public static final String JOURNAL_FREE_WARN_BYTES = "journal.free.warn.bytes";

    private static final Map<String, Setting> SETTINGS = new LinkedHashMap<>();

    static
    {
        define(JOURNAL_ROOT, "/var/lib/tradestate/journal", "folder holding one queue folder per source");
        define(STATE_DIR, "/var/lib/tradestate/state", "the agent's own state: embedded PostgreSQL, state maps");
        define(FILES_GROUP, "", "group of the state maps and other shared files the agent creates; empty: inherited");
        define(DB_URL, "", "JDBC URL of PostgreSQL; empty starts the embedded server under state.dir");
        define(DB_USER, "postgres", "database user");
        define(DB_PASSWORD_FILE, "", "file whose first line is the database password (TRADESTATE_DB_PASSWORD wins)");
        define(DB_MIGRATION_USER, "", "role that runs the migrations and owns the schema; empty: db.user");
        define(DB_MIGRATION_PASSWORD_FILE, "",
            "file whose first line is the migration role's password (TRADESTATE_DB_MIGRATION_PASSWORD wins)");
        define(DB_EMBEDDED_PORT, "5433", "port of the embedded PostgreSQL on 127.0.0.1; 0 picks a free one");
        define(BATCH_MAX_EVENTS, "10000", "most events in one database transaction");
        define(BATCH_MAX_BYTES, "67108864",
            "most bytes of history rows and dead letters in one transaction, from 1 MiB; the heap holds up to four " +
            "batches (three in flight, one being read)");
        define(BATCH_MAX_AGE_MS, "100", "longest wait of an event in an open batch while more keep coming");
        define(BATCH_LINGER_MS, "1", "wait for more events once every journal is drained; 0 commits at once");
        define(DISCOVERY_INTERVAL_MS, "500", "interval between scans of journal.root for new queues");
        define(IDLE_STRATEGY, "backoff", "idle strategy of the agents: backoff, sleep, yield or busy-spin");
        define(RETRY_INITIAL_MS, "100", "first delay before retrying a failed database batch; doubles");
        define(RETRY_MAX_MS, "10000", "longest delay between retries of a failed database batch");
        define(METRICS_HOST, "127.0.0.1", "address of the /metrics and /health endpoint");
        define(METRICS_PORT, "9464", "port of the /metrics and /health endpoint; 0 picks a free one, -1 turns it off");
        define(STATE_ENABLED, "true", "publish the live state through Chronicle Map files in state.dir/maps");
        define(STATE_ORDERS_ENTRIES, "500000", "capacity of the orders map: open orders and recently closed ones");
        define(STATE_TRADES_ENTRIES, "100000", "capacity of the trades map: open trades and recently closed ones");
        define(STATE_PAIR_LOCKS_ENTRIES, "50000", "capacity of the pair locks map: one entry per source, pair, side");
        define(STATE_BALANCES_ENTRIES, "20000", "capacity of the balances map: one entry per exchange and asset");
        define(STATE_CLOSED_RETENTION_MS, "3600000", "how long closed orders and trades stay in the maps");
        define(STATE_LOCK_TIMEOUT_MS, "1000", "longest wait for a map lock before the maps are rebuilt");
        define(STATE_SNAPSHOT_INTERVAL_MS, "300000", "interval between snapshots of the state maps (and at stop)");
        define(STATE_IDLE_MAX_PARK_US, "1000",
            "longest park of the idle state publisher (idle.strategy backoff): lower, fresher maps, more wake-ups");
        define(JOURNAL_RETENTION_MS, "604800000",
            "age after which a cycle file drained and behind the state snapshot is deleted; -1 keeps all");
        define(JOURNAL_RETENTION_CHECK_MS, "60000", "interval between retention passes over the journals");
        define(JOURNAL_FREE_WARN_BYTES, "1073741824", "warn below this free space on the journal file system, 0 never");
    }

    private ReaderConfiguration()
    {
    }

    /**
     * Every setting by key, in documentation order.
     *
     * @return an unmodifiable map.
     */
    public static Map<String, Setting> settings()
    {
        return Collections.unmodifiableMap(SETTINGS);
    }

    /**
     * The environment variable that overrides a key.
     *
     * @param key of a setting.
     * @return {@code TRADESTATE_} and the key in upper case, dots as underscores.
     */
    public static String environmentVariable(final String key)
    {
        return "TRADESTATE_" + key.toUpperCase(java.util.Locale.ROOT).replace('.', '_');
    }

    private static void define(final String key, final String defaultValue, final String meaning)
    {
        SETTINGS.put(key, new Setting(key, defaultValue, meaning));
    }

    /**
     * One setting: key, default and meaning.
     */
    public static final class Setting
    {
        private final String key;
        private final String defaultValue;
        private final String meaning;

        Setting(final String key, final String defaultValue, final String meaning)
        {
            this.key = key;
            this.defaultValue = defaultValue;
            this.meaning = meaning;
        }

        /**
         * The key in the configuration file.
         *
         * @return the key.
         */
        public String key()
        {
            return key;
        }

        /**
         * The value used when neither the file nor the environment gives one.
         *
         * @return the default.
         */
        public String defaultValue()
        {
            return defaultValue;
        }

        /**
         * What the setting means, one line.
         *
         * @return the meaning.
         */
        public String meaning()
        {
            return meaning;
        }
    }
}
