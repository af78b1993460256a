package io.tradestate.reader.logging;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads back one logfmt line as {@link LogfmtLineFormatter} writes it, failing on anything else: the test's
 * independent check that the lines parse.
 */
public final class LogfmtParser
{
    private LogfmtParser()
    {
    }

    /**
     * Parse a line.
     *
     * @param line one line, without its newline.
     * @return the fields in order; the bare word {@code null} becomes a Java null.
     */
    public static Map<String, String> parse(final String line)
    {
        final Map<String, String> fields = new LinkedHashMap<>();
        int i = 0;
        while (i < line.length())
        {
            final int equals = line.indexOf('=', i);
            if (equals <= i)
            {
                throw new IllegalArgumentException("no key at " + i + ": " + line);
            }
            final String key = line.substring(i, equals);
            if (!key.matches("[A-Za-z0-9_.-]+"))
            {
                throw new IllegalArgumentException("bad key '" + key + "': " + line);
            }
            i = equals + 1;
            final String value;
            if (i < line.length() && line.charAt(i) == '"')
            {
                final StringBuilder text = new StringBuilder();
                i++;
                while (true)
                {
                    if (i >= line.length())
                    {
                        throw new IllegalArgumentException("unterminated quote: " + line);
                    }
                    final char c = line.charAt(i++);
                    if (c == '"')
                    {
                        break;
                    }
                    if (c != '\\')
                    {
                        text.append(c);
                        continue;
                    }
                    final char escaped = line.charAt(i++);
                    switch (escaped)
                    {
                        case '"':
                        case '\\':
                            text.append(escaped);
                            break;
                        case 'n':
                            text.append('\n');
                            break;
                        case 'r':
                            text.append('\r');
                            break;
                        case 't':
                            text.append('\t');
                            break;
                        case 'u':
                            text.append((char)Integer.parseInt(line.substring(i, i + 4), 16));
                            i += 4;
                            break;
                        default:
                            throw new IllegalArgumentException("bad escape \\" + escaped + ": " + line);
                    }
                }
                value = text.toString();
            }
            else
            {
                final int space = line.indexOf(' ', i);
                final String bare = line.substring(i, space < 0 ? line.length() : space);
                if (bare.isEmpty() || bare.contains("\"") || bare.contains("="))
                {
                    throw new IllegalArgumentException("bad bare value '" + bare + "': " + line);
                }
                value = "null".equals(bare) ? null : bare;
                i += bare.length();
            }
            if (fields.containsKey(key))
            {
                throw new IllegalArgumentException("duplicate key " + key + ": " + line);
            }
            fields.put(key, value);
            if (i < line.length())
            {
                if (line.charAt(i) != ' ')
                {
                    throw new IllegalArgumentException("no space after " + key + ": " + line);
                }
                i++;
            }
        }
        return fields;
    }
}
