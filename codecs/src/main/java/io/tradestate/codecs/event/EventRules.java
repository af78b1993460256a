package io.tradestate.codecs.event;

import org.agrona.DirectBuffer;

/**
 * The limits every journal event keeps, stated once: the writer refuses a value outside them, the
 * {@link JournalEventReader} refuses an excerpt that holds one.
 */
public final class EventRules
{
    /**
     * The smallest decimal exponent: 18 decimal places (wei-like precision).
     */
    public static final int MIN_EXPONENT = -18;

    /**
     * The largest decimal exponent.
     */
    public static final int MAX_EXPONENT = 18;

    /**
     * The latest millisecond time, 9999-12-31T23:59:59.999Z: the last instant of the four-digit years the database's
     * timestamp columns hold.
     */
    public static final long MAX_EPOCH_MS = 253402300799999L;

    /**
     * The earliest append time an event may carry, 2000-01-01T00:00:00Z: an earlier one comes from a writer whose
     * clock is wrong, and the history has no place for it (it would land in no monthly partition).
     */
    public static final long MIN_APPEND_TIME_NS = 946_684_800_000_000_000L;

    /**
     * The latest append time an event may carry, exclusive: 2200-01-01T00:00:00Z, far enough inside the nanoseconds a
     * {@code long} holds (to 2262) that no time window the drain computes around a batch can overflow.
     */
    public static final long MAX_APPEND_TIME_NS = 7_258_118_400_000_000_000L;

    /**
     * The most bytes of a var-data text: the schema's {@code varUtf8Encoding} maximum.
     */
    public static final int MAX_TEXT_BYTES = 1024;

    /**
     * The most characters of a source id: the width of the source id in the state maps' keys and values.
     */
    public static final int MAX_SOURCE_ID_LENGTH = 32;

    /**
     * What a source id is, in words, for the messages that refuse one: the writer's for a setting, the reader
     * agent's for a journal folder.
     */
    public static final String SOURCE_ID_RULE =
        "1 to " + MAX_SOURCE_ID_LENGTH + " characters of [A-Za-z0-9._-] starting with a letter or digit";

    /**
     * Null of an SBE {@code uint8} enum.
     */
    public static final short NULL_ENUM = 255;

    /**
     * Null of an SBE {@code int64} and of a decimal's mantissa.
     */
    public static final long NULL_INT64 = Long.MIN_VALUE;

    private EventRules()
    {
    }

    /**
     * Whether a text is a source id ({@link #SOURCE_ID_RULE}): the writer names its queue folder after it, and the
     * reader agent drains only the folders so named. It keeps the id a safe folder name, a safe metrics label and a
     * key of the state maps.
     *
     * @param sourceId the text, may be null.
     * @return true if it is a source id.
     */
    public static boolean isValidSourceId(final CharSequence sourceId)
    {
        if (null == sourceId)
        {
            return false;
        }
        final int length = sourceId.length();
        if (length < 1 || length > MAX_SOURCE_ID_LENGTH)
        {
            return false;
        }
        for (int i = 0; i < length; i++)
        {
            final char c = sourceId.charAt(i);
            final boolean letterOrDigit = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
            if (!letterOrDigit && (0 == i || (c != '.' && c != '_' && c != '-')))
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Length of a zero-padded printable-ASCII field.
     *
     * @param buffer    holding the field.
     * @param offset    of the field.
     * @param maxLength of the field.
     * @return the characters before the first NUL, or -1 if one of them is not printable ASCII or a byte after the
     * first NUL is not NUL.
     */
    public static int asciiLength(final DirectBuffer buffer, final int offset, final int maxLength)
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

    /**
     * Whether bytes are well-formed UTF-8 as PostgreSQL accepts it: no overlong forms, no surrogates, nothing past
     * U+10FFFF, and no NUL, which a {@code text} column cannot hold.
     *
     * @param buffer holding the bytes.
     * @param offset of the first byte.
     * @param length in bytes.
     * @return true if they are.
     */
    public static boolean isValidUtf8(final DirectBuffer buffer, final int offset, final int length)
    {
        int i = offset;
        final int end = offset + length;
        while (i < end)
        {
            final int b0 = buffer.getByte(i) & 0xFF;
            if (b0 < 0x80)
            {
                if (0 == b0)
                {
                    return false;
                }
                i++;
            }
            else if (b0 >= 0xC2 && b0 <= 0xDF)
            {
                if (i + 1 >= end || !continuation(buffer, i + 1))
                {
                    return false;
                }
                i += 2;
            }
            else if (b0 >= 0xE0 && b0 <= 0xEF)
            {
                if (i + 2 >= end || !continuation(buffer, i + 1) || !continuation(buffer, i + 2))
                {
                    return false;
                }
                final int b1 = buffer.getByte(i + 1) & 0xFF;
                if ((0xE0 == b0 && b1 < 0xA0) || (0xED == b0 && b1 > 0x9F))
                {
                    return false;
                }
                i += 3;
            }
            else if (b0 >= 0xF0 && b0 <= 0xF4)
            {
                if (i + 3 >= end || !continuation(buffer, i + 1) || !continuation(buffer, i + 2) ||
                    !continuation(buffer, i + 3))
                {
                    return false;
                }
                final int b1 = buffer.getByte(i + 1) & 0xFF;
                if ((0xF0 == b0 && b1 < 0x90) || (0xF4 == b0 && b1 > 0x8F))
                {
                    return false;
                }
                i += 4;
            }
            else
            {
                return false;
            }
        }
        return true;
    }

    private static boolean continuation(final DirectBuffer buffer, final int index)
    {
        return (buffer.getByte(index) & 0xC0) == 0x80;
    }
}
