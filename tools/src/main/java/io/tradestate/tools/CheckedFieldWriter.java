package io.tradestate.tools;

import io.tradestate.codecs.DecimalDecoder;
import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * Writes the fields of one event to a {@link JsonEventWriter}, checking each as it goes, for the
 * {@link JournalEventDecoder}, which knows where each field is.
 * <p>
 * Design: the first field that fails a check records why, naming the message and the field
 * ({@code OrderUpdate.side invalid enum value 7}), and turns every later call into a no-op, so a message's field list
 * reads straight through with no test after each field; the caller asks {@link #failure()} once at the end and drops
 * the half-built line. The rules are the reader agent's: see {@link JournalEventDecoder}.
 */
final class CheckedFieldWriter
{
    static final int MIN_EXPONENT = -18;
    static final int MAX_EXPONENT = 18;
    static final long NULL_TIME = Long.MIN_VALUE;

    private static final short NULL_ENUM = 255;
    private static final long MAX_EPOCH_MS = 253402300799999L;

    private final JsonEventWriter json;
    private String message;
    private String failure;
    private long appendTimeNs;
    private int varPosition;
    private int limit;

    CheckedFieldWriter(final JsonEventWriter json)
    {
        this.json = json;
    }

    /**
     * Start checking a message; nothing is written until {@link #begin}.
     *
     * @param message name of the message, for the failure text and the {@code type} member.
     * @param limit   offset in the buffer just past the excerpt: no var-data may reach beyond it.
     */
    void start(final String message, final int limit)
    {
        this.message = message;
        this.limit = limit;
        failure = null;
        appendTimeNs = NULL_TIME;
    }

    /**
     * The message as a whole cannot be read.
     *
     * @param reason the full text of why.
     */
    void failMessage(final String reason)
    {
        failure = reason;
    }

    /**
     * Why the message failed a check.
     *
     * @return the reason, or null if every field so far passed.
     */
    String failure()
    {
        return failure;
    }

    /**
     * Name of the message being written.
     *
     * @return the name given to {@link #start}.
     */
    String message()
    {
        return message;
    }

    /**
     * The append time {@link #begin} accepted.
     *
     * @return nanoseconds since the epoch, or {@link #NULL_TIME} before then.
     */
    long appendTimeNs()
    {
        return appendTimeNs;
    }

    /**
     * Where the message's var-data starts: the end of its fixed block as the header gives it.
     *
     * @param position offset in the buffer.
     */
    void varDataAt(final int position)
    {
        varPosition = position;
    }

    /**
     * A number that is always present.
     */
    void number(final String field, final long value)
    {
        if (null == failure)
        {
            json.number(field, value);
        }
    }

    /**
     * Open the line with the members every event starts with.
     */
    void begin(final long index, final long appendTimeNs)
    {
        if (null != failure)
        {
            return;
        }
        if (appendTimeNs < 0)
        {
            fail("appendTimeNs", "is not a time: " + appendTimeNs);
            return;
        }

        this.appendTimeNs = appendTimeNs;
        json.begin()
            .number("index", index)
            .string("indexHex", "0x" + Long.toHexString(index))
            .string("type", message)
            .number("appendTimeNs", appendTimeNs)
            .timeNs("appendTime", appendTimeNs);
    }

    /**
     * Close the line, unless a field failed.
     */
    void end()
    {
        if (null == failure)
        {
            json.end();
        }
    }

    /**
     * A zero-padded fixed-length text: printable ASCII, null when empty unless required. A captured value is also
     * appended to {@code capture}, for the filters.
     */
    void ascii(
        final String field,
        final DirectBuffer buffer,
        final int offset,
        final int maxLength,
        final boolean required,
        final StringBuilder capture)
    {
        if (null != failure)
        {
            return;
        }

        final int length = asciiLength(buffer, offset, maxLength);
        if (length < 0)
        {
            fail(field, "is not printable ASCII");
        }
        else if (0 == length)
        {
            if (required)
            {
                fail(field, "is required but empty");
            }
            else
            {
                json.nullValue(field);
            }
        }
        else
        {
            json.asciiString(field, buffer, offset, length);
            if (null != capture)
            {
                for (int i = 0; i < length; i++)
                {
                    capture.append((char)buffer.getByte(offset + i));
                }
            }
        }
    }

    /**
     * One var-data field at {@link #varPosition}, which then moves past it: var-data fields follow each other in
     * schema order after the fixed block. Empty text, which is also what an unset field holds, is written as null.
     */
    void varText(final String field, final DirectBuffer buffer)
    {
        if (null != failure)
        {
            return;
        }

        final int position = varPosition;
        if (position + 2 > limit)
        {
            fail(field, "truncated: no room for its length");
            return;
        }

        final int length = buffer.getShort(position, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        if (position + 2 + length > limit)
        {
            fail(field, "truncated: " + length + " bytes announced, " + (limit - position - 2) + " present");
            return;
        }

        if (0 == length)
        {
            json.nullValue(field);
        }
        else if (!json.utf8String(field, buffer, position + 2, length))
        {
            fail(field, "is not valid UTF-8 or contains a NUL");
            return;
        }
        varPosition = position + 2 + length;
    }

    /**
     * An enum by its raw value, as one of {@code names}; SBE's null value is null unless required.
     */
    void enumName(final String field, final short raw, final String[] names, final boolean required)
    {
        if (null != failure)
        {
            return;
        }

        if (NULL_ENUM == raw)
        {
            if (required)
            {
                fail(field, "is required but null");
            }
            else
            {
                json.nullValue(field);
            }
        }
        else if (raw < 0 || raw >= names.length)
        {
            fail(field, "invalid enum value " + raw);
        }
        else
        {
            json.string(field, names[raw]);
        }
    }

    /**
     * A {@code BooleanType}: 0 or 1.
     */
    void bool(final String field, final short raw)
    {
        if (null != failure)
        {
            return;
        }

        if (0 == raw || 1 == raw)
        {
            json.bool(field, 1 == raw);
        }
        else
        {
            fail(field, "invalid boolean value " + raw);
        }
    }

    /**
     * A {@code Decimal} as exact text; a null mantissa is null unless required.
     */
    void decimal(final String field, final DecimalDecoder decimal, final boolean required)
    {
        if (null != failure)
        {
            return;
        }

        final long mantissa = decimal.mantissa();
        final int exponent = decimal.exponent();
        if (DecimalDecoder.mantissaNullValue() == mantissa)
        {
            if (required)
            {
                fail(field, "is required but null");
            }
            else
            {
                json.nullValue(field);
            }
        }
        else if (exponent < MIN_EXPONENT || exponent > MAX_EXPONENT)
        {
            fail(field, "exponent " + exponent + " is outside [" + MIN_EXPONENT + ", " + MAX_EXPONENT + "]");
        }
        else
        {
            json.decimal(field, mantissa, exponent);
        }
    }

    /**
     * A millisecond time as its number and its ISO-8601 text, both null when absent.
     */
    void timeMs(final String field, final String isoField, final long epochMs, final boolean required)
    {
        if (null != failure)
        {
            return;
        }

        if (NULL_TIME == epochMs)
        {
            if (required)
            {
                fail(field, "is required but null");
            }
            else
            {
                json.nullValue(field).nullValue(isoField);
            }
        }
        else if (epochMs < 0 || epochMs > MAX_EPOCH_MS)
        {
            fail(field, "is not a time: " + epochMs);
        }
        else
        {
            json.number(field, epochMs).timeMs(isoField, epochMs);
        }
    }

    /**
     * A nanosecond time as its number and its ISO-8601 text, both null when absent. Any other value is a time: the
     * reader agent stores these as they are.
     */
    void timeNs(final String field, final String isoField, final long epochNs)
    {
        if (null != failure)
        {
            return;
        }

        if (NULL_TIME == epochNs)
        {
            json.nullValue(field).nullValue(isoField);
        }
        else
        {
            json.number(field, epochNs).timeNs(isoField, epochNs);
        }
    }

    void optionalNumber(final String field, final long value, final long nullValue)
    {
        if (null == failure)
        {
            if (nullValue == value)
            {
                json.nullValue(field);
            }
            else
            {
                json.number(field, value);
            }
        }
    }

    void requiredNumber(final String field, final long value, final long nullValue)
    {
        if (null == failure)
        {
            if (nullValue == value)
            {
                fail(field, "is required but null");
            }
            else
            {
                json.number(field, value);
            }
        }
    }

    private void fail(final String field, final String why)
    {
        failure = message + "." + field + " " + why;
    }

    /**
     * Length of a zero-padded printable-ASCII field.
     *
     * @return the characters before the first NUL, or -1 if one of them is not printable ASCII or a non-NUL byte
     * follows the padding.
     */
    static int asciiLength(final DirectBuffer buffer, final int offset, final int maxLength)
    {
        for (int i = 0; i < maxLength; i++)
        {
            final byte b = buffer.getByte(offset + i);
            if (0 == b)
            {
                for (int j = i + 1; j < maxLength; j++)
                {
                    if (0 != buffer.getByte(offset + j))
                    {
                        return -1;
                    }
                }
                return i;
            }
            if (b < 0x20 || b > 0x7E)
            {
                return -1;
            }
        }
        return maxLength;
    }
}
