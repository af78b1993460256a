package io.tradestate.tools;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One section of {@code tradestate state}'s output (open orders, open trades, pair locks, balances): named columns
 * and rows of values, printed as an aligned text table or as JSON objects.
 * <p>
 * Values are kept typed so that each form writes them right: text and exact decimals are strings, ids and counts
 * numbers, flags booleans, and times numbers that text shows as ISO-8601 UTC and JSON gives twice, as the number
 * (member name with its unit) and as the ISO text (member name without it), like the dump. {@code null} is
 * {@code -} in text and {@code null} in JSON.
 */
final class StateTable
{
    /**
     * How a column's values are written.
     */
    enum Kind
    {
        TEXT, DECIMAL, NUMBER, BOOLEAN, TIME_MS, TIME_NS
    }

    private final String title;
    private final List<String> headers = new ArrayList<>();
    private final List<String> names = new ArrayList<>();
    private final List<Kind> kinds = new ArrayList<>();
    private final List<Object[]> rows = new ArrayList<>();

    StateTable(final String title)
    {
        this.title = title;
    }

    /**
     * Add a column.
     *
     * @param header   in the text table, or null for a column only JSON shows.
     * @param jsonName member name in JSON; for a time, without its unit ({@code openTime}).
     * @param kind     how values are written.
     * @return this for a fluent API.
     */
    StateTable column(final String header, final String jsonName, final Kind kind)
    {
        headers.add(header);
        names.add(jsonName);
        kinds.add(kind);
        return this;
    }

    /**
     * Add a row.
     *
     * @param values one per column: a String (text, decimal), a Long (number, time), a Boolean, or null.
     */
    void row(final Object... values)
    {
        if (values.length != names.size())
        {
            throw new IllegalArgumentException(title + ": " + values.length + " values for " + names.size() +
                " columns");
        }
        rows.add(values);
    }

    /**
     * Number of rows.
     *
     * @return the count.
     */
    int size()
    {
        return rows.size();
    }

    /**
     * Sort the rows by the values of the first columns, in order; null first.
     *
     * @param keyColumns how many leading columns make the sort key.
     */
    @SuppressWarnings({ "unchecked", "rawtypes" })
    void sort(final int keyColumns)
    {
        rows.sort((a, b) ->
        {
            for (int i = 0; i < keyColumns; i++)
            {
                final int order = Comparator.nullsFirst(Comparator.<Comparable>naturalOrder())
                    .compare((Comparable)a[i], (Comparable)b[i]);
                if (0 != order)
                {
                    return order;
                }
            }
            return 0;
        });
    }

    /**
     * Print as a heading with the row count and an aligned table, columns two spaces apart, numbers and decimals
     * right-aligned; no table when there are no rows.
     *
     * @param out to print to.
     */
    void printText(final PrintStream out)
    {
        out.println(title + ": " + rows.size());
        if (rows.isEmpty())
        {
            return;
        }

        final int columns = names.size();
        final List<String[]> cells = new ArrayList<>(rows.size());
        final int[] widths = new int[columns];
        for (int c = 0; c < columns; c++)
        {
            widths[c] = null == headers.get(c) ? 0 : headers.get(c).length();
        }
        for (final Object[] row : rows)
        {
            final String[] text = new String[columns];
            for (int c = 0; c < columns; c++)
            {
                text[c] = text(kinds.get(c), row[c]);
                widths[c] = Math.max(widths[c], text[c].length());
            }
            cells.add(text);
        }

        final StringBuilder line = new StringBuilder();
        for (int c = 0; c < columns; c++)
        {
            if (null != headers.get(c))
            {
                pad(line, headers.get(c), widths[c], isRightAligned(c), c == lastTextColumn());
            }
        }
        out.println(line.toString().stripTrailing());
        for (final String[] text : cells)
        {
            line.setLength(0);
            for (int c = 0; c < columns; c++)
            {
                if (null != headers.get(c))
                {
                    pad(line, text[c], widths[c], isRightAligned(c), c == lastTextColumn());
                }
            }
            out.println(line.toString().stripTrailing());
        }
    }

    /**
     * Write the rows as JSON objects, each through the given writer, separated by commas and line breaks: the
     * elements of a JSON array.
     *
     * @param out  to append to.
     * @param json reused for each object.
     */
    void appendJson(final StringBuilder out, final JsonEventWriter json)
    {
        for (int r = 0; r < rows.size(); r++)
        {
            final Object[] row = rows.get(r);
            json.begin();
            for (int c = 0; c < names.size(); c++)
            {
                jsonMember(json, names.get(c), kinds.get(c), row[c]);
            }
            json.end();
            out.append(0 == r ? "\n" : ",\n").append(json.line());
        }
    }

    private static void jsonMember(final JsonEventWriter json, final String name, final Kind kind, final Object value)
    {
        switch (kind)
        {
            case NUMBER:
                if (null == value)
                {
                    json.nullValue(name);
                }
                else
                {
                    json.number(name, (Long)value);
                }
                break;

            case BOOLEAN:
                if (null == value)
                {
                    json.nullValue(name);
                }
                else
                {
                    json.bool(name, (Boolean)value);
                }
                break;

            case TIME_MS:
                if (null == value)
                {
                    json.nullValue(name + "Ms").nullValue(name);
                }
                else
                {
                    json.number(name + "Ms", (Long)value).timeMs(name, (Long)value);
                }
                break;

            case TIME_NS:
                if (null == value)
                {
                    json.nullValue(name + "Ns").nullValue(name);
                }
                else
                {
                    json.number(name + "Ns", (Long)value).timeNs(name, (Long)value);
                }
                break;

            default:
                json.string(name, (String)value);
                break;
        }
    }

    private static String text(final Kind kind, final Object value)
    {
        if (null == value)
        {
            return "-";
        }
        switch (kind)
        {
            case TIME_MS:
                return TimestampText.appendMillis(new StringBuilder(24), (Long)value).toString();

            case TIME_NS:
                return TimestampText.appendMillis(new StringBuilder(24), Math.floorDiv((Long)value, 1_000_000L))
                    .toString();

            case TEXT:
                return printable((String)value);

            default:
                return value.toString();
        }
    }

    /**
     * Control characters (a strategy may write any text in a reason) would break the table's lines.
     */
    private static String printable(final String text)
    {
        StringBuilder builder = null;
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (c < 0x20 || 0x7F == c || '\u2028' == c || '\u2029' == c)
            {
                if (null == builder)
                {
                    builder = new StringBuilder(text.length()).append(text, 0, i);
                }
                builder.append('?');
            }
            else if (null != builder)
            {
                builder.append(c);
            }
        }
        return null == builder ? text : builder.toString();
    }

    private boolean isRightAligned(final int column)
    {
        final Kind kind = kinds.get(column);
        return Kind.DECIMAL == kind || Kind.NUMBER == kind;
    }

    private int lastTextColumn()
    {
        for (int c = headers.size() - 1; c >= 0; c--)
        {
            if (null != headers.get(c))
            {
                return c;
            }
        }
        return -1;
    }

    private static void pad(
        final StringBuilder line, final String text, final int width, final boolean right, final boolean last)
    {
        if (line.length() > 0)
        {
            line.append("  ");
        }
        if (right)
        {
            line.append(" ".repeat(width - text.length())).append(text);
        }
        else
        {
            line.append(text);
            if (!last)
            {
                line.append(" ".repeat(width - text.length()));
            }
        }
    }
}
