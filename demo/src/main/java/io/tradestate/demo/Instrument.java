package io.tradestate.demo;

import io.tradestate.codecs.TradingMode;

/**
 * One simulated market: an exchange, a CCXT symbol, its trading mode and its price and amount grids. Prices move in
 * integer ticks of {@code 10^priceExponent}; order amounts are integer multiples of {@code 10^amountExponent}.
 */
final class Instrument
{
    private final int index;
    private final String exchange;
    private final String baseAsset;
    private final String symbol;
    private final TradingMode tradingMode;
    private final int priceExponent;
    private final long initialPriceTicks;
    private final int amountExponent;
    private final long orderAmount;

    Instrument(
        final int index,
        final String exchange,
        final String baseAsset,
        final TradingMode tradingMode,
        final int priceExponent,
        final long initialPriceTicks,
        final int amountExponent,
        final long orderAmount)
    {
        this.index = index;
        this.exchange = exchange;
        this.baseAsset = baseAsset;
        this.symbol = baseAsset + "/" + InstrumentUniverse.QUOTE + (TradingMode.FUTURES == tradingMode ?
            ":" + InstrumentUniverse.QUOTE : "");
        this.tradingMode = tradingMode;
        this.priceExponent = priceExponent;
        this.initialPriceTicks = initialPriceTicks;
        this.amountExponent = amountExponent;
        this.orderAmount = orderAmount;
    }

    int index()
    {
        return index;
    }

    String exchange()
    {
        return exchange;
    }

    String baseAsset()
    {
        return baseAsset;
    }

    String symbol()
    {
        return symbol;
    }

    TradingMode tradingMode()
    {
        return tradingMode;
    }

    boolean isFutures()
    {
        return TradingMode.FUTURES == tradingMode;
    }

    int priceExponent()
    {
        return priceExponent;
    }

    long initialPriceTicks()
    {
        return initialPriceTicks;
    }

    int amountExponent()
    {
        return amountExponent;
    }

    /**
     * Typical order size, as a mantissa of {@link #amountExponent()}: worth a few hundred USDT at the initial price.
     */
    long orderAmount()
    {
        return orderAmount;
    }

    /**
     * Exponent of a cost (price times amount).
     */
    int costExponent()
    {
        return priceExponent + amountExponent;
    }

    /**
     * Exponent of fees and profits: a cost times a rate in basis points.
     */
    int feeExponent()
    {
        return priceExponent + amountExponent - 4;
    }

    public String toString()
    {
        return exchange + ":" + symbol;
    }
}
