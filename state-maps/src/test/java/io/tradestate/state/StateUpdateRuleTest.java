package io.tradestate.state;

import io.tradestate.codecs.MessageHeaderEncoder;
import io.tradestate.codecs.OrderStatus;
import io.tradestate.codecs.OrderUpdateEncoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each clause of the update-wins rule on its own; {@code StateUpdateRuleIT} (reader-agent) holds the whole rule to
 * the SQL on generated pairs.
 */
class StateUpdateRuleTest
{
    private static final long NO_TIME = OrderUpdateEncoder.exchangeTimeMsNullValue();
    private static final long T_MS = 1_763_700_000_000L;
    private static final long T_NS = T_MS * 1_000_000;
    private static final int OPEN = OrderStatus.OPEN.value();
    private static final int PARTIAL = OrderStatus.PARTIALLY_FILLED.value();
    private static final int CLOSED = OrderStatus.CLOSED.value();
    private static final int CANCELED = OrderStatus.CANCELED.value();

    @Test
    void shouldNeverMoveAnOrderStatusBack()
    {
        assertFalse(StateUpdateRule.orderWins(CLOSED, T_MS, T_NS, 1, OPEN, T_MS + 10, T_NS + 10, 2));
        assertFalse(StateUpdateRule.orderWins(PARTIAL, T_MS, T_NS, 1, OPEN, T_MS + 10, T_NS + 10, 2));
        assertTrue(StateUpdateRule.orderWins(OPEN, T_MS + 10, T_NS + 10, 2, PARTIAL, T_MS, T_NS, 1));
    }

    @Test
    void shouldTreatEveryFinalStatusAsOneRank()
    {
        assertTrue(StateUpdateRule.orderWins(CLOSED, T_MS, T_NS, 1, CANCELED, T_MS + 1, T_NS, 1));
        assertFalse(StateUpdateRule.orderWins(CLOSED, T_MS + 1, T_NS, 1, CANCELED, T_MS, T_NS, 1));
    }

    @Test
    void shouldOrderByExchangeTimeElseAppendTimeToTheMicrosecond()
    {
        assertTrue(StateUpdateRule.orderWins(OPEN, T_MS, T_NS + 5, 9, OPEN, T_MS + 1, T_NS, 1));
        // Without an exchange time the append time counts, truncated to the microsecond, then the ns break the tie.
        assertTrue(StateUpdateRule.orderWins(OPEN, T_MS + 1, T_NS, 9, OPEN, NO_TIME, T_NS + 1_000_001, 1));
        assertFalse(
            StateUpdateRule.orderWins(OPEN, T_MS + 1, T_NS + 1_000_001, 9, OPEN, NO_TIME, T_NS + 1_000_000, 1));
    }

    @Test
    void shouldBreakTiesByAppendTimeInNanosecondsThenQueueIndex()
    {
        assertTrue(StateUpdateRule.orderWins(OPEN, NO_TIME, T_NS + 1, 9, OPEN, NO_TIME, T_NS + 2, 1));
        assertTrue(StateUpdateRule.orderWins(OPEN, T_MS, T_NS, 1, OPEN, T_MS, T_NS, 2));
        assertFalse(StateUpdateRule.orderWins(OPEN, T_MS, T_NS, 2, OPEN, T_MS, T_NS, 2));
    }

    @Test
    void shouldReadTheOrderFieldsFromTheMessages()
    {
        final UnsafeBuffer current = order(OrderStatus.PARTIALLY_FILLED, NO_TIME);
        final UnsafeBuffer next = order(OrderStatus.OPEN, T_MS + 100);
        assertFalse(StateUpdateRule.orderWins(current, 0, T_NS, 1, next, 0, T_NS + 1, 2));
        assertTrue(StateUpdateRule.orderWins(next, 0, T_NS + 1, 2, current, 0, T_NS, 1));
        final UnsafeBuffer later = order(OrderStatus.PARTIALLY_FILLED, T_MS + 1);
        assertTrue(StateUpdateRule.orderWins(current, 0, T_NS, 1, later, 0, 0, 0));
    }

    @Test
    void shouldOrderTradesAndOneSourcesBalancesByQueueIndex()
    {
        assertTrue(StateUpdateRule.tradeWins(1, 2));
        assertFalse(StateUpdateRule.tradeWins(2, 2));
        assertTrue(StateUpdateRule.balanceWins(true, T_NS + 5_000, 1, T_NS, 2));
        assertFalse(StateUpdateRule.balanceWins(true, T_NS, 2, T_NS + 5_000, 1));
    }

    @Test
    void shouldOrderBalancesOfTwoSourcesByAppendTimeToTheMicrosecondTheLaterAppliedWinningATie()
    {
        assertTrue(StateUpdateRule.balanceWins(false, T_NS + 999, 9, T_NS, 1));
        assertTrue(StateUpdateRule.balanceWins(false, T_NS, 9, T_NS + 999, 1));
        assertFalse(StateUpdateRule.balanceWins(false, T_NS + 1_000, 1, T_NS + 999, 9));
    }

    private static UnsafeBuffer order(final OrderStatus status, final long exchangeTimeMs)
    {
        final UnsafeBuffer buffer =
            new UnsafeBuffer(new byte[MessageHeaderEncoder.ENCODED_LENGTH + OrderUpdateEncoder.BLOCK_LENGTH]);
        new OrderUpdateEncoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .exchangeTimeMs(exchangeTimeMs).status(status);
        return buffer;
    }
}
