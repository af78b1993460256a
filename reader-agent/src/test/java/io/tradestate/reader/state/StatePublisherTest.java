package io.tradestate.reader.state;

import io.tradestate.codecs.BooleanType;
import io.tradestate.codecs.LockSide;
import io.tradestate.codecs.OrderStatus;
import io.tradestate.codecs.OrderType;
import io.tradestate.codecs.OrderUpdateDecoder;
import io.tradestate.codecs.Side;
import io.tradestate.codecs.TradeUpdateDecoder;
import io.tradestate.codecs.TradingMode;
import io.tradestate.reader.ReaderConfiguration;
import io.tradestate.reader.ReaderContext;
import io.tradestate.state.StatePointer;
import io.tradestate.writer.JournalContext;
import io.tradestate.writer.TradeJournal;
import io.tradestate.writer.TradeUpdateEvent;
import io.tradestate.writer.state.BalanceEntry;
import io.tradestate.writer.state.OrderEntry;
import io.tradestate.writer.state.PairLockEntry;
import io.tradestate.writer.state.StateEntryList;
import io.tradestate.writer.state.TradeEntry;
import io.tradestate.writer.state.TradeStateView;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.NanoClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The state publisher against real journals and real Chronicle Map files, read back through {@link TradeStateView}:
 * what the maps hold after each kind of event, freqtrade's pair lock rules, retention of closed entries, and a
 * restart that rebuilds the same state in a new generation.
 */
class StatePublisherTest
{
    private static final long NOW_MS = System.currentTimeMillis();

    @TempDir
    Path root;

    private final MutableClock clock = new MutableClock();
    private TradeJournal journal;
    private StatePublisherAgent publisher;
    private TradeStateView view;

    @BeforeEach
    void openJournal()
    {
        clock.timeMs = NOW_MS;
        journal = TradeJournal.open(new JournalContext()
            .journalRoot(root.resolve("journal")).sourceId("strategy-a").heartbeatIntervalMs(0));
    }

    @AfterEach
    void close()
    {
        if (null != view)
        {
            view.close();
        }
        if (null != publisher)
        {
            publisher.onClose();
        }
        journal.close();
    }

    @Test
    void shouldPublishTheLatestStateOfEachOrderTradeAndBalance()
    {
        appendOrder("o-1", OrderStatus.OPEN, 0, 7);
        appendOrder("o-1", OrderStatus.PARTIALLY_FILLED, 5, 7);
        appendOrder("o-2", OrderStatus.OPEN, 0, 8);
        appendTrade(7, true, "quoted \"reason\" é");
        journal.balanceUpdate().exchange("binance").asset("USDT").free(100, 0).used(5, 1).total(150, 0).commit();
        journal.balanceUpdate().exchange("binance").asset("USDT").free(90, 0).used(6, 1).total(150, 0).commit();

        startPublisher();
        final OrderEntry order = new OrderEntry();
        assertEquals(TradeStateView.FOUND, view.order("binance", "o-1", order));
        final OrderUpdateDecoder decoder = order.decoder();
        assertEquals(OrderStatus.PARTIALLY_FILLED, decoder.status());
        assertEquals(5, decoder.filled().mantissa());
        assertEquals(-3, decoder.filled().exponent());
        assertEquals(7, decoder.tradeId());
        assertTrue(order.sourceIdEquals("strategy-a"));
        assertEquals("strategy-a", order.sourceId());
        assertEquals(TradeStateView.NOT_FOUND, view.order("binance", "o-3", order));
        assertEquals(TradeStateView.NOT_FOUND, view.order("kraken", "o-1", order));

        final TradeEntry trade = new TradeEntry();
        assertEquals(TradeStateView.FOUND, view.trade("strategy-a", 7, trade));
        final TradeUpdateDecoder tradeDecoder = trade.decoder();
        assertEquals(BooleanType.TRUE, tradeDecoder.isOpen());
        assertEquals(TradingMode.FUTURES, tradeDecoder.tradingMode());
        assertEquals(6412350, tradeDecoder.openRate().mantissa());
        assertEquals("quoted \"reason\" é", tradeDecoder.exitReason());
        assertEquals("tag-7", tradeDecoder.enterTag());
        assertEquals(TradeStateView.NOT_FOUND, view.trade("strategy-b", 7, trade));

        final BalanceEntry balance = new BalanceEntry();
        assertEquals(TradeStateView.FOUND, view.balance("binance", "USDT", balance));
        assertEquals(90, balance.decoder().free().mantissa());
        assertEquals(6, balance.decoder().used().mantissa());

        final StateEntryList<OrderEntry> orders = new StateEntryList<>(OrderEntry::new);
        assertEquals(2, view.openOrders("strategy-a", orders));
        assertEquals(1, view.openOrders("strategy-a", 8, orders));
        assertEquals(8, orders.get(0).decoder().tradeId());
        assertEquals(0, view.openOrders("strategy-b", orders));
        assertEquals(2, view.openOrders("strategy-a", "BTC/USDT", orders));
        assertEquals(0, view.openOrders("strategy-a", "ETH/USDT", orders));
        assertEquals(2, view.openOrders(null, "BTC/USDT", orders));
        final StateEntryList<TradeEntry> trades = new StateEntryList<>(TradeEntry::new);
        assertEquals(1, view.openTrades("strategy-a", trades));
        assertEquals(1, view.openTrades("strategy-a", "BTC/USDT", trades));
        assertEquals(0, view.openTrades("strategy-a", "BTC/USDC", trades));
        final StateEntryList<BalanceEntry> balances = new StateEntryList<>(BalanceEntry::new);
        assertEquals(1, view.balances(balances));
    }

