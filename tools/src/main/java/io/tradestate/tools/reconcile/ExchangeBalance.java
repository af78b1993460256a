package io.tradestate.tools.reconcile;

import java.math.BigDecimal;

/**
 * One asset's balance as the exchange reports it: an entry of CCXT's {@code fetchBalance} result's {@code total},
 * {@code free} and {@code used} maps. Decimals are exact.
 *
 * @param asset  the currency code, required.
 * @param free   available, null if not given.
 * @param used   held in orders, null if not given.
 * @param total  free plus used, required.
 * @param origin where the balance came from, for messages ({@code line 12}), null from the API.
 */
public record ExchangeBalance(String asset, BigDecimal free, BigDecimal used, BigDecimal total, String origin)
{
}
