package io.tradestate.writer;

import org.agrona.SystemUtil;

/**
 * Names and defaults of the journal's settings, read from system properties. Each setting can also be given in code
 * on a {@link JournalContext}, which wins over the property.
 */
public final class JournalConfiguration
{
    /**
     * Folder holding one queue folder per source: {@code <root>/<source-id>/}.
     */
    public static final String JOURNAL_ROOT_PROP_NAME = "tradestate.journal.root";

    /**
     * Default journal root, the one the systemd units and {@code tmpfiles.d} create.
     */
    public static final String JOURNAL_ROOT_DEFAULT = "/var/lib/tradestate/journal";

    /**
     * Id of this writer, unique on the host and across hosts that share a database: 1 to 32 characters of
     * {@code [A-Za-z0-9._-]}, starting with a letter or digit. It names the queue folder. No default.
     */
    public static final String SOURCE_ID_PROP_NAME = "tradestate.journal.source.id";

    /**
     * Chronicle roll cycle by {@code RollCycles} name.
     */
    public static final String ROLL_CYCLE_PROP_NAME = "tradestate.journal.roll.cycle";

    /**
     * Default roll cycle: one file a day, up to 2^32 events a day.
     */
    public static final String ROLL_CYCLE_DEFAULT = "FAST_DAILY";

    /**
     * Size of each mapped block of a cycle file, with an optional k, m or g suffix.
     */
    public static final String BLOCK_SIZE_PROP_NAME = "tradestate.journal.block.size";

    /**
     * Default block size: 64 MiB.
     */
    public static final long BLOCK_SIZE_DEFAULT = 64L * 1024 * 1024;

    /**
     * {@link SyncPolicy} by name.
     */
    public static final String SYNC_POLICY_PROP_NAME = "tradestate.journal.sync.policy";

    /**
     * Default sync policy: survive the process, not the power.
     */
    public static final String SYNC_POLICY_DEFAULT = "NONE";

    /**
     * Commits per thread between two syncs with {@link SyncPolicy#EVERY_N_APPENDS}.
     */
    public static final String SYNC_EVERY_APPENDS_PROP_NAME = "tradestate.journal.sync.every.appends";

    /**
     * Default commits between two syncs.
     */
    public static final int SYNC_EVERY_APPENDS_DEFAULT = 100;

    /**
     * Milliseconds between two syncs with {@link SyncPolicy#INTERVAL}.
     */
    public static final String SYNC_INTERVAL_MS_PROP_NAME = "tradestate.journal.sync.interval.ms";

    /**
     * Default sync interval.
     */
    public static final long SYNC_INTERVAL_MS_DEFAULT = 50;

    /**
     * Whether a background thread touches the pages ahead of the write position and rolls the cycle file, so that
     * appending threads never take the first-touch page fault or the file creation.
     */
    public static final String PRETOUCH_ENABLED_PROP_NAME = "tradestate.journal.pretouch.enabled";

    /**
     * Pretouching is on by default.
     */
    public static final boolean PRETOUCH_ENABLED_DEFAULT = true;

    /**
     * How far ahead of the write position pages are touched, with an optional k, m or g suffix.
     */
    public static final String PRETOUCH_AHEAD_PROP_NAME = "tradestate.journal.pretouch.ahead";

    /**
     * Default lookahead: 4 MiB, some 20,000 events of burst.
     */
    public static final long PRETOUCH_AHEAD_DEFAULT = 4L * 1024 * 1024;

    /**
     * Milliseconds between two {@code Heartbeat} events appended by the background thread; 0 turns them off.
     */
    public static final String HEARTBEAT_INTERVAL_MS_PROP_NAME = "tradestate.journal.heartbeat.interval.ms";

    /**
     * Default heartbeat interval.
     */
    public static final long HEARTBEAT_INTERVAL_MS_DEFAULT = 1000;

    /**
     * Longest sleep of the background thread when it has nothing to do, in milliseconds. It sleeps 1 ms after a
     * round with work, twice as long after each idle round up to this, and never past its next duty (a heartbeat, the
     * roll, an interval sync).
     */
    public static final String MAINTENANCE_IDLE_MS_PROP_NAME = "tradestate.journal.maintenance.idle.ms";

    /**
     * Default longest idle sleep of the background thread: 50 ms. A thread that woke every millisecond cost a
     * strategy's sparse appends about a quarter of their time (writer-agent/README.md).
     */
    public static final long MAINTENANCE_IDLE_MS_DEFAULT = 50;