    @Test
    void shouldFollowNewEventsAfterPublishing()
    {
        startPublisher();
        final OrderEntry order = new OrderEntry();
        assertEquals(TradeStateView.NOT_FOUND, view.order("binance", "o-9", order));

        appendOrder("o-9", OrderStatus.OPEN, 0, 1);
        drain();
        assertEquals(TradeStateView.FOUND, view.order("binance", "o-9", order));
        assertTrue(order.isOpen());

        appendOrder("o-9", OrderStatus.CLOSED, 7, 1);
        drain();
        assertEquals(TradeStateView.FOUND, view.order("binance", "o-9", order));
        assertFalse(order.isOpen());
        assertEquals(0, view.openOrders("strategy-a", new StateEntryList<>(OrderEntry::new)));
        assertEquals(2, publisher.takeAppliedLatencyNs().getTotalCount(), "append to visible, once per live event");
    }

    @Test
    void shouldListManyOpenOrdersAcrossSegmentsAndGrowTheList()
    {
        for (int i = 0; i < 300; i++)
        {
            appendOrder("many-" + i, i % 3 == 0 ? OrderStatus.CANCELED : OrderStatus.OPEN, 0, i % 10);
        }
        startPublisher();
        final StateEntryList<OrderEntry> orders = new StateEntryList<>(OrderEntry::new);
        assertEquals(200, view.openOrders("strategy-a", orders));
        assertEquals(0, publisher.takeAppliedLatencyNs().getTotalCount(), "a replay is not a latency");
        for (int i = 0; i < orders.size(); i++)
        {
            assertTrue(orders.get(i).isOpen());
        }
        assertEquals(20, view.openOrders("strategy-a", 4, orders));
    }

