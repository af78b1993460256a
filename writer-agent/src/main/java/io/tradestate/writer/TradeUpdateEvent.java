package io.tradestate.writer;

import io.tradestate.codecs.BooleanType;
import io.tradestate.codecs.MessageHeaderEncoder;
import io.tradestate.codecs.TradeUpdateEncoder;
import io.tradestate.codecs.TradingMode;
import org.agrona.MutableDirectBuffer;

import java.math.BigDecimal;

/**
 * The latest state of one trade (position), as freqtrade's {@code Trade}. Started by
 * {@link TradeJournal#tradeUpdate()}.
 * <p>
 * Required: {@code tradeId}, {@code openTimeMs}, {@code strategy}, {@code exchange}, {@code pair},
 * {@code openRate}, {@code amount}, {@code stakeAmount}; {@code closeRate} and {@code closeTimeMs} once the trade
 * is closed. Ratios that are naturally negative (stop loss), fees funded both ways and profit take any sign;
 * prices, amounts and rates do not.
 */
public final class TradeUpdateEvent extends JournalEvent
{
    private static final int TRADE_ID = 0;
    private static final int OPEN_TIME_MS = 1;
    private static final int CLOSE_TIME_MS = 2;
    private static final int STRATEGY = 3;
    private static final int EXCHANGE = 4;
    private static final int PAIR = 5;
    private static final int STAKE_CURRENCY = 6;
    private static final int IS_SHORT = 7;
    private static final int IS_OPEN = 8;
    private static final int IS_TRAILING_STOP = 9;
    private static final int TRADING_MODE = 10;
    private static final int LEVERAGE = 11;
    private static final int OPEN_RATE = 12;
    private static final int AMOUNT = 13;
    private static final int STAKE_AMOUNT = 14;
    private static final int STOP_LOSS = 15;
    private static final int STOP_LOSS_PCT = 16;
    private static final int INITIAL_STOP_LOSS = 17;
    private static final int INITIAL_STOP_LOSS_PCT = 18;
    private static final int MAX_RATE = 19;
    private static final int MIN_RATE = 20;
    private static final int CLOSE_RATE = 21;
    private static final int LIQUIDATION_PRICE = 22;
    private static final int INTEREST_RATE = 23;
    private static final int FUNDING_FEES = 24;
    private static final int FEE_OPEN = 25;
    private static final int FEE_CLOSE = 26;
    private static final int REALIZED_PROFIT = 27;
    private static final int EXIT_REASON = 28;
    private static final int ENTER_TAG = 29;

    private static final String[] FIELD_NAMES =
    {
        "tradeId", "openTimeMs", "closeTimeMs", "strategy", "exchange", "pair", "stakeCurrency", "isShort",
        "isOpen", "isTrailingStop", "tradingMode", "leverage", "openRate", "amount", "stakeAmount", "stopLoss",
        "stopLossPct", "initialStopLoss", "initialStopLossPct", "maxRate", "minRate", "closeRate",
        "liquidationPrice", "interestRate", "fundingFees", "feeOpen", "feeClose", "realizedProfit", "exitReason",
        "enterTag",
    };

    private static final long REQUIRED =
        1L << TRADE_ID | 1L << OPEN_TIME_MS | 1L << STRATEGY | 1L << EXCHANGE | 1L << PAIR | 1L << OPEN_RATE |
        1L << AMOUNT | 1L << STAKE_AMOUNT;

