package io.tradestate.bench;

import io.tradestate.codecs.event.HistoryRowSink;
import io.tradestate.codecs.event.HistoryTable;
import io.tradestate.reader.CopyBinaryEncoder;
import org.agrona.DirectBuffer;

/**
 * Encodes history rows into PostgreSQL's binary COPY format, one payload per history table, for
 * {@code COPY <table> (<columns>) FROM STDIN (FORMAT binary)}: the database's cheapest way in, the floor the reader
 * agent (which sends the same format, encoded while it drains) is measured against. The encoding is the agent's own
 * ({@link CopyBinaryEncoder}); here the payloads are made before timing.
 */
final class BinaryCopyEncoder implements HistoryRowSink
{
    private final CopyBinaryEncoder[] tables = new CopyBinaryEncoder[HistoryTable.values().length];
    private CopyBinaryEncoder row;

    BinaryCopyEncoder()
    {
        for (int i = 0; i < tables.length; i++)
        {
            tables[i] = new CopyBinaryEncoder(HistoryTable.values()[i].columnCount());
        }
    }

    /**
     * Forget every row, for the next batch.
     */
    void reset()
    {
        for (final CopyBinaryEncoder table : tables)
        {
            table.reset();
        }
    }

    /**
     * Rows of a table since the last {@link #reset()}.
     *
     * @param table number.
     * @return the row count.
     */
    int rows(final int table)
    {
        return tables[table].rows();
    }

    /**
     * The complete COPY payload of a table, header and trailer included.
     *
     * @param table number.
     * @return a new array, or null when the table has no row.
     */
    byte[] payload(final int table)
    {
        final CopyBinaryEncoder rows = tables[table];
        if (0 == rows.rows())
        {
            return null;
        }
        final byte[] payload = new byte[CopyBinaryEncoder.HEADER.length + rows.length() +
            CopyBinaryEncoder.TRAILER.length];
        System.arraycopy(CopyBinaryEncoder.HEADER, 0, payload, 0, CopyBinaryEncoder.HEADER.length);
        System.arraycopy(rows.buffer(), 0, payload, CopyBinaryEncoder.HEADER.length, rows.length());
        System.arraycopy(CopyBinaryEncoder.TRAILER, 0, payload, CopyBinaryEncoder.HEADER.length + rows.length(),
            CopyBinaryEncoder.TRAILER.length);
        return payload;
    }

    public void beginRow(final HistoryTable history)
    {
        row = tables[history.ordinal()];
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

    public void nullColumn(final int column)
    {
        row.nullValue();
    }

    public void endRow()
    {
        row.endRow();
    }
}
