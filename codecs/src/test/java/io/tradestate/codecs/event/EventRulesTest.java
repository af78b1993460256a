package io.tradestate.codecs.event;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The text rules every reader of the journal applies: well-formed UTF-8 without NUL, printable zero-padded ASCII.
 */
class EventRulesTest
{
    @Test
    void shouldAcceptEveryCodePointButNulEncodedAsUtf8()
    {
        final StringBuilder text = new StringBuilder();
        for (int codePoint = 1; codePoint <= Character.MAX_CODE_POINT; codePoint++)
        {
            if (codePoint < Character.MIN_SURROGATE || codePoint > Character.MAX_SURROGATE)
            {
                text.appendCodePoint(codePoint);
            }
            if (text.length() >= 4096 || Character.MAX_CODE_POINT == codePoint)
            {
                final byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
                assertTrue(EventRules.isValidUtf8(new UnsafeBuffer(bytes), 0, bytes.length), "up to " + codePoint);
                text.setLength(0);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "00", "80", "c080", "c1bf", "e08080", "eda080", "edbfbf", "f0808080", "f4908080", "f5",
        "ff", "e282", "41e2", "c3", "f09f98", "c328" })
    void shouldRefuseBytesThatAreNotUtf8OrHoldANul(final String hex)
    {
        final byte[] bytes = HexFormat.of().parseHex(hex);

        assertFalse(EventRules.isValidUtf8(new UnsafeBuffer(bytes), 0, bytes.length));
    }

    @Test
    void shouldMeasurePrintableAsciiUpToItsPadding()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[8]);
        assertEquals(0, EventRules.asciiLength(buffer, 0, 8));

        buffer.putStringWithoutLengthAscii(0, "BTC");
        assertEquals(3, EventRules.asciiLength(buffer, 0, 8));

        buffer.putStringWithoutLengthAscii(0, "BTC/USDT");
        assertEquals(8, EventRules.asciiLength(buffer, 0, 8));

        buffer.putByte(7, (byte)0x7F);
        assertEquals(-1, EventRules.asciiLength(buffer, 0, 8));

        buffer.putByte(3, (byte)0);
        buffer.putByte(7, (byte)'T');
        assertEquals(-1, EventRules.asciiLength(buffer, 0, 8), "a byte after the padding");
    }

    @ParameterizedTest
    @ValueSource(strings = { "a", "momentum-1", "Z.9_x-y", "0", "abcdefghijklmnopqrstuvwxyz012345" })
    void shouldAcceptSourceIdsOfTheRule(final String sourceId)
    {
        assertTrue(EventRules.isValidSourceId(sourceId), sourceId);
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "-a", ".hidden", "_a", "..", "a b", "a\"b", "a\\b", "a/b", "caf\u00e9", "a\nb",
        "abcdefghijklmnopqrstuvwxyz0123456" })
    void shouldRefuseSourceIdsOutsideTheRule(final String sourceId)
    {
        assertFalse(EventRules.isValidSourceId(sourceId), sourceId);
        assertFalse(EventRules.isValidSourceId(null));
    }
}
