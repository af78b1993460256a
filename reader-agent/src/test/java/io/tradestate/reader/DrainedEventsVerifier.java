package io.tradestate.reader;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Checks a drained database against what the writers appended, as recomputed by {@link MixedEvents} from each
 * event's stream and sequence: the drain's promises, table by table.
 * <ul>
 *     <li>Every history row belongs to an appended event (its queue index is one a writer's {@code commit()}
 *     returned), is in the table of that event's type, appears once, and equals the event field for field; every
 *     appended event has its row. Counts per source and type are reported and compared.</li>
 *     <li>{@code append_time} is {@code append_time_ns} truncated to microseconds, within the run's time window.</li>
 *     <li>{@code orders}, {@code trades} and {@code balances} hold one row per key, the key's latest event field for
 *     field; {@code pair_locks} holds every lock, active exactly when no later unlock of its source matched it.</li>
 *     <li>Each source's checkpoint is its queue's last index, and its event count is the queue's excerpt count:
 *     every excerpt, heartbeats included, was committed once.</li>
 *     <li>{@code dead_letters} and the default partitions are empty.</li>
 * </ul>
 * Problems are collected and reported together, the first few of each kind, so one run shows the whole picture.
 */
public final class DrainedEventsVerifier
{
    private static final int FETCH_SIZE = 10_000;
    private static final int MAX_REPORTED = 10;

    private final DataSource dataSource;
    private final Map<String, Source> sources = new LinkedHashMap<>();
    private final List<String> problems = new ArrayList<>();
    private final Map<String, Integer> problemsOfKind = new HashMap<>();
    private long rowsCompared;

    /**
     * One writer's source, as it appended it.
     */
    public static final class Source
    {
        final String sourceId;
        final int stream;
        final long[] indexes;
        final QueueSummary queue;
        final long pid;
        final BitSet stored = new BitSet();
        final Map<MixedEvents.Type, Long> storedByType = new EnumMap<>(MixedEvents.Type.class);

        /**
         * A source.
         *
         * @param sourceId the queue folder's name.
         * @param stream   the {@link MixedEvents} stream its writer used.
         * @param indexes  the queue index of each sequence, as {@code commit()} returned it.
         * @param queue    the queue as the writer left it.
         * @param pid      the writer's process id, or 0 not to check {@code sources.pid}.
         */
        public Source(final String sourceId, final int stream, final long[] indexes, final QueueSummary queue,
            final long pid)
        {
            this.sourceId = sourceId;
            this.stream = stream;
            this.indexes = indexes;
            this.queue = queue;
            this.pid = pid;
        }

        long sequenceOf(final long queueIndex)
        {
            final int sequence = Arrays.binarySearch(indexes, queueIndex);
            return sequence < 0 ? -1 : sequence;
        }
    }

    /**
     * A verifier of one database.
     *
     * @param dataSource of the drained database.
     * @param sources    every source appended.
     */
    public DrainedEventsVerifier(final DataSource dataSource, final List<Source> sources)
    {
        this.dataSource = dataSource;
        for (final Source source : sources)
        {
            for (int i = 1; i < source.indexes.length; i++)
            {
                if (source.indexes[i] <= source.indexes[i - 1])
                {
                    throw new IllegalArgumentException(source.sourceId + ": commit indexes not increasing at " + i);
                }
            }
            this.sources.put(source.sourceId, source);
        }
    }

    /**
     * Run every check; once per verifier, which keeps what it found in the sources.
     *
     * @param appendFromNs earliest append time possible, epoch nanoseconds.
     * @param appendToNs   latest append time possible, epoch nanoseconds.
     * @return the problems found, empty if none; the first {@value #MAX_REPORTED} of each kind.
     * @throws SQLException if the database cannot be read.
     */
    public List<String> verify(final long appendFromNs, final long appendToNs) throws SQLException
    {
        try (Connection connection = dataSource.getConnection())
        {
            connection.setAutoCommit(false);
            connection.setReadOnly(true);
            for (final String table : MixedEvents.HISTORY_TABLES)
            {
                verifyHistory(connection, table);
                verifyAppendTimes(connection, table, appendFromNs, appendToNs);
                expectZero(connection, "SELECT count(*) - count(DISTINCT (source_id, queue_index)) FROM " + table,
                    table + ": rows sharing a (source_id, queue_index)");
                expectZero(connection, "SELECT count(*) FROM " + table + "_default",
                    table + ": rows in the default partition");
            }
            verifyEveryEventStored();
            final Map<String, Long> latest = latestSequencePerKey();
            verifyState(connection, "orders", "orders|", MixedEvents.ORDER_COLUMNS, MixedEvents.Type.ORDER_UPDATE,
                latest);
            verifyState(connection, "trades", "trades|", MixedEvents.TRADE_COLUMNS, MixedEvents.Type.TRADE_UPDATE,
                latest);
            verifyState(connection, "balances", "balances|", MixedEvents.BALANCE_COLUMNS,
                MixedEvents.Type.BALANCE_UPDATE, latest);
            verifyPairLocks(connection);
            verifyCheckpointsAndSources(connection);
            expectZero(connection, "SELECT count(*) FROM dead_letters", "dead letters");
            connection.commit();
        }
        return problems;
    }

