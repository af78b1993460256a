package io.tradestate.writer;

import io.tradestate.codecs.DecimalEncoder;
import io.tradestate.codecs.event.EventRules;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * An exact decimal staged for encoding as the schema's {@code Decimal} composite: {@code mantissa x 10^exponent}.
 * <p>
 * The mantissa {@link Long#MIN_VALUE} is the wire's null and cannot be set. The exponent is kept within
 * [{@link #MIN_EXPONENT}, {@link #MAX_EXPONENT}], which covers 18 decimal places (wei-like precision) and magnitudes
 * far beyond any balance, and which PostgreSQL's NUMERIC stores without rounding. Nothing is normalised: 1.50 is
 * stored as 150 x 10^-2 and arrives in the database as 1.50.
 */
final class DecimalField
{
    /**
     * Smallest exponent accepted: 18 decimal places.
     */
    static final int MIN_EXPONENT = EventRules.MIN_EXPONENT;

    /**
     * Largest exponent accepted.
     */
    static final int MAX_EXPONENT = EventRules.MAX_EXPONENT;

    /**
     * The wire value of an absent decimal's mantissa.
     */
    static final long NULL_MANTISSA = Long.MIN_VALUE;

    private static final BigInteger MAX_MANTISSA = BigInteger.valueOf(Long.MAX_VALUE);
    private static final BigInteger MIN_MANTISSA = BigInteger.valueOf(Long.MIN_VALUE + 1);

    private final String name;
    private final boolean nonNegative;
    private long mantissa = NULL_MANTISSA;
    private byte exponent;

    DecimalField(final String name, final boolean nonNegative)
    {
        this.name = name;
        this.nonNegative = nonNegative;
    }

    String name()
    {
        return name;
    }

    long mantissa()
    {
        return mantissa;
    }

    byte exponent()
    {
        return exponent;
    }

    boolean isSet()
    {
        return NULL_MANTISSA != mantissa;
    }

    void clear()
    {
        mantissa = NULL_MANTISSA;
        exponent = 0;
    }

    void encodeTo(final DecimalEncoder encoder)
    {
        encoder.mantissa(mantissa).exponent(exponent);
    }

    void set(final long mantissa, final int exponent)
    {
        if (NULL_MANTISSA == mantissa)
        {
            throw new IllegalArgumentException(name + " mantissa Long.MIN_VALUE is reserved for null");
        }

        if (exponent < MIN_EXPONENT || exponent > MAX_EXPONENT)
        {
            throw new IllegalArgumentException(
                name + " exponent " + exponent + " is outside [" + MIN_EXPONENT + ", " + MAX_EXPONENT + "]");
        }

        if (nonNegative && mantissa < 0)
        {
            throw new IllegalArgumentException(name + " must not be negative: " + mantissa + "E" + exponent);
        }

        this.mantissa = mantissa;
        this.exponent = (byte)exponent;
    }

    /**
     * Stage a {@link BigDecimal} exactly, or fail: the scale is kept as it is unless it must change to fit, and
     * then only without rounding. Off the hot path: it may allocate.
     *
     * @param value to stage.
     */
    void set(final BigDecimal value)
    {
        if (null == value)
        {
            throw new IllegalArgumentException(name + " must not be null");
        }

        BigDecimal fitted = value;
        if (!fits(fitted))
        {
            fitted = value.stripTrailingZeros();
            if (-fitted.scale() > MAX_EXPONENT)
            {
                fitted = fitted.setScale(-MAX_EXPONENT);
            }
        }

        if (-fitted.scale() < MIN_EXPONENT)
        {
            throw new IllegalArgumentException(
                name + " " + value.toPlainString() + " has more than " + -MIN_EXPONENT + " decimal places");
        }

        final BigInteger unscaled = fitted.unscaledValue();
        if (!fits(fitted))
        {
            throw new IllegalArgumentException(
                name + " " + value.toPlainString() + " does not fit a 64-bit mantissa with an exponent in [" +
                MIN_EXPONENT + ", " + MAX_EXPONENT + "]");
        }

        set(unscaled.longValue(), -fitted.scale());
    }

    private static boolean fits(final BigDecimal value)
    {
        final int exponent = -value.scale();
        final BigInteger unscaled = value.unscaledValue();
        return exponent >= MIN_EXPONENT && exponent <= MAX_EXPONENT &&
            unscaled.compareTo(MAX_MANTISSA) <= 0 && unscaled.compareTo(MIN_MANTISSA) >= 0;
    }
}
