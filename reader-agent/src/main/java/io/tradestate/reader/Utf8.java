package io.tradestate.reader;

import org.agrona.DirectBuffer;

/**
 * Checks that bytes are well-formed UTF-8 as PostgreSQL accepts it: no overlong forms, no surrogates, nothing past
 * U+10FFFF, and no NUL, which a {@code text} column cannot hold.
 */
final class Utf8
{
    private Utf8()
    {
    }

    static boolean isValid(final DirectBuffer buffer, final int offset, final int length)
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
