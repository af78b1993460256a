package io.tradestate.reader.drain;

import org.agrona.DirectBuffer;

import java.util.Arrays;

/**
 * Encodes rows for {@code COPY ... FROM STDIN (FORMAT binary)} into a growable byte array, allocation-free once the
 * array has grown: the history rows of a batch, which PostgreSQL takes in about half the time of the same rows in
 * COPY text (no parsing of numbers, times and escapes).
 * <p>
 * <b>Format</b> (PostgreSQL's "COPY, Binary Format" and each type's {@code *_send} function; integers big endian):
 * the stream opens with {@link #HEADER} and ends with {@link #TRAILER}, which the writer sends around the rows, so
 * that any subset of the rows (a slice while isolating a rejected one) can be sent as a COPY of its own. A row is a
 * 16-bit field count, then per field a 32-bit length (-1 for NULL) and the value: {@code text} as its UTF-8 bytes,
 * {@code int8} as 8 bytes, {@code bool} as one byte, {@code timestamptz} as the 64-bit count of microseconds since
 * 2000-01-01 00:00:00 UTC, {@code numeric} as 16-bit ndigits, weight, sign (0 or 0x4000) and dscale, then the
 * base-10000 digits, most significant first; weight is the power of 10000 of the first digit and dscale the
 * decimal's scale, as the COPY text of {@link CopyTextEncoder} says it: 150 x 10^-2 is 1.50 (dscale 2).
 * <p>
 * The values are those {@link CopyTextEncoder} writes for the same calls, byte for byte once stored: NUL bytes
 * dropped from text, an empty fixed-length ASCII field NULL, {@link #NULL_LONG} NULL for decimals and times.
 */
public final class CopyBinaryEncoder
{
    /**
     * The signature, the flags and the header extension length that open a binary COPY stream.
     */
    public static final byte[] HEADER =
    {
        'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte)0xFF, '\r', '\n', 0, 0, 0, 0, 0, 0, 0, 0, 0,
    };

    /**
     * The field count -1 that ends a binary COPY stream.
     */
    public static final byte[] TRAILER =
    {
        (byte)0xFF, (byte)0xFF,
    };

    /**
     * The {@code long} that stands for NULL in decimal mantissas and timestamps: SBE's null for an {@code int64}.
     */
    public static final long NULL_LONG = Long.MIN_VALUE;

    private static final long POSTGRES_EPOCH_US = 946_684_800_000_000L;
    private static final int NUMERIC_NEGATIVE = 0x4000;
    private static final int MAX_GROUPS = 12;
    private static final int[] POWERS = { 1, 10, 100, 1000 };

    private final int fieldCount;
    private final int[] groups = new int[MAX_GROUPS];
    private byte[] buffer = new byte[64 * 1024];
    private int[] rowStarts = new int[1024];
    private int length;
    private int rowStart;
    private int columns;
    private int rows;

    /**
     * An encoder of rows of {@code fieldCount} fields.
     *
     * @param fieldCount the number of columns the COPY names.
     */
    public CopyBinaryEncoder(final int fieldCount)
    {
        this.fieldCount = fieldCount;
    }

    /**
     * The encoded rows, valid from index 0 to {@link #length()}; replaced when the buffer grows.
     *
     * @return the underlying array; not to be modified.
     */
    public byte[] buffer()
    {
        return buffer;
    }

    /**
     * Bytes encoded so far.
     *
     * @return the length of the rows in {@link #buffer()}.
     */
    public int length()
    {
        return length;
    }

    /**
     * Rows ended since the last {@link #reset()}.
     *
     * @return the count.
     */
    public int rows()
    {
        return rows;
    }

    /**
     * Columns written in the row being written; 0 between rows.
     *
     * @return the count.
     */
    public int columns()
    {
        return columns;
    }

    /**
     * Where a row starts in {@link #buffer()}; it ends where the next one starts, the last at {@link #length()}.
     *
     * @param row number, from 0.
     * @return the offset of its field count.
     */
    public int rowStart(final int row)
    {
        return rowStarts[row];
    }

    /**
     * Forget every row, keeping the grown buffer.
     *
     * @return this for a fluent API.
     */
    public CopyBinaryEncoder reset()
    {
        length = 0;
        rowStart = 0;
        columns = 0;
        rows = 0;
        return this;
    }

