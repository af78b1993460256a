package io.tradestate.reader.drain;

import org.agrona.DirectBuffer;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Events read for one database transaction: their rows per history table, the sources they came from with each one's
 * index range, and the dead letters among them. A batch is filled by the drain's thread and, once handed to the
 * {@link BatchCommitter}, read by its thread only, until it is reset for the next use.
 */
final class DrainBatch
{
    private final HistoryTables tables = new HistoryTables();
    private final StateCandidates candidates = new StateCandidates();
    private final HistoryRowEncoder encoder = new HistoryRowEncoder(tables, this::onSourceStatus);
    private final List<BatchSource> sources = new ArrayList<>();
    private final List<BatchSource> spareSources = new ArrayList<>();
    private final List<DeadLetter> deadLetters = new ArrayList<>();
    private BatchSource encoding;
    private long use;
    private int events;
    private long deadLetterBytes;
    private long openedAtMs;
    private long minAppendTimeNs = Long.MAX_VALUE;
    private long maxAppendTimeNs = Long.MIN_VALUE;
    private long[] appendTimesNs = new long[1024];
    private int appendTimeCount;
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

    /**
     * The sources of the batch's events, each with its range, in the order they joined.
     *
     * @return the entries; reused, valid until {@link #reset()}.
     */
    List<BatchSource> sources()
    {
        return sources;
    }

    /**
     * How many times the batch was reset: an entry of {@link #sources()} belongs to the use it was opened in.
     *
     * @return the count.
     */
    long use()
    {
        return use;
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

    /**
     * The append times of the events the encoder accepted, in the order they were added, for the append-to-commit
     * histogram ({@link BatchHistograms}); the first {@link #appendTimeCount()} are this batch's.
     *
     * @return the array, reused: valid until {@link #reset()}.
     */
    long[] appendTimesNs()
    {
        return appendTimesNs;
    }

    /**
     * How many of {@link #appendTimesNs()} are this batch's.
     *
     * @return the count.
     */
    int appendTimeCount()
    {
        return appendTimeCount;
    }

    /**
     * A source's first event of this batch is about to be added: its entry, whose range continues a checkpoint.
     *
     * @param poller     the source.
     * @param afterIndex the index its range continues: the source's last index in the batch before, or its
     *                   committed checkpoint; {@link SourcePoller#NO_INDEX} for the start of its queue.
     * @return the entry, to pass to {@link #add}.
     */
    BatchSource open(final SourcePoller poller, final long afterIndex)
    {
        final int spare = spareSources.size();
        final BatchSource source = spare > 0 ? spareSources.remove(spare - 1) : new BatchSource();
        source.open(poller, this, sources.size(), afterIndex);
        sources.add(source);
        return source;
    }

    /**
     * Add one excerpt: checked and encoded as a row of its history table, with its current-state candidate; or kept
     * as a dead letter with its bytes and the reason when it cannot be stored. A good excerpt allocates nothing.
     *
     * @param source       the entry of the excerpt's source, from {@link #open}.
     * @param index        the excerpt's queue index.
     * @param buffer       the excerpt's bytes, at offset 0.
     * @param length       of the excerpt.
     * @param appendTimeNs its append time, from its header; 0 if too short to hold one.
     * @param nowMs        the drain's monotonic time, for the batch's age.
     */
    void add(
        final BatchSource source,
        final long index,
        final DirectBuffer buffer,
        final int length,
        final long appendTimeNs,
        final long nowMs)
    {
        if (0 == events)
        {
            openedAtMs = nowMs;
        }
        events++;
        source.onEvent(index);

        encoding = source;
        String failure;
        try
        {
            failure = encoder.encode(source.sourceId(), index, buffer, 0, length);
        }
        catch (final RuntimeException ex)
        {
            // The encoder checks every bound before it reads; this is the last guard, so that one excerpt can never
            // stop the drain, whatever its bytes.
            encoder.abortRow();
            failure = "cannot be decoded: " + ex;
        }
        if (null != failure)
        {
            deadLetter(source.sourceId(), index, buffer, length, failure);
        }
        else
        {
            onAppendTime(appendTimeNs);
            candidates.onEvent(source.position(), index, appendTimeNs, buffer, 0);
        }
    }

    /**
     * The append time of an event the encoder accepted: its UTC month needs partitions. Only accepted events count,
     * and each distinct month is kept rather than the span from the oldest to the newest, so that one corrupted
     * time decades away costs a few partitions, not every month in between (which would exhaust PostgreSQL's lock
     * table and fail the batch at every attempt). Allocates only when the month differs from the previous event's,
     * and when the batch holds more events than it ever held before (the append times are kept for the histogram).
     *
     * @param appendTimeNs the event's append time, epoch nanoseconds.
     */
    private void onAppendTime(final long appendTimeNs)
    {
        if (appendTimeNs <= 0)
        {
            return;
        }
        if (appendTimeCount == appendTimesNs.length)
        {
            appendTimesNs = Arrays.copyOf(appendTimesNs, appendTimeCount * 2);
        }
        appendTimesNs[appendTimeCount++] = appendTimeNs;
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
        deadLetter(sourceId, index, bytes, reason);
    }

    void deadLetter(final String sourceId, final long index, final byte[] bytes, final String reason)
    {
        deadLetters.add(new DeadLetter(sourceId, index, bytes, reason));
        deadLetterBytes += bytes.length;
    }

    /**
     * What the batch holds in memory for its transaction: the encoded history rows and the dead letters' bytes.
     *
     * @return bytes.
     */
    long bytes()
    {
        return tables.bytes() + deadLetterBytes;
    }

    void reset()
    {
        tables.reset();
        candidates.reset();
        for (int i = sources.size() - 1; i >= 0; i--)
        {
            spareSources.add(sources.get(i));
        }
        sources.clear();
        encoding = null;
        use++;
        deadLetters.clear();
        deadLetterBytes = 0;
        events = 0;
        minAppendTimeNs = Long.MAX_VALUE;
        maxAppendTimeNs = Long.MIN_VALUE;
        appendTimeCount = 0;
        Arrays.fill(months, 0, monthCount, null);
        monthCount = 0;
        monthStartNs = Long.MAX_VALUE;
        monthEndNs = Long.MIN_VALUE;
    }

    private void onSourceStatus(
        final CharSequence sourceId, final boolean started, final DirectBuffer buffer, final int hostOffset,
        final int hostLength, final long pid, final int schemaVersion, final long startTimeNs,
        final long appendTimeNs)
    {
        encoding.status().update(buffer, hostOffset, hostLength, pid, schemaVersion, startTimeNs, appendTimeNs);
    }

    private static long epochNs(final YearMonth month)
    {
        final long epochSecond = month.atDay(1).atStartOfDay().toEpochSecond(ZoneOffset.UTC);
        return epochSecond > Long.MAX_VALUE / 1_000_000_000L ? Long.MAX_VALUE : epochSecond * 1_000_000_000L;
    }
}
