package io.tradestate.writer;

import io.tradestate.codecs.BooleanType;
import io.tradestate.codecs.EventOrigin;
import io.tradestate.codecs.MessageHeaderEncoder;
import io.tradestate.codecs.OrderStatus;
import io.tradestate.codecs.OrderType;
import io.tradestate.codecs.OrderUpdateEncoder;
import io.tradestate.codecs.Side;
import io.tradestate.codecs.TimeInForce;
import org.agrona.MutableDirectBuffer;

import java.math.BigDecimal;

/**
 * The latest state of one order, shaped like the CCXT unified order. Started by {@link TradeJournal#orderUpdate()}.
 * <p>
 * Required: {@code exchange}, {@code symbol}, {@code orderId}, {@code side}, {@code orderType}, {@code status},
 * {@code amount}; {@code feeCurrency} when {@code feeCost} is set. Everything else is optional and absent unless set.
 * Quantities ({@code amount}, {@code filled}, {@code remaining}, {@code cost}) and prices are never negative; a fee
 * may be (a maker rebate).
 */
public final class OrderUpdateEvent extends JournalEvent
{
    private static final int EXCHANGE_TIME_MS = 0;
    private static final int RECEIVE_TIME_NS = 1;
    private static final int TRADE_ID = 2;
    private static final int EXCHANGE = 3;
    private static final int SYMBOL = 4;
    private static final int ORDER_ID = 5;
    private static final int CLIENT_ORDER_ID = 6;
    private static final int SIDE = 7;
    private static final int ORDER_TYPE = 8;
    private static final int TIME_IN_FORCE = 9;
    private static final int STATUS = 10;
    private static final int REDUCE_ONLY = 11;
    private static final int PRICE = 12;
    private static final int STOP_PRICE = 13;
    private static final int AMOUNT = 14;
    private static final int FILLED = 15;
    private static final int REMAINING = 16;
    private static final int AVERAGE = 17;
    private static final int COST = 18;
    private static final int FEE_COST = 19;
    private static final int FEE_CURRENCY = 20;
    private static final int LEVERAGE = 21;
    private static final int ORIGIN = 22;
    private static final int RECONCILE_TIME_MS = 23;

    private static final String[] FIELD_NAMES =
    {
        "exchangeTimeMs", "receiveTimeNs", "tradeId", "exchange", "symbol", "orderId", "clientOrderId", "side",
        "orderType", "timeInForce", "status", "reduceOnly", "price", "stopPrice", "amount", "filled", "remaining",
        "average", "cost", "feeCost", "feeCurrency", "leverage", "origin", "reconcileTimeMs",
    };

    private static final long REQUIRED = 1L << EXCHANGE | 1L << SYMBOL | 1L << ORDER_ID | 1L << SIDE |
        1L << ORDER_TYPE | 1L << STATUS | 1L << AMOUNT;

    private final OrderUpdateEncoder encoder = new OrderUpdateEncoder();
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final AsciiField exchange = new AsciiField("OrderUpdate.exchange", OrderUpdateEncoder.exchangeLength());
    private final AsciiField symbol = new AsciiField("OrderUpdate.symbol", OrderUpdateEncoder.symbolLength());
    private final AsciiField orderId = new AsciiField("OrderUpdate.orderId", OrderUpdateEncoder.orderIdLength());
    private final AsciiField clientOrderId =
        new AsciiField("OrderUpdate.clientOrderId", OrderUpdateEncoder.clientOrderIdLength());
    private final AsciiField feeCurrency =
        new AsciiField("OrderUpdate.feeCurrency", OrderUpdateEncoder.feeCurrencyLength());
    private final DecimalField price = new DecimalField("OrderUpdate.price", true);
    private final DecimalField stopPrice = new DecimalField("OrderUpdate.stopPrice", true);
    private final DecimalField amount = new DecimalField("OrderUpdate.amount", true);
    private final DecimalField filled = new DecimalField("OrderUpdate.filled", true);
    private final DecimalField remaining = new DecimalField("OrderUpdate.remaining", true);
    private final DecimalField average = new DecimalField("OrderUpdate.average", true);
    private final DecimalField cost = new DecimalField("OrderUpdate.cost", true);
    private final DecimalField feeCost = new DecimalField("OrderUpdate.feeCost", false);
    private final DecimalField leverage = new DecimalField("OrderUpdate.leverage", true);
    private long exchangeTimeMs;
    private long receiveTimeNs;
    private long tradeId;
    private Side side;
    private OrderType orderType;
    private TimeInForce timeInForce;
    private OrderStatus status;
    private boolean reduceOnly;
    private EventOrigin origin;
    private long reconcileTimeMs;

