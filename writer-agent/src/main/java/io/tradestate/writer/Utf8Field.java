package io.tradestate.writer;

/**
 * A free-text field staged as UTF-8: encoded from a {@link CharSequence} without allocation when set, written as
 * SBE var-data at commit.
 * <p>
 * Every valid string round-trips byte for byte; an unpaired surrogate cannot be encoded and is refused rather than
 * replaced, so what the database shows is exactly what the strategy wrote. NUL is refused too: PostgreSQL's text
 * type cannot hold it.
 */
final class Utf8Field
{
    private final String name;
    private final byte[] bytes;
    private int length;

    Utf8Field(final String name, final int maxBytes)
    {
        this.name = name;
        this.bytes = new byte[maxBytes];
    }

    String name()
    {
        return name;
    }

    int length()
    {
        return length;
    }

    byte[] bytes()
    {
        return bytes;
    }

    void clear()
    {
        length = 0;
    }

    void set(final CharSequence value)
    {
        if (null == value)
        {
            throw new IllegalArgumentException(name + " must not be null");
        }

        final int charCount = value.length();
        final int limit = bytes.length;
        int position = 0;
        for (int i = 0; i < charCount; i++)
        {
            final char c = value.charAt(i);
            if (c < 0x80)
            {
                if (0 == c)
                {
                    length = 0;
                    throw new IllegalArgumentException(name + " contains a NUL character at index " + i);
                }
                if (position + 1 > limit)
                {
                    throw tooLong(value);
                }
                bytes[position++] = (byte)c;
            }
            else if (c < 0x800)
            {
                if (position + 2 > limit)
                {
                    throw tooLong(value);
                }
                bytes[position++] = (byte)(0xC0 | (c >> 6));
                bytes[position++] = (byte)(0x80 | (c & 0x3F));
            }
            else if (Character.isSurrogate(c))
            {
                final char low = i + 1 < charCount ? value.charAt(i + 1) : 0;
                if (!Character.isHighSurrogate(c) || !Character.isLowSurrogate(low))
                {
                    length = 0;
                    throw new IllegalArgumentException(name + " has an unpaired surrogate at index " + i);
                }
                if (position + 4 > limit)
                {
                    throw tooLong(value);
                }
                final int codePoint = Character.toCodePoint(c, low);
                bytes[position++] = (byte)(0xF0 | (codePoint >> 18));
                bytes[position++] = (byte)(0x80 | ((codePoint >> 12) & 0x3F));
                bytes[position++] = (byte)(0x80 | ((codePoint >> 6) & 0x3F));
                bytes[position++] = (byte)(0x80 | (codePoint & 0x3F));
                i++;
            }
            else
            {
                if (position + 3 > limit)
                {
                    throw tooLong(value);
                }
                bytes[position++] = (byte)(0xE0 | (c >> 12));
                bytes[position++] = (byte)(0x80 | ((c >> 6) & 0x3F));
                bytes[position++] = (byte)(0x80 | (c & 0x3F));
            }
        }

        length = position;
    }

    private IllegalArgumentException tooLong(final CharSequence value)
    {
        length = 0;
        return new IllegalArgumentException(
            name + " is longer than " + bytes.length + " bytes in UTF-8 (" + value.length() + " chars)");
    }
}
