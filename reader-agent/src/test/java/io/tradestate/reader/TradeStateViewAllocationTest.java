package io.tradestate.reader;

import io.tradestate.codecs.LockSide;
import io.tradestate.codecs.OrderStatus;
import io.tradestate.codecs.OrderType;
import io.tradestate.codecs.Side;
import io.tradestate.codecs.TradingMode;
import io.tradestate.reader.state.StatePublisherAgent;
import io.tradestate.writer.JournalContext;
import io.tradestate.writer.TradeJournal;
import io.tradestate.writer.state.BalanceEntry;
import io.tradestate.writer.state.OrderEntry;
import io.tradestate.writer.state.PairLockEntry;
import io.tradestate.writer.state.StateEntryList;
import io.tradestate.writer.state.TradeEntry;
import io.tradestate.writer.state.TradeStateView;
import org.agrona.concurrent.SystemEpochClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * State-map lookups allocate nothing: after warm-up, 200,000 lookups of each kind on one thread (orders, trades,
 * balances, pair lock checks that read up to four entries), counted by the thread's allocated-bytes counter, must
 * read 0 bytes, found and not found alike. Listings into a list that has grown to its size allocate nothing either.
 * Real Chronicle Map files, filled by the real publisher from a real journal. And a view closed while other threads
 * look up and list through it waits for them: before (issue 16, item 9), {@code close()} unmapped the files under a
 * listing in progress, which faulted (an {@link InternalError}, or the JVM's SIGBUS).
 */
class TradeStateViewAllocationTest
{
    private static final int ORDERS = 2_000;
    private static final int LOOKUPS = 200_000;
    private static final String[] ORDER_IDS = new String[ORDERS];
    private static final String[] EXCHANGES = { "binance", "kraken", "bybit", "okx", "coinbase" };
    private static final String[] ASSETS = { "USDT", "BTC", "ETH", "SOL", "XRP", "USDC", "BNB" };
    private static final String[] PAIRS = { "BTC/USDT", "ETH/USDT", "SOL/USDT", "XRP/USDT", "DOGE/USDT" };

    private static StatePublisherAgent publisher;
    private static TradeStateView view;
    private static Path stateDir;

    private final com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    @BeforeAll
    static void publish(@TempDir final Path root)
    {
        final long nowMs = System.currentTimeMillis();
        try (TradeJournal journal = TradeJournal.open(new JournalContext()
            .journalRoot(root.resolve("journal")).sourceId("alloc").heartbeatIntervalMs(0)))
        {
            for (int i = 0; i < ORDERS; i++)
            {
                ORDER_IDS[i] = "order-" + i;
                journal.orderUpdate()
                    .exchange(EXCHANGES[i % EXCHANGES.length]).symbol(PAIRS[i % PAIRS.length]).orderId(ORDER_IDS[i])
                    .tradeId(i % 100).side(Side.BUY).orderType(OrderType.LIMIT)
                    .status(i % 4 == 0 ? OrderStatus.CLOSED : OrderStatus.OPEN).price(6412350 + i, -2)
                    .amount(50, -3).filled(i % 4 == 0 ? 50 : 0, -3).remaining(i % 4 == 0 ? 0 : 50, -3).commit();
            }
            for (int i = 0; i < 100; i++)
            {
                journal.tradeUpdate()
                    .tradeId(i).openTimeMs(nowMs).strategy("alloc").exchange("binance").pair(PAIRS[i % PAIRS.length])
                    .tradingMode(TradingMode.SPOT).openRate(6412350, -2).amount(15, -3).stakeAmount(32061750, -5)
                    .isOpen(true).enterTag("tag").commit();
            }
            for (int i = 0; i < EXCHANGES.length * ASSETS.length; i++)
            {
                journal.balanceUpdate().exchange(EXCHANGES[i % EXCHANGES.length]).asset(ASSETS[i % ASSETS.length])
                    .free(i, 0).used(0, 0).total(i, 0).commit();
            }
            journal.pairLock().pair("ETH/USDT").side(LockSide.LONG).lockTimeMs(nowMs)
                .lockEndTimeMs(nowMs + 3_600_000).reason("cooldown").commit();
        }
        // Another source's lock for all sources, on a side never asked about: every pair check also asks its keys.
        try (TradeJournal risk = TradeJournal.open(new JournalContext()
            .journalRoot(root.resolve("journal")).sourceId("risk").heartbeatIntervalMs(0)))
        {
            risk.lockPairForAllSources("SOL/USDT", nowMs + 3_600_000, "volatility", LockSide.SHORT);
        }

        final ReaderContext context = ReaderContext.load(null, Map.of())
            .set(ReaderConfiguration.JOURNAL_ROOT, root.resolve("journal").toString())
            .set(ReaderConfiguration.STATE_DIR, root.resolve("state").toString())
            .set(ReaderConfiguration.STATE_ORDERS_ENTRIES, "10000")
            .set(ReaderConfiguration.STATE_TRADES_ENTRIES, "1000")
            .set(ReaderConfiguration.STATE_PAIR_LOCKS_ENTRIES, "1000")
            .set(ReaderConfiguration.STATE_BALANCES_ENTRIES, "1000")
            .conclude();
        publisher = new StatePublisherAgent(context, SystemEpochClock.INSTANCE);
        publisher.onStart();
        for (int i = 0; i < 10 && 0 == publisher.publishedGeneration(); i++)
        {
            publisher.doWork();
        }
        stateDir = root.resolve("state");
        view = TradeStateView.open(stateDir);
        assertTrue(view.awaitAvailable(30_000));
        assertEquals(TradeStateView.LOCKED, view.pairLockStatus("alloc", "SOL/USDT", LockSide.SHORT,
            System.currentTimeMillis(), new PairLockEntry()), "the lock for all sources is published");
    }

    @AfterAll
    static void close()
    {
        view.close();
        publisher.onClose();
    }

    @Test
    void shouldCloseWhileOtherThreadsLookUpWithoutUnmappingTheFilesUnderThem() throws Exception
    {
        final int readers = 2;
        for (int round = 0; round < 20; round++)
        {
            final TradeStateView closing = TradeStateView.open(stateDir);
            assertTrue(closing.awaitAvailable(30_000));
            final CountDownLatch reading = new CountDownLatch(readers);
            final AtomicBoolean closed = new AtomicBoolean();
            final List<Throwable> failures = new ArrayList<>();
            final List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < readers; i++)
            {
                final Thread thread = new Thread(() -> readUntilClosed(closing, reading, closed, failures));
                threads.add(thread);
                thread.start();
            }
            assertTrue(reading.await(30, TimeUnit.SECONDS));
            Thread.sleep(round % 5);
            closing.close();
            closed.set(true);
            for (final Thread thread : threads)
            {
                thread.join(TimeUnit.SECONDS.toMillis(30));
            }
            synchronized (failures)
            {
                assertEquals(List.of(), failures, "round " + round);
            }
            assertEquals(TradeStateView.UNAVAILABLE, closing.order("binance", ORDER_IDS[0], new OrderEntry()));
            assertEquals(0, closing.publishedGeneration());
        }
    }

    /**
     * List and look up through the view until it has been closed and says so.
     */
    private static void readUntilClosed(
        final TradeStateView closing, final CountDownLatch reading, final AtomicBoolean closed,
        final List<Throwable> failures)
    {
        final StateEntryList<OrderEntry> orders = new StateEntryList<>(OrderEntry::new);
        final OrderEntry order = new OrderEntry();
        try
        {
            reading.countDown();
            while (true)
            {
                final int listed = closing.openOrders("alloc", orders);
                final int found = closing.order("binance", ORDER_IDS[0], order);
                closing.publishedGeneration();
                if (TradeStateView.UNAVAILABLE == listed && TradeStateView.UNAVAILABLE == found && closed.get())
                {
                    return;
                }
                if ((TradeStateView.UNAVAILABLE != listed && ORDERS * 3 / 4 != listed) ||
                    (TradeStateView.UNAVAILABLE != found && TradeStateView.FOUND != found))
                {
                    throw new AssertionError(listed + " orders listed, lookup " + found);
                }
            }
        }
        catch (final Throwable ex)
        {
            synchronized (failures)
            {
                failures.add(ex);
            }
        }
    }

    @Test
    void shouldLookUpOrdersWithoutAllocating()
    {
        final OrderEntry order = new OrderEntry();
        final long found = measure(() -> lookUpOrders(order, LOOKUPS), () -> lookUpOrders(order, LOOKUPS));
        assertEquals(0, found, "bytes allocated by " + LOOKUPS + " order lookups");
    }

    @Test
    void shouldLookUpTradesBalancesAndLocksWithoutAllocating()
    {
        final TradeEntry trade = new TradeEntry();
        final BalanceEntry balance = new BalanceEntry();
        final PairLockEntry lock = new PairLockEntry();
        final long allocated = measure(() -> lookUpOthers(trade, balance, lock, LOOKUPS),
            () -> lookUpOthers(trade, balance, lock, LOOKUPS));
        assertEquals(0, allocated, "bytes allocated by " + LOOKUPS + " trade, balance and lock lookups");
    }

    @Test
    void shouldListOpenOrdersWithoutAllocatingOnceTheListHasGrown()
    {
        final StateEntryList<OrderEntry> orders = new StateEntryList<>(OrderEntry::new);
        final long allocated = measure(() -> list(orders, 300), () -> list(orders, 300));
        assertEquals(0, allocated, "bytes allocated by 300 listings of " + orders.size() + " open orders");
    }

    private long measure(final Runnable warmUp, final Runnable measured)
    {
        for (int i = 0; i < 5; i++)
        {
            warmUp.run();
        }
        long least = Long.MAX_VALUE;
        // The least of three runs: a JIT recompilation can briefly bring back an allocation escape analysis removed.
        for (int i = 0; i < 3; i++)
        {
            final long before = threads.getCurrentThreadAllocatedBytes();
            measured.run();
            least = Math.min(least, threads.getCurrentThreadAllocatedBytes() - before);
        }
        return least;
    }

    private static void lookUpOrders(final OrderEntry order, final int lookups)
    {
        long found = 0;
        for (int i = 0; i < lookups; i++)
        {
            final int n = i % (ORDERS + 100);
            final String orderId = n < ORDERS ? ORDER_IDS[n] : "missing";
            if (TradeStateView.FOUND == view.order(EXCHANGES[n % EXCHANGES.length], orderId, order))
            {
                found += order.decoder().price().mantissa() > 0 ? 1 : 0;
            }
        }
        if (found != lookups - lookups / (ORDERS + 100) * 100 - Math.max(0, lookups % (ORDERS + 100) - ORDERS))
        {
            throw new AssertionError("found " + found);
        }
    }

    private static void lookUpOthers(
        final TradeEntry trade, final BalanceEntry balance, final PairLockEntry lock, final int lookups)
    {
        final long nowMs = System.currentTimeMillis();
        int locked = 0;
        for (int i = 0; i < lookups; i++)
        {
            if (TradeStateView.FOUND != view.trade("alloc", i % 100, trade) ||
                TradeStateView.FOUND != view.balance(EXCHANGES[i % EXCHANGES.length], ASSETS[i % ASSETS.length],
                balance))
            {
                throw new AssertionError("missing trade or balance at " + i);
            }
            if (TradeStateView.LOCKED == view.pairLockStatus("alloc", PAIRS[i % PAIRS.length], LockSide.LONG, nowMs,
                lock))
            {
                locked++;
            }
        }
        if (locked != lookups / PAIRS.length)
        {
            throw new AssertionError("locked " + locked);
        }
    }

    private static void list(final StateEntryList<OrderEntry> orders, final int listings)
    {
        for (int i = 0; i < listings; i++)
        {
            if (ORDERS * 3 / 4 != view.openOrders("alloc", orders))
            {
                throw new AssertionError("listed " + orders.size());
            }
        }
    }
}
