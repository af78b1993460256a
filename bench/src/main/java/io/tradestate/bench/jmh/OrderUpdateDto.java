package io.tradestate.bench.jmh;

import io.tradestate.codecs.OrderStatus;
import io.tradestate.codecs.OrderType;
import io.tradestate.codecs.Side;
import io.tradestate.codecs.TimeInForce;
import net.openhft.chronicle.wire.SelfDescribingMarshallable;

/**
 * B2's order: the fields of the {@link SampleEvents} order as an ordinary Chronicle Wire DTO, the way most Chronicle
 * Queue users write events: strings, enums, longs and {@code double} quantities, written by
 * {@code appender.writeDocument(dto)} through {@link SelfDescribingMarshallable}'s reflective marshaller.
 */
public final class OrderUpdateDto extends SelfDescribingMarshallable
{
    private long appendTimeNs;
    private long exchangeTimeMs;
    private long receiveTimeNs;
    private long tradeId;
    private String exchange;
    private String symbol;
    private String orderId;
    private String clientOrderId;
    private Side side;
    private OrderType orderType;
    private TimeInForce timeInForce;
    private OrderStatus status;
    private boolean reduceOnly;
    private double price;
    private double amount;
    private double filled;
    private double remaining;
    private double average;
    private double cost;
    private double feeCost;
    private String feeCurrency;

    /**
     * The {@link SampleEvents} order.
     *
     * @return a new DTO holding it.
     */
    static OrderUpdateDto sample()
    {
        final OrderUpdateDto dto = new OrderUpdateDto();
        dto.appendTimeNs = SampleEvents.APPEND_TIME_NS;
        dto.exchangeTimeMs = SampleEvents.EXCHANGE_TIME_MS;
        dto.receiveTimeNs = SampleEvents.RECEIVE_TIME_NS;
        dto.tradeId = SampleEvents.TRADE_ID;
        dto.exchange = SampleEvents.EXCHANGE;
        dto.symbol = SampleEvents.SYMBOL;
        dto.orderId = SampleEvents.ORDER_ID;
        dto.clientOrderId = SampleEvents.CLIENT_ORDER_ID;
        dto.side = Side.BUY;
        dto.orderType = OrderType.LIMIT;
        dto.timeInForce = TimeInForce.GTC;
        dto.status = OrderStatus.PARTIALLY_FILLED;
        dto.price = decimal(SampleEvents.PRICE_MANTISSA, SampleEvents.PRICE_EXPONENT);
        dto.amount = decimal(SampleEvents.AMOUNT_MANTISSA, SampleEvents.AMOUNT_EXPONENT);
        dto.filled = decimal(SampleEvents.FILLED_MANTISSA, SampleEvents.FILLED_EXPONENT);
        dto.remaining = decimal(SampleEvents.REMAINING_MANTISSA, SampleEvents.REMAINING_EXPONENT);
        dto.average = dto.price;
        dto.cost = decimal(SampleEvents.COST_MANTISSA, SampleEvents.COST_EXPONENT);
        dto.feeCost = decimal(SampleEvents.FEE_COST_MANTISSA, SampleEvents.FEE_COST_EXPONENT);
        dto.feeCurrency = SampleEvents.FEE_CURRENCY;
        return dto;
    }

    private static double decimal(final long mantissa, final int exponent)
    {
        return mantissa * Math.pow(10, exponent);
    }
}
