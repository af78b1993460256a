package io.tradestate.reader.drain;

import io.tradestate.codecs.BalanceUpdateEncoder;
import io.tradestate.codecs.MessageHeaderEncoder;
import io.tradestate.codecs.OrderStatus;
import io.tradestate.codecs.OrderUpdateEncoder;
import io.tradestate.codecs.TradeUpdateEncoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Which of a batch's events {@link StateCandidates} hands to the upserts, and which order updates it marks as
 * regressions; {@code OrderPrecedenceIT} and {@code StateUpdateRuleIT} check the same through PostgreSQL.
 */
class StateCandidatesTest
{
    private static final long T_NS = 1_780_000_000_000_000_000L;
    private static final long NO_TIME = OrderUpdateEncoder.exchangeTimeMsNullValue();
    private static final String[] SOURCES = {"east", "west"};

    private final UnsafeBuffer excerpt = new UnsafeBuffer(new byte[512]);
    private final StateCandidates candidates = new StateCandidates();

    @Test
    void shouldChooseEachOrdersWinnerByTheStateMapsRuleAcrossSources()
    {
        order(0, 1, 10, "A", OrderStatus.OPEN, NO_TIME);
        order(0, 2, 20, "A", OrderStatus.CLOSED, NO_TIME);
        order(1, 3, 30, "A", OrderStatus.PARTIALLY_FILLED, NO_TIME);
        order(0, 4, 40, "B", OrderStatus.PARTIALLY_FILLED, 5_000);
        order(1, 5, 50, "B", OrderStatus.PARTIALLY_FILLED, 4_000);
        order(0, 6, 60, "C", OrderStatus.OPEN, NO_TIME);
        candidates.selectAll();

        assertEquals(3, candidates.orderWinners());
        assertEquals(List.of("o east 2 0 binance A", "o east 4 1 binance B", "o east 6 0 binance C",
            "r west 3"), rows());
    }

    @Test
    void shouldMarkAnUpdateThatComesAfterAGreaterRankByAppendTimeNotByArrival()
    {
        order(0, 1, 10, "A", OrderStatus.PARTIALLY_FILLED, NO_TIME);
        order(0, 2, 30, "A", OrderStatus.OPEN, NO_TIME);
        // Arrives last but was appended first: nothing came before it, so it does not regress.
        order(1, 7, 5, "A", OrderStatus.OPEN, NO_TIME);
        order(0, 3, 40, "B", OrderStatus.CANCELED, NO_TIME);
        order(0, 4, 50, "B", OrderStatus.PARTIALLY_FILLED, NO_TIME);
        order(0, 5, 60, "B", OrderStatus.CLOSED, NO_TIME);
        candidates.selectAll();

        assertEquals(2, candidates.regressions());
        assertEquals(List.of("o east 1 0 binance A", "o east 5 1 binance B", "r east 2", "r east 4"), rows());
    }

    @Test
    void shouldTakeTheLatestTradeAndBalanceOfEachSource()
    {
        trade(0, 1, 10, 7);
        trade(0, 2, 20, 7);
        trade(1, 3, 30, 7);
        trade(0, 4, 40, 8);
        balance(0, 5, 90, "USDT");
        balance(0, 6, 60, "USDT");
        balance(1, 7, 70, "USDT");
        balance(0, 8, 80, "BTC");
        candidates.selectAll();

        assertEquals(3, candidates.tradeWinners());
        assertEquals(3, candidates.balanceWinners());
        assertEquals(0, candidates.orderWinners());
        assertEquals(List.of("t east 2", "t west 3", "t east 4", "b east 6", "b west 7", "b east 8"), rows());
    }

    @Test
    void shouldChooseWithinTheGivenRangesOnly()
    {
        order(0, 1, 10, "A", OrderStatus.OPEN, NO_TIME);
        order(0, 2, 20, "A", OrderStatus.CLOSED, NO_TIME);
        order(0, 3, 30, "A", OrderStatus.OPEN, NO_TIME);
        order(1, 2, 40, "B", OrderStatus.OPEN, NO_TIME);
        trade(1, 3, 50, 7);

        candidates.selectRanges(new int[]{0, 1}, new long[]{1, 3}, new long[]{1, 3}, 2);
        assertEquals(List.of("o east 1 0 binance A", "t west 3"), rows());

        candidates.selectRanges(new int[]{0}, new long[]{2}, new long[]{3}, 1);
        assertEquals(List.of("o east 2 0 binance A", "r east 3"), rows());

        candidates.selectAll();
        assertEquals(List.of("o east 2 0 binance A", "o west 2 0 binance B", "t west 3", "r east 3"), rows());
    }

