package io.tradestate.bench;

import org.agrona.DirectBuffer;

/**
 * Receives the history rows {@link HistoryRowDecoder} reads from journal excerpts, column by column in the order of the
 * reader agent's COPY statements, as typed values: what a bare JDBC program needs to write the rows its own way.
 */
interface HistoryRowSink
{
    /**
     * A row of a history table begins.
     *
     * @param table number, a {@link io.tradestate.codecs.event.HistoryTable} ordinal.
     */
    void beginRow(int table);

    /**
     * A {@code text} column.
     *
     * @param value the text.
     */
    void text(String value);

    /**
     * A {@code text} column from bytes: printable ASCII or UTF-8, no NUL.
     *
     * @param buffer holding the bytes.
     * @param offset of the first byte.
     * @param length in bytes.
     */
    void text(DirectBuffer buffer, int offset, int length);

    /**
     * A {@code bigint} column.
     *
     * @param value the number.
     */
    void bigint(long value);

    /**
     * A {@code boolean} column.
     *
     * @param value the truth.
     */
    void bool(boolean value);

    /**
     * A {@code timestamptz} column.
     *
     * @param epochUs microseconds since 1970-01-01T00:00:00Z.
     */
    void timestampMicros(long epochUs);

    /**
     * A {@code numeric} column, {@code mantissa x 10^exponent} with the scale of the exponent.
     *
     * @param mantissa of the decimal.
     * @param exponent power of ten, -18 to 18.
     */
    void decimal(long mantissa, int exponent);

    /**
     * A NULL column.
     */
    void nullValue();

    /**
     * The row is complete.
     */
    void endRow();
}
