package io.tradestate.reader.drain;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Checks the COPY text the encoder writes against the JDK's own formatting ({@link BigDecimal#toPlainString()},
 * {@code java.time}) over edge cases and random values, checks escaping by parsing the output back as PostgreSQL
 * would, and checks that a steady stream of rows allocates nothing.
 */
class CopyTextEncoderTest
{
    private static final DateTimeFormatter TIMESTAMPTZ =
        DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSSx").withZone(ZoneOffset.UTC);
    private static final long EPOCH_MS_2300 = Instant.parse("2300-01-01T00:00:00Z").toEpochMilli();
    private static final long EPOCH_MS_0001 = Instant.parse("0001-01-01T00:00:00Z").toEpochMilli();

    private final long seed = System.nanoTime();
    private final Random random = new Random(seed);
    private final CopyTextEncoder encoder = new CopyTextEncoder(16);

    // ---------------------------------------------------------------- decimal

    @Test
    void shouldKeepScaleWhenWritingDecimal()
    {
        assertDecimal("1.50", 150, -2);
        assertDecimal("0.005", 5, -3);
        assertDecimal("-0.015", -15, -3);
        assertDecimal("12000", 12, 3);
        assertDecimal("0.00", 0, -2);
        assertDecimal("0", 0, 0);
        assertDecimal("0", 0, 3);
        assertDecimal("-1", -1, 0);
        assertDecimal("100", 100, 0);
        assertDecimal("1.00", 100, -2);
        assertDecimal("0.100", 100, -3);
        assertDecimal("0.0100", 100, -4);
        assertDecimal("9223372036854775807", Long.MAX_VALUE, 0);
        assertDecimal("9.223372036854775807", Long.MAX_VALUE, -18);
        assertDecimal("0.9223372036854775807", Long.MAX_VALUE, -19);
        assertDecimal("-0.09223372036854775807", Long.MIN_VALUE + 1, -20);
        assertDecimal("-9223372036854775807000000000000000000", Long.MIN_VALUE + 1, 18);
    }

    @Test
    void shouldMatchBigDecimalWhenMantissaIsAtAnEdge()
    {
        final List<Long> mantissas = new ArrayList<>(List.of(
            Long.MAX_VALUE, Long.MIN_VALUE + 1, Long.MAX_VALUE - 1, Long.MIN_VALUE + 2, 0L, 1L, -1L, 9L, -9L));
        long power = 1;
        for (int i = 0; i < 19; i++)
        {
            mantissas.add(power);
            mantissas.add(-power);
            mantissas.add(power - 1);
            mantissas.add(-(power - 1));
            if (i < 18)
            {
                mantissas.add(power * 10 - 1);
                mantissas.add(-(power * 10 - 1));
            }
            power *= 10;
        }

        for (final long mantissa : mantissas)
        {
            for (int exponent = -25; exponent <= 25; exponent++)
            {
                assertDecimal(BigDecimal.valueOf(mantissa, -exponent).toPlainString(), mantissa, exponent);
            }
        }
    }

    @Test
    void shouldMatchBigDecimalWhenDecimalIsRandom()
    {
        for (int i = 0; i < 300_000; i++)
        {
            final long mantissa = random.nextLong() >> random.nextInt(64);
            if (Long.MIN_VALUE == mantissa)
            {
                continue;
            }
            final int exponent = random.nextInt(37) - 18;
            encoder.reset().decimal(mantissa, exponent);
            final String expected = BigDecimal.valueOf(mantissa, -exponent).toPlainString();
            final String actual = output();
            if (!expected.equals(actual))
            {
                assertEquals(expected, actual, "mantissa " + mantissa + " exponent " + exponent + " seed " + seed);
            }
        }
    }

    @Test
    void shouldWriteNullWhenDecimalMantissaIsMinValue()
    {
        encoder.decimal(Long.MIN_VALUE, -2).decimal(Long.MIN_VALUE, 0).endRow();

        assertEquals("\\N\t\\N\n", output());
    }

