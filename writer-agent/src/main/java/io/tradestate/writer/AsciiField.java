package io.tradestate.writer;

import org.agrona.MutableDirectBuffer;

import java.util.Arrays;

/**
 * A fixed-length ASCII field staged for encoding: validated and copied when set, written with one copy at commit.
 * <p>
 * Only printable ASCII (0x20 to 0x7E) is accepted: a NUL would silently truncate the value on the way out and a
 * control character in a symbol or an order id is always a bug upstream. Unused trailing bytes are zero, as SBE
 * pads a fixed-length char array.
 */
final class AsciiField
{
    private final String name;
    private final byte[] bytes;
    private int length;

    AsciiField(final String name, final int capacity)
    {
        this.name = name;
        this.bytes = new byte[capacity];
    }

    String name()
    {
        return name;
    }

    int capacity()
    {
        return bytes.length;
    }

    int length()
    {
        return length;
    }

    void set(final CharSequence value)
    {
        if (null == value)
        {
            throw new IllegalArgumentException(name + " must not be null");
        }

        final int valueLength = value.length();
        if (0 == valueLength)
        {
            throw new IllegalArgumentException(name + " must not be empty");
        }

        if (valueLength > bytes.length)
        {
            throw new IllegalArgumentException(
                name + " is " + valueLength + " characters, the limit is " + bytes.length + ": " + value);
        }

        for (int i = 0; i < valueLength; i++)
        {
            final char c = value.charAt(i);
            if (c < 0x20 || c > 0x7E)
            {
                throw new IllegalArgumentException(
                    name + " must be printable ASCII, found code point " + (int)c + " at index " + i);
            }
        }

        for (int i = 0; i < valueLength; i++)
        {
            bytes[i] = (byte)value.charAt(i);
        }

        for (int i = valueLength; i < length; i++)
        {
            bytes[i] = 0;
        }

        length = valueLength;
    }

    void clear()
    {
        Arrays.fill(bytes, 0, length, (byte)0);
        length = 0;
    }

    /**
     * The staged bytes, zero padded to the capacity, ready for an SBE {@code putX(byte[], int)}.
     *
     * @return the staged bytes; not to be modified.
     */
    byte[] bytes()
    {
        return bytes;
    }

    void putTo(final MutableDirectBuffer buffer, final int offset)
    {
        buffer.putBytes(offset, bytes, 0, bytes.length);
    }
}
