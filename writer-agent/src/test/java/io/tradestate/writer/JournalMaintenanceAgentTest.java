package io.tradestate.writer;

import io.tradestate.codecs.HeartbeatDecoder;
import io.tradestate.codecs.OrderStatus;
import io.tradestate.codecs.OrderType;
import io.tradestate.codecs.Side;
import io.tradestate.codecs.SourceStartedDecoder;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The background thread of a journal: it rolls the cycle file at the boundary, so that the strategy's first append
 * of a cycle finds the file made; it touches pages ahead of the write position; it appends heartbeats.
 */
class JournalMaintenanceAgentTest
{
    @TempDir
    Path root;

    @Test
    void shouldRollEachCycleWithAHeartbeatBeforeAnyStrategyAppend() throws InterruptedException
    {
        final RollCycle secondly = TestRollCycles.TEST_SECONDLY;
        try (TradeJournal journal = TradeJournal.open(new JournalContext()
            .journalRoot(root).sourceId("roll").rollCycle(secondly).heartbeatIntervalMs(0).blockSizeBytes(1 << 20)
            .pretouchAheadBytes(64 * 1024)))
        {
            appendOrder(journal);
            Thread.sleep(2_600);
        }

        final List<JournalExcerpts.Excerpt> excerpts = JournalExcerpts.readAll(root.resolve("roll"));
        assertEquals(SourceStartedDecoder.TEMPLATE_ID, excerpts.get(0).templateId());
        int cyclesStartedByHeartbeat = 0;
        for (int i = 1; i < excerpts.size(); i++)
        {
            final int cycle = secondly.toCycle(excerpts.get(i).index);
            if (cycle != secondly.toCycle(excerpts.get(i - 1).index))
            {
                assertEquals(HeartbeatDecoder.TEMPLATE_ID, excerpts.get(i).templateId(),
                    "the first excerpt of cycle " + cycle + " must be the roll heartbeat");
                cyclesStartedByHeartbeat++;
            }
        }
        assertTrue(cyclesStartedByHeartbeat >= 2, "rolled " + cyclesStartedByHeartbeat + " times");
    }

    @Test
    void shouldBackOffToTheLongestSleepWhenIdleAndSleepTheShortestAfterWork()
    {
        try (TradeJournal journal = TradeJournal.open(new JournalContext()
            .journalRoot(root).sourceId("idle").heartbeatIntervalMs(60_000).pretouchEnabled(false)))
        {
            final JournalMaintenanceAgent.Idle idle = new JournalMaintenanceAgent.Idle(journal.maintenanceAgent(), 16);
            assertEquals(1, idle.sleepMs());
            final long[] expected = {2, 4, 8, 16, 16};
            for (final long sleepMs : expected)
            {
                idle.idle(0);
                assertEquals(sleepMs, idle.sleepMs());
            }

            idle.idle(1);
            assertEquals(JournalMaintenanceAgent.Idle.MIN_SLEEP_MS, idle.sleepMs(), "a round with work");
            idle.idle(0);
            idle.reset();
            assertEquals(JournalMaintenanceAgent.Idle.MIN_SLEEP_MS, idle.sleepMs());
        }
    }

    @Test
    void shouldPlanNoSleepPastTheNextHeartbeat()
    {
        try (TradeJournal journal = TradeJournal.open(new JournalContext()
            .journalRoot(root).sourceId("duty").heartbeatIntervalMs(200).pretouchEnabled(false)))
        {
            final long untilDutyMs = journal.maintenanceAgent().msUntilNextDuty();
            assertTrue(untilDutyMs >= 0 && untilDutyMs <= 200, "ms until the next heartbeat: " + untilDutyMs);
        }

        try (TradeJournal journal = TradeJournal.open(new JournalContext()
            .journalRoot(root).sourceId("sync").heartbeatIntervalMs(0).pretouchEnabled(false)
            .syncPolicy(SyncPolicy.INTERVAL).syncIntervalMs(20)))
        {
            final long untilDutyMs = journal.maintenanceAgent().msUntilNextDuty();
            assertTrue(untilDutyMs >= 0 && untilDutyMs <= 20, "ms until the next interval sync: " + untilDutyMs);
        }
    }

