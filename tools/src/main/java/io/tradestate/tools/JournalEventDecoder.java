package io.tradestate.tools;

import io.tradestate.codecs.BalanceUpdateDecoder;
import io.tradestate.codecs.FillDecoder;
import io.tradestate.codecs.HeartbeatDecoder;
import io.tradestate.codecs.MessageHeaderDecoder;
import io.tradestate.codecs.OrderUpdateDecoder;
import io.tradestate.codecs.PairLockDecoder;
import io.tradestate.codecs.PairUnlockDecoder;
import io.tradestate.codecs.SourceStartedDecoder;
import io.tradestate.codecs.TradeUpdateDecoder;
import org.agrona.DirectBuffer;

/**
 * Decodes one journal excerpt with the generated SBE decoders, checks it, and writes every field of it to a
 * {@link JsonEventWriter}; an excerpt that fails a check is not written and {@link #decode} says why.
 * <p>
 * Design: the checks are the reader agent's ({@code HistoryRowEncoder}): known schema and template, a block no
 * shorter than this version's, var-data inside the excerpt and valid UTF-8 without NUL, fixed text printable ASCII,
 * enums and booleans in range, decimal exponents in [-18, 18], millisecond times between 1970 and 9999, required
 * fields present. So an entry the drainer dead-letters shows here as undecodable (the dump also checks the append
 * time and source id of {@code SourceStarted} and {@code Heartbeat}, which the drainer does not store). The
 * decoders read the excerpt in place and honour the header's block length and version: a newer writer's extra
 * fields are skipped, not refused. Fixed-length text is read at its offset, var-data by walking from the end of the
 * block, as the reader does, so SBE's field-order checks never trip. This class knows where each field is; the
 * {@link CheckedFieldWriter} checks and writes it.
 * <p>
 * The values the dump filters on (message name, symbol or pair, order ids, append time) are kept after a decode.
 */
final class JournalEventDecoder
{
    static final String UNDECODABLE = "undecodable";

    // The names the reader agent stores; the verify and state tools use them too.
    static final String[] SIDES = { "buy", "sell" };
    static final String[] ORDER_TYPES =
    {
        "market", "limit", "stop_market", "stop_limit", "take_profit_market", "take_profit_limit", "trailing_stop",
        "liquidation",
    };
    static final String[] TIME_IN_FORCE = { "GTC", "IOC", "FOK", "PO", "GTD" };
    static final String[] ORDER_STATUSES =
    {
        "open", "partially_filled", "closed", "canceled", "expired", "rejected",
    };
    static final String[] LIQUIDITY = { "maker", "taker" };
    static final String[] TRADING_MODES = { "spot", "margin", "futures" };
    static final String[] LOCK_SIDES = { "long", "short", "*" };
    static final String[] UNLOCK_SCOPES = { "pair", "reason" };

    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final OrderUpdateDecoder orderUpdate = new OrderUpdateDecoder();
    private final FillDecoder fill = new FillDecoder();
    private final TradeUpdateDecoder tradeUpdate = new TradeUpdateDecoder();
    private final PairLockDecoder pairLock = new PairLockDecoder();
    private final PairUnlockDecoder pairUnlock = new PairUnlockDecoder();
    private final BalanceUpdateDecoder balanceUpdate = new BalanceUpdateDecoder();
    private final SourceStartedDecoder sourceStarted = new SourceStartedDecoder();
    private final HeartbeatDecoder heartbeat = new HeartbeatDecoder();
    private final StringBuilder symbol = new StringBuilder(32);
    private final StringBuilder orderId = new StringBuilder(64);
    private final StringBuilder clientOrderId = new StringBuilder(64);
    private final CheckedFieldWriter fields;
    private String message;
    private long appendTimeNs;

    JournalEventDecoder(final JsonEventWriter json)
    {
        this.fields = new CheckedFieldWriter(json);
    }

