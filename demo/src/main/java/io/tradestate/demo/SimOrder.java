package io.tradestate.demo;

import io.tradestate.codecs.OrderStatus;
import io.tradestate.codecs.OrderType;
import io.tradestate.codecs.Side;

/**
 * The simulator's working copy of one order. Amounts are mantissas of the instrument's amount exponent, the price
 * is in ticks, the fee a mantissa of the instrument's fee exponent: exact, never a double.
 */
final class SimOrder
{
    String orderId;
    String clientOrderId;
    long tradeId;
    boolean entry;
    Side side;
    OrderType orderType;
    OrderStatus status;
    boolean reduceOnly;
    long priceTicks;
    long stopPriceTicks;
    long amount;
    long filled;
    long feeMantissa;
    int leverage;

    long remaining()
    {
        return amount - filled;
    }

    boolean isDone()
    {
        return OrderStatus.CLOSED == status || OrderStatus.CANCELED == status || OrderStatus.REJECTED == status;
    }
}
