package io.tradestate.tools;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.UnsafeBuffer;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;

/**
 * Compares one source's journal with its rows in PostgreSQL: every history table and {@code dead_letters}, against
 * the entries of the journal up to the source's checkpoint.
 * <p>
 * Design: a merge of sorted streams, so a source of any size takes constant memory. The journal is read in queue
 * order with a read-only tailer; each history table and {@code dead_letters} is read in queue order through a
 * {@link RowCursor}; each entry is decoded once by the dump's {@link JournalEventDecoder}, whose checks are the
 * agent's, so an entry it refuses is one the agent dead-letters, and a good event's expected row comes from
 * {@link HistoryRowText}. At each entry every cursor first gives up the rows before it (rows at an index the
 * journal does not hold), then the rows at it are matched: the event's row in the event's table is compared column
 * by column, any other row there is unexpected. Entries after the checkpoint are not drained yet and expect nothing.
 * The caller runs this in one repeatable-read transaction, so the checkpoint and the rows are one snapshot even
 * while the agent drains.
 * <p>
 * Two rules are the agent's, not the decoder's: {@code SourceStarted} and {@code Heartbeat} have no row; and an
 * event the decoder accepts but PostgreSQL refused (an operator's CHECK) is a dead letter whose reason
 * starts with {@value #REJECTED_PREFIX}: it is counted and noted, not a difference.
 */
final class SourceVerifier
{
    static final String REJECTED_PREFIX = "rejected by PostgreSQL";

    private static final DateTimeFormatter MICROS =
        DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
    private static final String DEAD_LETTERS_SQL =
        "SELECT queue_index, raw_bytes, reason FROM dead_letters WHERE source_id = ? ORDER BY queue_index";
    private static final String CHECKPOINT_SQL =
        "SELECT last_index, events FROM source_checkpoints WHERE source_id = ?";

    private final UnsafeBuffer buffer = new UnsafeBuffer(0, 0);
    private final JournalEventDecoder decoder = new JournalEventDecoder(new JsonEventWriter());
    private final HistoryRowText rowText = new HistoryRowText();
    private final HistoryTableQuery[] tables = HistoryTableQuery.values();
    private final RowCursor[] cursors = new RowCursor[tables.length];
    private RowCursor deadLetters;
    private SourceReport report;

    /**
     * Compare one source.
     *
     * @param tailer     of the source's queue, at its start.
     * @param connection inside a read-only, repeatable-read transaction.
     * @param report     receives the counts and differences; its source id names the source.
     * @throws SQLException if the database cannot be read.
     */
    void verify(final ExcerptTailer tailer, final Connection connection, final SourceReport report)
        throws SQLException
    {
        this.report = report;
        readCheckpoint(connection, report);
        try
        {
            for (int t = 0; t < tables.length; t++)
            {
                cursors[t] = new RowCursor(connection, tables[t].selectSql(), report.sourceId);
            }
            deadLetters = new RowCursor(connection, DEAD_LETTERS_SQL, report.sourceId);

            boolean checkpointFound = report.checkpointIndex < 0;
            final RollCycle rollCycle = tailer.queue().rollCycle();
            long lastIndex = -1;
            while (true)
            {
                try (DocumentContext context = tailer.readingDocument())
                {
                    if (!context.isPresent())
                    {
                        break;
                    }
                    final Bytes<?> bytes = context.wire().bytes();
                    final int length = (int)bytes.readRemaining();
                    buffer.wrap(bytes.addressForRead(bytes.readPosition()), length);
                    lastIndex = context.index();
                    if (0 == report.entries)
                    {
                        skipDeletedCycles(rollCycle.toCycle(lastIndex), rollCycle);
                    }
                    checkpointFound |= lastIndex == report.checkpointIndex;
                    onEntry(lastIndex, length);
                }
            }

            for (int t = 0; t < tables.length; t++)
            {
                while (Long.MAX_VALUE != cursors[t].index())
                {
                    unexpectedRow(t, "after the journal's last entry" +
                        (lastIndex < 0 ? "" : " 0x" + Long.toHexString(lastIndex)));
                }
            }
            while (Long.MAX_VALUE != deadLetters.index())
            {
                unexpectedDeadLetter("after the journal's last entry");
            }

            if (!checkpointFound)
            {
                report.difference(SourceReport.Kind.CHECKPOINT, "the checkpoint 0x" +
                    Long.toHexString(report.checkpointIndex) + " is no entry of the journal (last 0x" +
                    Long.toHexString(lastIndex) + ")");
            }
            else if (report.checkpointIndex >= 0 && report.deletedCycleEntries() > 0)
            {
                final long drainedBefore = report.checkpointEvents - report.entriesUpToCheckpoint;
                if (drainedBefore < report.rowsBeforeJournal + report.deadLettersBeforeJournal)
                {
                    report.difference(SourceReport.Kind.CHECKPOINT, "the checkpoint counts " +
                        report.checkpointEvents + " entries drained, fewer than the journal holds up to it (" +
                        report.entriesUpToCheckpoint + ") and the rows of its deleted cycles (" +
                        (report.rowsBeforeJournal + report.deadLettersBeforeJournal) + ")");
                }
            }
            else if (report.checkpointIndex >= 0 && report.checkpointEvents != report.entriesUpToCheckpoint)
            {
                report.difference(SourceReport.Kind.CHECKPOINT, "the checkpoint counts " + report.checkpointEvents +
                    " entries drained, the journal holds " + report.entriesUpToCheckpoint + " up to it");
            }
        }
        finally
        {
            closeCursors();
        }
    }

