package io.tradestate.writer;

import io.tradestate.codecs.EventOrigin;
import io.tradestate.codecs.Liquidity;
import io.tradestate.codecs.LockSide;
import io.tradestate.codecs.OrderStatus;
import io.tradestate.codecs.OrderType;
import io.tradestate.codecs.Side;
import io.tradestate.codecs.TimeInForce;
import io.tradestate.codecs.TradingMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The append path allocates nothing: after warm-up, a million appends of each event type on one thread, counted by
 * the thread's allocated-bytes counter in stretches of 10,000. A stretch must read 0 bytes unless Chronicle changed
 * its file structure in it: the appender's data or index bytes moved to a new mapped block, it rolled to a new cycle
 * file, or it started a new secondary index array (every 2^20 appends with {@code FAST_DAILY}). Over the whole run,
 * at most 0.01 byte per append. The warm-up crosses a block and an index array, so that the JIT has compiled those
 * rare paths too. Each measured journal is opened with the journal's own warm-up at open (off in test JVMs by
 * default), so that the appends after it are covered; and {@link TradeJournal#keepWarm()}, rehearsing at every call
 * each of the six event types in turn, and {@link TradeJournal#rehearse(Runnable)} of the test's own append code
 * allocate nothing either. Every other order update, fill and balance carries the version-2 fields of a
 * reconciliation ({@code origin}, {@code reconcileTimeMs}), and every other pair lock is for all sources.
 */
class TradeJournalAllocationTest
{
    private static final int WARM_UP_APPENDS = 1_200_000;
    private static final int MEASURED_APPENDS = 1_000_000;
    private static final int STRETCH = 10_000;
    private static final String[] SYMBOLS = { "BTC/USDT", "ETH/USDT:USDT", "SOL/USDC", "XRP/BTC" };
    private static final String[] ORDER_IDS =
    {
        "8389765", "OQCLML-BW3P3-BUCMWZ", "b2a1c3d4-0000-4f5e-8a9b-1c2d3e4f5a6b",
    };

    private final com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
    private final StringBuilder reason = new StringBuilder();

    @TempDir
    Path root;

    private TradeJournal journal;
    private int rehearsedType;
    private int rehearsedVariant;
    private final Runnable rehearsedAppend = () -> append(rehearsedType, rehearsedVariant);

    /**
     * Warm the JIT up on every event type first, mixed, as a strategy would: without it the first test to run
     * measures Chronicle's code while it is still being recompiled, and deoptimisation briefly brings back
     * allocations that escape analysis had removed.
     */
    @BeforeAll
    static void warmUpEveryEventType(@TempDir final Path warmUpRoot)
    {
        final TradeJournalAllocationTest warmUp = new TradeJournalAllocationTest();
        warmUp.journal = TradeJournal.open(new JournalContext().journalRoot(warmUpRoot).sourceId("warm-up")
            .heartbeatIntervalMs(0).keepWarmIntervalUs(0));
        try
        {
            for (int i = 0; i < WARM_UP_APPENDS * 2; i++)
            {
                warmUp.append(i % 9, i);
            }
        }
        finally
        {
            warmUp.journal.close();
        }
    }

    @BeforeEach
    void open()
    {
        journal = TradeJournal.open(new JournalContext().journalRoot(root).sourceId("alloc").heartbeatIntervalMs(0)
            .warmUpAppends(JournalConfiguration.WARM_UP_APPENDS_DEFAULT).keepWarmIntervalUs(0));
        assertTrue(journal.warmUpNs() > 0, "the journal warmed up at open");
    }

    @AfterEach
    void close()
    {
        journal.close();
    }

    @Test
    void shouldNotAllocateWhenAppendingOrderUpdates()
    {
        assertNoAllocation(0);
    }

    @Test
    void shouldNotAllocateWhenAppendingFills()
    {
        assertNoAllocation(1);
    }

    @Test
    void shouldNotAllocateWhenAppendingTradeUpdates()
    {
        assertNoAllocation(2);
    }

    @Test
    void shouldNotAllocateWhenAppendingPairLocks()
    {
        assertNoAllocation(3);
    }

    @Test
    void shouldNotAllocateWhenAppendingPairUnlocks()
    {
        assertNoAllocation(4);
    }

    @Test
    void shouldNotAllocateWhenAppendingBalanceUpdates()
    {
        assertNoAllocation(5);
    }

    @Test
    void shouldNotAllocateWhenAppendingHeartbeats()
    {
        assertNoAllocation(6);
    }

    @Test
    void shouldNotAllocateWhenKeepingWarm()
    {
        assertNoAllocation(7);
    }

    @Test
    void shouldNotAllocateWhenRehearsingTheStrategysOwnCode()
    {
        assertNoAllocation(8);
    }

    private void assertNoAllocation(final int eventType)
    {
        assertTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
        final long calibration = allocatedBytes();
        assertEquals(0, allocatedBytes() - calibration, "the counter itself must not allocate");

        for (int i = 0; i < WARM_UP_APPENDS; i++)
        {
            append(eventType, i);
        }

        final long appendsPerIndexArray = (long)journal.context().rollCycle().defaultIndexCount() *
            journal.context().rollCycle().defaultIndexSpacing();
        long totalBytes = 0;
        int stretchesWithNewMapping = 0;
        final StringBuilder failures = new StringBuilder();
        for (int stretch = 0; stretch < MEASURED_APPENDS / STRETCH; stretch++)
        {
            final JournalWriter writer = journal.writerOfThisThread();
            final Object blockBefore = writer.appenderBytes().bytesStore();
            final Object indexBlockBefore = writer.indexBytes().bytesStore();
            final int cycleBefore = writer.cycle();
            final long before = allocatedBytes();
            long firstIndex = Long.MIN_VALUE;
            long lastIndex = Long.MIN_VALUE;
            for (int i = 0; i < STRETCH; i++)
            {
                lastIndex = append(eventType, WARM_UP_APPENDS + stretch * STRETCH + i);
                if (Long.MIN_VALUE == firstIndex)
                {
                    firstIndex = lastIndex;
                }
            }
            final long allocated = allocatedBytes() - before;
            final long firstSequence = journal.context().rollCycle().toSequenceNumber(firstIndex);
            final long lastSequence = journal.context().rollCycle().toSequenceNumber(lastIndex);
            final boolean newMapping = writer.appenderBytes().bytesStore() != blockBefore ||
                writer.indexBytes().bytesStore() != indexBlockBefore ||
                writer.cycle() != cycleBefore ||
                firstSequence / appendsPerIndexArray != lastSequence / appendsPerIndexArray;
            totalBytes += allocated;
            if (newMapping)
            {
                stretchesWithNewMapping++;
            }
            else if (0 != allocated)
            {
                failures.append("stretch ").append(stretch).append(" allocated ").append(allocated).append(" B; ");
            }
        }

        final double bytesPerAppend = (double)totalBytes / MEASURED_APPENDS;
        System.out.printf(
            "event type %d: %d B over %d appends (%.5f B/append), %d stretches mapped a new block%n",
            eventType, totalBytes, MEASURED_APPENDS, bytesPerAppend, stretchesWithNewMapping);
        assertEquals("", failures.toString(), "stretches that mapped no new block must not allocate");
        assertTrue(bytesPerAppend <= 0.01, "allocated " + bytesPerAppend + " B per append");
    }

    private long allocatedBytes()
    {
        return threads.getCurrentThreadAllocatedBytes();
    }

    private long append(final int eventType, final int i)
    {
        final String symbol = SYMBOLS[i & 3];
        final String orderId = ORDER_IDS[i % 3];
        switch (eventType)
        {
            case 0:
                final OrderUpdateEvent order = journal.orderUpdate()
                    .exchange("binance").symbol(symbol).orderId(orderId).clientOrderId("strategy-a-1")
                    .tradeId(i).side(Side.BUY).orderType(OrderType.LIMIT).timeInForce(TimeInForce.GTC)
                    .status(OrderStatus.PARTIALLY_FILLED).price(6412350 + i, -2).amount(15, -3).filled(5, -3)
                    .remaining(10, -3).average(6412350, -2).cost(32061750, -5).feeCost(-3, -6).feeCurrency("USDT")
                    .leverage(3, 0).exchangeTimeMs(1_700_000_000_000L + i).receiveTimeNs(1_700_000_000_000_000_000L);
                if (0 == (i & 1))
                {
                    order.origin(EventOrigin.RECONCILIATION).reconcileTimeMs(1_700_000_100_000L + i);
                }
                return order.commit();

            case 1:
                final FillEvent fill = journal.fill()
                    .exchange("bybit").symbol(symbol).fillId(orderId).orderId(orderId).tradeId(i)
                    .side(Side.SELL).liquidity(Liquidity.MAKER).price(i, -4).amount(1, 0).feeCost(1, -8)
                    .feeCurrency("BTC").exchangeTimeMs(1_700_000_000_000L + i);
                if (0 == (i & 1))
                {
                    fill.origin(EventOrigin.RECONCILIATION).reconcileTimeMs(1_700_000_100_000L + i);
                }
                return fill.commit();

            case 2:
                reason.setLength(0);
                reason.append("trailing_stop_loss ").append(i & 0xFF);
                return journal.tradeUpdate()
                    .tradeId(i).openTimeMs(1_700_000_000_000L).strategy("momentum").exchange("okx").pair(symbol)
                    .stakeCurrency("USDT").isShort(true).isOpen(false).tradingMode(TradingMode.FUTURES)
                    .leverage(5, 0).openRate(2_000_12, -2).amount(3, 0).stakeAmount(1200, 0).stopLoss(2100, 0)
                    .stopLossPct(-5, -2).initialStopLoss(2100, 0).initialStopLossPct(-5, -2).maxRate(2010, 0)
                    .minRate(1890, 0).closeRate(1900, 0).closeTimeMs(1_700_000_360_000L).liquidationPrice(2400, 0)
                    .interestRate(0, 0).fundingFees(-1234, -4).feeOpen(5, -4).feeClose(5, -4)
                    .realizedProfit(29877, -2).exitReason(reason).enterTag("breakout")
                    .commit();

            case 3:
                return journal.pairLock()
                    .pair(symbol).side(LockSide.LONG).lockTimeMs(1_700_000_000_000L)
                    .lockEndTimeMs(1_700_000_000_000L + i + 1).reason("cooldown after stop loss")
                    .allSources(0 == (i & 1)).commit();

            case 4:
                return journal.pairUnlock().pair(symbol).side(LockSide.ANY).commit();

            case 5:
                final BalanceUpdateEvent balance = journal.balanceUpdate()
                    .exchange("kraken").asset("USDT").free(i, -2).used(100, 0).total(10_000 + i, -2)
                    .exchangeTimeMs(1_700_000_000_000L);
                if (0 == (i & 1))
                {
                    balance.origin(EventOrigin.RECONCILIATION).reconcileTimeMs(1_700_000_100_000L + i);
                }
                return balance.commit();

            case 6:
                return journal.heartbeat();

            case 7:
                assertEquals(1, journal.keepWarm(), "with an interval of 0 every call rehearses");
                return append(i % 6, i);

            default:
                rehearsedType = i % 6;
                rehearsedVariant = i;
                assertEquals(1, journal.rehearse(rehearsedAppend), "with an interval of 0 every call rehearses");
                return append(i % 6, i);
        }
    }
}
