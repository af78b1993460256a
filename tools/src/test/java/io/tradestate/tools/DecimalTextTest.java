package io.tradestate.tools;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DecimalTextTest
{
    @ParameterizedTest
    @CsvSource({
        "12, -5, 0.00012",
        "150, -2, 1.50",
        "15, 3, 15000",
        "0, 0, 0",
        "0, 3, 0",
        "0, -2, 0.00",
        "-5, -1, -0.5",
        "-12345, -2, -123.45",
        "1, 18, 1000000000000000000",
        "1, -18, 0.000000000000000001",
        "6412350, -2, 64123.50",
        "9223372036854775807, -18, 9.223372036854775807",
        "9223372036854775807, 0, 9223372036854775807",
        "-9223372036854775808, -19, -0.9223372036854775808",
        "-9223372036854775808, 2, -922337203685477580800",
        "-9223372036854775807, -20, -0.09223372036854775807",
    })
    void shouldWriteExactDecimalTextWhenGivenMantissaAndExponent(
        final long mantissa, final int exponent, final String expected)
    {
        assertEquals(expected, DecimalText.append(new StringBuilder(), mantissa, exponent).toString());
    }

    @Test
    void shouldAgreeWithBigDecimalWhenMantissasAreRandom()
    {
        final SplittableRandom random = new SplittableRandom(7301);
        final StringBuilder text = new StringBuilder("prefix:");
        for (int i = 0; i < 100_000; i++)
        {
            final long mantissa = random.nextInt(4) == 0 ? random.nextLong(-1000, 1000) : random.nextLong();
            final int exponent = random.nextInt(-18, 19);
            text.setLength(7);
            DecimalText.append(text, mantissa, exponent);
            final String expected = 0 == mantissa && exponent > 0 ? "0" :
                new BigDecimal(BigInteger.valueOf(mantissa), -exponent).toPlainString();
            assertEquals("prefix:" + expected, text.toString(), mantissa + "e" + exponent);
        }
    }
}