    /**
     * Rows compared field for field by the last {@link #verify(long, long)}.
     *
     * @return the count.
     */
    long rowsCompared()
    {
        return rowsCompared;
    }

    /**
     * Rows stored per source and event type, for the test's report.
     *
     * @return one line per source.
     */
    String storedCounts()
    {
        final StringBuilder builder = new StringBuilder();
        for (final Source source : sources.values())
        {
            builder.append(source.sourceId).append(": ").append(source.storedByType).append('\n');
        }
        return builder.toString();
    }

    private void verifyHistory(final Connection connection, final String table) throws SQLException
    {
        final String[] columns = MixedEvents.historyColumns(table);
        final String sql = "SELECT source_id, queue_index, " + String.join(", ", columns) + " FROM " + table +
            " ORDER BY source_id, queue_index";
        try (Statement statement = connection.createStatement())
        {
            statement.setFetchSize(FETCH_SIZE);
            try (ResultSet rows = statement.executeQuery(sql))
            {
                while (rows.next())
                {
                    final String sourceId = rows.getString(1);
                    final long queueIndex = rows.getLong(2);
                    final Source source = sources.get(sourceId);
                    if (null == source)
                    {
                        problem("unknown source", table + ": row of unknown source " + sourceId);
                        continue;
                    }
                    final long sequence = source.sequenceOf(queueIndex);
                    if (sequence < 0)
                    {
                        problem("unknown index", table + ": row at " + where(source, queueIndex) +
                            ", where no event was committed");
                        continue;
                    }
                    final MixedEvents.Type type = MixedEvents.type(sequence);
                    if (!type.table.equals(table))
                    {
                        problem("wrong table", table + ": row at " + where(source, queueIndex) + " is sequence " +
                            sequence + ", a " + type);
                        continue;
                    }
                    if (source.stored.get((int)sequence))
                    {
                        problem("duplicate", table + ": sequence " + sequence + " at " + where(source, queueIndex) +
                            " stored twice");
                        continue;
                    }
                    source.stored.set((int)sequence);
                    source.storedByType.merge(type, 1L, Long::sum);
                    compare(table, source, sequence, queueIndex, columns, MixedEvents.expected(source.stream,
                        sequence), rows);
                }
            }
        }
    }

    private void verifyEveryEventStored()
    {
        for (final Source source : sources.values())
        {
            final int events = source.indexes.length;
            final int missing = events - source.stored.cardinality();
            if (missing > 0)
            {
                final int first = source.stored.nextClearBit(0);
                problem("missing", source.sourceId + ": " + missing + " of " + events + " events not stored, the " +
                    "first is sequence " + first + " (" + MixedEvents.type(first) + ") at " +
                    where(source, source.indexes[first]));
            }

            final Map<MixedEvents.Type, Long> appendedByType = new EnumMap<>(MixedEvents.Type.class);
            for (long sequence = 0; sequence < events; sequence++)
            {
                appendedByType.merge(MixedEvents.type(sequence), 1L, Long::sum);
            }
            if (!appendedByType.equals(source.storedByType))
            {
                problem("counts", source.sourceId + ": stored per type " + source.storedByType + ", appended " +
                    appendedByType);
            }
        }
    }

