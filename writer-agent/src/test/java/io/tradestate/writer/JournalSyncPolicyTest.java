package io.tradestate.writer;

import io.tradestate.codecs.OrderStatus;
import io.tradestate.codecs.OrderType;
import io.tradestate.codecs.Side;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Each sync policy makes the disk writes it promises, on the thread it promises. The appending thread's writes are
 * counted by the kernel's per-thread I/O accounting ({@code write_bytes} in {@code /proc/thread-self/io}), which
 * charges a page to the thread that dirties it. A sync cleans the pages it writes back, so with a sync after every
 * append each append dirties (and is charged) a page again; without one, appends rewrite pages that are already
 * dirty (the pretoucher dirtied them first) and are charged next to nothing. The interval policy's syncs happen on
 * the background thread, which counts them.
 */
class JournalSyncPolicyTest
{
    private static final int WARM_UP_APPENDS = 200;
    private static final int MEASURED_APPENDS = 100;
    private static final long PAGE_SIZE = 4096;

    @TempDir
    Path root;

    @BeforeEach
    void requireAccountedFileSystem() throws IOException
    {
        assumeTrue(Files.isReadable(Paths.get("/proc/thread-self/io")), "needs Linux I/O accounting");
        assumeTrue(!"tmpfs".equals(Files.getFileStore(root).type()), "tmpfs has no disk to sync to");
    }

    @Test
    void shouldWriteToDiskOnTheAppendingThreadAfterEveryAppend() throws Exception
    {
        final long writtenBytes = threadBytesDirtiedWhileAppending(SyncPolicy.EVERY_APPEND, 1);
        assertTrue(writtenBytes >= MEASURED_APPENDS * PAGE_SIZE / 2,
            "EVERY_APPEND dirtied " + writtenBytes + " bytes in " + MEASURED_APPENDS + " appends");
    }

    @Test
    void shouldWriteToDiskOnTheAppendingThreadEveryNAppends() throws Exception
    {
        final long everyAppend = threadBytesDirtiedWhileAppending(SyncPolicy.EVERY_APPEND, 1);
        final long everyTwentyFive = threadBytesDirtiedWhileAppending(SyncPolicy.EVERY_N_APPENDS, 25);
        assertTrue(everyTwentyFive >= 2 * PAGE_SIZE, "EVERY_N_APPENDS(25) dirtied " + everyTwentyFive + " bytes");
        assertTrue(everyTwentyFive * 4 <= everyAppend,
            "every 25: " + everyTwentyFive + " B, every append: " + everyAppend + " B");
    }

    @Test
    void shouldNotSyncOnTheAppendingThreadWithoutASyncPerAppend() throws Exception
    {
        final long everyAppend = threadBytesDirtiedWhileAppending(SyncPolicy.EVERY_APPEND, 1);
        final long none = threadBytesDirtiedWhileAppending(SyncPolicy.NONE, 1);
        final long interval = threadBytesDirtiedWhileAppending(SyncPolicy.INTERVAL, 1);
        assertTrue(none * 4 <= everyAppend, "NONE: " + none + " B, EVERY_APPEND: " + everyAppend + " B");
        assertTrue(interval * 4 <= everyAppend, "INTERVAL: " + interval + " B, EVERY_APPEND: " + everyAppend + " B");
    }

    @Test
    void shouldSyncInTheBackgroundWithIntervalSync() throws Exception
    {
        try (TradeJournal journal = TradeJournal.open(new JournalContext().journalRoot(root).sourceId("interval")
            .syncPolicy(SyncPolicy.INTERVAL).syncIntervalMs(20).heartbeatIntervalMs(0)))
        {
            appendOrders(journal, WARM_UP_APPENDS);
            final long before = journal.intervalSyncs();
            Thread.sleep(500);
            final long syncs = journal.intervalSyncs() - before;
            assertTrue(syncs >= 5 && syncs <= 30, "interval syncs in 500 ms at 20 ms: " + syncs);
        }
    }

    @Test
    void shouldNotSyncInTheBackgroundWithoutIntervalSync() throws Exception
    {
        try (TradeJournal journal = TradeJournal.open(new JournalContext().journalRoot(root).sourceId("none")
            .syncPolicy(SyncPolicy.NONE).syncIntervalMs(20).heartbeatIntervalMs(0)))
        {
            appendOrders(journal, WARM_UP_APPENDS);
            Thread.sleep(200);
            assertEquals(0, journal.intervalSyncs());
        }
    }

    private long threadBytesDirtiedWhileAppending(final SyncPolicy policy, final int everyAppends) throws Exception
    {
        final String sourceId = policy.name().toLowerCase().replace('_', '-') + "-" + everyAppends;
        try (TradeJournal journal = TradeJournal.open(new JournalContext().journalRoot(root).sourceId(sourceId)
            .syncPolicy(policy).syncEveryAppends(everyAppends).heartbeatIntervalMs(0)))
        {
            appendOrders(journal, WARM_UP_APPENDS);
            Thread.sleep(100);
            final long before = bytesWritten("/proc/thread-self/io");
            appendOrders(journal, MEASURED_APPENDS);
            return bytesWritten("/proc/thread-self/io") - before;
        }
    }

    private static void appendOrders(final TradeJournal journal, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            journal.orderUpdate()
                .exchange("binance").symbol("BTC/USDT").orderId("1").side(Side.BUY).orderType(OrderType.LIMIT)
                .status(OrderStatus.OPEN).price(6412350 + i, -2).amount(15, -3)
                .commit();
        }
    }

    private static long bytesWritten(final String ioFile) throws IOException
    {
        for (final String line : Files.readAllLines(Paths.get(ioFile)))
        {
            if (line.startsWith("write_bytes:"))
            {
                return Long.parseLong(line.substring("write_bytes:".length()).trim());
            }
        }

        throw new IllegalStateException("no write_bytes in " + ioFile);
    }
}
