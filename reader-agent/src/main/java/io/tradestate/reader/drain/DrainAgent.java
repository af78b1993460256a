package io.tradestate.reader.drain;

import io.tradestate.files.IdentityFile;
import io.tradestate.reader.ReaderContext;
import io.tradestate.reader.journal.JournalDiscovery;
import io.tradestate.reader.journal.SourceParking;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Drains every journal under the root into PostgreSQL: discovers queues, reads their excerpts into one batch, and
 * commits the batch with the sources' checkpoints when it is full, old, or every journal is drained.
 * <p>
 * A batch closes at {@code batch.max.events}, when its first event has waited {@code batch.max.age.ms}, or when no
 * journal had more to read for {@code batch.linger.ms}: at a few events per second every event is committed within
 * about a millisecond, and under a burst batches fill up to the maximum. A closed batch is written and committed by
 * the {@link BatchCommitter}'s threads while this agent reads the next one: up to three full batches are in flight
 * (two partial ones), the history rows of the later ones copied while the earliest finishes, and committed in the
 * order they were read. When the database fails, the batch is rolled back with those in flight after it, the one
 * being read is dropped, every source rewinds to its checkpoint, and the next attempt waits with exponential backoff;
 * the failure is logged when it starts and when it ends, not at every attempt.
 * <p>
 * A failed batch may still have been committed: when the server commits and the connection is lost before the reply
 * (the server stopped or died, the network dropped), {@code commit()} throws although the transaction is durable.
 * So before the next attempt every source resumes after the checkpoint the database holds, never after the one this
 * agent last saw committed; replaying an applied batch would fail on the history tables' keys at every attempt.
 * <p>
 * A batch PostgreSQL refuses because of a row (a data exception or a constraint violation, not a database failure)
 * is written again at once by the committer, without the events it rejects (see {@link BatchCommitter}); each such
 * event is logged once and counted in {@link #rejectedEvents()}.
 * <p>
 * A queue folder found under the root is drained only if this agent holds its source id ({@link SourceOwnership}) and
 * the folder holds the journal its checkpoint belongs to ({@link JournalIdentities}): a renamed, copied or replaced
 * folder is refused with one error saying what the operator can do, and looked at again at each discovery. A
 * checkpoint moves only from the index its batch started after; a batch that finds another one in the database
 * ({@link CheckpointConflictException}) is rolled back and its source is no longer read by this agent, which says so
 * once. Refused and withdrawn sources are counted in {@link #sourcesRefused()}.
 */
public final class DrainAgent implements Agent
{
    private static final Logger LOGGER = LoggerFactory.getLogger(DrainAgent.class);

    private final ReaderContext context;
    private final PostgresBatchWriter writer;
    private final EpochClock clock;
    private final NanoClock ticks;
    private final JournalDiscovery discovery;
    private final BatchCommitter committer;
    private DrainBatch batch = new DrainBatch();
    private final DrainBatch[] spares = new DrainBatch[BatchCommitter.DEPTH];
    private int spareCount;
    private final List<SourcePoller> pollers = new ArrayList<>();
    private final Set<String> failedSources = new HashSet<>();
    private final SourceOwnership ownership;
    private final Set<String> refusedSources = new HashSet<>();
    private final JournalIdentities identities;
    private final Map<String, String> refusedJournals = new HashMap<>();
    private final Map<UUID, String> drainedJournals = new HashMap<>();
    private final Set<String> withdrawnSources = new HashSet<>();
    private final JournalRetention retention;
    private final SourceParking parking = new SourceParking("drain");
    private final BatchHistograms histograms = new BatchHistograms();
    private Map<String, Long> checkpoints;
    private long nextDiscoveryMs = Long.MIN_VALUE;
    private long retryAtMs = Long.MIN_VALUE;
    private long retryDelayMs;
    private long lastReadMs;
    private int nextPoller;
    private String failingSince;
    private boolean checkpointsInDoubt;
    private volatile long failedAttempts;
    private volatile long failuresTotal;
    private volatile long batchesCommitted;
    private volatile long eventsCommitted;
    private volatile long rejectedEvents;
    private volatile int sourcesRefused;
    private long batchCommitNsTotal;
    private long deadLetters;

    /**
     * A drain without journal retention, on the system's monotonic clock.
     *
     * @param context the agent's settings.
     * @param writer  the database side.
     * @param clock   wall clock, for the ages of journal files.
     */
    public DrainAgent(final ReaderContext context, final PostgresBatchWriter writer, final EpochClock clock)
    {
        this(context, writer, clock, SystemNanoClock.INSTANCE, null);
    }

    /**
     * A drain on the system's monotonic clock.
     *
     * @param context   the agent's settings.
     * @param writer    the database side.
     * @param clock     wall clock, for the ages of journal files.
     * @param retention journal retention, run on this agent's thread between batches; null for none.
     */
    public DrainAgent(
        final ReaderContext context,
        final PostgresBatchWriter writer,
        final EpochClock clock,
        final JournalRetention retention)
    {
        this(context, writer, clock, SystemNanoClock.INSTANCE, retention);
    }

    /**
     * @param context   the agent's settings.
     * @param writer    the database side.
     * @param clock     wall clock, for the ages of journal files. for the ages of journal files.
     * @param ticks     monotonic clock, for every schedule (discovery, batch age and linger, retries): a wall clock
     *                  stepped back would hold them until it caught up.
     * @param retention journal retention, run on this agent's thread between batches; null for none.
     */
    public DrainAgent(
        final ReaderContext context,
        final PostgresBatchWriter writer,
        final EpochClock clock,
        final NanoClock ticks,
        final JournalRetention retention)
    {
        this.retention = retention;
        this.context = context;
        this.writer = writer;
        this.committer = new BatchCommitter(writer);
        this.clock = clock;
        this.ticks = ticks;
        this.discovery = new JournalDiscovery(context.journalRoot(), true);
        this.ownership = new SourceOwnership(writer.dataSource(), SourceOwnership.agentName(context.journalRoot()),
            SourceOwnership.agentId(context.stateDir()));
        context.stateFileAccess().file(context.stateDir().resolve(IdentityFile.AGENT_ID));
        this.identities = new JournalIdentities(writer.dataSource());
        this.retryDelayMs = context.retryInitialMs();
        while (spareCount < spares.length)
        {
            spares[spareCount++] = new DrainBatch();
        }
    }

    public String roleName()
    {
        return "tradestate-drain";
    }

    /**
     * The monotonic clock in milliseconds, the time base of every schedule of this agent.
     */
    private long tickMs()
    {
        return Math.floorDiv(ticks.nanoTime(), 1_000_000L);
    }

    public int doWork()
    {
        final long nowMs = tickMs();
        int workCount = committer.isDone() ? onBatchDone(nowMs) : 0;
        // Before the retry gate: during an outage journals grow, and the free space check must go on.
        workCount += null == retention ? 0 : retention.onDuty(pollers, clock.time(), nowMs);
        if (nowMs < retryAtMs)
        {
            return workCount;
        }

        if (null == checkpoints && !loadCheckpoints(nowMs))
        {
            return workCount;
        }

        if (checkpointsInDoubt && !resumeFromDatabaseCheckpoints(nowMs))
        {
            return workCount;
        }

        if (nowMs >= nextDiscoveryMs)
        {
            workCount += discover();
            nextDiscoveryMs = nowMs + context.discoveryIntervalMs();
        }

        workCount += read(nowMs);
        if (batch.events() > 0 && batchIsDue(nowMs) && committer.canSubmit(batchIsFull()))
        {
            submit();
            workCount++;
        }

        return workCount;
    }

    /**
     * Journal retention, for its metrics.
     *
     * @return the retention, null if none.
     */
    public JournalRetention retention()
    {
        return retention;
    }

    public void onClose()
    {
        awaitCommitter();
        if (batch.events() > 0 && null == failingSince)
        {
            final int events = batch.events();
            submit();
            awaitCommitter();
            if (null == committer.failure())
            {
                LOGGER.info("committed the open batch of {} events at shutdown", events);
            }
        }
        committer.close();

        for (int i = 0; i < pollers.size(); i++)
        {
            pollers.get(i).close();
        }
        LOGGER.info("drain stopped: {} events in {} batches committed ({} ms writing and committing them), {} dead " +
            "letters", eventsCommitted, batchesCommitted, batchCommitNsTotal / 1_000_000, deadLetters);
    }

    /**
     * Events committed by this agent since it started.
     *
     * @return the count.
     */
    public long eventsCommitted()
    {
        return eventsCommitted;
    }

    /**
     * Batches committed by this agent since it started.
     *
     * @return the count.
     */
    public long batchesCommitted()
    {
        return batchesCommitted;
    }

    /**
     * Failed database attempts of the current failure: back to 0 once the database answers again.
     *
     * @return the count.
     */
    public long failedAttempts()
    {
        return failedAttempts;
    }

    /**
     * Time the drain's copying threads have spent on batches since start, summed, their history rows' COPY above
     * all.
     *
     * @return nanoseconds, never going back.
     */
    public long batchCopyNanos()
    {
        return committer.copyNanos();
    }

    /**
     * Time the drain's committing thread has spent on batches since start: upserts, checkpoints and commits.
     *
     * @return nanoseconds, never going back.
     */
    public long batchFinishNanos()
    {
        return committer.finishNanos();
    }

    /**
     * Failed database attempts since start: a counter, never back to 0.
     *
     * @return the count.
     */
    public long failuresTotal()
    {
        return failuresTotal;
    }

    long deadLetters()
    {
        return deadLetters;
    }

    /**
     * Events PostgreSQL rejected since start, each moved to {@code dead_letters} while the rest of its batch was
     * committed; also counted in {@link #deadLetters()}.
     *
     * @return the count.
     */
    public long rejectedEvents()
    {
        return rejectedEvents;
    }

    /**
     * Sources under the journal root this agent does not drain: another agent has claimed their id (see
     * {@link SourceOwnership}), their folder does not hold the journal of their checkpoint (see
     * {@link JournalIdentities}), or their checkpoint moved under this agent (see {@link CheckpointConflictException}).
     *
     * @return the count now.
     */
    public int sourcesRefused()
    {
        return sourcesRefused;
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
     * The distributions of the committed batches: commit time, size, append to commit.
     *
     * @return the histograms, for a scrape.
     */
    public BatchHistograms histograms()
    {
        return histograms;
    }

    /**
     * Whether a batch is with the committer: written, or written and not yet collected by this agent's duty cycle,
     * whose counters ({@link #eventsCommitted()}, {@link #rejectedEvents()}...) it joins then.
     *
     * @return true until the outcome of the last batch handed over is collected.
     */
    boolean isCommitting()
    {
        return committer.isBusy();
    }

    /**
     * Whether a batch has been written and committed for longer than a limit (see {@link BatchCommitter#isStalled}):
     * from any thread, for the watchdog.
     *
     * @param nowNs   now, by {@link System#nanoTime()}.
     * @param limitNs the limit.
     * @return true if the write of a batch started more than {@code limitNs} ago has not returned.
     */
    public boolean isCommitStalled(final long nowNs, final long limitNs)
    {
        return committer.isStalled(nowNs, limitNs);
    }

    List<SourcePoller> pollers()
    {
        return pollers;
    }

    private int read(final long nowMs)
    {
        final int count = pollers.size();
        int room = context.batchMaxEvents() - batch.events();
        int read = 0;
        for (int i = 0; i < count && room > 0; i++)
        {
            final SourcePoller poller = pollers.get((nextPoller + i) % count);
            final String sourceId = poller.sourceId();
            if (parking.isWaiting(sourceId, nowMs))
            {
                continue;
            }
            try
            {
                if (parking.isParked(sourceId))
                {
                    poller.reopen();
                }
                final int polled = poller.poll(batch, room, context.batchMaxBytes(), nowMs);
                parking.onRead(sourceId);
                read += polled;
                room -= polled;
            }
            catch (final RuntimeException | InternalError ex)
            {
                // InternalError: a read of the mapped file past its end (a damaged length word), as SIGBUS. The
                // events read before it stay in the batch; the source waits, the others go on.
                parking.park(sourceId, nowMs, ex);
            }
        }
        nextPoller = count > 0 ? (nextPoller + 1) % count : 0;
        if (read > 0)
        {
            lastReadMs = nowMs;
        }
        return read;
    }

    private boolean batchIsDue(final long nowMs)
    {
        return batchIsFull() || nowMs - batch.openedAtMs() >= context.batchMaxAgeMs() ||
            nowMs - lastReadMs >= context.batchLingerMs();
    }

    private boolean batchIsFull()
    {
        return batch.events() >= context.batchMaxEvents() || batch.bytes() >= context.batchMaxBytes();
    }

    /**
     * Hand the open batch to the committer and open a spare one.
     */
    private void submit()
    {
        committer.submit(batch);
        batch = spares[--spareCount];
        spares[spareCount] = null;
    }

    /**
     * Collect every batch in flight, in order: at shutdown.
     */
    private void awaitCommitter()
    {
        while (committer.isBusy())
        {
            committer.awaitDone();
            onBatchDone(tickMs());
        }
    }

    /**
     * The oldest batch in flight is committed or has failed: advance its sources' checkpoints, or drop the batch
     * being read and rewind. A batch rolled back because the one before it failed needs nothing more: its sources
     * were rewound with that one. The batch is reset and becomes a spare.
     *
     * @return the work done: 1.
     */
    private int onBatchDone(final long nowMs)
    {
        final DrainBatch done = committer.collect();
        final Throwable failure = committer.failure();
        try
        {
            if (null == failure)
            {
                onCommitted(done);
            }
            else if (committer.skipped())
            {
                LOGGER.debug("a batch of {} events was rolled back after the one before it failed", done.events());
            }
            else if (failure instanceof CheckpointConflictException)
            {
                onCheckpointConflict((CheckpointConflictException)failure);
            }
            else
            {
                onFailure(nowMs, failure);
            }
        }
        finally
        {
            done.reset();
            spares[spareCount++] = done;
        }
        if (failure instanceof Error)
        {
            throw (Error)failure;
        }
        return 1;
    }

    private void onCommitted(final DrainBatch done)
    {
        final List<BatchSource> sources = done.sources();
        for (int i = 0; i < sources.size(); i++)
        {
            final BatchSource source = sources.get(i);
            source.poller().onCommitted(source.lastIndex());
        }
        final List<DeadLetter> batchDeadLetters = done.deadLetters();
        deadLetters += batchDeadLetters.size();
        for (int i = 0; i < batchDeadLetters.size(); i++)
        {
            final DeadLetter deadLetter = batchDeadLetters.get(i);
            final String index = Long.toHexString(deadLetter.index);
            LOGGER.atWarn().addKeyValue("source", deadLetter.sourceId).addKeyValue("index", "0x" + index)
                .log("dead letter: source={} index=0x{} reason=\"{}\"", deadLetter.sourceId, index,
                deadLetter.reason);
        }
        final long commitNs = committer.writeNs();
        histograms.onCommitted(done, commitNs, committer.committedAtEpochNs());
        batchCommitNsTotal += commitNs;
        batchesCommitted++;
        eventsCommitted += done.events();
        rejectedEvents += committer.rejected();
        retryDelayMs = context.retryInitialMs();
        if (null != failingSince)
        {
            LOGGER.info("database writes resumed after {} failed attempts (failing since: {})",
                failedAttempts, failingSince);
            failingSince = null;
            failedAttempts = 0;
        }
    }

    /**
     * Drop the batch being read and read every source again from its committed checkpoint.
     */
    private void rewindAll()
    {
        batch.reset();
        final long nowMs = tickMs();
        for (int i = 0; i < pollers.size(); i++)
        {
            final SourcePoller poller = pollers.get(i);
            if (poller.hasUncommittedEvents())
            {
                try
                {
                    poller.rewind();
                }
                catch (final RuntimeException | InternalError ex)
                {
                    // Its checkpoint is set; the retry places a new tailer there.
                    parking.park(poller.sourceId(), nowMs, ex);
                }
            }
        }
    }

    private void onFailure(final long nowMs, final Throwable ex)
    {
        rewindAll();
        checkpointsInDoubt = true;
        final String cause = ex.getClass().getSimpleName() + ": " + ex.getMessage();
        if (null == failingSince)
        {
            LOGGER.warn("database write failed; draining pauses and retries with backoff (state maps unaffected)",
                ex);
            failingSince = cause;
        }
        retryLater(nowMs);
    }

    /**
     * Count a failed database attempt and schedule the next one with backoff. The total is counted before the
     * current failure's attempts, and a scrape reads them the other way round, so that a scrape never shows more
     * attempts in the current failure than in total.
     */
    private void retryLater(final long nowMs)
    {
        failuresTotal++;
        failedAttempts++;
        retryAtMs = nowMs + retryDelayMs;
        retryDelayMs = Math.min(retryDelayMs * 2, context.retryMaxMs());
    }

    /**
     * The batch's checkpoint of a source did not match the database's: someone else drains the source, or its folder
     * is not the journal of the checkpoint. The batch is rolled back, the source is no longer read by this agent (a
     * retry would store its events twice or move its checkpoint backwards), the others resume after the database's
     * checkpoints, as after any failed batch.
     */
    private void onCheckpointConflict(final CheckpointConflictException ex)
    {
        rewindAll();
        checkpointsInDoubt = true;
        for (int i = 0; i < pollers.size(); i++)
        {
            final SourcePoller poller = pollers.get(i);
            if (poller.sourceId().equals(ex.sourceId()))
            {
                pollers.remove(i);
                drainedJournals.remove(poller.journalId());
                parking.forget(poller.sourceId());
                poller.close();
                break;
            }
        }
        withdrawnSources.add(ex.sourceId());
        countRefused();
        LOGGER.atError().addKeyValue("source", ex.sourceId()).log(ex.getMessage());
    }

    private void countRefused()
    {
        sourcesRefused = refusedSources.size() + refusedJournals.size() + withdrawnSources.size();
    }

    private boolean loadCheckpoints(final long nowMs)
    {
        try
        {
            checkpoints = writer.loadCheckpoints();
            LOGGER.info("loaded checkpoints of {} sources", checkpoints.size());
            if (null != failingSince)
            {
                LOGGER.info("database reachable again after {} failed attempts", failedAttempts);
                failingSince = null;
                failedAttempts = 0;
            }
            retryDelayMs = context.retryInitialMs();
            return true;
        }
        catch (final SQLException | RuntimeException ex)
        {
            if (null == failingSince)
            {
                LOGGER.warn("cannot read checkpoints; retrying with backoff", ex);
                failingSince = ex.getMessage();
            }
            retryLater(nowMs);
            return false;
        }
    }

    /**
     * After a failed batch, whose commit may have been applied all the same: each source resumes after the checkpoint
     * the database holds.
     */
    private boolean resumeFromDatabaseCheckpoints(final long nowMs)
    {
        final Map<String, Long> committed;
        try
        {
            committed = writer.loadCheckpoints();
        }
        catch (final SQLException | RuntimeException ex)
        {
            retryLater(nowMs);
            return false;
        }

        for (int i = 0; i < pollers.size(); i++)
        {
            final SourcePoller poller = pollers.get(i);
            final Long checkpoint = committed.get(poller.sourceId());
            final long index = null == checkpoint ? SourcePoller.NO_INDEX : checkpoint;
            if (index != poller.committedIndex())
            {
                LOGGER.info("source {}: the failed batch had been committed (its reply was lost); resuming after " +
                    "index 0x{}", poller.sourceId(), Long.toHexString(index));
                try
                {
                    poller.resumeAfter(index);
                }
                catch (final RuntimeException | InternalError ex)
                {
                    parking.park(poller.sourceId(), nowMs, ex);
                }
            }
        }
        checkpoints = committed;
        checkpointsInDoubt = false;
        return true;
    }

    private int discover()
    {
        int workCount = dropRemovedSources();
        final List<String> found = discovery.scan();
        for (int i = 0; i < found.size(); i++)
        {
            final String sourceId = found.get(i);
            if (!claim(sourceId))
            {
                continue;
            }
            final Path queueDirectory = context.journalRoot().resolve(sourceId);
            final UUID journalId = journalId(sourceId, queueDirectory);
            if (null == journalId)
            {
                continue;
            }
            final JournalIdentities.Verdict verdict;
            try
            {
                verdict = checkJournal(sourceId, queueDirectory, journalId);
            }
            catch (final SQLException | RuntimeException ex)
            {
                // The database is failing; the batch path logs that. Try again at the next discovery.
                discovery.forget(sourceId);
                continue;
            }
            if (null != verdict.refusal())
            {
                discovery.forget(sourceId);
                continue;
            }
            final long checkpoint = verdict.checkpoint();
            try
            {
                pollers.add(new SourcePoller(sourceId, queueDirectory, checkpoint, journalId));
                drainedJournals.put(journalId, sourceId);
                failedSources.remove(sourceId);
                LOGGER.atInfo().addKeyValue("source", sourceId).log("draining source {} from {}", sourceId,
                    SourcePoller.NO_INDEX == checkpoint ? "its start" :
                    "after index 0x" + Long.toHexString(checkpoint));
            }
            catch (final RuntimeException ex)
            {
                if (failedSources.add(sourceId))
                {
                    LOGGER.atError().addKeyValue("source", sourceId).setCause(ex)
                        .log("cannot drain source {}; will retry at each discovery", sourceId);
                }
                discovery.forget(sourceId);
            }
        }
        return workCount + found.size();
    }

    /**
     * Stop reading the sources whose folder is gone (deleted, or renamed: the new name is a source of its own, checked
     * by its journal's identity), once none of their events waits in a batch being read or committed. Their queues
     * are closed, so the cycle files they mapped free their disk space; a folder made again under the same name is
     * discovered anew.
     */
    private int dropRemovedSources()
    {
        int dropped = 0;
        for (int i = pollers.size() - 1; i >= 0; i--)
        {
            final SourcePoller poller = pollers.get(i);
            if (!poller.hasUncommittedEvents() && !Files.isDirectory(poller.directory()))
            {
                pollers.remove(i);
                drainedJournals.remove(poller.journalId());
                discovery.forget(poller.sourceId());
                parking.forget(poller.sourceId());
                poller.close();
                LOGGER.atWarn().addKeyValue("source", poller.sourceId()).log("the folder of source {} is gone; " +
                    "its queue is closed, drained up to index 0x{}", poller.sourceId(),
                    Long.toHexString(poller.committedIndex()));
                dropped++;
            }
        }
        return dropped;
    }

    /**
     * The identity of the journal in a folder just found, made now for a journal written before identities. When it
     * can be neither read nor made, the source is not drained (it could not be told from a renamed or replaced
     * journal): logged once, tried again at each discovery.
     */
    private UUID journalId(final String sourceId, final Path queueDirectory)
    {
        try
        {
            final Path file = queueDirectory.resolve(IdentityFile.JOURNAL_ID);
            final UUID journalId = IdentityFile.readOrCreate(file);
            context.journalFileAccess().file(file);
            return journalId;
        }
        catch (final IOException | RuntimeException ex)
        {
            if (failedSources.add(sourceId))
            {
                LOGGER.atError().addKeyValue("source", sourceId).log("source {} is not drained: its journal " +
                    "identity {} can be neither read nor made ({}); will retry at each discovery", sourceId,
                    queueDirectory.resolve(IdentityFile.JOURNAL_ID), ex.toString());
            }
            discovery.forget(sourceId);
            return null;
        }
    }

    /**
     * Whether a folder just found holds the journal its source's checkpoint belongs to (see
     * {@link JournalIdentities}), and is not a copy of a journal this agent drains under another name. A refusal is
     * logged once and checked again at each discovery, so that a rename the operator accepts is picked up.
     *
     * @return the checkpoint to resume after, or the refusal.
     */
    private JournalIdentities.Verdict checkJournal(
        final String sourceId, final Path queueDirectory, final UUID journalId) throws SQLException
    {
        final String drainedAs = drainedJournals.get(journalId);
        final JournalIdentities.Verdict verdict = null == drainedAs ?
            identities.check(sourceId, queueDirectory, journalId) :
            JournalIdentities.Verdict.refused("source " + sourceId + " is not drained: its folder " + queueDirectory +
            " holds journal " + journalId + ", which this agent drains as source " + drainedAs + ": the folder " +
            "was copied, or renamed while the agent ran. Remove the copy; after a rename, restart the agent");

        final String refusal = verdict.refusal();
        if (null != refusal)
        {
            if (!refusal.equals(refusedJournals.put(sourceId, refusal)))
            {
                countRefused();
                LOGGER.atError().addKeyValue("source", sourceId).log(refusal);
            }
        }
        else if (null != refusedJournals.remove(sourceId))
        {
            countRefused();
            LOGGER.atInfo().addKeyValue("source", sourceId).log("source {}: journal {} is now drained under this " +
                "id", sourceId, journalId);
        }
        return verdict;
    }

    /**
     * Claim a source just found, or refuse it when another agent holds its id: the refusal is logged once, counted,
     * and checked again at each discovery, so that a source handed over by an operator is picked up.
     */
    private boolean claim(final String sourceId)
    {
        final String owner;
        try
        {
            owner = ownership.claim(sourceId);
        }
        catch (final SQLException | RuntimeException ex)
        {
            // The database is failing; the batch path logs that. Try again at the next discovery.
            discovery.forget(sourceId);
            return false;
        }

        if (null != owner)
        {
            if (refusedSources.add(sourceId))
            {
                countRefused();
                LOGGER.error("source {} is not drained: its id belongs to reader agent {}, this agent is {}. Source " +
                    "ids must be unique across hosts; rename one of the two, or once the source has really moved " +
                    "and its old agent is stopped, DELETE FROM source_owners WHERE source_id = '{}'",
                    sourceId, owner, ownership.agent(), sourceId);
            }
            discovery.forget(sourceId);
            return false;
        }

        if (refusedSources.remove(sourceId))
        {
            countRefused();
            try
            {
                // Handed over: its checkpoint was written by the agent that held it, after this agent loaded them.
                checkpoints = writer.loadCheckpoints();
            }
            catch (final SQLException | RuntimeException ex)
            {
                refusedSources.add(sourceId);
                countRefused();
                discovery.forget(sourceId);
                return false;
            }
            LOGGER.info("source {} now belongs to this agent", sourceId);
        }
        return true;
    }
}
