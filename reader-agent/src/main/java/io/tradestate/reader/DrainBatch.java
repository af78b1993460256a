package io.tradestate.reader;

import org.agrona.DirectBuffer;

import java.util.ArrayList;
import java.util.List;

/**
 * The events read since the last commit, waiting for one database transaction: their rows per history table, the
 * sources they came from with each one's index range, and the dead letters among them.
 */
final class DrainBatch
{
    private final HistoryTables tables = new HistoryTables();
    private final List<SourcePoller> sources = new ArrayList<>();
    private final List<DeadLetter> deadLetters = new ArrayList<>();
    private int events;
    private long openedAtMs;
    private long minAppendTimeNs = Long.MAX_VALUE;
    private long maxAppendTimeNs = Long.MIN_VALUE;

    HistoryTables tables()
    {
        return tables;
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

    void onEvent(final SourcePoller source, final long appendTimeNs, final long nowMs)
    {
        if (0 == events)
        {
            openedAtMs = nowMs;
        }
        if (0 == source.batchEvents())
        {
            sources.add(source);
        }
        events++;
        if (appendTimeNs > 0)
        {
            minAppendTimeNs = Math.min(minAppendTimeNs, appendTimeNs);
            maxAppendTimeNs = Math.max(maxAppendTimeNs, appendTimeNs);
        }
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
        sources.clear();
        deadLetters.clear();
        events = 0;
        minAppendTimeNs = Long.MAX_VALUE;
        maxAppendTimeNs = Long.MIN_VALUE;
    }
}
