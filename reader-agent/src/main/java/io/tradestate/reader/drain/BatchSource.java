package io.tradestate.reader.drain;

import java.util.UUID;

/**
 * One source's part of a {@link DrainBatch}: the range of its queue the batch holds, the checkpoint the range starts
 * after, and the writer identity read in it. Reused: a batch keeps its entries from one use to the next.
 * <p>
 * Kept in the batch, not in the {@link SourcePoller}, because several batches can hold events of the same source at
 * once: those in flight and the one being read (see {@link BatchCommitter}). The range of each starts after the last
 * index of the one before, and its checkpoint moves from there only if that one was committed.
 */
final class BatchSource
{
    private final SourceStatus status = new SourceStatus();
    private SourcePoller poller;
    private DrainBatch batch;
    private long batchUse;
    private int position;
    private long afterIndex;
    private long firstIndex;
    private long lastIndex;
    private int events;

    void open(final SourcePoller poller, final DrainBatch batch, final int position, final long afterIndex)
    {
        this.poller = poller;
        this.batch = batch;
        this.batchUse = batch.use();
        this.position = position;
        this.afterIndex = afterIndex;
        this.firstIndex = SourcePoller.NO_INDEX;
        this.lastIndex = SourcePoller.NO_INDEX;
        this.events = 0;
        status.reset();
    }

    /**
     * Whether this entry is a source's part of the batch as it is now: not of another source (entries are reused
     * within a batch once it is reset), not of an earlier use of the batch, not of another batch.
     *
     * @param poller the source.
     * @param batch  a batch being filled.
     * @return true if the source's events read into {@code batch} belong here.
     */
    boolean isOpenFor(final SourcePoller poller, final DrainBatch batch)
    {
        return this.poller == poller && this.batch == batch && batchUse == batch.use();
    }

    void onEvent(final long index)
    {
        if (SourcePoller.NO_INDEX == firstIndex)
        {
            firstIndex = index;
        }
        lastIndex = index;
        events++;
    }

    SourcePoller poller()
    {
        return poller;
    }

    String sourceId()
    {
        return poller.sourceId();
    }

    /**
     * The identity of the source's journal, recorded with its checkpoint.
     *
     * @return the id, or null if the journal has none.
     */
    UUID journalId()
    {
        return poller.journalId();
    }

    /**
     * Where this source stands in the list of its batch's sources.
     *
     * @return the position in {@link DrainBatch#sources()}.
     */
    int position()
    {
        return position;
    }

    /**
     * The checkpoint this range continues: the last index of the source in the batch before, or the committed
     * checkpoint; {@link SourcePoller#NO_INDEX} for the start of the queue.
     *
     * @return the queue index.
     */
    long afterIndex()
    {
        return afterIndex;
    }

    long firstIndex()
    {
        return firstIndex;
    }

    long lastIndex()
    {
        return lastIndex;
    }

    int events()
    {
        return events;
    }

    /**
     * The writer identity read in this range, dirty if there was one.
     *
     * @return the status, reused.
     */
    SourceStatus status()
    {
        return status;
    }
}
