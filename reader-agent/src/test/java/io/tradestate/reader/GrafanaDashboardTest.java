package io.tradestate.reader;

import io.tradestate.reader.drain.BatchHistograms;
import io.tradestate.reader.operations.MetricsExposition;
import io.tradestate.reader.operations.RuntimeMetrics;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Grafana dashboard in {@code deploy/grafana/tradestate.json} is valid JSON, takes its Prometheus data source
 * from a variable, and every metric its panels query is one the agent exports.
 * <p>
 * The agent's own names are read from the sources of {@link MetricsExposition}, {@link RuntimeMetrics} and
 * {@link BatchHistograms}, where each is a string literal (a histogram's with its {@code _bucket}, {@code _sum} and
 * {@code _count} samples); the standard JVM and process names ({@code jvm_*}, {@code process_*}) from what
 * {@link RuntimeMetrics} writes in this JVM. A unit test with no database or agent to start, which fails the moment a
 * metric is renamed or a panel mistyped. {@code MultiHostIT} checks the same list against a running agent's
 * {@code /metrics} as well.
 */
class GrafanaDashboardTest
{
    static final Path DASHBOARD = Path.of("../deploy/grafana/tradestate.json");
    private static final List<Path> EXPORTERS = List.of(
        Path.of("src/main/java/io/tradestate/reader/operations/MetricsExposition.java"),
        Path.of("src/main/java/io/tradestate/reader/operations/RuntimeMetrics.java"),
        Path.of("src/main/java/io/tradestate/reader/drain/BatchHistograms.java"));
    private static final Path HISTOGRAMS = Path.of("src/main/java/io/tradestate/reader/drain/BatchHistograms.java");
    static final Pattern METRIC = Pattern.compile("\\b(?:tradestate|jvm|process)_[a-z0-9_]*[a-z0-9]");
    private static final Pattern LITERAL = Pattern.compile("\"(tradestate_[a-z0-9_]+)[\"{]");

    /**
     * What the issue asks the dashboard to show, and what retention and the state snapshots need watched, by the
     * metric that shows it.
     */
    private static final Set<String> REQUIRED = Set.of(
        "tradestate_source_lag_events", "tradestate_source_lag_seconds", "tradestate_events_committed_total",
        "tradestate_source_events_committed_total", "tradestate_batch_failures_total",
        "tradestate_source_dead_letters", "tradestate_rejected_events_total", "tradestate_database_up",
        "tradestate_state_entries", "tradestate_state_generation", "tradestate_state_rebuilds_total",
        "tradestate_batch_size_events_bucket", "tradestate_batch_commit_seconds_bucket",
        "tradestate_event_append_to_commit_seconds_bucket", "jvm_memory_used_bytes", "jvm_gc_collection_seconds_sum",
        "process_resident_memory_bytes", "tradestate_source_journal_bytes",
        "tradestate_journal_filesystem_free_bytes", "tradestate_sources_refused", "tradestate_journal_free_space_low",
        "tradestate_sources_parked", "tradestate_state_sources_parked",
        "tradestate_source_oldest_cycle_age_seconds", "tradestate_journal_files_deleted_total",
        "tradestate_state_snapshots_total", "tradestate_state_entries_dropped_total");

    @Test
    void shouldQueryOnlyMetricsTheAgentExports() throws IOException
    {
        final Set<String> exported = exportedMetricNames();
        final Set<String> unknown = new TreeSet<>(dashboardMetricNames());
        unknown.removeAll(exported);
        assertEquals(Set.of(), unknown, "dashboard metrics that MetricsServer does not export " + exported);
    }

