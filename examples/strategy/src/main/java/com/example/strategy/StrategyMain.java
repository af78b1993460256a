package com.example.strategy;

import io.tradestate.codecs.Liquidity;
import io.tradestate.codecs.OrderStatus;
import io.tradestate.codecs.OrderType;
import io.tradestate.codecs.Side;
import io.tradestate.writer.JournalContext;
import io.tradestate.writer.TradeJournal;
import io.tradestate.writer.state.OrderEntry;
import io.tradestate.writer.state.OrderSnapshot;
import io.tradestate.writer.state.StrategySnapshot;
import io.tradestate.writer.state.TradeContinuity;
import io.tradestate.writer.state.TradeSnapshot;
import io.tradestate.writer.state.TradeStateView;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A strategy's use of TradeState in one page: it records an order, its first fill and the trade it opens, then reads
 * the live state back and restores what is open, as a restarted strategy does.
 * <pre>
 * java $(tradestate-jvm-flags) -cp ... com.example.strategy.StrategyMain &lt;journal-root&gt; [&lt;state-dir&gt;]
 * </pre>
 * The journal root is the reader agent's {@code journal.root}; the state folder its {@code state.dir}. Without a state
 * folder only the appends run.
 */
public final class StrategyMain
{
    private static final String SOURCE_ID = "example-1";
    private static final long TRADE_ID = 1;
    private static final long STATE_WAIT_MS = 10_000;

    private StrategyMain()
    {
    }

    /**
     * Append, then read back if a state folder is given.
     *
     * @param args the journal root, then optionally the state folder.
     * @throws InterruptedException if interrupted while waiting for the state.
     */
    public static void main(final String[] args) throws InterruptedException
    {
        final Path journalRoot = Path.of(args.length > 0 ? args[0] : "target/journal");
        final long orderIndex;

        // Opening warms the append path up (about a second) so that the first real event is fast.
        try (TradeJournal journal = TradeJournal.open(new JournalContext()
            .journalRoot(journalRoot)
            .sourceId(SOURCE_ID)))
        {
            orderIndex = journal.orderUpdate()
                .exchange("binance").symbol("BTC/USDT").orderId("8389765").clientOrderId("ex1-1").tradeId(TRADE_ID)
                .side(Side.BUY).orderType(OrderType.LIMIT).status(OrderStatus.OPEN)
                .price(6412350, -2).amount(20, -3).filled(0, 0).remaining(20, -3)   // 64123.50, 0.020
                .commit();                                                          // in the mapped file now

            journal.fill()
                .exchange("binance").symbol("BTC/USDT").fillId("f-1").orderId("8389765").tradeId(TRADE_ID)
                .side(Side.BUY).liquidity(Liquidity.MAKER).price(6412350, -2).amount(15, -3)
                .feeCost(96, -2).feeCurrency("USDT")
                .commit();

            journal.tradeUpdate()
                .tradeId(TRADE_ID).openTimeMs(System.currentTimeMillis()).strategy("example").exchange("binance")
                .pair("BTC/USDT").isShort(false).isOpen(true)
                .openRate(6412350, -2).amount(15, -3).stakeAmount(9618525, -4)
                .commit();

            System.out.println("appended an order, a fill and a trade to " + journalRoot.resolve(SOURCE_ID));
        }

        if (args.length > 1 && !args[1].isBlank())
        {
            readBack(Path.of(args[1]), orderIndex);
        }
    }

    private static void readBack(final Path stateDir, final long orderIndex) throws InterruptedException
    {
        try (TradeStateView view = TradeStateView.open(stateDir))
        {
            if (!view.awaitAvailable(STATE_WAIT_MS))
            {
                throw new IllegalStateException("no state published in " + stateDir + ": is the reader agent running?");
            }

            // The reader agent publishes an event within milliseconds of the append; wait for this run's order.
            final OrderEntry order = new OrderEntry();                              // reusable: lookups allocate nothing
            final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STATE_WAIT_MS);
            while (view.order("binance", "8389765", order) != TradeStateView.FOUND || order.queueIndex() < orderIndex)
            {
                if (System.nanoTime() - deadlineNs > 0)
                {
                    throw new IllegalStateException("order 8389765 not in the state after " + STATE_WAIT_MS + " ms");
                }
                Thread.sleep(10);
            }
            System.out.println("read back order 8389765: " + order.decoder().status() + ", open " + order.isOpen());

            final StrategySnapshot restored = TradeContinuity.fromView(view, SOURCE_ID, System.currentTimeMillis());
            System.out.printf("restored %d open trade(s), %d open order(s), %d pair lock(s)%n",
                restored.openTrades().size(), restored.openOrders().size(), restored.activeLocks().size());
            for (final TradeSnapshot trade : restored.openTrades())
            {
                System.out.printf("  trade %d %s %s at %s%n", trade.tradeId(), trade.pair(),
                    trade.amount().toPlainString(), trade.openRate().toPlainString());
                for (final OrderSnapshot open : restored.openOrdersOf(trade.tradeId()))
                {
                    System.out.printf("    order %s %s %s of %s%n", open.orderId(), open.status(),
                        open.remaining().toPlainString(), open.amount().toPlainString());
                }
            }
        }
    }
}