    /**
     * Events of each type the warm-up at open appends to a scratch journal before {@link TradeJournal#open} returns,
     * so that the append path is compiled before the strategy's first event; 0 turns the warm-up off.
     */
    public static final String WARM_UP_APPENDS_PROP_NAME = "tradestate.journal.warmup.appends";

    /**
     * Default warm-up: 12,000 events of each type, enough for the JIT's optimising compiler at its default
     * thresholds.
     */
    public static final int WARM_UP_APPENDS_DEFAULT = 12_000;

    /**
     * Folder in which the warm-up makes its scratch journal, deleted before {@link TradeJournal#open} returns.
     * Default: the system temporary folder ({@code java.io.tmpdir}).
     */
    public static final String WARM_UP_DIR_PROP_NAME = "tradestate.journal.warmup.dir";

    /**
     * Microseconds {@link TradeJournal#keepWarm()} lets pass on a thread after its last append or rehearsal
     * before it rehearses again.
     */
    public static final String KEEP_WARM_INTERVAL_US_PROP_NAME = "tradestate.journal.keepwarm.interval.us";

    /**
     * Default keep-warm interval: 1 ms.
     */
    public static final long KEEP_WARM_INTERVAL_US_DEFAULT = 1_000;

    /**
     * Group given to the queue folder and its files, so that the reader agent's group can drain them; the user must
     * be a member of it. No default: they keep the group of the journal root (setgid, {@code tradestate} in the
     * deployment), else the process's.
     */
    public static final String FILE_GROUP_PROP_NAME = "tradestate.journal.file.group";

    /**
     * Whether the group may write the queue folder and files ({@code 2770} and {@code 0660}) or only read them
     * ({@code 2750} and {@code 0640}). Others get nothing either way, whatever the umask. The reader agent's
     * journal retention needs the group to write: it deletes cycle files and updates the queue's metadata file.
     */
    public static final String GROUP_WRITE_PROP_NAME = "tradestate.journal.group.write";

    /**
     * The group may write by default, for journal retention.
     */
    public static final boolean GROUP_WRITE_DEFAULT = true;

    private JournalConfiguration()
    {
    }

    private static long number(final String key, final long defaultValue, final long max)
    {
        final String value = System.getProperty(key);
        if (null == value)
        {
            return defaultValue;
        }
        try
        {
            final long number = Long.parseLong(value.trim());
            if (number > max)
            {
                throw new NumberFormatException();
            }
            return number;
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(key + " must be a whole number up to " + max + ", was: " + value);
        }
    }

    private static long size(final String key, final long defaultValue)
    {
        final String value = System.getProperty(key);
        if (null == value)
        {
            return defaultValue;
        }
        try
        {
            return SystemUtil.parseSize(key, value.trim());
        }
        catch (final RuntimeException ex)
        {
            throw new IllegalArgumentException(
                key + " must be a size in bytes with an optional k, m or g suffix, was: " + value);
        }
    }

    /**
     * The journal root from {@link #JOURNAL_ROOT_PROP_NAME}.
     *
     * @return the configured folder.
     */
    public static String journalRoot()
    {
        return System.getProperty(JOURNAL_ROOT_PROP_NAME, JOURNAL_ROOT_DEFAULT);
    }

    /**
     * The source id from {@link #SOURCE_ID_PROP_NAME}.
     *
     * @return the configured id or null.
     */
    public static String sourceId()
    {
        return System.getProperty(SOURCE_ID_PROP_NAME);
    }

    /**
     * The roll cycle name from {@link #ROLL_CYCLE_PROP_NAME}.
     *
     * @return the configured name.
     */
    public static String rollCycle()
    {
        return System.getProperty(ROLL_CYCLE_PROP_NAME, ROLL_CYCLE_DEFAULT);
    }

    /**
     * The block size from {@link #BLOCK_SIZE_PROP_NAME}.
     *
     * @return bytes.
     */
    public static long blockSizeBytes()
    {
        return size(BLOCK_SIZE_PROP_NAME, BLOCK_SIZE_DEFAULT);
    }

    /**
     * The sync policy name from {@link #SYNC_POLICY_PROP_NAME}.
     *
     * @return the configured name.
     */
    public static String syncPolicy()
    {
        return System.getProperty(SYNC_POLICY_PROP_NAME, SYNC_POLICY_DEFAULT);
    }