    @Test
    void shouldShowEveryFigureTheIssueAsksFor()
    {
        final Set<String> missing = new TreeSet<>(REQUIRED);
        missing.removeAll(dashboardMetricNames());
        assertEquals(Set.of(), missing, "figures without a panel");
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldTakeItsPrometheusDataSourceFromAVariable()
    {
        final Map<String, Object> dashboard = (Map<String, Object>)Json.parse(read(DASHBOARD));
        final List<Object> variables = (List<Object>)((Map<String, Object>)dashboard.get("templating")).get("list");
        boolean found = false;
        for (final Object variable : variables)
        {
            final Map<String, Object> fields = (Map<String, Object>)variable;
            found |= "datasource".equals(fields.get("name")) && "datasource".equals(fields.get("type")) &&
                "prometheus".equals(fields.get("query"));
        }
        assertTrue(found, "a variable named datasource of type datasource, query prometheus");

        final Set<Object> ids = new HashSet<>();
        for (final Map<String, Object> panel : panels(dashboard))
        {
            assertTrue(ids.add(panel.get("id")), "panel ids are unique: " + panel.get("id"));
            assertFalse(((String)panel.getOrDefault("title", "")).isBlank(), "every panel has a title");
            if ("row".equals(panel.get("type")))
            {
                continue;
            }
            assertEquals("${datasource}", ((Map<String, Object>)panel.get("datasource")).get("uid"),
                "panel " + panel.get("title"));
            final List<Object> targets = (List<Object>)panel.get("targets");
            assertFalse(null == targets || targets.isEmpty(), "panel " + panel.get("title") + " has a query");
        }
    }

    /**
     * Every metric name the dashboard's panel queries use.
     *
     * @return the names.
     */
    @SuppressWarnings("unchecked")
    static Set<String> dashboardMetricNames()
    {
        final Set<String> names = new TreeSet<>();
        for (final Map<String, Object> panel : panels((Map<String, Object>)Json.parse(read(DASHBOARD))))
        {
            for (final Object target : (List<Object>)panel.getOrDefault("targets", List.of()))
            {
                final Matcher matcher = METRIC.matcher((String)((Map<String, Object>)target).get("expr"));
                while (matcher.find())
                {
                    names.add(matcher.group());
                }
            }
        }
        return names;
    }

    /**
     * Every sample name the agent's exporters write: the agent's own as literals in their source, a histogram's with
     * its suffixes, and the standard JVM and process names as {@link RuntimeMetrics} writes them here.
     *
     * @return the names.
     */
    static Set<String> exportedMetricNames()
    {
        final Set<String> names = new TreeSet<>();
        for (final Path source : EXPORTERS)
        {
            final Matcher matcher = LITERAL.matcher(read(source));
            while (matcher.find())
            {
                if (source.equals(HISTOGRAMS))
                {
                    for (final String suffix : List.of("_bucket", "_sum", "_count"))
                    {
                        names.add(matcher.group(1) + suffix);
                    }
                }
                else
                {
                    names.add(matcher.group(1));
                }
            }
        }
        final StringBuilder standard = new StringBuilder();
        new RuntimeMetrics().appendJvm(standard);
        for (final ExpositionParser.Sample sample : ExpositionParser.parse(standard.toString()))
        {
            names.add(sample.name());
        }
        return names;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> panels(final Map<String, Object> dashboard)
    {
        final List<Map<String, Object>> panels = new ArrayList<>();
        for (final Object panel : (List<Object>)dashboard.get("panels"))
        {
            panels.add((Map<String, Object>)panel);
            for (final Object nested : (List<Object>)((Map<String, Object>)panel).getOrDefault("panels", List.of()))
            {
                panels.add((Map<String, Object>)nested);
            }
        }
        return panels;
    }

    private static String read(final Path file)
    {
        try
        {
            return Files.readString(file);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * Just enough of RFC 8259 to read a dashboard: objects as ordered maps, arrays as lists, strings with their
     * escapes, numbers as doubles, true, false and null; anything else is an error naming its offset.
     */
    static final class Json
    {
        private final String text;
        private int position;

        private Json(final String text)
        {
            this.text = text;
        }

        static Object parse(final String text)
        {
            final Json json = new Json(text);
            final Object value = json.value();
            json.skipWhitespace();
            if (json.position != text.length())
            {
                throw json.error("trailing characters");
            }
            return value;
        }

        private Object value()
        {
            skipWhitespace();
            if (position >= text.length())
            {
                throw error("unexpected end");
            }
            final char c = text.charAt(position);
            switch (c)
            {
                case '{':
                    return object();
                case '[':
                    return array();
                case '"':
                    return string();
                case 't':
                    return literal("true", Boolean.TRUE);
                case 'f':
                    return literal("false", Boolean.FALSE);
                case 'n':
                    return literal("null", null);
                default:
                    return number();
            }
        }

        private Map<String, Object> object()
        {
            final Map<String, Object> object = new LinkedHashMap<>();
            position++;
            skipWhitespace();
            if (peek('}'))
            {
                return object;
            }
            do
            {
                skipWhitespace();
                final String key = string();
                skipWhitespace();
                expect(':');
                if (null != object.put(key, value()))
                {
                    throw error("duplicate key " + key);
                }
                skipWhitespace();
            }
            while (peek(','));
            expect('}');
            return object;
        }

        private List<Object> array()
        {
            final List<Object> array = new ArrayList<>();
            position++;
            skipWhitespace();
            if (peek(']'))
            {
                return array;
            }
            do
            {
                array.add(value());
                skipWhitespace();
            }
            while (peek(','));
            expect(']');
            return array;
        }

        private String string()
        {
            expect('"');
            final StringBuilder builder = new StringBuilder();
            while (true)
            {
                if (position >= text.length())
                {
                    throw error("unterminated string");
                }
                final char c = text.charAt(position++);
                if ('"' == c)
                {
                    return builder.toString();
                }
                if (c < 0x20)
                {
                    throw error("control character in a string");
                }
                if ('\\' != c)
                {
                    builder.append(c);
                    continue;
                }
                final char escape = text.charAt(position++);
                switch (escape)
                {
                    case 'n':
                        builder.append('\n');
                        break;
                    case 't':
                        builder.append('\t');
                        break;
                    case 'r':
                        builder.append('\r');
                        break;
                    case 'b':
                        builder.append('\b');
                        break;
                    case 'f':
                        builder.append('\f');
                        break;
                    case 'u':
                        builder.append((char)Integer.parseInt(text.substring(position, position + 4), 16));
                        position += 4;
                        break;
                    case '"':
                    case '\\':
                    case '/':
                        builder.append(escape);
                        break;
                    default:
                        throw error("bad escape \\" + escape);
                }
            }
        }

        private Double number()
        {
            final int start = position;
            while (position < text.length() && "+-0123456789.eE".indexOf(text.charAt(position)) >= 0)
            {
                position++;
            }
            try
            {
                return Double.valueOf(text.substring(start, position));
            }
            catch (final NumberFormatException ex)
            {
                throw error("not a value");
            }
        }

        private Object literal(final String word, final Object value)
        {
            if (!text.startsWith(word, position))
            {
                throw error("not a value");
            }
            position += word.length();
            return value;
        }

        private boolean peek(final char c)
        {
            if (position < text.length() && text.charAt(position) == c)
            {
                position++;
                return true;
            }
            return false;
        }

        private void expect(final char c)
        {
            if (!peek(c))
            {
                throw error("expected '" + c + "'");
            }
        }

        private void skipWhitespace()
        {
            while (position < text.length() && " \t\r\n".indexOf(text.charAt(position)) >= 0)
            {
                position++;
            }
        }

        private IllegalArgumentException error(final String message)
        {
            return new IllegalArgumentException("dashboard JSON: " + message + " at offset " + position);
        }
    }
}