    /**
     * Decode, check and write one excerpt as a JSON object.
     *
     * @param index  the excerpt's queue index.
     * @param buffer the excerpt's bytes.
     * @param offset of the excerpt in the buffer.
     * @param length of the excerpt.
     * @return null if the JSON writer holds the event, else why the excerpt cannot be decoded.
     */
    String decode(final long index, final DirectBuffer buffer, final int offset, final int length)
    {
        abort();
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
                if (checkBlock("OrderUpdate", blockLength, OrderUpdateDecoder.BLOCK_LENGTH, version, limit))
                {
                    orderUpdate.wrap(buffer, bodyOffset, blockLength, version);
                    orderUpdate(index, buffer);
                }
                break;

            case FillDecoder.TEMPLATE_ID:
                if (checkBlock("Fill", blockLength, FillDecoder.BLOCK_LENGTH, version, limit))
                {
                    fill.wrap(buffer, bodyOffset, blockLength, version);
                    fill(index, buffer);
                }
                break;

            case TradeUpdateDecoder.TEMPLATE_ID:
                if (checkBlock("TradeUpdate", blockLength, TradeUpdateDecoder.BLOCK_LENGTH, version, limit))
                {
                    tradeUpdate.wrap(buffer, bodyOffset, blockLength, version);
                    tradeUpdate(index, buffer);
                }
                break;

            case PairLockDecoder.TEMPLATE_ID:
                if (checkBlock("PairLock", blockLength, PairLockDecoder.BLOCK_LENGTH, version, limit))
                {
                    pairLock.wrap(buffer, bodyOffset, blockLength, version);
                    pairLock(index, buffer);
                }
                break;

            case PairUnlockDecoder.TEMPLATE_ID:
                if (checkBlock("PairUnlock", blockLength, PairUnlockDecoder.BLOCK_LENGTH, version, limit))
                {
                    pairUnlock.wrap(buffer, bodyOffset, blockLength, version);
                    pairUnlock(index, buffer);
                }
                break;

            case BalanceUpdateDecoder.TEMPLATE_ID:
                if (checkBlock("BalanceUpdate", blockLength, BalanceUpdateDecoder.BLOCK_LENGTH, version, limit))
                {
                    balanceUpdate.wrap(buffer, bodyOffset, blockLength, version);
                    balanceUpdate(index, buffer);
                }
                break;

            case SourceStartedDecoder.TEMPLATE_ID:
                if (checkBlock("SourceStarted", blockLength, SourceStartedDecoder.BLOCK_LENGTH, version, limit))
                {
                    sourceStarted.wrap(buffer, bodyOffset, blockLength, version);
                    final SourceStartedDecoder d = sourceStarted;
                    sourceStatus(index, buffer, d.offset(), d.appendTimeNs(), d.startTimeNs(), d.pid(),
                        d.schemaVersion());
                }
                break;

            case HeartbeatDecoder.TEMPLATE_ID:
                if (checkBlock("Heartbeat", blockLength, HeartbeatDecoder.BLOCK_LENGTH, version, limit))
                {
                    heartbeat.wrap(buffer, bodyOffset, blockLength, version);
                    final HeartbeatDecoder d = heartbeat;
                    sourceStatus(index, buffer, d.offset(), d.appendTimeNs(), d.startTimeNs(), d.pid(),
                        d.schemaVersion());
                }
                break;

            default:
                return "unknown template id " + templateId;
        }