    @Test
    void shouldApplyFreqtradePairLockRules()
    {
        final long endMs = NOW_MS + 60_000;
        journal.pairLock().pair("ETH/USDT").side(LockSide.LONG).lockTimeMs(NOW_MS).lockEndTimeMs(endMs)
            .reason("stoploss guard").commit();
        journal.pairLock().pair("XRP/USDT").side(LockSide.ANY).lockTimeMs(NOW_MS).lockEndTimeMs(endMs)
            .reason("cooldown").commit();
        startPublisher();

        final PairLockEntry scratch = new PairLockEntry();
        assertLock(TradeStateView.LOCKED, "ETH/USDT", LockSide.LONG, NOW_MS, scratch);
        assertLock(TradeStateView.UNLOCKED, "ETH/USDT", LockSide.SHORT, NOW_MS, scratch);
        assertLock(TradeStateView.UNLOCKED, "ETH/USDT", LockSide.ANY, NOW_MS, scratch);
        assertLock(TradeStateView.UNLOCKED, "ETH/USDT", LockSide.LONG, endMs, scratch);
        assertLock(TradeStateView.LOCKED, "ETH/USDT", LockSide.LONG, endMs - 1, scratch);
        assertLock(TradeStateView.LOCKED, "XRP/USDT", LockSide.LONG, NOW_MS, scratch);
        assertLock(TradeStateView.LOCKED, "XRP/USDT", LockSide.SHORT, NOW_MS, scratch);
        assertLock(TradeStateView.LOCKED, "XRP/USDT", LockSide.ANY, NOW_MS, scratch);
        assertLock(TradeStateView.UNLOCKED, "BTC/USDT", LockSide.LONG, NOW_MS, scratch);
        assertEquals(TradeStateView.UNLOCKED,
            view.pairLockStatus("strategy-b", "ETH/USDT", LockSide.LONG, NOW_MS, scratch));

        journal.pairLock().pair("*").side(LockSide.SHORT).lockTimeMs(NOW_MS).lockEndTimeMs(endMs)
            .reason("global").commit();
        drain();
        assertLock(TradeStateView.LOCKED, "BTC/USDT", LockSide.SHORT, NOW_MS, scratch);
        assertLock(TradeStateView.UNLOCKED, "BTC/USDT", LockSide.LONG, NOW_MS, scratch);
        assertEquals(3, view.activePairLocks("strategy-a", NOW_MS, new StateEntryList<>(PairLockEntry::new)));

        journal.pairUnlock().pair("XRP/USDT").side(LockSide.LONG).commit();
        drain();
        assertLock(TradeStateView.LOCKED, "XRP/USDT", LockSide.LONG, NOW_MS, scratch);

        journal.pairUnlock().pair("XRP/USDT").side(LockSide.ANY).commit();
        drain();
        assertLock(TradeStateView.UNLOCKED, "XRP/USDT", LockSide.LONG, NOW_MS, scratch);
        assertLock(TradeStateView.UNLOCKED, "XRP/USDT", LockSide.ANY, NOW_MS, scratch);

        journal.pairUnlock().reason("global").commit();
        drain();
        assertLock(TradeStateView.UNLOCKED, "BTC/USDT", LockSide.SHORT, NOW_MS, scratch);
        assertLock(TradeStateView.LOCKED, "ETH/USDT", LockSide.LONG, NOW_MS, scratch);

        final StateEntryList<PairLockEntry> locks = new StateEntryList<>(PairLockEntry::new);
        assertEquals(1, view.activePairLocks("strategy-a", NOW_MS, locks));
        final PairLockEntry lock = locks.get(0);
        assertEquals("ETH/USDT", lock.pair(new StringBuilder()).toString());
        assertEquals(LockSide.LONG, lock.side());
        assertEquals(1, lock.lockCount());
        assertEquals("stoploss guard", lock.reason(0));
        assertEquals(endMs, lock.lockEndTimeMs(0));
    }

    @Test
    void shouldLockAndUnlockThroughFreqtradesCalls()
    {
        final long untilMs = System.currentTimeMillis() + 600_000;
        journal.lockPair("ETH/USDT", untilMs, "cooldown", LockSide.LONG);
        journal.lockPair("BTC/USDT", untilMs, null, LockSide.ANY);
        journal.lockPair("*", untilMs, "daily loss", LockSide.SHORT);
        startPublisher();
        final long nowMs = System.currentTimeMillis();
        final PairLockEntry scratch = new PairLockEntry();
        assertLock(TradeStateView.LOCKED, "ETH/USDT", LockSide.LONG, nowMs, scratch);
        assertLock(TradeStateView.LOCKED, "BTC/USDT", LockSide.SHORT, nowMs, scratch);
        assertLock(TradeStateView.LOCKED, "XRP/USDT", LockSide.SHORT, nowMs, scratch);

        journal.unlockPair("BTC/USDT", LockSide.ANY);
        journal.unlockReason("cooldown");
        drain();
        assertLock(TradeStateView.UNLOCKED, "ETH/USDT", LockSide.LONG, nowMs, scratch);
        assertLock(TradeStateView.UNLOCKED, "BTC/USDT", LockSide.LONG, nowMs, scratch);
        assertLock(TradeStateView.LOCKED, "BTC/USDT", LockSide.SHORT, nowMs, scratch);

        journal.unlockReason("daily loss");
        drain();
        assertLock(TradeStateView.UNLOCKED, "BTC/USDT", LockSide.SHORT, nowMs, scratch);
    }

