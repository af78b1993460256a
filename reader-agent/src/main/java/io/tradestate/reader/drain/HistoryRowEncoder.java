package io.tradestate.reader.drain;

import io.tradestate.codecs.event.HistoryRowWalker;
import io.tradestate.codecs.event.HistoryTable;
import io.tradestate.codecs.event.JournalEventReader;
import io.tradestate.codecs.event.JournalEventVisitor;
import io.tradestate.codecs.event.JournalField;
import io.tradestate.codecs.event.JournalMessage;
import org.agrona.DirectBuffer;

/**
 * Checks one journal excerpt and writes it as a row of its history table in binary COPY form, or hands the writer
 * identity of a {@code SourceStarted} or {@code Heartbeat} to its sink.
 * <p>
 * Design: the checks are {@link JournalEventReader}'s, which walks the excerpt where it lies (the buffer wraps the
 * queue's mapped memory), and the row is {@link HistoryRowWalker}'s, written into {@link HistoryTables}; so a good
 * excerpt allocates nothing and a bad one leaves no trace in the COPY buffers: {@link #encode} returns the reason,
 * which goes to {@code dead_letters} with the bytes.
 */
final class HistoryRowEncoder
{
    private final JournalEventReader reader = new JournalEventReader();
    private final HistoryTables tables;
    private final HistoryRowWalker rows;
    private final SourceStatusReader status;

    HistoryRowEncoder(final HistoryTables tables, final SourceStatusSink sourceStatus)
    {
        this.tables = tables;
        this.rows = new HistoryRowWalker(tables);
        this.status = new SourceStatusReader(sourceStatus);
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
        final String failure = reader.check(buffer, offset, length);
        if (null == failure)
        {
            if (null != HistoryTable.of(reader.message()))
            {
                reader.visit(index, rows.sourceId(sourceId));
            }
            else
            {
                reader.visit(index, status.source(sourceId, buffer, offset));
            }
        }
        return failure;
    }

    /**
     * Remove the row being written, if any, after an unexpected failure.
     */
    void abortRow()
    {
        tables.abortRow();
    }

    /**
     * Collects the fields of a {@code SourceStarted} or {@code Heartbeat} for the {@link SourceStatusSink}.
     */
    private static final class SourceStatusReader implements JournalEventVisitor
    {
        private static final JournalField START_TIME_NS = JournalMessage.SOURCE_STARTED.field("startTimeNs");
        private static final JournalField PID = JournalMessage.SOURCE_STARTED.field("pid");
        private static final JournalField SCHEMA_VERSION = JournalMessage.SOURCE_STARTED.field("schemaVersion");
        private static final JournalField HOST = JournalMessage.SOURCE_STARTED.field("host");

        private final SourceStatusSink sink;
        private CharSequence sourceId;
        private JournalMessage message;
        private DirectBuffer buffer;
        private int hostOffset;
        private int hostLength;
        private long pid;
        private int schemaVersion;
        private long startTimeNs;
        private long appendTimeNs;

        SourceStatusReader(final SourceStatusSink sink)
        {
            this.sink = sink;
        }

        SourceStatusReader source(final CharSequence sourceId, final DirectBuffer buffer, final int offset)
        {
            this.sourceId = sourceId;
            this.buffer = buffer;
            this.hostOffset = offset;
            return this;
        }

        public void onEventStart(final JournalMessage message, final long index, final long appendTimeNs)
        {
            this.message = message;
            this.appendTimeNs = appendTimeNs;
            hostLength = 0;
            startTimeNs = Long.MIN_VALUE;
        }

        public void onNull(final JournalField field)
        {
        }

        public void onTimeNs(final JournalField field, final long epochNs)
        {
            if (START_TIME_NS == field)
            {
                startTimeNs = epochNs;
            }
        }

        public void onTimeMs(final JournalField field, final long epochMs)
        {
        }

        public void onNumber(final JournalField field, final long value)
        {
            if (PID == field)
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
            if (HOST == field)
            {
                hostOffset = offset;
                hostLength = length;
            }
        }

        public void onEnum(final JournalField field, final int ordinal)
        {
        }

        public void onBoolean(final JournalField field, final boolean value)
        {
        }

        public void onDecimal(final JournalField field, final long mantissa, final int exponent)
        {
        }

        public void onEventEnd()
        {
            sink.onSourceStatus(sourceId, JournalMessage.SOURCE_STARTED == message, buffer, hostOffset, hostLength, pid,
                schemaVersion, startTimeNs, appendTimeNs);
        }
    }
}