        final String failure = fields.failure();
        if (null != failure)
        {
            abort();
        }
        else
        {
            message = fields.message();
            appendTimeNs = fields.appendTimeNs();
        }
        return failure;
    }

    /**
     * Forget the last entry: it is undecodable, with no symbol, order id or append time. For a caller whose
     * {@link #decode} call threw.
     */
    void abort()
    {
        message = UNDECODABLE;
        appendTimeNs = CheckedFieldWriter.NULL_TIME;
        symbol.setLength(0);
        orderId.setLength(0);
        clientOrderId.setLength(0);
    }

    /**
     * Message name of the last excerpt decoded, {@code undecodable} if it failed.
     *
     * @return the name, as in the schema.
     */
    String messageName()
    {
        return message;
    }

    /**
     * The symbol or pair of the last event decoded.
     *
     * @return the text, empty if the event has none.
     */
    CharSequence symbol()
    {
        return symbol;
    }

    /**
     * The order id of the last event decoded.
     *
     * @return the text, empty if the event has none.
     */
    CharSequence orderId()
    {
        return orderId;
    }

    /**
     * The client order id of the last event decoded.
     *
     * @return the text, empty if the event has none.
     */
    CharSequence clientOrderId()
    {
        return clientOrderId;
    }

    /**
     * The append time of the last event decoded.
     *
     * @return nanoseconds since the epoch, {@link Long#MIN_VALUE} if the excerpt failed.
     */
    long appendTimeNs()
    {
        return appendTimeNs;
    }

    private void orderUpdate(final long index, final DirectBuffer buffer)
    {
        final OrderUpdateDecoder d = orderUpdate;
        final int base = d.offset();
        fields.begin(index, d.appendTimeNs());
        fields.timeMs("exchangeTimeMs", "exchangeTime", d.exchangeTimeMs(), false);
        fields.timeNs("receiveTimeNs", "receiveTime", d.receiveTimeNs());
        fields.optionalNumber("tradeId", d.tradeId(), OrderUpdateDecoder.tradeIdNullValue());
        fields.ascii("exchange", buffer, base + OrderUpdateDecoder.exchangeEncodingOffset(),
            OrderUpdateDecoder.exchangeLength(), true, null);
        fields.ascii("symbol", buffer, base + OrderUpdateDecoder.symbolEncodingOffset(),
            OrderUpdateDecoder.symbolLength(), true, symbol);
        fields.ascii("orderId", buffer, base + OrderUpdateDecoder.orderIdEncodingOffset(),
            OrderUpdateDecoder.orderIdLength(), true, orderId);
        fields.ascii("clientOrderId", buffer, base + OrderUpdateDecoder.clientOrderIdEncodingOffset(),
            OrderUpdateDecoder.clientOrderIdLength(), false, clientOrderId);
        fields.enumName("side", d.sideRaw(), SIDES, true);
        fields.enumName("orderType", d.orderTypeRaw(), ORDER_TYPES, true);
        fields.enumName("timeInForce", d.timeInForceRaw(), TIME_IN_FORCE, false);
        fields.enumName("status", d.statusRaw(), ORDER_STATUSES, true);
        fields.bool("reduceOnly", d.reduceOnlyRaw());
        fields.decimal("price", d.price(), false);
        fields.decimal("stopPrice", d.stopPrice(), false);
        fields.decimal("amount", d.amount(), true);
        fields.decimal("filled", d.filled(), false);
        fields.decimal("remaining", d.remaining(), false);
        fields.decimal("average", d.average(), false);
        fields.decimal("cost", d.cost(), false);
        fields.decimal("feeCost", d.feeCost(), false);
        fields.ascii("feeCurrency", buffer, base + OrderUpdateDecoder.feeCurrencyEncodingOffset(),
            OrderUpdateDecoder.feeCurrencyLength(), false, null);
        fields.decimal("leverage", d.leverage(), false);
        fields.end();
    }

    private void fill(final long index, final DirectBuffer buffer)
    {
        final FillDecoder d = fill;
        final int base = d.offset();
        fields.begin(index, d.appendTimeNs());
        fields.timeMs("exchangeTimeMs", "exchangeTime", d.exchangeTimeMs(), false);
        fields.optionalNumber("tradeId", d.tradeId(), FillDecoder.tradeIdNullValue());
        fields.ascii("exchange", buffer, base + FillDecoder.exchangeEncodingOffset(), FillDecoder.exchangeLength(),
            true, null);
        fields.ascii("symbol", buffer, base + FillDecoder.symbolEncodingOffset(), FillDecoder.symbolLength(), true,
            symbol);
        fields.ascii("fillId", buffer, base + FillDecoder.fillIdEncodingOffset(), FillDecoder.fillIdLength(), true,
            null);
        fields.ascii("orderId", buffer, base + FillDecoder.orderIdEncodingOffset(), FillDecoder.orderIdLength(), true,
            orderId);
        fields.enumName("side", d.sideRaw(), SIDES, true);
        fields.enumName("liquidity", d.liquidityRaw(), LIQUIDITY, false);
        fields.decimal("price", d.price(), true);
        fields.decimal("amount", d.amount(), true);
        fields.decimal("feeCost", d.feeCost(), false);
        fields.ascii("feeCurrency", buffer, base + FillDecoder.feeCurrencyEncodingOffset(),
            FillDecoder.feeCurrencyLength(), false, null);
        fields.end();
    }

    private void tradeUpdate(final long index, final DirectBuffer buffer)
    {
        final TradeUpdateDecoder d = tradeUpdate;
        final int base = d.offset();
        fields.begin(index, d.appendTimeNs());
        fields.requiredNumber("tradeId", d.tradeId(), TradeUpdateDecoder.tradeIdNullValue());
        fields.timeMs("openTimeMs", "openTime", d.openTimeMs(), true);
        fields.timeMs("closeTimeMs", "closeTime", d.closeTimeMs(), false);
        fields.ascii("strategy", buffer, base + TradeUpdateDecoder.strategyEncodingOffset(),
            TradeUpdateDecoder.strategyLength(), true, null);
        fields.ascii("exchange", buffer, base + TradeUpdateDecoder.exchangeEncodingOffset(),
            TradeUpdateDecoder.exchangeLength(), true, null);
        fields.ascii("pair", buffer, base + TradeUpdateDecoder.pairEncodingOffset(), TradeUpdateDecoder.pairLength(),
            true, symbol);
        fields.ascii("stakeCurrency", buffer, base + TradeUpdateDecoder.stakeCurrencyEncodingOffset(),
            TradeUpdateDecoder.stakeCurrencyLength(), false, null);
        fields.bool("isShort", d.isShortRaw());
        fields.bool("isOpen", d.isOpenRaw());
        fields.bool("isTrailingStop", d.isTrailingStopRaw());
        fields.enumName("tradingMode", d.tradingModeRaw(), TRADING_MODES, true);
        fields.decimal("leverage", d.leverage(), false);
        fields.decimal("openRate", d.openRate(), true);
        fields.decimal("amount", d.amount(), true);
        fields.decimal("stakeAmount", d.stakeAmount(), true);
        fields.decimal("stopLoss", d.stopLoss(), false);
        fields.decimal("stopLossPct", d.stopLossPct(), false);
        fields.decimal("initialStopLoss", d.initialStopLoss(), false);
        fields.decimal("initialStopLossPct", d.initialStopLossPct(), false);
        fields.decimal("maxRate", d.maxRate(), false);
        fields.decimal("minRate", d.minRate(), false);
        fields.decimal("closeRate", d.closeRate(), false);
        fields.decimal("liquidationPrice", d.liquidationPrice(), false);
        fields.decimal("interestRate", d.interestRate(), false);
        fields.decimal("fundingFees", d.fundingFees(), false);
        fields.decimal("feeOpen", d.feeOpen(), false);
        fields.decimal("feeClose", d.feeClose(), false);
        fields.decimal("realizedProfit", d.realizedProfit(), false);
        fields.varDataAt(d.limit());
        fields.varText("exitReason", buffer);
        fields.varText("enterTag", buffer);
        fields.end();
    }

    private void pairLock(final long index, final DirectBuffer buffer)
    {
        final PairLockDecoder d = pairLock;
        final int base = d.offset();
        fields.begin(index, d.appendTimeNs());
        fields.timeMs("lockTimeMs", "lockTime", d.lockTimeMs(), true);
        fields.timeMs("lockEndTimeMs", "lockEndTime", d.lockEndTimeMs(), true);
        fields.ascii("pair", buffer, base + PairLockDecoder.pairEncodingOffset(), PairLockDecoder.pairLength(), true,
            symbol);
        fields.enumName("side", d.sideRaw(), LOCK_SIDES, true);
        fields.varDataAt(d.limit());
        fields.varText("reason", buffer);
        fields.end();
    }

    private void pairUnlock(final long index, final DirectBuffer buffer)
    {
        final PairUnlockDecoder d = pairUnlock;
        final int base = d.offset();
        fields.begin(index, d.appendTimeNs());
        fields.timeMs("unlockTimeMs", "unlockTime", d.unlockTimeMs(), true);
        final short scope = d.scopeRaw();
        fields.enumName("scope", scope, UNLOCK_SCOPES, true);
        // The pair is what a pair-scoped unlock is about; an unlock by reason may leave it empty.
        fields.ascii("pair", buffer, base + PairUnlockDecoder.pairEncodingOffset(), PairUnlockDecoder.pairLength(),
            0 == scope, symbol);
        fields.enumName("side", d.sideRaw(), LOCK_SIDES, true);
        fields.varDataAt(d.limit());
        fields.varText("reason", buffer);
        fields.end();
    }

    private void balanceUpdate(final long index, final DirectBuffer buffer)
    {
        final BalanceUpdateDecoder d = balanceUpdate;
        final int base = d.offset();
        fields.begin(index, d.appendTimeNs());
        fields.timeMs("exchangeTimeMs", "exchangeTime", d.exchangeTimeMs(), false);
        fields.ascii("exchange", buffer, base + BalanceUpdateDecoder.exchangeEncodingOffset(),
            BalanceUpdateDecoder.exchangeLength(), true, null);
        fields.ascii("asset", buffer, base + BalanceUpdateDecoder.assetEncodingOffset(),
            BalanceUpdateDecoder.assetLength(), true, null);
        fields.decimal("free", d.free(), false);
        fields.decimal("used", d.used(), false);
        fields.decimal("total", d.total(), true);
        fields.end();
    }

    /**
     * {@code SourceStarted} and {@code Heartbeat} share their fields and offsets: the schema declares them alike.
     */
    private void sourceStatus(
        final long index,
        final DirectBuffer buffer,
        final int base,
        final long appendTimeNs,
        final long startTimeNs,
        final long pid,
        final int schemaVersion)
    {
        fields.begin(index, appendTimeNs);
        fields.timeNs("startTimeNs", "startTime", startTimeNs);
        fields.number("pid", pid);
        fields.number("schemaVersion", schemaVersion);
        fields.ascii("sourceId", buffer, base + SourceStartedDecoder.sourceIdEncodingOffset(),
            SourceStartedDecoder.sourceIdLength(), false, null);
        fields.ascii("host", buffer, base + SourceStartedDecoder.hostEncodingOffset(),
            SourceStartedDecoder.hostLength(), false, null);
        fields.end();
    }

    private boolean checkBlock(
        final String name, final int blockLength, final int knownLength, final int version, final int limit)
    {
        fields.start(name, limit);
        if (version < 1)
        {
            fields.failMessage(name + ": schema version " + version + " is older than any writer");
        }
        else if (blockLength < knownLength)
        {
            // A writer of the same or a newer version never shortens a block: fields are only ever appended.
            fields.failMessage(name + ": block of " + blockLength + " bytes is shorter than the " + knownLength +
                " of schema version " + MessageHeaderDecoder.SCHEMA_VERSION);
        }
        return null == fields.failure();
    }
}