    @Test
    void shouldHoldALockForAllSourcesForEverySourceUntilTheSourceThatTookItUnlocksIt()
    {
        final long endMs = NOW_MS + 60_000;
        final PairLockEntry scratch = new PairLockEntry();
        try (TradeJournal risk = TradeJournal.open(new JournalContext()
            .journalRoot(root.resolve("journal")).sourceId("risk").heartbeatIntervalMs(0)))
        {
            journal.pairLock().pair("ETH/USDT").side(LockSide.LONG).lockTimeMs(NOW_MS).lockEndTimeMs(endMs)
                .reason("own").commit();
            risk.pairLock().pair("BTC/USDT").side(LockSide.ANY).lockTimeMs(NOW_MS).lockEndTimeMs(endMs)
                .reason("volatile").allSources(true).commit();
            risk.pairLock().pair("*").side(LockSide.SHORT).lockTimeMs(NOW_MS).lockEndTimeMs(endMs)
                .reason("news").allSources(true).commit();
            startPublisher();

            for (final String source : new String[] { "strategy-a", "strategy-b", "risk" })
            {
                assertEquals(TradeStateView.LOCKED, view.pairLockStatus(source, "BTC/USDT", LockSide.LONG, NOW_MS,
                    scratch), source);
                assertEquals(TradeStateView.LOCKED, view.pairLockStatus(source, "BTC/USDT", LockSide.ANY, NOW_MS,
                    scratch), source);
                assertEquals(TradeStateView.LOCKED, view.pairLockStatus(source, "SOL/USDT", LockSide.SHORT, NOW_MS,
                    scratch), source + ": the '*' pair lock for all sources");
                assertEquals(TradeStateView.UNLOCKED, view.pairLockStatus(source, "SOL/USDT", LockSide.LONG, NOW_MS,
                    scratch), source);
                assertEquals(TradeStateView.UNLOCKED, view.pairLockStatus(source, "BTC/USDT", LockSide.LONG, endMs,
                    scratch), source + ": ended");
            }
            assertEquals(TradeStateView.UNLOCKED,
                view.pairLockStatus("strategy-b", "ETH/USDT", LockSide.LONG, NOW_MS, scratch), "a's own lock");

            final StateEntryList<PairLockEntry> locks = new StateEntryList<>(PairLockEntry::new);
            assertEquals(3, view.activePairLocks("strategy-a", NOW_MS, locks));
            assertEquals(2, view.activePairLocks("strategy-b", NOW_MS, locks));
            for (int i = 0; i < locks.size(); i++)
            {
                assertTrue(locks.get(i).isForAllSources());
                assertEquals("risk", locks.get(i).lockSourceId(0, new StringBuilder()).toString());
            }

            journal.unlockPair("BTC/USDT", LockSide.ANY);
            journal.unlockReason("volatile");
            drain();
            assertEquals(TradeStateView.LOCKED, view.pairLockStatus("strategy-a", "BTC/USDT", LockSide.LONG, NOW_MS,
                scratch), "another source's unlocks do not end a lock it did not take");

            journal.pairLock().pair("BTC/USDT").side(LockSide.ANY).lockTimeMs(NOW_MS).lockEndTimeMs(endMs)
                .reason("a's too").allSources(true).commit();
            risk.unlockPair("BTC/USDT", LockSide.ANY);
            drain();
            assertEquals(TradeStateView.LOCKED, view.pairLockStatus("strategy-b", "BTC/USDT", LockSide.LONG, NOW_MS,
                scratch), "risk's unlock ends risk's lock, not a's lock for all sources");
            assertEquals(1, scratch.lockCount());
            assertEquals("strategy-a", scratch.lockSourceId(0, new StringBuilder()).toString());
            assertEquals("a's too", scratch.reason(0));

            journal.unlockReason("a's too");
            risk.unlockReason("news");
            drain();
            assertEquals(TradeStateView.UNLOCKED, view.pairLockStatus("strategy-b", "BTC/USDT", LockSide.LONG, NOW_MS,
                scratch));
            assertEquals(TradeStateView.UNLOCKED, view.pairLockStatus("strategy-b", "SOL/USDT", LockSide.SHORT, NOW_MS,
                scratch));
            assertEquals(TradeStateView.LOCKED, view.pairLockStatus("strategy-a", "ETH/USDT", LockSide.LONG, NOW_MS,
                scratch), "a's own lock is untouched");
            assertEquals(0, view.activePairLocks("strategy-b", NOW_MS, locks));
        }
    }