    private final TradeUpdateEncoder encoder = new TradeUpdateEncoder();
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final AsciiField strategy = new AsciiField("TradeUpdate.strategy", TradeUpdateEncoder.strategyLength());
    private final AsciiField exchange = new AsciiField("TradeUpdate.exchange", TradeUpdateEncoder.exchangeLength());
    private final AsciiField pair = new AsciiField("TradeUpdate.pair", TradeUpdateEncoder.pairLength());
    private final AsciiField stakeCurrency =
        new AsciiField("TradeUpdate.stakeCurrency", TradeUpdateEncoder.stakeCurrencyLength());
    private final DecimalField leverage = new DecimalField("TradeUpdate.leverage", true);
    private final DecimalField openRate = new DecimalField("TradeUpdate.openRate", true);
    private final DecimalField amount = new DecimalField("TradeUpdate.amount", true);
    private final DecimalField stakeAmount = new DecimalField("TradeUpdate.stakeAmount", true);
    private final DecimalField stopLoss = new DecimalField("TradeUpdate.stopLoss", true);
    private final DecimalField stopLossPct = new DecimalField("TradeUpdate.stopLossPct", false);
    private final DecimalField initialStopLoss = new DecimalField("TradeUpdate.initialStopLoss", true);
    private final DecimalField initialStopLossPct = new DecimalField("TradeUpdate.initialStopLossPct", false);
    private final DecimalField maxRate = new DecimalField("TradeUpdate.maxRate", true);
    private final DecimalField minRate = new DecimalField("TradeUpdate.minRate", true);
    private final DecimalField closeRate = new DecimalField("TradeUpdate.closeRate", true);
    private final DecimalField liquidationPrice = new DecimalField("TradeUpdate.liquidationPrice", true);
    private final DecimalField interestRate = new DecimalField("TradeUpdate.interestRate", true);
    private final DecimalField fundingFees = new DecimalField("TradeUpdate.fundingFees", false);
    private final DecimalField feeOpen = new DecimalField("TradeUpdate.feeOpen", true);
    private final DecimalField feeClose = new DecimalField("TradeUpdate.feeClose", true);
    private final DecimalField realizedProfit = new DecimalField("TradeUpdate.realizedProfit", false);
    private final Utf8Field exitReason = new Utf8Field("TradeUpdate.exitReason", MAX_TEXT_BYTES);
    private final Utf8Field enterTag = new Utf8Field("TradeUpdate.enterTag", MAX_TEXT_BYTES);
    private long tradeId;
    private long openTimeMs;
    private long closeTimeMs;
    private boolean isShort;
    private boolean isOpen;
    private boolean isTrailingStop;
    private TradingMode tradingMode;

    TradeUpdateEvent(final JournalWriter writer)
    {
        super(writer, "TradeUpdate", FIELD_NAMES, REQUIRED);
    }

    /**
     * The trade's id, freqtrade's {@code Trade.id}; unique per strategy database.
     *
     * @param tradeId not negative.
     * @return this for a fluent API.
     */
    public TradeUpdateEvent tradeId(final long tradeId)
    {
        this.tradeId = id(TRADE_ID, tradeId);
        return this;
    }

    /**
     * When the trade was opened.
     *
     * @param openTimeMs since the epoch, from 0 to {@link #MAX_EPOCH_MS}.
     * @return this for a fluent API.
     */
    public TradeUpdateEvent openTimeMs(final long openTimeMs)
    {
        this.openTimeMs = epochMs(OPEN_TIME_MS, openTimeMs);
        return this;
    }

    /**
     * When the trade was closed; required once {@code isOpen(false)}.
     *
     * @param closeTimeMs since the epoch, from 0 to {@link #MAX_EPOCH_MS}.
     * @return this for a fluent API.
     */
    public TradeUpdateEvent closeTimeMs(final long closeTimeMs)
    {
        this.closeTimeMs = epochMs(CLOSE_TIME_MS, closeTimeMs);
        return this;
    }

    /**
     * Strategy name: printable ASCII, at most 32 characters.
     *
     * @param strategy value.
     * @return this for a fluent API.
     */
    public TradeUpdateEvent strategy(final CharSequence strategy)
    {
        ascii(STRATEGY, this.strategy, strategy);
        return this;
    }

    /**
     * CCXT exchange id: printable ASCII, at most 16 characters.
     *
     * @param exchange value.
     * @return this for a fluent API.
     */
    public TradeUpdateEvent exchange(final CharSequence exchange)
    {
        ascii(EXCHANGE, this.exchange, exchange);
        return this;
    }