    /**
     * Rows and dead letters of cycles before the journal's first one left: retention deleted those cycle files
     * once they were drained, so there is nothing to compare them with. They are counted, not differences. Rows of
     * the first cycle left that precede its first entry stay unexpected: retention deletes whole cycle files only.
     */
    private void skipDeletedCycles(final int firstCycle, final RollCycle rollCycle) throws SQLException
    {
        for (int t = 0; t < tables.length; t++)
        {
            final RowCursor cursor = cursors[t];
            while (Long.MAX_VALUE != cursor.index() && rollCycle.toCycle(cursor.index()) < firstCycle)
            {
                report.rowsBeforeJournal++;
                cursor.advance();
            }
        }
        while (Long.MAX_VALUE != deadLetters.index() && rollCycle.toCycle(deadLetters.index()) < firstCycle)
        {
            report.deadLettersBeforeJournal++;
            deadLetters.advance();
        }
    }

    private void onEntry(final long index, final int length) throws SQLException
    {
        final SourceReport report = this.report;
        report.entries++;
        final boolean drained = index <= report.checkpointIndex;
        if (drained)
        {
            report.entriesUpToCheckpoint++;
        }

        for (int t = 0; t < tables.length; t++)
        {
            while (cursors[t].index() < index)
            {
                unexpectedRow(t, "no journal entry has this index");
            }
        }
        while (deadLetters.index() < index)
        {
            unexpectedDeadLetter("no journal entry has this index");
        }

        String failure;
        try
        {
            failure = decoder.decode(index, buffer, 0, length);
        }
        catch (final RuntimeException ex)
        {
            decoder.abort();
            failure = "cannot be decoded: " + ex;
        }

        HistoryTableQuery table = null;
        final boolean deadLetterExpected;
        if (null == failure)
        {
            table = rowText.encode(buffer, 0, length);
            if (null == table)
            {
                report.statusEntries++;
            }
            else
            {
                report.events++;
            }
            deadLetterExpected = false;
        }
        else
        {
            deadLetterExpected = true;
            report.undecodable++;
        }

        final String what = decoder.messageName() + " 0x" + Long.toHexString(index);
        boolean stored = false;
        for (int t = 0; t < tables.length; t++)
        {
            final RowCursor cursor = cursors[t];
            while (cursor.index() == index)
            {
                if (tables[t] != table)
                {
                    unexpectedRow(t, "the journal has the " + what + " there" +
                        (drained ? "" : ", after the checkpoint"));
                }
                else if (stored)
                {
                    unexpectedRow(t, "a second row of the " + what);
                }
                else if (!drained)
                {
                    unexpectedRow(t, "the " + what + " is after the checkpoint");
                }
                else
                {
                    stored = true;
                    report.rows++;
                    compare(table, cursor, what);
                    cursor.advance();
                }
            }
        }

        final boolean deadLetterPresent = deadLetters.index() == index;
        if (!drained)
        {
            report.notDrained++;
            if (deadLetterPresent)
            {
                unexpectedDeadLetter("the " + what + " is after the checkpoint");
            }
        }
        else if (deadLetterExpected)
        {
            if (!deadLetterPresent)
            {
                report.difference(SourceReport.Kind.DEAD_LETTER_MISSING, "undecodable entry 0x" +
                    Long.toHexString(index) + " (" + failure + ") has no dead letter");
            }
            else
            {
                report.deadLetters++;
                if (sameBytes(deadLetters.bytes(0), length))
                {
                    report.deadLettersExpected++;
                }
                else
                {
                    report.difference(SourceReport.Kind.DEAD_LETTER_MISSING, "the dead letter of undecodable " +
                        "entry 0x" + Long.toHexString(index) + " holds other bytes than the journal");
                }
                deadLetters.advance();
            }
        }
        else if (deadLetterPresent)
        {
            final String reason = deadLetters.text(1);
            if (null != table && !stored && null != reason && reason.startsWith(REJECTED_PREFIX) &&
                sameBytes(deadLetters.bytes(0), length))
            {
                report.deadLetters++;
                report.rejected++;
                report.note("the " + what + " was " + reason);
                deadLetters.advance();
            }
            else
            {
                unexpectedDeadLetter("the " + what + (null == table ? "" : stored ? " is stored" : " is not stored") +
                    " and decodes: " + reason);
            }
        }
        else if (null != table && !stored)
        {
            report.difference(SourceReport.Kind.MISSING, table.tableName() + ": no row for the " + what +
                ", and no dead letter");
        }
    }

