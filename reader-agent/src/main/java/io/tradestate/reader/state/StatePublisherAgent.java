package io.tradestate.reader.state;

import io.tradestate.codecs.event.JournalEventReader;
import io.tradestate.files.FileAccess;
import io.tradestate.reader.ReaderConfiguration;
import io.tradestate.reader.ReaderContext;
import io.tradestate.reader.journal.JournalDiscovery;
import io.tradestate.reader.journal.SourceParking;
import io.tradestate.state.StateGeneration;
import io.tradestate.state.StatePointer;
import org.HdrHistogram.Histogram;
import org.agrona.CloseHelper;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemEpochNanoClock;
import org.agrona.concurrent.SystemNanoClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The state publisher: a second consumer of every journal, independent of the database, that keeps the live state
 * (orders, trades, pair locks, balances) in Chronicle Map files under {@code state.dir/maps} for
 * {@link io.tradestate.writer.state.TradeStateView} readers in any process.
 * <p>
 * Design: the publisher never reopens a generation it did not create in this run. At start (and whenever a map lock
 * cannot be taken in time, which means a reader or an earlier publisher died holding it) it creates a new generation,
 * {@code maps/gen-<n>}, seeds it from the last {@link StateSnapshot} when that snapshot matches the journals, replays
 * every journal into it from the excerpt after the snapshot's mark (or from its first excerpt), and once every
 * journal has been read to its end publishes it through the pointer file and deletes the older generations. Readers
 * keep reading the previous generation meanwhile. So a lock left held by a killed process is never waited on by
 * anyone for longer than a reader's bound, and the maps are never repaired in place (Chronicle Map's recovery needs
 * exclusive access, which readers in other processes would violate). A snapshot is written every
 * {@code state.snapshot.interval.ms} and at a clean stop; journal retention deletes only the cycle files behind the
 * snapshot's marks ({@link #snapshotMarks()}), so a rebuild never needs a deleted excerpt.
 */
public final class StatePublisherAgent implements Agent
{
    private static final Logger LOGGER = LoggerFactory.getLogger(StatePublisherAgent.class);
    private static final int POLL_LIMIT = 1_000;
    private static final long HEARTBEAT_INTERVAL_MS = 100;
    private static final long SWEEP_INTERVAL_MS = 1_000;
    private static final int SWEEP_SEGMENTS_PER_DUTY_CYCLE = 1;

    private final ReaderContext context;
    private final EpochClock clock;
    private final NanoClock ticks;
    private final Path mapsDir;
    private final JournalDiscovery discovery;
    private final List<StateSourceTailer> tailers = new ArrayList<>();
    private final SourceParking parking = new SourceParking("state publisher");
    private final JournalEventReader checker = new JournalEventReader();
    private final StateMapWriter writer;
    private final long pid = ProcessHandle.current().pid();
    private final EpochNanoClock nanoClock = new SystemEpochNanoClock();
    private final StateVisibleLatency visibleLatency = new StateVisibleLatency();
    private StatePointer pointer;
    private StateGeneration generation;
    private boolean published;
    private boolean droppingLogged;
    private long generationStartMs;
    private long nextDiscoveryMs = Long.MIN_VALUE;
    private long nextHeartbeatMs = Long.MIN_VALUE;
    private long nextSweepMs = Long.MIN_VALUE;
    private volatile long publishedGeneration;
    private volatile long eventsApplied;
    private volatile long rebuilds;
    private volatile long entriesDropped;
    private volatile long ordersSize;
    private volatile long tradesSize;
    private volatile long pairLocksSize;
    private volatile long balancesSize;
    private volatile Map<String, Long> snapshotMarks;
    private volatile long snapshotsWritten;
    private volatile long snapshotEntries;
    private long nextSnapshotMs = Long.MIN_VALUE;

    /**
     * A publisher on the system's monotonic clock.
     *
     * @param context the agent's settings.
     * @param clock   wall clock, for the times written into the maps, the heartbeat and the snapshot.
     */
    public StatePublisherAgent(final ReaderContext context, final EpochClock clock)
    {
        this(context, clock, SystemNanoClock.INSTANCE);
    }