    /**
     * End the row being written.
     *
     * @return this for a fluent API.
     * @throws IllegalStateException if the row does not hold the encoder's number of fields.
     */
    public CopyBinaryEncoder endRow()
    {
        if (columns != fieldCount)
        {
            throw new IllegalStateException("a row of " + columns + " fields, the COPY names " + fieldCount);
        }

        if (rows == rowStarts.length)
        {
            rowStarts = Arrays.copyOf(rowStarts, rows * 2);
        }
        rowStarts[rows++] = rowStart;
        rowStart = length;
        columns = 0;
        return this;
    }

    /**
     * Remove the columns written since the last {@link #endRow()}, as if the row had never been started.
     *
     * @return this for a fluent API.
     */
    public CopyBinaryEncoder abortRow()
    {
        length = rowStart;
        columns = 0;
        return this;
    }

    /**
     * A NULL column.
     *
     * @return this for a fluent API.
     */
    public CopyBinaryEncoder nullValue()
    {
        startColumn(0);
        putInt(-1);
        return this;
    }

    /**
     * An {@code int8} column.
     *
     * @param value to write.
     * @return this for a fluent API.
     */
    public CopyBinaryEncoder bigint(final long value)
    {
        startColumn(8);
        putInt(8);
        putLong(value);
        return this;
    }

    /**
     * A {@code bool} column.
     *
     * @param value to write.
     * @return this for a fluent API.
     */
    public CopyBinaryEncoder bool(final boolean value)
    {
        startColumn(1);
        putInt(1);
        buffer[length++] = value ? (byte)1 : (byte)0;
        return this;
    }

    /**
     * A {@code timestamptz} from microseconds since the Unix epoch; {@link #NULL_LONG} writes NULL.
     *
     * @param epochUs microseconds since 1970-01-01T00:00:00Z.
     * @return this for a fluent API.
     */
    public CopyBinaryEncoder timestampFromEpochMicros(final long epochUs)
    {
        return NULL_LONG == epochUs ? nullValue() : bigint(epochUs - POSTGRES_EPOCH_US);
    }

    /**
     * A {@code numeric} equal to {@code mantissa x 10^exponent}, with the scale {@code max(0, -exponent)};
     * {@link #NULL_LONG} writes NULL.
     *
     * @param mantissa of the decimal.
     * @param exponent of the decimal, within what a {@code long} mantissa can span in 12 base-10000 digits.
     * @return this for a fluent API.
     */
    public CopyBinaryEncoder decimal(final long mantissa, final int exponent)
    {
        if (NULL_LONG == mantissa)
        {
            return nullValue();
        }

        // groups[i] is the base-10000 digit of power lowestPower + i; the mantissa's 19 digits span at most 6.
        final int lowestPower = Math.floorDiv(exponent, 4);
        Arrays.fill(groups, 0);
        long negative = mantissa < 0 ? mantissa : -mantissa;
        int digitPower = exponent;
        while (0 != negative)
        {
            final long quotient = negative / 10;
            final int digit = (int)(quotient * 10 - negative);
            groups[Math.floorDiv(digitPower, 4) - lowestPower] += digit * POWERS[Math.floorMod(digitPower, 4)];
            negative = quotient;
            digitPower++;
        }

        int high = MAX_GROUPS - 1;
        while (high >= 0 && 0 == groups[high])
        {
            high--;
        }
        int low = 0;
        while (low <= high && 0 == groups[low])
        {
            low++;
        }
        final int digits = high < 0 ? 0 : high - low + 1;
        final int weight = high < 0 ? 0 : lowestPower + high;

        startColumn(8 + 2 * digits);
        putInt(8 + 2 * digits);
        putShort(digits);
        putShort(weight);
        putShort(mantissa < 0 ? NUMERIC_NEGATIVE : 0);
        putShort(Math.max(0, -exponent));
        for (int i = high; i >= low; i--)
        {
            putShort(groups[i]);
        }
        return this;
    }

    /**
     * A fixed-length, zero-padded ASCII field as text, up to its first NUL; an empty field (first byte NUL) writes
     * NULL.
     *
     * @param source    holding the field.
     * @param offset    of the field.
     * @param maxLength of the field in bytes.
     * @return this for a fluent API.
     */
    public CopyBinaryEncoder asciiText(final DirectBuffer source, final int offset, final int maxLength)
    {
        if (maxLength <= 0 || 0 == source.getByte(offset))
        {
            return nullValue();
        }

        source.boundsCheck(offset, maxLength);
        int valueLength = 0;
        while (valueLength < maxLength && 0 != source.getByte(offset + valueLength))
        {
            valueLength++;
        }
        startColumn(valueLength);
        putInt(valueLength);
        source.getBytes(offset, buffer, length, valueLength);
        length += valueLength;
        return this;
    }

