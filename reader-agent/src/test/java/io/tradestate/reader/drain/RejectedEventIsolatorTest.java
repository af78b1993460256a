package io.tradestate.reader.drain;

import io.tradestate.codecs.event.HistoryTable;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The search for rejected rows against a fake database that refuses given rows: it finds exactly them, writes every
 * other row exactly once and in queue order per source, and keeps within its cost bound.
 */
class RejectedEventIsolatorTest
{
    private final RejectedEventIsolator isolator = new RejectedEventIsolator();

    @Test
    void shouldFindOneRejectedRowAmongTenThousandWithinTheBisectionBound() throws SQLException
    {
        final Batch batch = new Batch(List.of("alpha"), 10_000);
        final FakeDatabase database = new FakeDatabase(batch, false, key("alpha", 6_203));

        final List<RejectedEventIsolator.Rejection> rejections = isolator.isolate(batch.rows(), database);

        assertRejected(batch, rejections, key("alpha", 6_203));
        database.assertEveryOtherRowWrittenOnceInOrder();
        assertTrue(isolator.attempts() <= 1 + 2 * 14, "attempts: " + isolator.attempts());
    }

    @Test
    void shouldGoStraightToTheRowACopyErrorNames() throws SQLException
    {
        final Batch batch = new Batch(List.of("alpha", "beta"), 10_000);
        final FakeDatabase database = new FakeDatabase(batch, true, key("beta", 1_234));

        final List<RejectedEventIsolator.Rejection> rejections = isolator.isolate(batch.rows(), database);

        assertRejected(batch, rejections, key("beta", 1_234));
        database.assertEveryOtherRowWrittenOnceInOrder();
        assertEquals(4, isolator.attempts(), "the batch, the rows before, the row alone, the rows after");
    }

    @Test
    void shouldFindTwoRejectedRowsOfOneBatch() throws SQLException
    {
        final Batch batch = new Batch(List.of("alpha", "beta", "gamma"), 3_000);
        final FakeDatabase database = new FakeDatabase(batch, false, key("alpha", 17), key("gamma", 2_999));

        final List<RejectedEventIsolator.Rejection> rejections = isolator.isolate(batch.rows(), database);

        assertRejected(batch, rejections, key("alpha", 17), key("gamma", 2_999));
        database.assertEveryOtherRowWrittenOnceInOrder();
        assertTrue(isolator.attempts() <= 1 + 2 * 2 * 14, "attempts: " + isolator.attempts());
    }

    @Test
    void shouldStayWithinTwiceTheRowsWhenEveryRowIsRejected() throws SQLException
    {
        final Batch batch = new Batch(List.of("alpha", "beta"), 500);
        final Set<String> all = new HashSet<>();
        for (int index = 0; index < 500; index++)
        {
            all.add(key("alpha", index));
            all.add(key("beta", index));
        }
        final FakeDatabase database = new FakeDatabase(batch, false, all.toArray(new String[0]));

        final List<RejectedEventIsolator.Rejection> rejections = isolator.isolate(batch.rows(), database);

        assertEquals(1_000, rejections.size());
        assertTrue(isolator.attempts() <= 2 * 1_000 - 1, "attempts: " + isolator.attempts());
    }

    @Test
    void shouldWriteTheWholeBatchWhenNothingIsRejectedAnyMore() throws SQLException
    {
        final Batch batch = new Batch(List.of("alpha"), 100);
        final FakeDatabase database = new FakeDatabase(batch, false);

        assertTrue(isolator.isolate(batch.rows(), database).isEmpty());
        database.assertEveryOtherRowWrittenOnceInOrder();
        assertEquals(1, isolator.attempts());
    }

    @Test
    void shouldPassOnAFailureThatIsNotARejectedRow()
    {
        final Batch batch = new Batch(List.of("alpha"), 100);
        final SQLException connectionLost = error("08006", "connection lost", null, null, null);

        final SQLException thrown = assertThrows(SQLException.class, () -> isolator.isolate(batch.rows(),
            (rows, from, to) ->
            {
                throw to - from < 100 ? connectionLost : error("23514", "check", "c", "fills", null);
            }));

        assertSame(connectionLost, thrown);
    }

    @Test
    void shouldTreatDataExceptionsAndConstraintViolationsAsRejectedRows()
    {
        assertTrue(RejectedEventIsolator.isRowRejection(error("23514", "check", "no_bad_fill", "fills_y2026m05",
            null)));
        assertTrue(RejectedEventIsolator.isRowRejection(error("22003", "numeric field overflow", null, null, null)));
        assertTrue(RejectedEventIsolator.isRowRejection(error("23502", "null value", null, "orders", null)));
        assertTrue(RejectedEventIsolator.isRowRejection(error("23505", "duplicate key", "fills_fill_id_key",
            "fills_y2026m05", null)), "an operator's unique index rejects a row");
        final BatchUpdateException batchFailure = new BatchUpdateException("batch entry 0 failed", "23514", null);
        batchFailure.setNextException(error("23514", "check", "c", "dead_letters", null));
        assertTrue(RejectedEventIsolator.isRowRejection(batchFailure));
    }

