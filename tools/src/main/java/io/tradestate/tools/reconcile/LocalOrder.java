package io.tradestate.tools.reconcile;

import java.math.BigDecimal;

/**
 * An order as TradeState holds it: its winning {@code OrderUpdate} (the current-state row, or the state map's
 * entry).
 *
 * @param orderId  the exchange's order id.
 * @param sourceId the source whose event it is.
 * @param symbol   the symbol.
 * @param side     {@code buy} or {@code sell}.
 * @param status   the journal's status name ({@code open}, {@code partially_filled}, {@code closed}...).
 * @param amount   the ordered amount.
 * @param filled   the amount filled, null if the journal has none.
 * @param average  the average fill price, null if the journal has none.
 * @param timeMs   the update's exchange time, else its append time, in milliseconds.
 * @param orderType   the journal's order type name ({@code limit}, {@code market}...).
 * @param timeInForce the journal's time in force ({@code GTC}...), null if none.
 * @param tradeId     the strategy's trade the order belongs to, null if none.
 * @param price       the limit price, null if none.
 */
public record LocalOrder(String orderId, String sourceId, String symbol, String side, String status,
    BigDecimal amount, BigDecimal filled, BigDecimal average, long timeMs, String orderType, String timeInForce,
    Long tradeId, BigDecimal price)
{
    /**
     * Whether TradeState holds the order as still working.
     *
     * @return true for {@code open} and {@code partially_filled}.
     */
    public boolean isOpen()
    {
        return "open".equals(status) || "partially_filled".equals(status);
    }
}
