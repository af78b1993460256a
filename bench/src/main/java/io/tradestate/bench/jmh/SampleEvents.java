package io.tradestate.bench.jmh;

import io.tradestate.codecs.BooleanType;
import io.tradestate.codecs.EventOrigin;
import io.tradestate.codecs.Liquidity;
import io.tradestate.codecs.LockSide;
import io.tradestate.codecs.MessageHeaderEncoder;
import io.tradestate.codecs.OrderStatus;
import io.tradestate.codecs.OrderType;
import io.tradestate.codecs.OrderUpdateEncoder;
import io.tradestate.codecs.Side;
import io.tradestate.codecs.TimeInForce;
import io.tradestate.codecs.TradingMode;
import io.tradestate.writer.TradeJournal;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The events every benchmark writes, with realistic values: one partially filled Binance limit order, the fill that
 * filled it, its trade, a pair lock and a balance. The TradeState benchmarks append them through the real
 * {@link TradeJournal} API; the baselines write the very bytes {@link #encodeOrderUpdate} produces for the order
 * ({@link #ORDER_UPDATE_LENGTH} bytes: the 8-byte SBE header and the block), or the same values in their own shape.
 * {@code SampleEventsTest} checks that those bytes equal what the journal appends. Public for the harnesses of
 * {@code io.tradestate.bench} that append the same order with another id and price per event
 * ({@code SparseAppendHarness}).
 */
public final class SampleEvents
{
    static final String SOURCE_ID = "momentum-1";
    static final String EXCHANGE = "binance";
    static final String SYMBOL = "BTC/USDT";
    /**
     * The order's exchange id.
     */
    public static final String ORDER_ID = "8389765123";
    static final String CLIENT_ORDER_ID = "momentum-1-000042";
    static final long TRADE_ID = 42;
    static final long EXCHANGE_TIME_MS = 1_763_726_400_123L;
    static final long RECEIVE_TIME_NS = 1_763_726_400_131_456_789L;
    /**
     * The append time encoded into the baselines' bytes.
     */
    public static final long APPEND_TIME_NS = 1_763_726_400_131_502_000L;

    /**
     * The order's limit price, mantissa of {@link #PRICE_EXPONENT}.
     */
    public static final long PRICE_MANTISSA = 9_812_350;
    /**
     * Exponent of the order's prices.
     */
    public static final int PRICE_EXPONENT = -2;
    static final long AMOUNT_MANTISSA = 15;
    static final int AMOUNT_EXPONENT = -3;
    static final long FILLED_MANTISSA = 5;
    static final int FILLED_EXPONENT = -3;
    static final long REMAINING_MANTISSA = 10;
    static final int REMAINING_EXPONENT = -3;
    static final long COST_MANTISSA = 49_061_750;
    static final int COST_EXPONENT = -5;
    static final long FEE_COST_MANTISSA = 49_061_750;
    static final int FEE_COST_EXPONENT = -9;
    static final String FEE_CURRENCY = "USDT";

    /**
     * Length of the encoded order: SBE header and block.
     */
    public static final int ORDER_UPDATE_LENGTH = MessageHeaderEncoder.ENCODED_LENGTH + OrderUpdateEncoder.BLOCK_LENGTH;

    private static final long NULL_MANTISSA = Long.MIN_VALUE;

    private SampleEvents()
    {
    }

    /**
     * Append the order through the journal, as a strategy would.
     *
     * @param journal open journal.
     * @return the queue index.
     */
    static long appendOrderUpdate(final TradeJournal journal)
    {
        return appendOrderUpdate(journal, ORDER_ID, PRICE_MANTISSA);
    }

    /**
     * Append the order with another exchange id and price, its other values as they are.
     *
     * @param journal       open journal.
     * @param orderId       the exchange's order id, up to the schema's length.
     * @param priceMantissa the limit price, mantissa of {@link #PRICE_EXPONENT}.
     * @return the queue index.
     */
    public static long appendOrderUpdate(final TradeJournal journal, final CharSequence orderId,
        final long priceMantissa)
    {
        return journal.orderUpdate()
            .exchange(EXCHANGE).symbol(SYMBOL).orderId(orderId).clientOrderId(CLIENT_ORDER_ID).tradeId(TRADE_ID)
            .side(Side.BUY).orderType(OrderType.LIMIT).timeInForce(TimeInForce.GTC).status(OrderStatus.PARTIALLY_FILLED)
            .price(priceMantissa, PRICE_EXPONENT).amount(AMOUNT_MANTISSA, AMOUNT_EXPONENT)
            .filled(FILLED_MANTISSA, FILLED_EXPONENT).remaining(REMAINING_MANTISSA, REMAINING_EXPONENT)
            .average(priceMantissa, PRICE_EXPONENT).cost(COST_MANTISSA, COST_EXPONENT)
            .feeCost(FEE_COST_MANTISSA, FEE_COST_EXPONENT).feeCurrency(FEE_CURRENCY)
            .exchangeTimeMs(EXCHANGE_TIME_MS).receiveTimeNs(RECEIVE_TIME_NS)
            .commit();
    }

    /**
     * Append the fill of the order.
     *
     * @param journal open journal.
     * @return the queue index.
     */
    static long appendFill(final TradeJournal journal)
    {
        return journal.fill()
            .exchange(EXCHANGE).symbol(SYMBOL).fillId("3141592653").orderId(ORDER_ID).tradeId(TRADE_ID)
            .side(Side.BUY).liquidity(Liquidity.MAKER).price(PRICE_MANTISSA, PRICE_EXPONENT)
            .amount(FILLED_MANTISSA, FILLED_EXPONENT).feeCost(FEE_COST_MANTISSA, FEE_COST_EXPONENT)
            .feeCurrency(FEE_CURRENCY).exchangeTimeMs(EXCHANGE_TIME_MS)
            .commit();
    }

    /**
     * Append the trade the order opened, as freqtrade records it.
     *
     * @param journal open journal.
     * @return the queue index.
     */
    static long appendTradeUpdate(final TradeJournal journal)
    {
        return journal.tradeUpdate()
            .tradeId(TRADE_ID).openTimeMs(EXCHANGE_TIME_MS).strategy("momentum").exchange(EXCHANGE).pair(SYMBOL)
            .stakeCurrency("USDT").isShort(false).isOpen(true).tradingMode(TradingMode.SPOT).leverage(1, 0)
            .openRate(PRICE_MANTISSA, PRICE_EXPONENT).amount(FILLED_MANTISSA, FILLED_EXPONENT)
            .stakeAmount(COST_MANTISSA, COST_EXPONENT).stopLoss(9_321_732, -2).stopLossPct(-5, -2)
            .initialStopLoss(9_321_732, -2).initialStopLossPct(-5, -2).maxRate(PRICE_MANTISSA, PRICE_EXPONENT)
            .minRate(PRICE_MANTISSA, PRICE_EXPONENT).feeOpen(1, -3).enterTag("breakout")
            .commit();
    }

    /**
     * Append a pair lock, a cool-down after a stop loss.
     *
     * @param journal open journal.
     * @return the queue index.
     */
    static long appendPairLock(final TradeJournal journal)
    {
        return journal.pairLock()
            .pair(SYMBOL).side(LockSide.LONG).lockTimeMs(EXCHANGE_TIME_MS).lockEndTimeMs(EXCHANGE_TIME_MS + 3_600_000)
            .reason("cooldown after stop loss")
            .commit();
    }

    /**
     * Append the quote asset's balance after the fill.
     *
     * @param journal open journal.
     * @return the queue index.
     */
    static long appendBalanceUpdate(final TradeJournal journal)
    {
        return journal.balanceUpdate()
            .exchange(EXCHANGE).asset(FEE_CURRENCY).free(1_250_033_218, -5).used(73_592_625, -5)
            .total(1_323_625_843, -5).exchangeTimeMs(EXCHANGE_TIME_MS)
            .commit();
    }

    /**
     * Encode the order with the generated encoder, as the journal does, with a given append time.
     *
     * @param encoder       reused encoder.
     * @param header        reused header encoder.
     * @param buffer        where to encode.
     * @param offset        at which the SBE header starts.
     * @param appendTimeNs  the append time to encode.
     * @return the encoded length, {@link #ORDER_UPDATE_LENGTH}.
     */
    static int encodeOrderUpdate(
        final OrderUpdateEncoder encoder,
        final MessageHeaderEncoder header,
        final MutableDirectBuffer buffer,
        final int offset,
        final long appendTimeNs)
    {
        return encodeOrderUpdate(encoder, header, buffer, offset, appendTimeNs, ORDER_ID, PRICE_MANTISSA);
    }

    /**
     * Encode the order with another exchange id and price, as the journal does for
     * {@link #appendOrderUpdate(TradeJournal, CharSequence, long)}, with a given append time.
     *
     * @param encoder       reused encoder.
     * @param header        reused header encoder.
     * @param buffer        where to encode.
     * @param offset        at which the SBE header starts.
     * @param appendTimeNs  the append time to encode.
     * @param orderId       the exchange's order id.
     * @param priceMantissa the limit price, mantissa of {@link #PRICE_EXPONENT}.
     * @return the encoded length, {@link #ORDER_UPDATE_LENGTH}.
     */
    public static int encodeOrderUpdate(
        final OrderUpdateEncoder encoder,
        final MessageHeaderEncoder header,
        final MutableDirectBuffer buffer,
        final int offset,
        final long appendTimeNs,
        final String orderId,
        final long priceMantissa)
    {
        encoder.wrapAndApplyHeader(buffer, offset, header)
            .appendTimeNs(appendTimeNs)
            .exchangeTimeMs(EXCHANGE_TIME_MS)
            .receiveTimeNs(RECEIVE_TIME_NS)
            .tradeId(TRADE_ID)
            .exchange(EXCHANGE)
            .symbol(SYMBOL)
            .orderId(orderId)
            .clientOrderId(CLIENT_ORDER_ID)
            .side(Side.BUY)
            .orderType(OrderType.LIMIT)
            .timeInForce(TimeInForce.GTC)
            .status(OrderStatus.PARTIALLY_FILLED)
            .reduceOnly(BooleanType.FALSE);
        encoder.price().mantissa(priceMantissa).exponent((byte)PRICE_EXPONENT);
        encoder.stopPrice().mantissa(NULL_MANTISSA).exponent((byte)0);
        encoder.amount().mantissa(AMOUNT_MANTISSA).exponent((byte)AMOUNT_EXPONENT);
        encoder.filled().mantissa(FILLED_MANTISSA).exponent((byte)FILLED_EXPONENT);
        encoder.remaining().mantissa(REMAINING_MANTISSA).exponent((byte)REMAINING_EXPONENT);
        encoder.average().mantissa(priceMantissa).exponent((byte)PRICE_EXPONENT);
        encoder.cost().mantissa(COST_MANTISSA).exponent((byte)COST_EXPONENT);
        encoder.feeCost().mantissa(FEE_COST_MANTISSA).exponent((byte)FEE_COST_EXPONENT);
        encoder.feeCurrency(FEE_CURRENCY);
        encoder.leverage().mantissa(NULL_MANTISSA).exponent((byte)0);
        encoder.origin(EventOrigin.STRATEGY);
        encoder.reconcileTimeMs(OrderUpdateEncoder.reconcileTimeMsNullValue());

        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    /**
     * The order's bytes, encoded once with {@link #APPEND_TIME_NS}: what the baselines write.
     *
     * @return a buffer over a new array of exactly {@link #ORDER_UPDATE_LENGTH} bytes.
     */
    static UnsafeBuffer encodedOrderUpdate()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[ORDER_UPDATE_LENGTH]);
        encodeOrderUpdate(new OrderUpdateEncoder(), new MessageHeaderEncoder(), buffer, 0, APPEND_TIME_NS);
        return buffer;
    }
}