    @Test
    void shouldWriteLongDecimalWhenExponentIsAtPostgresLimit()
    {
        encoder.decimal(-7, CopyTextEncoder.MIN_DECIMAL_EXPONENT);
        assertEquals(BigDecimal.valueOf(-7, -CopyTextEncoder.MIN_DECIMAL_EXPONENT).toPlainString(), output());

        encoder.reset().decimal(Long.MAX_VALUE, CopyTextEncoder.MAX_DECIMAL_EXPONENT);
        assertEquals(BigDecimal.valueOf(Long.MAX_VALUE, -CopyTextEncoder.MAX_DECIMAL_EXPONENT).toPlainString(),
            output());
    }

    @Test
    void shouldRejectDecimalWhenExponentIsOutOfRange()
    {
        assertThrows(IllegalArgumentException.class,
            () -> encoder.decimal(1, CopyTextEncoder.MIN_DECIMAL_EXPONENT - 1));
        assertThrows(IllegalArgumentException.class,
            () -> encoder.decimal(1, CopyTextEncoder.MAX_DECIMAL_EXPONENT + 1));
        assertEquals(0, encoder.length());
        assertEquals(0, encoder.columns());
    }

    // ---------------------------------------------------------------- integers and booleans

    @Test
    void shouldMatchLongToStringWhenWritingBigint()
    {
        final long[] edges = { 0, 1, -1, 9, 10, -10, 99, 100, Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1 };
        for (final long value : edges)
        {
            encoder.reset().bigint(value);
            assertEquals(Long.toString(value), output());
        }

        for (int i = 0; i < 100_000; i++)
        {
            final long value = random.nextLong() >> random.nextInt(64);
            encoder.reset().bigint(value);
            assertEquals(Long.toString(value), output(), "seed " + seed);
        }
    }

    @Test
    void shouldWriteIntegersAndBooleansWhenInARow()
    {
        encoder.integer(Integer.MIN_VALUE).integer(Integer.MAX_VALUE).integer(0).bool(true).bool(false).endRow();

        assertEquals("-2147483648\t2147483647\t0\tt\tf\n", output());
    }

    @Test
    void shouldWriteNullWhenBigintIsTheNullSentinel()
    {
        encoder
            .nullableBigint(Long.MIN_VALUE, CopyTextEncoder.NULL_LONG)
            .nullableBigint(42, CopyTextEncoder.NULL_LONG)
            .nullableBigint(-1, -1)
            .nullableBigint(Long.MIN_VALUE, 0)
            .endRow();

        assertEquals("\\N\t42\t\\N\t-9223372036854775808\n", output());
    }

    // ---------------------------------------------------------------- timestamps

    @Test
    void shouldWriteUtcMicrosecondsWhenTimestampIsFromNanos()
    {
        final long epochNs = Instant.parse("2026-11-21T12:00:00.123456789Z").getEpochSecond() * 1_000_000_000L +
            123_456_789L;

        encoder.timestampFromEpochNanos(epochNs);

        assertEquals("2026-11-21 12:00:00.123456+00", output());
    }

