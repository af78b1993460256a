package io.tradestate.reader.logging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;
import org.slf4j.event.Level;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogLineFormatterTest
{
    private static final long TIMESTAMP_MS = 1_777_636_800_123L;
    private static final String TS = "2026-05-01T12:00:00.123Z";
    private static final String NASTY = "quote \" backslash \\ newline \n return \r tab \t bell \u0007 del \u007f " +
        "nul \u0000 é ü 日本 emoji \uD83D\uDE00 line-separator \u2028 lone \uD800 end \uDC00 = sign";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shouldWriteOneJsonObjectPerEventThatParsesBackToTheSameStrings() throws Exception
    {
        final String line = format(new JsonLineFormatter(), record(NASTY, List.of(), null));

        assertOneLine(line);
        final JsonNode node = JSON.readTree(line);
        assertEquals(List.of("ts", "level", "logger", "thread", "msg"), names(node));
        assertEquals(TS, node.get("ts").asText());
        assertEquals("info", node.get("level").asText());
        assertEquals("io.tradestate.reader.DrainAgent", node.get("logger").asText());
        assertEquals("drain \"1\"", node.get("thread").asText());
        assertEquals(NASTY, node.get("msg").asText());
    }

    @Test
    void shouldWriteOneLogfmtLinePerEventThatParsesBackToTheSameStrings()
    {
        final String line = format(new LogfmtLineFormatter(), record(NASTY, List.of(), null));

        assertOneLine(line);
        assertTrue(line.startsWith("ts=" + TS + " level=info logger=io.tradestate.reader.DrainAgent " +
            "thread=\"drain \\\"1\\\"\" msg=\""), line);
        final Map<String, String> fields = LogfmtParser.parse(line.substring(0, line.length() - 1));
        assertEquals(List.of("ts", "level", "logger", "thread", "msg"), new ArrayList<>(fields.keySet()));
        assertEquals("drain \"1\"", fields.get("thread"));
        assertEquals(NASTY, fields.get("msg"));
    }

    @Test
    void shouldKeepNonAsciiCharactersAsTheyAreAndEscapeOnlyWhatCouldBreakALine()
    {
        final String json = format(new JsonLineFormatter(), record("é 日本 \uD83D\uDE00 \u2028 \uD800", List.of(),
            null));
        assertTrue(json.contains("\"msg\":\"é 日本 \uD83D\uDE00 \\u2028 \\ud800\""), json);

        final String logfmt = format(new LogfmtLineFormatter(), record("é日本\uD83D\uDE00", List.of(), null));
        assertTrue(logfmt.contains(" msg=é日本\uD83D\uDE00\n"), logfmt);
    }

    @Test
    void shouldTellANullFromTheWordNull() throws Exception
    {
        final List<KeyValuePair> pairs = List.of(new KeyValuePair("absent", null), new KeyValuePair("word", "null"),
            new KeyValuePair("empty", ""));

        final String json = format(new JsonLineFormatter(), record(null, pairs, null));
        final JsonNode node = JSON.readTree(json);
        assertTrue(node.get("msg").isNull(), json);
        assertTrue(node.get("absent").isNull(), json);
        assertEquals("null", node.get("word").textValue());
        assertEquals("", node.get("empty").textValue());

        final String logfmt = format(new LogfmtLineFormatter(), record(null, pairs, null));
        assertTrue(logfmt.contains(" msg=null absent=null word=\"null\" empty=\"\"\n"), logfmt);
        final Map<String, String> fields = LogfmtParser.parse(logfmt.trim());
        assertEquals(null, fields.get("msg"));
        assertTrue(fields.containsKey("absent") && null == fields.get("absent"));
        assertEquals("null", fields.get("word"));
        assertEquals("", fields.get("empty"));
    }

    @Test
    void shouldWriteKeyValuesAfterTheFixedFieldsWithSafeKeysAndJsonNumbers() throws Exception
    {
        final List<KeyValuePair> pairs = List.of(new KeyValuePair("source", "momentum-1"),
            new KeyValuePair("batch_events", 10_000), new KeyValuePair("lag", 5L), new KeyValuePair("ok", true),
            new KeyValuePair("ratio", 0.5), new KeyValuePair("nan", Double.NaN), new KeyValuePair("msg", "clash"),
            new KeyValuePair("weird key=\"x\"", "v"), new KeyValuePair(null, "no key"));

        final String json = format(new JsonLineFormatter(), record("m", pairs, null));
        final JsonNode node = JSON.readTree(json);
        assertEquals(List.of("ts", "level", "logger", "thread", "msg", "source", "batch_events", "lag", "ok", "ratio",
            "nan", "_msg", "weird_key__x_", "_"), names(node));
        assertTrue(node.get("batch_events").isInt() && node.get("lag").isNumber() && node.get("ok").isBoolean() &&
            node.get("ratio").isDouble(), json);
        assertEquals("NaN", node.get("nan").textValue());
        assertEquals("m", node.get("msg").textValue());
        assertEquals("clash", node.get("_msg").textValue());

        final String logfmt = format(new LogfmtLineFormatter(), record("m", pairs, null));
        assertTrue(logfmt.endsWith(" msg=m source=momentum-1 batch_events=10000 lag=5 ok=true ratio=0.5 nan=NaN " +
            "_msg=clash weird_key__x_=v _=\"no key\"\n"), logfmt);
        assertEquals("clash", LogfmtParser.parse(logfmt.trim()).get("_msg"));
    }

    @Test
    void shouldPutTheCauseInThreeFieldsWithTheWholeStackTraceInOne() throws Exception
    {
        final IllegalStateException cause = new IllegalStateException("inner \"quoted\"");
        final RuntimeException error = new RuntimeException("outer\nsecond line", cause);

        final String json = format(new JsonLineFormatter(), record("failed", List.of(), error));
        assertOneLine(json);
        final JsonNode node = JSON.readTree(json);
        assertEquals(List.of("ts", "level", "logger", "thread", "msg", "error_type", "error_message", "error_stack"),
            names(node));
        assertEquals("java.lang.RuntimeException", node.get("error_type").textValue());
        assertEquals("outer\nsecond line", node.get("error_message").textValue());
        final String stack = node.get("error_stack").textValue();
        assertTrue(stack.startsWith("java.lang.RuntimeException: outer\nsecond line\n\tat "), stack);
        assertTrue(stack.contains("\nCaused by: java.lang.IllegalStateException: inner \"quoted\"\n"), stack);
        assertFalse(stack.endsWith("\n"), stack);

        final String logfmt = format(new LogfmtLineFormatter(), record("failed", List.of(), error));
        assertOneLine(logfmt);
        final Map<String, String> fields = LogfmtParser.parse(logfmt.trim());
        assertEquals(stack, fields.get("error_stack"));
        assertEquals("outer\nsecond line", fields.get("error_message"));

        final String withoutMessage = format(new JsonLineFormatter(), record("x", List.of(), new RuntimeException()));
        assertTrue(JSON.readTree(withoutMessage).get("error_message").isNull(), withoutMessage);
    }

    @Test
    void shouldWriteTextAsSlf4jSimpleDidWithTheStackTraceOnTheFollowingLines()
    {
        final String line = format(new TextLineFormatter(), new LogRecord(TIMESTAMP_MS, Level.ERROR,
            "io.tradestate.reader.DrainAgent", "drain", "cannot drain source a", List.of(new KeyValuePair("source",
            "a b")), null));
        assertEquals(TS + " [drain] [ERROR] DrainAgent - cannot drain source a source=\"a b\"\n", line);

        final String withError = format(new TextLineFormatter(), new LogRecord(TIMESTAMP_MS, Level.WARN,
            "Top", "main", "failed", List.of(), new IllegalStateException("boom")));
        assertTrue(withError.startsWith(TS + " [main] [WARN] Top - failed\njava.lang.IllegalStateException: boom\n" +
            "\tat "), withError);
    }

    private static LogRecord record(final String message, final List<KeyValuePair> pairs, final Throwable error)
    {
        return new LogRecord(TIMESTAMP_MS, Level.INFO, "io.tradestate.reader.DrainAgent", "drain \"1\"", message,
            pairs, error);
    }

    private static String format(final LogLineFormatter formatter, final LogRecord record)
    {
        final StringBuilder out = new StringBuilder();
        formatter.format(record, out);
        return out.toString();
    }

    private static void assertOneLine(final String line)
    {
        assertTrue(line.endsWith("\n"), line);
        assertEquals(line.length() - 1, line.indexOf('\n'), "one line: " + line);
        assertEquals(-1, line.indexOf('\r'), line);
        assertEquals(-1, line.indexOf('\u2028'), line);
    }

    private static List<String> names(final JsonNode node)
    {
        final List<String> names = new ArrayList<>();
        for (final Iterator<String> i = node.fieldNames(); i.hasNext(); )
        {
            names.add(i.next());
        }
        return names;
    }
}
