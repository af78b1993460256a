package io.tradestate.writer;

import io.tradestate.codecs.event.EventRules;
import io.tradestate.files.ChronicleDefaults;
import io.tradestate.files.FileAccess;
import net.openhft.chronicle.core.time.SystemTimeProvider;
import net.openhft.chronicle.core.time.TimeProvider;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.OffsetEpochNanoClock;

import java.net.InetAddress;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Settings of a {@link TradeJournal}, collected once and sealed by {@link #conclude()}, which
 * {@link TradeJournal#open(JournalContext)} calls. Each value starts from its system property in
 * {@link JournalConfiguration} and can be set in code; {@link #conclude()} validates them all and fails with a
 * message naming the property.
 */
public final class JournalContext
{
    static
    {
        ChronicleDefaults.apply();
    }

    private static final int MAX_HOST_LENGTH = 64;
    private static final long MAX_KEEP_WARM_INTERVAL_US = 60_000_000L;

    private boolean concluded;
    private Path journalRoot = Paths.get(JournalConfiguration.journalRoot());
    private String sourceId = JournalConfiguration.sourceId();
    private RollCycle rollCycle;
    private String rollCycleName = JournalConfiguration.rollCycle();
    private long blockSizeBytes = JournalConfiguration.blockSizeBytes();
    private SyncPolicy syncPolicy;
    private String syncPolicyName = JournalConfiguration.syncPolicy();
    private int syncEveryAppends = JournalConfiguration.syncEveryAppends();
    private long syncIntervalMs = JournalConfiguration.syncIntervalMs();
    private boolean pretouchEnabled = JournalConfiguration.pretouchEnabled();
    private long pretouchAheadBytes = JournalConfiguration.pretouchAheadBytes();
    private long heartbeatIntervalMs = JournalConfiguration.heartbeatIntervalMs();
    private long maintenanceIdleMs = JournalConfiguration.maintenanceIdleMs();
    private int warmUpAppends = JournalConfiguration.warmUpAppends();
    private Path warmUpDirectory = Paths.get(JournalConfiguration.warmUpDirectory());
    private long keepWarmIntervalUs = JournalConfiguration.keepWarmIntervalUs();
    private EpochNanoClock epochNanoClock;
    private TimeProvider timeProvider = SystemTimeProvider.INSTANCE;
    private String host;
    private String fileGroup = JournalConfiguration.fileGroup();
    private boolean groupWrite = JournalConfiguration.groupWrite();
    private FileAccess fileAccess;

    /**
     * Validate every setting and seal the context.
     *
     * @return this for a fluent API.
     * @throws IllegalArgumentException naming the property of the first invalid setting.
     * @throws IllegalStateException    if already concluded.
     */
    public JournalContext conclude()
    {
        if (concluded)
        {
            throw new IllegalStateException("JournalContext already concluded");
        }

        if (null == journalRoot)
        {
            throw invalid(JournalConfiguration.JOURNAL_ROOT_PROP_NAME, "must be set", null);
        }

        if (!EventRules.isValidSourceId(sourceId))
        {
            throw invalid(JournalConfiguration.SOURCE_ID_PROP_NAME, "must be " + EventRules.SOURCE_ID_RULE, sourceId);
        }

        if (null == rollCycle)
        {
            try
            {
                rollCycle = RollCycles.valueOf(rollCycleName);
            }
            catch (final RuntimeException ex)
            {
                throw invalid(JournalConfiguration.ROLL_CYCLE_PROP_NAME, "is not a RollCycles name", rollCycleName);
            }
        }

        if (blockSizeBytes < 1024 * 1024 || Long.bitCount(blockSizeBytes) != 1)
        {
            throw invalid(JournalConfiguration.BLOCK_SIZE_PROP_NAME, "must be a power of two of at least 1m",
                Long.toString(blockSizeBytes));
        }

        if (null == syncPolicy)
        {
            try
            {
                syncPolicy = SyncPolicy.valueOf(syncPolicyName);
            }
            catch (final RuntimeException ex)
            {
                throw invalid(JournalConfiguration.SYNC_POLICY_PROP_NAME,
                    "must be one of NONE, INTERVAL, EVERY_N_APPENDS, EVERY_APPEND", syncPolicyName);
            }
        }

        if (syncEveryAppends < 1)
        {
            throw invalid(JournalConfiguration.SYNC_EVERY_APPENDS_PROP_NAME, "must be at least 1",
                Integer.toString(syncEveryAppends));
        }

        if (syncIntervalMs < 1)
        {
            throw invalid(JournalConfiguration.SYNC_INTERVAL_MS_PROP_NAME, "must be at least 1",
                Long.toString(syncIntervalMs));
        }

        if (pretouchEnabled && (pretouchAheadBytes < 4096 || pretouchAheadBytes > blockSizeBytes))
        {
            throw invalid(JournalConfiguration.PRETOUCH_AHEAD_PROP_NAME, "must be between 4k and the block size",
                Long.toString(pretouchAheadBytes));
        }

        if (heartbeatIntervalMs < 0)
        {
            throw invalid(JournalConfiguration.HEARTBEAT_INTERVAL_MS_PROP_NAME, "must be 0 (off) or more",
                Long.toString(heartbeatIntervalMs));
        }

        if (maintenanceIdleMs < 1 || maintenanceIdleMs > 1000)
        {
            throw invalid(JournalConfiguration.MAINTENANCE_IDLE_MS_PROP_NAME, "must be between 1 and 1000",
                Long.toString(maintenanceIdleMs));
        }

        if (warmUpAppends < 0)
        {
            throw invalid(JournalConfiguration.WARM_UP_APPENDS_PROP_NAME, "must be 0 (off) or more",
                Integer.toString(warmUpAppends));
        }

        if (warmUpAppends > 0 && null == warmUpDirectory)
        {
            throw invalid(JournalConfiguration.WARM_UP_DIR_PROP_NAME, "must be set when the warm-up is on", null);
        }

        if (keepWarmIntervalUs < 0 || keepWarmIntervalUs > MAX_KEEP_WARM_INTERVAL_US)
        {
            throw invalid(JournalConfiguration.KEEP_WARM_INTERVAL_US_PROP_NAME, "must be between 0 and 60000000",
                Long.toString(keepWarmIntervalUs));
        }

        if (null == epochNanoClock)
        {
            epochNanoClock = new OffsetEpochNanoClock();
        }

        host = printableHostName(null == host ? localHostName() : host);
        fileAccess = FileAccess.of(JournalConfiguration.FILE_GROUP_PROP_NAME, fileGroup,
            groupWrite ? FileAccess.GROUP_WRITE_DIRECTORY_MODE : FileAccess.GROUP_READ_DIRECTORY_MODE,
            groupWrite ? FileAccess.GROUP_WRITE_FILE_MODE : FileAccess.GROUP_READ_FILE_MODE);

        concluded = true;
        return this;
    }

    /**
     * Folder of the journal: each source's queue is the folder {@code <journalRoot>/<sourceId>/}.
     *
     * @return the journal root.
     */
    public Path journalRoot()
    {
        return journalRoot;
    }

    /**
     * Set the journal root.
     *
     * @param journalRoot folder, created if missing.
     * @return this for a fluent API.
     */
    public JournalContext journalRoot(final Path journalRoot)
    {
        checkNotConcluded();
        this.journalRoot = journalRoot;
        return this;
    }

    /**
     * Id of this writer, unique among the writers of a database.
     *
     * @return the source id.
     */
    public String sourceId()
    {
        return sourceId;
    }

    /**
     * Set the source id: 1 to 32 characters of {@code [A-Za-z0-9._-]}, starting with a letter or digit.
     *
     * @param sourceId of this writer.
     * @return this for a fluent API.
     */
    public JournalContext sourceId(final String sourceId)
    {
        checkNotConcluded();
        this.sourceId = sourceId;
        return this;
    }

    /**
     * Folder of this source's queue.
     *
     * @return {@code journalRoot/sourceId}.
     */
    public Path queueDirectory()
    {
        return journalRoot.resolve(sourceId);
    }

    /**
     * The queue's roll cycle.
     *
     * @return the roll cycle, once concluded.
     */
    public RollCycle rollCycle()
    {
        return rollCycle;
    }

    /**
     * Set the roll cycle; the default, {@code FAST_DAILY}, suits a strategy's event rate (see the module README).
     *
     * @param rollCycle of the queue.
     * @return this for a fluent API.
     */
    public JournalContext rollCycle(final RollCycle rollCycle)
    {
        checkNotConcluded();
        this.rollCycle = rollCycle;
        return this;
    }

    /**
     * Size of a mapped block.
     *
     * @return bytes.
     */
    public long blockSizeBytes()
    {
        return blockSizeBytes;
    }

    /**
     * Set the size of a mapped block: a power of two, 1 MiB or more.
     *
     * @param blockSizeBytes bytes.
     * @return this for a fluent API.
     */
    public JournalContext blockSizeBytes(final long blockSizeBytes)
    {
        checkNotConcluded();
        this.blockSizeBytes = blockSizeBytes;
        return this;
    }

    /**
     * When events are forced to disk.
     *
     * @return the sync policy, once concluded.
     */
    public SyncPolicy syncPolicy()
    {
        return syncPolicy;
    }

    /**
     * Set when events are forced to disk.
     *
     * @param syncPolicy to apply.
     * @return this for a fluent API.
     */
    public JournalContext syncPolicy(final SyncPolicy syncPolicy)
    {
        checkNotConcluded();
        this.syncPolicy = syncPolicy;
        return this;
    }

    /**
     * Commits per thread between syncs with {@link SyncPolicy#EVERY_N_APPENDS}.
     *
     * @return the count.
     */
    public int syncEveryAppends()
    {
        return syncEveryAppends;
    }

    /**
     * Set the commits per thread between syncs with {@link SyncPolicy#EVERY_N_APPENDS}.
     *
     * @param syncEveryAppends at least 1.
     * @return this for a fluent API.
     */
    public JournalContext syncEveryAppends(final int syncEveryAppends)
    {
        checkNotConcluded();
        this.syncEveryAppends = syncEveryAppends;
        return this;
    }

    /**
     * Interval between syncs with {@link SyncPolicy#INTERVAL}.
     *
     * @return milliseconds.
     */
    public long syncIntervalMs()
    {
        return syncIntervalMs;
    }

    /**
     * Set the interval between syncs with {@link SyncPolicy#INTERVAL}.
     *
     * @param syncIntervalMs at least 1.
     * @return this for a fluent API.
     */
    public JournalContext syncIntervalMs(final long syncIntervalMs)
    {
        checkNotConcluded();
        this.syncIntervalMs = syncIntervalMs;
        return this;
    }

    /**
     * Whether the background thread pretouches pages and rolls cycle files ahead of the appending threads.
     *
     * @return true if on.
     */
    public boolean pretouchEnabled()
    {
        return pretouchEnabled;
    }

    /**
     * Turn pretouching on or off.
     *
     * @param pretouchEnabled true to pretouch.
     * @return this for a fluent API.
     */
    public JournalContext pretouchEnabled(final boolean pretouchEnabled)
    {
        checkNotConcluded();
        this.pretouchEnabled = pretouchEnabled;
        return this;
    }

    /**
     * How far ahead of the write position pages are touched.
     *
     * @return bytes.
     */
    public long pretouchAheadBytes()
    {
        return pretouchAheadBytes;
    }

    /**
     * Set how far ahead of the write position pages are touched.
     *
     * @param pretouchAheadBytes between 4 KiB and the block size.
     * @return this for a fluent API.
     */
    public JournalContext pretouchAheadBytes(final long pretouchAheadBytes)
    {
        checkNotConcluded();
        this.pretouchAheadBytes = pretouchAheadBytes;
        return this;
    }

    /**
     * Interval between heartbeats appended by the background thread.
     *
     * @return milliseconds, 0 for none.
     */
    public long heartbeatIntervalMs()
    {
        return heartbeatIntervalMs;
    }

    /**
     * Set the interval between heartbeats appended by the background thread.
     *
     * @param heartbeatIntervalMs 0 for none.
     * @return this for a fluent API.
     */
    public JournalContext heartbeatIntervalMs(final long heartbeatIntervalMs)
    {
        checkNotConcluded();
        this.heartbeatIntervalMs = heartbeatIntervalMs;
        return this;
    }

    /**
     * Longest sleep of the background thread when it has nothing to do.
     *
     * @return milliseconds.
     */
    public long maintenanceIdleMs()
    {
        return maintenanceIdleMs;
    }

    /**
     * Set the longest sleep of the background thread when it has nothing to do: it sleeps 1 ms after a round with
     * work, twice as long after each idle round up to this, and never past its next heartbeat, roll or interval sync.
     *
     * @param maintenanceIdleMs between 1 and 1000.
     * @return this for a fluent API.
     */
    public JournalContext maintenanceIdleMs(final long maintenanceIdleMs)
    {
        checkNotConcluded();
        this.maintenanceIdleMs = maintenanceIdleMs;
        return this;
    }

    /**
     * Events of each type the warm-up at open appends to a scratch journal.
     *
     * @return the count, 0 when the warm-up is off.
     */
    public int warmUpAppends()
    {
        return warmUpAppends;
    }

    /**
     * Set how many events of each type the warm-up at open appends to a scratch journal before
     * {@link TradeJournal#open(JournalContext)} returns, so that the strategy's first event runs compiled code.
     * Nothing of it reaches this journal. See {@link TradeJournal} for its cost.
     *
     * @param warmUpAppends events of each type, 0 to turn the warm-up off.
     * @return this for a fluent API.
     */
    public JournalContext warmUpAppends(final int warmUpAppends)
    {
        checkNotConcluded();
        this.warmUpAppends = warmUpAppends;
        return this;
    }

    /**
     * Folder in which the warm-up makes its scratch journal.
     *
     * @return the folder.
     */
    public Path warmUpDirectory()
    {
        return warmUpDirectory;
    }

    /**
     * Set the folder in which the warm-up makes its scratch journal (deleted before open returns, and any left by
     * a killed process deleted at the next warm-up).
     *
     * @param warmUpDirectory an existing, writable folder; the system temporary folder by default.
     * @return this for a fluent API.
     */
    public JournalContext warmUpDirectory(final Path warmUpDirectory)
    {
        checkNotConcluded();
        this.warmUpDirectory = warmUpDirectory;
        return this;
    }

    /**
     * Time {@link TradeJournal#keepWarm()} lets pass on a thread after its last append or rehearsal before it
     * rehearses again.
     *
     * @return microseconds.
     */
    public long keepWarmIntervalUs()
    {
        return keepWarmIntervalUs;
    }

    /**
     * Set the time {@link TradeJournal#keepWarm()} lets pass on a thread after its last append or rehearsal before
     * it rehearses again; calls in between return at once.
     *
     * @param keepWarmIntervalUs microseconds, from 0 (every call rehearses) to 60 s.
     * @return this for a fluent API.
     */
    public JournalContext keepWarmIntervalUs(final long keepWarmIntervalUs)
    {
        checkNotConcluded();
        this.keepWarmIntervalUs = keepWarmIntervalUs;
        return this;
    }

    /**
     * Clock of the {@code appendTimeNs} stamped on every event.
     *
     * @return the clock, once concluded.
     */
    public EpochNanoClock epochNanoClock()
    {
        return epochNanoClock;
    }

    /**
     * Set the clock of the {@code appendTimeNs} stamped on every event; it must not allocate.
     *
     * @param epochNanoClock nanoseconds since the epoch.
     * @return this for a fluent API.
     */
    public JournalContext epochNanoClock(final EpochNanoClock epochNanoClock)
    {
        checkNotConcluded();
        this.epochNanoClock = epochNanoClock;
        return this;
    }

    /**
     * Clock that decides the queue's cycle.
     *
     * @return the time provider.
     */
    public TimeProvider timeProvider()
    {
        return timeProvider;
    }

    /**
     * Set the clock that decides the queue's cycle (tests move it to cross a roll).
     *
     * @param timeProvider of the queue.
     * @return this for a fluent API.
     */
    public JournalContext timeProvider(final TimeProvider timeProvider)
    {
        checkNotConcluded();
        this.timeProvider = timeProvider;
        return this;
    }

    /**
     * Host name written in {@code SourceStarted} and {@code Heartbeat}.
     *
     * @return the host name, once concluded.
     */
    public String host()
    {
        return host;
    }

    /**
     * Set the host name written in {@code SourceStarted} and {@code Heartbeat}; the local host name by default.
     *
     * @param host printable ASCII, cut at 64 characters.
     * @return this for a fluent API.
     */
    public JournalContext host(final String host)
    {
        checkNotConcluded();
        this.host = host;
        return this;
    }

    /**
     * Group given to the queue folder and its files.
     *
     * @return the group name, or null to keep the group inherited from the journal root.
     */
    public String fileGroup()
    {
        return fileGroup;
    }

    /**
     * Set the group given to the queue folder and its files, so that the reader agent's group can drain them; the
     * user must be a member of it, or {@link TradeJournal#open(JournalContext)} fails naming it.
     *
     * @param fileGroup a group name, or null to keep the group inherited from the journal root.
     * @return this for a fluent API.
     */
    public JournalContext fileGroup(final String fileGroup)
    {
        checkNotConcluded();
        this.fileGroup = fileGroup;
        return this;
    }

    /**
     * Whether the group may write the queue folder and files.
     *
     * @return true for {@code 2770} and {@code 0660}, false for {@code 2750} and {@code 0640}.
     */
    public boolean groupWrite()
    {
        return groupWrite;
    }

    /**
     * Set whether the group may write the queue folder and files (the reader agent's journal retention needs it).
     * Others never get any access, whatever the umask.
     *
     * @param groupWrite true for {@code 2770} and {@code 0660}, false for {@code 2750} and {@code 0640}.
     * @return this for a fluent API.
     */
    public JournalContext groupWrite(final boolean groupWrite)
    {
        checkNotConcluded();
        this.groupWrite = groupWrite;
        return this;
    }

    /**
     * The group and modes given to what the journal creates.
     *
     * @return the access, once concluded.
     */
    FileAccess fileAccess()
    {
        return fileAccess;
    }

    private void checkNotConcluded()
    {
        if (concluded)
        {
            throw new IllegalStateException("JournalContext is concluded and cannot change");
        }
    }

    private static IllegalArgumentException invalid(final String key, final String rule, final String value)
    {
        return new IllegalArgumentException(key + " " + rule + (null == value ? "" : ", was: " + value));
    }

    private static String localHostName()
    {
        String name = System.getenv("HOSTNAME");
        if (null == name || name.isEmpty())
        {
            try
            {
                name = InetAddress.getLocalHost().getHostName();
            }
            catch (final Exception ex)
            {
                name = "unknown";
            }
        }

        return name;
    }

    private static String printableHostName(final String name)
    {
        final int length = Math.min(name.length(), MAX_HOST_LENGTH);
        final StringBuilder printable = new StringBuilder(length);
        for (int i = 0; i < length; i++)
        {
            final char c = name.charAt(i);
            printable.append(c > 0x20 && c <= 0x7E ? c : '?');
        }

        return 0 == length ? "unknown" : printable.toString();
    }
}
