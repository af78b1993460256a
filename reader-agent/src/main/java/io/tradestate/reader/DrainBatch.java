package io.tradestate.reader;

import org.agrona.DirectBuffer;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The events read since the last commit, waiting for one database transaction: their rows per history table, the
 * sources they came from with each one's index range, and the dead letters among them.
 */
final class DrainBatch
{
    private final HistoryTables tables = new HistoryTables();
    private final StateCandidates candidates = new StateCandidates();
    private final List<SourcePoller> sources = new ArrayList<>();
    private final List<DeadLetter> deadLetters = new ArrayList<>();
    private int events;
    private long openedAtMs;
    private long minAppendTimeNs = Long.MAX_VALUE;
    private long maxAppendTimeNs = Long.MIN_VALUE;
    private YearMonth[] months = new YearMonth[4];
    private int monthCount;
    private long monthStartNs = Long.MAX_VALUE;
    private long monthEndNs = Long.MIN_VALUE;

    HistoryTables tables()
    {
        return tables;
    }

    /**
     * The batch's order, trade and balance updates, from which the current-state candidates are chosen.
     */
    StateCandidates candidates()
    {
        return candidates;
    }

    int events()
    {
        return events;
    }

    long openedAtMs()
    {
        return openedAtMs;
    }

    List<SourcePoller> sources()
    {
        return sources;
    }

    List<DeadLetter> deadLetters()
    {
        return deadLetters;
    }

    long minAppendTimeNs()
    {
        return minAppendTimeNs;
    }

    long maxAppendTimeNs()
    {
        return maxAppendTimeNs;
    }

    void onEvent(final SourcePoller source, final long nowMs)
    {
        if (0 == events)
        {
            openedAtMs = nowMs;
        }
        if (0 == source.batchEvents())
        {
            source.batchPosition(sources.size());
            sources.add(source);
        }
        events++;
    }

    /**
     * The append time of an event the encoder accepted: its UTC month needs partitions. Only accepted events count,
     * and each distinct month is kept rather than the span from the oldest to the newest, so that one corrupted
     * time decades away costs a few partitions, not every month in between (which would exhaust PostgreSQL's lock
     * table and fail the batch at every attempt). Allocates only when the month differs from the previous event's.
     *
     * @param appendTimeNs the event's append time, epoch nanoseconds.
     */
    void onAppendTime(final long appendTimeNs)
    {
        if (appendTimeNs <= 0)
        {
            return;
        }
        minAppendTimeNs = Math.min(minAppendTimeNs, appendTimeNs);
        maxAppendTimeNs = Math.max(maxAppendTimeNs, appendTimeNs);
        if (appendTimeNs >= monthStartNs && appendTimeNs < monthEndNs)
        {
            return;
        }

        final YearMonth month = YearMonth.from(
            Instant.ofEpochSecond(appendTimeNs / 1_000_000_000L).atZone(ZoneOffset.UTC));
        monthStartNs = epochNs(month);
        monthEndNs = epochNs(month.plusMonths(1));
        for (int i = 0; i < monthCount; i++)
        {
            if (months[i].equals(month))
            {
                return;
            }
        }
        if (monthCount == months.length)
        {
            months = Arrays.copyOf(months, monthCount * 2);
        }
        months[monthCount++] = month;
    }

    /**
     * Distinct UTC months of the accepted events' append times, in no particular order.
     *
     * @return the count; the months are {@link #month(int)}.
     */
    int monthCount()
    {
        return monthCount;
    }

    YearMonth month(final int i)
    {
        return months[i];
    }

    void deadLetter(
        final String sourceId, final long index, final DirectBuffer buffer, final int length, final String reason)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(0, bytes);
        deadLetters.add(new DeadLetter(sourceId, index, bytes, reason));
    }

    void deadLetter(final String sourceId, final long index, final byte[] bytes, final String reason)
    {
        deadLetters.add(new DeadLetter(sourceId, index, bytes, reason));
    }

    void reset()
    {
        tables.reset();
        candidates.reset();
        sources.clear();
        deadLetters.clear();
        events = 0;
        minAppendTimeNs = Long.MAX_VALUE;
        maxAppendTimeNs = Long.MIN_VALUE;
        Arrays.fill(months, 0, monthCount, null);
        monthCount = 0;
        monthStartNs = Long.MAX_VALUE;
        monthEndNs = Long.MIN_VALUE;
    }

    private static long epochNs(final YearMonth month)
    {
        final long epochSecond = month.atDay(1).atStartOfDay().toEpochSecond(ZoneOffset.UTC);
        return epochSecond > Long.MAX_VALUE / 1_000_000_000L ? Long.MAX_VALUE : epochSecond * 1_000_000_000L;
    }
}
