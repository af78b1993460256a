package io.tradestate.bench;

import io.tradestate.codecs.event.HistoryTable;
import io.tradestate.reader.drain.BenchHistoryRows;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;

import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;

/**
 * The bare JDBC baselines of {@link DrainThroughputHarness}: the history rows of the same journals, into the same
 * tables of a fresh database with the agent's schema, in the agent's batches, one transaction per batch, and nothing
 * else: no current-state upsert, no pair-lock rules, no checkpoint, no dead letter.
 * <ul>
 * <li><b>COPY binary</b>: the rows are decoded and encoded in PostgreSQL's binary COPY format before the clock starts
 * ({@link #encodeBinary}); timed is sending them, one {@code COPY ... (FORMAT binary)} per table per batch, and the
 * commits. The database's floor.</li>
 * <li><b>batched INSERT</b>: what a JDBC program does: each batch is read from the journals, decoded, bound to one
 * prepared {@code INSERT} per table and sent with {@code executeBatch()} over a connection with pgjdbc's
 * {@code reWriteBatchedInserts=true}, then committed; the reading, decoding and binding are timed too, as they are a
 * JDBC program's own work (a small share: the tailers are opened before the clock starts).</li>
 * </ul>
 */
final class DrainBaselineRun
{
    private DrainBaselineRun()
    {
    }

    /**
     * The binary COPY payloads of every batch, made before timing.
     *
     * @param journalRoot folder of the journals.
     * @param sourceIds   the journals.
     * @param batchSize   most excerpts per batch.
     * @return per batch, per table, the payload or null; and the rows of each batch in {@link Batches#rows}.
     */
    static Batches encodeBinary(final Path journalRoot, final List<String> sourceIds, final int batchSize)
    {
        final Batches batches = new Batches();
        final BenchHistoryRows encoder = new BenchHistoryRows();
        try (JournalBatchReader reader = new JournalBatchReader(journalRoot, sourceIds, batchSize))
        {
            long rowsBefore = 0;
            while (reader.nextBatch(encoder.sink()) > 0)
            {
                final byte[][] payloads = new byte[HistoryTable.values().length][];
                for (int table = 0; table < payloads.length; table++)
                {
                    payloads[table] = encoder.payload(table);
                }
                batches.payloads.add(payloads);
                batches.rows.add(reader.rows() - rowsBefore);
                rowsBefore = reader.rows();
                encoder.reset();
            }
        }
        return batches;
    }

    /**
     * COPY the payloads, one transaction per batch.
     *
     * @param databases the server.
     * @param database  a fresh database with the schema and the partitions.
     * @param batches   from {@link #encodeBinary}.
     * @return the progress.
     * @throws Exception if a COPY or a commit fails.
     */
    static DrainProgress copyBinary(final DrainDatabases databases, final String database, final Batches batches)
        throws Exception
    {
        final String[] copies = new String[HistoryTable.values().length];
        for (int table = 0; table < copies.length; table++)
        {
            final HistoryTable history = HistoryTable.values()[table];
            copies[table] =
                "COPY " + history.tableName() + " (" + history.columnList() + ") FROM STDIN (FORMAT binary)";
        }
        try (Connection connection = databases.connect(database, false))
        {
            final CopyManager copyManager = connection.unwrap(PGConnection.class).getCopyAPI();
            final DrainProgress progress = new DrainProgress(System.nanoTime());
            long rows = 0;
            for (int batch = 0; batch < batches.payloads.size(); batch++)
            {
                final byte[][] payloads = batches.payloads.get(batch);
                for (int table = 0; table < payloads.length; table++)
                {
                    if (null != payloads[table])
                    {
                        final CopyIn copyIn = copyManager.copyIn(copies[table]);
                        copyIn.writeToCopy(payloads[table], 0, payloads[table].length);
                        copyIn.endCopy();
                    }
                }
                connection.commit();
                rows += batches.rows.get(batch);
                progress.onProgress(System.nanoTime(), rows);
            }
            return progress;
        }
    }

    /**
     * Read, decode, bind and insert every batch, one transaction per batch.
     *
     * @param databases   the server.
     * @param database    a fresh database with the schema and the partitions.
     * @param journalRoot folder of the journals.
     * @param sourceIds   the journals.
     * @param batchSize   most excerpts per batch.
     * @return the progress.
     * @throws Exception if an insert or a commit fails.
     */
    static DrainProgress batchedInsert(
        final DrainDatabases databases,
        final String database,
        final Path journalRoot,
        final List<String> sourceIds,
        final int batchSize) throws Exception
    {
        try (Connection connection = databases.connect(database, true);
            BatchedInsertSink sink = new BatchedInsertSink(connection);
            JournalBatchReader reader = new JournalBatchReader(journalRoot, sourceIds, batchSize))
        {
            connection.commit();
            final DrainProgress progress = new DrainProgress(System.nanoTime());
            long rows = 0;
            while (reader.nextBatch(sink) > 0)
            {
                rows += sink.executeBatches();
                connection.commit();
                progress.onProgress(System.nanoTime(), rows);
            }
            return progress;
        }
    }

    /**
     * Binary COPY payloads of every batch: per batch, per table, the payload or null.
     */
    static final class Batches
    {
        final List<byte[][]> payloads = new ArrayList<>();
        final List<Long> rows = new ArrayList<>();

        /**
         * Bytes of all payloads.
         *
         * @return the total.
         */
        long bytes()
        {
            long bytes = 0;
            for (final byte[][] batch : payloads)
            {
                for (final byte[] payload : batch)
                {
                    bytes += null == payload ? 0 : payload.length;
                }
            }
            return bytes;
        }
    }
}
