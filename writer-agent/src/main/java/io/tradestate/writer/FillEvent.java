package io.tradestate.writer;

import io.tradestate.codecs.EventOrigin;
import io.tradestate.codecs.FillEncoder;
import io.tradestate.codecs.Liquidity;
import io.tradestate.codecs.MessageHeaderEncoder;
import io.tradestate.codecs.Side;
import org.agrona.MutableDirectBuffer;

import java.math.BigDecimal;

/**
 * One execution of an order, a CCXT trade. Started by {@link TradeJournal#fill()}.
 * <p>
 * Required: {@code exchange}, {@code symbol}, {@code fillId}, {@code orderId}, {@code side}, {@code price},
 * {@code amount}; {@code feeCurrency} when {@code feeCost} is set.
 */
public final class FillEvent extends JournalEvent
{
    private static final int EXCHANGE_TIME_MS = 0;
    private static final int TRADE_ID = 1;
    private static final int EXCHANGE = 2;
    private static final int SYMBOL = 3;
    private static final int FILL_ID = 4;
    private static final int ORDER_ID = 5;
    private static final int SIDE = 6;
    private static final int LIQUIDITY = 7;
    private static final int PRICE = 8;
    private static final int AMOUNT = 9;
    private static final int FEE_COST = 10;
    private static final int FEE_CURRENCY = 11;
    private static final int ORIGIN = 12;
    private static final int RECONCILE_TIME_MS = 13;

    private static final String[] FIELD_NAMES =
    {
        "exchangeTimeMs", "tradeId", "exchange", "symbol", "fillId", "orderId", "side", "liquidity", "price",
        "amount", "feeCost", "feeCurrency", "origin", "reconcileTimeMs",
    };

    private static final long REQUIRED =
        1L << EXCHANGE | 1L << SYMBOL | 1L << FILL_ID | 1L << ORDER_ID | 1L << SIDE | 1L << PRICE | 1L << AMOUNT;

    private final FillEncoder encoder = new FillEncoder();
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final AsciiField exchange = new AsciiField("Fill.exchange", FillEncoder.exchangeLength());
    private final AsciiField symbol = new AsciiField("Fill.symbol", FillEncoder.symbolLength());
    private final AsciiField fillId = new AsciiField("Fill.fillId", FillEncoder.fillIdLength());
    private final AsciiField orderId = new AsciiField("Fill.orderId", FillEncoder.orderIdLength());
    private final DecimalField price = new DecimalField("Fill.price", true);
    private final DecimalField amount = new DecimalField("Fill.amount", true);
    private final DecimalField feeCost = new DecimalField("Fill.feeCost", false);
    private final AsciiField feeCurrency = new AsciiField("Fill.feeCurrency", FillEncoder.feeCurrencyLength());
    private long exchangeTimeMs;
    private long tradeId;
    private Side side;
    private Liquidity liquidity;
    private EventOrigin origin;
    private long reconcileTimeMs;

    FillEvent(final JournalWriter writer)
    {
        super(writer, "Fill", FIELD_NAMES, REQUIRED);
    }

    /**
     * The exchange's time of the execution.
     *
     * @param exchangeTimeMs since the epoch, from 0 to {@link #MAX_EPOCH_MS}.
     * @return this for a fluent API.
     */
    public FillEvent exchangeTimeMs(final long exchangeTimeMs)
    {
        this.exchangeTimeMs = epochMs(EXCHANGE_TIME_MS, exchangeTimeMs);
        return this;
    }

    /**
     * The strategy's trade (position) the order of this fill belongs to.
     *
     * @param tradeId not negative.
     * @return this for a fluent API.
     */
    public FillEvent tradeId(final long tradeId)
    {
        this.tradeId = id(TRADE_ID, tradeId);
        return this;
    }

    /**
     * CCXT exchange id, e.g. {@code binance}: printable ASCII, at most 16 characters.
     *
     * @param exchange value.
     * @return this for a fluent API.
     */
    public FillEvent exchange(final CharSequence exchange)
    {
        ascii(EXCHANGE, this.exchange, exchange);
        return this;
    }

    /**
     * CCXT unified symbol: printable ASCII, at most 32 characters.
     *
     * @param symbol value.
     * @return this for a fluent API.
     */
    public FillEvent symbol(final CharSequence symbol)
    {
        ascii(SYMBOL, this.symbol, symbol);
        return this;
    }

    /**
     * The exchange's id of this execution: printable ASCII, at most 64 characters.
     *
     * @param fillId value.
     * @return this for a fluent API.
     */
    public FillEvent fillId(final CharSequence fillId)
    {
        ascii(FILL_ID, this.fillId, fillId);
        return this;
    }

    /**
     * The exchange's id of the order that filled: printable ASCII, at most 64 characters.
     *
     * @param orderId value.
     * @return this for a fluent API.
     */
    public FillEvent orderId(final CharSequence orderId)
    {
        ascii(ORDER_ID, this.orderId, orderId);
        return this;
    }

    /**
     * Buy or sell.
     *
     * @param side value.
     * @return this for a fluent API.
     */
    public FillEvent side(final Side side)
    {
        this.side = enumValue(SIDE, side, Side.NULL_VAL);
        return this;
    }

