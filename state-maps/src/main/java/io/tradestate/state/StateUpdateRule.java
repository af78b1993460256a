package io.tradestate.state;

import io.tradestate.codecs.MessageHeaderDecoder;
import io.tradestate.codecs.OrderStatus;
import io.tradestate.codecs.OrderUpdateDecoder;
import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * Which of two updates of one entry is the current state: the update-wins rule, stated once in Java. The state maps
 * apply it to every update (the reader agent's {@code StateMapWriter}); the database states it in SQL, in the
 * current-state upserts of {@code PostgresBatchWriter} and in migration V3 for orders, and the two must agree so that
 * the maps keep equalling the tables whatever order updates arrive in. {@code StateUpdateRuleIT} checks that they do,
 * both ways round, on generated pairs of updates against PostgreSQL with the real migrations and upserts.
 * <ul>
 *   <li><b>Orders</b> (V3): the greater by (status rank, the exchange's time or, without one, the append time, to
 *   the microsecond; the append time in ns; the queue index), where the rank of {@code open} is 0, of
 *   {@code partially_filled} 1 and of the final statuses 2. So a status never moves back, and of updates of one rank
 *   the latest by the exchange's clock wins across sources too.</li>
 *   <li><b>Trades</b>: the later queue index (a trade lives in the journal of its source).</li>
 *   <li><b>Balances</b>: within a source the later queue index (a source's append times can step back); across
 *   sources an append time not earlier, to the microsecond (PostgreSQL's {@code timestamptz} precision).</li>
 * </ul>
 * An update that does not win leaves the current state as it is, so applying an update twice changes nothing.
 * <p>
 * Design: the comparisons take plain numbers, so that the SQL they mirror reads beside them and a test can drive
 * them with any values; {@link #orderWins(DirectBuffer, int, long, long, DirectBuffer, int, long, long)} reads them
 * from two {@code OrderUpdate} messages (with their SBE header) where the maps keep them. Static, allocation free.
 */
public final class StateUpdateRule
{
    /**
     * Rank of the final order statuses ({@code closed}, {@code canceled}, {@code expired}, {@code rejected}).
     */
    public static final int FINAL_STATUS_RANK = 2;

    private static final int STATUS_OFFSET = MessageHeaderDecoder.ENCODED_LENGTH +
        OrderUpdateDecoder.statusEncodingOffset();
    private static final int EXCHANGE_TIME_OFFSET = MessageHeaderDecoder.ENCODED_LENGTH +
        OrderUpdateDecoder.exchangeTimeMsEncodingOffset();

    private StateUpdateRule()
    {
    }

    /**
     * Whether an order update replaces the current state of its order (V3's {@code order_status_rank} and the
     * orders upsert's conflict clause).
     *
     * @param currentStatus         the current state's {@link OrderStatus} value.
     * @param currentExchangeTimeMs its exchange time, or {@link OrderUpdateDecoder#exchangeTimeMsNullValue()}.
     * @param currentAppendTimeNs   its append time, ns since the epoch.
     * @param currentIndex          its queue index.
     * @param status                the update's {@link OrderStatus} value.
     * @param exchangeTimeMs        its exchange time, or {@link OrderUpdateDecoder#exchangeTimeMsNullValue()}.
     * @param appendTimeNs          its append time, ns since the epoch.
     * @param index                 its queue index.
     * @return true if the update is greater, and becomes the current state.
     */
    public static boolean orderWins(
        final int currentStatus, final long currentExchangeTimeMs, final long currentAppendTimeNs,
        final long currentIndex, final int status, final long exchangeTimeMs, final long appendTimeNs,
        final long index)
    {
        final int rankDifference = statusRank(status) - statusRank(currentStatus);
        if (0 != rankDifference)
        {
            return rankDifference > 0;
        }
        final long timeUs = effectiveTimeUs(exchangeTimeMs, appendTimeNs);
        final long currentTimeUs = effectiveTimeUs(currentExchangeTimeMs, currentAppendTimeNs);
        if (timeUs != currentTimeUs)
        {
            return timeUs > currentTimeUs;
        }
        if (appendTimeNs != currentAppendTimeNs)
        {
            return appendTimeNs > currentAppendTimeNs;
        }
        return index > currentIndex;
    }

    /**
     * {@link #orderWins(int, long, long, long, int, long, long, long)} of two {@code OrderUpdate} messages.
     *
     * @param current             buffer holding the current state's message.
     * @param currentOffset       offset of its SBE message header.
     * @param currentAppendTimeNs its append time, ns since the epoch.
     * @param currentIndex        its queue index.
     * @param next                buffer holding the update's message.
     * @param nextOffset          offset of its SBE message header.
     * @param appendTimeNs        its append time, ns since the epoch.
     * @param index               its queue index.
     * @return true if the update becomes the current state.
     */
    public static boolean orderWins(
        final DirectBuffer current, final int currentOffset, final long currentAppendTimeNs, final long currentIndex,
        final DirectBuffer next, final int nextOffset, final long appendTimeNs, final long index)
    {
        return orderWins(
            current.getByte(currentOffset + STATUS_OFFSET) & 0xFF,
            current.getLong(currentOffset + EXCHANGE_TIME_OFFSET, ByteOrder.LITTLE_ENDIAN),
            currentAppendTimeNs,
            currentIndex,
            next.getByte(nextOffset + STATUS_OFFSET) & 0xFF,
            next.getLong(nextOffset + EXCHANGE_TIME_OFFSET, ByteOrder.LITTLE_ENDIAN),
            appendTimeNs,
            index);
    }

    /**
     * Whether a trade update replaces the current state of its trade (the trades upsert's conflict clause).
     *
     * @param currentIndex queue index of the current state.
     * @param index        queue index of the update, in the same source's journal.
     * @return true if the update is later.
     */
    public static boolean tradeWins(final long currentIndex, final long index)
    {
        return index > currentIndex;
    }

    /**
     * Whether a balance update replaces the current balance (the balances upsert's conflict clause).
     *
     * @param sameSource          whether both come from one source.
     * @param currentAppendTimeNs append time of the current balance, ns since the epoch.
     * @param currentIndex        its queue index.
     * @param appendTimeNs        append time of the update, ns since the epoch.
     * @param index               its queue index.
     * @return true if the update becomes the current balance.
     */
    public static boolean balanceWins(
        final boolean sameSource, final long currentAppendTimeNs, final long currentIndex, final long appendTimeNs,
        final long index)
    {
        return sameSource ? index > currentIndex :
            Math.floorDiv(currentAppendTimeNs, 1000L) <= Math.floorDiv(appendTimeNs, 1000L);
    }

    /**
     * Rank of an order status: {@code open} 0, {@code partially_filled} 1, the final ones 2 (V3's
     * {@code order_status_rank}).
     *
     * @param status an {@link OrderStatus} value.
     * @return its rank.
     */
    public static int statusRank(final int status)
    {
        return status >= OrderStatus.CLOSED.value() ? FINAL_STATUS_RANK : status;
    }

    /**
     * The time an order update is ordered by: the exchange's, else the append time, in microseconds (PostgreSQL's
     * {@code coalesce(exchange_time, append_time)}; {@code append_time} keeps microseconds, truncated).
     *
     * @param exchangeTimeMs the exchange time, or {@link OrderUpdateDecoder#exchangeTimeMsNullValue()}.
     * @param appendTimeNs   the append time, ns since the epoch.
     * @return µs since the epoch.
     */
    public static long effectiveTimeUs(final long exchangeTimeMs, final long appendTimeNs)
    {
        return OrderUpdateDecoder.exchangeTimeMsNullValue() == exchangeTimeMs ?
            Math.floorDiv(appendTimeNs, 1000L) : exchangeTimeMs * 1000L;
    }
}
