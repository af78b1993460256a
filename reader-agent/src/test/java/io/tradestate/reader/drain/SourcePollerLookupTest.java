package io.tradestate.reader.drain;

import io.tradestate.codecs.OrderStatus;
import io.tradestate.codecs.OrderType;
import io.tradestate.codecs.Side;
import io.tradestate.reader.ProcessMappings;
import io.tradestate.writer.JournalContext;
import io.tradestate.writer.TradeJournal;
import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.queue.RollCycles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 16, item 7: "the lookup tailer pins a deleted cycle file". The dead letter of an event PostgreSQL rejects
 * carries the excerpt's bytes, read again from the queue with a second tailer; that tailer was kept for the life of
 * the source, on the cycle of the last excerpt it read, so once retention deleted that cycle the file stayed mapped
 * and its disk space was not freed. On a real queue of two cycles: the excerpt read back, its cycle deleted as
 * retention deletes it, and no mapping of the deleted file is left.
 */
class SourcePollerLookupTest
{
    private static final long CYCLE_MS = TimeUnit.MINUTES.toMillis(5);
    private static final int ORDERS = 10;

    @TempDir
    Path root;

    @Test
    void shouldLeaveNoMappingOfADeletedCycleAfterReadingAnExcerptBack() throws Exception
    {
        final SetTimeProvider time = new SetTimeProvider((System.currentTimeMillis() / CYCLE_MS - 4) * CYCLE_MS *
            1_000_000L);
        final long firstOrder = appendCycle(time, "first-");
        time.currentTimeMillis(time.currentTimeMillis() + CYCLE_MS);
        appendCycle(time, "second-");
        final Path queue = root.resolve("alpha");
        final File[] cycles = queue.toFile().listFiles((dir, name) -> name.endsWith(".cq4"));
        assertEquals(2, cycles.length);
        Arrays.sort(cycles);

        try (SourcePoller poller = new SourcePoller("alpha", queue, SourcePoller.NO_INDEX, null))
        {
            final DrainBatch batch = new DrainBatch();
            assertTrue(poller.poll(batch, 1_000, Long.MAX_VALUE, 0) > 2 * ORDERS,
                "the drain's tailer is in the second cycle");
            assertTrue(poller.excerptBytes(firstOrder).length > 0, "an excerpt of the first cycle read back");

            Files.delete(cycles[0].toPath());
            poller.refreshDirectoryListing();
            // Chronicle releases a store's mapping once its last user lets go, not always on the calling thread's
            // step: wait a little. A tailer kept open holds it for the source's life, which no wait hides.
            final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            List<String> deleted = deletedMappings(queue, cycles[0]);
            while (!deleted.isEmpty() && System.nanoTime() - deadlineNs < 0)
            {
                Thread.sleep(10);
                deleted = deletedMappings(queue, cycles[0]);
            }
            assertEquals(List.of(), deleted, "the deleted cycle is still mapped: its disk space is not freed");
        }
    }

    private static List<String> deletedMappings(final Path queue, final File cycle) throws Exception
    {
        return ProcessMappings.files(queue).stream().filter((file) -> file.startsWith(cycle.getAbsolutePath()))
            .toList();
    }

    private long appendCycle(final SetTimeProvider time, final String orderIdPrefix)
    {
        long firstIndex = -1;
        try (TradeJournal journal = TradeJournal.open(new JournalContext().journalRoot(root).sourceId("alpha")
            .heartbeatIntervalMs(0).warmUpAppends(0).rollCycle(RollCycles.FIVE_MINUTELY).timeProvider(time)))
        {
            for (int i = 0; i < ORDERS; i++)
            {
                final long index = journal.orderUpdate().exchange("binance").symbol("BTC/USDT")
                    .orderId(orderIdPrefix + i).side(Side.BUY).orderType(OrderType.LIMIT).status(OrderStatus.OPEN)
                    .amount(1, 0).price(100, 0).commit();
                firstIndex = -1 == firstIndex ? index : firstIndex;
            }
        }
        return firstIndex;
    }
}