    @Test
    void shouldMarkTheUpdatesBelowTheRankAnOrderHoldsInTheTable()
    {
        order(0, 1, 10, "A", OrderStatus.OPEN, NO_TIME);
        order(0, 2, 20, "A", OrderStatus.PARTIALLY_FILLED, NO_TIME);
        order(0, 3, 30, "A", OrderStatus.OPEN, NO_TIME);
        order(0, 4, 40, "B", OrderStatus.PARTIALLY_FILLED, NO_TIME);
        candidates.selectAll();
        assertEquals(1, candidates.regressions());

        // The table holds A closed: every update of A regresses, #3 already did within the batch.
        assertEquals(2, candidates.flagAgainstTable(0, 2, 2));
        assertEquals(0, candidates.flagAgainstTable(0, 2, 2), "marked once");
        assertEquals(0, candidates.flagAgainstTable(0, 99, 2), "not a winner");
        assertEquals(2, candidates.tableRegressions());
        final CopyTextEncoder rows = new CopyTextEncoder();
        candidates.encodeTableRegressions(SOURCES, rows);
        assertEquals(List.of("r east 1", "r east 2"), columns(rows));

        candidates.selectAll();
        assertEquals(0, candidates.tableRegressions(), "a new selection forgets the marks");
    }

    @Test
    void shouldWriteTheColumnsOfDrainCandidates()
    {
        order(1, 9, 1_234, "A", OrderStatus.OPEN, NO_TIME);
        trade(0, 10, 5_000, 7);
        candidates.selectAll();
        final CopyTextEncoder rows = new CopyTextEncoder();
        candidates.encode(SOURCES, rows);

        final String appendTimeA = timestamp((T_NS + 1_234) / 1_000);
        final String appendTimeT = timestamp((T_NS + 5_000) / 1_000);
        assertEquals("o\twest\t9\t" + appendTimeA + "\t0\tbinance\tA\n" +
            "t\teast\t10\t" + appendTimeT + "\t\\N\t\\N\t\\N\n",
            new String(rows.buffer(), 0, rows.length(), StandardCharsets.UTF_8));
    }

