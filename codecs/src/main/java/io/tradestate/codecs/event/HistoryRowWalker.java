package io.tradestate.codecs.event;

import org.agrona.DirectBuffer;

/**
 * Turns each event {@link JournalEventReader} visits into the row the drain stores: the columns of its
 * {@link HistoryTable} in order, to a {@link HistoryRowSink}. One place for how an event becomes a row: the leading
 * {@code source_id}, {@code queue_index} and {@code append_time}, the {@code action} of a pair-lock row, each field
 * in its column, NULL in a column the message does not have, times to the microsecond, enums by their stored names.
 * An event without a history table ({@code SourceStarted}, {@code Heartbeat}) makes no row. Allocation-free.
 */
public final class HistoryRowWalker implements JournalEventVisitor
{
    private final HistoryRowSink sink;
    private CharSequence sourceId;
    private JournalMessage message;
    private HistoryTable table;
    private int nextColumn;

    /**
     * A walker writing to a sink.
     *
     * @param sink to receive the rows.
     */
    public HistoryRowWalker(final HistoryRowSink sink)
    {
        this.sink = sink;
    }

    /**
     * The source of the events visited next, the rows' {@code source_id}.
     *
     * @param sourceId the journal's source.
     * @return this walker.
     */
    public HistoryRowWalker sourceId(final CharSequence sourceId)
    {
        this.sourceId = sourceId;
        return this;
    }

    /**
     * {@inheritDoc}
     */
    public void onEventStart(final JournalMessage message, final long index, final long appendTimeNs)
    {
        this.message = message;
        table = HistoryTable.of(message);
        if (null == table)
        {
            return;
        }

        sink.beginRow(table);
        sink.textColumn(HistoryTable.SOURCE_ID_COLUMN, sourceId);
        sink.bigintColumn(HistoryTable.QUEUE_INDEX_COLUMN, index);
        sink.timestampColumn(HistoryTable.APPEND_TIME_COLUMN, Math.floorDiv(appendTimeNs, 1_000L));
        nextColumn = HistoryTable.APPEND_TIME_COLUMN + 1;
        final String action = HistoryTable.actionOf(message);
        if (null != action)
        {
            sink.textColumn(nextColumn++, action);
        }
    }

    /**
     * {@inheritDoc}
     */
    public void onNull(final JournalField field)
    {
        final int column = column(field);
        if (HistoryTable.NOT_STORED != column)
        {
            sink.nullColumn(column);
        }
    }

    /**
     * {@inheritDoc}
     */
    public void onTimeNs(final JournalField field, final long epochNs)
    {
        final int column = column(field);
        if (HistoryTable.NOT_STORED != column)
        {
            sink.bigintColumn(column, epochNs);
        }
    }

    /**
     * {@inheritDoc}
     */
    public void onTimeMs(final JournalField field, final long epochMs)
    {
        final int column = column(field);
        if (HistoryTable.NOT_STORED != column)
        {
            sink.timestampColumn(column, epochMs * 1_000L);
        }
    }

    /**
     * {@inheritDoc}
     */
    public void onNumber(final JournalField field, final long value)
    {
        final int column = column(field);
        if (HistoryTable.NOT_STORED != column)
        {
            sink.bigintColumn(column, value);
        }
    }

    /**
     * {@inheritDoc}
     */
    public void onText(final JournalField field, final DirectBuffer buffer, final int offset, final int length)
    {
        final int column = column(field);
        if (HistoryTable.NOT_STORED != column)
        {
            if (FieldKind.ASCII == field.kind())
            {
                sink.asciiColumn(column, buffer, offset, length);
            }
            else
            {
                sink.utf8Column(column, buffer, offset, length);
            }
        }
    }

    /**
     * {@inheritDoc}
     */
    public void onEnum(final JournalField field, final int ordinal)
    {
        final int column = column(field);
        if (HistoryTable.NOT_STORED != column)
        {
            sink.textColumn(column, field.enumName(ordinal));
        }
    }

    /**
     * {@inheritDoc}
     */
    public void onBoolean(final JournalField field, final boolean value)
    {
        final int column = column(field);
        if (HistoryTable.NOT_STORED != column)
        {
            sink.booleanColumn(column, value);
        }
    }

    /**
     * {@inheritDoc}
     */
    public void onDecimal(final JournalField field, final long mantissa, final int exponent)
    {
        final int column = column(field);
        if (HistoryTable.NOT_STORED != column)
        {
            sink.decimalColumn(column, mantissa, exponent);
        }
    }

    /**
     * {@inheritDoc}
     */
    public void onEventEnd()
    {
        if (null != table)
        {
            for (final int count = table.columnCount(); nextColumn < count; nextColumn++)
            {
                sink.nullColumn(nextColumn);
            }
            sink.endRow();
            table = null;
        }
    }

    /**
     * The field's column, after NULL in the columns before it that this message does not have.
     */
    private int column(final JournalField field)
    {
        if (null == table)
        {
            return HistoryTable.NOT_STORED;
        }

        final int column = HistoryTable.columnOf(message, field);
        if (HistoryTable.NOT_STORED != column)
        {
            for (; nextColumn < column; nextColumn++)
            {
                sink.nullColumn(nextColumn);
            }
            nextColumn = column + 1;
        }
        return column;
    }
}
