package io.tradestate.codecs.event;

import io.tradestate.codecs.BalanceUpdateDecoder;
import io.tradestate.codecs.FillDecoder;
import io.tradestate.codecs.HeartbeatDecoder;
import io.tradestate.codecs.MessageHeaderDecoder;
import io.tradestate.codecs.OrderUpdateDecoder;
import io.tradestate.codecs.PairLockDecoder;
import io.tradestate.codecs.PairUnlockDecoder;
import io.tradestate.codecs.SourceStartedDecoder;
import io.tradestate.codecs.TradeUpdateDecoder;

import static io.tradestate.codecs.event.Presence.ALWAYS;
import static io.tradestate.codecs.event.Presence.OPTIONAL;
import static io.tradestate.codecs.event.Presence.REQUIRED;
import static io.tradestate.codecs.event.Presence.REQUIRED_FOR_PAIR_SCOPE;

/**
 * The messages of the journal and, for each, its fields in schema order: what makes an event acceptable and where
 * each field is stored, written down once. {@link JournalEventReader} checks an excerpt against it; the drain's COPY
 * rows, the dump's JSON, the rows {@code verify} compares and the state publisher's check all follow from it.
 * <p>
 * Adding a field to a message: the field in the schema (with {@code sinceVersion}), one line here, and a migration
 * adding its column (codecs/README.md walks through it). An excerpt of an older version reads the field as null.
 */
public enum JournalMessage
{
    SOURCE_STARTED(SourceStartedDecoder.TEMPLATE_ID, "SourceStarted", SourceStartedDecoder.BLOCK_LENGTH, null,
        SourceStatusFields.FIELDS),

    HEARTBEAT(HeartbeatDecoder.TEMPLATE_ID, "Heartbeat", HeartbeatDecoder.BLOCK_LENGTH, null,
        SourceStatusFields.FIELDS),

    ORDER_UPDATE(OrderUpdateDecoder.TEMPLATE_ID, "OrderUpdate", OrderUpdateDecoder.BLOCK_LENGTH, "order_events",
        JournalField.timeNs("appendTimeNs", OrderUpdateDecoder.appendTimeNsEncodingOffset(), REQUIRED),
        JournalField.timeMs("exchangeTimeMs", OrderUpdateDecoder.exchangeTimeMsEncodingOffset(), OPTIONAL),
        JournalField.timeNs("receiveTimeNs", OrderUpdateDecoder.receiveTimeNsEncodingOffset(), OPTIONAL),
        JournalField.int64("tradeId", OrderUpdateDecoder.tradeIdEncodingOffset(), OPTIONAL),
        JournalField.ascii("exchange", OrderUpdateDecoder.exchangeEncodingOffset(),
            OrderUpdateDecoder.exchangeLength(), REQUIRED),
        JournalField.ascii("symbol", OrderUpdateDecoder.symbolEncodingOffset(), OrderUpdateDecoder.symbolLength(),
            REQUIRED),
        JournalField.ascii("orderId", OrderUpdateDecoder.orderIdEncodingOffset(), OrderUpdateDecoder.orderIdLength(),
            REQUIRED),
        JournalField.ascii("clientOrderId", OrderUpdateDecoder.clientOrderIdEncodingOffset(),
            OrderUpdateDecoder.clientOrderIdLength(), OPTIONAL),
        JournalField.enumOf("side", OrderUpdateDecoder.sideEncodingOffset(), REQUIRED, EnumNames.SIDES),
        JournalField.enumOf("orderType", OrderUpdateDecoder.orderTypeEncodingOffset(), REQUIRED,
            EnumNames.ORDER_TYPES),
        JournalField.enumOf("timeInForce", OrderUpdateDecoder.timeInForceEncodingOffset(), OPTIONAL,
            EnumNames.TIME_IN_FORCE),
        JournalField.enumOf("status", OrderUpdateDecoder.statusEncodingOffset(), REQUIRED, EnumNames.ORDER_STATUSES),
        JournalField.bool("reduceOnly", OrderUpdateDecoder.reduceOnlyEncodingOffset()),
        JournalField.decimal("price", OrderUpdateDecoder.priceEncodingOffset(), OPTIONAL),
        JournalField.decimal("stopPrice", OrderUpdateDecoder.stopPriceEncodingOffset(), OPTIONAL),
        JournalField.decimal("amount", OrderUpdateDecoder.amountEncodingOffset(), REQUIRED),
        JournalField.decimal("filled", OrderUpdateDecoder.filledEncodingOffset(), OPTIONAL),
        JournalField.decimal("remaining", OrderUpdateDecoder.remainingEncodingOffset(), OPTIONAL),
        JournalField.decimal("average", OrderUpdateDecoder.averageEncodingOffset(), OPTIONAL),
        JournalField.decimal("cost", OrderUpdateDecoder.costEncodingOffset(), OPTIONAL),
        JournalField.decimal("feeCost", OrderUpdateDecoder.feeCostEncodingOffset(), OPTIONAL),
        JournalField.ascii("feeCurrency", OrderUpdateDecoder.feeCurrencyEncodingOffset(),
            OrderUpdateDecoder.feeCurrencyLength(), OPTIONAL),
        JournalField.decimal("leverage", OrderUpdateDecoder.leverageEncodingOffset(), OPTIONAL),
        JournalField.enumOf("origin", OrderUpdateDecoder.originEncodingOffset(), OPTIONAL, EnumNames.EVENT_ORIGINS)
            .since(2),
        JournalField.timeMs("reconcileTimeMs", OrderUpdateDecoder.reconcileTimeMsEncodingOffset(), OPTIONAL)
            .since(2)),

