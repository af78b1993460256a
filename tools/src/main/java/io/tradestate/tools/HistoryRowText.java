package io.tradestate.tools;

import io.tradestate.codecs.event.FieldKind;
import io.tradestate.codecs.event.HistoryTable;
import io.tradestate.codecs.event.JournalEventReader;
import io.tradestate.codecs.event.JournalEventVisitor;
import io.tradestate.codecs.event.JournalField;
import io.tradestate.codecs.event.JournalMessage;
import org.agrona.DirectBuffer;

import java.util.Arrays;

/**
 * The history row the reader agent makes of one journal event, as the text of each column
 * {@link HistoryTableQuery} selects: what {@code tradestate verify} expects to read back from PostgreSQL.
 * <p>
 * Design: a visitor of {@link JournalEventReader}, filling the columns {@link HistoryTable} gives each field, as the
 * agent's COPY rows do: fixed-length text and {@code null} when empty, free text (var-data) as it is and empty rather
 * than {@code null}, decimals exact with their scale ({@link DecimalText}), enums as their stored names,
 * millisecond times and the append time as microseconds since the epoch (nanoseconds truncated towards the past, as
 * PostgreSQL stores them), SBE's null values and the columns a message does not have ({@code PairUnlock}'s lock end
 * time) as {@code null}. Off the hot path: values are new strings.
 */
final class HistoryRowText implements JournalEventVisitor
{
    private final JournalEventReader reader = new JournalEventReader();
    private final StringBuilder scratch = new StringBuilder(64);
    private String[] values = new String[0];
    private JournalMessage message;
    private HistoryTableQuery table;

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
        final String failure = reader.read(0, buffer, offset, length, this);
        if (null != failure)
        {
            throw new IllegalArgumentException(failure);
        }
        return table;
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

    public void onEventStart(final JournalMessage message, final long index, final long appendTimeNs)
    {
        this.message = message;
        table = HistoryTableQuery.of(message);
        if (null != table)
        {
            if (values.length < table.columnCount())
            {
                values = new String[table.columnCount()];
            }
            Arrays.fill(values, null);
            values[0] = Long.toString(Math.floorDiv(appendTimeNs, 1_000L));
            final String action = HistoryTable.actionOf(message);
            if (null != action)
            {
                values[HistoryTable.APPEND_TIME_COLUMN + 1 - HistoryTableQuery.FIRST_COLUMN] = action;
            }
        }
    }

    public void onNull(final JournalField field)
    {
        set(field, null);
    }

    public void onTimeNs(final JournalField field, final long epochNs)
    {
        set(field, Long.toString(epochNs));
    }

    public void onTimeMs(final JournalField field, final long epochMs)
    {
        set(field, Long.toString(epochMs * 1_000L));
    }

    public void onNumber(final JournalField field, final long value)
    {
        set(field, Long.toString(value));
    }

    public void onText(final JournalField field, final DirectBuffer buffer, final int offset, final int length)
    {
        set(field, FieldKind.ASCII == field.kind() ?
            buffer.getStringWithoutLengthAscii(offset, length) : buffer.getStringWithoutLengthUtf8(offset, length));
    }

    public void onEnum(final JournalField field, final int ordinal)
    {
        set(field, field.enumName(ordinal));
    }

    public void onBoolean(final JournalField field, final boolean value)
    {
        set(field, value ? "true" : "false");
    }

    public void onDecimal(final JournalField field, final long mantissa, final int exponent)
    {
        scratch.setLength(0);
        set(field, DecimalText.append(scratch, mantissa, exponent).toString());
    }

    public void onEventEnd()
    {
    }

    private void set(final JournalField field, final String value)
    {
        if (null != table)
        {
            final int column = HistoryTable.columnOf(message, field);
            if (HistoryTable.NOT_STORED != column)
            {
                values[column - HistoryTableQuery.FIRST_COLUMN] = value;
            }
        }
    }
}
