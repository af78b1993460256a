package io.tradestate.reader.drain;

import io.tradestate.reader.ReaderContext;
import io.tradestate.reader.state.StatePublisherAgent;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.RollingResourcesCache;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Journal retention, run by the drain agent on its own thread: deletes a source's queue cycle files once every
 * consumer is past them and they are older than {@code journal.retention.ms}. The consumers are the database (the
 * source's committed checkpoint) and, when the state maps are on, the state publisher's last snapshot on disk (a
 * rebuild replays from it; see {@link StatePublisherAgent#snapshotMarks()}). A file is deleted only if its whole cycle
 * comes before the cycle holding the lower of the two marks, so the file holding a checkpoint, and every undrained
 * event after it, is never touched; a source without a checkpoint or without a snapshot mark keeps all its files.
 * <p>
 * Each pass also checks the free space on the journal root's file system and warns, once until it recovers, below
 * {@code journal.free.warn.bytes}; it runs while the database is down too, when journals grow.
 */
public final class JournalRetention
{
    private static final Logger LOGGER = LoggerFactory.getLogger(JournalRetention.class);
    private static final String CYCLE_SUFFIX = ".cq4";

    private final ReaderContext context;
    private final StatePublisherAgent statePublisher;
    private long nextPassMs = Long.MIN_VALUE;
    private boolean lowSpaceWarned;
    private volatile long filesDeleted;
    private volatile long bytesDeleted;
    private volatile boolean freeSpaceLow;
    private volatile Map<String, Long> oldestCycleStartMs = Map.of();

    /**
     * @param context        the agent's settings.
     * @param statePublisher whose snapshot marks bound what may go, or null when the state maps are off.
     */
    public JournalRetention(final ReaderContext context, final StatePublisherAgent statePublisher)
    {
        this.context = context;
        this.statePublisher = statePublisher;
    }

    /**
     * Run a pass when one is due.
     *
     * @param pollers the drain's sources with their committed checkpoints.
     * @param nowMs   wall-clock time, to which the files' modification times are compared.
     * @param tickMs  monotonic time in milliseconds, the time base of the schedule of passes.
     * @return the files deleted.
     */
    int onDuty(final List<SourcePoller> pollers, final long nowMs, final long tickMs)
    {
        if (tickMs < nextPassMs)
        {
            return 0;
        }
        nextPassMs = tickMs + context.journalRetentionCheckMs();
        checkFreeSpace();

        final Map<String, Long> marks = null == statePublisher ? null : statePublisher.snapshotMarks();
        final boolean deleting = context.journalRetentionMs() >= 0 && (null == statePublisher || null != marks);
        final Map<String, Long> oldest = new HashMap<>();
        int deleted = 0;
        for (int i = 0, size = pollers.size(); i < size; i++)
        {
            final SourcePoller poller = pollers.get(i);
            long keepFrom = poller.committedIndex();
            if (null != marks)
            {
                final Long mark = marks.get(poller.sourceId());
                keepFrom = null == mark ? SourcePoller.NO_INDEX : Math.min(keepFrom, mark);
            }
            final int keepCycle = !deleting || SourcePoller.NO_INDEX == keepFrom ? Integer.MIN_VALUE :
                poller.rollCycle().toCycle(keepFrom);
            deleted += pass(poller, keepCycle, nowMs, oldest);
        }
        oldestCycleStartMs = Collections.unmodifiableMap(oldest);
        return deleted;
    }

    /**
     * Cycle files deleted since start.
     */
    public long filesDeleted()
    {
        return filesDeleted;
    }

    /**
     * Bytes of the cycle files deleted since start (their apparent size).
     */
    public long bytesDeleted()
    {
        return bytesDeleted;
    }

    /**
     * Whether the last pass found less free space than {@code journal.free.warn.bytes}.
     */
    public boolean freeSpaceLow()
    {
        return freeSpaceLow;
    }

    /**
     * Per source, the start of the oldest cycle still on disk, as of the last pass.
     *
     * @return epoch milliseconds by source id.
     */
    public Map<String, Long> oldestCycleStartMs()
    {
        return oldestCycleStartMs;
    }

    private int pass(final SourcePoller poller, final int keepCycle, final long nowMs, final Map<String, Long> oldest)
    {
        final File directory = poller.directory().toFile();
        final File[] files = directory.listFiles((dir, name) -> name.endsWith(CYCLE_SUFFIX));
        if (null == files)
        {
            return 0;
        }
        final RollCycle rollCycle = poller.rollCycle();
        final RollingResourcesCache names = new RollingResourcesCache(rollCycle, poller.epoch(),
            (name) -> new File(directory, name + CYCLE_SUFFIX),
            (file) -> file.getName().substring(0, file.getName().length() - CYCLE_SUFFIX.length()));
        int deleted = 0;
        int oldestKept = Integer.MAX_VALUE;
        for (final File file : files)
        {
            final int cycle;
            try
            {
                cycle = names.parseCount(file.getName().substring(0, file.getName().length() - CYCLE_SUFFIX.length()));
            }
            catch (final RuntimeException ex)
            {
                continue; // not a cycle file of this roll cycle: not ours to delete
            }
            if (cycle < keepCycle && nowMs - file.lastModified() >= context.journalRetentionMs())
            {
                final long length = file.length();
                final long lastModifiedMs = file.lastModified();
                try
                {
                    Files.delete(file.toPath());
                    deleted++;
                    bytesDeleted += length;
                    LOGGER.info("source {}: deleted {} ({} bytes): drained and behind the state snapshot, last " +
                        "written {} s ago", poller.sourceId(), file.getName(), length, (nowMs - lastModifiedMs) / 1000);
                    continue;
                }
                catch (final IOException ex)
                {
                    LOGGER.warn("source {}: cannot delete {}: {}", poller.sourceId(), file, ex.toString());
                }
            }
            oldestKept = Math.min(oldestKept, cycle);
        }
        if (deleted > 0)
        {
            filesDeleted += deleted;
            poller.refreshDirectoryListing();
            updateDirectoryListing(poller);
        }
        if (oldestKept != Integer.MAX_VALUE)
        {
            oldest.put(poller.sourceId(), poller.epoch() + (long)oldestKept * rollCycle.lengthInMillis());
        }
        return deleted;
    }

    /**
     * Write the queue's first cycle into its directory listing (in its metadata file), which read-only queues, the
     * drain's own among them, cannot do: a process that opens the queue later would start from a deleted cycle and
     * read nothing. A writable queue instance appends nothing and creates no cycle file.
     */
    private static void updateDirectoryListing(final SourcePoller poller)
    {
        try (SingleChronicleQueue queue = SingleChronicleQueueBuilder.single(poller.directory().toFile())
            .rollCycle(poller.rollCycle()).build())
        {
            queue.refreshDirectoryListing();
        }
        catch (final RuntimeException ex)
        {
            LOGGER.warn("source {}: cannot update the directory listing of {}: {}", poller.sourceId(),
                poller.directory(), ex.toString());
        }
    }

    private void checkFreeSpace()
    {
        if (0 == context.journalFreeWarnBytes())
        {
            return;
        }
        final long usable;
        try
        {
            final FileStore store = Files.getFileStore(context.journalRoot());
            usable = store.getUsableSpace();
        }
        catch (final IOException ex)
        {
            return;
        }
        freeSpaceLow = usable < context.journalFreeWarnBytes();
        if (freeSpaceLow && !lowSpaceWarned)
        {
            LOGGER.warn("only {} bytes free on the file system of {} (warning below {}): appends will fail when it " +
                "is full", usable, context.journalRoot(), context.journalFreeWarnBytes());
            lowSpaceWarned = true;
        }
        else if (!freeSpaceLow && lowSpaceWarned)
        {
            LOGGER.info("{} bytes free again on the file system of {}", usable, context.journalRoot());
            lowSpaceWarned = false;
        }
    }
}
