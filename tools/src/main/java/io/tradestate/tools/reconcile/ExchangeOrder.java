package io.tradestate.tools.reconcile;

import java.math.BigDecimal;

/**
 * An order as the exchange reports it, the fields of CCXT's unified order ({@code fetchOrders},
 * {@code fetchOpenOrders}, {@code fetchClosedOrders}) that reconciliation reads. Decimals are exact; a field the
 * exchange did not give is null and is not compared.
 *
 * @param id                  the exchange's order id (CCXT {@code id}), required.
 * @param clientOrderId       CCXT {@code clientOrderId}, null if none.
 * @param symbol              CCXT unified symbol, required.
 * @param side                {@code buy} or {@code sell}, required.
 * @param type                CCXT {@code type} as given ({@code limit}, {@code market}...), null if none.
 * @param status              CCXT status ({@code open}, {@code closed}, {@code canceled}, {@code expired},
 *                            {@code rejected}), null if the exchange did not say.
 * @param timestampMs         when the order was placed (CCXT {@code timestamp}), null if unknown.
 * @param lastUpdateMs        CCXT {@code lastUpdateTimestamp}, else {@code lastTradeTimestamp}, null if neither.
 * @param price               the limit price, null if none.
 * @param amount              the ordered amount, null if not given.
 * @param filled              the amount filled, null if not given.
 * @param average             the average fill price, null if not given.
 * @param feeCost             CCXT {@code fee.cost}, null if none.
 * @param feeCurrency         CCXT {@code fee.currency}, null if none.
 * @param origin              where the order came from, for messages ({@code line 12}), null from the API.
 */
public record ExchangeOrder(
    String id,
    String clientOrderId,
    String symbol,
    String side,
    String type,
    String status,
    Long timestampMs,
    Long lastUpdateMs,
    BigDecimal price,
    BigDecimal amount,
    BigDecimal filled,
    BigDecimal average,
    BigDecimal feeCost,
    String feeCurrency,
    String origin)
{
    /**
     * Whether the exchange reports the order as still working.
     *
     * @return true for CCXT's {@code open}.
     */
    public boolean isOpen()
    {
        return "open".equals(status);
    }
}