    @Test
    void shouldMatchJavaTimeWhenTimestampIsAtAnEdge()
    {
        final String[] instants =
        {
            "1970-01-01T00:00:00Z", "1969-12-31T23:59:59.999999Z", "2000-02-29T23:59:59.999999Z",
            "2000-03-01T00:00:00Z", "1900-02-28T12:00:00Z", "1900-03-01T00:00:00Z", "2100-02-28T23:59:59Z",
            "2100-03-01T00:00:00Z", "2024-02-29T00:00:00Z", "2023-02-28T23:59:59.999999Z", "2023-03-01T00:00:00Z",
            "1999-12-31T23:59:59.999999Z", "2000-01-01T00:00:00Z", "2038-01-19T03:14:07Z", "2038-01-19T03:14:08Z",
            "1600-02-29T10:20:30.000001Z", "2400-02-29T00:00:00Z", "9999-12-31T23:59:59.999999Z",
            "0001-01-01T00:00:00Z", "1582-10-04T00:00:00Z", "1582-10-15T00:00:00Z",
        };

        for (final String text : instants)
        {
            final Instant instant = Instant.parse(text);
            final long epochUs = instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1000;
            encoder.reset().timestampFromEpochMicros(epochUs);
            assertEquals(TIMESTAMPTZ.format(instant), output(), text);
            encoder.reset().timestampFromEpochMillis(Math.floorDiv(epochUs, 1000L));
            assertEquals(TIMESTAMPTZ.format(instant.truncatedTo(ChronoUnit.MILLIS)), output(), text);
        }

        assertNanos(0);
        assertNanos(-1);
        assertNanos(-999);
        assertNanos(-1000);
        assertNanos(-1001);
        assertNanos(999);
        assertNanos(Long.MIN_VALUE + 1);
        assertNanos(Long.MAX_VALUE);
        assertEquals("2262-04-11 23:47:16.854775+00", output());
    }

    @Test
    void shouldFloorToMicrosecondWhenEpochIsNegative()
    {
        encoder.timestampFromEpochNanos(-1).endRow().timestampFromEpochNanos(-1001).endRow();

        assertEquals("1969-12-31 23:59:59.999999+00\n1969-12-31 23:59:59.999998+00\n", output());
    }

    @Test
    void shouldMatchJavaTimeWhenTimestampIsRandom()
    {
        for (int i = 0; i < 200_000; i++)
        {
            final long epochMs = random.nextLong(0, EPOCH_MS_2300);
            encoder.reset().timestampFromEpochMillis(epochMs);
            final String expected = TIMESTAMPTZ.format(Instant.ofEpochMilli(epochMs));
            final String actual = output();
            if (!expected.equals(actual))
            {
                assertEquals(expected, actual, "epochMs " + epochMs + " seed " + seed);
            }
        }

        for (int i = 0; i < 200_000; i++)
        {
            final long epochNs = random.nextLong(Long.MIN_VALUE + 1, Long.MAX_VALUE);
            encoder.reset().timestampFromEpochNanos(epochNs);
            final String expected = TIMESTAMPTZ.format(instantOfEpochNanos(epochNs));
            final String actual = output();
            if (!expected.equals(actual))
            {
                assertEquals(expected, actual, "epochNs " + epochNs + " seed " + seed);
            }
        }
    }

    @Test
    void shouldMatchJavaTimeWhenEveryDayFromYear1To9999()
    {
        final long firstDay = LocalDate.of(1, 1, 1).toEpochDay();
        final long lastDay = LocalDate.of(9999, 12, 31).toEpochDay();
        final long microOfDay = 86_399_999_999L;
        for (long epochDay = firstDay; epochDay <= lastDay; epochDay++)
        {
            encoder.reset().timestampFromEpochMicros(epochDay * 86_400_000_000L + microOfDay);
            final String expected = LocalDate.ofEpochDay(epochDay).toString();
            final String actual = new String(encoder.buffer(), 0, 10, StandardCharsets.US_ASCII);
            if (!expected.equals(actual) || 29 != encoder.length())
            {
                assertEquals(expected + " 23:59:59.999999+00", output(), "epochDay " + epochDay);
            }
        }
    }

