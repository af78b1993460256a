package io.tradestate.reader;

import java.util.Arrays;
import java.util.List;

/**
 * The history rows of one batch in event order, for the search for rows PostgreSQL rejects: for each row its table,
 * where it sits in that table's COPY buffer, its source and its queue index, sorted by source (in batch order) and
 * then by index. A contiguous slice of rows therefore covers, for each source in it, one contiguous index range, which
 * is what the set-based upserts of {@link PostgresBatchWriter} select on.
 * <p>
 * Built only after a batch was rejected, so it parses the COPY text back (each row starts with the source id and the
 * queue index, and only a row's end is a raw newline: COPY text escapes newlines in values) rather than having the
 * encoder record anything per row on the hot path.
 */
final class BatchRowIndex
{
    private final CopyTextEncoder[] encoders;
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
        this.encoders = new CopyTextEncoder[HistoryTables.TABLE_COUNT];
        for (int table = 0; table < encoders.length; table++)
        {
            encoders[table] = historyTables.encoder(table);
        }
        this.sourceIds = sourceIds;
        this.count = historyTables.rows();

        final byte[][] encodedSourceIds = new byte[sourceIds.size()][];
        final CopyTextEncoder scratch = new CopyTextEncoder(64);
        for (int i = 0; i < encodedSourceIds.length; i++)
        {
            scratch.reset().text(sourceIds.get(i));
            encodedSourceIds[i] = Arrays.copyOf(scratch.buffer(), scratch.length());
        }

        final int[] rowTables = new int[count];
        final int[] rowOffsets = new int[count];
        final int[] rowLengths = new int[count];
        final int[] rowSources = new int[count];
        final long[] rowIndexes = new long[count];
        int row = 0;
        for (int table = 0; table < HistoryTables.TABLE_COUNT; table++)
        {
            final byte[] buffer = encoders[table].buffer();
            final int end = encoders[table].length();
            int position = 0;
            while (position < end)
            {
                final int sourceEnd = indexOf(buffer, position, end, (byte)'\t');
                final int rowEnd = indexOf(buffer, sourceEnd, end, (byte)'\n');
                if (rowEnd == end || row == count)
                {
                    throw new IllegalStateException(
                        HistoryTables.tableName(table) + ": unterminated COPY row at " + position);
                }
                rowTables[row] = table;
                rowOffsets[row] = position;
                rowLengths[row] = rowEnd + 1 - position;
                rowSources[row] = source(encodedSourceIds, buffer, position, sourceEnd, table);
                rowIndexes[row] = parseIndex(buffer, sourceEnd + 1, rowEnd, table);
                row++;
                position = rowEnd + 1;
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
     * Length of a row, its newline included.
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
            new String(buffer, from, to - from, java.nio.charset.StandardCharsets.UTF_8));
    }

    private static long parseIndex(final byte[] buffer, final int from, final int rowEnd, final int table)
    {
        long value = 0;
        int position = from;
        while (position < rowEnd && buffer[position] >= '0' && buffer[position] <= '9')
        {
            value = value * 10 + (buffer[position] - '0');
            position++;
        }
        if (position == from || (position < rowEnd && buffer[position] != '\t'))
        {
            throw new IllegalStateException(
                HistoryTables.tableName(table) + ": COPY row without a queue index at " + from);
        }
        return value;
    }

    private static int indexOf(final byte[] buffer, final int from, final int to, final byte value)
    {
        for (int i = from; i < to; i++)
        {
            if (value == buffer[i])
            {
                return i;
            }
        }
        return to;
    }
}
