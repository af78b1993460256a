package io.tradestate.tools;

import org.agrona.DirectBuffer;

/**
 * Builds one event as one line of JSON: a flat object whose members are written in call order.
 * <p>
 * Design: the line is built in one reused {@link StringBuilder} and handed out whole, so the caller can drop a half
 * built line when a later field turns out to be bad, and a line reaches the output complete or not at all. Strings
 * are escaped as RFC 8259 requires (quote, backslash and every control character), plus DEL and the line and
 * paragraph separators U+2028 and U+2029, which break line-oriented and JavaScript consumers. Other non-ASCII
 * characters are written as they are: the output is UTF-8. Member names are the caller's constants and are not
 * escaped.
 */
final class JsonEventWriter
{
    private static final char[] HEX_DIGITS = "0123456789abcdef".toCharArray();

    private final StringBuilder line = new StringBuilder(2048);
    private boolean firstMember;

    /**
     * Start a new object, dropping whatever was built before.
     *
     * @return this for a fluent API.
     */
    public JsonEventWriter begin()
    {
        line.setLength(0);
        line.append('{');
        firstMember = true;
        return this;
    }

    /**
     * Close the object.
     *
     * @return this for a fluent API.
     */
    public JsonEventWriter end()
    {
        line.append('}');
        return this;
    }

    /**
     * The text built so far; after {@link #end()}, one JSON object without a line separator.
     *
     * @return the builder's content, valid until the next {@link #begin()}.
     */
    public CharSequence line()
    {
        return line;
    }

    /**
     * A number member.
     *
     * @param name  of the member.
     * @param value of the member.
     * @return this for a fluent API.
     */
    public JsonEventWriter number(final String name, final long value)
    {
        name(name).append(value);
        return this;
    }

    /**
     * A boolean member.
     *
     * @param name  of the member.
     * @param value of the member.
     * @return this for a fluent API.
     */
    public JsonEventWriter bool(final String name, final boolean value)
    {
        name(name).append(value);
        return this;
    }

    /**
     * A member whose value is {@code null}.
     *
     * @param name of the member.
     * @return this for a fluent API.
     */
    public JsonEventWriter nullValue(final String name)
    {
        name(name).append("null");
        return this;
    }