    OrderUpdateEvent(final JournalWriter writer)
    {
        super(writer, "OrderUpdate", FIELD_NAMES, REQUIRED);
    }

    /**
     * CCXT exchange id, e.g. {@code binance}: printable ASCII, at most 16 characters.
     *
     * @param exchange id.
     * @return this for a fluent API.
     */
    public OrderUpdateEvent exchange(final CharSequence exchange)
    {
        ascii(EXCHANGE, this.exchange, exchange);
        return this;
    }

    /**
     * CCXT unified symbol, e.g. {@code BTC/USDT} or {@code ETH/USDT:USDT}: printable ASCII, at most 32 characters.
     *
     * @param symbol of the market.
     * @return this for a fluent API.
     */
    public OrderUpdateEvent symbol(final CharSequence symbol)
    {
        ascii(SYMBOL, this.symbol, symbol);
        return this;
    }

    /**
     * The exchange's order id: printable ASCII, at most 64 characters.
     *
     * @param orderId assigned by the exchange.
     * @return this for a fluent API.
     */
    public OrderUpdateEvent orderId(final CharSequence orderId)
    {
        ascii(ORDER_ID, this.orderId, orderId);
        return this;
    }

    /**
     * The client order id the strategy sent: printable ASCII, at most 64 characters.
     *
     * @param clientOrderId chosen by the strategy.
     * @return this for a fluent API.
     */
    public OrderUpdateEvent clientOrderId(final CharSequence clientOrderId)
    {
        ascii(CLIENT_ORDER_ID, this.clientOrderId, clientOrderId);
        return this;
    }

    /**
     * The strategy's trade (position) this order belongs to, freqtrade's {@code ft_trade_id}.
     *
     * @param tradeId not negative.
     * @return this for a fluent API.
     */
    public OrderUpdateEvent tradeId(final long tradeId)
    {
        this.tradeId = id(TRADE_ID, tradeId);
        return this;
    }

    /**
     * Buy or sell.
     *
     * @param side of the order.
     * @return this for a fluent API.
     */
    public OrderUpdateEvent side(final Side side)
    {
        this.side = enumValue(SIDE, side, Side.NULL_VAL);
        return this;
    }

    /**
     * Market, limit or one of the stop and take-profit variants.
     *
     * @param orderType of the order.
     * @return this for a fluent API.
     */
    public OrderUpdateEvent orderType(final OrderType orderType)
    {
        this.orderType = enumValue(ORDER_TYPE, orderType, OrderType.NULL_VAL);
        return this;
    }

    /**
     * Time in force; absent unless set.
     *
     * @param timeInForce of the order.
     * @return this for a fluent API.
     */
    public OrderUpdateEvent timeInForce(final TimeInForce timeInForce)
    {
        this.timeInForce = enumValue(TIME_IN_FORCE, timeInForce, TimeInForce.NULL_VAL);
        return this;
    }

    /**
     * Order status as the exchange reports it.
     *
     * @param status of the order.
     * @return this for a fluent API.
     */
    public OrderUpdateEvent status(final OrderStatus status)
    {
        this.status = enumValue(STATUS, status, OrderStatus.NULL_VAL);
        return this;
    }

