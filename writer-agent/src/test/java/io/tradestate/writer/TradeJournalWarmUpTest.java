package io.tradestate.writer;

import io.tradestate.codecs.LockSide;
import io.tradestate.codecs.OrderStatus;
import io.tradestate.codecs.OrderType;
import io.tradestate.codecs.OrderUpdateDecoder;
import io.tradestate.codecs.PairUnlockDecoder;
import io.tradestate.codecs.Side;
import io.tradestate.codecs.SourceStartedDecoder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The warm-up at open, {@link TradeJournal#keepWarm()} and {@link TradeJournal#rehearse(Runnable)} leave nothing in
 * the journal: a reader finds exactly the
 * events that were committed, at contiguous indexes, with the values that were set; the warm-up's scratch folder is
 * gone when open returns, and one left by a dead process is deleted.
 */
class TradeJournalWarmUpTest
{
    private static final int WARM_UP_APPENDS = 2_000;

    @TempDir
    Path root;

    @TempDir
    Path warmUpFolder;

    private TradeJournal journal;

    @AfterEach
    void close()
    {
        if (null != journal)
        {
            journal.close();
        }
    }

    @Test
    void shouldLeaveOnlyTheSourceStartedEventWhenTheJournalWarmsUpAtOpen() throws IOException
    {
        journal = open(WARM_UP_APPENDS, 0);

        assertTrue(journal.warmUpNs() > 0);
        final List<JournalExcerpts.Excerpt> excerpts = JournalExcerpts.readAll(journal.queueDirectory());
        assertEquals(1, excerpts.size());
        assertEquals(SourceStartedDecoder.TEMPLATE_ID, excerpts.get(0).templateId());
        assertEquals(0, sequence(excerpts.get(0).index));
        assertEquals(List.of(), JournalWarmUpFolders.list(warmUpFolder), "the scratch journal is deleted at once");
    }

    @Test
    void shouldNotWarmUpWhenTurnedOff()
    {
        journal = open(0, 0);

        assertEquals(0, journal.warmUpNs());
        assertEquals(1, JournalExcerpts.readAll(journal.queueDirectory()).size());
    }

    @Test
    void shouldSeeOnlyCommittedEventsAtContiguousIndexesWhenKeepWarmRunsBetweenThem()
    {
        journal = open(0, 0);
        for (int i = 0; i < 100; i++)
        {
            assertEquals(1, journal.keepWarm(), "an interval of 0 makes every call rehearse");
            appendOrder(i);
            assertEquals(1, journal.keepWarm());
            journal.unlockPair("ETH/USDT", LockSide.ANY);
            assertEquals(1, journal.keepWarm());
        }

        final List<JournalExcerpts.Excerpt> excerpts = JournalExcerpts.readAll(journal.queueDirectory());
        assertEquals(201, excerpts.size());
        for (int i = 0; i < excerpts.size(); i++)
        {
            assertEquals(i, sequence(excerpts.get(i).index), "no index is taken by a rehearsal");
        }
        for (int i = 0; i < 100; i++)
        {
            final JournalExcerpts.Excerpt order = excerpts.get(1 + 2 * i);
            assertEquals(OrderUpdateDecoder.TEMPLATE_ID, order.templateId());
            final OrderUpdateDecoder decoder = new OrderUpdateDecoder()
                .wrap(order.buffer, 8, order.header.blockLength(), order.header.version());
            assertEquals("order-" + i, decoder.orderId());
            assertEquals(1_000 + i, decoder.price().mantissa());
            assertEquals(PairUnlockDecoder.TEMPLATE_ID, excerpts.get(2 + 2 * i).templateId());
        }
    }

    @Test
    void shouldNotRehearseBeforeTheIntervalHasPassedSinceTheLastAppend()
    {
        journal = open(0, TimeUnit.SECONDS.toMicros(60));

        assertEquals(0, journal.keepWarm(), "open appended SourceStarted on this thread just now");
        appendOrder(1);
        assertEquals(0, journal.keepWarm());
        assertEquals(2, JournalExcerpts.readAll(journal.queueDirectory()).size());
    }

    @Test
    void shouldLeaveAnOpenEventAsItWasWhenKeepWarmRunsWhileItIsBeingSet()
    {
        journal = open(0, 0);
        appendOrder(1);

        final OrderUpdateEvent half = journal.orderUpdate().exchange("kraken").symbol("XBT/EUR").orderId("open-one");
        assertEquals(0, journal.keepWarm(), "the only type this thread committed is open: nothing to rehearse");
        half.side(Side.SELL).orderType(OrderType.MARKET).status(OrderStatus.OPEN).amount(7, 0).commit();

        final List<JournalExcerpts.Excerpt> excerpts = JournalExcerpts.readAll(journal.queueDirectory());
        assertEquals(3, excerpts.size());
        final JournalExcerpts.Excerpt last = excerpts.get(2);
        final OrderUpdateDecoder decoder = new OrderUpdateDecoder()
            .wrap(last.buffer, 8, last.header.blockLength(), last.header.version());
        assertEquals("kraken", decoder.exchange());
        assertEquals("XBT/EUR", decoder.symbol());
        assertEquals("open-one", decoder.orderId());
        assertEquals(7, decoder.amount().mantissa());
    }

    @Test
    void shouldRehearseTheStrategysOwnCommitsAndAppendNothing()
    {
        journal = open(0, 0);
        final long[] indexes = new long[2];
        final Runnable appendCode = () ->
        {
            indexes[0] = journal.orderUpdate().exchange("binance").symbol("BTC/USDT").orderId("rehearsed")
                .side(Side.BUY).orderType(OrderType.LIMIT).status(OrderStatus.OPEN).amount(1, 0).commit();
            indexes[1] = journal.lockPair("ETH/USDT", System.currentTimeMillis() + 60_000, "rehearsed", LockSide.ANY);
        };

        for (int i = 0; i < 100; i++)
        {
            assertEquals(1, journal.rehearse(appendCode));
            assertEquals(JournalEvent.REHEARSED, indexes[0]);
            assertEquals(JournalEvent.REHEARSED, indexes[1]);
            appendOrder(i);
        }

        final List<JournalExcerpts.Excerpt> excerpts = JournalExcerpts.readAll(journal.queueDirectory());
        assertEquals(101, excerpts.size(), "the SourceStarted and the 100 real orders, nothing rehearsed");
        for (int i = 0; i < excerpts.size(); i++)
        {
            assertEquals(i, sequence(excerpts.get(i).index));
        }
        for (int i = 1; i < excerpts.size(); i++)
        {
            final JournalExcerpts.Excerpt order = excerpts.get(i);
            final OrderUpdateDecoder decoder = new OrderUpdateDecoder()
                .wrap(order.buffer, 8, order.header.blockLength(), order.header.version());
            assertEquals("order-" + (i - 1), decoder.orderId());
        }
    }

    @Test
    void shouldCommitForRealAgainWhenTheRehearsedCodeThrows()
    {
        journal = open(0, 0);
        final RuntimeException failure = new RuntimeException("the strategy's code failed");
        final Runnable failing = () ->
        {
            appendOrder(-1);
            throw failure;
        };

        assertSame(failure, assertThrows(RuntimeException.class, () -> journal.rehearse(failing)));
        appendOrder(1);

        final List<JournalExcerpts.Excerpt> excerpts = JournalExcerpts.readAll(journal.queueDirectory());
        assertEquals(2, excerpts.size(), "SourceStarted and the order after the failed rehearsal");
    }

    @Test
    void shouldRefuseARehearsalInsideARehearsalAndRehearseNothingBeforeTheInterval()
    {
        journal = open(0, TimeUnit.SECONDS.toMicros(60));
        assertEquals(0, journal.rehearse(() -> appendOrder(1)), "open appended SourceStarted just now");

        final TradeJournal other = TradeJournal.open(new JournalContext().journalRoot(root).sourceId("nested")
            .heartbeatIntervalMs(0).warmUpAppends(0).keepWarmIntervalUs(0));
        try
        {
            final Runnable nested = () -> other.rehearse(() -> { });
            assertEquals(1, other.rehearse(() -> assertThrows(IllegalStateException.class, nested::run)));
        }
        finally
        {
            other.close();
        }
    }

    @Test
    void shouldCreateTheThreadsWriterWhenKeepWarmIsFirstCalledOnAnotherThread() throws InterruptedException
    {
        journal = open(0, 0);
        final AtomicInteger rehearsed = new AtomicInteger(-1);
        final Thread other = new Thread(() -> rehearsed.set(journal.keepWarm()));
        other.start();
        other.join();

        assertEquals(1, rehearsed.get());
        assertEquals(1, JournalExcerpts.readAll(journal.queueDirectory()).size());
    }

    @Test
    void shouldDeleteScratchFoldersOfDeadProcessesAndKeepThoseOfLiveOnes() throws Exception
    {
        final Process finished = new ProcessBuilder("true").start();
        finished.waitFor();
        final Path dead = Files.createDirectory(warmUpFolder.resolve("tradestate-warmup-" + finished.pid() + "-1"));
        Files.writeString(dead.resolve("20261205F.cq4"), "left by a kill");
        final Path live = Files.createDirectory(
            warmUpFolder.resolve("tradestate-warmup-" + ProcessHandle.current().pid() + "-2"));
        final Path unrelated = Files.createDirectory(warmUpFolder.resolve("tradestate-warmup-notapid-3"));

        journal = open(WARM_UP_APPENDS, 0);

        assertFalse(Files.exists(dead));
        assertTrue(Files.isDirectory(live), "a live process may be warming up in it");
        assertTrue(Files.isDirectory(unrelated));
    }

    @Test
    void shouldNameTheSettingAndCreateNothingWhenTheWarmUpFolderDoesNotExist()
    {
        final JournalContext context = new JournalContext().journalRoot(root).sourceId("warm")
            .warmUpAppends(WARM_UP_APPENDS).warmUpDirectory(warmUpFolder.resolve("missing"));

        final RuntimeException ex = assertThrows(RuntimeException.class, () -> TradeJournal.open(context));
        assertTrue(ex.getMessage().contains(JournalConfiguration.WARM_UP_DIR_PROP_NAME), ex.getMessage());
        assertFalse(Files.exists(root.resolve("warm")), "the warm-up runs before the journal's folder is made");
    }

    private TradeJournal open(final int warmUpAppends, final long keepWarmIntervalUs)
    {
        return TradeJournal.open(new JournalContext().journalRoot(root).sourceId("warm").heartbeatIntervalMs(0)
            .warmUpAppends(warmUpAppends).warmUpDirectory(warmUpFolder).keepWarmIntervalUs(keepWarmIntervalUs));
    }

    private void appendOrder(final int i)
    {
        journal.orderUpdate().exchange("binance").symbol("BTC/USDT").orderId("order-" + i).side(Side.BUY)
            .orderType(OrderType.LIMIT).status(OrderStatus.OPEN).price(1_000 + i, -2).amount(1, 0).commit();
    }

    private long sequence(final long index)
    {
        return journal.context().rollCycle().toSequenceNumber(index);
    }
}
