package io.tradestate.reader;

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
import io.tradestate.writer.JournalEvent;
import org.agrona.DirectBuffer;

/**
 * Decodes one journal excerpt, checks it, and writes it as a row of its history table in COPY text form.
 * <p>
 * Design: the decoders read the excerpt in place (the buffer wraps the queue's mapped memory) and each field is
 * checked as it is written, so a bad excerpt costs one pass and a good one allocates nothing. A bad excerpt (an
 * unknown schema or template, too short for its block or its var-data, an enum or decimal out of range, a text
 * that is not printable ASCII or not valid UTF-8, a required field missing) leaves no trace in the COPY buffers:
 * the partial row is cut off, and {@link #encode} returns the reason, which goes to {@code dead_letters} with the
 * bytes. Decoders honour the header's block length and version, so an excerpt from a newer writer with extra
 * fields is read per SBE's rules (unknown fields skipped), not refused.
 */
final class HistoryRowEncoder
{
    static final int MIN_EXPONENT = -18;
    static final int MAX_EXPONENT = 18;

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
    private static final long MAX_EPOCH_MS = JournalEvent.MAX_EPOCH_MS;

    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final OrderUpdateDecoder orderUpdate = new OrderUpdateDecoder();
    private final FillDecoder fill = new FillDecoder();
    private final TradeUpdateDecoder tradeUpdate = new TradeUpdateDecoder();
    private final PairLockDecoder pairLock = new PairLockDecoder();
    private final PairUnlockDecoder pairUnlock = new PairUnlockDecoder();
    private final BalanceUpdateDecoder balanceUpdate = new BalanceUpdateDecoder();
    private final SourceStartedDecoder sourceStarted = new SourceStartedDecoder();
    private final HeartbeatDecoder heartbeat = new HeartbeatDecoder();
    private final HistoryTables tables;
    private final SourceStatusSink sourceStatus;
    private CopyTextEncoder row;
    private String message;
    private int varPosition;
    private String failure;

    HistoryRowEncoder(final HistoryTables tables, final SourceStatusSink sourceStatus)
    {
        this.tables = tables;
        this.sourceStatus = sourceStatus;
    }

    /**
     * Receives the writer identity carried by {@code SourceStarted} and {@code Heartbeat}, which have no history
     * table of their own.
     */
    interface SourceStatusSink
    {
        void onSourceStatus(
            CharSequence sourceId, boolean started, DirectBuffer buffer, int hostOffset, int hostLength, long pid,
            int schemaVersion, long startTimeNs, long appendTimeNs);
    }

