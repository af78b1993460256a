package io.tradestate.reader;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A strict reader of Prometheus' text exposition format (version 0.0.4), as a scraper applies it: every sample line is
 * a metric name, optional labels whose values use only the escapes {@code \\}, {@code \"} and {@code \n}, and a
 * number; every metric has a {@code # TYPE} line before its samples. A scrape that breaks any rule fails the test
 * with the line.
 */
final class ExpositionParser
{
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

    private ExpositionParser()
    {
    }

    /**
     * One sample.
     *
     * @param name   the metric.
     * @param labels its labels, values unescaped.
     * @param value  its value.
     */
    record Sample(String name, Map<String, String> labels, double value)
    {
    }

    /**
     * Parse a whole scrape.
     *
     * @param text the body of {@code /metrics}.
     * @return its samples, in order.
     * @throws AssertionError naming the first line that breaks the format.
     */
    static List<Sample> parse(final String text)
    {
        if (!text.isEmpty() && !text.endsWith("\n"))
        {
            throw new AssertionError("the scrape does not end with a line feed");
        }
        final List<Sample> samples = new ArrayList<>();
        final Set<String> typed = new HashSet<>();
        int lineNumber = 0;
        for (final String line : text.split("\n", -1))
        {
            lineNumber++;
            if (line.isEmpty())
            {
                continue;
            }
            try
            {
                if (line.startsWith("#"))
                {
                    comment(line, typed);
                }
                else
                {
                    final Sample sample = sample(line);
                    if (!typed.contains(sample.name()))
                    {
                        throw new IllegalArgumentException("no # TYPE line before it");
                    }
                    samples.add(sample);
                }
            }
            catch (final RuntimeException ex)
            {
                throw new AssertionError("line " + lineNumber + " breaks the exposition format (" + ex.getMessage() +
                    "): " + line, ex);
            }
        }
        return samples;
    }

    private static void comment(final String line, final Set<String> typed)
    {
        final String[] parts = line.split(" ", 4);
        if (parts.length >= 3 && "TYPE".equals(parts[1]))
        {
            if (parts.length != 4 || !NAME.matcher(parts[2]).matches() || !TYPES.contains(parts[3]))
            {
                throw new IllegalArgumentException("bad TYPE line");
            }
            if (!typed.add(parts[2]))
            {
                throw new IllegalArgumentException("a second TYPE line for " + parts[2]);
            }
        }
        else if (parts.length >= 3 && "HELP".equals(parts[1]) && !NAME.matcher(parts[2]).matches())
        {
            throw new IllegalArgumentException("bad HELP line");
        }
    }

    private static Sample sample(final String line)
    {
        int i = 0;
        while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ')
        {
            i++;
        }
        final String name = line.substring(0, i);
        if (!NAME.matcher(name).matches())
        {
            throw new IllegalArgumentException("bad metric name");
        }
        final Map<String, String> labels = new LinkedHashMap<>();
        if (i < line.length() && line.charAt(i) == '{')
        {
            i++;
            while (line.charAt(i) != '}')
            {
                final int equals = line.indexOf('=', i);
                final String label = line.substring(i, equals);
                if (!LABEL_NAME.matcher(label).matches() || line.charAt(equals + 1) != '"')
                {
                    throw new IllegalArgumentException("bad label");
                }
                i = equals + 2;
                final StringBuilder value = new StringBuilder();
                while (line.charAt(i) != '"')
                {
                    char c = line.charAt(i++);
                    if (c == '\\')
                    {
                        final char escaped = line.charAt(i++);
                        c = switch (escaped)
                        {
                            case '\\' -> '\\';
                            case '"' -> '"';
                            case 'n' -> '\n';
                            default -> throw new IllegalArgumentException("bad escape \\" + escaped);
                        };
                    }
                    value.append(c);
                }
                i++;
                if (null != labels.put(label, value.toString()))
                {
                    throw new IllegalArgumentException("label " + label + " twice");
                }
                if (line.charAt(i) == ',')
                {
                    i++;
                }
                else if (line.charAt(i) != '}')
                {
                    throw new IllegalArgumentException("no , or } after a label value");
                }
            }
            i++;
        }
        if (i >= line.length() || line.charAt(i) != ' ')
        {
            throw new IllegalArgumentException("no space before the value");
        }
        final String[] rest = line.substring(i + 1).split(" ");
        if (rest.length < 1 || rest.length > 2)
        {
            throw new IllegalArgumentException("not a value and an optional timestamp");
        }
        final double value = switch (rest[0])
        {
            case "NaN" -> Double.NaN;
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(rest[0]);
        };
        if (2 == rest.length)
        {
            Long.parseLong(rest[1]);
        }
        return new Sample(name, labels, value);
    }
}
