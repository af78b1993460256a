package io.tradestate.codecs.event;

import org.agrona.DirectBuffer;

/**
 * Receives the history rows a {@link HistoryRowWalker} makes of journal events: between {@link #beginRow} and
 * {@link #endRow}, every column of the row's {@link HistoryTable} once, in column order, each by the call its value
 * needs. A sink that writes rows in order (a COPY buffer) can ignore the column numbers.
 */
public interface HistoryRowSink
{
    /**
     * A row begins.
     *
     * @param table the row's table.
     */
    void beginRow(HistoryTable table);

    /**
     * A NULL column.
     *
     * @param column from 0.
     */
    void nullColumn(int column);

    /**
     * A {@code text} column from a string: the source id, an enum's stored name, the {@code action}.
     *
     * @param column from 0.
     * @param value  the text.
     */
    void textColumn(int column, CharSequence value);

    /**
     * A {@code text} column from printable ASCII bytes, never empty.
     *
     * @param column from 0.
     * @param buffer holding the bytes.
     * @param offset of the first byte.
     * @param length in bytes.
     */
    void asciiColumn(int column, DirectBuffer buffer, int offset, int length);

    /**
     * A {@code text} column from valid UTF-8 bytes without NUL, possibly empty (free text is empty, not NULL).
     *
     * @param column from 0.
     * @param buffer holding the bytes.
     * @param offset of the first byte.
     * @param length in bytes.
     */
    void utf8Column(int column, DirectBuffer buffer, int offset, int length);

    /**
     * A {@code bigint} column.
     *
     * @param column from 0.
     * @param value  the number.
     */
    void bigintColumn(int column, long value);

    /**
     * A {@code boolean} column.
     *
     * @param column from 0.
     * @param value  the truth.
     */
    void booleanColumn(int column, boolean value);

    /**
     * A {@code timestamptz} column, at PostgreSQL's precision.
     *
     * @param column  from 0.
     * @param epochUs microseconds since the epoch.
     */
    void timestampColumn(int column, long epochUs);

    /**
     * A {@code numeric} column: {@code mantissa x 10^exponent}, its scale kept.
     *
     * @param column   from 0.
     * @param mantissa the digits.
     * @param exponent the power of ten.
     */
    void decimalColumn(int column, long mantissa, int exponent);

    /**
     * The row's last column has been given.
     */
    void endRow();
}
