package io.tradestate.bench;

import io.tradestate.codecs.BalanceUpdateDecoder;
import io.tradestate.codecs.DecimalDecoder;
import io.tradestate.codecs.FillDecoder;
import io.tradestate.codecs.HeartbeatDecoder;
import io.tradestate.codecs.MessageHeaderDecoder;
import io.tradestate.codecs.OrderUpdateDecoder;
import io.tradestate.codecs.PairLockDecoder;
import io.tradestate.codecs.PairUnlockDecoder;
import io.tradestate.codecs.SourceStartedDecoder;
import io.tradestate.codecs.TradeUpdateDecoder;
import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * Decodes journal excerpts with the generated SBE decoders into the history rows the reader agent stores, column for
 * column as its {@code HistoryRowEncoder} writes them (the same NULLs, enum names, decimal scales and times), but as
 * typed values handed to a {@link HistoryRowSink} instead of COPY text. The baselines of
 * {@link DrainThroughputHarness} write these rows; the harness checks that they store exactly what the agent stores.
 * <p>
 * The journals are the harness's own, so nothing is validated: an excerpt this decoder cannot read fails the run.
 */
final class HistoryRowDecoder
{
    /**
     * Table number of {@code order_events}; the others follow in {@code BenchHistoryTables.TABLES} order.
     */
    static final int ORDER_EVENTS = 0;
    static final int FILLS = 1;
    static final int TRADE_EVENTS = 2;
    static final int PAIR_LOCK_EVENTS = 3;
    static final int BALANCE_EVENTS = 4;

    /**
     * What {@link #decode} returns for an excerpt without a history row ({@code SourceStarted}, {@code Heartbeat}).
     */
    static final int NO_ROW = -1;

    private static final String[] SIDES = { "buy", "sell" };
    private static final String[] ORDER_TYPES =
    {
        "market", "limit", "stop_market", "stop_limit", "take_profit_market", "take_profit_limit", "trailing_stop",
        "liquidation",
    };
    private static final String[] TIME_IN_FORCE = { "GTC", "IOC", "FOK", "PO", "GTD" };
    private static final String[] ORDER_STATUSES =
    {
        "open", "partially_filled", "closed", "canceled", "expired", "rejected",
    };
    private static final String[] LIQUIDITY = { "maker", "taker" };
    private static final String[] TRADING_MODES = { "spot", "margin", "futures" };
    private static final String[] LOCK_SIDES = { "long", "short", "*" };
    private static final short NULL_ENUM = 255;

    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final OrderUpdateDecoder orderUpdate = new OrderUpdateDecoder();
    private final FillDecoder fill = new FillDecoder();
    private final TradeUpdateDecoder tradeUpdate = new TradeUpdateDecoder();
    private final PairLockDecoder pairLock = new PairLockDecoder();
    private final PairUnlockDecoder pairUnlock = new PairUnlockDecoder();
    private final BalanceUpdateDecoder balanceUpdate = new BalanceUpdateDecoder();
    private HistoryRowSink sink;
    private DirectBuffer buffer;
    private int varPosition;

    /**
     * Decode one excerpt into the sink.
     *
     * @param sourceId the journal's source.
     * @param index    the excerpt's queue index.
     * @param buffer   holding the excerpt.
     * @param offset   of the excerpt.
     * @param sink     receives the row.
     * @return the row's table number, or {@link #NO_ROW}.
     */
    int decode(
        final String sourceId, final long index, final DirectBuffer buffer, final int offset,
        final HistoryRowSink sink)
    {
        this.sink = sink;
        this.buffer = buffer;
        header.wrap(buffer, offset);
        final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        final int blockLength = header.blockLength();
        final int version = header.version();
        switch (header.templateId())
        {
            case OrderUpdateDecoder.TEMPLATE_ID:
                orderUpdate.wrap(buffer, body, blockLength, version);
                orderUpdate(sourceId, index);
                return ORDER_EVENTS;

            case FillDecoder.TEMPLATE_ID:
                fill.wrap(buffer, body, blockLength, version);
                fill(sourceId, index);
                return FILLS;

            case TradeUpdateDecoder.TEMPLATE_ID:
                tradeUpdate.wrap(buffer, body, blockLength, version);
                tradeUpdate(sourceId, index);
                return TRADE_EVENTS;

            case PairLockDecoder.TEMPLATE_ID:
                pairLock.wrap(buffer, body, blockLength, version);
                pairLock(sourceId, index);
                return PAIR_LOCK_EVENTS;

            case PairUnlockDecoder.TEMPLATE_ID:
                pairUnlock.wrap(buffer, body, blockLength, version);
                pairUnlock(sourceId, index);
                return PAIR_LOCK_EVENTS;

            case BalanceUpdateDecoder.TEMPLATE_ID:
                balanceUpdate.wrap(buffer, body, blockLength, version);
                balanceUpdate(sourceId, index);
                return BALANCE_EVENTS;

            case SourceStartedDecoder.TEMPLATE_ID:
            case HeartbeatDecoder.TEMPLATE_ID:
                return NO_ROW;

            default:
                throw new IllegalStateException("unknown template id " + header.templateId() + " at " + index);
        }
    }