    FILL(FillDecoder.TEMPLATE_ID, "Fill", FillDecoder.BLOCK_LENGTH, "fills",
        JournalField.timeNs("appendTimeNs", FillDecoder.appendTimeNsEncodingOffset(), REQUIRED),
        JournalField.timeMs("exchangeTimeMs", FillDecoder.exchangeTimeMsEncodingOffset(), OPTIONAL),
        JournalField.int64("tradeId", FillDecoder.tradeIdEncodingOffset(), OPTIONAL),
        JournalField.ascii("exchange", FillDecoder.exchangeEncodingOffset(), FillDecoder.exchangeLength(), REQUIRED),
        JournalField.ascii("symbol", FillDecoder.symbolEncodingOffset(), FillDecoder.symbolLength(), REQUIRED),
        JournalField.ascii("fillId", FillDecoder.fillIdEncodingOffset(), FillDecoder.fillIdLength(), REQUIRED),
        JournalField.ascii("orderId", FillDecoder.orderIdEncodingOffset(), FillDecoder.orderIdLength(), REQUIRED),
        JournalField.enumOf("side", FillDecoder.sideEncodingOffset(), REQUIRED, EnumNames.SIDES),
        JournalField.enumOf("liquidity", FillDecoder.liquidityEncodingOffset(), OPTIONAL, EnumNames.LIQUIDITY),
        JournalField.decimal("price", FillDecoder.priceEncodingOffset(), REQUIRED),
        JournalField.decimal("amount", FillDecoder.amountEncodingOffset(), REQUIRED),
        JournalField.decimal("feeCost", FillDecoder.feeCostEncodingOffset(), OPTIONAL),
        JournalField.ascii("feeCurrency", FillDecoder.feeCurrencyEncodingOffset(), FillDecoder.feeCurrencyLength(),
            OPTIONAL),
        JournalField.enumOf("origin", FillDecoder.originEncodingOffset(), OPTIONAL, EnumNames.EVENT_ORIGINS)
            .since(2),
        JournalField.timeMs("reconcileTimeMs", FillDecoder.reconcileTimeMsEncodingOffset(), OPTIONAL)
            .since(2)),