    @Test
    void shouldWriteYearsAsPostgresDoesWhenOutsideYear1To9999()
    {
        for (int i = 0; i < 30_000; i++)
        {
            final long epochUs = random.nextLong(CopyTextEncoder.MIN_EPOCH_MICROS, Long.MAX_VALUE);
            encoder.reset().timestampFromEpochMicros(epochUs);
            final String expected = postgresTimestamptz(epochUs);
            final String actual = output();
            if (!expected.equals(actual))
            {
                assertEquals(expected, actual, "epochUs " + epochUs + " seed " + seed);
            }
        }

        encoder.reset().timestampFromEpochMillis(EPOCH_MS_0001 - 1);
        assertEquals("0001-12-31 23:59:59.999000+00 BC", output());
        encoder.reset().timestampFromEpochMicros(CopyTextEncoder.MIN_EPOCH_MICROS);
        assertEquals("4714-11-24 00:00:00.000000+00 BC", output());
        encoder.reset().timestampFromEpochMicros(Long.MAX_VALUE);
        assertEquals("294247-01-10 04:00:54.775807+00", output());
        encoder.reset().timestampFromEpochMillis(Long.MAX_VALUE / 1000);
        assertEquals("294247-01-10 04:00:54.775000+00", output());
    }

    @Test
    void shouldWriteNullWhenTimestampIsMinValue()
    {
        encoder
            .timestampFromEpochNanos(Long.MIN_VALUE)
            .timestampFromEpochMillis(Long.MIN_VALUE)
            .timestampFromEpochMicros(Long.MIN_VALUE)
            .endRow();

        assertEquals("\\N\t\\N\t\\N\n", output());
    }

    @Test
    void shouldRejectTimestampWhenOutsidePostgresRange()
    {
        assertThrows(IllegalArgumentException.class,
            () -> encoder.timestampFromEpochMicros(CopyTextEncoder.MIN_EPOCH_MICROS - 1));
        assertThrows(IllegalArgumentException.class,
            () -> encoder.timestampFromEpochMillis(CopyTextEncoder.MIN_EPOCH_MICROS / 1000 - 1));
        assertThrows(IllegalArgumentException.class,
            () -> encoder.timestampFromEpochMillis(Long.MAX_VALUE / 1000 + 1));
        assertEquals(0, encoder.length());
    }

    // ---------------------------------------------------------------- text and escaping

    @Test
    void shouldEscapeSpecialCharactersWhenWritingUtf8Text()
    {
        final UnsafeBuffer buffer = utf8("a\tb\nc\rd\\e");

        encoder.utf8Text(buffer, 0, buffer.capacity()).endRow();

        assertEquals("a\\tb\\nc\\rd\\\\e\n", output());
    }

    @Test
    void shouldPassQuotesAndSqlThroughWhenTextLooksLikeInjection()
    {
        final String[] values =
        {
            "'); DROP TABLE fills; --", "\"quoted\"", "O'Brien", "\\N", "\\.", "\\.\n", "a\\", "\\x00", "NULL",
            "1\t2\n3", ";", "--", "/* */", "E'\\\\'",
        };

        for (final String value : values)
        {
            final UnsafeBuffer buffer = utf8(value);
            encoder.reset().utf8Text(buffer, 0, buffer.capacity()).text(value).endRow();
            final List<String> row = parseRow(output());
            assertEquals(value, row.get(0), value);
            assertEquals(value, row.get(1), value);
        }

        encoder.reset().utf8Text(utf8("\\N"), 0, 2).endRow();
        assertEquals("\\\\N\n", output());
        encoder.reset().utf8Text(utf8("\\."), 0, 2).endRow();
        assertEquals("\\\\.\n", output());
        encoder.reset().text("'); DROP TABLE fills; --\"").endRow();
        assertEquals("'); DROP TABLE fills; --\"\n", output());
    }