    private void orderUpdate(final String sourceId, final long index)
    {
        final OrderUpdateDecoder d = orderUpdate;
        final int base = d.offset();
        begin(ORDER_EVENTS, sourceId, index, d.appendTimeNs());
        timestampMs(d.exchangeTimeMs());
        nullableBigint(d.receiveTimeNs(), OrderUpdateDecoder.receiveTimeNsNullValue());
        nullableBigint(d.tradeId(), OrderUpdateDecoder.tradeIdNullValue());
        ascii(base + OrderUpdateDecoder.exchangeEncodingOffset(), OrderUpdateDecoder.exchangeLength());
        ascii(base + OrderUpdateDecoder.symbolEncodingOffset(), OrderUpdateDecoder.symbolLength());
        ascii(base + OrderUpdateDecoder.orderIdEncodingOffset(), OrderUpdateDecoder.orderIdLength());
        ascii(base + OrderUpdateDecoder.clientOrderIdEncodingOffset(), OrderUpdateDecoder.clientOrderIdLength());
        enumText(d.sideRaw(), SIDES);
        enumText(d.orderTypeRaw(), ORDER_TYPES);
        enumText(d.timeInForceRaw(), TIME_IN_FORCE);
        enumText(d.statusRaw(), ORDER_STATUSES);
        sink.bool(1 == d.reduceOnlyRaw());
        decimal(d.price());
        decimal(d.stopPrice());
        decimal(d.amount());
        decimal(d.filled());
        decimal(d.remaining());
        decimal(d.average());
        decimal(d.cost());
        decimal(d.feeCost());
        ascii(base + OrderUpdateDecoder.feeCurrencyEncodingOffset(), OrderUpdateDecoder.feeCurrencyLength());
        decimal(d.leverage());
        sink.endRow();
    }

    private void fill(final String sourceId, final long index)
    {
        final FillDecoder d = fill;
        final int base = d.offset();
        begin(FILLS, sourceId, index, d.appendTimeNs());
        timestampMs(d.exchangeTimeMs());
        nullableBigint(d.tradeId(), FillDecoder.tradeIdNullValue());
        ascii(base + FillDecoder.exchangeEncodingOffset(), FillDecoder.exchangeLength());
        ascii(base + FillDecoder.symbolEncodingOffset(), FillDecoder.symbolLength());
        ascii(base + FillDecoder.fillIdEncodingOffset(), FillDecoder.fillIdLength());
        ascii(base + FillDecoder.orderIdEncodingOffset(), FillDecoder.orderIdLength());
        enumText(d.sideRaw(), SIDES);
        enumText(d.liquidityRaw(), LIQUIDITY);
        decimal(d.price());
        decimal(d.amount());
        decimal(d.feeCost());
        ascii(base + FillDecoder.feeCurrencyEncodingOffset(), FillDecoder.feeCurrencyLength());
        sink.endRow();
    }

    private void tradeUpdate(final String sourceId, final long index)
    {
        final TradeUpdateDecoder d = tradeUpdate;
        final int base = d.offset();
        begin(TRADE_EVENTS, sourceId, index, d.appendTimeNs());
        sink.bigint(d.tradeId());
        timestampMs(d.openTimeMs());
        timestampMs(d.closeTimeMs());
        ascii(base + TradeUpdateDecoder.strategyEncodingOffset(), TradeUpdateDecoder.strategyLength());
        ascii(base + TradeUpdateDecoder.exchangeEncodingOffset(), TradeUpdateDecoder.exchangeLength());
        ascii(base + TradeUpdateDecoder.pairEncodingOffset(), TradeUpdateDecoder.pairLength());
        ascii(base + TradeUpdateDecoder.stakeCurrencyEncodingOffset(), TradeUpdateDecoder.stakeCurrencyLength());
        sink.bool(1 == d.isShortRaw());
        sink.bool(1 == d.isOpenRaw());
        sink.bool(1 == d.isTrailingStopRaw());
        enumText(d.tradingModeRaw(), TRADING_MODES);
        decimal(d.leverage());
        decimal(d.openRate());
        decimal(d.amount());
        decimal(d.stakeAmount());
        decimal(d.stopLoss());
        decimal(d.stopLossPct());
        decimal(d.initialStopLoss());
        decimal(d.initialStopLossPct());
        decimal(d.maxRate());
        decimal(d.minRate());
        decimal(d.closeRate());
        decimal(d.liquidationPrice());
        decimal(d.interestRate());
        decimal(d.fundingFees());
        decimal(d.feeOpen());
        decimal(d.feeClose());
        decimal(d.realizedProfit());
        varPosition = d.limit();
        varText();
        varText();
        sink.endRow();
    }

