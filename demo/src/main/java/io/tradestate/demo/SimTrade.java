package io.tradestate.demo;

/**
 * The simulator's working copy of one trade (a position, as freqtrade's {@code Trade}): opened by an entry order's
 * first fill, closed by the last fill of its exit order. Rates are in ticks of the instrument's price grid.
 */
final class SimTrade
{
    long tradeId;
    boolean isShort;
    int leverage;
    long openTimeMs;
    long closeTimeMs;
    long openRateTicks;
    long amount;
    long stopLossTicks;
    long initialStopLossTicks;
    boolean trailing;
    long maxRateTicks;
    long minRateTicks;
    long closeRateTicks;
    long liquidationTicks;
    long feeOpenMantissa;
    long feeCloseMantissa;
    long closedAmount;
    long realizedProfitMantissa;
    boolean open = true;
    String exitReason;

    int direction()
    {
        return isShort ? -1 : 1;
    }
}