    private void verifyAppendTimes(
        final Connection connection, final String table, final long appendFromNs, final long appendToNs)
        throws SQLException
    {
        try (PreparedStatement statement = connection.prepareStatement("SELECT count(*) FROM " + table +
            " WHERE (extract(epoch FROM append_time) * 1000000)::bigint <> append_time_ns / 1000 OR " +
            "append_time_ns NOT BETWEEN ? AND ?"))
        {
            statement.setLong(1, appendFromNs);
            statement.setLong(2, appendToNs);
            try (ResultSet rows = statement.executeQuery())
            {
                rows.next();
                if (0 != rows.getLong(1))
                {
                    problem("append time", table + ": " + rows.getLong(1) + " rows whose append_time is not " +
                        "append_time_ns or is outside the run");
                }
            }
        }
    }

    /**
     * The event each current-state key must hold: keys never cross streams, so for a trade or a balance it is the
     * one its writer appended last; for an order, the one that supersedes all others by schema V3's rule (status
     * rank first, then the exchange's time), {@link MixedEvents#orderUpdateSupersedes}.
     */
    private Map<String, Long> latestSequencePerKey()
    {
        final Map<String, Long> latest = new HashMap<>();
        for (final Source source : sources.values())
        {
            for (long sequence = 0; sequence < source.indexes.length; sequence++)
            {
                final String key = MixedEvents.stateKey(source.stream, sequence);
                if (null != key)
                {
                    final Long current = latest.get(key);
                    if (null == current || !key.startsWith("orders|") ||
                        MixedEvents.orderUpdateSupersedes(sequence, current & 0xFFFF_FFFFL))
                    {
                        latest.put(key, (long)source.stream << 32 | sequence);
                    }
                }
            }
        }
        return latest;
    }

    private void verifyState(
        final Connection connection,
        final String table,
        final String keyPrefix,
        final String[] columns,
        final MixedEvents.Type type,
        final Map<String, Long> latest) throws SQLException
    {
        final long expectedRows = latest.keySet().stream().filter((key) -> key.startsWith(keyPrefix)).count();
        long rowCount = 0;
        final String sql = "SELECT source_id, queue_index, " + String.join(", ", columns) + " FROM " + table;
        try (Statement statement = connection.createStatement())
        {
            statement.setFetchSize(FETCH_SIZE);
            try (ResultSet rows = statement.executeQuery(sql))
            {
                while (rows.next())
                {
                    rowCount++;
                    final Source source = sources.get(rows.getString(1));
                    final long queueIndex = rows.getLong(2);
                    final long sequence = null == source ? -1 : source.sequenceOf(queueIndex);
                    if (sequence < 0 || MixedEvents.type(sequence) != type)
                    {
                        problem(table, table + ": row from " + rows.getString(1) + " index 0x" +
                            Long.toHexString(queueIndex) + " is no " + type);
                        continue;
                    }
                    final String key = MixedEvents.stateKey(source.stream, sequence);
                    final long latestOfKey = latest.get(key);
                    if (latestOfKey != ((long)source.stream << 32 | sequence))
                    {
                        problem(table, table + ": " + key + " holds sequence " + sequence + ", its latest is " +
                            (latestOfKey & 0xFFFF_FFFFL));
                        continue;
                    }
                    compare(table, source, sequence, queueIndex, columns, MixedEvents.expected(source.stream,
                        sequence), rows);
                }
            }
        }
        if (rowCount != expectedRows)
        {
            problem(table, table + ": " + rowCount + " rows, expected one per key: " + expectedRows);
        }
    }

