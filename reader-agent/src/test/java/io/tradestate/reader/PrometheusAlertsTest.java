package io.tradestate.reader;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code deploy/prometheus/alerts.yml}, the alerts the docs tell operators to set: a Prometheus rule file in shape
 * (groups of rules, each with a unique name, an expression, an optional {@code for}, a severity and a summary and
 * description), every metric it names one the agent exports (from the same literals as {@link GrafanaDashboardTest}),
 * and every figure the docs ask an alert for covered. Where {@code promtool} is installed it must accept the file
 * too; the checks above run everywhere.
 */
class PrometheusAlertsTest
{
    static final Path ALERTS = Path.of("../deploy/prometheus/alerts.yml");
    private static final Pattern METRIC = GrafanaDashboardTest.METRIC;
    private static final Pattern DURATION = Pattern.compile("[0-9]+[smhd]");
    private static final Set<String> SEVERITIES = Set.of("warning", "critical");

    /**
     * What the docs ask alerts for: the database down, lag in events and in seconds, dead letters, free space,
     * sources refused or parked, state maps full or stale.
     */
    private static final Set<String> REQUIRED = Set.of(
        "tradestate_database_up", "tradestate_source_lag_events", "tradestate_source_lag_seconds",
        "tradestate_source_dead_letters", "tradestate_journal_free_space_low", "tradestate_sources_refused",
        "tradestate_sources_parked", "tradestate_state_sources_parked", "tradestate_state_entries_dropped_total",
        "tradestate_state_events_applied_total");

    @Test
    void shouldBeRulesInShapeOnExportedMetricsCoveringWhatTheDocsAskFor() throws IOException
    {
        final List<Map<String, Object>> rules = rules();
        assertFalse(rules.isEmpty(), "no rules");
        final Set<String> names = new HashSet<>();
        final Set<String> used = new TreeSet<>();
        for (final Map<String, Object> rule : rules)
        {
            final Object name = rule.get("alert");
            assertTrue(name instanceof String && ((String)name).matches("TradeState[A-Za-z]+"), "alert " + name);
            assertTrue(names.add((String)name), "alert names are unique: " + name);
            final String expr = (String)rule.get("expr");
            assertTrue(null != expr && !expr.isBlank(), name + ": expr");
            assertBalanced((String)name, expr);
            final Matcher metric = METRIC.matcher(expr);
            while (metric.find())
            {
                used.add(metric.group());
            }
            final Object forDuration = rule.get("for");
            assertTrue(null == forDuration || DURATION.matcher(forDuration.toString()).matches(), name + ": for");
            assertTrue(SEVERITIES.contains(section(rule, "labels").get("severity")), name + ": severity");
            final Map<String, Object> annotations = section(rule, "annotations");
            for (final String key : List.of("summary", "description"))
            {
                assertTrue(annotations.get(key) instanceof String && !((String)annotations.get(key)).isBlank(),
                    name + ": " + key);
            }
        }

        final Set<String> unknown = new TreeSet<>(used);
        unknown.removeAll(GrafanaDashboardTest.exportedMetricNames());
        assertEquals(Set.of(), unknown, "alerts on metrics the agent does not export");
        final Set<String> missing = new TreeSet<>(REQUIRED);
        missing.removeAll(used);
        assertEquals(Set.of(), missing, "figures the docs ask an alert for, without one");
    }

    @Test
    void shouldPassPromtoolWhereItIsInstalled() throws Exception
    {
        final Path promtool = promtool();
        if (null == promtool)
        {
            System.out.println("promtool is not installed: the rule file was checked by its shape only");
            return;
        }
        final Process process = new ProcessBuilder(promtool.toString(), "check", "rules", ALERTS.toString())
            .redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "promtool did not finish");
        assertEquals(0, process.exitValue(), output);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> rules() throws IOException
    {
        final Object document = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(ALERTS));
        assertTrue(document instanceof Map, "a mapping at the top");
        final List<Map<String, Object>> rules = new ArrayList<>();
        for (final Object group : (List<Object>)((Map<String, Object>)document).get("groups"))
        {
            final Map<String, Object> fields = (Map<String, Object>)group;
            assertTrue(fields.get("name") instanceof String, "every group has a name");
            for (final Object rule : (List<Object>)fields.get("rules"))
            {
                rules.add((Map<String, Object>)rule);
            }
        }
        return rules;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> section(final Map<String, Object> rule, final String key)
    {
        final Object section = rule.get(key);
        assertTrue(section instanceof Map, rule.get("alert") + ": " + key);
        return (Map<String, Object>)section;
    }

    /**
     * Brackets, braces and parentheses of an expression close in order, outside quoted strings.
     */
    private static void assertBalanced(final String name, final String expr)
    {
        final StringBuilder open = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < expr.length(); i++)
        {
            final char c = expr.charAt(i);
            if ('"' == c && (0 == i || '\\' != expr.charAt(i - 1)))
            {
                quoted = !quoted;
            }
            else if (!quoted && "([{".indexOf(c) >= 0)
            {
                open.append(c);
            }
            else if (!quoted && ")]}".indexOf(c) >= 0)
            {
                assertTrue(open.length() > 0 && "([{".indexOf(open.charAt(open.length() - 1)) == ")]}".indexOf(c),
                    name + ": unbalanced at " + i + " in " + expr);
                open.setLength(open.length() - 1);
            }
        }
        assertTrue(0 == open.length() && !quoted, name + ": unclosed in " + expr);
    }

    private static Path promtool()
    {
        for (final String folder : System.getenv().getOrDefault("PATH", "").split(":"))
        {
            final Path candidate = Path.of(folder, "promtool");
            if (Files.isExecutable(candidate))
            {
                return candidate;
            }
        }
        return null;
    }
}
