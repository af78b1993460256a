package io.tradestate.tools.reconcile;

import java.math.BigDecimal;

/**
 * A balance as TradeState holds it: the winning {@code BalanceUpdate} of an exchange and asset.
 *
 * @param asset    the asset.
 * @param sourceId the source of the update.
 * @param free     available, null if the journal has none.
 * @param used     held in orders, null if the journal has none.
 * @param total    the total.
 */
public record LocalBalance(String asset, String sourceId, BigDecimal free, BigDecimal used, BigDecimal total)
{
}