    @Test
    void shouldRoundTripWhenTextIsRandom()
    {
        final char[] alphabet = { 'a', 'Z', '0', ' ', '\t', '\n', '\r', '\\', '\'', '"', 'N', '.', ',', 'é', '€' };
        for (int i = 0; i < 20_000; i++)
        {
            final StringBuilder builder = new StringBuilder();
            final int length = random.nextInt(12);
            for (int j = 0; j < length; j++)
            {
                builder.append(alphabet[random.nextInt(alphabet.length)]);
            }
            if (random.nextInt(8) == 0)
            {
                builder.append("\uD83D\uDE00");
            }
            final String value = builder.toString();
            final UnsafeBuffer buffer = utf8(value);

            encoder.reset().text(value).utf8Text(buffer, 0, buffer.capacity()).nullValue().endRow();

            final List<String> row = parseRow(output());
            assertEquals(3, row.size());
            assertEquals(value, row.get(0));
            assertEquals(value, row.get(1));
            assertNull(row.get(2));
        }
    }

    @Test
    void shouldWriteEmptyStringNotNullWhenUtf8TextIsEmpty()
    {
        encoder.utf8Text(utf8(""), 0, 0).utf8TextOrNull(utf8(""), 0, 0).utf8TextOrNull(utf8("x"), 0, 1).endRow();

        assertEquals("\t\\N\tx\n", output());
        final List<String> row = parseRow(output());
        assertEquals("", row.get(0));
        assertNull(row.get(1));
    }

    @Test
    void shouldPassUtf8ThroughWhenMultiByte()
    {
        final String value = "Zürich € 😀 東京";
        final UnsafeBuffer buffer = utf8(value);

        encoder.utf8Text(buffer, 0, buffer.capacity()).text(value).endRow();

        assertEquals(value + "\t" + value + "\n", output());
    }

    @Test
    void shouldDropNulWhenUtf8TextHoldsOne()
    {
        final UnsafeBuffer buffer = utf8("a\0b\\\0c");

        encoder.utf8Text(buffer, 0, buffer.capacity()).text("x\0y").endRow();

        assertEquals("ab\\\\c\txy\n", output());
    }

    @Test
    void shouldWriteNullWhenTextIsNull()
    {
        encoder.text(null).text("").endRow();

        assertEquals("\\N\t\n", output());
    }

    @Test
    void shouldMatchStringGetBytesWhenTextIsUtf16()
    {
        final String value = "ascii ä ß € \uD834\uDD1E \uFFFF \u0080 \u07FF \u0800";

        encoder.text(value);

        assertArrayEquals(value.getBytes(StandardCharsets.UTF_8), Arrays.copyOf(encoder.buffer(),
            encoder.length()));
    }

    @Test
    void shouldLeaveNothingWrittenWhenTextHasUnpairedSurrogate()
    {
        encoder.bigint(1);
        final int length = encoder.length();

        assertThrows(IllegalArgumentException.class, () -> encoder.text("ab\uD800c"));
        assertThrows(IllegalArgumentException.class, () -> encoder.text("ab\uDC00"));
        assertThrows(IllegalArgumentException.class, () -> encoder.text("ab\uD800"));

        assertEquals(length, encoder.length());
        assertEquals(1, encoder.columns());
        encoder.bigint(2).endRow();
        assertEquals("1\t2\n", output());
    }