    /**
     * @param context the agent's settings.
     * @param clock   wall clock, for the times written into the maps, the heartbeat and the snapshot.
     * @param ticks   monotonic clock, for every schedule (discovery, heartbeat, sweep, snapshot): a wall clock
     *                stepped back would hold them until it caught up.
     */
    public StatePublisherAgent(final ReaderContext context, final EpochClock clock, final NanoClock ticks)
    {
        this.context = context;
        this.clock = clock;
        this.ticks = ticks;
        this.mapsDir = context.stateDir().resolve("maps");
        this.discovery = new JournalDiscovery(context.journalRoot());
        this.writer = new StateMapWriter(context.stateClosedRetentionMs(), context.stateLockTimeoutMs(),
            context.stateOrdersEntries(), context.stateTradesEntries(), context.statePairLocksEntries(),
            context.stateBalancesEntries());
    }

    public String roleName()
    {
        return "tradestate-state-publisher";
    }

    /**
     * The monotonic clock in milliseconds, the time base of every schedule of this agent.
     */
    private long tickMs()
    {
        return Math.floorDiv(ticks.nanoTime(), 1_000_000L);
    }

    public void onStart()
    {
        final FileAccess access = context.stateFileAccess();
        access.createDirectories(mapsDir);
        access.directory(mapsDir);
        pointer = StatePointer.openForWrite(mapsDir);
        access.file(mapsDir.resolve(StatePointer.FILE_NAME));
        startGeneration("start");
    }

    public int doWork()
    {
        final long nowMs = clock.time();
        final long tickMs = tickMs();
        int workCount = 0;
        if (tickMs >= nextDiscoveryMs)
        {
            workCount += discover();
            nextDiscoveryMs = tickMs + context.discoveryIntervalMs();
        }

        final long nowNs = TimeUnit.MILLISECONDS.toNanos(nowMs);
        boolean caughtUp = true;
        for (int i = 0, size = tailers.size(); i < size; i++)
        {
            final StateSourceTailer tailer = tailers.get(i);
            final String sourceId = tailer.sourceId();
            if (parking.isWaiting(sourceId, tickMs))
            {
                // Parked: the generation is published without the rest of its events rather than never.
                continue;
            }
            final int read;
            try
            {
                if (parking.isParked(sourceId))
                {
                    tailer.reopen();
                }
                read = tailer.poll(checker, writer, POLL_LIMIT, nowNs, nanoClock, published ? visibleLatency : null);
                parking.onRead(sourceId);
            }
            catch (final RuntimeException | InternalError ex)
            {
                // InternalError: a read of the mapped file past its end (a damaged length word), as SIGBUS.
                parking.park(sourceId, tickMs, ex);
                continue;
            }
            if (read < 0)
            {
                startGeneration("a map lock could not be taken within " + context.stateLockTimeoutMs() +
                    " ms while applying " + tailer.sourceId() + " (a process died holding it)");
                return 1;
            }
            workCount += read;
            caughtUp &= tailer.reachedEnd();
        }
        eventsApplied = writer.applied();
        final long dropped = writer.dropped();
        if (dropped != entriesDropped)
        {
            entriesDropped = dropped;
            if (!droppingLogged)
            {
                droppingLogged = true;
                LOGGER.warn("the state maps drop entries ({} so far{}): a map is full or an event is larger than its " +
                    "value; raise {}, {}, {} or {} (tradestate_state_entries_dropped_total counts them, strategies " +
                    "see TradeStateView.isMapFull()); logged once per generation", dropped,
                    writer.full() ? ", a map is full" : "", ReaderConfiguration.STATE_ORDERS_ENTRIES,
                    ReaderConfiguration.STATE_TRADES_ENTRIES, ReaderConfiguration.STATE_PAIR_LOCKS_ENTRIES,
                    ReaderConfiguration.STATE_BALANCES_ENTRIES);
            }
        }

        if (!published && caughtUp)
        {
            publish(nowMs, tickMs);
        }
        if (published && tickMs >= nextHeartbeatMs)
        {
            pointer.heartbeat(nowMs, writer.full() ? StatePointer.FLAG_MAP_FULL : 0);
            nextHeartbeatMs = tickMs + HEARTBEAT_INTERVAL_MS;
        }
        if (!writer.sweeping() && tickMs >= nextSweepMs)
        {
            writer.startSweep(nowNs);
            nextSweepMs = tickMs + SWEEP_INTERVAL_MS;
        }
        if (writer.sweeping())
        {
            // A slice per duty cycle, the journals polled in between: a whole sweep took 3-30 ms here, every event
            // arriving meanwhile waited for it.
            final int swept = writer.sweepNext(SWEEP_SEGMENTS_PER_DUTY_CYCLE);
            if (swept < 0)
            {
                startGeneration("a map lock could not be taken while removing closed entries");
                return 1;
            }
            workCount += swept;
            if (!writer.sweeping())
            {
                ordersSize = generation.orders().longSize();
                tradesSize = generation.trades().longSize();
                pairLocksSize = generation.pairLocks().longSize();
                balancesSize = generation.balances().longSize();
            }
        }
        if (published && tickMs >= nextSnapshotMs)
        {
            writeSnapshot(nowMs, tickMs);
            workCount++;
        }
        return workCount;
    }

