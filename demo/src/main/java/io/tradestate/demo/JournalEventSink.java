package io.tradestate.demo;

import io.tradestate.codecs.Liquidity;
import io.tradestate.codecs.LockSide;
import io.tradestate.codecs.OrderStatus;
import io.tradestate.codecs.TimeInForce;
import io.tradestate.writer.OrderUpdateEvent;
import io.tradestate.writer.TradeJournal;
import io.tradestate.writer.TradeUpdateEvent;
import io.tradestate.writer.state.OrderSnapshot;
import org.HdrHistogram.Histogram;

/**
 * Appends the workload's events through the real {@link TradeJournal} API, exactly as a strategy would, and records
 * how long each {@code commit()} takes (the encode into the mapped queue) in an HdrHistogram: one for the appends of
 * the run's first seconds, one for those after ({@link #steadyFrom(long)}).
 */
final class JournalEventSink implements EventSink
{
    private final TradeJournal journal;
    private final String strategy;
    private final Histogram startLatencyNs;
    private final Histogram steadyLatencyNs;
    private long steadyFromNs = Long.MAX_VALUE;
    private long appended;
    private long lastAppendNs;

    /**
     * @param journal         appends the events.
     * @param strategy        the strategy name in trade updates.
     * @param startLatencyNs  receives the commit times of the appends before {@link #steadyFrom(long)}.
     * @param steadyLatencyNs receives those from then on.
     */
    JournalEventSink(
        final TradeJournal journal,
        final String strategy,
        final Histogram startLatencyNs,
        final Histogram steadyLatencyNs)
    {
        this.journal = journal;
        this.strategy = strategy;
        this.startLatencyNs = startLatencyNs;
        this.steadyLatencyNs = steadyLatencyNs;
    }

    /**
     * From when the commit times count as the run's steady state.
     *
     * @param steadyFromNs by {@link System#nanoTime()}.
     */
    void steadyFrom(final long steadyFromNs)
    {
        this.steadyFromNs = steadyFromNs;
    }

    long appended()
    {
        return appended;
    }

    public void orderUpdate(final Instrument instrument, final SimOrder order, final long nowMs)
    {
        final OrderUpdateEvent event = journal.orderUpdate()
            .exchange(instrument.exchange()).symbol(instrument.symbol())
            .orderId(order.orderId).clientOrderId(order.clientOrderId).tradeId(order.tradeId)
            .side(order.side).orderType(order.orderType).timeInForce(TimeInForce.GTC).status(order.status)
            .reduceOnly(order.reduceOnly)
            .price(order.priceTicks, instrument.priceExponent())
            .amount(order.amount, instrument.amountExponent())
            .filled(order.filled, instrument.amountExponent())
            .remaining(order.remaining(), instrument.amountExponent())
            .cost(Math.multiplyExact(order.priceTicks, order.filled), instrument.costExponent())
            .leverage(order.leverage, 0)
            .exchangeTimeMs(nowMs);
        if (order.stopPriceTicks > 0)
        {
            event.stopPrice(order.stopPriceTicks, instrument.priceExponent());
        }
        if (order.filled > 0)
        {
            event.average(order.priceTicks, instrument.priceExponent())
                .feeCost(order.feeMantissa, instrument.feeExponent()).feeCurrency(InstrumentUniverse.QUOTE);
        }
        final long startNs = System.nanoTime();
        event.commit();
        recordSince(startNs);
    }

    /**
     * Cancel an order a restarted strategy got back from the state maps: its last update again, as cancelled.
     */
    void cancelRestored(final OrderSnapshot order, final long nowMs)
    {
        final OrderUpdateEvent event = journal.orderUpdate()
            .exchange(order.exchange()).symbol(order.symbol()).orderId(order.orderId())
            .side(order.side()).orderType(order.orderType()).status(OrderStatus.CANCELED)
            .reduceOnly(order.reduceOnly()).amount(order.amount()).exchangeTimeMs(nowMs);
        if (null != order.clientOrderId())
        {
            event.clientOrderId(order.clientOrderId());
        }
        if (null != order.tradeId())
        {
            event.tradeId(order.tradeId());
        }
        if (null != order.timeInForce())
        {
            event.timeInForce(order.timeInForce());
        }
        if (null != order.price())
        {
            event.price(order.price());
        }
        if (null != order.stopPrice())
        {
            event.stopPrice(order.stopPrice());
        }
        if (null != order.filled())
        {
            event.filled(order.filled());
        }
        if (null != order.remaining())
        {
            event.remaining(order.remaining());
        }
        if (null != order.average())
        {
            event.average(order.average());
        }
        if (null != order.cost())
        {
            event.cost(order.cost());
        }
        if (null != order.feeCost())
        {
            event.feeCost(order.feeCost());
        }
        if (null != order.feeCurrency())
        {
            event.feeCurrency(order.feeCurrency());
        }
        if (null != order.leverage())
        {
            event.leverage(order.leverage());
        }
        final long startNs = System.nanoTime();
        event.commit();
        recordSince(startNs);
    }

