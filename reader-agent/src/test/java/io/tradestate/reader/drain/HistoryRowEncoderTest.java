package io.tradestate.reader.drain;

import io.tradestate.codecs.Liquidity;
import io.tradestate.codecs.LockSide;
import io.tradestate.codecs.OrderStatus;
import io.tradestate.codecs.OrderType;
import io.tradestate.codecs.Side;
import io.tradestate.codecs.TradingMode;
import io.tradestate.writer.JournalContext;
import io.tradestate.writer.TradeJournal;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Whatever the bytes of an excerpt, the encoder returns a row or a reason, never throws, and never leaves half a
 * row in a COPY buffer: checked on every message type as the writer encodes it, then on random, truncated and
 * bit-flipped variants (seeded; the seed is printed).
 */
class HistoryRowEncoderTest
{
    private static final List<byte[]> VALID = new ArrayList<>();

    private final HistoryTables tables = new HistoryTables();
    private final HistoryRowEncoder encoder = new HistoryRowEncoder(tables, HistoryRowEncoderTest::ignoreStatus);

    @BeforeAll
    static void appendOneOfEachEvent(@TempDir final Path root)
    {
        try (TradeJournal journal = TradeJournal.open(new JournalContext().journalRoot(root).sourceId("valid")
            .heartbeatIntervalMs(0)))
        {
            journal.orderUpdate().exchange("binance").symbol("BTC/USDT").orderId("1").clientOrderId("c1")
                .side(Side.BUY).orderType(OrderType.STOP_LIMIT).status(OrderStatus.PARTIALLY_FILLED)
                .price(6412350, -2).stopPrice(6400000, -2).amount(15, -3).filled(5, -3).feeCost(-1, -8)
                .feeCurrency("BNB").exchangeTimeMs(1_700_000_000_000L).commit();
            journal.fill().exchange("bybit").symbol("ETH/USDT:USDT").fillId("f").orderId("1").side(Side.SELL)
                .liquidity(Liquidity.TAKER).price(1, 0).amount(2, 0).commit();
            journal.tradeUpdate().tradeId(7).openTimeMs(1).strategy("s").exchange("okx").pair("SOL/USDC")
                .tradingMode(TradingMode.MARGIN).openRate(1, 0).amount(1, 0).stakeAmount(1, 0)
                .exitReason("roi ✓").enterTag("").commit();
            journal.pairLock().pair("*").side(LockSide.SHORT).lockTimeMs(1).lockEndTimeMs(2).reason("r").commit();
            journal.pairUnlock().reason("r").commit();
            journal.pairUnlock().pair("BTC/USDT").commit();
            journal.balanceUpdate().exchange("kraken").asset("USD").total(-5, 0).commit();
            journal.heartbeat();
        }

        try (SingleChronicleQueue queue = SingleChronicleQueueBuilder.single(root.resolve("valid").toFile())
            .readOnly(true).build();
            ExcerptTailer tailer = queue.createTailer())
        {
            while (true)
            {
                try (DocumentContext context = tailer.readingDocument())
                {
                    if (!context.isPresent())
                    {
                        break;
                    }
                    final Bytes<?> bytes = context.wire().bytes();
                    final byte[] copy = new byte[(int)bytes.readRemaining()];
                    bytes.read(copy);
                    VALID.add(copy);
                }
            }
        }
    }

    @Test
    void shouldEncodeEveryEventTheWriterAppends()
    {
        assertEquals(9, VALID.size(), "SourceStarted, 7 events, a heartbeat");
        for (final byte[] excerpt : VALID)
        {
            assertNull(encode(excerpt), () -> "valid excerpt refused: " + Arrays.toString(excerpt));
        }
        assertEquals(7, tables.rows());
        assertEquals(3, tables.pairLockEvents().rows());
    }

