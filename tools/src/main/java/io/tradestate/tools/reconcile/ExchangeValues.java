package io.tradestate.tools.reconcile;

import io.tradestate.codecs.event.EventRules;

import java.math.BigDecimal;

/**
 * The checks every value from the exchange passes, whether it came from a dump or through the API: decimals the
 * journal can hold (a mantissa in a {@code long}, an exponent in [{@value EventRules#MIN_EXPONENT},
 * {@value EventRules#MAX_EXPONENT}]), amounts and prices not negative, identifiers the journal can hold (printable
 * ASCII of a bounded length), times in the journal's range.
 */
final class ExchangeValues
{
    /**
     * Longest order or fill id the journal holds ({@code ExchangeId}).
     */
    static final int MAX_ID_LENGTH = 64;

    /**
     * Longest symbol the journal holds ({@code Symbol}).
     */
    static final int MAX_SYMBOL_LENGTH = 32;

    /**
     * Longest asset code the journal holds ({@code Asset}).
     */
    static final int MAX_ASSET_LENGTH = 16;

    /**
     * Longest exchange id the journal holds ({@code Exchange}).
     */
    static final int MAX_EXCHANGE_LENGTH = 16;

    /**
     * Most integer digits a journal decimal can have: an 19-digit mantissa times 10^18.
     */
    private static final int MAX_INTEGER_DIGITS = 19 + EventRules.MAX_EXPONENT;

    private ExchangeValues()
    {
    }

    /**
     * Check a decimal the journal must be able to hold.
     *
     * @param value         the value, null for absent.
     * @param where         the line or record.
     * @param field         the field's name.
     * @param allowNegative whether a negative value is valid (a fee can be a rebate).
     * @return {@code value}.
     * @throws ExchangeInputException if it cannot be held.
     */
    static BigDecimal decimal(final BigDecimal value, final String where, final String field,
        final boolean allowNegative)
    {
        if (null == value)
        {
            return null;
        }
        if (!allowNegative && value.signum() < 0)
        {
            throw new ExchangeInputException(where, field + " is negative: " + value.toPlainString());
        }
        if (0 == value.signum())
        {
            return value;
        }
        final BigDecimal stripped = value.stripTrailingZeros();
        if (stripped.scale() > -EventRules.MIN_EXPONENT)
        {
            throw new ExchangeInputException(where, field + " has more than " + -EventRules.MIN_EXPONENT +
                " decimal places, which the journal cannot hold: " + shortText(value));
        }
        if ((long)stripped.precision() - stripped.scale() > MAX_INTEGER_DIGITS)
        {
            throw new ExchangeInputException(where, field + " is too large for the journal: " + shortText(value));
        }
        final BigDecimal journal = stripped.scale() < -EventRules.MAX_EXPONENT ?
            stripped.setScale(-EventRules.MAX_EXPONENT) : stripped;
        if (journal.unscaledValue().bitLength() > 63)
        {
            throw new ExchangeInputException(where, field + " has more digits than the journal holds (" +
                "a mantissa of at most 18 digits): " + shortText(value));
        }
        return value;
    }

    /**
     * Check an identifier or code the journal must be able to hold.
     *
     * @param value     the text, null for absent.
     * @param where     the line or record.
     * @param field     the field's name.
     * @param maxLength the journal's bound.
     * @param required  whether null is an error.
     * @return {@code value}.
     * @throws ExchangeInputException if missing when required, empty, too long or not printable ASCII.
     */
    static String text(final String value, final String where, final String field, final int maxLength,
        final boolean required)
    {
        if (null == value)
        {
            if (required)
            {
                throw new ExchangeInputException(where, field + " is missing");
            }
            return null;
        }
        if (value.isEmpty())
        {
            throw new ExchangeInputException(where, field + " is empty");
        }
        if (value.length() > maxLength)
        {
            throw new ExchangeInputException(where, field + " is " + value.length() +
                " characters, the journal holds at most " + maxLength);
        }
        for (int i = 0; i < value.length(); i++)
        {
            final char c = value.charAt(i);
            if (c < 0x20 || c > 0x7E)
            {
                throw new ExchangeInputException(where, field + " holds a character other than printable ASCII " +
                    "at position " + i);
            }
        }
        return value;
    }

    /**
     * Check a side.
     *
     * @param value the side.
     * @param where the line or record.
     * @param field the field's name.
     * @return {@code value}.
     * @throws ExchangeInputException unless {@code buy} or {@code sell}.
     */
    static String side(final String value, final String where, final String field)
    {
        if (!"buy".equals(value) && !"sell".equals(value))
        {
            throw new ExchangeInputException(where, null == value ? field + " is missing" :
                field + " must be buy or sell, was: '" + shortText(value) + "'");
        }
        return value;
    }

    /**
     * Check a time in milliseconds since the epoch.
     *
     * @param value the time, null for absent.
     * @param where the line or record.
     * @param field the field's name.
     * @return {@code value}.
     * @throws ExchangeInputException if before 1970 or after 9999.
     */
    static Long time(final Long value, final String where, final String field)
    {
        if (null != value && (value < 0 || value > EventRules.MAX_EPOCH_MS))
        {
            throw new ExchangeInputException(where, field + " is not a time in milliseconds between 1970 and " +
                "9999: " + value);
        }
        return value;
    }

    /**
     * A value cut for a message, so that a hostile input cannot flood the output.
     *
     * @param value the value.
     * @return at most 60 characters of its text.
     */
    static String shortText(final Object value)
    {
        final String text = value instanceof BigDecimal ? ((BigDecimal)value).toString() : String.valueOf(value);
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }
}