    /**
     * Decode, check and encode one excerpt.
     *
     * @param sourceId the queue's source.
     * @param index    the excerpt's queue index.
     * @param buffer   the excerpt's bytes.
     * @param offset   of the excerpt in the buffer.
     * @param length   of the excerpt.
     * @return null if the excerpt was encoded (or needs no row), else why it cannot be stored.
     */
    String encode(
        final CharSequence sourceId, final long index, final DirectBuffer buffer, final int offset, final int length)
    {
        failure = null;
        row = null;
        if (length < MessageHeaderDecoder.ENCODED_LENGTH)
        {
            return "truncated: " + length + " bytes, shorter than the " + MessageHeaderDecoder.ENCODED_LENGTH +
                "-byte message header";
        }

        header.wrap(buffer, offset);
        final int schemaId = header.schemaId();
        if (MessageHeaderDecoder.SCHEMA_ID != schemaId)
        {
            return "unknown schema id " + schemaId + " (expected " + MessageHeaderDecoder.SCHEMA_ID + ")";
        }

        final int templateId = header.templateId();
        final int blockLength = header.blockLength();
        final int version = header.version();
        final int bodyOffset = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        final int limit = offset + length;
        if (bodyOffset + blockLength > limit)
        {
            return "truncated: " + length + " bytes, the header announces a block of " + blockLength;
        }

        switch (templateId)
        {
            case OrderUpdateDecoder.TEMPLATE_ID:
                if (!checkBlock("OrderUpdate", blockLength, OrderUpdateDecoder.BLOCK_LENGTH, version))
                {
                    return failure;
                }
                orderUpdate.wrap(buffer, bodyOffset, blockLength, version);
                orderUpdate(sourceId, index, buffer);
                break;

            case FillDecoder.TEMPLATE_ID:
                if (!checkBlock("Fill", blockLength, FillDecoder.BLOCK_LENGTH, version))
                {
                    return failure;
                }
                fill.wrap(buffer, bodyOffset, blockLength, version);
                fill(sourceId, index, buffer);
                break;

            case TradeUpdateDecoder.TEMPLATE_ID:
                if (!checkBlock("TradeUpdate", blockLength, TradeUpdateDecoder.BLOCK_LENGTH, version))
                {
                    return failure;
                }
                tradeUpdate.wrap(buffer, bodyOffset, blockLength, version);
                tradeUpdate(sourceId, index, buffer, limit);
                break;

            case PairLockDecoder.TEMPLATE_ID:
                if (!checkBlock("PairLock", blockLength, PairLockDecoder.BLOCK_LENGTH, version))
                {
                    return failure;
                }
                pairLock.wrap(buffer, bodyOffset, blockLength, version);
                pairLock(sourceId, index, buffer, limit);
                break;

            case PairUnlockDecoder.TEMPLATE_ID:
                if (!checkBlock("PairUnlock", blockLength, PairUnlockDecoder.BLOCK_LENGTH, version))
                {
                    return failure;
                }
                pairUnlock.wrap(buffer, bodyOffset, blockLength, version);
                pairUnlock(sourceId, index, buffer, limit);
                break;

            case BalanceUpdateDecoder.TEMPLATE_ID:
                if (!checkBlock("BalanceUpdate", blockLength, BalanceUpdateDecoder.BLOCK_LENGTH, version))
                {
                    return failure;
                }
                balanceUpdate.wrap(buffer, bodyOffset, blockLength, version);
                balanceUpdate(sourceId, index, buffer);
                break;

            case SourceStartedDecoder.TEMPLATE_ID:
                if (checkBlock("SourceStarted", blockLength, SourceStartedDecoder.BLOCK_LENGTH, version))
                {
                    sourceStarted.wrap(buffer, bodyOffset, blockLength, version);
                    sourceStatus(sourceId, true, buffer, bodyOffset + SourceStartedDecoder.hostEncodingOffset(),
                        sourceStarted.pid(), sourceStarted.schemaVersion(), sourceStarted.startTimeNs(),
                        sourceStarted.appendTimeNs());
                }
                break;

            case HeartbeatDecoder.TEMPLATE_ID:
                if (checkBlock("Heartbeat", blockLength, HeartbeatDecoder.BLOCK_LENGTH, version))
                {
                    heartbeat.wrap(buffer, bodyOffset, blockLength, version);
                    sourceStatus(sourceId, false, buffer, bodyOffset + HeartbeatDecoder.hostEncodingOffset(),
                        heartbeat.pid(), heartbeat.schemaVersion(), heartbeat.startTimeNs(),
                        heartbeat.appendTimeNs());
                }
                break;

            default:
                return "unknown template id " + templateId;
        }

        if (null != failure && null != row)
        {
            row.abortRow();
        }

        return failure;
    }

    /**
     * Remove the row being written, if any, after an unexpected failure.
     */
    void abortRow()
    {
        if (null != row)
        {
            row.abortRow();
            row = null;
        }
    }

    private void orderUpdate(final CharSequence sourceId, final long index, final DirectBuffer buffer)
    {
        final OrderUpdateDecoder d = orderUpdate;
        final int base = d.offset();
        begin("OrderUpdate", tables.orderEvents(), sourceId, index, d.appendTimeNs());
        timestampMs("exchangeTimeMs", d.exchangeTimeMs());
        nullableBigint(d.receiveTimeNs(), OrderUpdateDecoder.receiveTimeNsNullValue());
        nullableBigint(d.tradeId(), OrderUpdateDecoder.tradeIdNullValue());
        ascii("exchange", buffer, base + OrderUpdateDecoder.exchangeEncodingOffset(),
            OrderUpdateDecoder.exchangeLength(), true);
        ascii("symbol", buffer, base + OrderUpdateDecoder.symbolEncodingOffset(),
            OrderUpdateDecoder.symbolLength(), true);
        ascii("orderId", buffer, base + OrderUpdateDecoder.orderIdEncodingOffset(),
            OrderUpdateDecoder.orderIdLength(), true);
        ascii("clientOrderId", buffer, base + OrderUpdateDecoder.clientOrderIdEncodingOffset(),
            OrderUpdateDecoder.clientOrderIdLength(), false);
        enumText("side", d.sideRaw(), SIDES, true);
        enumText("orderType", d.orderTypeRaw(), ORDER_TYPES, true);
        enumText("timeInForce", d.timeInForceRaw(), TIME_IN_FORCE, false);
        enumText("status", d.statusRaw(), ORDER_STATUSES, true);
        bool("reduceOnly", d.reduceOnlyRaw());
        decimal("price", d.price(), false);
        decimal("stopPrice", d.stopPrice(), false);
        decimal("amount", d.amount(), true);
        decimal("filled", d.filled(), false);
        decimal("remaining", d.remaining(), false);
        decimal("average", d.average(), false);
        decimal("cost", d.cost(), false);
        decimal("feeCost", d.feeCost(), false);
        ascii("feeCurrency", buffer, base + OrderUpdateDecoder.feeCurrencyEncodingOffset(),
            OrderUpdateDecoder.feeCurrencyLength(), false);
        decimal("leverage", d.leverage(), false);
        end();
    }