    /**
     * CCXT unified symbol of the pair: printable ASCII, at most 32 characters.
     *
     * @param pair value.
     * @return this for a fluent API.
     */
    public TradeUpdateEvent pair(final CharSequence pair)
    {
        ascii(PAIR, this.pair, pair);
        return this;
    }

    /**
     * Stake currency, e.g. {@code USDT}: printable ASCII, at most 16 characters.
     *
     * @param stakeCurrency value.
     * @return this for a fluent API.
     */
    public TradeUpdateEvent stakeCurrency(final CharSequence stakeCurrency)
    {
        ascii(STAKE_CURRENCY, this.stakeCurrency, stakeCurrency);
        return this;
    }

    /**
     * Whether the trade is a short; false unless set.
     *
     * @param isShort flag.
     * @return this for a fluent API.
     */
    public TradeUpdateEvent isShort(final boolean isShort)
    {
        flag(IS_SHORT);
        this.isShort = isShort;
        return this;
    }

    /**
     * Whether the trade is still open; true unless set.
     *
     * @param isOpen flag.
     * @return this for a fluent API.
     */
    public TradeUpdateEvent isOpen(final boolean isOpen)
    {
        flag(IS_OPEN);
        this.isOpen = isOpen;
        return this;
    }

    /**
     * Whether the stop loss trails; false unless set.
     *
     * @param isTrailingStop flag.
     * @return this for a fluent API.
     */
    public TradeUpdateEvent isTrailingStop(final boolean isTrailingStop)
    {
        flag(IS_TRAILING_STOP);
        this.isTrailingStop = isTrailingStop;
        return this;
    }

    /**
     * Spot, margin or futures; spot unless set.
     *
     * @param tradingMode value.
     * @return this for a fluent API.
     */
    public TradeUpdateEvent tradingMode(final TradingMode tradingMode)
    {
        this.tradingMode = enumValue(TRADING_MODE, tradingMode, TradingMode.NULL_VAL);
        return this;
    }

    /**
     * Leverage; absent means 1.
     *
     * @param mantissa of the value, not negative.
     * @param exponent of the value, in [-18, 18].
     * @return this for a fluent API.
     */
    public TradeUpdateEvent leverage(final long mantissa, final int exponent)
    {
        decimal(LEVERAGE, leverage, mantissa, exponent);
        return this;
    }

    /**
     * Leverage; absent means 1.
     * From a {@link BigDecimal}, exactly or not at all; allocates, so keep it off the hot path.
     *
     * @param leverage not negative.
     * @return this for a fluent API.
     */
    public TradeUpdateEvent leverage(final BigDecimal leverage)
    {
        decimal(LEVERAGE, this.leverage, leverage);
        return this;
    }

    /**
     * Average entry price, freqtrade's {@code open_rate}.
     *
     * @param mantissa of the value, not negative.
     * @param exponent of the value, in [-18, 18].
     * @return this for a fluent API.
     */
    public TradeUpdateEvent openRate(final long mantissa, final int exponent)
    {
        decimal(OPEN_RATE, openRate, mantissa, exponent);
        return this;
    }

    /**
     * Average entry price, freqtrade's {@code open_rate}.
     * From a {@link BigDecimal}, exactly or not at all; allocates, so keep it off the hot path.
     *
     * @param openRate not negative.
     * @return this for a fluent API.
     */
    public TradeUpdateEvent openRate(final BigDecimal openRate)
    {
        decimal(OPEN_RATE, this.openRate, openRate);
        return this;
    }

    /**
     * Position size in the base currency (contracts for futures).
     *
     * @param mantissa of the value, not negative.
     * @param exponent of the value, in [-18, 18].
     * @return this for a fluent API.
     */
    public TradeUpdateEvent amount(final long mantissa, final int exponent)
    {
        decimal(AMOUNT, amount, mantissa, exponent);
        return this;
    }

    /**
     * Position size in the base currency (contracts for futures).
     * From a {@link BigDecimal}, exactly or not at all; allocates, so keep it off the hot path.
     *
     * @param amount not negative.
     * @return this for a fluent API.
     */
    public TradeUpdateEvent amount(final BigDecimal amount)
    {
        decimal(AMOUNT, this.amount, amount);
        return this;
    }