    /**
     * Whether the order may only reduce a position; false unless set.
     *
     * @param reduceOnly flag.
     * @return this for a fluent API.
     */
    public OrderUpdateEvent reduceOnly(final boolean reduceOnly)
    {
        flag(REDUCE_ONLY);
        this.reduceOnly = reduceOnly;
        return this;
    }

    /**
     * Limit price, {@code mantissa x 10^exponent}.
     *
     * @param mantissa of the price, not negative.
     * @param exponent of the price, in [-18, 18].
     * @return this for a fluent API.
     */
    public OrderUpdateEvent price(final long mantissa, final int exponent)
    {
        decimal(PRICE, price, mantissa, exponent);
        return this;
    }

    /**
     * Limit price from a {@link BigDecimal}, exactly; allocates, so keep it off the hot path.
     *
     * @param price not negative.
     * @return this for a fluent API.
     */
    public OrderUpdateEvent price(final BigDecimal price)
    {
        decimal(PRICE, this.price, price);
        return this;
    }

    /**
     * Trigger price of a stop or take-profit order.
     *
     * @param mantissa of the price, not negative.
     * @param exponent of the price, in [-18, 18].
     * @return this for a fluent API.
     */
    public OrderUpdateEvent stopPrice(final long mantissa, final int exponent)
    {
        decimal(STOP_PRICE, stopPrice, mantissa, exponent);
        return this;
    }

    /**
     * Trigger price from a {@link BigDecimal}, exactly; allocates.
     *
     * @param stopPrice not negative.
     * @return this for a fluent API.
     */
    public OrderUpdateEvent stopPrice(final BigDecimal stopPrice)
    {
        decimal(STOP_PRICE, this.stopPrice, stopPrice);
        return this;
    }

    /**
     * Ordered amount in the base currency (contracts for futures).
     *
     * @param mantissa of the amount, not negative.
     * @param exponent of the amount, in [-18, 18].
     * @return this for a fluent API.
     */
    public OrderUpdateEvent amount(final long mantissa, final int exponent)
    {
        decimal(AMOUNT, amount, mantissa, exponent);
        return this;
    }

    /**
     * Ordered amount from a {@link BigDecimal}, exactly; allocates.
     *
     * @param amount not negative.
     * @return this for a fluent API.
     */
    public OrderUpdateEvent amount(final BigDecimal amount)
    {
        decimal(AMOUNT, this.amount, amount);
        return this;
    }

    /**
     * Amount filled so far.
     *
     * @param mantissa of the amount, not negative.
     * @param exponent of the amount, in [-18, 18].
     * @return this for a fluent API.
     */
    public OrderUpdateEvent filled(final long mantissa, final int exponent)
    {
        decimal(FILLED, filled, mantissa, exponent);
        return this;
    }

    /**
     * Amount filled so far from a {@link BigDecimal}, exactly; allocates.
     *
     * @param filled not negative.
     * @return this for a fluent API.
     */
    public OrderUpdateEvent filled(final BigDecimal filled)
    {
        decimal(FILLED, this.filled, filled);
        return this;
    }

    /**
     * Amount still to fill.
     *
     * @param mantissa of the amount, not negative.
     * @param exponent of the amount, in [-18, 18].
     * @return this for a fluent API.
     */
    public OrderUpdateEvent remaining(final long mantissa, final int exponent)
    {
        decimal(REMAINING, remaining, mantissa, exponent);
        return this;
    }

    /**
     * Amount still to fill from a {@link BigDecimal}, exactly; allocates.
     *
     * @param remaining not negative.
     * @return this for a fluent API.
     */
    public OrderUpdateEvent remaining(final BigDecimal remaining)
    {
        decimal(REMAINING, this.remaining, remaining);
        return this;
    }