    private void fill(final CharSequence sourceId, final long index, final DirectBuffer buffer)
    {
        final FillDecoder d = fill;
        final int base = d.offset();
        begin("Fill", tables.fills(), sourceId, index, d.appendTimeNs());
        timestampMs("exchangeTimeMs", d.exchangeTimeMs());
        nullableBigint(d.tradeId(), FillDecoder.tradeIdNullValue());
        ascii("exchange", buffer, base + FillDecoder.exchangeEncodingOffset(), FillDecoder.exchangeLength(), true);
        ascii("symbol", buffer, base + FillDecoder.symbolEncodingOffset(), FillDecoder.symbolLength(), true);
        ascii("fillId", buffer, base + FillDecoder.fillIdEncodingOffset(), FillDecoder.fillIdLength(), true);
        ascii("orderId", buffer, base + FillDecoder.orderIdEncodingOffset(), FillDecoder.orderIdLength(), true);
        enumText("side", d.sideRaw(), SIDES, true);
        enumText("liquidity", d.liquidityRaw(), LIQUIDITY, false);
        decimal("price", d.price(), true);
        decimal("amount", d.amount(), true);
        decimal("feeCost", d.feeCost(), false);
        ascii("feeCurrency", buffer, base + FillDecoder.feeCurrencyEncodingOffset(),
            FillDecoder.feeCurrencyLength(), false);
        end();
    }

    private void tradeUpdate(
        final CharSequence sourceId, final long index, final DirectBuffer buffer, final int limit)
    {
        final TradeUpdateDecoder d = tradeUpdate;
        final int base = d.offset();
        begin("TradeUpdate", tables.tradeEvents(), sourceId, index, d.appendTimeNs());
        requiredBigint("tradeId", d.tradeId(), TradeUpdateDecoder.tradeIdNullValue());
        requiredTimestampMs("openTimeMs", d.openTimeMs());
        timestampMs("closeTimeMs", d.closeTimeMs());
        ascii("strategy", buffer, base + TradeUpdateDecoder.strategyEncodingOffset(),
            TradeUpdateDecoder.strategyLength(), true);
        ascii("exchange", buffer, base + TradeUpdateDecoder.exchangeEncodingOffset(),
            TradeUpdateDecoder.exchangeLength(), true);
        ascii("pair", buffer, base + TradeUpdateDecoder.pairEncodingOffset(), TradeUpdateDecoder.pairLength(), true);
        ascii("stakeCurrency", buffer, base + TradeUpdateDecoder.stakeCurrencyEncodingOffset(),
            TradeUpdateDecoder.stakeCurrencyLength(), false);
        bool("isShort", d.isShortRaw());
        bool("isOpen", d.isOpenRaw());
        bool("isTrailingStop", d.isTrailingStopRaw());
        enumText("tradingMode", d.tradingModeRaw(), TRADING_MODES, true);
        decimal("leverage", d.leverage(), false);
        decimal("openRate", d.openRate(), true);
        decimal("amount", d.amount(), true);
        decimal("stakeAmount", d.stakeAmount(), true);
        decimal("stopLoss", d.stopLoss(), false);
        decimal("stopLossPct", d.stopLossPct(), false);
        decimal("initialStopLoss", d.initialStopLoss(), false);
        decimal("initialStopLossPct", d.initialStopLossPct(), false);
        decimal("maxRate", d.maxRate(), false);
        decimal("minRate", d.minRate(), false);
        decimal("closeRate", d.closeRate(), false);
        decimal("liquidationPrice", d.liquidationPrice(), false);
        decimal("interestRate", d.interestRate(), false);
        decimal("fundingFees", d.fundingFees(), false);
        decimal("feeOpen", d.feeOpen(), false);
        decimal("feeClose", d.feeClose(), false);
        decimal("realizedProfit", d.realizedProfit(), false);
        varPosition = d.limit();
        varText("exitReason", buffer, limit);
        varText("enterTag", buffer, limit);
        end();
    }