    /**
     * Stake put into the trade, in the stake currency.
     *
     * @param mantissa of the value, not negative.
     * @param exponent of the value, in [-18, 18].
     * @return this for a fluent API.
     */
    public TradeUpdateEvent stakeAmount(final long mantissa, final int exponent)
    {
        decimal(STAKE_AMOUNT, stakeAmount, mantissa, exponent);
        return this;
    }

    /**
     * Stake put into the trade, in the stake currency.
     * From a {@link BigDecimal}, exactly or not at all; allocates, so keep it off the hot path.
     *
     * @param stakeAmount not negative.
     * @return this for a fluent API.
     */
    public TradeUpdateEvent stakeAmount(final BigDecimal stakeAmount)
    {
        decimal(STAKE_AMOUNT, this.stakeAmount, stakeAmount);
        return this;
    }

    /**
     * Current stop-loss price.
     *
     * @param mantissa of the value, not negative.
     * @param exponent of the value, in [-18, 18].
     * @return this for a fluent API.
     */
    public TradeUpdateEvent stopLoss(final long mantissa, final int exponent)
    {
        decimal(STOP_LOSS, stopLoss, mantissa, exponent);
        return this;
    }

    /**
     * Current stop-loss price.
     * From a {@link BigDecimal}, exactly or not at all; allocates, so keep it off the hot path.
     *
     * @param stopLoss not negative.
     * @return this for a fluent API.
     */
    public TradeUpdateEvent stopLoss(final BigDecimal stopLoss)
    {
        decimal(STOP_LOSS, this.stopLoss, stopLoss);
        return this;
    }

    /**
     * Current stop loss as a ratio of the open rate, freqtrade's {@code stop_loss_pct} (negative).
     *
     * @param mantissa of the value, any sign.
     * @param exponent of the value, in [-18, 18].
     * @return this for a fluent API.
     */
    public TradeUpdateEvent stopLossPct(final long mantissa, final int exponent)
    {
        decimal(STOP_LOSS_PCT, stopLossPct, mantissa, exponent);
        return this;
    }

    /**
     * Current stop loss as a ratio of the open rate, freqtrade's {@code stop_loss_pct} (negative).
     * From a {@link BigDecimal}, exactly or not at all; allocates, so keep it off the hot path.
     *
     * @param stopLossPct any sign.
     * @return this for a fluent API.
     */
    public TradeUpdateEvent stopLossPct(final BigDecimal stopLossPct)
    {
        decimal(STOP_LOSS_PCT, this.stopLossPct, stopLossPct);
        return this;
    }

    /**
     * Stop-loss price when the trade opened.
     *
     * @param mantissa of the value, not negative.
     * @param exponent of the value, in [-18, 18].
     * @return this for a fluent API.
     */
    public TradeUpdateEvent initialStopLoss(final long mantissa, final int exponent)
    {
        decimal(INITIAL_STOP_LOSS, initialStopLoss, mantissa, exponent);
        return this;
    }

    /**
     * Stop-loss price when the trade opened.
     * From a {@link BigDecimal}, exactly or not at all; allocates, so keep it off the hot path.
     *
     * @param initialStopLoss not negative.
     * @return this for a fluent API.
     */
    public TradeUpdateEvent initialStopLoss(final BigDecimal initialStopLoss)
    {
        decimal(INITIAL_STOP_LOSS, this.initialStopLoss, initialStopLoss);
        return this;
    }

    /**
     * Stop loss ratio when the trade opened (negative).
     *
     * @param mantissa of the value, any sign.
     * @param exponent of the value, in [-18, 18].
     * @return this for a fluent API.
     */
    public TradeUpdateEvent initialStopLossPct(final long mantissa, final int exponent)
    {
        decimal(INITIAL_STOP_LOSS_PCT, initialStopLossPct, mantissa, exponent);
        return this;
    }