    /**
     * Commits between syncs from {@link #SYNC_EVERY_APPENDS_PROP_NAME}.
     *
     * @return the configured count.
     */
    public static int syncEveryAppends()
    {
        return (int)number(SYNC_EVERY_APPENDS_PROP_NAME, SYNC_EVERY_APPENDS_DEFAULT, Integer.MAX_VALUE);
    }

    /**
     * Sync interval from {@link #SYNC_INTERVAL_MS_PROP_NAME}.
     *
     * @return milliseconds.
     */
    public static long syncIntervalMs()
    {
        return number(SYNC_INTERVAL_MS_PROP_NAME, SYNC_INTERVAL_MS_DEFAULT, Long.MAX_VALUE);
    }

    /**
     * Whether pretouching is on, from {@link #PRETOUCH_ENABLED_PROP_NAME}.
     *
     * @return true unless turned off.
     */
    public static boolean pretouchEnabled()
    {
        return bool(PRETOUCH_ENABLED_PROP_NAME, PRETOUCH_ENABLED_DEFAULT);
    }

    /**
     * The group of the queue folder and files from {@link #FILE_GROUP_PROP_NAME}.
     *
     * @return the group name, or null to keep the inherited group.
     */
    public static String fileGroup()
    {
        return System.getProperty(FILE_GROUP_PROP_NAME);
    }

    /**
     * Whether the group may write, from {@link #GROUP_WRITE_PROP_NAME}.
     *
     * @return true unless turned off.
     */
    public static boolean groupWrite()
    {
        return bool(GROUP_WRITE_PROP_NAME, GROUP_WRITE_DEFAULT);
    }

    /**
     * Warm-up size from {@link #WARM_UP_APPENDS_PROP_NAME}.
     *
     * @return events of each type, 0 for none.
     */
    public static int warmUpAppends()
    {
        return (int)number(WARM_UP_APPENDS_PROP_NAME, WARM_UP_APPENDS_DEFAULT, Integer.MAX_VALUE);
    }

    /**
     * Warm-up folder from {@link #WARM_UP_DIR_PROP_NAME}.
     *
     * @return the folder.
     */
    public static String warmUpDirectory()
    {
        return System.getProperty(WARM_UP_DIR_PROP_NAME, System.getProperty("java.io.tmpdir"));
    }

    /**
     * Keep-warm interval from {@link #KEEP_WARM_INTERVAL_US_PROP_NAME}.
     *
     * @return microseconds.
     */
    public static long keepWarmIntervalUs()
    {
        return number(KEEP_WARM_INTERVAL_US_PROP_NAME, KEEP_WARM_INTERVAL_US_DEFAULT, Long.MAX_VALUE);
    }

    private static boolean bool(final String key, final boolean defaultValue)
    {
        final String value = System.getProperty(key);
        if (null == value)
        {
            return defaultValue;
        }
        if ("true".equalsIgnoreCase(value.trim()) || "false".equalsIgnoreCase(value.trim()))
        {
            return Boolean.parseBoolean(value.trim());
        }
        throw new IllegalArgumentException(key + " must be true or false, was: " + value);
    }

    /**
     * Lookahead from {@link #PRETOUCH_AHEAD_PROP_NAME}.
     *
     * @return bytes.
     */
    public static long pretouchAheadBytes()
    {
        return size(PRETOUCH_AHEAD_PROP_NAME, PRETOUCH_AHEAD_DEFAULT);
    }

    /**
     * Heartbeat interval from {@link #HEARTBEAT_INTERVAL_MS_PROP_NAME}.
     *
     * @return milliseconds, 0 for none.
     */
    public static long heartbeatIntervalMs()
    {
        return number(HEARTBEAT_INTERVAL_MS_PROP_NAME, HEARTBEAT_INTERVAL_MS_DEFAULT, Long.MAX_VALUE);
    }

    /**
     * Longest idle sleep from {@link #MAINTENANCE_IDLE_MS_PROP_NAME}.
     *
     * @return milliseconds.
     */
    public static long maintenanceIdleMs()
    {
        return number(MAINTENANCE_IDLE_MS_PROP_NAME, MAINTENANCE_IDLE_MS_DEFAULT, Long.MAX_VALUE);
    }
}
