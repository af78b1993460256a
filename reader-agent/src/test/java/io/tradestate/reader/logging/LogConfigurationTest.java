package io.tradestate.reader.logging;

import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogConfigurationTest
{
    private final ByteArrayOutputStream warnings = new ByteArrayOutputStream();
    private final PrintStream warningStream = new PrintStream(warnings, true, StandardCharsets.UTF_8);

    @Test
    void shouldWriteTextAtInfoWhenNothingIsSet()
    {
        final LogConfiguration configuration = LogConfiguration.load(new Properties(), Map.of(), warningStream);

        assertEquals(LogFormat.TEXT, configuration.format());
        assertEquals(Level.INFO.toInt(), configuration.threshold("io.tradestate.reader.DrainAgent"));
        assertEquals(Level.WARN.toInt(), configuration.threshold("org.flywaydb.core.Flyway"));
        assertEquals(Level.WARN.toInt(), configuration.threshold("io.zonky.test.db.postgres.embedded.X"));
        assertEquals(Level.WARN.toInt(), configuration.threshold("com.zaxxer.hikari.pool.HikariPool"));
        assertEquals(Level.INFO.toInt(), configuration.threshold("io.zonkyish.Other"));
        assertEquals("", warnings.toString(StandardCharsets.UTF_8));
    }

    @Test
    void shouldTakeTheEnvironmentWhenTheSystemPropertyIsNotSet()
    {
        final LogConfiguration configuration = LogConfiguration.load(new Properties(),
            Map.of(LogConfiguration.FORMAT_ENV, "JSON", LogConfiguration.LEVEL_ENV, "debug"), warningStream);

        assertEquals(LogFormat.JSON, configuration.format());
        assertEquals(Level.DEBUG.toInt(), configuration.threshold("io.tradestate.reader.DrainAgent"));
    }

    @Test
    void shouldPreferTheSystemPropertyToTheEnvironment()
    {
        final Properties properties = new Properties();
        properties.setProperty(LogConfiguration.FORMAT_PROPERTY, "logfmt");
        properties.setProperty(LogConfiguration.LEVEL_PROPERTY, "warn");
        properties.setProperty(LogConfiguration.LEVEL_PROPERTY + ".io.zonky", "info");
        properties.setProperty(LogConfiguration.LEVEL_PROPERTY + ".io.tradestate.reader.DrainAgent", "off");

        final LogConfiguration configuration = LogConfiguration.load(properties,
            Map.of(LogConfiguration.FORMAT_ENV, "json", LogConfiguration.LEVEL_ENV, "trace"), warningStream);

        assertEquals(LogFormat.LOGFMT, configuration.format());
        assertEquals(Level.WARN.toInt(), configuration.threshold("io.tradestate.reader.ReaderAgent"));
        assertEquals(Level.INFO.toInt(), configuration.threshold("io.zonky.test.Foo"));
        assertTrue(configuration.threshold("io.tradestate.reader.DrainAgent") > Level.ERROR.toInt());
    }

    @Test
    void shouldFallBackToTheDefaultsAndSayWhyWhenAValueIsInvalid()
    {
        final Properties properties = new Properties();
        properties.setProperty(LogConfiguration.FORMAT_PROPERTY, "xml");
        properties.setProperty(LogConfiguration.LEVEL_PROPERTY, "loud");

        final LogConfiguration configuration = LogConfiguration.load(properties, Map.of(), warningStream);

        assertEquals(LogFormat.TEXT, configuration.format());
        assertEquals(Level.INFO.toInt(), configuration.threshold("any"));
        final String text = warnings.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("tradestate.log.format (or TRADESTATE_LOG_FORMAT) is 'xml'"), text);
        assertTrue(text.contains("tradestate.log.level is 'loud'"), text);
    }
}