    /**
     * Stop loss ratio when the trade opened (negative).
     * From a {@link BigDecimal}, exactly or not at all; allocates, so keep it off the hot path.
     *
     * @param initialStopLossPct any sign.
     * @return this for a fluent API.
     */
    public TradeUpdateEvent initialStopLossPct(final BigDecimal initialStopLossPct)
    {
        decimal(INITIAL_STOP_LOSS_PCT, this.initialStopLossPct, initialStopLossPct);
        return this;
    }

    /**
     * Highest price seen since the trade opened.
     *
     * @param mantissa of the value, not negative.
     * @param exponent of the value, in [-18, 18].
     * @return this for a fluent API.
     */
    public TradeUpdateEvent maxRate(final long mantissa, final int exponent)
    {
        decimal(MAX_RATE, maxRate, mantissa, exponent);
        return this;
    }

    /**
     * Highest price seen since the trade opened.
     * From a {@link BigDecimal}, exactly or not at all; allocates, so keep it off the hot path.
     *
     * @param maxRate not negative.
     * @return this for a fluent API.
     */
    public TradeUpdateEvent maxRate(final BigDecimal maxRate)
    {
        decimal(MAX_RATE, this.maxRate, maxRate);
        return this;
    }

    /**
     * Lowest price seen since the trade opened.
     *
     * @param mantissa of the value, not negative.
     * @param exponent of the value, in [-18, 18].
     * @return this for a fluent API.
     */
    public TradeUpdateEvent minRate(final long mantissa, final int exponent)
    {
        decimal(MIN_RATE, minRate, mantissa, exponent);
        return this;
    }

    /**
     * Lowest price seen since the trade opened.
     * From a {@link BigDecimal}, exactly or not at all; allocates, so keep it off the hot path.
     *
     * @param minRate not negative.
     * @return this for a fluent API.
     */
    public TradeUpdateEvent minRate(final BigDecimal minRate)
    {
        decimal(MIN_RATE, this.minRate, minRate);
        return this;
    }

    /**
     * Average exit price; required once {@code isOpen(false)}.
     *
     * @param mantissa of the value, not negative.
     * @param exponent of the value, in [-18, 18].
     * @return this for a fluent API.
     */
    public TradeUpdateEvent closeRate(final long mantissa, final int exponent)
    {
        decimal(CLOSE_RATE, closeRate, mantissa, exponent);
        return this;
    }

    /**
     * Average exit price; required once {@code isOpen(false)}.
     * From a {@link BigDecimal}, exactly or not at all; allocates, so keep it off the hot path.
     *
     * @param closeRate not negative.
     * @return this for a fluent API.
     */
    public TradeUpdateEvent closeRate(final BigDecimal closeRate)
    {
        decimal(CLOSE_RATE, this.closeRate, closeRate);
        return this;
    }

    /**
     * Liquidation price (futures and margin).
     *
     * @param mantissa of the value, not negative.
     * @param exponent of the value, in [-18, 18].
     * @return this for a fluent API.
     */
    public TradeUpdateEvent liquidationPrice(final long mantissa, final int exponent)
    {
        decimal(LIQUIDATION_PRICE, liquidationPrice, mantissa, exponent);
        return this;
    }

    /**
     * Liquidation price (futures and margin).
     * From a {@link BigDecimal}, exactly or not at all; allocates, so keep it off the hot path.
     *
     * @param liquidationPrice not negative.
     * @return this for a fluent API.
     */
    public TradeUpdateEvent liquidationPrice(final BigDecimal liquidationPrice)
    {
        decimal(LIQUIDATION_PRICE, this.liquidationPrice, liquidationPrice);
        return this;
    }

    /**
     * Margin interest rate.
     *
     * @param mantissa of the value, not negative.
     * @param exponent of the value, in [-18, 18].
     * @return this for a fluent API.
     */
    public TradeUpdateEvent interestRate(final long mantissa, final int exponent)
    {
        decimal(INTEREST_RATE, interestRate, mantissa, exponent);
        return this;
    }

