package io.tradestate.tools;

import io.tradestate.codecs.LockSide;
import io.tradestate.codecs.MessageHeaderDecoder;
import io.tradestate.codecs.OrderStatus;
import io.tradestate.codecs.OrderType;
import io.tradestate.codecs.OrderUpdateDecoder;
import io.tradestate.codecs.Side;
import io.tradestate.codecs.TradeUpdateDecoder;
import io.tradestate.writer.TradeJournal;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static io.tradestate.tools.TestJournals.T0_NS;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Entries that are not valid events, written raw next to valid ones: each is printed as an {@code undecodable} line
 * with the reason and its bytes, and the dump carries on.
 */
class JournalDumpUndecodableTest
{
    @TempDir
    Path root;

    @Test
    void shouldPrintEachBadEntryAsUndecodableAndCarryOnWhenTheJournalHoldsBadEntries()
    {
        final ManualEpochNanoClock clock = new ManualEpochNanoClock(T0_NS);
        final long orderIndex;
        final long lockIndex;
        final long tradeIndex;
        try (TradeJournal journal = TestJournals.open(root, clock))
        {
            orderIndex = journal.orderUpdate()
                .exchange("binance").symbol("BTC/USDT").orderId("o-1").side(Side.BUY).orderType(OrderType.LIMIT)
                .status(OrderStatus.OPEN).amount(1, 0)
                .commit();
            lockIndex = journal.pairLock().pair("BTC/USDT").side(LockSide.LONG)
                .lockEndTimeMs(T0_NS / 1_000_000L + 60_000).reason("ab")
                .commit();
            tradeIndex = journal.tradeUpdate()
                .tradeId(1).openTimeMs(1).strategy("s").exchange("e").pair("BTC/USDT").openRate(1, 0).amount(1, 0)
                .stakeAmount(1, 0).exitReason("roi")
                .commit();
        }

        final Path queue = TestJournals.queueDirectory(root);
        final byte[] order = TestJournals.bytesAt(queue, orderIndex);
        final byte[] lock = TestJournals.bytesAt(queue, lockIndex);
        final byte[] trade = TestJournals.bytesAt(queue, tradeIndex);

        final byte[] tooShort = { 1, 2, 3 };
        final byte[] foreignSchema = withShort(order, 4, 9999);
        final byte[] unknownTemplate = withShort(order, 2, 99);
        final byte[] badSide = withByte(order,
            MessageHeaderDecoder.ENCODED_LENGTH + OrderUpdateDecoder.sideEncodingOffset(), 7);
        final byte[] truncatedBlock = Arrays.copyOf(order, order.length - 10);
        final byte[] badUtf8 = lock.clone();
        badUtf8[badUtf8.length - 2] = (byte)0xC3;
        badUtf8[badUtf8.length - 1] = (byte)0x28;
        final byte[] shortVarData = withShort(trade,
            MessageHeaderDecoder.ENCODED_LENGTH + TradeUpdateDecoder.BLOCK_LENGTH, 500);
        final byte[] negativeTime = withLong(order, MessageHeaderDecoder.ENCODED_LENGTH, -5);
        final byte[] badExponent = withByte(order,
            MessageHeaderDecoder.ENCODED_LENGTH + OrderUpdateDecoder.amountEncodingOffset() + 8, 19);
        final byte[] controlInSymbol = withByte(order,
            MessageHeaderDecoder.ENCODED_LENGTH + OrderUpdateDecoder.symbolEncodingOffset() + 1, '\n');
        final byte[][] bad =
        {
            tooShort, foreignSchema, unknownTemplate, badSide, truncatedBlock, badUtf8, shortVarData, negativeTime,
            badExponent, controlInSymbol,
        };
        final String[] reasons =
        {
            "truncated: 3 bytes, shorter than the 8-byte message header",
            "unknown schema id 9999 (expected 7301)",
            "unknown template id 99",
            "OrderUpdate.side invalid enum value 7",
            "truncated: " + (order.length - 10) + " bytes, the header announces a block of " +
                OrderUpdateDecoder.BLOCK_LENGTH,
            "PairLock.reason is not valid UTF-8 or contains a NUL",
            // "roi" and the empty enterTag's length follow the length field: 5 bytes.
            "TradeUpdate.exitReason truncated: 500 bytes announced, 5 present",
            "OrderUpdate.appendTimeNs is not a time: -5",
            "OrderUpdate.amount exponent 19 is outside [-18, 18]",
            "OrderUpdate.symbol is not printable ASCII",
        };
        final long[] badIndex = new long[bad.length];
        for (int i = 0; i < bad.length; i++)
        {
            badIndex[i] = TestJournals.appendRaw(queue, bad[i]);
        }
        final long lastIndex;
        try (TradeJournal journal = TestJournals.open(root, clock))
        {
            lastIndex = journal.heartbeat();
        }

        final List<Map<String, Object>> lines = DumpRun.lines(queue.toString(), "--from-index",
            Long.toString(badIndex[0]));
        assertEquals(bad.length + 2, lines.size());
        for (int i = 0; i < bad.length; i++)
        {
            final Map<String, Object> line = lines.get(i);
            assertEquals(List.of("index", "indexHex", "type", "reason", "length", "bytesHex"),
                List.copyOf(line.keySet()));
            assertEquals(badIndex[i], line.get("index"));
            assertEquals("0x" + Long.toHexString(badIndex[i]), line.get("indexHex"));
            assertEquals("undecodable", line.get("type"));
            assertEquals(reasons[i], line.get("reason"));
            assertEquals((long)bad[i].length, line.get("length"));
            assertEquals(HexFormat.of().formatHex(bad[i]), line.get("bytesHex"));
        }
        assertEquals("SourceStarted", lines.get(bad.length).get("type"));
        assertEquals(lastIndex, lines.get(bad.length + 1).get("index"));
        assertEquals("Heartbeat", lines.get(bad.length + 1).get("type"));

        assertEquals(bad.length, DumpRun.lines(queue.toString(), "--type", "undecodable").size());
        assertEquals(0, DumpRun.lines(queue.toString(), "--type", "undecodable", "--symbol", "BTC/USDT").size());
        assertEquals(3, DumpRun.lines(queue.toString(), "--symbol", "BTC/USDT").size());
        // Those whose append-time bytes hold T0 pass a time range; the short one and the -5 one do not.
        assertEquals(bad.length - 2, DumpRun.lines(queue.toString(), "--type", "undecodable",
            "--from-time", Long.toString(T0_NS / 1_000_000L)).size());
    }

    private static byte[] withShort(final byte[] bytes, final int offset, final int value)
    {
        final byte[] copy = bytes.clone();
        new UnsafeBuffer(copy).putShort(offset, (short)value, ByteOrder.LITTLE_ENDIAN);
        return copy;
    }

    private static byte[] withLong(final byte[] bytes, final int offset, final long value)
    {
        final byte[] copy = bytes.clone();
        new UnsafeBuffer(copy).putLong(offset, value, ByteOrder.LITTLE_ENDIAN);
        return copy;
    }

    private static byte[] withByte(final byte[] bytes, final int offset, final int value)
    {
        final byte[] copy = bytes.clone();
        copy[offset] = (byte)value;
        return copy;
    }
}
