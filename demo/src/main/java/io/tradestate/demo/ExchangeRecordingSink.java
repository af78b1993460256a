package io.tradestate.demo;

import io.tradestate.codecs.LockSide;

/**
 * The exchange's side first: each order state and fill the workload model makes is recorded in the simulated
 * exchange's account ({@link ExchangeAccount}) before the strategy journals it, as on a real exchange, which accepts
 * and fills before the strategy hears of it. Everything else goes to the journal alone.
 */
final class ExchangeRecordingSink implements EventSink
{
    private final ExchangeAccount account;
    private final EventSink journal;

    /**
     * @param account the exchange's record of the strategy's account.
     * @param journal where the strategy's events go.
     */
    ExchangeRecordingSink(final ExchangeAccount account, final EventSink journal)
    {
        this.account = account;
        this.journal = journal;
    }

    public void orderUpdate(final Instrument instrument, final SimOrder order, final long nowMs)
    {
        account.order(instrument, order, nowMs);
        journal.orderUpdate(instrument, order, nowMs);
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
        account.fill(instrument, order, fillId, amount, maker, feeMantissa, nowMs);
        journal.fill(instrument, order, fillId, amount, maker, feeMantissa, nowMs);
    }

    public void tradeUpdate(final Instrument instrument, final SimTrade trade, final long nowMs)
    {
        journal.tradeUpdate(instrument, trade, nowMs);
    }

    public void pairLock(
        final String pair, final LockSide side, final long lockTimeMs, final long lockEndTimeMs, final String reason)
    {
        journal.pairLock(pair, side, lockTimeMs, lockEndTimeMs, reason);
    }

    public void riskLock(final String pair, final long lockTimeMs, final long lockEndTimeMs, final String reason)
    {
        journal.riskLock(pair, lockTimeMs, lockEndTimeMs, reason);
    }

    public void pairUnlockPair(final String pair, final LockSide side, final long nowMs)
    {
        journal.pairUnlockPair(pair, side, nowMs);
    }

    public void pairUnlockReason(final String reason, final long nowMs)
    {
        journal.pairUnlockReason(reason, nowMs);
    }

    public void balanceUpdate(
        final Instrument instrument, final long free, final long used, final long total, final long nowMs)
    {
        journal.balanceUpdate(instrument, free, used, total, nowMs);
    }
}