    public void onClose()
    {
        if (published && !generation.isDead())
        {
            writeSnapshot(clock.time(), tickMs()); // a restart then replays only what came after
        }
        for (final StateSourceTailer tailer : tailers)
        {
            CloseHelper.quietClose(tailer);
        }
        tailers.clear();
        CloseHelper.quietClose(generation);
        CloseHelper.quietClose(pointer);
    }

    /**
     * Time from append to visible in the maps of the events applied since the last call, once the generation is
     * published (a replay is not a latency), in nanoseconds. Appender and publisher read the same host clock.
     */
    public Histogram takeAppliedLatencyNs()
    {
        return visibleLatency.take();
    }

    /**
     * As {@link #takeAppliedLatencyNs()}, for the events on one side of the split.
     *
     * @param beforeSplit true for the events appended before the split, false for the others.
     */
    public Histogram takeAppliedLatencyNs(final boolean beforeSplit)
    {
        return visibleLatency.take(beforeSplit);
    }

    /**
     * From now on, record the append-to-visible times of the events appended before this time apart.
     *
     * @param appendTimeNs epoch nanoseconds.
     */
    public void splitAppliedLatencyAt(final long appendTimeNs)
    {
        visibleLatency.split(appendTimeNs);
    }

    /**
     * The state maps' generation published last.
     *
     * @return the generation.
     */
    public long publishedGeneration()
    {
        return publishedGeneration;
    }

    /**
     * Events applied to the state maps since the agent started.
     *
     * @return the count.
     */
    public long eventsApplied()
    {
        return eventsApplied;
    }

    /**
     * State map rebuilds after a lock wait ran out, since the agent started.
     *
     * @return the count.
     */
    public long rebuilds()
    {
        return rebuilds;
    }

    /**
     * Sources whose reading threw and which wait for a retry (see {@link SourceParking}).
     *
     * @return the count now.
     */
    public int sourcesParked()
    {
        return parking.count();
    }

    /**
     * Entries a full state map could not keep, since the agent started.
     *
     * @return the count.
     */
    public long entriesDropped()
    {
        return entriesDropped;
    }

    /**
     * Entries in the orders map.
     *
     * @return the count when last published.
     */
    public long ordersSize()
    {
        return ordersSize;
    }

    /**
     * Entries in the trades map.
     *
     * @return the count when last published.
     */
    public long tradesSize()
    {
        return tradesSize;
    }

    /**
     * Entries in the pair locks map.
     *
     * @return the count when last published.
     */
    public long pairLocksSize()
    {
        return pairLocksSize;
    }

    /**
     * Entries in the balances map.
     *
     * @return the count when last published.
     */
    public long balancesSize()
    {
        return balancesSize;
    }

    /**
     * For journal retention: per source, the index of the last excerpt the snapshot on disk holds; cycle files
     * wholly before it are not needed to rebuild the maps. A source that is not in the map has no such excerpt.
     *
     * @return an unmodifiable map, or null until the publisher has read or written a snapshot in this run.
     */
    public Map<String, Long> snapshotMarks()
    {
        return snapshotMarks;
    }