    @Test
    void shouldAllocateNothingOnceItsArraysHaveGrown()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)java.lang.management.ManagementFactory.getThreadMXBean();
        final UnsafeBuffer[] excerpts = new UnsafeBuffer[64];
        for (int i = 0; i < excerpts.length; i++)
        {
            final int kind = i % 3;
            if (0 == kind)
            {
                encodeOrder(i, "O-" + i % 20, OrderStatus.get((short)(i % 6)), NO_TIME);
            }
            else if (1 == kind)
            {
                encodeTrade(i, i % 5);
            }
            else
            {
                encodeBalance(i, "A" + i % 4);
            }
            excerpts[i] = new UnsafeBuffer(Arrays.copyOf(excerpt.byteArray(), excerpt.capacity()));
        }
        final CopyTextEncoder rows = new CopyTextEncoder();
        for (int round = 0; round < 20_000; round++)
        {
            batch(excerpts, rows, round);
        }

        // A real allocation shows in every stretch; one stretch without any passes, so that a stretch run before the
        // JIT has compiled everything (C1 does no escape analysis) on a loaded machine is not taken for one.
        final List<Long> stretches = new ArrayList<>();
        for (int stretch = 0; stretch < 5 && (stretches.isEmpty() || stretches.get(stretches.size() - 1) != 0);
            stretch++)
        {
            final long before = threads.getCurrentThreadAllocatedBytes();
            for (int round = 0; round < 2_000; round++)
            {
                batch(excerpts, rows, round);
            }
            final long after = threads.getCurrentThreadAllocatedBytes();
            final long calibration =
                threads.getCurrentThreadAllocatedBytes() - threads.getCurrentThreadAllocatedBytes();
            stretches.add(after - before + calibration);
        }

        assertEquals(0L, stretches.get(stretches.size() - 1),
            "bytes allocated over each stretch of 2,000 batches of 64 events: " + stretches);
    }

    private static String timestamp(final long epochUs)
    {
        final CopyTextEncoder column = new CopyTextEncoder().timestampFromEpochMicros(epochUs);
        return new String(column.buffer(), 0, column.length(), StandardCharsets.US_ASCII);
    }

    private void batch(final UnsafeBuffer[] excerpts, final CopyTextEncoder rows, final int round)
    {
        candidates.reset();
        for (int i = 0; i < excerpts.length; i++)
        {
            candidates.onEvent(i % 2, round * 100L + i, T_NS + i, excerpts[i], 0);
        }
        candidates.selectAll();
        rows.reset();
        candidates.encode(SOURCES, rows);
        candidates.flagAgainstTable(0, round * 100L, 2);
        candidates.encodeTableRegressions(SOURCES, rows);
    }

    private void order(
        final int source, final long index, final long appendOffsetNs, final String orderId, final OrderStatus status,
        final long exchangeTimeMs)
    {
        encodeOrder(appendOffsetNs, orderId, status, exchangeTimeMs);
        candidates.onEvent(source, index, T_NS + appendOffsetNs, excerpt, 0);
    }

    private void trade(final int source, final long index, final long appendOffsetNs, final long tradeId)
    {
        encodeTrade(appendOffsetNs, tradeId);
        candidates.onEvent(source, index, T_NS + appendOffsetNs, excerpt, 0);
    }

    private void balance(final int source, final long index, final long appendOffsetNs, final String asset)
    {
        encodeBalance(appendOffsetNs, asset);
        candidates.onEvent(source, index, T_NS + appendOffsetNs, excerpt, 0);
    }

    private void encodeOrder(
        final long appendOffsetNs, final String orderId, final OrderStatus status, final long exchangeTimeMs)
    {
        excerpt.setMemory(0, excerpt.capacity(), (byte)0);
        new OrderUpdateEncoder().wrapAndApplyHeader(excerpt, 0, new MessageHeaderEncoder())
            .appendTimeNs(T_NS + appendOffsetNs).exchangeTimeMs(exchangeTimeMs)
            .exchange("binance").orderId(orderId).status(status);
    }

    private void encodeTrade(final long appendOffsetNs, final long tradeId)
    {
        excerpt.setMemory(0, excerpt.capacity(), (byte)0);
        new TradeUpdateEncoder().wrapAndApplyHeader(excerpt, 0, new MessageHeaderEncoder())
            .appendTimeNs(T_NS + appendOffsetNs).tradeId(tradeId);
    }

    private void encodeBalance(final long appendOffsetNs, final String asset)
    {
        excerpt.setMemory(0, excerpt.capacity(), (byte)0);
        new BalanceUpdateEncoder().wrapAndApplyHeader(excerpt, 0, new MessageHeaderEncoder())
            .appendTimeNs(T_NS + appendOffsetNs).exchange("binance").asset(asset);
    }

    /**
     * The chosen candidates as "kind source index [min_rank exchange order_id]", in the order they are written.
     */
    private List<String> rows()
    {
        final CopyTextEncoder rows = new CopyTextEncoder();
        candidates.encode(SOURCES, rows);
        return columns(rows);
    }

    private static List<String> columns(final CopyTextEncoder rows)
    {
        final List<String> result = new ArrayList<>();
        for (final String line : new String(rows.buffer(), 0, rows.length(), StandardCharsets.UTF_8).split("\n"))
        {
            if (line.isEmpty())
            {
                continue;
            }
            final String[] columns = line.split("\t");
            final StringBuilder row = new StringBuilder(columns[0]).append(' ').append(columns[1]).append(' ')
                .append(columns[2]);
            for (int i = 4; i < columns.length; i++)
            {
                if (!"\\N".equals(columns[i]))
                {
                    row.append(' ').append(columns[i]);
                }
            }
            result.add(row.toString());
        }
        return result;
    }
}
