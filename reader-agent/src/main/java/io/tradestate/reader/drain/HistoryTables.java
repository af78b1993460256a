package io.tradestate.reader.drain;

import io.tradestate.codecs.event.HistoryRowSink;
import io.tradestate.codecs.event.HistoryTable;
import org.agrona.DirectBuffer;

/**
 * The rows of one batch for each history table, in binary COPY form; the tables and their columns are
 * {@link HistoryTable}'s, numbered by its ordinals. As a {@link HistoryRowSink} it takes the rows of a
 * {@link io.tradestate.codecs.event.HistoryRowWalker}, column after column into the row's table.
 */
final class HistoryTables implements HistoryRowSink
{
    static final int ORDER_EVENTS = HistoryTable.ORDER_EVENTS.ordinal();
    static final int FILLS = HistoryTable.FILLS.ordinal();
    static final int TRADE_EVENTS = HistoryTable.TRADE_EVENTS.ordinal();
    static final int PAIR_LOCK_EVENTS = HistoryTable.PAIR_LOCK_EVENTS.ordinal();
    static final int BALANCE_EVENTS = HistoryTable.BALANCE_EVENTS.ordinal();
    static final int TABLE_COUNT = HistoryTable.values().length;

    static final String COPY_ORDER_EVENTS = binary(HistoryTable.ORDER_EVENTS);
    static final String COPY_FILLS = binary(HistoryTable.FILLS);
    static final String COPY_TRADE_EVENTS = binary(HistoryTable.TRADE_EVENTS);
    static final String COPY_PAIR_LOCK_EVENTS = binary(HistoryTable.PAIR_LOCK_EVENTS);
    static final String COPY_BALANCE_EVENTS = binary(HistoryTable.BALANCE_EVENTS);

    private static final HistoryTable[] TABLES = HistoryTable.values();
    private static final String[] COPY_STATEMENTS =
    {
        COPY_ORDER_EVENTS, COPY_FILLS, COPY_TRADE_EVENTS, COPY_PAIR_LOCK_EVENTS, COPY_BALANCE_EVENTS,
    };

    private final CopyBinaryEncoder[] encoders = new CopyBinaryEncoder[TABLE_COUNT];
    private CopyBinaryEncoder row;

    HistoryTables()
    {
        for (int table = 0; table < TABLE_COUNT; table++)
        {
            encoders[table] = new CopyBinaryEncoder(TABLES[table].columnCount());
        }
    }

    /**
     * Name of a history table, as COPY and PostgreSQL's messages name it.
     *
     * @param table one of the table constants.
     * @return the table name.
     */
    static String tableName(final int table)
    {
        return TABLES[table].tableName();
    }

    /**
     * The table constant of a history table's name.
     *
     * @param name of the table.
     * @return the constant, or -1 if it names no history table.
     */
    static int table(final String name)
    {
        for (int table = 0; table < TABLE_COUNT; table++)
        {
            if (TABLES[table].tableName().equals(name))
            {
                return table;
            }
        }
        return -1;
    }

    /**
     * The COPY statement of a history table.
     *
     * @param table one of the table constants.
     * @return {@code COPY order_events (source_id, ...) FROM STDIN}.
     */
    private static String binary(final HistoryTable table)
    {
        return table.copyStatement() + " (FORMAT binary)";
    }

    static String copyStatement(final int table)
    {
        return COPY_STATEMENTS[table];
    }

    public void beginRow(final HistoryTable table)
    {
        row = encoders[table.ordinal()];
    }

    public void nullColumn(final int column)
    {
        row.nullValue();
    }

    public void textColumn(final int column, final CharSequence value)
    {
        row.text(value);
    }

    public void asciiColumn(final int column, final DirectBuffer buffer, final int offset, final int length)
    {
        row.asciiText(buffer, offset, length);
    }

    public void utf8Column(final int column, final DirectBuffer buffer, final int offset, final int length)
    {
        row.utf8Text(buffer, offset, length);
    }

    public void bigintColumn(final int column, final long value)
    {
        row.bigint(value);
    }

    public void booleanColumn(final int column, final boolean value)
    {
        row.bool(value);
    }

    public void timestampColumn(final int column, final long epochUs)
    {
        row.timestampFromEpochMicros(epochUs);
    }

    public void decimalColumn(final int column, final long mantissa, final int exponent)
    {
        row.decimal(mantissa, exponent);
    }

    public void endRow()
    {
        row.endRow();
        row = null;
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

    CopyBinaryEncoder encoder(final int table)
    {
        return encoders[table];
    }

    CopyBinaryEncoder orderEvents()
    {
        return encoders[ORDER_EVENTS];
    }

    CopyBinaryEncoder fills()
    {
        return encoders[FILLS];
    }

    CopyBinaryEncoder tradeEvents()
    {
        return encoders[TRADE_EVENTS];
    }

    CopyBinaryEncoder pairLockEvents()
    {
        return encoders[PAIR_LOCK_EVENTS];
    }

    CopyBinaryEncoder balanceEvents()
    {
        return encoders[BALANCE_EVENTS];
    }

    /**
     * Bytes of the rows encoded, all tables together.
     *
     * @return bytes.
     */
    long bytes()
    {
        long bytes = 0;
        for (final CopyBinaryEncoder encoder : encoders)
        {
            bytes += encoder.length();
        }
        return bytes;
    }

    int rows()
    {
        int rows = 0;
        for (final CopyBinaryEncoder encoder : encoders)
        {
            rows += encoder.rows();
        }
        return rows;
    }

    void reset()
    {
        row = null;
        for (final CopyBinaryEncoder encoder : encoders)
        {
            encoder.reset();
        }
    }
}
