package io.tradestate.reader.drain;

import org.agrona.DirectBuffer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Encodes rows in PostgreSQL's {@code COPY ... FROM STDIN} text format into a reusable, growable {@code byte[]},
 * ready for pgjdbc's {@code CopyIn.writeToCopy(encoder.buffer(), 0, encoder.length())}.
 * <p>
 * <b>Design note.</b> The drainer turns every journal event into one COPY row, so this is the hot path of the reader
 * and it allocates nothing once the buffer has grown to its steady size: numbers, decimals and timestamps are written
 * digit by digit (no {@code Long.toString}, {@code BigDecimal} or {@code java.time}), text is copied with a bulk copy
 * and escaped only when a special byte is actually present. The target is a plain {@code byte[]} rather than an
 * Agrona buffer because {@code CopyIn} takes exactly that, and writing array elements directly, after one capacity
 * check per column, avoids a bounds-checked call per byte. Columns are separated by the encoder itself, which counts
 * them per row, so a caller writes one call per column and one {@link #endRow()} per row and cannot get a delimiter
 * wrong.
 * <p>
 * <b>Format</b> (see <a href="https://www.postgresql.org/docs/current/sql-copy.html">COPY, Text Format</a>):
 * columns are separated by a tab, a row ends with a newline, NULL is {@code \N}, and a backslash, tab, newline or
 * carriage return inside a value is written as {@code \\}, {@code \t}, {@code \n} or {@code \r}; every other byte
 * passes through, so UTF-8 input stays UTF-8. Because every backslash in data is escaped, the end-of-data marker
 * {@code \.} can never appear in a value. PostgreSQL text cannot hold a NUL byte, and a NUL would fail the whole
 * COPY batch, so NULs inside var-data text are dropped; fixed-length ASCII fields end at their first NUL, as SBE pads
 * them.
 * <p>
 * A call that throws leaves nothing of its column written, and a row that cannot be completed (the caller fails to
 * decode an event half way) is removed with {@link #abortRow()}, so a half-written row is never handed to the
 * database. Not thread safe: one per sink.
 */
public final class CopyTextEncoder
{
    /**
     * Capacity of the buffer when none is given: enough for a batch of a few hundred typical rows.
     */
    public static final int DEFAULT_INITIAL_CAPACITY = 64 * 1024;

    /**
     * Largest capacity the buffer grows to; encoding beyond it fails with an {@link IllegalStateException}.
     */
    public static final int MAX_CAPACITY = Integer.MAX_VALUE - 8;

    /**
     * Smallest exponent {@link #decimal(long, int)} accepts: PostgreSQL NUMERIC keeps up to 16383 fraction digits.
     */
    public static final int MIN_DECIMAL_EXPONENT = -16383;

    /**
     * Largest exponent {@link #decimal(long, int)} accepts.
     */
    public static final int MAX_DECIMAL_EXPONENT = 16383;

    /**
     * Earliest instant a timestamp may hold, in microseconds since the Unix epoch: 4714-11-24 00:00:00 UTC BC,
     * PostgreSQL's lower bound for {@code timestamptz}.
     */
    public static final long MIN_EPOCH_MICROS = -210_866_803_200_000_000L;

    /**
     * The {@code long} that stands for NULL in decimal mantissas and timestamps: SBE's null for an {@code int64}.
     */
    public static final long NULL_LONG = Long.MIN_VALUE;

    private static final byte TAB = '\t';
    private static final byte NEWLINE = '\n';
    private static final byte BACKSLASH = '\\';
    private static final long MICROS_PER_DAY = 86_400_000_000L;
    private static final long MICROS_PER_SECOND = 1_000_000L;
    private static final int DAYS_0000_03_01_TO_EPOCH = 719_468;
    private static final int DAYS_PER_ERA = 146_097;
    private static final byte[] HEX_DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    /**
     * For each byte value: 0 if it passes through, 1 if it is dropped (NUL), otherwise the letter that follows the
     * backslash of its escape.
     */
    private static final byte[] ESCAPES = new byte[256];

    static
    {
        ESCAPES[0] = 1;
        ESCAPES['\\'] = '\\';
        ESCAPES['\t'] = 't';
        ESCAPES['\n'] = 'n';
        ESCAPES['\r'] = 'r';
    }

    private byte[] buffer;
    private int length;
    private int rowStart;
    private int column;
    private int rows;

    /**
     * An encoder with a buffer of {@link #DEFAULT_INITIAL_CAPACITY} bytes.
     */
    public CopyTextEncoder()
    {
        this(DEFAULT_INITIAL_CAPACITY);
    }

    /**
     * An encoder with a buffer of the given initial capacity; it doubles when a value does not fit.
     *
     * @param initialCapacity of the buffer in bytes, at least 1.
     */
    public CopyTextEncoder(final int initialCapacity)
    {
        if (initialCapacity < 1 || initialCapacity > MAX_CAPACITY)
        {
            throw new IllegalArgumentException(
                "initialCapacity must be in [1, " + MAX_CAPACITY + "]: " + initialCapacity);
        }

        buffer = new byte[initialCapacity];
    }

    /**
     * The encoded bytes, valid from index 0 to {@link #length()}. The array is replaced when the buffer grows, so
     * fetch it after encoding, not before.
     *
     * @return the underlying array; not to be modified.
     */
    public byte[] buffer()
    {
        return buffer;
    }

    /**
     * Number of encoded bytes in {@link #buffer()}, including any row still being written.
     *
     * @return the encoded length in bytes.
     */
    public int length()
    {
        return length;
    }

    /**
     * Current capacity of the buffer.
     *
     * @return the capacity in bytes.
     */
    public int capacity()
    {
        return buffer.length;
    }

    /**
     * Number of rows completed with {@link #endRow()} since the last {@link #reset()}.
     *
     * @return the completed row count.
     */
    public int rows()
    {
        return rows;
    }

    /**
     * Number of columns written so far in the row being encoded.
     *
     * @return the column count of the current row, 0 right after {@link #endRow()}.
     */
    public int columns()
    {
        return column;
    }

    /**
     * Discard everything encoded, keeping the grown buffer for the next batch.
     *
     * @return this for a fluent API.
     */
    public CopyTextEncoder reset()
    {
        length = 0;
        rowStart = 0;
        column = 0;
        rows = 0;
        return this;
    }

    /**
     * End the current row with a newline.
     *
     * @return this for a fluent API.
     * @throws IllegalStateException if no column has been written in the row.
     */
    public CopyTextEncoder endRow()
    {
        if (0 == column)
        {
            throw new IllegalStateException("endRow() without any column in the row");
        }

        ensureCapacity(1);
        buffer[length++] = NEWLINE;
        rowStart = length;
        column = 0;
        rows++;
        return this;
    }

    /**
     * Remove the columns written since the last {@link #endRow()}, as if the row had never been started.
     *
     * @return this for a fluent API.
     */
    public CopyTextEncoder abortRow()
    {
        length = rowStart;
        column = 0;
        return this;
    }

    /**
     * Write SQL NULL ({@code \N}) as the next column.
     *
     * @return this for a fluent API.
     */
    public CopyTextEncoder nullValue()
    {
        ensureCapacity(3);
        startColumn();
        buffer[length++] = BACKSLASH;
        buffer[length++] = 'N';
        return this;
    }

    /**
     * Write a {@code bigint} column; every value, {@link Long#MIN_VALUE} included, is written as a number.
     *
     * @param value to write.
     * @return this for a fluent API.
     */
    public CopyTextEncoder bigint(final long value)
    {
        ensureCapacity(21);
        startColumn();
        putLong(value);
        return this;
    }

    /**
     * Write a {@code bigint} column, or NULL when the value is the given null sentinel (such as
     * {@link #NULL_LONG} or an SBE {@code xxxNullValue()}).
     *
     * @param value     to write.
     * @param nullValue the sentinel that stands for NULL.
     * @return this for a fluent API.
     */
    public CopyTextEncoder nullableBigint(final long value, final long nullValue)
    {
        return value == nullValue ? nullValue() : bigint(value);
    }

    /**
     * Write an {@code integer} column.
     *
     * @param value to write.
     * @return this for a fluent API.
     */
    public CopyTextEncoder integer(final int value)
    {
        return bigint(value);
    }

    /**
     * Write a {@code boolean} column as {@code t} or {@code f}.
     *
     * @param value to write.
     * @return this for a fluent API.
     */
    public CopyTextEncoder bool(final boolean value)
    {
        ensureCapacity(2);
        startColumn();
        buffer[length++] = value ? (byte)'t' : (byte)'f';
        return this;
    }

    /**
     * Write the exact decimal {@code mantissa x 10^exponent} as a {@code numeric} column, keeping its scale:
     * 150 x 10^-2 is {@code 1.50}, 5 x 10^-3 is {@code 0.005} and 12 x 10^3 is {@code 12000} (zero with a positive
     * exponent is just {@code 0}, as {@link java.math.BigDecimal#toPlainString()} writes it). A mantissa of
     * {@link Long#MIN_VALUE}, the schema's null decimal, writes NULL.
     *
     * @param mantissa of the decimal, or {@link Long#MIN_VALUE} for NULL.
     * @param exponent power of ten, in [{@link #MIN_DECIMAL_EXPONENT}, {@link #MAX_DECIMAL_EXPONENT}].
     * @return this for a fluent API.
     * @throws IllegalArgumentException if the exponent is out of range.
     */
    public CopyTextEncoder decimal(final long mantissa, final int exponent)
    {
        if (NULL_LONG == mantissa)
        {
            return nullValue();
        }

        if (exponent < MIN_DECIMAL_EXPONENT || exponent > MAX_DECIMAL_EXPONENT)
        {
            throw new IllegalArgumentException("decimal exponent must be in [" + MIN_DECIMAL_EXPONENT + ", " +
                MAX_DECIMAL_EXPONENT + "]: " + exponent);
        }

        // Separator, sign, "0." and up to 19 digits fit in 23 bytes; the padding zeros take |exponent| more.
        ensureCapacity(23 + Math.abs(exponent));
        startColumn();

        final byte[] buffer = this.buffer;
        int position = length;
        if (mantissa < 0)
        {
            buffer[position++] = '-';
        }

        // Digits come from the negative magnitude so that no mantissa overflows on negation.
        long negative = mantissa < 0 ? mantissa : -mantissa;
        final int digitCount = digitCount(negative);
        if (exponent >= 0)
        {
            if (0 == negative)
            {
                buffer[position++] = '0';
            }
            else
            {
                position += digitCount;
                putDigits(negative, position);
                Arrays.fill(buffer, position, position + exponent, (byte)'0');
                position += exponent;
            }
        }
        else
        {
            final int scale = -exponent;
            if (digitCount > scale)
            {
                position += digitCount + 1;
                int index = position;
                for (int i = 0; i < scale; i++)
                {
                    final long quotient = negative / 10;
                    buffer[--index] = (byte)('0' + (quotient * 10 - negative));
                    negative = quotient;
                }
                buffer[--index] = '.';
                putDigits(negative, index);
            }
            else
            {
                buffer[position++] = '0';
                buffer[position++] = '.';
                final int zeros = scale - digitCount;
                Arrays.fill(buffer, position, position + zeros, (byte)'0');
                position += zeros + digitCount;
                putDigits(negative, position);
            }
        }

        length = position;
        return this;
    }

    /**
     * Write a {@code timestamptz} column from nanoseconds since the Unix epoch, in UTC, truncated to microseconds
     * (towards the past for instants before 1970), such as {@code 2026-11-21 12:00:00.123456+00}.
     * {@link Long#MIN_VALUE} writes NULL.
     *
     * @param epochNs nanoseconds since 1970-01-01T00:00:00Z, or {@link Long#MIN_VALUE} for NULL.
     * @return this for a fluent API.
     */
    public CopyTextEncoder timestampFromEpochNanos(final long epochNs)
    {
        if (NULL_LONG == epochNs)
        {
            return nullValue();
        }

        return timestampFromEpochMicros(Math.floorDiv(epochNs, 1000L));
    }

    /**
     * Write a {@code timestamptz} column from milliseconds since the Unix epoch, in UTC, such as
     * {@code 2026-11-21 12:00:00.123000+00}. {@link Long#MIN_VALUE} writes NULL.
     *
     * @param epochMs milliseconds since 1970-01-01T00:00:00Z, or {@link Long#MIN_VALUE} for NULL.
     * @return this for a fluent API.
     * @throws IllegalArgumentException if the instant is outside PostgreSQL's {@code timestamptz} range.
     */
    public CopyTextEncoder timestampFromEpochMillis(final long epochMs)
    {
        if (NULL_LONG == epochMs)
        {
            return nullValue();
        }

        if (epochMs > Long.MAX_VALUE / 1000L || epochMs < MIN_EPOCH_MICROS / 1000L)
        {
            throw new IllegalArgumentException("timestamp epochMs is outside the timestamptz range: " + epochMs);
        }

        return timestampFromEpochMicros(epochMs * 1000L);
    }

    /**
     * Write a {@code timestamptz} column from microseconds since the Unix epoch, in UTC: ISO date and time with six
     * fraction digits and {@code +00}; years past 9999 take more digits and years before 1 AD end in {@code BC},
     * as PostgreSQL writes them. {@link Long#MIN_VALUE} writes NULL.
     *
     * @param epochUs microseconds since 1970-01-01T00:00:00Z, or {@link Long#MIN_VALUE} for NULL.
     * @return this for a fluent API.
     * @throws IllegalArgumentException if the instant is before {@link #MIN_EPOCH_MICROS}.
     */
    public CopyTextEncoder timestampFromEpochMicros(final long epochUs)
    {
        if (NULL_LONG == epochUs)
        {
            return nullValue();
        }

        if (epochUs < MIN_EPOCH_MICROS)
        {
            throw new IllegalArgumentException("timestamp epochUs is before 4714-11-24 BC: " + epochUs);
        }

        final long epochDay = Math.floorDiv(epochUs, MICROS_PER_DAY);
        final long microOfDay = epochUs - epochDay * MICROS_PER_DAY;

        // Howard Hinnant's civil_from_days: proleptic Gregorian, as both PostgreSQL and java.time use.
        final long shiftedDay = epochDay + DAYS_0000_03_01_TO_EPOCH;
        final long era = (shiftedDay >= 0 ? shiftedDay : shiftedDay - (DAYS_PER_ERA - 1)) / DAYS_PER_ERA;
        final int dayOfEra = (int)(shiftedDay - era * DAYS_PER_ERA);
        final int yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365;
        final int dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        final int shiftedMonth = (5 * dayOfYear + 2) / 153;
        final int day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1;
        final int month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
        final long year = era * 400 + yearOfEra + (month <= 2 ? 1 : 0);

        final int secondOfDay = (int)(microOfDay / MICROS_PER_SECOND);
        final int micros = (int)(microOfDay - secondOfDay * MICROS_PER_SECOND);

        // "294247-01-10 04:00:54.775807+00" is the longest at 31 bytes, "4714-11-24 ... BC" takes 32.
        ensureCapacity(33);
        startColumn();
        final byte[] buffer = this.buffer;
        int position = length;
        final boolean beforeChrist = year <= 0;
        final long displayYear = beforeChrist ? 1 - year : year;
        if (displayYear > 9999)
        {
            position += digitCount(-displayYear);
            putDigits(-displayYear, position);
        }
        else
        {
            position = putPadded((int)displayYear, 4, position);
        }
        buffer[position++] = '-';
        position = putPadded(month, 2, position);
        buffer[position++] = '-';
        position = putPadded(day, 2, position);
        buffer[position++] = ' ';
        position = putPadded(secondOfDay / 3600, 2, position);
        buffer[position++] = ':';
        position = putPadded((secondOfDay / 60) % 60, 2, position);
        buffer[position++] = ':';
        position = putPadded(secondOfDay % 60, 2, position);
        buffer[position++] = '.';
        position = putPadded(micros, 6, position);
        buffer[position++] = '+';
        buffer[position++] = '0';
        buffer[position++] = '0';
        if (beforeChrist)
        {
            buffer[position++] = ' ';
            buffer[position++] = 'B';
            buffer[position++] = 'C';
        }

        length = position;
        return this;
    }

    /**
     * Write a fixed-length, zero-padded ASCII field (an SBE {@code char} array) as a text column: the value ends at
     * the first NUL or after {@code maxLength} bytes, and an empty field (first byte NUL) writes NULL.
     *
     * @param buffer    holding the field.
     * @param offset    of the field in the buffer.
     * @param maxLength of the field in bytes.
     * @return this for a fluent API.
     * @see #asciiTextOrEmpty(DirectBuffer, int, int)
     */
    public CopyTextEncoder asciiText(final DirectBuffer buffer, final int offset, final int maxLength)
    {
        if (maxLength <= 0 || 0 == buffer.getByte(offset))
        {
            return nullValue();
        }

        return asciiTextOrEmpty(buffer, offset, maxLength);
    }

    /**
     * Write a fixed-length, zero-padded ASCII field as a text column like
     * {@link #asciiText(DirectBuffer, int, int)}, except that an empty field writes an empty string, for columns
     * declared {@code NOT NULL}.
     *
     * @param buffer    holding the field.
     * @param offset    of the field in the buffer.
     * @param maxLength of the field in bytes.
     * @return this for a fluent API.
     */
    public CopyTextEncoder asciiTextOrEmpty(final DirectBuffer buffer, final int offset, final int maxLength)
    {
        if (maxLength <= 0)
        {
            ensureCapacity(1);
            startColumn();
            return this;
        }

        buffer.boundsCheck(offset, maxLength);
        ensureCapacity(1 + 2L * maxLength);
        startColumn();

        final byte[] target = this.buffer;
        final int start = length;
        buffer.getBytes(offset, target, start, maxLength);
        final byte[] escapes = ESCAPES;
        for (int i = 0; i < maxLength; i++)
        {
            final byte b = target[start + i];
            if (0 == b)
            {
                length = start + i;
                return this;
            }

            if (0 != escapes[b & 0xFF])
            {
                // Rare: escape the rest straight from the source, still ending at the first NUL.
                length = start + i;
                putEscaped(buffer, offset + i, maxLength - i, true);
                return this;
            }
        }

        length = start + maxLength;
        return this;
    }

    /**
     * Write UTF-8 bytes (SBE var-data) as a text column, escaped; zero length writes an empty string, not NULL.
     * NUL bytes, which PostgreSQL text cannot hold, are dropped. The bytes are not validated: they must be UTF-8.
     *
     * @param buffer holding the bytes.
     * @param offset of the first byte in the buffer.
     * @param length of the value in bytes.
     * @return this for a fluent API.
     * @see #utf8TextOrNull(DirectBuffer, int, int)
     */
    public CopyTextEncoder utf8Text(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < 0)
        {
            throw new IllegalArgumentException("utf8Text length must not be negative: " + length);
        }

        buffer.boundsCheck(offset, length);
        ensureCapacity(1 + 2L * length);
        startColumn();

        final byte[] target = this.buffer;
        final int start = this.length;
        buffer.getBytes(offset, target, start, length);
        final byte[] escapes = ESCAPES;
        for (int i = 0; i < length; i++)
        {
            if (0 != escapes[target[start + i] & 0xFF])
            {
                this.length = start + i;
                putEscaped(buffer, offset + i, length - i, false);
                return this;
            }
        }

        this.length = start + length;
        return this;
    }

    /**
     * Write UTF-8 bytes as a text column like {@link #utf8Text(DirectBuffer, int, int)}, except that zero length
     * writes NULL, for optional free text where absent and empty mean the same.
     *
     * @param buffer holding the bytes.
     * @param offset of the first byte in the buffer.
     * @param length of the value in bytes.
     * @return this for a fluent API.
     */
    public CopyTextEncoder utf8TextOrNull(final DirectBuffer buffer, final int offset, final int length)
    {
        return 0 == length ? nullValue() : utf8Text(buffer, offset, length);
    }

    /**
     * Write a string as a UTF-8 text column, escaped; {@code null} writes NULL and NUL characters are dropped. Meant
     * for values off the hot path (names, configuration), yet allocation-free for any input.
     *
     * @param value to write, or {@code null} for NULL.
     * @return this for a fluent API.
     * @throws IllegalArgumentException if the value holds an unpaired surrogate, which has no UTF-8 form; nothing
     *                                  of the column is left written.
     */
    public CopyTextEncoder text(final CharSequence value)
    {
        if (null == value)
        {
            return nullValue();
        }

        final int charCount = value.length();
        // 3 bytes per char covers both 3-byte characters and a surrogate pair's 4 bytes for two chars.
        ensureCapacity(1 + 3L * charCount);
        final int columnStart = length;
        startColumn();

        final byte[] buffer = this.buffer;
        final byte[] escapes = ESCAPES;
        int position = length;
        for (int i = 0; i < charCount; i++)
        {
            final char c = value.charAt(i);
            if (c < 0x80)
            {
                final byte escape = escapes[c];
                if (0 == escape)
                {
                    buffer[position++] = (byte)c;
                }
                else if (1 != escape)
                {
                    buffer[position++] = BACKSLASH;
                    buffer[position++] = escape;
                }
            }
            else if (c < 0x800)
            {
                buffer[position++] = (byte)(0xC0 | (c >> 6));
                buffer[position++] = (byte)(0x80 | (c & 0x3F));
            }
            else if (Character.isSurrogate(c))
            {
                final char low = i + 1 < charCount ? value.charAt(i + 1) : 0;
                if (!Character.isHighSurrogate(c) || !Character.isLowSurrogate(low))
                {
                    length = columnStart;
                    column--;
                    throw new IllegalArgumentException("text has an unpaired surrogate at index " + i);
                }

                final int codePoint = Character.toCodePoint(c, low);
                buffer[position++] = (byte)(0xF0 | (codePoint >> 18));
                buffer[position++] = (byte)(0x80 | ((codePoint >> 12) & 0x3F));
                buffer[position++] = (byte)(0x80 | ((codePoint >> 6) & 0x3F));
                buffer[position++] = (byte)(0x80 | (codePoint & 0x3F));
                i++;
            }
            else
            {
                buffer[position++] = (byte)(0xE0 | (c >> 12));
                buffer[position++] = (byte)(0x80 | ((c >> 6) & 0x3F));
                buffer[position++] = (byte)(0x80 | (c & 0x3F));
            }
        }

        length = position;
        return this;
    }

    /**
     * Write bytes as a {@code bytea} column in hex format; the backslash of {@code \x} is itself escaped for COPY,
     * so bytes 0x0A 0x1B are written as {@code \\x0a1b}. Zero length writes an empty {@code bytea}, not NULL.
     *
     * @param buffer holding the bytes.
     * @param offset of the first byte in the buffer.
     * @param length of the value in bytes.
     * @return this for a fluent API.
     */
    public CopyTextEncoder bytea(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < 0)
        {
            throw new IllegalArgumentException("bytea length must not be negative: " + length);
        }

        buffer.boundsCheck(offset, length);
        ensureCapacity(4 + 2L * length);
        startColumn();

        final byte[] target = this.buffer;
        final byte[] hexDigits = HEX_DIGITS;
        int position = this.length;
        target[position++] = BACKSLASH;
        target[position++] = BACKSLASH;
        target[position++] = 'x';
        for (int i = 0; i < length; i++)
        {
            final int b = buffer.getByte(offset + i) & 0xFF;
            target[position++] = hexDigits[b >>> 4];
            target[position++] = hexDigits[b & 0xF];
        }

        this.length = position;
        return this;
    }

    private void startColumn()
    {
        if (0 != column)
        {
            buffer[length++] = TAB;
        }
        column++;
    }

    /**
     * Make room for {@code extra} more bytes; callers reserve the worst case of a whole column, separator included,
     * once, then write to the array unchecked.
     */
    private void ensureCapacity(final long extra)
    {
        final long required = length + extra;
        if (required > buffer.length)
        {
            if (required > MAX_CAPACITY)
            {
                throw new IllegalStateException(
                    "COPY buffer cannot grow past " + MAX_CAPACITY + " bytes, " + required + " required");
            }

            final long doubled = Math.min(MAX_CAPACITY, 2L * buffer.length);
            buffer = Arrays.copyOf(buffer, (int)Math.max(required, doubled));
        }
    }

    private void putEscaped(final DirectBuffer source, final int offset, final int count, final boolean stopAtNul)
    {
        final byte[] target = buffer;
        final byte[] escapes = ESCAPES;
        int position = length;
        for (int i = 0; i < count; i++)
        {
            final byte b = source.getByte(offset + i);
            final byte escape = escapes[b & 0xFF];
            if (0 == escape)
            {
                target[position++] = b;
            }
            else if (1 != escape)
            {
                target[position++] = BACKSLASH;
                target[position++] = escape;
            }
            else if (stopAtNul)
            {
                break;
            }
        }
        length = position;
    }

    private void putLong(final long value)
    {
        long negative = value;
        if (value < 0)
        {
            buffer[length++] = '-';
        }
        else
        {
            negative = -value;
        }

        length += digitCount(negative);
        putDigits(negative, length);
    }

    /**
     * Write the decimal digits of {@code -negative} so that the last one lands just before {@code end}.
     */
    private void putDigits(final long negative, final int end)
    {
        final byte[] buffer = this.buffer;
        long remaining = negative;
        int index = end;
        do
        {
            final long quotient = remaining / 10;
            buffer[--index] = (byte)('0' + (quotient * 10 - remaining));
            remaining = quotient;
        }
        while (0 != remaining);
    }

    private int putPadded(final int value, final int width, final int position)
    {
        final byte[] buffer = this.buffer;
        int remaining = value;
        for (int index = position + width - 1; index >= position; index--)
        {
            final int quotient = remaining / 10;
            buffer[index] = (byte)('0' + (remaining - quotient * 10));
            remaining = quotient;
        }
        return position + width;
    }

    /**
     * Number of decimal digits of {@code -negative}, for any value from {@link Long#MIN_VALUE} to 0.
     */
    private static int digitCount(final long negative)
    {
        int count = 1;
        long threshold = -10;
        while (count < 19 && negative <= threshold)
        {
            count++;
            threshold *= 10;
        }
        return count;
    }
}
