package io.tradestate.reader;

import io.tradestate.codecs.event.FieldKind;
import io.tradestate.codecs.event.HistoryTable;
import io.tradestate.codecs.event.JournalEventReader;
import io.tradestate.codecs.event.JournalEventVisitor;
import io.tradestate.codecs.event.JournalField;
import io.tradestate.codecs.event.JournalMessage;
import org.agrona.DirectBuffer;

/**
 * Checks one journal excerpt and writes it as a row of its history table in COPY text form, or hands the writer
 * identity of a {@code SourceStarted} or {@code Heartbeat} to its sink.
 * <p>
 * Design: the checks are {@link JournalEventReader}'s, which walks the excerpt where it lies (the buffer wraps the
 * queue's mapped memory); this class is its visitor, writing each field to its column ({@link HistoryTable} says
 * which), so a good excerpt allocates nothing and a bad one leaves no trace in the COPY buffers: {@link #encode}
 * returns the reason, which goes to {@code dead_letters} with the bytes.
 */
final class HistoryRowEncoder implements JournalEventVisitor
{
    private static final JournalField START_TIME_NS = JournalMessage.SOURCE_STARTED.field("startTimeNs");
    private static final JournalField PID = JournalMessage.SOURCE_STARTED.field("pid");
    private static final JournalField SCHEMA_VERSION = JournalMessage.SOURCE_STARTED.field("schemaVersion");
    private static final JournalField HOST = JournalMessage.SOURCE_STARTED.field("host");

    private final JournalEventReader reader = new JournalEventReader();
    private final HistoryTables tables;
    private final SourceStatusSink sourceStatus;
    private CharSequence sourceId;
    private JournalMessage message;
    private CopyTextEncoder row;
    private int nextColumn;
    private int columnCount;
    private DirectBuffer hostBuffer;
    private int hostOffset;
    private int hostLength;
    private long pid;
    private int schemaVersion;
    private long startTimeNs;
    private long appendTimeNs;

    HistoryRowEncoder(final HistoryTables tables, final SourceStatusSink sourceStatus)
    {
        this.tables = tables;
        this.sourceStatus = sourceStatus;
    }

    /**
     * Receives the writer identity carried by {@code SourceStarted} and {@code Heartbeat}, which have no history
     * table of their own.
     */
    interface SourceStatusSink
    {
        void onSourceStatus(
            CharSequence sourceId, boolean started, DirectBuffer buffer, int hostOffset, int hostLength, long pid,
            int schemaVersion, long startTimeNs, long appendTimeNs);
    }

    /**
     * Check and encode one excerpt.
     *
     * @param sourceId the queue's source.
     * @param index    the excerpt's queue index.
     * @param buffer   the excerpt's bytes.
     * @param offset   of the excerpt in the buffer.
     * @param length   of the excerpt.
     * @return null if the excerpt was encoded (or needs no row), else why it cannot be stored.
     */
    String encode(
        final CharSequence sourceId, final long index, final DirectBuffer buffer, final int offset, final int length)
    {
        row = null;
        final String failure = reader.check(buffer, offset, length);
        if (null == failure)
        {
            this.sourceId = sourceId;
            hostBuffer = buffer;
            hostOffset = offset;
            reader.visit(index, this);
        }
        return failure;
    }

    /**
     * Remove the row being written, if any, after an unexpected failure.
     */
    void abortRow()
    {
        if (null != row)
        {
            row.abortRow();
            row = null;
        }
    }

    public void onEventStart(final JournalMessage message, final long index, final long appendTimeNs)
    {
        this.message = message;
        this.appendTimeNs = appendTimeNs;
        final HistoryTable table = HistoryTable.of(message);
        if (null == table)
        {
            hostLength = 0;
            startTimeNs = Long.MIN_VALUE;
            row = null;
            return;
        }

        row = tables.encoder(table);
        columnCount = table.columnCount();
        row.text(sourceId);
        row.bigint(index);
        row.timestampFromEpochNanos(appendTimeNs);
        nextColumn = HistoryTable.APPEND_TIME_COLUMN + 1;
        final String action = HistoryTable.actionOf(message);
        if (null != action)
        {
            row.text(action);
            nextColumn++;
        }
    }

    public void onNull(final JournalField field)
    {
        if (column(field))
        {
            row.nullValue();
        }
    }

    public void onTimeNs(final JournalField field, final long epochNs)
    {
        if (column(field))
        {
            row.bigint(epochNs);
        }
        else if (START_TIME_NS == field)
        {
            startTimeNs = epochNs;
        }
    }

    public void onTimeMs(final JournalField field, final long epochMs)
    {
        if (column(field))
        {
            row.timestampFromEpochMillis(epochMs);
        }
    }

    public void onNumber(final JournalField field, final long value)
    {
        if (column(field))
        {
            row.bigint(value);
        }
        else if (PID == field)
        {
            pid = value;
        }
        else if (SCHEMA_VERSION == field)
        {
            schemaVersion = (int)value;
        }
    }

    public void onText(final JournalField field, final DirectBuffer buffer, final int offset, final int length)
    {
        if (column(field))
        {
            if (FieldKind.ASCII == field.kind())
            {
                row.asciiText(buffer, offset, length);
            }
            else
            {
                row.utf8Text(buffer, offset, length);
            }
        }
        else if (HOST == field)
        {
            hostBuffer = buffer;
            hostOffset = offset;
            hostLength = length;
        }
    }

    public void onEnum(final JournalField field, final int ordinal)
    {
        if (column(field))
        {
            row.text(field.enumName(ordinal));
        }
    }

    public void onBoolean(final JournalField field, final boolean value)
    {
        if (column(field))
        {
            row.bool(value);
        }
    }

    public void onDecimal(final JournalField field, final long mantissa, final int exponent)
    {
        if (column(field))
        {
            row.decimal(mantissa, exponent);
        }
    }

    public void onEventEnd()
    {
        if (null == row)
        {
            if (JournalMessage.SOURCE_STARTED == message)
            {
                sourceStatus.onSourceStatus(sourceId, true, hostBuffer, hostOffset, hostLength, pid, schemaVersion,
                    startTimeNs, appendTimeNs);
            }
            else if (JournalMessage.HEARTBEAT == message)
            {
                sourceStatus.onSourceStatus(sourceId, false, hostBuffer, hostOffset, hostLength, pid, schemaVersion,
                    startTimeNs, appendTimeNs);
            }
            return;
        }

        while (nextColumn < columnCount)
        {
            row.nullValue();
            nextColumn++;
        }
        row.endRow();
        row = null;
    }

    /**
     * Move the row to the field's column, leaving NULL in the columns before it that this message does not have.
     *
     * @return true if the field has a column in the row, false if it is not stored or the message has no row.
     */
    private boolean column(final JournalField field)
    {
        if (null == row)
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
            row.nullValue();
            nextColumn++;
        }
        nextColumn = column + 1;
        return true;
    }
}
