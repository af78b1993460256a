package io.tradestate.reader.logging;

import java.math.BigInteger;

/**
 * JSON lines: one object per event with the fields of {@link StructuredLineFormatter}, which are strings (or null);
 * a key-value pair keeps an integer, a finite floating-point number or a boolean as a JSON number or boolean, and
 * anything else becomes its {@code toString()}. Written as UTF-8; {@code "}, {@code \}, control characters, DEL,
 * U+2028, U+2029 and unpaired surrogates are escaped, so a line never breaks and always parses.
 */
public final class JsonLineFormatter extends StructuredLineFormatter
{
    protected void begin(final StringBuilder out)
    {
        out.append('{');
    }

    protected void field(final StringBuilder out, final String name, final String value, final boolean first)
    {
        if (!first)
        {
            out.append(',');
        }
        string(out, name);
        out.append(':');
        if (null == value)
        {
            out.append("null");
        }
        else
        {
            string(out, value);
        }
    }

    protected void keyValue(final StringBuilder out, final String name, final Object value)
    {
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte ||
            value instanceof BigInteger || value instanceof Boolean || finite(value))
        {
            out.append(',');
            string(out, name);
            out.append(':').append(value);
        }
        else
        {
            field(out, name, null == value ? null : String.valueOf(value), false);
        }
    }

    protected void end(final StringBuilder out)
    {
        out.append("}\n");
    }

    /**
     * Append a JSON string, quotes included; also how the {@code status} command writes its JSON.
     *
     * @param out   receives it.
     * @param value not null.
     */
    public static void string(final StringBuilder out, final String value)
    {
        out.append('"');
        for (int i = 0; i < value.length(); i++)
        {
            final char c = value.charAt(i);
            switch (c)
            {
                case '"':
                    out.append("\\\"");
                    break;
                case '\\':
                    out.append("\\\\");
                    break;
                case '\n':
                    out.append("\\n");
                    break;
                case '\r':
                    out.append("\\r");
                    break;
                case '\t':
                    out.append("\\t");
                    break;
                default:
                    if (mustEscape(value, i))
                    {
                        unicodeEscape(out, c);
                    }
                    else
                    {
                        out.append(c);
                    }
            }
        }
        out.append('"');
    }

    private static boolean finite(final Object value)
    {
        return (value instanceof Double && Double.isFinite((Double)value)) ||
            (value instanceof Float && Float.isFinite((Float)value));
    }
}
