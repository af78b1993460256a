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
 * Each sync policy makes the disk writes it promises, on the thread it promises. Writes are counted by the kernel's
 * per-thread and per-process I/O accounting ({@code write_bytes} in {@code /proc/thread-self/io} and
 * {@code /proc/self/io}: bytes this thread or process caused to be sent to storage), so the test sees real syncs
 * on a real file system; without a sync the kernel's own flusher threads write the pages back, not us.
 */
class JournalSyncPolicyTest
{
    private static final int APPENDS = 200;
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
    void shouldWriteToDiskOnTheAppendingThreadAfterEveryAppend() throws IOException
    {
        final long writtenBytes = threadBytesWrittenWhileAppending(SyncPolicy.EVERY_APPEND, 1);
        assertTrue(writtenBytes >= APPENDS * PAGE_SIZE / 2,
            "EVERY_APPEND wrote " + writtenBytes + " bytes for " + APPENDS + " appends");
    }

    @Test
    void shouldWriteToDiskOnTheAppendingThreadEveryNAppends() throws IOException
    {
        final long everyAppend = threadBytesWrittenWhileAppending(SyncPolicy.EVERY_APPEND, 1);
        final long everyFifty = threadBytesWrittenWhileAppending(SyncPolicy.EVERY_N_APPENDS, 50);
        assertTrue(everyFifty > 0, "EVERY_N_APPENDS(50) wrote nothing");
        assertTrue(everyFifty < everyAppend, "every 50: " + everyFifty + " B, every append: " + everyAppend + " B");
    }

    @Test
    void shouldNotWriteToDiskOnTheAppendingThreadWithoutSync() throws IOException
    {
        assertEquals(0, threadBytesWrittenWhileAppending(SyncPolicy.NONE, 1));
        assertEquals(0, threadBytesWrittenWhileAppending(SyncPolicy.INTERVAL, 1));
    }

    @Test
    void shouldWriteToDiskInTheBackgroundWithIntervalSync() throws Exception
    {
        try (TradeJournal journal = TradeJournal.open(new JournalContext().journalRoot(root).sourceId("interval")
            .syncPolicy(SyncPolicy.INTERVAL).syncIntervalMs(20).heartbeatIntervalMs(0)))
        {
            appendOrders(journal);
            final long before = bytesWritten("/proc/self/io");
            appendOrders(journal);
            long written = 0;
            for (int i = 0; i < 100 && written == 0; i++)
            {
                Thread.sleep(20);
                written = bytesWritten("/proc/self/io") - before;
            }
            assertTrue(written > 0, "no background sync within 2 s");
        }
    }

    private long threadBytesWrittenWhileAppending(final SyncPolicy policy, final int everyAppends)
        throws IOException
    {
        final String sourceId = policy.name().toLowerCase().replace('_', '-') + "-" + everyAppends;
        try (TradeJournal journal = TradeJournal.open(new JournalContext().journalRoot(root).sourceId(sourceId)
            .syncPolicy(policy).syncEveryAppends(everyAppends).heartbeatIntervalMs(0)))
        {
            appendOrders(journal);
            final long before = bytesWritten("/proc/thread-self/io");
            appendOrders(journal);
            return bytesWritten("/proc/thread-self/io") - before;
        }
    }

    private static void appendOrders(final TradeJournal journal)
    {
        for (int i = 0; i < APPENDS; i++)
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
