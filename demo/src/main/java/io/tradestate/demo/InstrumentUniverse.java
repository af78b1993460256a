package io.tradestate.demo;

import io.tradestate.codecs.TradingMode;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The simulated markets of a run, derived from the seed alone: instrument {@code i} trades on exchange
 * {@code i % exchanges}, every third one is a perpetual future, and it belongs to strategy process
 * {@code i % processes}. The same seed gives the same markets whatever the number of processes.
 */
final class InstrumentUniverse
{
    static final String QUOTE = "USDT";
    static final int MAX_INSTRUMENTS = 10_000;

    private static final String[] EXCHANGES =
        { "binance", "bybit", "okx", "kraken", "coinbase", "kucoin", "gateio", "bitget", "mexc", "htx" };

    private InstrumentUniverse()
    {
    }

    static List<Instrument> create(final int instruments, final int exchanges, final long seed)
    {
        if (instruments < 1 || instruments > MAX_INSTRUMENTS)
        {
            throw new IllegalArgumentException("instruments must be 1 to " + MAX_INSTRUMENTS + ": " + instruments);
        }
        if (exchanges < 1 || exchanges > 99)
        {
            throw new IllegalArgumentException("exchanges must be 1 to 99: " + exchanges);
        }

        final List<Instrument> list = new ArrayList<>(instruments);
        for (int i = 0; i < instruments; i++)
        {
            final SplittableRandom random = new SplittableRandom(mix(seed, i));
            final int exchangeIndex = i % exchanges;
            final String exchange = exchangeIndex < EXCHANGES.length ? EXCHANGES[exchangeIndex] :
                "sim" + exchangeIndex;
            final TradingMode mode = i % 3 == 2 ? TradingMode.FUTURES : TradingMode.SPOT;
            // A price between 0.5 and 500,000 USDT on a grid of 4 to 5 significant digits.
            final int magnitude = random.nextInt(6);
            final int priceExponent = magnitude < 2 ? -4 : (magnitude < 4 ? -2 : 0);
            final long initialPriceTicks = (5_000 + random.nextInt(45_000)) * pow10(magnitude - 4 - priceExponent);
            final int amountExponent = -3;
            final long notional = 100 + random.nextInt(900);
            final long orderAmount = Math.max(1,
                notional * pow10(-amountExponent - priceExponent) / initialPriceTicks);
            list.add(new Instrument(i, exchange, String.format("C%04d", i), mode, priceExponent, initialPriceTicks,
                amountExponent, orderAmount));
        }
        return list;
    }

    static List<Instrument> ofProcess(final List<Instrument> universe, final int processIndex, final int processes)
    {
        final List<Instrument> owned = new ArrayList<>();
        for (final Instrument instrument : universe)
        {
            if (instrument.index() % processes == processIndex)
            {
                owned.add(instrument);
            }
        }
        return owned;
    }

    static long mix(final long seed, final long salt)
    {
        long z = seed + (salt + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    static long pow10(final int exponent)
    {
        if (exponent < 0)
        {
            throw new IllegalArgumentException("exponent must not be negative: " + exponent);
        }
        long value = 1;
        for (int i = 0; i < exponent; i++)
        {
            value = Math.multiplyExact(value, 10L);
        }
        return value;
    }
}