    private void pairLock(final String sourceId, final long index)
    {
        final PairLockDecoder d = pairLock;
        final int base = d.offset();
        begin(PAIR_LOCK_EVENTS, sourceId, index, d.appendTimeNs());
        sink.text("lock");
        ascii(base + PairLockDecoder.pairEncodingOffset(), PairLockDecoder.pairLength());
        enumText(d.sideRaw(), LOCK_SIDES);
        timestampMs(d.lockTimeMs());
        timestampMs(d.lockEndTimeMs());
        varPosition = d.limit();
        varText();
        sink.endRow();
    }

    private void pairUnlock(final String sourceId, final long index)
    {
        final PairUnlockDecoder d = pairUnlock;
        final int base = d.offset();
        begin(PAIR_LOCK_EVENTS, sourceId, index, d.appendTimeNs());
        sink.text("unlock");
        ascii(base + PairUnlockDecoder.pairEncodingOffset(), PairUnlockDecoder.pairLength());
        enumText(d.sideRaw(), LOCK_SIDES);
        timestampMs(d.unlockTimeMs());
        sink.nullValue();
        varPosition = d.limit();
        varText();
        sink.endRow();
    }

    private void balanceUpdate(final String sourceId, final long index)
    {
        final BalanceUpdateDecoder d = balanceUpdate;
        final int base = d.offset();
        begin(BALANCE_EVENTS, sourceId, index, d.appendTimeNs());
        timestampMs(d.exchangeTimeMs());
        ascii(base + BalanceUpdateDecoder.exchangeEncodingOffset(), BalanceUpdateDecoder.exchangeLength());
        ascii(base + BalanceUpdateDecoder.assetEncodingOffset(), BalanceUpdateDecoder.assetLength());
        decimal(d.free());
        decimal(d.used());
        decimal(d.total());
        sink.endRow();
    }

    private void begin(final int table, final String sourceId, final long index, final long appendTimeNs)
    {
        sink.beginRow(table);
        sink.text(sourceId);
        sink.bigint(index);
        sink.timestampMicros(Math.floorDiv(appendTimeNs, 1_000L));
        sink.bigint(appendTimeNs);
    }

    /**
     * A zero-padded ASCII field: the characters before the first NUL, NULL when there are none.
     */
    private void ascii(final int offset, final int maxLength)
    {
        int length = 0;
        while (length < maxLength && 0 != buffer.getByte(offset + length))
        {
            length++;
        }
        if (0 == length)
        {
            sink.nullValue();
        }
        else
        {
            sink.text(buffer, offset, length);
        }
    }

    /**
     * A var-data text at {@link #varPosition}, which then moves past it; empty is an empty text, not NULL.
     */
    private void varText()
    {
        final int length = buffer.getShort(varPosition, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        sink.text(buffer, varPosition + 2, length);
        varPosition += 2 + length;
    }

    private void enumText(final short raw, final String[] names)
    {
        if (NULL_ENUM == raw)
        {
            sink.nullValue();
        }
        else
        {
            sink.text(names[raw]);
        }
    }

    private void decimal(final DecimalDecoder decimal)
    {
        final long mantissa = decimal.mantissa();
        if (DecimalDecoder.mantissaNullValue() == mantissa)
        {
            sink.nullValue();
        }
        else
        {
            sink.decimal(mantissa, decimal.exponent());
        }
    }

    private void timestampMs(final long epochMs)
    {
        if (Long.MIN_VALUE == epochMs)
        {
            sink.nullValue();
        }
        else
        {
            sink.timestampMicros(epochMs * 1_000L);
        }
    }

    private void nullableBigint(final long value, final long nullValue)
    {
        if (nullValue == value)
        {
            sink.nullValue();
        }
        else
        {
            sink.bigint(value);
        }
    }
}