    /**
     * Average fill price.
     *
     * @param mantissa of the price, not negative.
     * @param exponent of the price, in [-18, 18].
     * @return this for a fluent API.
     */
    public OrderUpdateEvent average(final long mantissa, final int exponent)
    {
        decimal(AVERAGE, average, mantissa, exponent);
        return this;
    }

    /**
     * Average fill price from a {@link BigDecimal}, exactly; allocates.
     *
     * @param average not negative.
     * @return this for a fluent API.
     */
    public OrderUpdateEvent average(final BigDecimal average)
    {
        decimal(AVERAGE, this.average, average);
        return this;
    }

    /**
     * Filled amount times average price, in the quote currency.
     *
     * @param mantissa of the cost, not negative.
     * @param exponent of the cost, in [-18, 18].
     * @return this for a fluent API.
     */
    public OrderUpdateEvent cost(final long mantissa, final int exponent)
    {
        decimal(COST, cost, mantissa, exponent);
        return this;
    }

    /**
     * Cost from a {@link BigDecimal}, exactly; allocates.
     *
     * @param cost not negative.
     * @return this for a fluent API.
     */
    public OrderUpdateEvent cost(final BigDecimal cost)
    {
        decimal(COST, this.cost, cost);
        return this;
    }

    /**
     * Fee paid so far, in {@link #feeCurrency(CharSequence)}; negative for a rebate.
     *
     * @param mantissa of the fee.
     * @param exponent of the fee, in [-18, 18].
     * @return this for a fluent API.
     */
    public OrderUpdateEvent feeCost(final long mantissa, final int exponent)
    {
        decimal(FEE_COST, feeCost, mantissa, exponent);
        return this;
    }

    /**
     * Fee from a {@link BigDecimal}, exactly; allocates.
     *
     * @param feeCost of the order so far.
     * @return this for a fluent API.
     */
    public OrderUpdateEvent feeCost(final BigDecimal feeCost)
    {
        decimal(FEE_COST, this.feeCost, feeCost);
        return this;
    }

    /**
     * Currency of the fee, e.g. {@code USDT} or {@code BNB}: printable ASCII, at most 16 characters.
     *
     * @param feeCurrency code.
     * @return this for a fluent API.
     */
    public OrderUpdateEvent feeCurrency(final CharSequence feeCurrency)
    {
        ascii(FEE_CURRENCY, this.feeCurrency, feeCurrency);
        return this;
    }

    /**
     * Leverage of the order (futures and margin).
     *
     * @param mantissa of the leverage, not negative.
     * @param exponent of the leverage, in [-18, 18].
     * @return this for a fluent API.
     */
    public OrderUpdateEvent leverage(final long mantissa, final int exponent)
    {
        decimal(LEVERAGE, leverage, mantissa, exponent);
        return this;
    }

    /**
     * Leverage from a {@link BigDecimal}, exactly; allocates.
     *
     * @param leverage not negative.
     * @return this for a fluent API.
     */
    public OrderUpdateEvent leverage(final BigDecimal leverage)
    {
        decimal(LEVERAGE, this.leverage, leverage);
        return this;
    }

    /**
     * The exchange's timestamp of this order state, CCXT's {@code timestamp}.
     *
     * @param exchangeTimeMs milliseconds since the epoch, from 0 to {@link #MAX_EPOCH_MS}.
     * @return this for a fluent API.
     */
    public OrderUpdateEvent exchangeTimeMs(final long exchangeTimeMs)
    {
        this.exchangeTimeMs = epochMs(EXCHANGE_TIME_MS, exchangeTimeMs);
        return this;
    }

    /**
     * When the strategy received this order state locally.
     *
     * @param receiveTimeNs nanoseconds since the epoch.
     * @return this for a fluent API.
     */
    public OrderUpdateEvent receiveTimeNs(final long receiveTimeNs)
    {
        this.receiveTimeNs = timestamp(RECEIVE_TIME_NS, receiveTimeNs);
        return this;
    }