    @Test
    void shouldAskTheKeysOfAllSourcesOnlyUntilTheLatestEndOfTheirLocksEvenWhenSeededFromTheSnapshot() throws Exception
    {
        final long endMs = NOW_MS + 60_000;
        final PairLockEntry scratch = new PairLockEntry();
        final Path mapsDir = root.resolve("state").resolve("maps");
        try (TradeJournal risk = TradeJournal.open(new JournalContext()
            .journalRoot(root.resolve("journal")).sourceId("risk").heartbeatIntervalMs(0)))
        {
            journal.pairLock().pair("ETH/USDT").side(LockSide.ANY).lockTimeMs(NOW_MS).lockEndTimeMs(endMs + 5_000)
                .reason("own, later").commit();
            startPublisher();
            assertEquals(0, allSourcesLockEndMs(mapsDir), "no lock for all sources yet");

            risk.pairLock().pair("BTC/USDT").side(LockSide.ANY).lockTimeMs(NOW_MS).lockEndTimeMs(endMs - 1_000)
                .reason("volatile").allSources(true).commit();
            risk.pairLock().pair("SOL/USDT").side(LockSide.LONG).lockTimeMs(NOW_MS).lockEndTimeMs(endMs)
                .reason("news").allSources(true).commit();
            drain();
            assertEquals(endMs, allSourcesLockEndMs(mapsDir), "raised to the latest end");
            risk.unlockReason("news");
            drain();
            assertEquals(endMs, allSourcesLockEndMs(mapsDir), "an unlock does not lower it");
            assertEquals(TradeStateView.LOCKED,
                view.pairLockStatus("strategy-a", "BTC/USDT", LockSide.LONG, NOW_MS, scratch));
            assertEquals(TradeStateView.UNLOCKED,
                view.pairLockStatus("strategy-a", "SOL/USDT", LockSide.LONG, NOW_MS, scratch));

            // The next start seeds the maps from the snapshot, not the journals, with the pointer made anew.
            assertTrue(publisher.snapshotsWritten() > 0, "a snapshot was written");
            view.close();
            view = null;
            publisher.onClose();
            publisher = null;
            assertTrue(Files.deleteIfExists(mapsDir.resolve(StatePointer.FILE_NAME)));
            startPublisher();
            assertEquals(0, publisher.eventsApplied(), "seeded from the snapshot, no event replayed");
            assertEquals(endMs - 1_000, allSourcesLockEndMs(mapsDir), "raised from the seeded locks");
            assertEquals(TradeStateView.LOCKED,
                view.pairLockStatus("strategy-b", "BTC/USDT", LockSide.LONG, NOW_MS, scratch));
            assertEquals(TradeStateView.UNLOCKED,
                view.pairLockStatus("strategy-b", "BTC/USDT", LockSide.LONG, endMs - 1_000, scratch), "ended");
            assertEquals(TradeStateView.LOCKED,
                view.pairLockStatus("strategy-a", "ETH/USDT", LockSide.LONG, endMs, scratch), "its own, still");
        }
    }