    TRADE_UPDATE(TradeUpdateDecoder.TEMPLATE_ID, "TradeUpdate", TradeUpdateDecoder.BLOCK_LENGTH, "trade_events",
        JournalField.timeNs("appendTimeNs", TradeUpdateDecoder.appendTimeNsEncodingOffset(), REQUIRED),
        JournalField.int64("tradeId", TradeUpdateDecoder.tradeIdEncodingOffset(), REQUIRED),
        JournalField.timeMs("openTimeMs", TradeUpdateDecoder.openTimeMsEncodingOffset(), REQUIRED),
        JournalField.timeMs("closeTimeMs", TradeUpdateDecoder.closeTimeMsEncodingOffset(), OPTIONAL),
        JournalField.ascii("strategy", TradeUpdateDecoder.strategyEncodingOffset(), TradeUpdateDecoder.strategyLength(),
            REQUIRED),
        JournalField.ascii("exchange", TradeUpdateDecoder.exchangeEncodingOffset(),
            TradeUpdateDecoder.exchangeLength(), REQUIRED),
        JournalField.ascii("pair", TradeUpdateDecoder.pairEncodingOffset(), TradeUpdateDecoder.pairLength(), REQUIRED),
        JournalField.ascii("stakeCurrency", TradeUpdateDecoder.stakeCurrencyEncodingOffset(),
            TradeUpdateDecoder.stakeCurrencyLength(), OPTIONAL),
        JournalField.bool("isShort", TradeUpdateDecoder.isShortEncodingOffset()),
        JournalField.bool("isOpen", TradeUpdateDecoder.isOpenEncodingOffset()),
        JournalField.bool("isTrailingStop", TradeUpdateDecoder.isTrailingStopEncodingOffset()),
        JournalField.enumOf("tradingMode", TradeUpdateDecoder.tradingModeEncodingOffset(), REQUIRED,
            EnumNames.TRADING_MODES),
        JournalField.decimal("leverage", TradeUpdateDecoder.leverageEncodingOffset(), OPTIONAL),
        JournalField.decimal("openRate", TradeUpdateDecoder.openRateEncodingOffset(), REQUIRED),
        JournalField.decimal("amount", TradeUpdateDecoder.amountEncodingOffset(), REQUIRED),
        JournalField.decimal("stakeAmount", TradeUpdateDecoder.stakeAmountEncodingOffset(), REQUIRED),
        JournalField.decimal("stopLoss", TradeUpdateDecoder.stopLossEncodingOffset(), OPTIONAL),
        JournalField.decimal("stopLossPct", TradeUpdateDecoder.stopLossPctEncodingOffset(), OPTIONAL),
        JournalField.decimal("initialStopLoss", TradeUpdateDecoder.initialStopLossEncodingOffset(), OPTIONAL),
        JournalField.decimal("initialStopLossPct", TradeUpdateDecoder.initialStopLossPctEncodingOffset(), OPTIONAL),
        JournalField.decimal("maxRate", TradeUpdateDecoder.maxRateEncodingOffset(), OPTIONAL),
        JournalField.decimal("minRate", TradeUpdateDecoder.minRateEncodingOffset(), OPTIONAL),
        JournalField.decimal("closeRate", TradeUpdateDecoder.closeRateEncodingOffset(), OPTIONAL),
        JournalField.decimal("liquidationPrice", TradeUpdateDecoder.liquidationPriceEncodingOffset(), OPTIONAL),
        JournalField.decimal("interestRate", TradeUpdateDecoder.interestRateEncodingOffset(), OPTIONAL),
        JournalField.decimal("fundingFees", TradeUpdateDecoder.fundingFeesEncodingOffset(), OPTIONAL),
        JournalField.decimal("feeOpen", TradeUpdateDecoder.feeOpenEncodingOffset(), OPTIONAL),
        JournalField.decimal("feeClose", TradeUpdateDecoder.feeCloseEncodingOffset(), OPTIONAL),
        JournalField.decimal("realizedProfit", TradeUpdateDecoder.realizedProfitEncodingOffset(), OPTIONAL),
        JournalField.utf8("exitReason"),
        JournalField.utf8("enterTag")),