    @Test
    void shouldAllocateNothingToCheckAndEncodeAnEventOnceItsBuffersHaveGrown()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)java.lang.management.ManagementFactory.getThreadMXBean();
        final UnsafeBuffer[] excerpts = new UnsafeBuffer[VALID.size()];
        for (int i = 0; i < excerpts.length; i++)
        {
            excerpts[i] = new UnsafeBuffer(VALID.get(i));
        }
        for (int round = 0; round < 20_000; round++)
        {
            encodeAll(excerpts, round);
        }

        final long calibrationStart = threads.getCurrentThreadAllocatedBytes();
        final long calibrationEnd = threads.getCurrentThreadAllocatedBytes();
        final long before = threads.getCurrentThreadAllocatedBytes();
        int refused = 0;
        for (int round = 0; round < 20_000; round++)
        {
            refused += encodeAll(excerpts, round);
        }
        final long after = threads.getCurrentThreadAllocatedBytes();

        assertEquals(0, refused);
        assertEquals(0, (after - before) - (calibrationEnd - calibrationStart),
            "bytes allocated over " + 20_000 * excerpts.length + " excerpts");
    }

    /**
     * Every excerpt once, the tables reset every 64 rounds as a batch commit does; returns the excerpts refused.
     */
    private int encodeAll(final UnsafeBuffer[] excerpts, final int round)
    {
        int refused = 0;
        for (int i = 0; i < excerpts.length; i++)
        {
            if (null != encoder.encode("valid", i, excerpts[i], 0, excerpts[i].capacity()))
            {
                refused++;
            }
        }
        if (0 == (round & 63))
        {
            tables.reset();
        }
        return refused;
    }

    @Test
    void shouldRefuseRandomTruncatedAndFlippedExcerptsWithoutThrowingOrLeavingHalfARow()
    {
        final long seed = Long.getLong("tradestate.fuzz.seed", System.nanoTime());
        System.out.println("HistoryRowEncoderTest seed " + seed);
        final Random random = new Random(seed);
        int refused = 0;
        for (int i = 0; i < 200_000; i++)
        {
            final byte[] excerpt = mutate(random, VALID.get(random.nextInt(VALID.size())));
            final int rowsBefore = tables.rows();
            final String failure = encode(excerpt);
            if (null == failure)
            {
                assertEquals(rowsBefore + rowsOf(excerpt), tables.rows(), "seed " + seed + " iteration " + i);
            }
            else
            {
                refused++;
                assertEquals(rowsBefore, tables.rows(), "seed " + seed + " iteration " + i + ": " + failure);
            }
            assertNoHalfRow();
            if (tables.rows() > 10_000)
            {
                tables.reset();
            }
        }
        System.out.println("refused " + refused + " of 200000 mutated excerpts");
    }

    @Test
    void shouldNameTheReasonForEachKindOfDamage()
    {
        final byte[] order = VALID.get(1);
        assertNotNull(encode(new byte[0]));
        assertEquals("unknown template id 99", encode(withByte(withByte(order, 2, 99), 3, 0)));
        final String truncated = encode(Arrays.copyOf(order, 20));
        assertNotNull(truncated);
        assertEquals(true, truncated.startsWith("truncated"), truncated);
        final byte[] trade = VALID.get(3);
        final String varTruncated = encode(Arrays.copyOf(trade, trade.length - 3));
        assertEquals(true, varTruncated.contains("TradeUpdate.exitReason truncated") ||
            varTruncated.contains("TradeUpdate.enterTag truncated"), varTruncated);
    }

    private String encode(final byte[] excerpt)
    {
        final DirectBuffer buffer = new UnsafeBuffer(excerpt);
        return encoder.encode("fuzz", 42, buffer, 0, excerpt.length);
    }

    private int rowsOf(final byte[] excerpt)
    {
        final int templateId = excerpt.length >= 4 ? new UnsafeBuffer(excerpt).getShort(2) & 0xFFFF : -1;
        return templateId >= 3 && templateId <= 8 ? 1 : 0;
    }

    private void assertNoHalfRow()
    {
        assertEquals(0, tables.orderEvents().columns());
        assertEquals(0, tables.fills().columns());
        assertEquals(0, tables.tradeEvents().columns());
        assertEquals(0, tables.pairLockEvents().columns());
        assertEquals(0, tables.balanceEvents().columns());
    }

    private static byte[] mutate(final Random random, final byte[] valid)
    {
        switch (random.nextInt(4))
        {
            case 0:
                final byte[] noise = new byte[random.nextInt(valid.length + 16)];
                random.nextBytes(noise);
                return noise;
            case 1:
                return Arrays.copyOf(valid, random.nextInt(valid.length + 1));
            case 2:
                final byte[] flipped = valid.clone();
                final int flips = 1 + random.nextInt(4);
                for (int i = 0; i < flips && flipped.length > 0; i++)
                {
                    final int bit = random.nextInt(flipped.length * 8);
                    flipped[bit / 8] ^= (byte)(1 << (bit % 8));
                }
                return flipped;
            default:
                final byte[] longer = Arrays.copyOf(valid, valid.length + 1 + random.nextInt(64));
                for (int i = valid.length; i < longer.length; i++)
                {
                    longer[i] = (byte)random.nextInt();
                }
                return longer;
        }
    }

    private static byte[] withByte(final byte[] bytes, final int offset, final int value)
    {
        final byte[] copy = bytes.clone();
        copy[offset] = (byte)value;
        return copy;
    }

    private static void ignoreStatus(
        final CharSequence sourceId, final boolean started, final DirectBuffer buffer, final int hostOffset,
        final int hostLength, final long pid, final int schemaVersion, final long startTimeNs,
        final long appendTimeNs)
    {
    }
}