    @Test
    void shouldAppendHeartbeatsAtTheConfiguredInterval() throws InterruptedException
    {
        final long startNs = System.nanoTime();
        try (TradeJournal journal = TradeJournal.open(new JournalContext()
            .journalRoot(root).sourceId("beat").heartbeatIntervalMs(100).pretouchEnabled(false)))
        {
            Thread.sleep(1_050);
            assertTrue(!journal.isClosed());
        }
        // The sleep may overrun on a busy machine: the count follows the time the journal was open, not the 1.05 s.
        final long openMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);

        final long heartbeats = JournalExcerpts.readAll(root.resolve("beat")).stream()
            .filter((excerpt) -> HeartbeatDecoder.TEMPLATE_ID == excerpt.templateId())
            .count();
        assertTrue(heartbeats >= 5 && heartbeats <= openMs / 100 + 1,
            "heartbeats in " + openMs + " ms open at 100 ms: " + heartbeats);
    }

    @Test
    void shouldAllocateTheDiskBlocksAheadOfTheWritePositionWhenPretouching() throws Exception
    {
        final long aheadBytes = 2L * 1024 * 1024;
        final long withPretouch = allocatedBytesAfterOneAppend("touched", true, aheadBytes);
        final long withoutPretouch = allocatedBytesAfterOneAppend("untouched", false, aheadBytes);

        assertTrue(withPretouch >= aheadBytes,
            "pretouched file has " + withPretouch + " bytes allocated, expected at least " + aheadBytes);
        // Without pretouch the appender still reserves a chunk and its headroom ahead (JournalSpace), no more.
        final long reservedBytes = JournalSpace.CHUNK_BYTES + JournalSpace.HEADROOM_BYTES + 256 * 1024;
        assertTrue(withoutPretouch <= reservedBytes && reservedBytes < aheadBytes,
            "file without pretouch has " + withoutPretouch + " bytes allocated, expected at most " + reservedBytes);
    }

    private long allocatedBytesAfterOneAppend(final String sourceId, final boolean pretouch, final long aheadBytes)
        throws Exception
    {
        try (TradeJournal journal = TradeJournal.open(new JournalContext()
            .journalRoot(root).sourceId(sourceId).heartbeatIntervalMs(0).pretouchEnabled(pretouch)
            .pretouchAheadBytes(aheadBytes)))
        {
            appendOrder(journal);
            final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            long allocated;
            do
            {
                Thread.sleep(50);
                allocated = allocatedBytes(cycleFile(journal.queueDirectory()));
            }
            while (pretouch && allocated < aheadBytes && System.nanoTime() < deadlineNs);

            return allocated;
        }
    }

    private static File cycleFile(final Path queueDirectory)
    {
        final File[] files = queueDirectory.toFile().listFiles((dir, name) -> name.endsWith(".cq4"));
        assertTrue(null != files && 1 == files.length, "one cycle file expected in " + queueDirectory);
        return files[0];
    }

    private static long allocatedBytes(final File file) throws IOException, InterruptedException
    {
        final Process stat = new ProcessBuilder("stat", "--format=%b %B", file.getAbsolutePath())
            .redirectErrorStream(true).start();
        final String output = new String(stat.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        assertTrue(stat.waitFor(10, TimeUnit.SECONDS) && 0 == stat.exitValue(), "stat failed: " + output);
        final String[] blocksAndSize = output.split(" ");
        return Long.parseLong(blocksAndSize[0]) * Long.parseLong(blocksAndSize[1]);
    }

    private static void appendOrder(final TradeJournal journal)
    {
        journal.orderUpdate()
            .exchange("binance").symbol("BTC/USDT").orderId("1").side(Side.BUY).orderType(OrderType.LIMIT)
            .status(OrderStatus.OPEN).price(6412350, -2).amount(15, -3)
            .commit();
    }
}