    private void pairLock(final CharSequence sourceId, final long index, final DirectBuffer buffer, final int limit)
    {
        final PairLockDecoder d = pairLock;
        final int base = d.offset();
        begin("PairLock", tables.pairLockEvents(), sourceId, index, d.appendTimeNs());
        row.text("lock");
        ascii("pair", buffer, base + PairLockDecoder.pairEncodingOffset(), PairLockDecoder.pairLength(), true);
        enumText("side", d.sideRaw(), LOCK_SIDES, true);
        requiredTimestampMs("lockTimeMs", d.lockTimeMs());
        requiredTimestampMs("lockEndTimeMs", d.lockEndTimeMs());
        varPosition = d.limit();
        varText("reason", buffer, limit);
        end();
    }

    private void pairUnlock(
        final CharSequence sourceId, final long index, final DirectBuffer buffer, final int limit)
    {
        final PairUnlockDecoder d = pairUnlock;
        final int base = d.offset();
        begin("PairUnlock", tables.pairLockEvents(), sourceId, index, d.appendTimeNs());
        row.text("unlock");
        final short scope = d.scopeRaw();
        ascii("pair", buffer, base + PairUnlockDecoder.pairEncodingOffset(), PairUnlockDecoder.pairLength(),
            0 == scope);
        enumText("side", d.sideRaw(), LOCK_SIDES, true);
        requiredTimestampMs("unlockTimeMs", d.unlockTimeMs());
        row.nullValue();
        varPosition = d.limit();
        varText("reason", buffer, limit);
        if (null == failure && scope != 0 && scope != 1)
        {
            fail("scope", "invalid enum value " + scope);
        }
        end();
    }

    private void balanceUpdate(final CharSequence sourceId, final long index, final DirectBuffer buffer)
    {
        final BalanceUpdateDecoder d = balanceUpdate;
        final int base = d.offset();
        begin("BalanceUpdate", tables.balanceEvents(), sourceId, index, d.appendTimeNs());
        timestampMs("exchangeTimeMs", d.exchangeTimeMs());
        ascii("exchange", buffer, base + BalanceUpdateDecoder.exchangeEncodingOffset(),
            BalanceUpdateDecoder.exchangeLength(), true);
        ascii("asset", buffer, base + BalanceUpdateDecoder.assetEncodingOffset(),
            BalanceUpdateDecoder.assetLength(), true);
        decimal("free", d.free(), false);
        decimal("used", d.used(), false);
        decimal("total", d.total(), true);
        end();
    }

    private void sourceStatus(
        final CharSequence sourceId,
        final boolean started,
        final DirectBuffer buffer,
        final int hostOffset,
        final long pid,
        final int schemaVersion,
        final long startTimeNs,
        final long appendTimeNs)
    {
        message = started ? "SourceStarted" : "Heartbeat";
        final int hostLength = asciiLength(buffer, hostOffset, SourceStartedDecoder.hostLength());
        if (hostLength < 0)
        {
            fail("host", "is not printable ASCII");
        }
        else
        {
            sourceStatus.onSourceStatus(
                sourceId, started, buffer, hostOffset, hostLength, pid, schemaVersion, startTimeNs, appendTimeNs);
        }
    }

    private boolean checkBlock(final String name, final int blockLength, final int knownLength, final int version)
    {
        message = name;
        if (version >= 1 && blockLength < knownLength)
        {
            // A writer of the same or a newer version never shortens a block: fields are only ever appended.
            failure = name + ": block of " + blockLength + " bytes is shorter than the " + knownLength +
                " of schema version " + MessageHeaderDecoder.SCHEMA_VERSION;
        }
        else if (version < 1)
        {
            failure = name + ": schema version " + version + " is older than any writer";
        }
        return null == failure;
    }

    private void begin(
        final String name, final CopyTextEncoder table, final CharSequence sourceId, final long index,
        final long appendTimeNs)
    {
        message = name;
        if (null != failure)
        {
            return;
        }

        row = table;
        row.text(sourceId);
        row.bigint(index);
        if (appendTimeNs < 0)
        {
            fail("appendTimeNs", "is not a time: " + appendTimeNs);
            return;
        }
        row.timestampFromEpochNanos(appendTimeNs);
        row.bigint(appendTimeNs);
    }

    private void end()
    {
        if (null == failure)
        {
            row.endRow();
        }
    }

