package io.tradestate.bench;

import io.tradestate.codecs.event.HistoryTable;
import io.tradestate.codecs.event.JournalEventReader;
import io.tradestate.codecs.event.JournalEventVisitor;
import io.tradestate.codecs.event.JournalField;
import io.tradestate.codecs.event.JournalMessage;
import org.agrona.DirectBuffer;

/**
 * Reads journal excerpts into the history rows the reader agent stores, column for column as {@link HistoryTable}
 * lays them out (the same NULLs, enum names, decimal scales and times), but as typed values handed to a
 * {@link HistoryRowSink} instead of COPY text. The baselines of {@link DrainThroughputHarness} write these rows; the
 * harness checks that they store exactly what the agent stores.
 * <p>
 * A visitor of the project's one {@link JournalEventReader}; the journals are the harness's own, so an excerpt it
 * refuses fails the run.
 */
final class HistoryRowDecoder implements JournalEventVisitor
{
    /**
     * What {@link #decode} returns for an excerpt without a history row ({@code SourceStarted}, {@code Heartbeat}).
     */
    static final int NO_ROW = -1;

    private final JournalEventReader reader = new JournalEventReader();
    private HistoryRowSink sink;
    private String sourceId;
    private JournalMessage message;
    private HistoryTable table;
    private int nextColumn;

    /**
     * Hand one excerpt's row to the sink.
     *
     * @param sourceId the journal's source.
     * @param index    the excerpt's queue index.
     * @param buffer   the excerpt's bytes.
     * @param offset   of the excerpt in the buffer.
     * @param length   of the excerpt.
     * @param sink     to receive the row.
     * @return the row's table, a {@link HistoryTable} ordinal, or {@link #NO_ROW}.
     * @throws IllegalStateException if the excerpt fails a check.
     */
    int decode(
        final String sourceId, final long index, final DirectBuffer buffer, final int offset, final int length,
        final HistoryRowSink sink)
    {
        this.sink = sink;
        this.sourceId = sourceId;
        table = null;
        final String failure = reader.read(index, buffer, offset, length, this);
        if (null != failure)
        {
            throw new IllegalStateException(failure + " at " + index);
        }
        return null == table ? NO_ROW : table.ordinal();
    }

    public void onEventStart(final JournalMessage message, final long index, final long appendTimeNs)
    {
        this.message = message;
        table = HistoryTable.of(message);
        if (null != table)
        {
            sink.beginRow(table.ordinal());
            sink.text(sourceId);
            sink.bigint(index);
            sink.timestampMicros(Math.floorDiv(appendTimeNs, 1_000L));
            nextColumn = HistoryTable.APPEND_TIME_COLUMN + 1;
            final String action = HistoryTable.actionOf(message);
            if (null != action)
            {
                sink.text(action);
                nextColumn++;
            }
        }
    }

    public void onNull(final JournalField field)
    {
        if (column(field))
        {
            sink.nullValue();
        }
    }

    public void onTimeNs(final JournalField field, final long epochNs)
    {
        if (column(field))
        {
            sink.bigint(epochNs);
        }
    }

    public void onTimeMs(final JournalField field, final long epochMs)
    {
        if (column(field))
        {
            sink.timestampMicros(epochMs * 1_000L);
        }
    }

    public void onNumber(final JournalField field, final long value)
    {
        if (column(field))
        {
            sink.bigint(value);
        }
    }

    public void onText(final JournalField field, final DirectBuffer buffer, final int offset, final int length)
    {
        if (column(field))
        {
            sink.text(buffer, offset, length);
        }
    }

    public void onEnum(final JournalField field, final int ordinal)
    {
        if (column(field))
        {
            sink.text(field.enumName(ordinal));
        }
    }

    public void onBoolean(final JournalField field, final boolean value)
    {
        if (column(field))
        {
            sink.bool(value);
        }
    }

    public void onDecimal(final JournalField field, final long mantissa, final int exponent)
    {
        if (column(field))
        {
            sink.decimal(mantissa, exponent);
        }
    }

    public void onEventEnd()
    {
        if (null != table)
        {
            while (nextColumn < table.columnCount())
            {
                sink.nullValue();
                nextColumn++;
            }
            sink.endRow();
        }
    }

    private boolean column(final JournalField field)
    {
        if (null == table)
        {
            return false;
        }
        final int column = HistoryTable.columnOf(message, field);
        if (HistoryTable.NOT_STORED == column)
        {
            return false;
        }
        while (nextColumn < column)
        {
            sink.nullValue();
            nextColumn++;
        }
        nextColumn = column + 1;
        return true;
    }
}