    @Test
    void shouldNotTreatTheHistoryKeyOrDatabaseFailuresAsRejectedRows()
    {
        assertFalse(RejectedEventIsolator.isRowRejection(error("23505", "duplicate key", "fills_y2026m05_pkey",
            "fills_y2026m05", null)), "the duplicate guard of (source_id, queue_index)");
        assertFalse(RejectedEventIsolator.isRowRejection(error("23505", "duplicate key",
            "order_events_default_pkey", "order_events_default", null)));
        assertFalse(RejectedEventIsolator.isRowRejection(error("08006", "connection lost", null, null, null)));
        assertFalse(RejectedEventIsolator.isRowRejection(error("40001", "serialization", null, null, null)));
        assertFalse(RejectedEventIsolator.isRowRejection(error("53100", "disk full", null, null, null)));
        assertFalse(RejectedEventIsolator.isRowRejection(new SQLException("client side", "22023")),
            "only what the server reports");
    }

    @Test
    void shouldGiveTheMessageSqlStateConstraintAndDetailAsTheReason()
    {
        final String reason = RejectedEventIsolator.reason(error("23514",
            "new row for relation \"fills_y2026m05\" violates check constraint \"no_bad_fill\"", "no_bad_fill",
            "fills_y2026m05", null, "Failing row contains (alpha, 3)."));

        assertEquals("rejected by PostgreSQL: new row for relation \"fills_y2026m05\" violates check constraint " +
            "\"no_bad_fill\" (SQLState 23514, constraint no_bad_fill); Failing row contains (alpha, 3).", reason);
    }

    private static String key(final String sourceId, final long index)
    {
        return sourceId + "/" + index;
    }

    private static void assertRejected(
        final Batch batch, final List<RejectedEventIsolator.Rejection> rejections, final String... expected)
    {
        final List<String> rejected = new ArrayList<>();
        for (final RejectedEventIsolator.Rejection rejection : rejections)
        {
            rejected.add(key(batch.rows().sourceId(rejection.row()), batch.rows().queueIndex(rejection.row())));
            assertTrue(rejection.reason().contains("SQLState 23514"), rejection.reason());
        }
        assertEquals(List.of(expected), rejected);
    }

    private static PSQLException error(
        final String sqlState, final String message, final String constraint, final String table, final String where)
    {
        return error(sqlState, message, constraint, table, where, null);
    }

    private static PSQLException error(
        final String sqlState,
        final String message,
        final String constraint,
        final String table,
        final String where,
        final String detail)
    {
        final StringBuilder fields = new StringBuilder()
            .append("SERROR\0C").append(sqlState).append("\0M").append(message).append('\0');
        if (null != detail)
        {
            fields.append('D').append(detail).append('\0');
        }
        if (null != constraint)
        {
            fields.append('n').append(constraint).append('\0');
        }
        if (null != table)
        {
            fields.append('t').append(table).append('\0');
        }
        if (null != where)
        {
            fields.append('W').append(where).append('\0');
        }
        return new PSQLException(new ServerErrorMessage(fields.toString()));
    }

    /**
     * A batch of {@code events} events per source, interleaved as sources are polled, spread over the five tables.
     */
    private static final class Batch
    {
        private final BatchRowIndex rows;

        Batch(final List<String> sourceIds, final int events)
        {
            final HistoryTables tables = new HistoryTables();
            for (int index = 0; index < events; index++)
            {
                for (final String sourceId : sourceIds)
                {
                    final int table = index % HistoryTables.TABLE_COUNT;
                    final CopyBinaryEncoder encoder = tables.encoder(table);
                    encoder.text(sourceId).bigint(index).text("payload\twith a tab");
                    for (int column = 3; column < HistoryTable.values()[table].columnCount(); column++)
                    {
                        encoder.nullValue();
                    }
                    encoder.endRow();
                }
            }
            rows = new BatchRowIndex(tables, sourceIds);
        }

        BatchRowIndex rows()
        {
            return rows;
        }
    }

    /**
     * Refuses every slice holding a bad row; with {@code namesCopyLine} it names the first bad row's line as
     * PostgreSQL does for COPY, else it says nothing about where.
     */
    private static final class FakeDatabase implements RejectedEventIsolator.SliceWriter
    {
        private final Batch batch;
        private final boolean namesCopyLine;
        private final Set<String> bad;
        private final Map<String, Integer> written = new HashMap<>();
        private final Map<Integer, Long> lastWrittenIndex = new HashMap<>();

        FakeDatabase(final Batch batch, final boolean namesCopyLine, final String... bad)
        {
            this.batch = batch;
            this.namesCopyLine = namesCopyLine;
            this.bad = Set.of(bad);
        }

        public void write(final BatchRowIndex rows, final int from, final int to) throws SQLException
        {
            final int[] lines = new int[HistoryTables.TABLE_COUNT];
            for (int row = from; row < to; row++)
            {
                lines[rows.table(row)]++;
                if (bad.contains(key(rows.sourceId(row), rows.queueIndex(row))))
                {
                    final String table = HistoryTables.tableName(rows.table(row));
                    throw error("23514", "check violated", "c", table,
                        namesCopyLine ? "COPY " + table + ", line " + lines[rows.table(row)] + ": \"...\"" : null);
                }
            }
            for (int row = from; row < to; row++)
            {
                written.merge(key(rows.sourceId(row), rows.queueIndex(row)), 1, Integer::sum);
                final Long previous = lastWrittenIndex.put(rows.source(row), rows.queueIndex(row));
                assertTrue(null == previous || previous < rows.queueIndex(row), "queue order of each source");
            }
        }

        void assertEveryOtherRowWrittenOnceInOrder()
        {
            final BatchRowIndex rows = batch.rows();
            for (int row = 0; row < rows.count(); row++)
            {
                final String key = key(rows.sourceId(row), rows.queueIndex(row));
                assertEquals(bad.contains(key) ? null : Integer.valueOf(1), written.get(key), key);
            }
        }
    }
}
