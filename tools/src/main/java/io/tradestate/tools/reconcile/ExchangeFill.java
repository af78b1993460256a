package io.tradestate.tools.reconcile;

import java.math.BigDecimal;

/**
 * One execution as the exchange reports it, the fields of CCXT's unified trade ({@code fetchMyTrades}) that
 * reconciliation reads; it is a {@code Fill} in the journal. Decimals are exact.
 *
 * @param id          the exchange's trade id (CCXT {@code id}), the journal's fill id; required.
 * @param orderId     the order it executed (CCXT {@code order}), null if the exchange did not say.
 * @param symbol      CCXT unified symbol, required.
 * @param side        {@code buy} or {@code sell}, required.
 * @param takerOrMaker {@code taker} or {@code maker}, null if not given.
 * @param timestampMs when it executed (CCXT {@code timestamp}), null if unknown.
 * @param price       the execution price, required.
 * @param amount      the amount executed, required.
 * @param feeCost     CCXT {@code fee.cost}, null if none.
 * @param feeCurrency CCXT {@code fee.currency}, null if none.
 * @param origin      where the fill came from, for messages ({@code line 12}), null from the API.
 */
public record ExchangeFill(
    String id,
    String orderId,
    String symbol,
    String side,
    String takerOrMaker,
    Long timestampMs,
    BigDecimal price,
    BigDecimal amount,
    BigDecimal feeCost,
    String feeCurrency,
    String origin)
{
}
