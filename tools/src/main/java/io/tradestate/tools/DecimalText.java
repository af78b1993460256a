package io.tradestate.tools;

/**
 * Writes a journal decimal, {@code mantissa × 10^exponent}, as exact decimal text: {@code (12, -5)} is
 * {@code 0.00012}, {@code (150, -2)} is {@code 1.50} (the scale is kept as written), {@code (15, 3)} is
 * {@code 15000}.
 * <p>
 * Built from the digits of the mantissa alone, never through a {@code double} or a {@code BigDecimal}, so no value
 * is rounded and none allocates. Every {@code long} mantissa is accepted, {@link Long#MIN_VALUE} included (the caller
 * decides whether that is SBE's null first).
 */
final class DecimalText
{
    private DecimalText()
    {
    }

    /**
     * Append {@code mantissa × 10^exponent} as decimal text.
     *
     * @param out      to append to.
     * @param mantissa the unscaled value.
     * @param exponent the power of ten; a negative one is the number of fraction digits.
     * @return {@code out}.
     */
    public static StringBuilder append(final StringBuilder out, final long mantissa, final int exponent)
    {
        if (mantissa < 0)
        {
            out.append('-');
        }

        final int digitsStart = out.length();
        // Digits from the negative magnitude, so that Long.MIN_VALUE needs no negation.
        long negative = mantissa < 0 ? mantissa : -mantissa;
        do
        {
            out.append((char)('0' - (negative % 10)));
            negative /= 10;
        }
        while (0 != negative);
        reverse(out, digitsStart, out.length() - 1);

        if (exponent > 0)
        {
            if (0 != mantissa)
            {
                for (int i = 0; i < exponent; i++)
                {
                    out.append('0');
                }
            }
        }
        else if (exponent < 0)
        {
            final int fractionDigits = -exponent;
            final int digitCount = out.length() - digitsStart;
            if (digitCount > fractionDigits)
            {
                out.insert(out.length() - fractionDigits, '.');
            }
            else
            {
                out.insert(digitsStart, "0.");
                for (int i = digitCount; i < fractionDigits; i++)
                {
                    out.insert(digitsStart + 2, '0');
                }
            }
        }

        return out;
    }

    private static void reverse(final StringBuilder out, final int from, final int to)
    {
        for (int i = from, j = to; i < j; i++, j--)
        {
            final char c = out.charAt(i);
            out.setCharAt(i, out.charAt(j));
            out.setCharAt(j, c);
        }
    }
}