    /**
     * Margin interest rate.
     * From a {@link BigDecimal}, exactly or not at all; allocates, so keep it off the hot path.
     *
     * @param interestRate not negative.
     * @return this for a fluent API.
     */
    public TradeUpdateEvent interestRate(final BigDecimal interestRate)
    {
        decimal(INTEREST_RATE, this.interestRate, interestRate);
        return this;
    }

    /**
     * Futures funding fees paid (negative) or received (positive) so far.
     *
     * @param mantissa of the value, any sign.
     * @param exponent of the value, in [-18, 18].
     * @return this for a fluent API.
     */
    public TradeUpdateEvent fundingFees(final long mantissa, final int exponent)
    {
        decimal(FUNDING_FEES, fundingFees, mantissa, exponent);
        return this;
    }

    /**
     * Futures funding fees paid (negative) or received (positive) so far.
     * From a {@link BigDecimal}, exactly or not at all; allocates, so keep it off the hot path.
     *
     * @param fundingFees any sign.
     * @return this for a fluent API.
     */
    public TradeUpdateEvent fundingFees(final BigDecimal fundingFees)
    {
        decimal(FUNDING_FEES, this.fundingFees, fundingFees);
        return this;
    }

    /**
     * Entry fee as a ratio, freqtrade's {@code fee_open}.
     *
     * @param mantissa of the value, not negative.
     * @param exponent of the value, in [-18, 18].
     * @return this for a fluent API.
     */
    public TradeUpdateEvent feeOpen(final long mantissa, final int exponent)
    {
        decimal(FEE_OPEN, feeOpen, mantissa, exponent);
        return this;
    }

    /**
     * Entry fee as a ratio, freqtrade's {@code fee_open}.
     * From a {@link BigDecimal}, exactly or not at all; allocates, so keep it off the hot path.
     *
     * @param feeOpen not negative.
     * @return this for a fluent API.
     */
    public TradeUpdateEvent feeOpen(final BigDecimal feeOpen)
    {
        decimal(FEE_OPEN, this.feeOpen, feeOpen);
        return this;
    }

    /**
     * Exit fee as a ratio, freqtrade's {@code fee_close}.
     *
     * @param mantissa of the value, not negative.
     * @param exponent of the value, in [-18, 18].
     * @return this for a fluent API.
     */
    public TradeUpdateEvent feeClose(final long mantissa, final int exponent)
    {
        decimal(FEE_CLOSE, feeClose, mantissa, exponent);
        return this;
    }

    /**
     * Exit fee as a ratio, freqtrade's {@code fee_close}.
     * From a {@link BigDecimal}, exactly or not at all; allocates, so keep it off the hot path.
     *
     * @param feeClose not negative.
     * @return this for a fluent API.
     */
    public TradeUpdateEvent feeClose(final BigDecimal feeClose)
    {
        decimal(FEE_CLOSE, this.feeClose, feeClose);
        return this;
    }

    /**
     * Profit realized so far by partial or full exits, in the stake currency.
     *
     * @param mantissa of the value, any sign.
     * @param exponent of the value, in [-18, 18].
     * @return this for a fluent API.
     */
    public TradeUpdateEvent realizedProfit(final long mantissa, final int exponent)
    {
        decimal(REALIZED_PROFIT, realizedProfit, mantissa, exponent);
        return this;
    }

    /**
     * Profit realized so far by partial or full exits, in the stake currency.
     * From a {@link BigDecimal}, exactly or not at all; allocates, so keep it off the hot path.
     *
     * @param realizedProfit any sign.
     * @return this for a fluent API.
     */
    public TradeUpdateEvent realizedProfit(final BigDecimal realizedProfit)
    {
        decimal(REALIZED_PROFIT, this.realizedProfit, realizedProfit);
        return this;
    }

    /**
     * Why the trade was (or is being) closed, e.g. {@code stop_loss}: UTF-8, at most 1024 bytes.
     *
     * @param exitReason text.
     * @return this for a fluent API.
     */
    public TradeUpdateEvent exitReason(final CharSequence exitReason)
    {
        utf8(EXIT_REASON, this.exitReason, exitReason);
        return this;
    }

