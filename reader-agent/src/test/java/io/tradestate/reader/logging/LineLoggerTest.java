package io.tradestate.reader.logging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LineLoggerTest
{
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private PrintStream originalErr;

    @BeforeEach
    void captureStandardError()
    {
        originalErr = System.err;
        // ASCII on purpose: the logger must write UTF-8 whatever the stream's (the locale's) charset.
        System.setErr(new PrintStream(captured, true, StandardCharsets.US_ASCII));
    }

    @AfterEach
    void restoreStandardError()
    {
        System.setErr(originalErr);
    }

    @Test
    void shouldWriteTheClassicAndTheFluentApiAsJsonLinesWithKeyValuesAndCauses() throws Exception
    {
        final Properties properties = new Properties();
        properties.setProperty(LogConfiguration.FORMAT_PROPERTY, "json");
        final LineLoggerFactory factory = new LineLoggerFactory(
            LogConfiguration.load(properties, Map.of(), System.err));
        final Logger logger = factory.getLogger("io.tradestate.reader.DrainAgent");

        logger.info("draining source {} from {}", "momentum-1", "its start");
        logger.warn("database write failed; draining pauses", new IllegalStateException("connection refused"));
        logger.atWarn().addKeyValue("source", "momentum-1").addKeyValue("index", "0x1f")
            .log("dead letter: source={} reason=\"{}\"", "momentum-1", "é");
        logger.atError().addKeyValue("source", "s").log("cannot drain source {}", "s", new RuntimeException("gone"));
        logger.debug("not written at info");
        factory.getLogger("com.zaxxer.hikari.pool.HikariPool").info("not written below warn");

        final List<JsonNode> lines = lines();
        assertEquals(4, lines.size(), captured.toString(StandardCharsets.UTF_8));
        assertEquals("draining source momentum-1 from its start", lines.get(0).get("msg").textValue());
        assertEquals("info", lines.get(0).get("level").textValue());
        assertEquals(Thread.currentThread().getName(), lines.get(0).get("thread").textValue());
        assertFalse(lines.get(0).has("error_type"));

        assertEquals("java.lang.IllegalStateException", lines.get(1).get("error_type").textValue());
        assertEquals("connection refused", lines.get(1).get("error_message").textValue());

        assertEquals("dead letter: source=momentum-1 reason=\"é\"", lines.get(2).get("msg").textValue());
        assertEquals("momentum-1", lines.get(2).get("source").textValue());
        assertEquals("0x1f", lines.get(2).get("index").textValue());

        assertEquals("cannot drain source s", lines.get(3).get("msg").textValue());
        assertEquals("s", lines.get(3).get("source").textValue());
        assertEquals("gone", lines.get(3).get("error_message").textValue());
        assertTrue(lines.get(3).get("error_stack").textValue().startsWith("java.lang.RuntimeException: gone\n"));
    }

    @Test
    void shouldKeepTheTextLinesTheTestsAndOperatorsKnow()
    {
        final LineLoggerFactory factory = new LineLoggerFactory(
            LogConfiguration.load(new Properties(), Map.of(), System.err));

        factory.getLogger("io.tradestate.reader.DrainAgent").atInfo().addKeyValue("source", "a")
            .log("draining source {} from {}", "a", "its start");
        factory.getLogger("io.tradestate.reader.ReaderAgent").error("drain agent error", new RuntimeException("x"));

        final String text = captured.toString(StandardCharsets.UTF_8);
        assertTrue(text.matches("(?s)\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z \\[[^]]+] \\[INFO] " +
            "DrainAgent - draining source a from its start source=a\n.*"), text);
        assertTrue(text.contains("[ERROR] ReaderAgent - drain agent error\njava.lang.RuntimeException: x\n\tat "),
            text);
    }

    private List<JsonNode> lines() throws Exception
    {
        final List<JsonNode> nodes = new ArrayList<>();
        for (final String line : captured.toString(StandardCharsets.UTF_8).split("\n"))
        {
            nodes.add(JSON.readTree(line));
        }
        return nodes;
    }
}
