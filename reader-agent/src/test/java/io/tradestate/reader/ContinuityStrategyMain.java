package io.tradestate.reader;

import io.tradestate.codecs.LockSide;
import io.tradestate.codecs.OrderStatus;
import io.tradestate.codecs.OrderType;
import io.tradestate.codecs.Side;
import io.tradestate.codecs.TimeInForce;
import io.tradestate.codecs.TradingMode;
import io.tradestate.writer.JournalContext;
import io.tradestate.writer.TradeJournal;
import io.tradestate.writer.state.StrategySnapshot;
import io.tradestate.writer.state.TradeContinuity;
import io.tradestate.writer.state.TradeStateView;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A strategy in a child JVM. {@code trade <journal-root> <source> <seed>} trades until it is killed: trades opened
 * by a partially then fully filled entry order, some left with an open order, others closed by an exit order, stop
 * losses moved, pairs locked and unlocked. {@code restore <state-dir> <source> <now-ms>} is the strategy restarted:
 * it gets its state back through {@link TradeContinuity#fromView} and prints {@code RESTORED} with the counts and a
 * digest of the snapshot.
 */
final class ContinuityStrategyMain
{
    private static final String[] PAIRS =
    {
        "BTC/USDT", "ETH/USDT", "SOL/USDT", "XRP/USDT", "ADA/USDT", "DOGE/USDT", "BNB/USDT", "LTC/USDT",
    };

    private ContinuityStrategyMain()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        if ("restore".equals(args[0]))
        {
            try (TradeStateView view = TradeStateView.open(Path.of(args[1])))
            {
                if (!view.awaitAvailable(60_000))
                {
                    throw new IllegalStateException("the state maps are not available");
                }
                final StrategySnapshot snapshot = TradeContinuity.fromView(view, args[2], Long.parseLong(args[3]));
                System.out.println("RESTORED " + snapshot.openTrades().size() + " " + snapshot.openOrders().size() +
                    " " + snapshot.activeLocks().size() + " " + digest(snapshot));
                System.out.flush();
            }
            return;
        }

        final Random random = new Random(Long.parseLong(args[3]));
        try (TradeJournal journal = TradeJournal.open(new JournalContext()
            .journalRoot(Path.of(args[1])).sourceId(args[2])))
        {
            long tradeId = 0;
            long orderSequence = 0;
            while (true)
            {
                tradeId++;
                final String pair = PAIRS[random.nextInt(PAIRS.length)];
                final boolean isShort = random.nextBoolean();
                final long openRate = 1_000_000 + random.nextInt(100_000);
                final long nowMs = System.currentTimeMillis();
                final String entryId = "e-" + (++orderSequence);
                order(journal, entryId, tradeId, pair, isShort ? Side.SELL : Side.BUY, OrderStatus.OPEN, openRate, 0);
                order(journal, entryId, tradeId, pair, isShort ? Side.SELL : Side.BUY, OrderStatus.PARTIALLY_FILLED,
                    openRate, 40);
                trade(journal, tradeId, pair, isShort, openRate, 40, nowMs, true, 0);
                if (random.nextInt(3) > 0)
                {
                    order(journal, entryId, tradeId, pair, isShort ? Side.SELL : Side.BUY, OrderStatus.CLOSED,
                        openRate, 100);
                    trade(journal, tradeId, pair, isShort, openRate, 100, nowMs, true, random.nextInt(50));
                    if (random.nextBoolean())
                    {
                        final String exitId = "x-" + (++orderSequence);
                        final long closeRate = openRate + random.nextInt(20_000) - 10_000;
                        order(journal, exitId, tradeId, pair, isShort ? Side.BUY : Side.SELL, OrderStatus.OPEN,
                            closeRate, 0);
                        if (random.nextBoolean())
                        {
                            order(journal, exitId, tradeId, pair, isShort ? Side.BUY : Side.SELL, OrderStatus.CLOSED,
                                closeRate, 100);
                            journal.tradeUpdate().tradeId(tradeId).openTimeMs(nowMs).strategy("continuity")
                                .exchange("binance").pair(pair).stakeCurrency("USDT").isShort(isShort)
                                .tradingMode(TradingMode.FUTURES).leverage(3, 0).openRate(openRate, -2)
                                .amount(100, -3).stakeAmount(openRate, -3).isOpen(false).closeRate(closeRate, -2)
                                .closeTimeMs(System.currentTimeMillis()).exitReason("roi").enterTag("t" + tradeId)
                                .commit();
                        }
                    }
                }
                if (random.nextInt(25) == 0)
                {
                    // Locks are rare, as a strategy's protections take them: a few per pair and side at a time, one
                    // in four for all sources (a restarted strategy gets those back too).
                    journal.pairLock().pair(random.nextInt(10) == 0 ? "*" : pair)
                        .side(LockSide.get((short)random.nextInt(3)))
                        .lockEndTimeMs(nowMs + 60_000 + random.nextInt(540_000))
                        .allSources(random.nextInt(4) == 0)
                        .reason(random.nextBoolean() ? "cooldown" : "stoploss guard é").commit();
                }
                if (random.nextInt(60) == 0)
                {
                    journal.pairUnlock().pair(pair).side(LockSide.ANY).commit();
                }
                if (random.nextInt(200) == 0)
                {
                    journal.pairUnlock().reason("cooldown").commit();
                }
                LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(200 + random.nextInt(800)));
            }
        }
    }

    private static void order(
        final TradeJournal journal, final String orderId, final long tradeId, final String pair, final Side side,
        final OrderStatus status, final long price, final long filledPercent)
    {
        journal.orderUpdate().exchange("binance").symbol(pair).orderId(orderId).clientOrderId("c" + orderId)
            .tradeId(tradeId).side(side).orderType(OrderType.LIMIT).timeInForce(TimeInForce.GTC).status(status)
            .price(price, -2).amount(100, -3).filled(filledPercent, -3).remaining(100 - filledPercent, -3)
            .exchangeTimeMs(System.currentTimeMillis()).commit();
    }

    private static void trade(
        final TradeJournal journal, final long tradeId, final String pair, final boolean isShort, final long openRate,
        final long amount, final long openTimeMs, final boolean open, final long stopLossMove)
    {
        journal.tradeUpdate().tradeId(tradeId).openTimeMs(openTimeMs).strategy("continuity").exchange("binance")
            .pair(pair).stakeCurrency("USDT").isShort(isShort).tradingMode(TradingMode.FUTURES).leverage(3, 0)
            .openRate(openRate, -2).amount(amount, -3).stakeAmount(openRate * amount / 100, -3)
            .stopLoss(isShort ? openRate + 5_000 - stopLossMove : openRate - 5_000 + stopLossMove, -2)
            .initialStopLoss(isShort ? openRate + 5_000 : openRate - 5_000, -2)
            .maxRate(openRate + stopLossMove, -2).minRate(openRate - stopLossMove, -2).isOpen(open)
            .enterTag("t" + tradeId).commit();
    }

    static String digest(final StrategySnapshot snapshot) throws Exception
    {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
            .digest(snapshot.toString().getBytes(StandardCharsets.UTF_8)));
    }
}
