package io.tradestate.writer.state;

import io.tradestate.codecs.TradingMode;

import java.math.BigDecimal;

/**
 * An open trade as a restarted strategy gets it back ({@link TradeContinuity}): the fields of its last
 * {@code TradeUpdate}, exact decimals, null where absent.
 *
 * @param tradeId            the strategy's trade id.
 * @param strategy           strategy name.
 * @param exchange           CCXT exchange id.
 * @param pair               the pair.
 * @param stakeCurrency      stake currency, or null.
 * @param isShort            short position.
 * @param isTrailingStop     trailing stop loss.
 * @param tradingMode        spot, margin or futures.
 * @param leverage           leverage, or null.
 * @param openRate           average open rate.
 * @param amount             amount held.
 * @param stakeAmount        stake.
 * @param stopLoss           current stop loss, or null.
 * @param stopLossPct        current stop loss ratio, or null.
 * @param initialStopLoss    initial stop loss, or null.
 * @param initialStopLossPct initial stop loss ratio, or null.
 * @param maxRate            highest rate since open, or null.
 * @param minRate            lowest rate since open, or null.
 * @param liquidationPrice   liquidation price, or null.
 * @param interestRate       margin interest rate, or null.
 * @param fundingFees        funding fees so far, or null.
 * @param feeOpen            open fee ratio, or null.
 * @param realizedProfit     profit realized by partial exits, or null.
 * @param openTimeMs         open time, ms since the epoch.
 * @param enterTag           enter tag, empty if none.
 * @param queueIndex         queue index of the update, in the strategy's journal.
 */
public record TradeSnapshot(
    long tradeId,
    String strategy,
    String exchange,
    String pair,
    String stakeCurrency,
    boolean isShort,
    boolean isTrailingStop,
    TradingMode tradingMode,
    BigDecimal leverage,
    BigDecimal openRate,
    BigDecimal amount,
    BigDecimal stakeAmount,
    BigDecimal stopLoss,
    BigDecimal stopLossPct,
    BigDecimal initialStopLoss,
    BigDecimal initialStopLossPct,
    BigDecimal maxRate,
    BigDecimal minRate,
    BigDecimal liquidationPrice,
    BigDecimal interestRate,
    BigDecimal fundingFees,
    BigDecimal feeOpen,
    BigDecimal realizedProfit,
    long openTimeMs,
    String enterTag,
    long queueIndex)
{
}
