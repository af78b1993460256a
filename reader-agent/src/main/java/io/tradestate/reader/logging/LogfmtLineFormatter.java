package io.tradestate.reader.logging;

/**
 * logfmt: {@code key=value} pairs separated by one space, one event per line, with the fields of
 * {@link StructuredLineFormatter}. A value is written bare when it is not empty and holds no space, {@code =},
 * {@code "}, {@code \}, control or other special character; otherwise it is quoted, with {@code \"}, {@code \\},
 * {@code \n}, {@code \r}, {@code \t} and {@code \}{@code uXXXX} escapes (Go's {@code strconv.Quote} rules, as the
 * go-logfmt decoder expects). A null is the bare word {@code null}; the string "null" is quoted.
 */
public final class LogfmtLineFormatter extends StructuredLineFormatter
{
    protected void begin(final StringBuilder out)
    {
    }

    protected void field(final StringBuilder out, final String name, final String value, final boolean first)
    {
        if (!first)
        {
            out.append(' ');
        }
        out.append(name).append('=');
        value(out, value);
    }

    protected void keyValue(final StringBuilder out, final String name, final Object value)
    {
        field(out, name, null == value ? null : String.valueOf(value), false);
    }

    protected void end(final StringBuilder out)
    {
        out.append('\n');
    }

    /**
     * Append a value, bare or quoted.
     *
     * @param out   receives it.
     * @param value may be null.
     */
    static void value(final StringBuilder out, final String value)
    {
        if (null == value)
        {
            out.append("null");
            return;
        }
        if (isBare(value))
        {
            out.append(value);
            return;
        }
        JsonLineFormatter.string(out, value); // logfmt's quoting is JSON's
    }

    private static boolean isBare(final String value)
    {
        if (value.isEmpty() || "null".equals(value))
        {
            return false;
        }
        for (int i = 0; i < value.length(); i++)
        {
            final char c = value.charAt(i);
            if (c <= ' ' || c == '=' || c == '"' || c == '\\' || Character.isSpaceChar(c) || mustEscape(value, i))
            {
                return false;
            }
        }
        return true;
    }
}
