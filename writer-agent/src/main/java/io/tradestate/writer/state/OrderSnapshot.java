package io.tradestate.writer.state;

import io.tradestate.codecs.OrderStatus;
import io.tradestate.codecs.OrderType;
import io.tradestate.codecs.Side;
import io.tradestate.codecs.TimeInForce;

import java.math.BigDecimal;

/**
 * An open order as a restarted strategy gets it back ({@link TradeContinuity}): the fields of its last
 * {@code OrderUpdate}, exact decimals, null where absent.
 *
 * @param exchange       CCXT exchange id.
 * @param orderId        exchange order id.
 * @param clientOrderId  client order id, or null.
 * @param tradeId        the trade it belongs to, or null.
 * @param symbol         the symbol.
 * @param side           buy or sell.
 * @param orderType      order type.
 * @param timeInForce    time in force, or null.
 * @param status         open or partially filled.
 * @param reduceOnly     reduce only.
 * @param price          price, or null.
 * @param stopPrice      stop price, or null.
 * @param amount         amount.
 * @param filled         filled, or null.
 * @param remaining      remaining, or null.
 * @param average        average fill price, or null.
 * @param cost           cost, or null.
 * @param feeCost        fee, or null.
 * @param feeCurrency    fee currency, or null.
 * @param leverage       leverage, or null.
 * @param exchangeTimeMs exchange time, or null.
 * @param queueIndex     queue index of the update, in the strategy's journal.
 */
public record OrderSnapshot(
    String exchange,
    String orderId,
    String clientOrderId,
    Long tradeId,
    String symbol,
    Side side,
    OrderType orderType,
    TimeInForce timeInForce,
    OrderStatus status,
    boolean reduceOnly,
    BigDecimal price,
    BigDecimal stopPrice,
    BigDecimal amount,
    BigDecimal filled,
    BigDecimal remaining,
    BigDecimal average,
    BigDecimal cost,
    BigDecimal feeCost,
    String feeCurrency,
    BigDecimal leverage,
    Long exchangeTimeMs,
    long queueIndex)
{
}