    private void verifyPairLocks(final Connection connection) throws SQLException
    {
        final Map<String, String[]> expected = new HashMap<>();
        for (final Source source : sources.values())
        {
            final List<Long> active = new ArrayList<>();
            final BitSet unlocked = new BitSet();
            for (long sequence = 0; sequence < source.indexes.length; sequence++)
            {
                final MixedEvents.Type type = MixedEvents.type(sequence);
                if (MixedEvents.Type.PAIR_LOCK == type)
                {
                    active.add(sequence);
                }
                else if (MixedEvents.Type.PAIR_UNLOCK == type)
                {
                    final long unlock = sequence;
                    active.removeIf((lock) ->
                    {
                        final boolean ends = MixedEvents.unlocks(unlock, lock);
                        unlocked.set((int)(long)lock, ends);
                        return ends;
                    });
                }
            }
            for (long sequence = 0; sequence < source.indexes.length; sequence++)
            {
                if (MixedEvents.Type.PAIR_LOCK == MixedEvents.type(sequence))
                {
                    expected.put(source.sourceId + "|" + source.indexes[(int)sequence],
                        MixedEvents.expectedPairLock(sequence, !unlocked.get((int)sequence)));
                }
            }
        }

        long rowCount = 0;
        final String sql = "SELECT source_id, queue_index, " + String.join(", ", MixedEvents.PAIR_LOCK_COLUMNS) +
            " FROM pair_locks";
        try (Statement statement = connection.createStatement())
        {
            statement.setFetchSize(FETCH_SIZE);
            try (ResultSet rows = statement.executeQuery(sql))
            {
                while (rows.next())
                {
                    rowCount++;
                    final Source source = sources.get(rows.getString(1));
                    final long queueIndex = rows.getLong(2);
                    final String[] values = expected.get(rows.getString(1) + "|" + queueIndex);
                    if (null == source || null == values)
                    {
                        problem("pair_locks", "pair_locks: row from " + rows.getString(1) + " index 0x" +
                            Long.toHexString(queueIndex) + " is no PairLock");
                        continue;
                    }
                    compare("pair_locks", source, source.sequenceOf(queueIndex), queueIndex,
                        MixedEvents.PAIR_LOCK_COLUMNS, values, rows);
                }
            }
        }
        if (rowCount != expected.size())
        {
            problem("pair_locks", "pair_locks: " + rowCount + " rows, expected one per lock: " + expected.size());
        }
    }

    private void verifyCheckpointsAndSources(final Connection connection) throws SQLException
    {
        final Map<String, long[]> checkpoints = new HashMap<>();
        try (Statement statement = connection.createStatement();
            ResultSet rows = statement.executeQuery("SELECT c.source_id, c.last_index, c.events, " +
                "coalesce(s.pid, -1) FROM source_checkpoints c LEFT JOIN sources s USING (source_id)"))
        {
            while (rows.next())
            {
                checkpoints.put(rows.getString(1), new long[] { rows.getLong(2), rows.getLong(3), rows.getLong(4) });
            }
        }
        if (!checkpoints.keySet().equals(sources.keySet()))
        {
            problem("checkpoint", "checkpoints of " + checkpoints.keySet() + ", sources appended " +
                sources.keySet());
        }
        for (final Source source : sources.values())
        {
            final long[] checkpoint = checkpoints.get(source.sourceId);
            if (null == checkpoint)
            {
                continue;
            }
            if (checkpoint[0] != source.queue.lastIndex || checkpoint[1] != source.queue.excerpts)
            {
                problem("checkpoint", source.sourceId + ": checkpoint at 0x" + Long.toHexString(checkpoint[0]) +
                    " after " + checkpoint[1] + " events, the queue holds " + source.queue);
            }
            if (0 != source.pid && checkpoint[2] != source.pid)
            {
                problem("sources", source.sourceId + ": sources.pid " + checkpoint[2] + ", the writer was pid " +
                    source.pid);
            }
        }
    }

    private void compare(
        final String table,
        final Source source,
        final long sequence,
        final long queueIndex,
        final String[] columns,
        final String[] expected,
        final ResultSet rows) throws SQLException
    {
        rowsCompared++;
        for (int i = 0; i < columns.length; i++)
        {
            final String actual = rows.getString(3 + i);
            if (!Objects.equals(expected[i], actual))
            {
                problem(table + " fields", table + ": sequence " + sequence + " at " + where(source, queueIndex) +
                    ", " + columns[i] + " is " + quote(actual) + ", expected " + quote(expected[i]));
            }
        }
    }

    private void expectZero(final Connection connection, final String sql, final String what) throws SQLException
    {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql))
        {
            rows.next();
            if (0 != rows.getLong(1))
            {
                problem(what, what + ": " + rows.getLong(1));
            }
        }
    }

    private void problem(final String kind, final String description)
    {
        final int count = problemsOfKind.merge(kind, 1, Integer::sum);
        if (count <= MAX_REPORTED)
        {
            problems.add(description);
        }
        else if (count == MAX_REPORTED + 1)
        {
            problems.add("(more problems of kind '" + kind + "' not shown)");
        }
    }

    private static String where(final Source source, final long queueIndex)
    {
        return source.sourceId + " index 0x" + Long.toHexString(queueIndex);
    }

    private static String quote(final String value)
    {
        return null == value ? "NULL" : "'" + value.replace("\n", "\\n").replace("\t", "\\t") + "'";
    }
}