    PAIR_LOCK(PairLockDecoder.TEMPLATE_ID, "PairLock", PairLockDecoder.BLOCK_LENGTH, "pair_lock_events",
        JournalField.timeNs("appendTimeNs", PairLockDecoder.appendTimeNsEncodingOffset(), REQUIRED),
        JournalField.timeMs("lockTimeMs", PairLockDecoder.lockTimeMsEncodingOffset(), REQUIRED).storedIn("event_time"),
        JournalField.timeMs("lockEndTimeMs", PairLockDecoder.lockEndTimeMsEncodingOffset(), REQUIRED),
        JournalField.ascii("pair", PairLockDecoder.pairEncodingOffset(), PairLockDecoder.pairLength(), REQUIRED),
        JournalField.enumOf("side", PairLockDecoder.sideEncodingOffset(), REQUIRED, EnumNames.LOCK_SIDES),
        JournalField.bool("allSources", PairLockDecoder.allSourcesEncodingOffset()).since(2),
        JournalField.utf8("reason")),

    PAIR_UNLOCK(PairUnlockDecoder.TEMPLATE_ID, "PairUnlock", PairUnlockDecoder.BLOCK_LENGTH, "pair_lock_events",
        JournalField.timeNs("appendTimeNs", PairUnlockDecoder.appendTimeNsEncodingOffset(), REQUIRED),
        JournalField.timeMs("unlockTimeMs", PairUnlockDecoder.unlockTimeMsEncodingOffset(), REQUIRED)
            .storedIn("event_time"),
        JournalField.enumOf("scope", PairUnlockDecoder.scopeEncodingOffset(), REQUIRED, EnumNames.UNLOCK_SCOPES)
            .storedIn(null),
        // The pair is what a pair-scoped unlock is about; an unlock by reason may leave it empty.
        JournalField.ascii("pair", PairUnlockDecoder.pairEncodingOffset(), PairUnlockDecoder.pairLength(),
            REQUIRED_FOR_PAIR_SCOPE),
        JournalField.enumOf("side", PairUnlockDecoder.sideEncodingOffset(), REQUIRED, EnumNames.LOCK_SIDES),
        JournalField.utf8("reason")),

    BALANCE_UPDATE(BalanceUpdateDecoder.TEMPLATE_ID, "BalanceUpdate", BalanceUpdateDecoder.BLOCK_LENGTH,
        "balance_events",
        JournalField.timeNs("appendTimeNs", BalanceUpdateDecoder.appendTimeNsEncodingOffset(), REQUIRED),
        JournalField.timeMs("exchangeTimeMs", BalanceUpdateDecoder.exchangeTimeMsEncodingOffset(), OPTIONAL),
        JournalField.ascii("exchange", BalanceUpdateDecoder.exchangeEncodingOffset(),
            BalanceUpdateDecoder.exchangeLength(), REQUIRED),
        JournalField.ascii("asset", BalanceUpdateDecoder.assetEncodingOffset(), BalanceUpdateDecoder.assetLength(),
            REQUIRED),
        JournalField.decimal("free", BalanceUpdateDecoder.freeEncodingOffset(), OPTIONAL),
        JournalField.decimal("used", BalanceUpdateDecoder.usedEncodingOffset(), OPTIONAL),
        JournalField.decimal("total", BalanceUpdateDecoder.totalEncodingOffset(), REQUIRED),
        JournalField.enumOf("origin", BalanceUpdateDecoder.originEncodingOffset(), OPTIONAL, EnumNames.EVENT_ORIGINS)
            .since(2),
        JournalField.timeMs("reconcileTimeMs", BalanceUpdateDecoder.reconcileTimeMsEncodingOffset(), OPTIONAL)
            .since(2));

    private static final JournalMessage[] BY_TEMPLATE_ID = byTemplateId();

    private final int templateId;
    private final String messageName;
    private final int blockLength;
    private final String historyTable;
    private final JournalField[] fields;

    JournalMessage(
        final int templateId,
        final String messageName,
        final int blockLength,
        final String historyTable,
        final JournalField... fields)
    {
        this.templateId = templateId;
        this.messageName = messageName;
        this.blockLength = blockLength;
        this.historyTable = historyTable;
        this.fields = fields;
        for (int i = 0; i < fields.length; i++)
        {
            fields[i].position(i);
        }
    }