    private void compare(final HistoryTableQuery table, final RowCursor cursor, final String what) throws SQLException
    {
        final String[] expected = rowText.values();
        StringBuilder differences = null;
        for (int c = 0, count = table.columnCount(); c < count; c++)
        {
            final String actual = cursor.text(c);
            if (!Objects.equals(expected[c], actual))
            {
                if (null == differences)
                {
                    differences = new StringBuilder();
                }
                else
                {
                    differences.append("; ");
                }
                differences.append(table.columnName(c)).append(" is ").append(display(table, c, actual))
                    .append(", the journal has ").append(display(table, c, expected[c]));
            }
        }
        if (null == differences)
        {
            report.rowsEqual++;
        }
        else
        {
            report.difference(SourceReport.Kind.DIFFERING, table.tableName() + " row of the " + what + ": " +
                differences);
        }
    }

    private void unexpectedRow(final int table, final String why) throws SQLException
    {
        final RowCursor cursor = cursors[table];
        report.rows++;
        report.difference(SourceReport.Kind.UNEXPECTED_ROW, tables[table].tableName() + " row at 0x" +
            Long.toHexString(cursor.index()) + ": " + why);
        cursor.advance();
    }

    private void unexpectedDeadLetter(final String why) throws SQLException
    {
        report.deadLetters++;
        report.difference(SourceReport.Kind.UNEXPECTED_DEAD_LETTER, "at 0x" + Long.toHexString(deadLetters.index()) +
            ": " + why);
        deadLetters.advance();
    }

    private boolean sameBytes(final byte[] stored, final int length)
    {
        if (null == stored || stored.length != length)
        {
            return false;
        }
        for (int i = 0; i < length; i++)
        {
            if (stored[i] != buffer.getByte(i))
            {
                return false;
            }
        }
        return true;
    }

    private static void readCheckpoint(final Connection connection, final SourceReport report) throws SQLException
    {
        try (PreparedStatement statement = connection.prepareStatement(CHECKPOINT_SQL))
        {
            statement.setString(1, report.sourceId);
            try (ResultSet rows = statement.executeQuery())
            {
                if (rows.next())
                {
                    report.checkpointIndex = rows.getLong(1);
                    report.checkpointEvents = rows.getLong(2);
                }
            }
        }
    }

    private static String display(final HistoryTableQuery table, final int column, final String text)
    {
        if (null == text)
        {
            return "null";
        }
        if (table.isTime(column))
        {
            try
            {
                final long epochUs = Long.parseLong(text);
                return MICROS.format(Instant.ofEpochSecond(
                    Math.floorDiv(epochUs, 1_000_000L), Math.floorMod(epochUs, 1_000_000L) * 1_000L));
            }
            catch (final RuntimeException ex)
            {
                return "\"" + text + "\"";
            }
        }
        return "\"" + text + "\"";
    }

    private void closeCursors() throws SQLException
    {
        SQLException failure = null;
        for (int t = 0; t < cursors.length; t++)
        {
            failure = close(cursors[t], failure);
            cursors[t] = null;
        }
        failure = close(deadLetters, failure);
        deadLetters = null;
        if (null != failure)
        {
            throw failure;
        }
    }

    private static SQLException close(final RowCursor cursor, final SQLException failure)
    {
        if (null != cursor)
        {
            try
            {
                cursor.close();
            }
            catch (final SQLException ex)
            {
                if (null == failure)
                {
                    return ex;
                }
                failure.addSuppressed(ex);
            }
        }
        return failure;
    }
}