    /**
     * UTF-8 bytes as text, NUL bytes dropped (PostgreSQL text cannot hold them); zero length writes an empty string.
     *
     * @param source      holding the bytes.
     * @param offset      of the first byte.
     * @param valueLength in bytes.
     * @return this for a fluent API.
     */
    public CopyBinaryEncoder utf8Text(final DirectBuffer source, final int offset, final int valueLength)
    {
        if (valueLength < 0)
        {
            throw new IllegalArgumentException("utf8Text length must not be negative: " + valueLength);
        }

        source.boundsCheck(offset, valueLength);
        startColumn(valueLength);
        final int lengthAt = length;
        length += 4;
        source.getBytes(offset, buffer, length, valueLength);
        int kept = 0;
        for (int i = 0; i < valueLength; i++)
        {
            final byte b = buffer[length + i];
            if (0 != b)
            {
                buffer[length + kept++] = b;
            }
        }
        putInt(lengthAt, kept);
        length += kept;
        return this;
    }

    /**
     * A string as UTF-8 text, NUL characters dropped; {@code null} writes NULL.
     *
     * @param value to write.
     * @return this for a fluent API.
     * @throws IllegalArgumentException if the value holds an unpaired surrogate; nothing of the column is left.
     */
    public CopyBinaryEncoder text(final CharSequence value)
    {
        if (null == value)
        {
            return nullValue();
        }

        final int charCount = value.length();
        final int columnStart = length;
        startColumn(3 * charCount);
        final int lengthAt = length;
        length += 4;
        final byte[] buffer = this.buffer;
        int position = length;
        for (int i = 0; i < charCount; i++)
        {
            final char c = value.charAt(i);
            if (0 == c)
            {
                continue;
            }
            if (c < 0x80)
            {
                buffer[position++] = (byte)c;
            }
            else if (c < 0x800)
            {
                buffer[position++] = (byte)(0xC0 | c >> 6);
                buffer[position++] = (byte)(0x80 | c & 0x3F);
            }
            else if (Character.isHighSurrogate(c) && i + 1 < charCount && Character.isLowSurrogate(value.charAt(i + 1)))
            {
                final int codePoint = Character.toCodePoint(c, value.charAt(++i));
                buffer[position++] = (byte)(0xF0 | codePoint >> 18);
                buffer[position++] = (byte)(0x80 | codePoint >> 12 & 0x3F);
                buffer[position++] = (byte)(0x80 | codePoint >> 6 & 0x3F);
                buffer[position++] = (byte)(0x80 | codePoint & 0x3F);
            }
            else if (Character.isSurrogate(c))
            {
                length = columnStart;
                columns--;
                throw new IllegalArgumentException("text holds an unpaired surrogate at index " + i);
            }
            else
            {
                buffer[position++] = (byte)(0xE0 | c >> 12);
                buffer[position++] = (byte)(0x80 | c >> 6 & 0x3F);
                buffer[position++] = (byte)(0x80 | c & 0x3F);
            }
        }
        putInt(lengthAt, position - length);
        length = position;
        return this;
    }

    /**
     * Count the column and make room for its length word and {@code valueLength} bytes of value, and for the field
     * count when it is the row's first.
     */
    private void startColumn(final int valueLength)
    {
        ensureCapacity(6L + valueLength);
        if (0 == columns)
        {
            putShort(fieldCount);
        }
        columns++;
    }

    private void putShort(final int value)
    {
        buffer[length++] = (byte)(value >>> 8);
        buffer[length++] = (byte)value;
    }

    private void putInt(final int value)
    {
        putInt(length, value);
        length += 4;
    }

    private void putInt(final int at, final int value)
    {
        buffer[at] = (byte)(value >>> 24);
        buffer[at + 1] = (byte)(value >>> 16);
        buffer[at + 2] = (byte)(value >>> 8);
        buffer[at + 3] = (byte)value;
    }

    private void putLong(final long value)
    {
        putInt((int)(value >>> 32));
        putInt((int)value);
    }

    private void ensureCapacity(final long extra)
    {
        final long required = length + extra;
        if (required > buffer.length)
        {
            if (required > Integer.MAX_VALUE - 8)
            {
                throw new IllegalStateException("a COPY buffer cannot hold " + required + " bytes");
            }
            buffer = Arrays.copyOf(buffer, (int)Math.max(required, Math.min(Integer.MAX_VALUE - 8L,
                2L * buffer.length)));
        }
    }
}
