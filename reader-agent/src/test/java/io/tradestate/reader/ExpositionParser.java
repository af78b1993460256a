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
 * number; every metric has a {@code # TYPE} line before its samples (a histogram's {@code _bucket}, {@code _sum} and
 * {@code _count} samples, and a summary's {@code _sum} and {@code _count}, belong to the metric they extend). A scrape
 * that breaks any rule fails the test with the line.
 * <p>
 * {@link #types(String)}, {@link #assertHistogram} and {@link #assertNoCounterDecreased} apply the rules of the metric
 * types: a histogram's buckets are cumulative and end in {@code +Inf}, which equals its count; counters, and the
 * counts and sums of histograms and summaries, never go down.
 */
public final class ExpositionParser
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
    public record Sample(String name, Map<String, String> labels, double value)
    {
    }

    /**
     * Parse a whole scrape.
     *
     * @param text the body of {@code /metrics}.
     * @return its samples, in order.
     * @throws AssertionError naming the first line that breaks the format.
     */
    public static List<Sample> parse(final String text)
    {
        if (!text.isEmpty() && !text.endsWith("\n"))
        {
            throw new AssertionError("the scrape does not end with a line feed");
        }
        final List<Sample> samples = new ArrayList<>();
        final Map<String, String> typed = new LinkedHashMap<>();
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
                    if (null == family(sample.name(), typed))
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

    /**
     * The type of every metric of a scrape, by the name on its {@code # TYPE} line.
     *
     * @param text the body of {@code /metrics}, already {@link #parse parsed}.
     * @return the types, in order.
     */
    public static Map<String, String> types(final String text)
    {
        final Map<String, String> typed = new LinkedHashMap<>();
        for (final String line : text.split("\n"))
        {
            if (line.startsWith("# TYPE "))
            {
                comment(line, typed);
            }
        }
        return typed;
    }

    /**
     * The metric a sample belongs to: its own name, or for a histogram's or a summary's sample the name it extends.
     *
     * @param sampleName the sample's name.
     * @param types      the scrape's types.
     * @return the metric's name, or null if no {@code # TYPE} line covers the sample.
     */
    static String family(final String sampleName, final Map<String, String> types)
    {
        if (types.containsKey(sampleName))
        {
            return sampleName;
        }
        for (final String suffix : List.of("_bucket", "_sum", "_count"))
        {
            if (sampleName.endsWith(suffix))
            {
                final String name = sampleName.substring(0, sampleName.length() - suffix.length());
                final String type = types.get(name);
                if ("histogram".equals(type) || ("summary".equals(type) && !"_bucket".equals(suffix)))
                {
                    return name;
                }
            }
        }
        return null;
    }

    /**
     * Assert that a histogram of a scrape is one by the rules: at least one bucket, the bounds ascending, the counts
     * cumulative (never smaller than the bucket before), the last bound {@code +Inf}, its count equal to
     * {@code _count}, and a {@code _sum}; per label set other than {@code le}.
     *
     * @param samples the scrape's samples.
     * @param name    the histogram's name.
     * @return its {@code _count}, summed over its label sets.
     */
    public static double assertHistogram(final List<Sample> samples, final String name)
    {
        final Map<Map<String, String>, List<Sample>> buckets = new LinkedHashMap<>();
        final Map<Map<String, String>, Double> counts = new LinkedHashMap<>();
        final Set<Map<String, String>> sums = new HashSet<>();
        for (final Sample sample : samples)
        {
            if (sample.name().equals(name + "_bucket"))
            {
                final Map<String, String> labels = new LinkedHashMap<>(sample.labels());
                if (null == labels.remove("le"))
                {
                    throw new AssertionError(name + ": a bucket without le: " + sample);
                }
                buckets.computeIfAbsent(labels, (key) -> new ArrayList<>()).add(sample);
            }
            else if (sample.name().equals(name + "_count"))
            {
                counts.put(sample.labels(), sample.value());
            }
            else if (sample.name().equals(name + "_sum"))
            {
                sums.add(sample.labels());
            }
        }
        if (buckets.isEmpty())
        {
            throw new AssertionError(name + ": no buckets");
        }
        double total = 0;
        for (final Map.Entry<Map<String, String>, List<Sample>> series : buckets.entrySet())
        {
            double bound = Double.NEGATIVE_INFINITY;
            double cumulative = 0;
            for (final Sample bucket : series.getValue())
            {
                final String le = bucket.labels().get("le");
                final double next = "+Inf".equals(le) ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
                if (!(next > bound))
                {
                    throw new AssertionError(name + series.getKey() + ": bucket bounds not ascending at le=" + le);
                }
                if (bucket.value() < cumulative)
                {
                    throw new AssertionError(name + series.getKey() + ": buckets not cumulative at le=" + le + " (" +
                        bucket.value() + " after " + cumulative + ")");
                }
                bound = next;
                cumulative = bucket.value();
            }
            if (Double.POSITIVE_INFINITY != bound)
            {
                throw new AssertionError(name + series.getKey() + ": the last bucket is not le=\"+Inf\"");
            }
            final Double count = counts.get(series.getKey());
            if (null == count || count != cumulative)
            {
                throw new AssertionError(name + series.getKey() + ": _count " + count + " is not the +Inf bucket's " +
                    cumulative);
            }
            if (!sums.contains(series.getKey()))
            {
                throw new AssertionError(name + series.getKey() + ": no _sum");
            }
            total += count;
        }
        return total;
    }

    /**
     * Every series of a scrape that must never go down: counters, and the buckets, counts and sums of histograms and
     * summaries.
     *
     * @param text the body of {@code /metrics}.
     * @return each series' value by its name and labels.
     */
    static Map<String, Double> counterSeries(final String text)
    {
        final Map<String, String> types = types(text);
        final Map<String, Double> series = new LinkedHashMap<>();
        for (final Sample sample : parse(text))
        {
            final String type = types.get(family(sample.name(), types));
            if ("counter".equals(type) || "histogram".equals(type) || "summary".equals(type))
            {
                series.put(sample.name() + sample.labels(), sample.value());
            }
        }
        return series;
    }

    /**
     * Assert that no series of {@link #counterSeries} went down from one scrape to a later one; a series in only one of
     * them (a source the database did not answer for) is not compared.
     *
     * @param before the earlier scrape's series.
     * @param after  the later scrape's series.
     * @param when   what lies between the two, for the message.
     * @return how many series were compared.
     */
    static int assertNoCounterDecreased(
        final Map<String, Double> before, final Map<String, Double> after, final String when)
    {
        final List<String> decreased = new ArrayList<>();
        int compared = 0;
        for (final Map.Entry<String, Double> series : before.entrySet())
        {
            final Double later = after.get(series.getKey());
            if (null != later)
            {
                compared++;
                if (later < series.getValue())
                {
                    decreased.add(series.getKey() + ": " + series.getValue() + " -> " + later);
                }
            }
        }
        if (!decreased.isEmpty())
        {
            throw new AssertionError("counters went down " + when + ": " + decreased);
        }
        return compared;
    }

    private static void comment(final String line, final Map<String, String> typed)
    {
        final String[] parts = line.split(" ", 4);
        if (parts.length >= 3 && "TYPE".equals(parts[1]))
        {
            if (parts.length != 4 || !NAME.matcher(parts[2]).matches() || !TYPES.contains(parts[3]))
            {
                throw new IllegalArgumentException("bad TYPE line");
            }
            if (null != typed.put(parts[2], parts[3]))
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