    @Test
    void shouldKeepTheEightLocksThatEndLastOfOnePairAndSide()
    {
        // Ends: 5, 1, 5, 9, 3, 5, 7, 2, 5, 8, 4 minutes from now. Kept: the 8 latest ends, ties to the earliest lock,
        // as the table is read by StateMapsVerifier; dropped: the ends 1, 2, 3 minutes.
        final long[] endMinutes = { 5, 1, 5, 9, 3, 5, 7, 2, 5, 8, 4 };
        for (final long minutes : endMinutes)
        {
            journal.pairLock().pair("*").side(LockSide.LONG).lockTimeMs(NOW_MS)
                .lockEndTimeMs(NOW_MS + minutes * 60_000).reason("m" + minutes).commit();
        }
        startPublisher();
        final StateEntryList<PairLockEntry> locks = new StateEntryList<>(PairLockEntry::new);
        assertEquals(1, view.activePairLocks("strategy-a", NOW_MS, locks));
        final PairLockEntry lock = locks.get(0);
        assertEquals(8, lock.lockCount());
        long keptMinutes = 0;
        for (int slot = 0; slot < lock.lockCount(); slot++)
        {
            keptMinutes += (lock.lockEndTimeMs(slot) - NOW_MS) / 60_000;
        }
        assertEquals(5 + 5 + 9 + 5 + 7 + 5 + 8 + 4, keptMinutes);

        journal.pairLock().pair("*").side(LockSide.LONG).lockTimeMs(NOW_MS).lockEndTimeMs(NOW_MS + 4 * 60_000)
            .reason("tie").commit();
        drain();
        assertEquals(1, view.activePairLocks("strategy-a", NOW_MS, locks));
        for (int slot = 0; slot < locks.get(0).lockCount(); slot++)
        {
            assertFalse("tie".equals(locks.get(0).reason(slot)), "a later lock ending with the earliest is dropped");
        }
    }

    @Test
    void shouldDropTheLatestOfLocksEndingTogetherFirst()
    {
        final String[] reasons = { "two", "three-first", "three-second", "nine", "nine", "nine", "nine", "nine",
            "ten", "ten" };
        final long[] endMinutes = { 2, 3, 3, 9, 9, 9, 9, 9, 10, 10 };
        for (int i = 0; i < reasons.length; i++)
        {
            journal.pairLock().pair("SOL/USDT").side(LockSide.SHORT).lockTimeMs(NOW_MS)
                .lockEndTimeMs(NOW_MS + endMinutes[i] * 60_000).reason(reasons[i]).commit();
        }
        startPublisher();
        final StateEntryList<PairLockEntry> locks = new StateEntryList<>(PairLockEntry::new);
        assertEquals(1, view.activePairLocks("strategy-a", NOW_MS, locks));
        boolean firstKept = false;
        for (int slot = 0; slot < locks.get(0).lockCount(); slot++)
        {
            final String reason = locks.get(0).reason(slot);
            assertFalse("two".equals(reason) || "three-second".equals(reason), reason + " should have been dropped");
            firstKept |= "three-first".equals(reason);
        }
        assertTrue(firstKept, "of two locks ending together, the earlier one is kept");
    }

    @Test
    void shouldLetClosedEntriesGoAfterTheRetention()
    {
        appendOrder("gone", OrderStatus.CLOSED, 7, 1);
        appendOrder("open", OrderStatus.OPEN, 0, 1);
        appendTrade(1, false, "roi");
        appendTrade(2, true, "");
        startPublisher();
        final OrderEntry order = new OrderEntry();
        final TradeEntry trade = new TradeEntry();
        assertEquals(TradeStateView.FOUND, view.order("binance", "gone", order));
        assertEquals(TradeStateView.FOUND, view.trade("strategy-a", 1, trade));

        clock.timeMs += TimeUnit.HOURS.toMillis(1) + TimeUnit.SECONDS.toMillis(5);
        drain();
        assertEquals(TradeStateView.NOT_FOUND, view.order("binance", "gone", order));
        assertEquals(TradeStateView.NOT_FOUND, view.trade("strategy-a", 1, trade));
        assertEquals(TradeStateView.FOUND, view.order("binance", "open", order));
        assertEquals(TradeStateView.FOUND, view.trade("strategy-a", 2, trade));
    }

    @Test
    void shouldRebuildTheSameStateInANewGenerationAfterARestart() throws Exception
    {
        for (int i = 0; i < 50; i++)
        {
            appendOrder("r-" + (i % 20), i < 20 ? OrderStatus.OPEN : OrderStatus.PARTIALLY_FILLED, i, i);
        }
        startPublisher();
        final long first = view.generation();
        final OrderEntry before = new OrderEntry();
        assertEquals(TradeStateView.FOUND, view.order("binance", "r-3", before));

        publisher.onClose();
        publisher = new StatePublisherAgent(context(), clock, clock);
        publisher.onStart();
        drain();
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (view.generation() == first && System.nanoTime() < deadlineNs)
        {
            Thread.sleep(10);
        }
        assertEquals(first + 1, view.generation());
        final OrderEntry after = new OrderEntry();
        assertEquals(TradeStateView.FOUND, view.order("binance", "r-3", after));
        assertEquals(before.queueIndex(), after.queueIndex());
        assertEquals(43, after.decoder().filled().mantissa());
        assertFalse(Files.exists(root.resolve("state").resolve("maps").resolve("gen-" + first)),
            "the old generation is deleted once the new one is published");
    }