    @Test
    void shouldLeaveNothingWrittenWhenSourceRangeIsOutOfBounds()
    {
        final UnsafeBuffer source = ascii("abc");
        encoder.bigint(1);

        assertThrows(IndexOutOfBoundsException.class, () -> encoder.utf8Text(source, 1, 3));
        assertThrows(IndexOutOfBoundsException.class, () -> encoder.asciiText(source, 0, 4));
        assertThrows(IndexOutOfBoundsException.class, () -> encoder.asciiTextOrEmpty(source, 2, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> encoder.bytea(source, 0, 4));
        assertThrows(IllegalArgumentException.class, () -> encoder.utf8Text(source, 0, -1));
        assertThrows(IllegalArgumentException.class, () -> encoder.bytea(source, 0, -1));

        encoder.utf8Text(source, 0, 3).endRow();
        assertEquals("1\tabc\n", output());
    }

    @Test
    void shouldStopAtFirstNulWhenAsciiFieldIsPadded()
    {
        final UnsafeBuffer field = ascii("BTCUSDT\0\0\0\0\0ETH\0\0\0ABCDEFGHA\tB\0\tX\0");

        encoder
            .asciiText(field, 0, 12)
            .asciiText(field, 12, 6)
            .asciiText(field, 18, 8)
            .asciiText(field, 18, 3)
            .asciiText(field, 26, 7)
            .endRow();

        assertEquals("BTCUSDT\tETH\tABCDEFGH\tABC\tA\\tB\n", output());
    }

    @Test
    void shouldWriteNullOrEmptyWhenAsciiFieldIsEmpty()
    {
        final UnsafeBuffer field = ascii("\0\0\0\0");

        encoder
            .asciiText(field, 0, 4)
            .asciiTextOrEmpty(field, 0, 4)
            .asciiText(field, 0, 0)
            .asciiTextOrEmpty(field, 0, 0)
            .bool(true)
            .endRow();

        assertEquals("\\N\t\t\\N\t\tt\n", output());
    }

    @Test
    void shouldEscapeWhenAsciiFieldHoldsSpecialCharacters()
    {
        final UnsafeBuffer field = ascii("a\\b\r\n\t");

        encoder.asciiText(field, 0, 6).endRow();

        assertEquals("a\\\\b\\r\\n\\t\n", output());
    }

    // ---------------------------------------------------------------- bytea

    @Test
    void shouldWriteEscapedHexWhenWritingBytea()
    {
        final UnsafeBuffer bytes = new UnsafeBuffer(new byte[] { 0x0a, 0x1b, (byte)0xff, 0x00, (byte)0x80 });

        encoder.bytea(bytes, 0, 5).bytea(bytes, 0, 0).bytea(bytes, 1, 1).endRow();

        assertEquals("\\\\x0a1bff0080\t\\\\x\t\\\\x1b\n", output());
        final List<String> row = parseRow(output());
        assertEquals("\\x0a1bff0080", row.get(0));
        assertEquals("\\x", row.get(1));
    }

    @Test
    void shouldMatchHexFormatWhenByteaIsRandom()
    {
        for (int i = 0; i < 2_000; i++)
        {
            final byte[] bytes = new byte[random.nextInt(300)];
            random.nextBytes(bytes);

            encoder.reset().bytea(new UnsafeBuffer(bytes), 0, bytes.length);

            assertEquals("\\\\x" + HexFormat.of().formatHex(bytes), output());
        }
    }

    // ---------------------------------------------------------------- rows and buffer

    @Test
    void shouldSeparateColumnsAndCountRowsWhenWritingRows()
    {
        encoder.bigint(1).text("a").nullValue().endRow();
        assertEquals(0, encoder.columns());
        encoder.bigint(2);
        assertEquals(1, encoder.columns());
        encoder.text("b").nullValue().endRow();

        assertEquals("1\ta\t\\N\n2\tb\t\\N\n", output());
        assertEquals(2, encoder.rows());
    }

    @Test
    void shouldRemovePartialRowWhenRowIsAborted()
    {
        encoder.bigint(1).endRow().bigint(2).text("half").abortRow();

        assertEquals("1\n", output());
        assertEquals(1, encoder.rows());

        encoder.bigint(3).endRow();
        assertEquals("1\n3\n", output());
        assertEquals(2, encoder.rows());
    }

    @Test
    void shouldRejectEndRowWhenRowHasNoColumn()
    {
        assertThrows(IllegalStateException.class, encoder::endRow);
        encoder.bigint(1).endRow();
        assertThrows(IllegalStateException.class, encoder::endRow);
        assertEquals("1\n", output());
    }

    @Test
    void shouldKeepCapacityAndArrayWhenReset()
    {
        for (int i = 0; i < 1000; i++)
        {
            encoder.bigint(i).text("padding padding").endRow();
        }
        final byte[] grown = encoder.buffer();
        final int capacity = encoder.capacity();
        assertTrue(capacity >= encoder.length());

        encoder.reset();

        assertEquals(0, encoder.length());
        assertEquals(0, encoder.rows());
        assertEquals(0, encoder.columns());
        assertEquals(capacity, encoder.capacity());
        assertSame(grown, encoder.buffer());
    }

    @Test
    void shouldProduceSameBytesWhenBufferStartsTiny()
    {
        final CopyTextEncoder tiny = new CopyTextEncoder(1);
        final CopyTextEncoder large = new CopyTextEncoder(1 << 20);
        final UnsafeBuffer source = new UnsafeBuffer(new byte[512]);
        for (int i = 0; i < source.capacity(); i++)
        {
            source.putByte(i, (byte)(i % 11 == 0 ? '\t' : 'a' + i % 26));
        }

        for (int i = 0; i < 2_000; i++)
        {
            writeRow(tiny, source, i);
            writeRow(large, source, i);
        }

        assertEquals(large.length(), tiny.length());
        assertArrayEquals(
            Arrays.copyOf(large.buffer(), large.length()),
            Arrays.copyOf(tiny.buffer(), tiny.length()));
    }

    @Test
    void shouldRejectCapacityWhenNotPositive()
    {
        assertThrows(IllegalArgumentException.class, () -> new CopyTextEncoder(0));
        assertThrows(IllegalArgumentException.class, () -> new CopyTextEncoder(-1));
    }

    // ---------------------------------------------------------------- allocation

    @Test
    void shouldNotAllocateWhenBufferHasReachedSteadySize()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported());
        threads.setThreadAllocatedMemoryEnabled(true);

