package io.tradestate.tools;

import io.tradestate.codecs.event.HistoryRowSink;
import io.tradestate.codecs.event.HistoryRowWalker;
import io.tradestate.codecs.event.HistoryTable;
import io.tradestate.codecs.event.JournalEventReader;
import org.agrona.DirectBuffer;

import java.util.Arrays;

/**
 * The history row the reader agent makes of one journal event, as the text of each column
 * {@link HistoryTableQuery} selects: what {@code tradestate verify} expects to read back from PostgreSQL.
 * <p>
 * Design: the row is the agent's own, made by the same {@link JournalEventReader} and {@link HistoryRowWalker}; this
 * class only writes each column as PostgreSQL prints it: text as it is (fixed-length text is never empty, free text
 * may be), decimals exact with their scale ({@link DecimalText}), times as microseconds since the epoch, booleans
 * {@code true} or {@code false}, NULL as {@code null}. Off the hot path: values are new strings.
 */
final class HistoryRowText implements HistoryRowSink
{
    private final JournalEventReader reader = new JournalEventReader();
    private final HistoryRowWalker walker = new HistoryRowWalker(this);
    private final StringBuilder scratch = new StringBuilder(64);
    private String[] values = new String[0];
    private HistoryTable table;

    /**
     * The row of an event, which the dump's checks accepted.
     *
     * @param buffer holding the excerpt.
     * @param offset of the excerpt.
     * @param length of the excerpt.
     * @return the event's table, its values in {@link #values()}; null for a message with no history row
     * ({@code SourceStarted}, {@code Heartbeat}).
     * @throws IllegalArgumentException if the excerpt fails a check.
     */
    HistoryTableQuery encode(final DirectBuffer buffer, final int offset, final int length)
    {
        table = null;
        final String failure = reader.read(0, buffer, offset, length, walker);
        if (null != failure)
        {
            throw new IllegalArgumentException(failure);
        }
        return null == table ? null : HistoryTableQuery.values()[table.ordinal()];
    }

    /**
     * The column values of the last {@link #encode}, in the order of its table's compared columns; {@code null} is
     * SQL NULL.
     *
     * @return the values, valid until the next call.
     */
    String[] values()
    {
        return values;
    }

    public void beginRow(final HistoryTable table)
    {
        this.table = table;
        if (values.length < table.columnCount())
        {
            values = new String[table.columnCount()];
        }
        Arrays.fill(values, null);
    }

    public void nullColumn(final int column)
    {
        set(column, null);
    }

    public void textColumn(final int column, final CharSequence value)
    {
        // The source id, which the walker is not told here, is the query's key, not compared.
        set(column, HistoryTable.SOURCE_ID_COLUMN == column ? null : value.toString());
    }

    public void asciiColumn(final int column, final DirectBuffer buffer, final int offset, final int length)
    {
        set(column, buffer.getStringWithoutLengthAscii(offset, length));
    }

    public void utf8Column(final int column, final DirectBuffer buffer, final int offset, final int length)
    {
        set(column, buffer.getStringWithoutLengthUtf8(offset, length));
    }

    public void bigintColumn(final int column, final long value)
    {
        set(column, Long.toString(value));
    }

    public void booleanColumn(final int column, final boolean value)
    {
        set(column, value ? "true" : "false");
    }

    public void timestampColumn(final int column, final long epochUs)
    {
        set(column, Long.toString(epochUs));
    }

    public void decimalColumn(final int column, final long mantissa, final int exponent)
    {
        scratch.setLength(0);
        set(column, DecimalText.append(scratch, mantissa, exponent).toString());
    }

    public void endRow()
    {
    }

    /**
     * Keep a compared column: {@code source_id} and {@code queue_index} are the query's keys, not compared.
     */
    private void set(final int column, final String value)
    {
        if (column >= HistoryTableQuery.FIRST_COLUMN)
        {
            values[column - HistoryTableQuery.FIRST_COLUMN] = value;
        }
    }
}
