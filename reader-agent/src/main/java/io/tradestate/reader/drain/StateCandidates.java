package io.tradestate.reader.drain;

import io.tradestate.codecs.BalanceUpdateDecoder;
import io.tradestate.codecs.MessageHeaderDecoder;
import io.tradestate.codecs.OrderUpdateDecoder;
import io.tradestate.codecs.TradeUpdateDecoder;
import io.tradestate.state.StateLayout;
import io.tradestate.state.StateUpdateRule;
import org.agrona.BitUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Of a batch's events, the few that can change the current-state tables: per order the batch's winner by
 * {@link StateUpdateRule#orderWins}, per trade and per balance of a source the latest; and the order updates that
 * regress within the batch. They are written as rows of the session's {@code drain_candidates} table, from which
 * {@link PostgresBatchWriter} upserts {@code orders}, {@code trades} and {@code balances}.
 * <p>
 * Design: the rule that decides which update of a key wins is the state maps' ({@link StateUpdateRule}); applying
 * it here, where every event has been decoded already, leaves PostgreSQL a join on primary keys with a few hundred
 * rows per batch instead of a sort of every history row of the batch (the drain's largest cost before: two sorts
 * and a window over all of a batch's order updates, about 30% of its time). The statements keep their own ordering
 * over the candidates and their conflict clauses, which settle what the batch meets in the tables.
 * <p>
 * An order update regresses when its status rank is lower than that of an earlier update of the same order, earlier
 * by (append time in ns, queue index): within the batch that is decided here; against the state already in
 * {@code orders}, the database names the orders whose rank there is greater than the lowest of the batch's updates
 * (each winner's {@code min_rank}), usually none, and {@link #flagAgainstTable} marks their updates. Both kinds are
 * written as {@code r} rows.
 * <p>
 * Recording and selecting allocate nothing once the arrays have grown to the largest batch.
 */
final class StateCandidates
{
    /**
     * The session table the candidates are copied into: emptied at each commit, so it never outlives a batch.
     */
    static final String CREATE_TABLE = "CREATE TEMP TABLE IF NOT EXISTS drain_candidates (kind text NOT NULL, " +
        "source_id text NOT NULL, queue_index bigint NOT NULL, append_time timestamptz NOT NULL, min_rank integer, " +
        "exchange text, order_id text) ON COMMIT DELETE ROWS";
    static final String COPY = "COPY drain_candidates (kind, source_id, queue_index, append_time, min_rank, " +
        "exchange, order_id) FROM STDIN";

    static final String ORDER_WINNER = "o";
    static final String TRADE_WINNER = "t";
    static final String BALANCE_WINNER = "b";
    static final String ORDER_REGRESSION = "r";

    private static final byte ORDER = 1;
    private static final byte TRADE = 2;
    private static final byte BALANCE = 3;
    private static final int KEY_CAPACITY = StateLayout.ORDER_KEY_LENGTH;
    private static final int TEMPLATE_ID_OFFSET = MessageHeaderDecoder.templateIdEncodingOffset();
    private static final int BODY = MessageHeaderDecoder.ENCODED_LENGTH;
    private static final int ORDER_EXCHANGE = BODY + OrderUpdateDecoder.exchangeEncodingOffset();
    private static final int ORDER_ID = BODY + OrderUpdateDecoder.orderIdEncodingOffset();
    private static final int ORDER_STATUS = BODY + OrderUpdateDecoder.statusEncodingOffset();
    private static final int ORDER_EXCHANGE_TIME = BODY + OrderUpdateDecoder.exchangeTimeMsEncodingOffset();
    private static final int TRADE_ID = BODY + TradeUpdateDecoder.tradeIdEncodingOffset();
    private static final int BALANCE_EXCHANGE = BODY + BalanceUpdateDecoder.exchangeEncodingOffset();
    private static final int BALANCE_ASSET = BODY + BalanceUpdateDecoder.assetEncodingOffset();
    private static final int NONE = -1;

    private final UnsafeBuffer keys = new UnsafeBuffer(new byte[64 * KEY_CAPACITY]);
    private byte[] kinds = new byte[64];
    private int[] sources = new int[64];
    private long[] queueIndexes = new long[64];
    private long[] appendTimesNs = new long[64];
    private int[] statuses = new int[64];
    private long[] exchangeTimesMs = new long[64];
    private boolean[] selected = new boolean[64];
    private boolean[] belowTable = new boolean[64];
    private int[] groupOfEvent = new int[64];
    private int events;

    private int[] slots = new int[128];
    private int[] groupFirst = new int[64];
    private int[] groupWinner = new int[64];
    private int[] groupMinRank = new int[64];
    private int[] groupFirstRank1 = new int[64];
    private int[] groupFirstRank2 = new int[64];
    private int groups;

    private int orderWinners;
    private int tradeWinners;
    private int balanceWinners;
    private int regressions;
    private int tableRegressions;

    /**
     * Record one stored event of the batch, if it is an order, trade or balance update; others are ignored.
     *
     * @param source       the event's source, as its position in the batch's list of sources.
     * @param queueIndex   the event's index in its queue.
     * @param appendTimeNs the event's append time.
     * @param buffer       holding the excerpt, already checked by the event reader.
     * @param offset       of the excerpt in the buffer.
     */
    void onEvent(
        final int source, final long queueIndex, final long appendTimeNs, final DirectBuffer buffer, final int offset)
    {
        final int templateId = buffer.getShort(offset + TEMPLATE_ID_OFFSET, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        final byte kind;
        switch (templateId)
        {
            case OrderUpdateDecoder.TEMPLATE_ID:
                kind = ORDER;
                break;

            case TradeUpdateDecoder.TEMPLATE_ID:
                kind = TRADE;
                break;

            case BalanceUpdateDecoder.TEMPLATE_ID:
                kind = BALANCE;
                break;

            default:
                return;
        }

        ensureEventCapacity(events + 1);
        final int event = events++;
        final int key = event * KEY_CAPACITY;
        kinds[event] = kind;
        sources[event] = source;
        queueIndexes[event] = queueIndex;
        appendTimesNs[event] = appendTimeNs;
        if (ORDER == kind)
        {
            keys.putBytes(key, buffer, offset + ORDER_EXCHANGE, StateLayout.EXCHANGE_LENGTH);
            keys.putBytes(key + StateLayout.EXCHANGE_LENGTH, buffer, offset + ORDER_ID, StateLayout.ORDER_ID_LENGTH);
            statuses[event] = buffer.getByte(offset + ORDER_STATUS) & 0xFF;
            exchangeTimesMs[event] = buffer.getLong(offset + ORDER_EXCHANGE_TIME, ByteOrder.LITTLE_ENDIAN);
        }
        else if (TRADE == kind)
        {
            keys.putLong(key, buffer.getLong(offset + TRADE_ID, ByteOrder.LITTLE_ENDIAN), ByteOrder.LITTLE_ENDIAN);
        }
        else
        {
            keys.putBytes(key, buffer, offset + BALANCE_EXCHANGE, StateLayout.EXCHANGE_LENGTH);
            keys.putBytes(key + StateLayout.EXCHANGE_LENGTH, buffer, offset + BALANCE_ASSET, StateLayout.ASSET_LENGTH);
        }
    }

    /**
     * Choose the candidates among all the recorded events.
     */
    void selectAll()
    {
        Arrays.fill(selected, 0, events, true);
        select();
    }

    /**
     * Choose the candidates among the recorded events that lie in the given ranges only, as a slice of the batch
     * written on its own.
     *
     * @param rangeSources the source of each range, as a position in the batch's list of sources.
     * @param lows         the first queue index of each range.
     * @param highs        the last queue index of each range.
     * @param rangeCount   how many ranges the arrays hold.
     */
    void selectRanges(final int[] rangeSources, final long[] lows, final long[] highs, final int rangeCount)
    {
        for (int event = 0; event < events; event++)
        {
            boolean inRange = false;
            for (int range = 0; range < rangeCount && !inRange; range++)
            {
                inRange = sources[event] == rangeSources[range] &&
                    queueIndexes[event] >= lows[range] && queueIndexes[event] <= highs[range];
            }
            selected[event] = inRange;
        }
        select();
    }

    /**
     * Write the chosen candidates as COPY text rows of {@code drain_candidates}: the winners, then the order updates
     * that regress within the batch.
     *
     * @param sourceIds the batch's sources, in the order the events name them.
     * @param rows      to append the rows to.
     */
    void encode(final String[] sourceIds, final CopyTextEncoder rows)
    {
        for (int group = 0; group < groups; group++)
        {
            final int winner = groupWinner[group];
            final byte kind = kinds[winner];
            row(rows, ORDER == kind ? ORDER_WINNER : TRADE == kind ? TRADE_WINNER : BALANCE_WINNER, sourceIds, winner);
            if (ORDER == kind)
            {
                final int key = winner * KEY_CAPACITY;
                rows.integer(groupMinRank[group])
                    .asciiText(keys, key, StateLayout.EXCHANGE_LENGTH)
                    .asciiText(keys, key + StateLayout.EXCHANGE_LENGTH, StateLayout.ORDER_ID_LENGTH);
            }
            else
            {
                rows.nullValue().nullValue().nullValue();
            }
            rows.endRow();
        }

        for (int event = 0; event < events; event++)
        {
            if (selected[event] && ORDER == kinds[event] && regressesInBatch(event))
            {
                regressionRow(rows, sourceIds, event);
            }
        }
    }

    /**
     * The order whose winner is the given event held a greater status rank in {@code orders} before the batch than
     * some of the batch's updates: mark those as regressions.
     *
     * @param source     of the winner, as a position in the batch's list of sources.
     * @param queueIndex of the winner.
     * @param tableRank  the status rank of the order in the table.
     * @return how many of the order's updates were newly marked.
     */
    int flagAgainstTable(final int source, final long queueIndex, final int tableRank)
    {
        int group = 0;
        while (group < groups && (ORDER != kinds[groupWinner[group]] || sources[groupWinner[group]] != source ||
            queueIndexes[groupWinner[group]] != queueIndex))
        {
            group++;
        }
        if (group == groups)
        {
            return 0;
        }

        int marked = 0;
        for (int event = 0; event < events; event++)
        {
            if (selected[event] && groupOfEvent[event] == group && !belowTable[event] &&
                StateUpdateRule.statusRank(statuses[event]) < tableRank && !regressesInBatch(event))
            {
                belowTable[event] = true;
                marked++;
            }
        }
        tableRegressions += marked;
        return marked;
    }

    /**
     * Write the {@code r} rows of the updates {@link #flagAgainstTable} marked.
     *
     * @param sourceIds the batch's sources, in the order the events name them.
     * @param rows      to append the rows to.
     */
    void encodeTableRegressions(final String[] sourceIds, final CopyTextEncoder rows)
    {
        for (int event = 0; event < events; event++)
        {
            if (belowTable[event])
            {
                regressionRow(rows, sourceIds, event);
            }
        }
    }

    int orderWinners()
    {
        return orderWinners;
    }

    int tradeWinners()
    {
        return tradeWinners;
    }

    int balanceWinners()
    {
        return balanceWinners;
    }

    /**
     * How many of the chosen order updates regress against an earlier one of the batch.
     *
     * @return the number of {@code r} rows {@link #encode} writes.
     */
    int regressions()
    {
        return regressions;
    }

    /**
     * How many order updates {@link #flagAgainstTable} marked since the last selection.
     *
     * @return the number of {@code r} rows {@link #encodeTableRegressions} writes.
     */
    int tableRegressions()
    {
        return tableRegressions;
    }

    void reset()
    {
        Arrays.fill(belowTable, 0, events, false);
        tableRegressions = 0;
        events = 0;
        groups = 0;
        orderWinners = 0;
        tradeWinners = 0;
        balanceWinners = 0;
        regressions = 0;
    }

    private void select()
    {
        Arrays.fill(belowTable, 0, events, false);
        tableRegressions = 0;
        groups = 0;
        orderWinners = 0;
        tradeWinners = 0;
        balanceWinners = 0;
        regressions = 0;
        final int slotCount = Math.max(16, BitUtil.findNextPositivePowerOfTwo(events * 2));
        if (slots.length < slotCount)
        {
            slots = new int[slotCount];
        }
        Arrays.fill(slots, 0, slotCount, NONE);
        final int mask = slotCount - 1;

        for (int event = 0; event < events; event++)
        {
            if (!selected[event])
            {
                continue;
            }

            int slot = hash(event) & mask;
            int group = slots[slot];
            while (NONE != group && !sameKey(groupFirst[group], event))
            {
                slot = (slot + 1) & mask;
                group = slots[slot];
            }
            if (NONE == group)
            {
                group = newGroup(event);
                slots[slot] = group;
            }
            else
            {
                addToGroup(group, event);
            }
            groupOfEvent[event] = group;
        }

        for (int event = 0; event < events; event++)
        {
            if (selected[event] && ORDER == kinds[event] && regressesInBatch(event))
            {
                regressions++;
            }
        }
    }

    private int newGroup(final int event)
    {
        if (groups == groupFirst.length)
        {
            final int length = groups * 2;
            groupFirst = Arrays.copyOf(groupFirst, length);
            groupWinner = Arrays.copyOf(groupWinner, length);
            groupMinRank = Arrays.copyOf(groupMinRank, length);
            groupFirstRank1 = Arrays.copyOf(groupFirstRank1, length);
            groupFirstRank2 = Arrays.copyOf(groupFirstRank2, length);
        }

        final int group = groups++;
        groupFirst[group] = event;
        groupWinner[group] = event;
        groupMinRank[group] = StateUpdateRule.FINAL_STATUS_RANK;
        groupFirstRank1[group] = NONE;
        groupFirstRank2[group] = NONE;
        final byte kind = kinds[event];
        if (ORDER == kind)
        {
            orderWinners++;
            rank(group, event);
        }
        else if (TRADE == kind)
        {
            tradeWinners++;
        }
        else
        {
            balanceWinners++;
        }
        return group;
    }

    private void addToGroup(final int group, final int event)
    {
        final int winner = groupWinner[group];
        if (ORDER == kinds[event])
        {
            if (StateUpdateRule.orderWins(statuses[winner], exchangeTimesMs[winner], appendTimesNs[winner],
                queueIndexes[winner], statuses[event], exchangeTimesMs[event], appendTimesNs[event],
                queueIndexes[event]))
            {
                groupWinner[group] = event;
            }
            rank(group, event);
        }
        else if (StateUpdateRule.tradeWins(queueIndexes[winner], queueIndexes[event]))
        {
            // A trade's and a balance's group is one source's: the latest index wins, as the statements' own
            // DISTINCT ON per source does; across sources the balance statement settles it.
            groupWinner[group] = event;
        }
    }

    private void rank(final int group, final int event)
    {
        final int rank = StateUpdateRule.statusRank(statuses[event]);
        groupMinRank[group] = Math.min(groupMinRank[group], rank);
        if (rank >= 1 && (NONE == groupFirstRank1[group] || before(event, groupFirstRank1[group])))
        {
            groupFirstRank1[group] = event;
        }
        if (rank >= StateUpdateRule.FINAL_STATUS_RANK &&
            (NONE == groupFirstRank2[group] || before(event, groupFirstRank2[group])))
        {
            groupFirstRank2[group] = event;
        }
    }

    private boolean regressesInBatch(final int event)
    {
        final int group = groupOfEvent[event];
        final int rank = StateUpdateRule.statusRank(statuses[event]);
        final int earliestGreater = 0 == rank ? groupFirstRank1[group] :
            1 == rank ? groupFirstRank2[group] : NONE;
        return NONE != earliestGreater && before(earliestGreater, event);
    }

    /**
     * Whether {@code a} comes before {@code b} by (append time in ns, queue index): V3's order of an order's updates.
     */
    private boolean before(final int a, final int b)
    {
        return appendTimesNs[a] != appendTimesNs[b] ? appendTimesNs[a] < appendTimesNs[b] :
            queueIndexes[a] < queueIndexes[b];
    }

    private boolean sameKey(final int a, final int b)
    {
        final byte kind = kinds[a];
        if (kind != kinds[b] || (ORDER != kind && sources[a] != sources[b]))
        {
            return false;
        }
        final int length = keyLength(kind);
        final int keyA = a * KEY_CAPACITY;
        final int keyB = b * KEY_CAPACITY;
        for (int i = 0; i < length; i += 8)
        {
            if (keys.getLong(keyA + i) != keys.getLong(keyB + i))
            {
                return false;
            }
        }
        return true;
    }

    private int hash(final int event)
    {
        final byte kind = kinds[event];
        final int length = keyLength(kind);
        final int key = event * KEY_CAPACITY;
        long hash = kind * 31L + (ORDER == kind ? 0 : sources[event]);
        for (int i = 0; i < length; i += 8)
        {
            hash = hash * 0x9E3779B97F4A7C15L + keys.getLong(key + i);
        }
        return (int)(hash ^ (hash >>> 32)) * 0x9E3779B9;
    }

    private static int keyLength(final byte kind)
    {
        return ORDER == kind ? StateLayout.ORDER_KEY_LENGTH : TRADE == kind ? 8 : StateLayout.BALANCE_KEY_LENGTH;
    }

    private CopyTextEncoder row(
        final CopyTextEncoder rows, final String kind, final String[] sourceIds, final int event)
    {
        return rows.text(kind).text(sourceIds[sources[event]]).bigint(queueIndexes[event])
            .timestampFromEpochMicros(Math.floorDiv(appendTimesNs[event], 1_000L));
    }

    private void regressionRow(final CopyTextEncoder rows, final String[] sourceIds, final int event)
    {
        row(rows, ORDER_REGRESSION, sourceIds, event).nullValue().nullValue().nullValue().endRow();
    }

    private void ensureEventCapacity(final int capacity)
    {
        if (capacity <= kinds.length)
        {
            return;
        }

        final int length = kinds.length * 2;
        kinds = Arrays.copyOf(kinds, length);
        sources = Arrays.copyOf(sources, length);
        queueIndexes = Arrays.copyOf(queueIndexes, length);
        appendTimesNs = Arrays.copyOf(appendTimesNs, length);
        statuses = Arrays.copyOf(statuses, length);
        exchangeTimesMs = Arrays.copyOf(exchangeTimesMs, length);
        selected = Arrays.copyOf(selected, length);
        belowTable = Arrays.copyOf(belowTable, length);
        groupOfEvent = Arrays.copyOf(groupOfEvent, length);
        final UnsafeBuffer grown = new UnsafeBuffer(new byte[length * KEY_CAPACITY]);
        grown.putBytes(0, keys, 0, events * KEY_CAPACITY);
        keys.wrap(grown.byteArray());
    }
}
