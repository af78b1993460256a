package io.tradestate.writer;

import io.tradestate.codecs.BalanceUpdateEncoder;
import io.tradestate.codecs.EventOrigin;
import io.tradestate.codecs.MessageHeaderEncoder;
import org.agrona.MutableDirectBuffer;

import java.math.BigDecimal;

/**
 * The balance of one asset on one exchange, as CCXT's {@code fetchBalance} reports it. Started by
 * {@link TradeJournal#balanceUpdate()}.
 * <p>
 * Required: {@code exchange}, {@code asset}, {@code total}. Balances take any sign: a futures wallet can be
 * negative.
 */
public final class BalanceUpdateEvent extends JournalEvent
{
    private static final int EXCHANGE_TIME_MS = 0;
    private static final int EXCHANGE = 1;
    private static final int ASSET = 2;
    private static final int FREE = 3;
    private static final int USED = 4;
    private static final int TOTAL = 5;
    private static final int ORIGIN = 6;
    private static final int RECONCILE_TIME_MS = 7;

    private static final String[] FIELD_NAMES =
    {
        "exchangeTimeMs", "exchange", "asset", "free", "used", "total", "origin", "reconcileTimeMs",
    };

    private static final long REQUIRED = 1L << EXCHANGE | 1L << ASSET | 1L << TOTAL;

    private final BalanceUpdateEncoder encoder = new BalanceUpdateEncoder();
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final AsciiField exchange = new AsciiField("BalanceUpdate.exchange", BalanceUpdateEncoder.exchangeLength());
    private final AsciiField asset = new AsciiField("BalanceUpdate.asset", BalanceUpdateEncoder.assetLength());
    private final DecimalField free = new DecimalField("BalanceUpdate.free", false);
    private final DecimalField used = new DecimalField("BalanceUpdate.used", false);
    private final DecimalField total = new DecimalField("BalanceUpdate.total", false);
    private long exchangeTimeMs;
    private EventOrigin origin;
    private long reconcileTimeMs;

    BalanceUpdateEvent(final JournalWriter writer)
    {
        super(writer, "BalanceUpdate", FIELD_NAMES, REQUIRED);
    }

    /**
     * The exchange's time of this balance.
     *
     * @param exchangeTimeMs since the epoch, from 0 to {@link #MAX_EPOCH_MS}.
     * @return this for a fluent API.
     */
    public BalanceUpdateEvent exchangeTimeMs(final long exchangeTimeMs)
    {
        this.exchangeTimeMs = epochMs(EXCHANGE_TIME_MS, exchangeTimeMs);
        return this;
    }

    /**
     * CCXT exchange id: printable ASCII, at most 16 characters.
     *
     * @param exchange value.
     * @return this for a fluent API.
     */
    public BalanceUpdateEvent exchange(final CharSequence exchange)
    {
        ascii(EXCHANGE, this.exchange, exchange);
        return this;
    }

    /**
     * Currency code, e.g. {@code USDT}: printable ASCII, at most 16 characters.
     *
     * @param asset value.
     * @return this for a fluent API.
     */
    public BalanceUpdateEvent asset(final CharSequence asset)
    {
        ascii(ASSET, this.asset, asset);
        return this;
    }

    /**
     * Amount free to trade.
     *
     * @param mantissa of the value, any sign.
     * @param exponent of the value, in [-18, 18].
     * @return this for a fluent API.
     */
    public BalanceUpdateEvent free(final long mantissa, final int exponent)
    {
        decimal(FREE, free, mantissa, exponent);
        return this;
    }

    /**
     * Amount free to trade.
     * From a {@link BigDecimal}, exactly or not at all; allocates, so keep it off the hot path.
     *
     * @param free any sign.
     * @return this for a fluent API.
     */
    public BalanceUpdateEvent free(final BigDecimal free)
    {
        decimal(FREE, this.free, free);
        return this;
    }

    /**
     * Amount held by open orders or positions.
     *
     * @param mantissa of the value, any sign.
     * @param exponent of the value, in [-18, 18].
     * @return this for a fluent API.
     */
    public BalanceUpdateEvent used(final long mantissa, final int exponent)
    {
        decimal(USED, used, mantissa, exponent);
        return this;
    }

    /**
     * Amount held by open orders or positions.
     * From a {@link BigDecimal}, exactly or not at all; allocates, so keep it off the hot path.
     *
     * @param used any sign.
     * @return this for a fluent API.
     */
    public BalanceUpdateEvent used(final BigDecimal used)
    {
        decimal(USED, this.used, used);
        return this;
    }

    /**
     * Total amount, free plus used.
     *
     * @param mantissa of the value, any sign.
     * @param exponent of the value, in [-18, 18].
     * @return this for a fluent API.
     */
    public BalanceUpdateEvent total(final long mantissa, final int exponent)
    {
        decimal(TOTAL, total, mantissa, exponent);
        return this;
    }

    /**
     * Total amount, free plus used.
     * From a {@link BigDecimal}, exactly or not at all; allocates, so keep it off the hot path.
     *
     * @param total any sign.
     * @return this for a fluent API.
     */
    public BalanceUpdateEvent total(final BigDecimal total)
    {
        decimal(TOTAL, this.total, total);
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
    public BalanceUpdateEvent origin(final EventOrigin origin)
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
    public BalanceUpdateEvent reconcileTimeMs(final long reconcileTimeMs)
    {
        this.reconcileTimeMs = epochMs(RECONCILE_TIME_MS, reconcileTimeMs);
        return this;
    }


    void clear()
    {
        exchangeTimeMs = BalanceUpdateEncoder.exchangeTimeMsNullValue();
        exchange.clear();
        asset.clear();
        free.clear();
        used.clear();
        total.clear();
        origin = EventOrigin.STRATEGY;
        reconcileTimeMs = BalanceUpdateEncoder.reconcileTimeMsNullValue();
    }

    void checkConsistency()
    {
        check(EventOrigin.RECONCILIATION == origin || !isSet(RECONCILE_TIME_MS),
            "reconcileTimeMs goes with origin RECONCILIATION");
    }

    int encodedLength()
    {
        return MessageHeaderEncoder.ENCODED_LENGTH + BalanceUpdateEncoder.BLOCK_LENGTH;
    }

    void encode(final MutableDirectBuffer buffer, final long appendTimeNs)
    {
        final BalanceUpdateEncoder encoder = this.encoder.wrapAndApplyHeader(buffer, 0, headerEncoder);
        encoder.appendTimeNs(appendTimeNs);
        encoder.exchangeTimeMs(exchangeTimeMs);
        encoder.putExchange(exchange.bytes(), 0);
        encoder.putAsset(asset.bytes(), 0);
        free.encodeTo(encoder.free());
        used.encodeTo(encoder.used());
        total.encodeTo(encoder.total());
        encoder.origin(origin);
        encoder.reconcileTimeMs(reconcileTimeMs);
    }
}
