package io.tradestate.demo;

import io.tradestate.codecs.LockSide;
import io.tradestate.codecs.OrderStatus;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps a copy of every event the workload model emits, as exact decimals, for the tests to check.
 */
final class RecordingSink implements EventSink
{
    final List<Object> events = new ArrayList<>();

    record OrderRecord(
        String exchange, String orderId, long tradeId, boolean entry, String side, OrderStatus status,
        BigDecimal price, BigDecimal amount, BigDecimal filled, BigDecimal fee, int leverage)
    {
    }

    record FillRecord(
        String exchange, String orderId, long tradeId, String fillId, BigDecimal price, BigDecimal amount,
        boolean maker, BigDecimal fee)
    {
    }

    record TradeRecord(
        long tradeId, String pair, boolean futures, boolean isShort, boolean open, int leverage, BigDecimal openRate,
        BigDecimal amount, BigDecimal closeRate, BigDecimal realizedProfit, BigDecimal stopLoss, BigDecimal maxRate,
        BigDecimal minRate)
    {
    }

    record LockRecord(
        String pair, LockSide side, long lockTimeMs, long lockEndTimeMs, String reason, boolean allSources)
    {
    }

    record UnlockRecord(String pair, LockSide side, String reason)
    {
    }

    record BalanceRecord(String exchange, String asset, BigDecimal free, BigDecimal used, BigDecimal total)
    {
    }

    public void orderUpdate(final Instrument instrument, final SimOrder order, final long nowMs)
    {
        events.add(new OrderRecord(instrument.exchange(), order.orderId, order.tradeId, order.entry,
            order.side.name(), order.status, decimal(order.priceTicks, instrument.priceExponent()),
            decimal(order.amount, instrument.amountExponent()), decimal(order.filled, instrument.amountExponent()),
            decimal(order.feeMantissa, instrument.feeExponent()), order.leverage));
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
        events.add(new FillRecord(instrument.exchange(), order.orderId, order.tradeId, fillId,
            decimal(order.priceTicks, instrument.priceExponent()), decimal(amount, instrument.amountExponent()), maker,
            decimal(feeMantissa, instrument.feeExponent())));
    }

    public void tradeUpdate(final Instrument instrument, final SimTrade trade, final long nowMs)
    {
        final int exponent = instrument.priceExponent();
        events.add(new TradeRecord(trade.tradeId, instrument.symbol(), instrument.isFutures(), trade.isShort,
            trade.open, trade.leverage, decimal(trade.openRateTicks, exponent),
            decimal(trade.amount, instrument.amountExponent()),
            trade.open ? null : decimal(trade.closeRateTicks, exponent),
            trade.open ? null : decimal(trade.realizedProfitMantissa, instrument.feeExponent()),
            decimal(trade.stopLossTicks, exponent), decimal(trade.maxRateTicks, exponent),
            decimal(trade.minRateTicks, exponent)));
    }

    public void pairLock(
        final String pair, final LockSide side, final long lockTimeMs, final long lockEndTimeMs, final String reason)
    {
        events.add(new LockRecord(pair, side, lockTimeMs, lockEndTimeMs, reason, false));
    }

    public void riskLock(final String pair, final long lockTimeMs, final long lockEndTimeMs, final String reason)
    {
        events.add(new LockRecord(pair, LockSide.ANY, lockTimeMs, lockEndTimeMs, reason, true));
    }

    public void pairUnlockPair(final String pair, final LockSide side, final long nowMs)
    {
        events.add(new UnlockRecord(pair, side, null));
    }

    public void pairUnlockReason(final String reason, final long nowMs)
    {
        events.add(new UnlockRecord(null, null, reason));
    }

    public void balanceUpdate(
        final Instrument instrument, final long free, final long used, final long total, final long nowMs)
    {
        final int exponent = instrument.amountExponent();
        events.add(new BalanceRecord(instrument.exchange(), instrument.baseAsset(), decimal(free, exponent),
            decimal(used, exponent), decimal(total, exponent)));
    }

    <T> List<T> ofType(final Class<T> type)
    {
        final List<T> matching = new ArrayList<>();
        for (final Object event : events)
        {
            if (type.isInstance(event))
            {
                matching.add(type.cast(event));
            }
        }
        return matching;
    }

    private static BigDecimal decimal(final long mantissa, final int exponent)
    {
        return BigDecimal.valueOf(mantissa, -exponent);
    }
}