    /**
     * Who appended the event: {@link EventOrigin#STRATEGY} (the default) for the strategy's own, or
     * {@link EventOrigin#RECONCILIATION} for what reconciliation appends from the exchange's account
     * ({@code tradestate reconcile --apply}), which then also sets {@link #reconcileTimeMs(long)}.
     *
     * @param origin value.
     * @return this for a fluent API.
     */
    public OrderUpdateEvent origin(final EventOrigin origin)
    {
        this.origin = enumValue(ORIGIN, origin, EventOrigin.NULL_VAL);
        return this;
    }

    /**
     * When the reconciliation that appends this event ran; only with {@link EventOrigin#RECONCILIATION}.
     *
     * @param reconcileTimeMs since the epoch, from 0 to {@link #MAX_EPOCH_MS}.
     * @return this for a fluent API.
     */
    public OrderUpdateEvent reconcileTimeMs(final long reconcileTimeMs)
    {
        this.reconcileTimeMs = epochMs(RECONCILE_TIME_MS, reconcileTimeMs);
        return this;
    }

    void clear()
    {
        exchange.clear();
        symbol.clear();
        orderId.clear();
        clientOrderId.clear();
        feeCurrency.clear();
        price.clear();
        stopPrice.clear();
        amount.clear();
        filled.clear();
        remaining.clear();
        average.clear();
        cost.clear();
        feeCost.clear();
        leverage.clear();
        exchangeTimeMs = OrderUpdateEncoder.exchangeTimeMsNullValue();
        receiveTimeNs = OrderUpdateEncoder.receiveTimeNsNullValue();
        tradeId = OrderUpdateEncoder.tradeIdNullValue();
        side = Side.NULL_VAL;
        orderType = OrderType.NULL_VAL;
        timeInForce = TimeInForce.NULL_VAL;
        status = OrderStatus.NULL_VAL;
        reduceOnly = false;
        origin = EventOrigin.STRATEGY;
        reconcileTimeMs = OrderUpdateEncoder.reconcileTimeMsNullValue();
    }

    void checkConsistency()
    {
        check(!feeCost.isSet() || isSet(FEE_CURRENCY), "feeCurrency is required when feeCost is set");
        check(EventOrigin.RECONCILIATION == origin || !isSet(RECONCILE_TIME_MS),
            "reconcileTimeMs goes with origin RECONCILIATION");
    }

    int encodedLength()
    {
        return MessageHeaderEncoder.ENCODED_LENGTH + OrderUpdateEncoder.BLOCK_LENGTH;
    }

    void encode(final MutableDirectBuffer buffer, final long appendTimeNs)
    {
        final OrderUpdateEncoder encoder = this.encoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
            .appendTimeNs(appendTimeNs)
            .exchangeTimeMs(exchangeTimeMs)
            .receiveTimeNs(receiveTimeNs)
            .tradeId(tradeId)
            .putExchange(exchange.bytes(), 0)
            .putSymbol(symbol.bytes(), 0)
            .putOrderId(orderId.bytes(), 0)
            .putClientOrderId(clientOrderId.bytes(), 0)
            .side(side)
            .orderType(orderType)
            .timeInForce(timeInForce)
            .status(status)
            .reduceOnly(reduceOnly ? BooleanType.TRUE : BooleanType.FALSE);
        price.encodeTo(encoder.price());
        stopPrice.encodeTo(encoder.stopPrice());
        amount.encodeTo(encoder.amount());
        filled.encodeTo(encoder.filled());
        remaining.encodeTo(encoder.remaining());
        average.encodeTo(encoder.average());
        cost.encodeTo(encoder.cost());
        feeCost.encodeTo(encoder.feeCost());
        encoder.putFeeCurrency(feeCurrency.bytes(), 0);
        leverage.encodeTo(encoder.leverage());
        encoder.origin(origin);
        encoder.reconcileTimeMs(reconcileTimeMs);
    }
}