    private static long allSourcesLockEndMs(final Path mapsDir)
    {
        final StatePointer pointer = StatePointer.openForRead(mapsDir);
        try
        {
            return pointer.allSourcesLockEndMs();
        }
        finally
        {
            pointer.close();
        }
    }

    private void assertLock(
        final int expected, final String pair, final LockSide side, final long nowMs, final PairLockEntry scratch)
    {
        assertEquals(expected, view.pairLockStatus("strategy-a", pair, side, nowMs, scratch),
            pair + " " + side + " at " + nowMs);
    }

    private void appendOrder(final String orderId, final OrderStatus status, final long filled, final long tradeId)
    {
        journal.orderUpdate()
            .exchange("binance").symbol("BTC/USDT").orderId(orderId).clientOrderId("c-" + orderId).tradeId(tradeId)
            .side(Side.BUY).orderType(OrderType.LIMIT).status(status).price(6412350, -2)
            .amount(50, -3).filled(filled, -3).remaining(50 - filled, -3).exchangeTimeMs(NOW_MS)
            .commit();
    }

    private void appendTrade(final long tradeId, final boolean open, final String exitReason)
    {
        final TradeUpdateEvent event = journal.tradeUpdate()
            .tradeId(tradeId).openTimeMs(NOW_MS).strategy("momentum").exchange("binance")
            .pair("BTC/USDT").isShort(false).tradingMode(TradingMode.FUTURES).leverage(3, 0)
            .openRate(6412350, -2).amount(15, -3).stakeAmount(32061750, -5).isOpen(open)
            .exitReason(exitReason).enterTag("tag-" + tradeId);
        if (!open)
        {
            event.closeRate(6500000, -2).closeTimeMs(NOW_MS + 1_000);
        }
        event.commit();
    }

    private ReaderContext context()
    {
        return ReaderContext.load(null, Map.of())
            .set(ReaderConfiguration.JOURNAL_ROOT, root.resolve("journal").toString())
            .set(ReaderConfiguration.STATE_DIR, root.resolve("state").toString())
            .set(ReaderConfiguration.STATE_ORDERS_ENTRIES, "10000")
            .set(ReaderConfiguration.STATE_TRADES_ENTRIES, "1000")
            .set(ReaderConfiguration.STATE_PAIR_LOCKS_ENTRIES, "1000")
            .set(ReaderConfiguration.STATE_BALANCES_ENTRIES, "1000")
            .conclude();
    }

    private void startPublisher()
    {
        publisher = new StatePublisherAgent(context(), clock, clock);
        publisher.onStart();
        drain();
        assertTrue(publisher.publishedGeneration() > 0, "published");
        view = TradeStateView.open(root.resolve("state"));
        assertTrue(view.awaitAvailable(30_000), "view available");
    }

    /**
     * Run the publisher until it has applied everything appended so far and swept once (a segment at a time).
     */
    private void drain()
    {
        clock.timeMs += 2_000;
        for (int i = 0; i < 20; i++)
        {
            publisher.doWork();
        }
        for (int i = 0; i < 1_000 && publisher.doWork() > 0; i++)
        {
            // the rest of the sweep round
        }
    }

    /**
     * The test's time, for both the wall clock and the monotonic one the publisher's schedules run on: they move
     * together but, as on a real host, from different origins, so that a schedule set from one and compared with the
     * other never comes due.
     */
    private static final class MutableClock implements EpochClock, NanoClock
    {
        private static final long MONOTONIC_ORIGIN_MS = NOW_MS - 12_345_678L;

        private long timeMs;

        public long time()
        {
            return timeMs;
        }

        public long nanoTime()
        {
            return TimeUnit.MILLISECONDS.toNanos(timeMs - MONOTONIC_ORIGIN_MS);
        }
    }
}
