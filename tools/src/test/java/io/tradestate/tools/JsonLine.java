package io.tradestate.tools;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict parser for the dump's output, for tests: one flat JSON object per line, whose values are strings, whole
 * numbers, booleans or null; and, for {@code tradestate state --json} once its line breaks are removed, arrays of
 * such objects as values. Anything RFC 8259 forbids (a raw control character in a string, an unknown escape, a
 * trailing comma, a duplicate member, text after the object) fails the parse, so a test that parses a line also
 * checks that it is valid JSON.
 */
final class JsonLine
{
    private final String text;
    private int position;

    private JsonLine(final String text)
    {
        this.text = text;
    }

    /**
     * Parse one object.
     *
     * @return its members in order: String, Long, Boolean or null values.
     */
    static Map<String, Object> parse(final String line)
    {
        final JsonLine parser = new JsonLine(line);
        final Map<String, Object> object = parser.object();
        if (parser.position != line.length())
        {
            throw parser.error("text after the object");
        }
        return object;
    }

    /**
     * Parse every line of an output.
     */
    static List<Map<String, Object>> parseAll(final String output)
    {
        final List<Map<String, Object>> objects = new ArrayList<>();
        if (output.isEmpty())
        {
            return objects;
        }
        if (!output.endsWith("\n"))
        {
            throw new IllegalArgumentException("output does not end with a line separator: " + output);
        }
        for (final String line : output.substring(0, output.length() - 1).split("\n", -1))
        {
            objects.add(parse(line));
        }
        return objects;
    }

    private Map<String, Object> object()
    {
        expect('{');
        final Map<String, Object> object = new LinkedHashMap<>();
        if (peek() == '}')
        {
            position++;
            return object;
        }
        while (true)
        {
            final String name = string();
            expect(':');
            if (object.containsKey(name))
            {
                throw error("duplicate member " + name);
            }
            object.put(name, value());
            final char c = next();
            if ('}' == c)
            {
                return object;
            }
            if (',' != c)
            {
                throw error("expected , or }");
            }
        }
    }

    private Object value()
    {
        final char c = peek();
        if ('{' == c)
        {
            return object();
        }
        if ('[' == c)
        {
            return array();
        }
        if ('"' == c)
        {
            return string();
        }
        if ('-' == c || (c >= '0' && c <= '9'))
        {
            final int start = position;
            if ('-' == c)
            {
                position++;
            }
            if (peek() == '0' && position + 1 < text.length() && Character.isDigit(text.charAt(position + 1)))
            {
                throw error("leading zero");
            }
            while (position < text.length() && Character.isDigit(text.charAt(position)))
            {
                position++;
            }
            return Long.parseLong(text.substring(start, position));
        }
        if (text.startsWith("true", position))
        {
            position += 4;
            return Boolean.TRUE;
        }
        if (text.startsWith("false", position))
        {
            position += 5;
            return Boolean.FALSE;
        }
        if (text.startsWith("null", position))
        {
            position += 4;
            return null;
        }
        throw error("unexpected value");
    }

    private List<Object> array()
    {
        expect('[');
        final List<Object> array = new ArrayList<>();
        if (peek() == ']')
        {
            position++;
            return array;
        }
        while (true)
        {
            array.add(value());
            final char c = next();
            if (']' == c)
            {
                return array;
            }
            if (',' != c)
            {
                throw error("expected , or ]");
            }
        }
    }

    private String string()
    {
        expect('"');
        final StringBuilder value = new StringBuilder();
        while (true)
        {
            final char c = next();
            if ('"' == c)
            {
                return value.toString();
            }
            if (c < 0x20)
            {
                throw error("raw control character " + (int)c + " in a string");
            }
            if ('\\' != c)
            {
                value.append(c);
                continue;
            }
            final char escape = next();
            switch (escape)
            {
                case '"':
                case '\\':
                case '/':
                    value.append(escape);
                    break;
                case 'b':
                    value.append('\b');
                    break;
                case 'f':
                    value.append('\f');
                    break;
                case 'n':
                    value.append('\n');
                    break;
                case 'r':
                    value.append('\r');
                    break;
                case 't':
                    value.append('\t');
                    break;
                case 'u':
                    if (position + 4 > text.length())
                    {
                        throw error("short unicode escape");
                    }
                    final String hex = text.substring(position, position + 4);
                    if (!hex.matches("[0-9a-fA-F]{4}"))
                    {
                        throw error("bad unicode escape " + hex);
                    }
                    value.append((char)Integer.parseInt(hex, 16));
                    position += 4;
                    break;
                default:
                    throw error("unknown escape \\" + escape);
            }
        }
    }

    private void expect(final char expected)
    {
        if (next() != expected)
        {
            throw error("expected " + expected);
        }
    }

    private char peek()
    {
        if (position >= text.length())
        {
            throw error("unexpected end");
        }
        return text.charAt(position);
    }

    private char next()
    {
        final char c = peek();
        position++;
        return c;
    }

    private IllegalArgumentException error(final String what)
    {
        return new IllegalArgumentException(what + " at " + position + " in: " + text);
    }
}
