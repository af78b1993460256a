package io.tradestate.bench.jmh;

import io.tradestate.codecs.LockSide;
import io.tradestate.codecs.OrderStatus;
import io.tradestate.codecs.OrderType;
import io.tradestate.codecs.Side;
import io.tradestate.codecs.TimeInForce;
import io.tradestate.reader.BenchStatePublisher;
import io.tradestate.writer.JournalContext;
import io.tradestate.writer.TradeJournal;
import io.tradestate.writer.state.OrderEntry;
import io.tradestate.writer.state.PairLockEntry;
import io.tradestate.writer.state.TradeStateView;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * TradeState's lookups: {@link TradeStateView#order} and {@link TradeStateView#pairLockStatus} against Chronicle
 * Map files filled by the reader agent's real state publisher from a real journal: {@value #ORDERS} orders on five
 * exchanges (the {@link SampleEvents} order with its id varied), locks on half of {@value #PAIRS} pairs.
 * <p>
 * {@link #checkPairLock} runs as nearly always, with no lock for all sources in force: a pair check asks the source's
 * own keys alone. {@link #checkPairLockWhileALockForAllSourcesHolds} runs the same checks on the same state but for
 * one lock another source took for all sources (on a pair never asked about): every check then also asks the keys
 * of all sources, up to twice the lookups, with the same answers.
 * <p>
 * Each op looks up the next order (or pair) in turn, so consecutive lookups hit different entries and segments, as a
 * strategy's would; every order is found, and half the pair checks answer {@code LOCKED}. The publisher is idle
 * while the lookups run: lookups under a concurrent writer are the subject of the state maps' own tests, and a
 * second busy thread on two cores would measure the scheduler.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
@State(Scope.Thread)
public class TradeStateViewBenchmark
{
    static final int ORDERS = 4096;
    static final int PAIRS = 8;
    static final String[] EXCHANGES = { "binance", "bybit", "okx", "kraken", "coinbase" };

    private static final String[] PAIR_NAMES =
    {
        "BTC/USDT", "ETH/USDT", "SOL/USDT", "XRP/USDT", "DOGE/USDT", "ADA/USDT", "AVAX/USDT", "LINK/USDT",
    };

    private final String[] orderExchanges = new String[ORDERS];
    private final String[] orderIds = new String[ORDERS];
    private final OrderEntry order = new OrderEntry();
    private final PairLockEntry lockScratch = new PairLockEntry();
    private Path root;
    private BenchStatePublisher publisher;
    private TradeStateView view;
    private long nowMs;
    private int next;

    /**
     * Append the orders and locks to a journal, publish them with the real publisher and open the view.
     */
    @Setup(Level.Trial)
    public void publishState()
    {
        publishState(false);
    }

    private void publishState(final boolean allSourcesLock)
    {
        root = BenchFiles.newFolder("view");
        nowMs = System.currentTimeMillis();
        final Path journalRoot = root.resolve("journal");
        try (TradeJournal journal = TradeJournal.open(new JournalContext()
            .journalRoot(journalRoot).sourceId(SampleEvents.SOURCE_ID).heartbeatIntervalMs(0)))
        {
            for (int i = 0; i < ORDERS; i++)
            {
                orderExchanges[i] = EXCHANGES[i % EXCHANGES.length];
                orderIds[i] = Long.toString(8_389_765_123L + i * 7L);
                journal.orderUpdate()
                    .exchange(orderExchanges[i]).symbol(PAIR_NAMES[i % PAIRS]).orderId(orderIds[i])
                    .clientOrderId(SampleEvents.CLIENT_ORDER_ID).tradeId(i / 2).side(Side.BUY)
                    .orderType(OrderType.LIMIT).timeInForce(TimeInForce.GTC).status(OrderStatus.PARTIALLY_FILLED)
                    .price(SampleEvents.PRICE_MANTISSA + i, SampleEvents.PRICE_EXPONENT)
                    .amount(SampleEvents.AMOUNT_MANTISSA, SampleEvents.AMOUNT_EXPONENT)
                    .filled(SampleEvents.FILLED_MANTISSA, SampleEvents.FILLED_EXPONENT)
                    .remaining(SampleEvents.REMAINING_MANTISSA, SampleEvents.REMAINING_EXPONENT)
                    .feeCost(SampleEvents.FEE_COST_MANTISSA, SampleEvents.FEE_COST_EXPONENT)
                    .feeCurrency(SampleEvents.FEE_CURRENCY).exchangeTimeMs(nowMs)
                    .commit();
            }
            for (int i = 0; i < PAIRS; i += 2)
            {
                journal.pairLock()
                    .pair(PAIR_NAMES[i]).side(LockSide.LONG).lockTimeMs(nowMs).lockEndTimeMs(nowMs + 3_600_000)
                    .reason("cooldown after stop loss")
                    .commit();
            }
        }
        if (allSourcesLock)
        {
            try (TradeJournal risk = TradeJournal.open(new JournalContext()
                .journalRoot(journalRoot).sourceId("risk").heartbeatIntervalMs(0)))
            {
                risk.lockPairForAllSources("PEPE/USDT", nowMs + 3_600_000, "volatility", LockSide.ANY);
            }
        }

        publisher = BenchStatePublisher.publish(journalRoot, root.resolve("state"),
            ORDERS + PAIRS / 2 + (allSourcesLock ? 1 : 0));
        view = TradeStateView.open(root.resolve("state"));
        if (!view.awaitAvailable(60_000))
        {
            throw new IllegalStateException("the view did not become available");
        }
        for (int i = 0; i < ORDERS; i++)
        {
            if (TradeStateView.FOUND != view.order(orderExchanges[i], orderIds[i], order))
            {
                throw new IllegalStateException("order " + orderIds[i] + " is missing from the maps");
            }
        }
    }

    /**
     * Close the view and the publisher, delete the journal and the maps.
     */
    @TearDown(Level.Trial)
    public void close()
    {
        if (null != view)
        {
            view.close();
        }
        if (null != publisher)
        {
            publisher.close();
        }
        BenchFiles.delete(root);
    }

    /**
     * Look up the next order and read its filled amount from the decoder.
     *
     * @return the filled mantissa, to the blackhole.
     */
    @Benchmark
    public long lookUpOrder()
    {
        final int i = next++ & (ORDERS - 1);
        if (TradeStateView.FOUND != view.order(orderExchanges[i], orderIds[i], order))
        {
            throw new IllegalStateException("order " + orderIds[i] + " not found");
        }
        return order.decoder().filled().mantissa();
    }

    /**
     * Check whether the next pair is locked for a long entry, with freqtrade's rules (a lock on the pair or on
     * {@code *}, on the side or on any side).
     *
     * @return {@code LOCKED} or {@code UNLOCKED}.
     */
    @Benchmark
    public int checkPairLock()
    {
        return view.pairLockStatus(SampleEvents.SOURCE_ID, PAIR_NAMES[next++ & (PAIRS - 1)], LockSide.LONG, nowMs,
            lockScratch);
    }

    /**
     * {@link #checkPairLock} while another source holds a lock for all sources.
     *
     * @param state the view with that lock published.
     * @return {@code LOCKED} or {@code UNLOCKED}.
     */
    @Benchmark
    public int checkPairLockWhileALockForAllSourcesHolds(final WithALockForAllSources state)
    {
        return state.view.checkPairLock();
    }

    /**
     * The same state and view as the benchmark's own, with one lock for all sources in force.
     */
    @State(Scope.Thread)
    public static class WithALockForAllSources
    {
        private final TradeStateViewBenchmark view = new TradeStateViewBenchmark();

        /**
         * Publish the state with the lock and open the view.
         */
        @Setup(Level.Trial)
        public void publishState()
        {
            view.publishState(true);
        }

        /**
         * Close the view and the publisher, delete the files.
         */
        @TearDown(Level.Trial)
        public void close()
        {
            view.close();
        }
    }
}
