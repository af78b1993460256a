package io.tradestate.reader.logging;

import org.slf4j.event.Level;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Settings of the log, read once when the first logger is made: system properties first, then environment
 * variables (the systemd unit sets {@value #FORMAT_ENV}), then the defaults. An invalid value is reported on stderr
 * and the default applies: the log must come up whatever its settings.
 * <table>
 *     <caption>settings</caption>
 *     <tr><th>property</th><th>environment</th><th>default</th><th>meaning</th></tr>
 *     <tr><td>{@value #FORMAT_PROPERTY}</td><td>{@value #FORMAT_ENV}</td><td>{@code text}</td>
 *     <td>{@code text}, {@code logfmt} or {@code json} ({@link LogFormat})</td></tr>
 *     <tr><td>{@value #LEVEL_PROPERTY}</td><td>{@value #LEVEL_ENV}</td><td>{@code info}</td>
 *     <td>{@code error}, {@code warn}, {@code info}, {@code debug}, {@code trace} or {@code off}</td></tr>
 *     <tr><td>{@value #LEVEL_PROPERTY}{@code .<logger prefix>}</td><td></td><td>{@code warn} for
 *     {@code org.flywaydb}, {@code io.zonky}, {@code com.zaxxer.hikari}</td>
 *     <td>level of the loggers whose name starts with the prefix (the longest prefix wins)</td></tr>
 * </table>
 */
public final class LogConfiguration
{
    /**
     * System property naming the format.
     */
    public static final String FORMAT_PROPERTY = "tradestate.log.format";

    /**
     * Environment variable naming the format, when the system property is not set.
     */
    public static final String FORMAT_ENV = "TRADESTATE_LOG_FORMAT";

    /**
     * System property holding the level of every logger without a level of its own; also the prefix of the
     * per-logger properties.
     */
    public static final String LEVEL_PROPERTY = "tradestate.log.level";

    /**
     * Environment variable holding the default level, when the system property is not set.
     */
    public static final String LEVEL_ENV = "TRADESTATE_LOG_LEVEL";

    private static final int OFF = Integer.MAX_VALUE;
    private static final Map<String, String> DEFAULT_LOGGER_LEVELS = Map.of(
        "org.flywaydb", "warn",
        "io.zonky", "warn",
        "com.zaxxer.hikari", "warn");

    private final LogFormat format;
    private final int defaultLevel;
    private final TreeMap<String, Integer> loggerLevels = new TreeMap<>();

    private LogConfiguration(final LogFormat format, final int defaultLevel)
    {
        this.format = format;
        this.defaultLevel = defaultLevel;
    }

    /**
     * Read the settings.
     *
     * @param properties  the system properties.
     * @param environment the environment variables.
     * @param warnings    where an invalid value is reported.
     * @return the settings.
     */
    public static LogConfiguration load(
        final Properties properties, final Map<String, String> environment, final PrintStream warnings)
    {
        final String formatName = value(properties, FORMAT_PROPERTY, environment, FORMAT_ENV, "text");
        LogFormat format = LogFormat.of(formatName);
        if (null == format)
        {
            warnings.println("tradestate log: " + FORMAT_PROPERTY + " (or " + FORMAT_ENV + ") is '" + formatName +
                "', not text, logfmt or json: using text");
            format = LogFormat.TEXT;
        }

        final String levelName = value(properties, LEVEL_PROPERTY, environment, LEVEL_ENV, "info");
        final LogConfiguration configuration =
            new LogConfiguration(format, level(LEVEL_PROPERTY, levelName, Level.INFO.toInt(), warnings));

        final Map<String, String> loggerLevels = new TreeMap<>(DEFAULT_LOGGER_LEVELS);
        for (final String name : properties.stringPropertyNames())
        {
            if (name.startsWith(LEVEL_PROPERTY + ".") && name.length() > LEVEL_PROPERTY.length() + 1)
            {
                loggerLevels.put(name.substring(LEVEL_PROPERTY.length() + 1), properties.getProperty(name));
            }
        }
        for (final Map.Entry<String, String> entry : loggerLevels.entrySet())
        {
            configuration.loggerLevels.put(entry.getKey(), level(LEVEL_PROPERTY + "." + entry.getKey(),
                entry.getValue(), configuration.defaultLevel, warnings));
        }
        return configuration;
    }

    /**
     * Make {@code level} the default level unless the operator chose one ({@value #LEVEL_PROPERTY} or
     * {@value #LEVEL_ENV}): for a command whose own output matters more than the log, such as a tool or the demo.
     * Effective only before the first logger is made.
     *
     * @param level e.g. {@code warn}.
     */
    public static void defaultLevelUnlessSet(final String level)
    {
        if (null == System.getProperty(LEVEL_PROPERTY) && null == System.getenv(LEVEL_ENV))
        {
            System.setProperty(LEVEL_PROPERTY, level);
        }
    }

    /**
     * The format of every line.
     *
     * @return the format.
     */
    public LogFormat format()
    {
        return format;
    }

    /**
     * The lowest level a logger writes.
     *
     * @param loggerName full name of the logger.
     * @return the {@link Level#toInt()} of that level; above {@link Level#ERROR} for off.
     */
    public int threshold(final String loggerName)
    {
        String prefix = loggerName;
        while (!prefix.isEmpty())
        {
            final Integer level = loggerLevels.get(prefix);
            if (null != level)
            {
                return level;
            }
            final int dot = prefix.lastIndexOf('.');
            prefix = dot < 0 ? "" : prefix.substring(0, dot);
        }
        return defaultLevel;
    }

    private static String value(
        final Properties properties,
        final String property,
        final Map<String, String> environment,
        final String variable,
        final String defaultValue)
    {
        final String fromProperty = properties.getProperty(property);
        if (null != fromProperty && !fromProperty.isBlank())
        {
            return fromProperty.trim();
        }
        final String fromEnvironment = environment.get(variable);
        if (null != fromEnvironment && !fromEnvironment.isBlank())
        {
            return fromEnvironment.trim();
        }
        return defaultValue;
    }

    private static int level(final String key, final String name, final int fallback, final PrintStream warnings)
    {
        final String level = name.trim().toUpperCase(Locale.ROOT);
        if ("OFF".equals(level))
        {
            return OFF;
        }
        for (final Level candidate : Level.values())
        {
            if (candidate.name().equals(level))
            {
                return candidate.toInt();
            }
        }
        warnings.println("tradestate log: " + key + " is '" + name + "', not error, warn, info, debug, trace or " +
            "off: using the default");
        return fallback;
    }
}