    /**
     * The message of a template id.
     *
     * @param templateId from the message header.
     * @return the message, or null if the schema has none of that id.
     */
    public static JournalMessage of(final int templateId)
    {
        return templateId >= 0 && templateId < BY_TEMPLATE_ID.length ? BY_TEMPLATE_ID[templateId] : null;
    }

    /**
     * The template id of the message in the schema.
     *
     * @return the id.
     */
    public int templateId()
    {
        return templateId;
    }

    /**
     * The message's name in the schema, {@code OrderUpdate}: how errors, the dump and the dead letters name it.
     *
     * @return the name.
     */
    public String messageName()
    {
        return messageName;
    }

    /**
     * The block length of this schema version: a writer of this version or a newer one never writes a shorter one.
     *
     * @return bytes.
     */
    public int blockLength()
    {
        return blockLength;
    }

    /**
     * The shortest block a writer of a schema version writes: the end of the last fixed field that version has.
     *
     * @param version from the message header.
     * @return bytes; {@link #blockLength()} for this version and any newer one.
     */
    public int blockLength(final int version)
    {
        if (version >= MessageHeaderDecoder.SCHEMA_VERSION)
        {
            return blockLength;
        }

        int end = 0;
        for (final JournalField field : fields)
        {
            if (field.sinceVersion() <= version && JournalField.VAR_DATA != field.offset())
            {
                end = Math.max(end, field.offset() + field.encodedLength());
            }
        }
        return end;
    }

    /**
     * The history table the drain stores the message in.
     *
     * @return the table's name, or null for {@code SourceStarted} and {@code Heartbeat}, which update the source's
     * row instead.
     */
    public String historyTable()
    {
        return historyTable;
    }

    /**
     * How many fields the message has.
     *
     * @return the count.
     */
    public int fieldCount()
    {
        return fields.length;
    }

    /**
     * A field of the message, in schema order.
     *
     * @param position from 0, {@code appendTimeNs} first.
     * @return the field.
     */
    public JournalField field(final int position)
    {
        return fields[position];
    }

    /**
     * A field of the message by its name in the schema.
     *
     * @param name of the field.
     * @return the field, or null if the message has none of that name.
     */
    public JournalField field(final String name)
    {
        for (final JournalField field : fields)
        {
            if (field.name().equals(name))
            {
                return field;
            }
        }
        return null;
    }

    private static JournalMessage[] byTemplateId()
    {
        int maxId = 0;
        for (final JournalMessage message : values())
        {
            maxId = Math.max(maxId, message.templateId);
        }
        final JournalMessage[] byId = new JournalMessage[maxId + 1];
        for (final JournalMessage message : values())
        {
            byId[message.templateId] = message;
        }
        return byId;
    }

    /**
     * {@code SourceStarted} and {@code Heartbeat} share their fields and offsets: the schema declares them alike, so a
     * visitor tells their fields apart from the message, not the field.
     */
    static final class SourceStatusFields
    {
        static final JournalField APPEND_TIME_NS =
            JournalField.timeNs("appendTimeNs", SourceStartedDecoder.appendTimeNsEncodingOffset(), REQUIRED);
        static final JournalField START_TIME_NS =
            JournalField.timeNs("startTimeNs", SourceStartedDecoder.startTimeNsEncodingOffset(), OPTIONAL);
        static final JournalField PID = JournalField.int64("pid", SourceStartedDecoder.pidEncodingOffset(), ALWAYS);
        static final JournalField SCHEMA_VERSION =
            JournalField.uint16("schemaVersion", SourceStartedDecoder.schemaVersionEncodingOffset());
        static final JournalField SOURCE_ID = JournalField.ascii("sourceId",
            SourceStartedDecoder.sourceIdEncodingOffset(), SourceStartedDecoder.sourceIdLength(), OPTIONAL);
        static final JournalField HOST = JournalField.ascii("host", SourceStartedDecoder.hostEncodingOffset(),
            SourceStartedDecoder.hostLength(), OPTIONAL);
        static final JournalField[] FIELDS =
        {
            APPEND_TIME_NS, START_TIME_NS, PID, SCHEMA_VERSION, SOURCE_ID, HOST,
        };

        private SourceStatusFields()
        {
        }
    }
}