        final CopyTextEncoder steady = new CopyTextEncoder(1024);
        final UnsafeBuffer source = new UnsafeBuffer(new byte[256]);
        for (int i = 0; i < source.capacity(); i++)
        {
            source.putByte(i, (byte)(i % 37 == 0 ? '\\' : 'A' + i % 26));
        }
        source.putByte(20, (byte)0);

        for (int i = 0; i < 20; i++)
        {
            writeBatches(steady, source, 100_000);
        }

        final long calibrationStart = threads.getCurrentThreadAllocatedBytes();
        final long calibrationEnd = threads.getCurrentThreadAllocatedBytes();
        final long before = threads.getCurrentThreadAllocatedBytes();
        final int rows = writeBatches(steady, source, 100_000);
        final long after = threads.getCurrentThreadAllocatedBytes();

        assertEquals(100_000, rows);
        assertEquals(0, (after - before) - (calibrationEnd - calibrationStart), "bytes allocated over 100k rows");
    }

    /**
     * Rows of every column type, flushed (reset) at 256 KiB as the sink does; returns the rows written.
     */
    private static int writeBatches(final CopyTextEncoder encoder, final UnsafeBuffer source, final int rowCount)
    {
        int rows = 0;
        for (int i = 0; i < rowCount; i++)
        {
            writeRow(encoder, source, i);
            if (encoder.length() >= 256 * 1024)
            {
                rows += encoder.rows();
                encoder.reset();
            }
        }
        rows += encoder.rows();
        encoder.reset();
        return rows;
    }

    private static void writeRow(final CopyTextEncoder encoder, final UnsafeBuffer source, final int i)
    {
        encoder
            .bigint(i * 7919L)
            .integer(i)
            .nullableBigint(i % 5 == 0 ? Long.MIN_VALUE : i, Long.MIN_VALUE)
            .bool((i & 1) == 0)
            .decimal(i % 13 == 0 ? Long.MIN_VALUE : i * 104_729L - 5_000_000L, -(i % 19))
            .decimal(i, i % 4)
            .timestampFromEpochNanos(1_700_000_000_000_000_000L + i * 1_234_567L)
            .timestampFromEpochMillis(i % 17 == 0 ? Long.MIN_VALUE : 1_700_000_000_000L - i * 86_400_123L)
            .asciiText(source, i % 8, 16)
            .asciiTextOrEmpty(source, 20, 4)
            .utf8Text(source, i % 64, i % 100)
            .utf8TextOrNull(source, 0, i % 3)
            .text("literal\tvalue")
            .bytea(source, 0, i % 32)
            .nullValue()
            .endRow();
    }

    // ---------------------------------------------------------------- helpers

    private void assertDecimal(final String expected, final long mantissa, final int exponent)
    {
        encoder.reset().decimal(mantissa, exponent);
        assertEquals(expected, output(), () -> "mantissa " + mantissa + " exponent " + exponent);
    }

    private void assertNanos(final long epochNs)
    {
        encoder.reset().timestampFromEpochNanos(epochNs);
        assertEquals(TIMESTAMPTZ.format(instantOfEpochNanos(epochNs)), output(), () -> "epochNs " + epochNs);
    }

    private String output()
    {
        return new String(encoder.buffer(), 0, encoder.length(), StandardCharsets.UTF_8);
    }

    private static Instant instantOfEpochNanos(final long epochNs)
    {
        return Instant.ofEpochSecond(Math.floorDiv(epochNs, 1_000_000_000L), Math.floorMod(epochNs, 1_000_000_000L))
            .truncatedTo(ChronoUnit.MICROS);
    }

    /**
     * PostgreSQL's ISO output: at least four year digits, and years before 1 AD counted back from 1 BC with a
     * trailing "BC" (java.time's year 0 is 1 BC).
     */
    private static String postgresTimestamptz(final long epochUs)
    {
        final OffsetDateTime time = Instant.EPOCH.plus(epochUs, ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
        final int year = time.getYear();
        final boolean beforeChrist = year <= 0;
        return String.format("%04d-%02d-%02d %02d:%02d:%02d.%06d+00%s",
            beforeChrist ? 1 - year : year, time.getMonthValue(), time.getDayOfMonth(), time.getHour(),
            time.getMinute(), time.getSecond(), time.getNano() / 1000, beforeChrist ? " BC" : "");
    }

    private static UnsafeBuffer utf8(final String value)
    {
        return new UnsafeBuffer(value.getBytes(StandardCharsets.UTF_8));
    }

    private static UnsafeBuffer ascii(final String value)
    {
        return new UnsafeBuffer(value.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * Parse one COPY text row the way PostgreSQL does: split on unescaped tabs, {@code \N} alone is NULL, and
     * backslash sequences are undone.
     */
    private static List<String> parseRow(final String text)
    {
        assertTrue(text.endsWith("\n"), "row must end with a newline");
        assertEquals(text.length() - 1, text.indexOf('\n'), "a row holds no raw newline");
        final List<String> fields = new ArrayList<>();
        final StringBuilder field = new StringBuilder();
        boolean escapedNull = false;
        for (int i = 0; i < text.length() - 1; i++)
        {
            final char c = text.charAt(i);
            if ('\t' == c)
            {
                fields.add(escapedNull ? null : field.toString());
                field.setLength(0);
                escapedNull = false;
            }
            else if ('\\' == c)
            {
                final char next = text.charAt(++i);
                switch (next)
                {
                    case 't':
                        field.append('\t');
                        break;
                    case 'n':
                        field.append('\n');
                        break;
                    case 'r':
                        field.append('\r');
                        break;
                    case '\\':
                        field.append('\\');
                        break;
                    case 'N':
                        escapedNull = true;
                        break;
                    default:
                        throw new AssertionError("unexpected escape \\" + next + " in " + text);
                }
            }
            else
            {
                assertTrue('\r' != c, "a row holds no raw carriage return");
                field.append(c);
            }
        }
        fields.add(escapedNull ? null : field.toString());
        return fields;
    }
}
