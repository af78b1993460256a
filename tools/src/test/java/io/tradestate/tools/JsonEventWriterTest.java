package io.tradestate.tools;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonEventWriterTest
{
    private final JsonEventWriter json = new JsonEventWriter();

    @Test
    void shouldWriteEachKindOfMemberWhenCalledInOrder()
    {
        final UnsafeBuffer ascii = new UnsafeBuffer("BTC/USDT".getBytes(StandardCharsets.US_ASCII));
        json.begin()
            .number("n", Long.MIN_VALUE)
            .bool("t", true)
            .bool("f", false)
            .nullValue("z")
            .string("s", "a\"b")
            .string("none", null)
            .asciiString("symbol", ascii, 0, 8)
            .decimal("d", 12, -5)
            .timeMs("ms", 1_767_225_600_123L)
            .timeNs("ns", 1_767_225_600_000_000_001L)
            .hex("h", new UnsafeBuffer(new byte[]{ 0, (byte)0xAB, 0x7F }), 0, 3)
            .end();

        assertEquals("{\"n\":-9223372036854775808,\"t\":true,\"f\":false,\"z\":null,\"s\":\"a\\\"b\",\"none\":null," +
            "\"symbol\":\"BTC/USDT\",\"d\":\"0.00012\",\"ms\":\"2026-01-01T00:00:00.123Z\"," +
            "\"ns\":\"2026-01-01T00:00:00.000000001Z\",\"h\":\"00ab7f\"}", json.line().toString());
    }

    @Test
    void shouldEscapeWhatJsonRequiresWhenWritingEveryCharacter()
    {
        for (int c = 0; c <= 0xFFFF; c++)
        {
            final String value = "<" + (char)c + ">";
            final String line = json.begin().string("v", value).end().line().toString();
            assertEquals(value, JsonLine.parse(line).get("v"), "character " + c);
            for (int i = 0; i < line.length(); i++)
            {
                final char written = line.charAt(i);
                assertTrue(written >= 0x20 && written != 0x7F && written != 0x2028 && written != 0x2029 &&
                    !Character.isSurrogate(written), "character " + c + " written raw: " + line);
            }
        }
        assertEquals("{\"v\":\"\\\"\\\\\\n\\r\\t\\b\\f\\u0000\\u001f\\u007f\\u2028\\ud800/\"}",
            json.begin().string("v", "\"\\\n\r\t\b\f\u0000\u001f\u007f\u2028\ud800/").end().line().toString());
    }

    @Test
    void shouldKeepSurrogatePairsWhenTheyArePaired()
    {
        final String value = "\uD83D\uDE80 \uDBFF\uDFFF";

        assertEquals("{\"v\":\"" + value + "\"}", json.begin().string("v", value).end().line().toString());
    }

    @Test
    void shouldRoundTripEveryCodePointWhenDecodingUtf8()
    {
        final StringBuilder text = new StringBuilder();
        for (int codePoint = 1; codePoint <= Character.MAX_CODE_POINT; codePoint++)
        {
            if (!Character.isSurrogate((char)codePoint) || codePoint > 0xFFFF)
            {
                text.appendCodePoint(codePoint);
            }
            if (text.length() >= 4096 || Character.MAX_CODE_POINT == codePoint)
            {
                final String value = text.toString();
                final byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
                json.begin();
                json.utf8String("v", new UnsafeBuffer(bytes), 0, bytes.length);
                final Map<String, Object> parsed = JsonLine.parse(json.end().line().toString());
                assertEquals(value, parsed.get("v"), "up to " + codePoint);
                text.setLength(0);
            }
        }
    }
}
