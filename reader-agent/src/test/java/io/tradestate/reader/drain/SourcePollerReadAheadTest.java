package io.tradestate.reader.drain;

import io.tradestate.codecs.OrderStatus;
import io.tradestate.codecs.OrderType;
import io.tradestate.codecs.Side;
import io.tradestate.writer.JournalContext;
import io.tradestate.writer.TradeJournal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The drain reads one batch ahead of the committed checkpoint (the batch being committed, the batch being read): each
 * batch's range of a source continues where the batch before ended, so its checkpoint moves from there; a failed
 * batch rewinds the source to the committed checkpoint, and the events of both batches are read again, none skipped.
 * On a real queue, without a database: the ranges are what {@link PostgresBatchWriter} writes as checkpoints.
 */
class SourcePollerReadAheadTest
{
    private static final long NOW_MS = 1_000;
    private static final int ORDERS = 10;

    @TempDir
    Path root;

    @Test
    void shouldContinueEachBatchsRangeWhereTheBatchBeforeEndedAndReadItAgainWhenItFails()
    {
        final long lastIndex = appendOrders();
        try (SourcePoller poller = new SourcePoller("alpha", root.resolve("alpha"), SourcePoller.NO_INDEX, null))
        {
            final DrainBatch committing = new DrainBatch();
            final DrainBatch reading = new DrainBatch();
            assertFalse(poller.hasUncommittedEvents());

            assertEquals(4, poller.poll(committing, 4, Long.MAX_VALUE, NOW_MS));
            final BatchSource first = committing.sources().get(0);
            assertEquals(SourcePoller.NO_INDEX, first.afterIndex(), "from the start of the queue");
            assertEquals(4, first.events());

            final int excerpts = 4 + poller.poll(reading, 1_000, Long.MAX_VALUE, NOW_MS);
            assertEquals(0, poller.poll(reading, 1_000, Long.MAX_VALUE, NOW_MS));
            assertEquals(1, reading.sources().size(), "one entry per source and batch");
            final BatchSource second = reading.sources().get(0);
            assertEquals(first.lastIndex(), second.afterIndex(), "the second range continues the first");
            assertTrue(second.firstIndex() > first.lastIndex());
            assertEquals(lastIndex, second.lastIndex());
            assertEquals(excerpts - 4, second.events());
            assertEquals(ORDERS, committing.tables().rows() + reading.tables().rows(), "each order in one batch");

            poller.onCommitted(first.lastIndex());
            committing.reset();
            assertFalse(first.isOpenFor(poller, committing), "an entry belongs to one use of its batch");
            assertTrue(poller.hasUncommittedEvents(), "the second batch is not committed yet");

            // The second batch fails: dropped, the source rewound to the first batch's checkpoint.
            reading.reset();
            poller.rewind();
            assertFalse(poller.hasUncommittedEvents());
            assertEquals(excerpts - 4, poller.poll(reading, 1_000, Long.MAX_VALUE, NOW_MS),
                "read again, none skipped");
            assertSame(second, reading.sources().get(0), "entries are reused");
            assertEquals(first.lastIndex(), second.afterIndex());
            assertEquals(lastIndex, second.lastIndex());

            poller.onCommitted(second.lastIndex());
            assertFalse(poller.hasUncommittedEvents());
        }
    }

    @Test
    void shouldReadBothBatchesAgainWhenTheOneBeingCommittedFails()
    {
        appendOrders();
        try (SourcePoller poller = new SourcePoller("alpha", root.resolve("alpha"), SourcePoller.NO_INDEX, null))
        {
            final DrainBatch committing = new DrainBatch();
            final DrainBatch reading = new DrainBatch();
            final int excerpts = poller.poll(committing, 4, Long.MAX_VALUE, NOW_MS) +
                poller.poll(reading, 1_000, Long.MAX_VALUE, NOW_MS);

            committing.reset();
            reading.reset();
            poller.rewind();
            assertFalse(poller.hasUncommittedEvents());
            assertEquals(excerpts, poller.poll(committing, 1_000, Long.MAX_VALUE, NOW_MS),
                "both read again from the checkpoint");
            assertEquals(SourcePoller.NO_INDEX, committing.sources().get(0).afterIndex());
            assertEquals(ORDERS, committing.tables().rows());
        }
    }

    @Test
    void shouldNeverCountASourcesEventsInAnEntryReusedForAnotherSource()
    {
        appendOrders("alpha");
        appendOrders("beta");
        try (SourcePoller alpha = new SourcePoller("alpha", root.resolve("alpha"), SourcePoller.NO_INDEX, null);
            SourcePoller beta = new SourcePoller("beta", root.resolve("beta"), SourcePoller.NO_INDEX, null))
        {
            final DrainBatch batch = new DrainBatch();
            assertEquals(2, alpha.poll(batch, 2, Long.MAX_VALUE, NOW_MS));
            final BatchSource alphasEntry = batch.sources().get(0);
            final long alphasCheckpoint = alphasEntry.lastIndex();
            alpha.onCommitted(alphasCheckpoint);
            batch.reset();

            // The batch's next use: beta joins first and gets the entry alpha had, then alpha reads on.
            assertEquals(2, beta.poll(batch, 2, Long.MAX_VALUE, NOW_MS));
            assertSame(alphasEntry, batch.sources().get(0), "the entry is reused, now for beta");
            assertEquals(3, alpha.poll(batch, 3, Long.MAX_VALUE, NOW_MS));

            assertEquals(2, batch.sources().size(), "alpha has an entry of its own again");
            assertEquals("beta", batch.sources().get(0).sourceId());
            assertEquals(2, batch.sources().get(0).events());
            assertEquals("alpha", batch.sources().get(1).sourceId());
            assertEquals(3, batch.sources().get(1).events());
            assertEquals(alphasCheckpoint, batch.sources().get(1).afterIndex());
            assertEquals(SourcePoller.NO_INDEX, alphasEntry.afterIndex(), "beta's range starts at its queue's start");
        }
    }

    private long appendOrders()
    {
        return appendOrders("alpha");
    }

    private long appendOrders(final String sourceId)
    {
        try (TradeJournal journal = TradeJournal.open(new JournalContext()
            .journalRoot(root).sourceId(sourceId).heartbeatIntervalMs(0).warmUpAppends(0)))
        {
            long lastIndex = SourcePoller.NO_INDEX;
            for (int i = 0; i < ORDERS; i++)
            {
                lastIndex = journal.orderUpdate().exchange("binance").symbol("BTC/USDT").orderId("order-" + i)
                    .side(Side.BUY).orderType(OrderType.LIMIT).status(OrderStatus.OPEN).amount(1, 0).price(100, 0)
                    .commit();
            }
            return lastIndex;
        }
    }
}