    /**
     * Maker or taker; absent unless set.
     *
     * @param liquidity value.
     * @return this for a fluent API.
     */
    public FillEvent liquidity(final Liquidity liquidity)
    {
        this.liquidity = enumValue(LIQUIDITY, liquidity, Liquidity.NULL_VAL);
        return this;
    }

    /**
     * Execution price.
     *
     * @param mantissa of the value, not negative.
     * @param exponent of the value, in [-18, 18].
     * @return this for a fluent API.
     */
    public FillEvent price(final long mantissa, final int exponent)
    {
        decimal(PRICE, price, mantissa, exponent);
        return this;
    }

    /**
     * Execution price.
     * From a {@link BigDecimal}, exactly or not at all; allocates, so keep it off the hot path.
     *
     * @param price not negative.
     * @return this for a fluent API.
     */
    public FillEvent price(final BigDecimal price)
    {
        decimal(PRICE, this.price, price);
        return this;
    }

    /**
     * Executed amount in the base currency (contracts for futures).
     *
     * @param mantissa of the value, not negative.
     * @param exponent of the value, in [-18, 18].
     * @return this for a fluent API.
     */
    public FillEvent amount(final long mantissa, final int exponent)
    {
        decimal(AMOUNT, amount, mantissa, exponent);
        return this;
    }

    /**
     * Executed amount in the base currency (contracts for futures).
     * From a {@link BigDecimal}, exactly or not at all; allocates, so keep it off the hot path.
     *
     * @param amount not negative.
     * @return this for a fluent API.
     */
    public FillEvent amount(final BigDecimal amount)
    {
        decimal(AMOUNT, this.amount, amount);
        return this;
    }

    /**
     * Fee of this execution in {@code feeCurrency}; negative for a rebate.
     *
     * @param mantissa of the value, any sign.
     * @param exponent of the value, in [-18, 18].
     * @return this for a fluent API.
     */
    public FillEvent feeCost(final long mantissa, final int exponent)
    {
        decimal(FEE_COST, feeCost, mantissa, exponent);
        return this;
    }

    /**
     * Fee of this execution in {@code feeCurrency}; negative for a rebate.
     * From a {@link BigDecimal}, exactly or not at all; allocates, so keep it off the hot path.
     *
     * @param feeCost any sign.
     * @return this for a fluent API.
     */
    public FillEvent feeCost(final BigDecimal feeCost)
    {
        decimal(FEE_COST, this.feeCost, feeCost);
        return this;
    }

    /**
     * Currency of the fee: printable ASCII, at most 16 characters.
     *
     * @param feeCurrency value.
     * @return this for a fluent API.
     */
    public FillEvent feeCurrency(final CharSequence feeCurrency)
    {
        ascii(FEE_CURRENCY, this.feeCurrency, feeCurrency);
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
    public FillEvent origin(final EventOrigin origin)
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
    public FillEvent reconcileTimeMs(final long reconcileTimeMs)
    {
        this.reconcileTimeMs = epochMs(RECONCILE_TIME_MS, reconcileTimeMs);
        return this;
    }


    void clear()
    {
        exchangeTimeMs = FillEncoder.exchangeTimeMsNullValue();
        tradeId = FillEncoder.tradeIdNullValue();
        exchange.clear();
        symbol.clear();
        fillId.clear();
        orderId.clear();
        side = Side.NULL_VAL;
        liquidity = Liquidity.NULL_VAL;
        price.clear();
        amount.clear();
        feeCost.clear();
        feeCurrency.clear();
        origin = EventOrigin.STRATEGY;
        reconcileTimeMs = FillEncoder.reconcileTimeMsNullValue();
    }

    void checkConsistency()
    {
        check(!feeCost.isSet() || isSet(FEE_CURRENCY), "feeCurrency is required when feeCost is set");
        check(EventOrigin.RECONCILIATION == origin || !isSet(RECONCILE_TIME_MS),
            "reconcileTimeMs goes with origin RECONCILIATION");
    }

    int encodedLength()
    {
        return MessageHeaderEncoder.ENCODED_LENGTH + FillEncoder.BLOCK_LENGTH;
    }

    void encode(final MutableDirectBuffer buffer, final long appendTimeNs)
    {
        final FillEncoder encoder = this.encoder.wrapAndApplyHeader(buffer, 0, headerEncoder);
        encoder.appendTimeNs(appendTimeNs);
        encoder.exchangeTimeMs(exchangeTimeMs);
        encoder.tradeId(tradeId);
        encoder.putExchange(exchange.bytes(), 0);
        encoder.putSymbol(symbol.bytes(), 0);
        encoder.putFillId(fillId.bytes(), 0);
        encoder.putOrderId(orderId.bytes(), 0);
        encoder.side(side);
        encoder.liquidity(liquidity);
        price.encodeTo(encoder.price());
        amount.encodeTo(encoder.amount());
        feeCost.encodeTo(encoder.feeCost());
        encoder.putFeeCurrency(feeCurrency.bytes(), 0);
        encoder.origin(origin);
        encoder.reconcileTimeMs(reconcileTimeMs);
    }
}
