package io.tradestate.tools.reconcile;

import java.math.BigDecimal;

/**
 * A fill as TradeState holds it: the first {@code Fill} appended with that exchange and fill id (the ledger counts
 * a fill appended twice once, the first).
 *
 * @param fillId      the fill id.
 * @param orderId     the order id.
 * @param sourceId    the source that appended it.
 * @param symbol      the symbol.
 * @param side        {@code buy} or {@code sell}.
 * @param price       the price.
 * @param amount      the amount.
 * @param feeCost     the fee, null if none.
 * @param feeCurrency the fee's currency, null if none.
 */
public record LocalFill(String fillId, String orderId, String sourceId, String symbol, String side,
    BigDecimal price, BigDecimal amount, BigDecimal feeCost, String feeCurrency)
{
}