    /**
     * Snapshots of the state maps written since the agent started.
     *
     * @return the count.
     */
    public long snapshotsWritten()
    {
        return snapshotsWritten;
    }

    /**
     * Entries in the last snapshot written.
     *
     * @return the count.
     */
    public long snapshotEntries()
    {
        return snapshotEntries;
    }

    private void startGeneration(final String why)
    {
        final long number = Math.max(pointer.generation(), highestGenerationOnDisk()) + 1;
        final StateGeneration previous = generation;
        generation = null;
        CloseHelper.quietClose(previous);
        generation = createGeneration(number);
        writer.generation(generation, pointer);
        discover(); // every journal there is, so that each one the snapshot names can be matched
        seedFromSnapshot(number);
        published = false;
        droppingLogged = false;
        generationStartMs = clock.time();
        nextSweepMs = tickMs() + SWEEP_INTERVAL_MS;
        if (null != previous)
        {
            rebuilds++;
            LOGGER.warn("rebuilding the state maps as generation {}: {}", number, why);
        }
        else
        {
            LOGGER.info("building the state maps as generation {} in {} ({})", number, mapsDir, why);
        }
    }

    private StateGeneration createGeneration(final long number)
    {
        final StateGeneration created = StateGeneration.create(mapsDir, number, context.stateOrdersEntries(),
            context.stateTradesEntries(), context.statePairLocksEntries(), context.stateBalancesEntries());
        // Before the pointer names it: a strategy never opens a map the group cannot lock, nor others read.
        context.stateFileAccess().tree(created.directory());
        return created;
    }

    private void seedFromSnapshot(final long number)
    {
        final StateSnapshot snapshot;
        try
        {
            snapshot = StateSnapshot.read(context.stateDir());
        }
        catch (final IOException ex)
        {
            restartTailers();
            snapshotMarks = Map.of();
            LOGGER.warn("cannot use the state snapshot, replaying every journal from its first excerpt (events in " +
                "cycle files retention deleted are missing from the maps; the database has them): {}",
                ex.getMessage());
            return;
        }
        if (null == snapshot)
        {
            restartTailers();
            snapshotMarks = Map.of();
            return;
        }

        final String mismatch = resumeTailers(snapshot);
        if (null != mismatch)
        {
            restartTailers();
            snapshotMarks = Map.of();
            LOGGER.warn("the state snapshot of {} does not match the journals ({}): replaying every journal from " +
                "its first excerpt", Instant.ofEpochMilli(snapshot.takenAtMs()), mismatch);
            return;
        }
        try
        {
            snapshot.seed(generation);
            if (!writer.markLocksForAllSources())
            {
                throw new IllegalStateException("a lock of the seeded pair locks map could not be taken");
            }
        }
        catch (final RuntimeException ex)
        {
            // such as a map made smaller than the snapshot since: start this generation afresh, from the journals
            generation.close();
            generation = createGeneration(number);
            writer.generation(generation, pointer);
            restartTailers();
            snapshotMarks = Map.of();
            LOGGER.warn("cannot seed the maps from the state snapshot, replaying every journal from its first " +
                "excerpt: {}", ex.toString());
            return;
        }
        snapshotMarks = marksOf(snapshot.sources());
        LOGGER.info("generation {} seeded with {} entries from the state snapshot of {}", number,
            snapshot.entries(), Instant.ofEpochMilli(snapshot.takenAtMs()));
    }

    private String resumeTailers(final StateSnapshot snapshot)
    {
        int matched = 0;
        for (final StateSourceTailer tailer : tailers)
        {
            final StateSnapshot.SourceMark mark = snapshot.sources().get(tailer.sourceId());
            if (null == mark)
            {
                tailer.restart(); // a journal newer than the snapshot
            }
            else if (tailer.resumeAfter(mark))
            {
                matched++;
            }
            else
            {
                return "journal " + tailer.sourceId() + " has no excerpt " + Long.toHexString(mark.lastIndex()) +
                    " as the snapshot saw it";
            }
        }
        if (matched != snapshot.sources().size())
        {
            return (snapshot.sources().size() - matched) + " of its journals are gone from " +
                context.journalRoot();
        }
        return null;
    }