    public void fill(
        final Instrument instrument,
        final SimOrder order,
        final String fillId,
        final long amount,
        final boolean maker,
        final long feeMantissa,
        final long nowMs)
    {
        final var event = journal.fill()
            .exchange(instrument.exchange()).symbol(instrument.symbol()).fillId(fillId).orderId(order.orderId)
            .tradeId(order.tradeId).side(order.side).liquidity(maker ? Liquidity.MAKER : Liquidity.TAKER)
            .price(order.priceTicks, instrument.priceExponent()).amount(amount, instrument.amountExponent())
            .feeCost(feeMantissa, instrument.feeExponent()).feeCurrency(InstrumentUniverse.QUOTE)
            .exchangeTimeMs(nowMs);
        final long startNs = System.nanoTime();
        event.commit();
        recordSince(startNs);
    }

    public void tradeUpdate(final Instrument instrument, final SimTrade trade, final long nowMs)
    {
        final int priceExponent = instrument.priceExponent();
        final long stopLossPct = -InstrumentSimulator.STOP_LOSS_BPS;
        final TradeUpdateEvent event = journal.tradeUpdate()
            .tradeId(trade.tradeId).openTimeMs(trade.openTimeMs).strategy(strategy)
            .exchange(instrument.exchange()).pair(instrument.symbol()).stakeCurrency(InstrumentUniverse.QUOTE)
            .isShort(trade.isShort).isOpen(trade.open).isTrailingStop(trade.trailing)
            .tradingMode(instrument.tradingMode()).leverage(trade.leverage, 0)
            .openRate(trade.openRateTicks, priceExponent)
            .amount(trade.amount, instrument.amountExponent())
            // Every leverage used (1, 2, 4, 5, 8, 10) divides 1000: the stake is exact in three more decimals.
            .stakeAmount(Math.multiplyExact(trade.openRateTicks, trade.amount) * 1_000 / trade.leverage,
                instrument.costExponent() - 3)
            .stopLoss(trade.stopLossTicks, priceExponent).stopLossPct(stopLossPct, -4)
            .initialStopLoss(trade.initialStopLossTicks, priceExponent).initialStopLossPct(stopLossPct, -4)
            .maxRate(trade.maxRateTicks, priceExponent).minRate(trade.minRateTicks, priceExponent)
            .feeOpen(feeRateBps(trade.feeOpenMantissa), -4)
            .enterTag("demo");
        if (instrument.isFutures())
        {
            event.liquidationPrice(trade.liquidationTicks, priceExponent).fundingFees(0, 0).interestRate(0, 0);
        }
        if (!trade.open)
        {
            event.closeTimeMs(trade.closeTimeMs).closeRate(trade.closeRateTicks, priceExponent)
                .feeClose(feeRateBps(trade.feeCloseMantissa), -4)
                .realizedProfit(trade.realizedProfitMantissa, instrument.feeExponent())
                .exitReason(trade.exitReason);
        }
        final long startNs = System.nanoTime();
        event.commit();
        recordSince(startNs);
    }

    public void pairLock(
        final String pair, final LockSide side, final long lockTimeMs, final long lockEndTimeMs, final String reason)
    {
        final var event = journal.pairLock().pair(pair).side(side).lockTimeMs(lockTimeMs).lockEndTimeMs(lockEndTimeMs)
            .reason(reason);
        final long startNs = System.nanoTime();
        event.commit();
        recordSince(startNs);
    }

    public void riskLock(final String pair, final long lockTimeMs, final long lockEndTimeMs, final String reason)
    {
        final var event = journal.pairLock().pair(pair).side(LockSide.ANY).lockTimeMs(lockTimeMs)
            .lockEndTimeMs(lockEndTimeMs).reason(reason).allSources(true);
        final long startNs = System.nanoTime();
        event.commit();
        recordSince(startNs);
    }

    public void pairUnlockPair(final String pair, final LockSide side, final long nowMs)
    {
        final var event = journal.pairUnlock().pair(pair).side(side).unlockTimeMs(nowMs);
        final long startNs = System.nanoTime();
        event.commit();
        recordSince(startNs);
    }

    public void pairUnlockReason(final String reason, final long nowMs)
    {
        final var event = journal.pairUnlock().reason(reason).unlockTimeMs(nowMs);
        final long startNs = System.nanoTime();
        event.commit();
        recordSince(startNs);
    }

    public void balanceUpdate(
        final Instrument instrument, final long free, final long used, final long total, final long nowMs)
    {
        final int exponent = instrument.amountExponent();
        final var event = journal.balanceUpdate().exchange(instrument.exchange()).asset(instrument.baseAsset())
            .free(free, exponent).used(used, exponent).total(total, exponent).exchangeTimeMs(nowMs);
        final long startNs = System.nanoTime();
        event.commit();
        recordSince(startNs);
    }

    long lastAppendNs()
    {
        return lastAppendNs;
    }

    private static long feeRateBps(final long feeMantissa)
    {
        // The fee rate of freqtrade's Trade (fee_open, fee_close): taker unless every fill was a maker one is close
        // enough for a demo; the exact fees paid are in the fills and the orders.
        return 0 == feeMantissa ? 0 : InstrumentSimulator.TAKER_FEE_BPS;
    }

    private void recordSince(final long startNs)
    {
        final long endNs = System.nanoTime();
        final Histogram latencyNs = endNs < steadyFromNs ? startLatencyNs : steadyLatencyNs;
        latencyNs.recordValue(Math.min(endNs - startNs, latencyNs.getHighestTrackableValue()));
        appended++;
        lastAppendNs = endNs;
    }
}