    /**
     * The entry signal's tag: UTF-8, at most 1024 bytes.
     *
     * @param enterTag text.
     * @return this for a fluent API.
     */
    public TradeUpdateEvent enterTag(final CharSequence enterTag)
    {
        utf8(ENTER_TAG, this.enterTag, enterTag);
        return this;
    }


    void clear()
    {
        tradeId = TradeUpdateEncoder.tradeIdNullValue();
        openTimeMs = TradeUpdateEncoder.openTimeMsNullValue();
        closeTimeMs = TradeUpdateEncoder.closeTimeMsNullValue();
        strategy.clear();
        exchange.clear();
        pair.clear();
        stakeCurrency.clear();
        isShort = false;
        isOpen = true;
        isTrailingStop = false;
        tradingMode = TradingMode.SPOT;
        leverage.clear();
        openRate.clear();
        amount.clear();
        stakeAmount.clear();
        stopLoss.clear();
        stopLossPct.clear();
        initialStopLoss.clear();
        initialStopLossPct.clear();
        maxRate.clear();
        minRate.clear();
        closeRate.clear();
        liquidationPrice.clear();
        interestRate.clear();
        fundingFees.clear();
        feeOpen.clear();
        feeClose.clear();
        realizedProfit.clear();
        exitReason.clear();
        enterTag.clear();
    }

    void checkConsistency()
    {
        check(isOpen || (isSet(CLOSE_TIME_MS) && closeRate.isSet()),
            "closeRate and closeTimeMs are required when isOpen is false");
    }

    int encodedLength()
    {
        return MessageHeaderEncoder.ENCODED_LENGTH + TradeUpdateEncoder.BLOCK_LENGTH +
            TradeUpdateEncoder.exitReasonHeaderLength() + exitReason.length() +
            TradeUpdateEncoder.enterTagHeaderLength() + enterTag.length();
    }

    void encode(final MutableDirectBuffer buffer, final long appendTimeNs)
    {
        final TradeUpdateEncoder encoder = this.encoder.wrapAndApplyHeader(buffer, 0, headerEncoder);
        encoder.appendTimeNs(appendTimeNs);
        encoder.tradeId(tradeId);
        encoder.openTimeMs(openTimeMs);
        encoder.closeTimeMs(closeTimeMs);
        encoder.putStrategy(strategy.bytes(), 0);
        encoder.putExchange(exchange.bytes(), 0);
        encoder.putPair(pair.bytes(), 0);
        encoder.putStakeCurrency(stakeCurrency.bytes(), 0);
        encoder.isShort(isShort ? BooleanType.TRUE : BooleanType.FALSE);
        encoder.isOpen(isOpen ? BooleanType.TRUE : BooleanType.FALSE);
        encoder.isTrailingStop(isTrailingStop ? BooleanType.TRUE : BooleanType.FALSE);
        encoder.tradingMode(tradingMode);
        leverage.encodeTo(encoder.leverage());
        openRate.encodeTo(encoder.openRate());
        amount.encodeTo(encoder.amount());
        stakeAmount.encodeTo(encoder.stakeAmount());
        stopLoss.encodeTo(encoder.stopLoss());
        stopLossPct.encodeTo(encoder.stopLossPct());
        initialStopLoss.encodeTo(encoder.initialStopLoss());
        initialStopLossPct.encodeTo(encoder.initialStopLossPct());
        maxRate.encodeTo(encoder.maxRate());
        minRate.encodeTo(encoder.minRate());
        closeRate.encodeTo(encoder.closeRate());
        liquidationPrice.encodeTo(encoder.liquidationPrice());
        interestRate.encodeTo(encoder.interestRate());
        fundingFees.encodeTo(encoder.fundingFees());
        feeOpen.encodeTo(encoder.feeOpen());
        feeClose.encodeTo(encoder.feeClose());
        realizedProfit.encodeTo(encoder.realizedProfit());
        encoder.putExitReason(exitReason.bytes(), 0, exitReason.length());
        encoder.putEnterTag(enterTag.bytes(), 0, enterTag.length());
    }
}
