package io.tradestate.demo;

import io.tradestate.codecs.LockSide;

/**
 * Where the workload model's events go: the journal in a strategy process, a list in tests. Every value is exact:
 * ticks and mantissas interpreted with the instrument's exponents.
 */
interface EventSink
{
    void orderUpdate(Instrument instrument, SimOrder order, long nowMs);

    void fill(
        Instrument instrument, SimOrder order, String fillId, long amount, boolean maker, long feeMantissa,
        long nowMs);

    void tradeUpdate(Instrument instrument, SimTrade trade, long nowMs);

    void pairLock(String pair, LockSide side, long lockTimeMs, long lockEndTimeMs, String reason);

    /**
     * A risk lock: a pair locked on every side for all sources, every strategy the agent drains.
     */
    void riskLock(String pair, long lockTimeMs, long lockEndTimeMs, String reason);

    void pairUnlockPair(String pair, LockSide side, long nowMs);

    void pairUnlockReason(String reason, long nowMs);

    void balanceUpdate(Instrument instrument, long free, long used, long total, long nowMs);
}
