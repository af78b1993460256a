package io.tradestate.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * One scrape of the reader agent's {@code /metrics} endpoint (Prometheus' text format), as a harness reads it: every
 * sample by its name and labels. Only what the agent prints is understood: {@code name value} and
 * {@code name{label="value"} value} lines, comments skipped.
 */
final class MetricsScrape
{
    private final Map<String, Double> samples;

    private MetricsScrape(final Map<String, Double> samples)
    {
        this.samples = samples;
    }

    /**
     * Fetch and parse the endpoint.
     *
     * @param url       e.g. {@code http://127.0.0.1:9464/metrics}.
     * @param timeoutMs connect and read timeout.
     * @return the scrape.
     * @throws IOException if the agent does not answer 200 in time.
     */
    static MetricsScrape fetch(final URL url, final int timeoutMs) throws IOException
    {
        final HttpURLConnection connection = (HttpURLConnection)url.openConnection();
        connection.setConnectTimeout(timeoutMs);
        connection.setReadTimeout(timeoutMs);
        try
        {
            if (200 != connection.getResponseCode())
            {
                throw new IOException(url + " answered " + connection.getResponseCode());
            }
            try (InputStream in = connection.getInputStream())
            {
                return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        finally
        {
            connection.disconnect();
        }
    }

    /**
     * Parse a scrape's text.
     *
     * @param text in Prometheus' text format.
     * @return the scrape.
     */
    static MetricsScrape parse(final String text)
    {
        final Map<String, Double> samples = new HashMap<>();
        for (final String line : text.split("\n"))
        {
            if (line.isEmpty() || '#' == line.charAt(0))
            {
                continue;
            }
            final int space = line.lastIndexOf(' ');
            if (space > 0)
            {
                try
                {
                    samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
                }
                catch (final NumberFormatException ignore)
                {
                    // Not a sample this harness reads.
                }
            }
        }
        return new MetricsScrape(samples);
    }

    /**
     * A sample without labels.
     *
     * @param name the metric.
     * @return its value, NaN if absent.
     */
    double value(final String name)
    {
        final Double value = samples.get(name);
        return null == value ? Double.NaN : value;
    }

    /**
     * The sum of a metric's samples over all their labels (e.g. the collections of every collector).
     *
     * @param name the metric.
     * @return the sum, NaN if it has no sample.
     */
    double sum(final String name)
    {
        double sum = 0;
        boolean found = false;
        for (final Map.Entry<String, Double> sample : samples.entrySet())
        {
            final String key = sample.getKey();
            if (key.equals(name) || (key.startsWith(name) && '{' == key.charAt(name.length())))
            {
                sum += sample.getValue();
                found = true;
            }
        }
        return found ? sum : Double.NaN;
    }

    /**
     * The largest observation of a histogram since an earlier scrape, to its bucket: the upper bound of the lowest
     * bucket whose count grew by as much as the histogram's count.
     *
     * @param name     the histogram, without the {@code _bucket} suffix.
     * @param previous the earlier scrape, or null.
     * @return the bound, NaN if there is no earlier scrape or nothing was observed since, infinite if the largest
     * observation is above every bound.
     */
    double largestBucketBound(final String name, final MetricsScrape previous)
    {
        if (null == previous)
        {
            return Double.NaN;
        }
        final String prefix = name + "_bucket{le=\"";
        final double observed = value(name + "_count") - previous.value(name + "_count");
        if (!(observed > 0))
        {
            return Double.NaN;
        }
        double largest = Double.POSITIVE_INFINITY;
        for (final Map.Entry<String, Double> sample : samples.entrySet())
        {
            final String key = sample.getKey();
            if (key.startsWith(prefix) && key.endsWith("\"}"))
            {
                final String le = key.substring(prefix.length(), key.length() - 2);
                final double bound = "+Inf".equals(le) ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
                if (bound < largest && sample.getValue() - previous.value(key) >= observed)
                {
                    largest = bound;
                }
            }
        }
        return largest;
    }

    /**
     * A per-source metric: its value for each {@code source} label.
     *
     * @param name the metric, e.g. {@code tradestate_source_lag_events}.
     * @return source id to value, sorted by source id.
     */
    Map<String, Double> bySource(final String name)
    {
        final String prefix = name + "{source=\"";
        final Map<String, Double> values = new TreeMap<>();
        for (final Map.Entry<String, Double> sample : samples.entrySet())
        {
            final String key = sample.getKey();
            if (key.startsWith(prefix) && key.endsWith("\"}"))
            {
                values.put(key.substring(prefix.length(), key.length() - 2), sample.getValue());
            }
        }
        return values;
    }
}
