package io.tradestate.reader.drain;

import io.tradestate.codecs.event.HistoryRowSink;

/**
 * The reader agent's own history rows ({@link HistoryTables}: one binary COPY encoder per history table, the rows the
 * drain sends), for the drain harness's floor, which sends the very same payloads without anything else the agent
 * does. It lives in the {@code bench} module, in the agent's drain package, because the tables are package-private: the
 * reader agent's main code has no benchmark entry point.
 */
public final class BenchHistoryRows
{
    private final HistoryTables tables = new HistoryTables();

    /**
     * Where {@link io.tradestate.codecs.event.HistoryRowWalker} writes the rows.
     *
     * @return the agent's tables.
     */
    public HistoryRowSink sink()
    {
        return tables;
    }

    /**
     * The complete COPY payload of a table, header and trailer included.
     *
     * @param table number, {@link io.tradestate.codecs.event.HistoryTable}'s ordinal.
     * @return a new array, or null when the table has no row.
     */
    public byte[] payload(final int table)
    {
        final CopyBinaryEncoder rows = tables.encoder(table);
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

    /**
     * Forget every row, for the next batch.
     */
    public void reset()
    {
        tables.reset();
    }
}
