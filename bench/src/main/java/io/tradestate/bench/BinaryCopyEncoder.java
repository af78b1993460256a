package io.tradestate.bench;

import io.tradestate.codecs.event.HistoryRowSink;
import io.tradestate.codecs.event.HistoryTable;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Encodes history rows into PostgreSQL's binary COPY format, one payload per history table, for
 * {@code COPY <table> (<columns>) FROM STDIN (FORMAT binary)}: the database's cheapest way in, the floor the reader
 * agent (which sends the same format, encoded while it drains) is measured against.
 * <p>
 * <b>Format</b> (PostgreSQL's "COPY, Binary Format", and each type's {@code *_send} function): the 11-byte signature
 * {@code PGCOPY\n\377\r\n\0}, a 32-bit flags field and a 32-bit header extension length (both 0); then per row a
 * 16-bit field count and, per field, a 32-bit length (-1 for NULL) and the value; then a 16-bit -1. All integers big
 * endian. Values: {@code text} as its UTF-8 bytes; {@code int8} as 8 bytes; {@code bool} as one byte;
 * {@code timestamptz} as the 64-bit count of microseconds since 2000-01-01 00:00:00 UTC; {@code numeric} as 16-bit
 * ndigits, weight, sign (0 or 0x4000) and dscale, then ndigits base-10000 digits, most significant first, weight
 * being the power of 10000 of the first digit, with no leading or trailing zero digit. The dscale is the decimal's
 * scale, as the agent's COPY text writes it: 150 x 10^-2 is 1.50 (dscale 2), 12 x 10^3 is 12000 (dscale 0).
 */
final class BinaryCopyEncoder implements HistoryRowSink
{
    private static final byte[] SIGNATURE = { 'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte)0xFF, '\r', '\n', 0 };
    private static final int HEADER_LENGTH = SIGNATURE.length + 8;
    private static final long POSTGRES_EPOCH_US = 946_684_800_000_000L;
    private static final short NUMERIC_POSITIVE = 0x0000;
    private static final short NUMERIC_NEGATIVE = 0x4000;
    private static final int MAX_GROUPS = 12;
    private static final int[] POWERS = { 1, 10, 100, 1000 };

    private final ExpandableArrayBuffer[] tables = new ExpandableArrayBuffer[HistoryTable.values().length];
    private final int[] lengths = new int[tables.length];
    private final int[] rows = new int[tables.length];
    private final int[] fieldCounts = new int[tables.length];
    private final int[] groups = new int[MAX_GROUPS];
    private ExpandableArrayBuffer row;
    private int table;
    private int position;
    private int fields;

    BinaryCopyEncoder()
    {
        for (int i = 0; i < tables.length; i++)
        {
            tables[i] = new ExpandableArrayBuffer(64 * 1024);
            fieldCounts[i] = HistoryTable.values()[i].columnCount();
        }
        reset();
    }

    /**
     * Forget every row, for the next batch.
     */
    void reset()
    {
        for (int i = 0; i < tables.length; i++)
        {
            tables[i].putBytes(0, SIGNATURE);
            tables[i].putInt(SIGNATURE.length, 0, ByteOrder.BIG_ENDIAN);
            tables[i].putInt(SIGNATURE.length + 4, 0, ByteOrder.BIG_ENDIAN);
            lengths[i] = HEADER_LENGTH;
            rows[i] = 0;
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
        return rows[table];
    }

    /**
     * The complete COPY payload of a table, trailer included.
     *
     * @param table number.
     * @return a new array, or null when the table has no row.
     */
    byte[] payload(final int table)
    {
        if (0 == rows[table])
        {
            return null;
        }
        final int length = lengths[table];
        final byte[] payload = Arrays.copyOf(tables[table].byteArray(), length + 2);
        payload[length] = (byte)0xFF;
        payload[length + 1] = (byte)0xFF;
        return payload;
    }

    public void beginRow(final HistoryTable history)
    {
        final int table = history.ordinal();
        this.table = table;
        row = tables[table];
        position = lengths[table];
        row.putShort(position, (short)fieldCounts[table], ByteOrder.BIG_ENDIAN);
        position += 2;
        fields = 0;
    }

    public void textColumn(final int column, final CharSequence value)
    {
        final byte[] bytes = value.toString().getBytes(StandardCharsets.UTF_8);
        fieldLength(bytes.length);
        row.putBytes(position, bytes);
        position += bytes.length;
    }

    public void asciiColumn(final int column, final DirectBuffer buffer, final int offset, final int length)
    {
        utf8Column(column, buffer, offset, length);
    }

    public void utf8Column(final int column, final DirectBuffer buffer, final int offset, final int length)
    {
        fieldLength(length);
        row.putBytes(position, buffer, offset, length);
        position += length;
    }

    public void bigintColumn(final int column, final long value)
    {
        fieldLength(8);
        row.putLong(position, value, ByteOrder.BIG_ENDIAN);
        position += 8;
    }

    public void booleanColumn(final int column, final boolean value)
    {
        fieldLength(1);
        row.putByte(position, value ? (byte)1 : (byte)0);
        position += 1;
    }

    public void timestampColumn(final int column, final long epochUs)
    {
        bigintColumn(column, epochUs - POSTGRES_EPOCH_US);
    }

    public void decimalColumn(final int column, final long mantissa, final int exponent)
    {
        // Group i holds the base-10000 digit of power floorDiv(exponent, 4) + i.
        final int lowestPower = Math.floorDiv(exponent, 4);
        Arrays.fill(groups, 0);
        long negative = mantissa < 0 ? mantissa : -mantissa;
        int digitPower = exponent;
        while (negative != 0)
        {
            final long quotient = negative / 10;
            final int digit = (int)(quotient * 10 - negative);
            groups[Math.floorDiv(digitPower, 4) - lowestPower] += digit * POWERS[Math.floorMod(digitPower, 4)];
            negative = quotient;
            digitPower++;
        }

        int high = MAX_GROUPS - 1;
        while (high >= 0 && 0 == groups[high])
        {
            high--;
        }
        int low = 0;
        while (low <= high && 0 == groups[low])
        {
            low++;
        }
        final int digits = high < 0 ? 0 : high - low + 1;
        final int weight = high < 0 ? 0 : lowestPower + high;

        fieldLength(8 + 2 * digits);
        row.putShort(position, (short)digits, ByteOrder.BIG_ENDIAN);
        row.putShort(position + 2, (short)weight, ByteOrder.BIG_ENDIAN);
        row.putShort(position + 4, mantissa < 0 ? NUMERIC_NEGATIVE : NUMERIC_POSITIVE, ByteOrder.BIG_ENDIAN);
        row.putShort(position + 6, (short)Math.max(0, -exponent), ByteOrder.BIG_ENDIAN);
        position += 8;
        for (int i = high; i >= low; i--)
        {
            row.putShort(position, (short)groups[i], ByteOrder.BIG_ENDIAN);
            position += 2;
        }
    }

    public void nullColumn(final int column)
    {
        row.putInt(position, -1, ByteOrder.BIG_ENDIAN);
        position += 4;
        fields++;
    }

    public void endRow()
    {
        if (fields != fieldCounts[table])
        {
            throw new IllegalStateException(HistoryTable.values()[table].tableName() + " row has " + fields +
                " fields, the COPY names " + fieldCounts[table]);
        }
        lengths[table] = position;
        rows[table]++;
    }

    private void fieldLength(final int length)
    {
        row.putInt(position, length, ByteOrder.BIG_ENDIAN);
        position += 4;
        fields++;
    }
}
