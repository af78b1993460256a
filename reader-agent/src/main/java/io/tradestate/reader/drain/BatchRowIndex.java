package io.tradestate.reader.drain;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The history rows of one batch in event order, for the search for rows PostgreSQL rejects: for each row its table,
 * where it sits in that table's COPY buffer, its source and its queue index, sorted by source (in batch order) and
 * then by index. A contiguous slice of rows therefore covers, for each source in it, one contiguous index range, which
 * is what the set-based upserts of {@link PostgresBatchWriter} select on.
 * <p>
 * Built only after a batch was rejected, from where the encoders say each row starts; the source id and the queue
 * index are read back from the row's first two fields.
 */
final class BatchRowIndex
{
    private final CopyBinaryEncoder[] encoders;
    private final List<String> sourceIds;
    private final int count;
    private final int[] tables;
    private final int[] offsets;
    private final int[] lengths;
    private final int[] sources;
    private final long[] queueIndexes;

    /**
     * Index the rows of a batch.
     *
     * @param historyTables the batch's COPY buffers.
     * @param sourceIds     the batch's sources, in batch order; every row's source must be among them.
     * @throws IllegalStateException if a row names another source or has no queue index.
     */
    BatchRowIndex(final HistoryTables historyTables, final List<String> sourceIds)
    {
        this.encoders = new CopyBinaryEncoder[HistoryTables.TABLE_COUNT];
        for (int table = 0; table < encoders.length; table++)
        {
            encoders[table] = historyTables.encoder(table);
        }
        this.sourceIds = sourceIds;
        this.count = historyTables.rows();

        final byte[][] encodedSourceIds = new byte[sourceIds.size()][];
        for (int i = 0; i < encodedSourceIds.length; i++)
        {
            encodedSourceIds[i] = sourceIds.get(i).getBytes(StandardCharsets.UTF_8);
        }

        final int[] rowTables = new int[count];
        final int[] rowOffsets = new int[count];
        final int[] rowLengths = new int[count];
        final int[] rowSources = new int[count];
        final long[] rowIndexes = new long[count];
        int row = 0;
        for (int table = 0; table < HistoryTables.TABLE_COUNT; table++)
        {
            final CopyBinaryEncoder encoder = encoders[table];
            final byte[] buffer = encoder.buffer();
            for (int tableRow = 0; tableRow < encoder.rows(); tableRow++)
            {
                final int start = encoder.rowStart(tableRow);
                final int end = tableRow + 1 < encoder.rows() ? encoder.rowStart(tableRow + 1) : encoder.length();
                // Field count (2 bytes), source id (length, bytes), queue index (length 8, int8).
                final int sourceLength = getInt(buffer, start + 2);
                final int indexAt = start + 6 + sourceLength;
                if (sourceLength < 0 || indexAt + 12 > end || 8 != getInt(buffer, indexAt))
                {
                    throw new IllegalStateException(
                        HistoryTables.tableName(table) + ": COPY row without a source and a queue index at " + start);
                }
                rowTables[row] = table;
                rowOffsets[row] = start;
                rowLengths[row] = end - start;
                rowSources[row] = source(encodedSourceIds, buffer, start + 6, indexAt, table);
                rowIndexes[row] = (long)getInt(buffer, indexAt + 4) << 32 | getInt(buffer, indexAt + 8) & 0xFFFF_FFFFL;
                row++;
            }
        }
        if (row != count)
        {
            throw new IllegalStateException("the COPY buffers hold " + row + " rows, not " + count);
        }

        final Integer[] order = new Integer[count];
        for (int i = 0; i < count; i++)
        {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> rowSources[a] != rowSources[b] ?
            Integer.compare(rowSources[a], rowSources[b]) : Long.compare(rowIndexes[a], rowIndexes[b]));

        tables = new int[count];
        offsets = new int[count];
        lengths = new int[count];
        sources = new int[count];
        queueIndexes = new long[count];
        for (int i = 0; i < count; i++)
        {
            final int from = order[i];
            tables[i] = rowTables[from];
            offsets[i] = rowOffsets[from];
            lengths[i] = rowLengths[from];
            sources[i] = rowSources[from];
            queueIndexes[i] = rowIndexes[from];
        }
    }

    int count()
    {
        return count;
    }

    int table(final int row)
    {
        return tables[row];
    }

    /**
     * The COPY buffer a row's bytes are in, valid until the batch is reset.
     */
    byte[] buffer(final int row)
    {
        return encoders[tables[row]].buffer();
    }

    int offset(final int row)
    {
        return offsets[row];
    }

    /**
     * Length of a row in bytes.
     */
    int length(final int row)
    {
        return lengths[row];
    }

    /**
     * Position of the row's source in the batch's sources.
     */
    int source(final int row)
    {
        return sources[row];
    }

    String sourceId(final int row)
    {
        return sourceIds.get(sources[row]);
    }

    long queueIndex(final int row)
    {
        return queueIndexes[row];
    }

    private int source(
        final byte[][] encodedSourceIds, final byte[] buffer, final int from, final int to, final int table)
    {
        for (int i = 0; i < encodedSourceIds.length; i++)
        {
            final byte[] encoded = encodedSourceIds[i];
            if (Arrays.equals(encoded, 0, encoded.length, buffer, from, to))
            {
                return i;
            }
        }
        throw new IllegalStateException(HistoryTables.tableName(table) + ": row of a source not in the batch: " +
            new String(buffer, from, to - from, StandardCharsets.UTF_8));
    }

    private static int getInt(final byte[] buffer, final int at)
    {
        return (buffer[at] & 0xFF) << 24 | (buffer[at + 1] & 0xFF) << 16 | (buffer[at + 2] & 0xFF) << 8 |
            (buffer[at + 3] & 0xFF);
    }
}