    /**
     * A string member, escaped; a {@code null} value writes {@code null}. An unpaired surrogate is escaped, since
     * UTF-8 cannot hold it.
     *
     * @param name  of the member.
     * @param value of the member, or null.
     * @return this for a fluent API.
     */
    public JsonEventWriter string(final String name, final CharSequence value)
    {
        if (null == value)
        {
            return nullValue(name);
        }

        name(name).append('"');
        for (int i = 0, length = value.length(); i < length; i++)
        {
            final char c = value.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(value.charAt(i + 1)))
            {
                line.append(c).append(value.charAt(++i));
            }
            else
            {
                escaped(c);
            }
        }
        line.append('"');
        return this;
    }

    /**
     * A string member from single-byte characters (ASCII), escaped.
     *
     * @param name   of the member.
     * @param buffer holding the characters.
     * @param offset of the first character.
     * @param length in bytes.
     * @return this for a fluent API.
     */
    public JsonEventWriter asciiString(final String name, final DirectBuffer buffer, final int offset, final int length)
    {
        name(name).append('"');
        for (int i = 0; i < length; i++)
        {
            escaped((char)(buffer.getByte(offset + i) & 0xFF));
        }
        line.append('"');
        return this;
    }

    /**
     * A string member from UTF-8 bytes that {@link io.tradestate.codecs.event.JournalEventReader} accepted: valid,
     * without NUL.
     *
     * @param name   of the member.
     * @param buffer holding the bytes.
     * @param offset of the first byte.
     * @param length in bytes.
     * @return this for a fluent API.
     */
    public JsonEventWriter utf8String(final String name, final DirectBuffer buffer, final int offset, final int length)
    {
        name(name).append('"');
        int i = offset;
        final int end = offset + length;
        while (i < end)
        {
            final int b0 = buffer.getByte(i) & 0xFF;
            final int codePoint;
            if (b0 < 0x80)
            {
                codePoint = b0;
                i++;
            }
            else if (b0 < 0xE0)
            {
                codePoint = ((b0 & 0x1F) << 6) | (buffer.getByte(i + 1) & 0x3F);
                i += 2;
            }
            else if (b0 < 0xF0)
            {
                codePoint = ((b0 & 0x0F) << 12) | ((buffer.getByte(i + 1) & 0x3F) << 6) |
                    (buffer.getByte(i + 2) & 0x3F);
                i += 3;
            }
            else
            {
                codePoint = ((b0 & 0x07) << 18) | ((buffer.getByte(i + 1) & 0x3F) << 12) |
                    ((buffer.getByte(i + 2) & 0x3F) << 6) | (buffer.getByte(i + 3) & 0x3F);
                i += 4;
            }

            if (codePoint >= 0x10000)
            {
                line.append(Character.highSurrogate(codePoint)).append(Character.lowSurrogate(codePoint));
            }
            else
            {
                escaped((char)codePoint);
            }
        }
        line.append('"');
        return this;
    }

    /**
     * A decimal member as an exact decimal string, such as {@code "0.00012"}; see {@link DecimalText}.
     *
     * @param name     of the member.
     * @param mantissa the unscaled value.
     * @param exponent the power of ten.
     * @return this for a fluent API.
     */
    public JsonEventWriter decimal(final String name, final long mantissa, final int exponent)
    {
        name(name).append('"');
        DecimalText.append(line, mantissa, exponent).append('"');
        return this;
    }

    /**
     * An ISO-8601 UTC string member from milliseconds since the epoch; see {@link TimestampText}.
     *
     * @param name    of the member.
     * @param epochMs the time.
     * @return this for a fluent API.
     */
    public JsonEventWriter timeMs(final String name, final long epochMs)
    {
        name(name).append('"');
        TimestampText.appendMillis(line, epochMs).append('"');
        return this;
    }

    /**
     * An ISO-8601 UTC string member from nanoseconds since the epoch; see {@link TimestampText}.
     *
     * @param name    of the member.
     * @param epochNs the time.
     * @return this for a fluent API.
     */
    public JsonEventWriter timeNs(final String name, final long epochNs)
    {
        name(name).append('"');
        TimestampText.appendNanos(line, epochNs).append('"');
        return this;
    }

    /**
     * A string member holding bytes as lower-case hexadecimal, two digits a byte.
     *
     * @param name   of the member.
     * @param buffer holding the bytes.
     * @param offset of the first byte.
     * @param length in bytes.
     * @return this for a fluent API.
     */
    public JsonEventWriter hex(final String name, final DirectBuffer buffer, final int offset, final int length)
    {
        name(name).append('"');
        for (int i = 0; i < length; i++)
        {
            final int b = buffer.getByte(offset + i) & 0xFF;
            line.append(HEX_DIGITS[b >>> 4]).append(HEX_DIGITS[b & 0xF]);
        }
        line.append('"');
        return this;
    }

    private StringBuilder name(final String name)
    {
        if (!firstMember)
        {
            line.append(',');
        }
        firstMember = false;
        return line.append('"').append(name).append("\":");
    }

    private void escaped(final char c)
    {
        switch (c)
        {
            case '"':
                line.append("\\\"");
                break;
            case '\\':
                line.append("\\\\");
                break;
            case '\n':
                line.append("\\n");
                break;
            case '\r':
                line.append("\\r");
                break;
            case '\t':
                line.append("\\t");
                break;
            case '\b':
                line.append("\\b");
                break;
            case '\f':
                line.append("\\f");
                break;
            default:
                if (c < 0x20 || 0x7F == c || '\u2028' == c || '\u2029' == c || Character.isSurrogate(c))
                {
                    line.append("\\u")
                        .append(HEX_DIGITS[c >>> 12])
                        .append(HEX_DIGITS[(c >>> 8) & 0xF])
                        .append(HEX_DIGITS[(c >>> 4) & 0xF])
                        .append(HEX_DIGITS[c & 0xF]);
                }
                else
                {
                    line.append(c);
                }
                break;
        }
    }
}