    private void ascii(
        final String field, final DirectBuffer buffer, final int offset, final int maxLength, final boolean required)
    {
        if (null != failure)
        {
            return;
        }

        final int length = asciiLength(buffer, offset, maxLength);
        if (length < 0)
        {
            fail(field, "is not printable ASCII");
        }
        else if (0 == length)
        {
            if (required)
            {
                fail(field, "is required but empty");
            }
            else
            {
                row.nullValue();
            }
        }
        else
        {
            row.asciiText(buffer, offset, length);
        }
    }

    /**
     * One var-data field at {@link #varPosition}, which then moves past it: var-data fields follow each other in
     * schema order after the fixed block.
     */
    private void varText(final String field, final DirectBuffer buffer, final int limit)
    {
        if (null != failure)
        {
            return;
        }

        final int position = varPosition;
        if (position + 2 > limit)
        {
            fail(field, "truncated: no room for its length");
            return;
        }

        final int length = buffer.getShort(position, java.nio.ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        if (position + 2 + length > limit)
        {
            fail(field, "truncated: " + length + " bytes announced, " + (limit - position - 2) + " present");
            return;
        }

        if (!Utf8.isValid(buffer, position + 2, length))
        {
            fail(field, "is not valid UTF-8 or contains a NUL");
            return;
        }

        row.utf8Text(buffer, position + 2, length);
        varPosition = position + 2 + length;
    }

    private void enumText(final String field, final short raw, final String[] names, final boolean required)
    {
        if (null != failure)
        {
            return;
        }

        if (NULL_ENUM == raw)
        {
            if (required)
            {
                fail(field, "is required but null");
            }
            else
            {
                row.nullValue();
            }
        }
        else if (raw < 0 || raw >= names.length)
        {
            fail(field, "invalid enum value " + raw);
        }
        else
        {
            row.text(names[raw]);
        }
    }

    private void bool(final String field, final short raw)
    {
        if (null != failure)
        {
            return;
        }

        if (0 == raw || 1 == raw)
        {
            row.bool(1 == raw);
        }
        else
        {
            fail(field, "invalid boolean value " + raw);
        }
    }

    private void decimal(final String field, final DecimalDecoder decimal, final boolean required)
    {
        if (null != failure)
        {
            return;
        }

        final long mantissa = decimal.mantissa();
        final int exponent = decimal.exponent();
        if (DecimalDecoder.mantissaNullValue() == mantissa)
        {
            if (required)
            {
                fail(field, "is required but null");
            }
            else
            {
                row.nullValue();
            }
        }
        else if (exponent < MIN_EXPONENT || exponent > MAX_EXPONENT)
        {
            fail(field, "exponent " + exponent + " is outside [" + MIN_EXPONENT + ", " + MAX_EXPONENT + "]");
        }
        else
        {
            row.decimal(mantissa, exponent);
        }
    }

    private void timestampMs(final String field, final long epochMs)
    {
        if (null != failure)
        {
            return;
        }

        if (Long.MIN_VALUE == epochMs)
        {
            row.nullValue();
        }
        else if (epochMs < 0 || epochMs > MAX_EPOCH_MS)
        {
            fail(field, "is not a time: " + epochMs);
        }
        else
        {
            row.timestampFromEpochMillis(epochMs);
        }
    }

    private void requiredTimestampMs(final String field, final long epochMs)
    {
        if (null == failure && Long.MIN_VALUE == epochMs)
        {
            fail(field, "is required but null");
            return;
        }
        timestampMs(field, epochMs);
    }

    private void nullableBigint(final long value, final long nullValue)
    {
        if (null == failure)
        {
            if (nullValue == value)
            {
                row.nullValue();
            }
            else
            {
                row.bigint(value);
            }
        }
    }

    private void requiredBigint(final String field, final long value, final long nullValue)
    {
        if (null == failure)
        {
            if (nullValue == value)
            {
                fail(field, "is required but null");
            }
            else
            {
                row.bigint(value);
            }
        }
    }

    private void fail(final String field, final String why)
    {
        failure = message + "." + field + " " + why;
    }

    /**
     * Length of a zero-padded printable-ASCII field.
     *
     * @return the characters before the first NUL, or -1 if one of them is not printable ASCII.
     */
    static int asciiLength(final DirectBuffer buffer, final int offset, final int maxLength)
    {
        for (int i = 0; i < maxLength; i++)
        {
            final byte b = buffer.getByte(offset + i);
            if (0 == b)
            {
                for (int j = i + 1; j < maxLength; j++)
                {
                    if (0 != buffer.getByte(offset + j))
                    {
                        return -1;
                    }
                }
                return i;
            }
            if (b < 0x20 || b > 0x7E)
            {
                return -1;
            }
        }
        return maxLength;
    }

}