    private void restartTailers()
    {
        for (final StateSourceTailer tailer : tailers)
        {
            tailer.restart();
        }
    }

    private void writeSnapshot(final long nowMs, final long tickMs)
    {
        nextSnapshotMs = tickMs + context.stateSnapshotIntervalMs();
        final long startNs = System.nanoTime();
        final Map<String, StateSnapshot.SourceMark> marks = new LinkedHashMap<>();
        try
        {
            for (final StateSourceTailer tailer : tailers)
            {
                final StateSnapshot.SourceMark mark = tailer.mark();
                if (null != mark)
                {
                    marks.put(tailer.sourceId(), mark);
                }
            }
            final long entries = StateSnapshot.write(context.stateDir(), generation, marks, nowMs);
            snapshotMarks = marksOf(marks);
            snapshotEntries = entries;
            snapshotsWritten++;
            LOGGER.debug("state snapshot written: {} entries, {} journals, {} ms", entries, marks.size(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs));
        }
        catch (final IOException | RuntimeException ex)
        {
            LOGGER.warn("cannot write the state snapshot (retention keeps the cycle files it would free; retrying " +
                "in {} ms): {}", context.stateSnapshotIntervalMs(), ex.toString());
        }
    }

    private static Map<String, Long> marksOf(final Map<String, StateSnapshot.SourceMark> marks)
    {
        final Map<String, Long> indexes = new HashMap<>();
        for (final Map.Entry<String, StateSnapshot.SourceMark> mark : marks.entrySet())
        {
            indexes.put(mark.getKey(), mark.getValue().lastIndex());
        }
        return Collections.unmodifiableMap(indexes);
    }

    private void publish(final long nowMs, final long tickMs)
    {
        pointer.publish(generation.number(), pid, nowMs);
        published = true;
        publishedGeneration = generation.number();
        nextHeartbeatMs = tickMs + HEARTBEAT_INTERVAL_MS;
        nextSnapshotMs = tickMs; // at once: retention waits for a snapshot of the journals as they are now
        LOGGER.info("state maps generation {} published after {} ms: {} events from {} journals",
            generation.number(), nowMs - generationStartMs, writer.applied(), tailers.size());
        deleteOlderGenerations(generation.number());
    }

    private int discover()
    {
        int found = 0;
        // A source whose folder is gone is closed, so the cycle files it mapped free their disk space; its entries
        // stay in the maps, and a folder made again under its name is discovered anew.
        for (int i = tailers.size() - 1; i >= 0; i--)
        {
            final StateSourceTailer tailer = tailers.get(i);
            if (!Files.isDirectory(tailer.directory()))
            {
                tailers.remove(i);
                discovery.forget(tailer.sourceId());
                parking.forget(tailer.sourceId());
                tailer.close();
                LOGGER.warn("the folder of source {} is gone; its queue is closed", tailer.sourceId());
                found++;
            }
        }
        for (final String sourceId : discovery.scan())
        {
            try
            {
                tailers.add(new StateSourceTailer(sourceId, context.journalRoot().resolve(sourceId)));
                found++;
            }
            catch (final RuntimeException ex)
            {
                discovery.forget(sourceId);
                LOGGER.warn("cannot open the journal of {} for the state maps yet: {}", sourceId, ex.toString());
            }
        }
        return found;
    }

    private long highestGenerationOnDisk()
    {
        long highest = 0;
        final File[] folders = mapsDir.toFile().listFiles(File::isDirectory);
        if (null != folders)
        {
            for (final File folder : folders)
            {
                highest = Math.max(highest, StateGeneration.parseNumber(folder.getName()));
            }
        }
        return highest;
    }

    private void deleteOlderGenerations(final long current)
    {
        final File[] folders = mapsDir.toFile().listFiles(File::isDirectory);
        if (null == folders)
        {
            return;
        }
        for (final File folder : folders)
        {
            final long number = StateGeneration.parseNumber(folder.getName());
            if (number >= 0 && number < current)
            {
                try
                {
                    StateGeneration.delete(folder.toPath());
                }
                catch (final UncheckedIOException ex)
                {
                    LOGGER.warn("cannot delete the old state maps in {}: {}", folder, ex.getMessage());
                }
            }
        }
    }
}
