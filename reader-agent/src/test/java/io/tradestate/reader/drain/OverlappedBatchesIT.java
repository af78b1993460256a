package io.tradestate.reader.drain;

import com.zaxxer.hikari.HikariDataSource;
import io.tradestate.files.IdentityFile;
import io.tradestate.reader.AgentTestEnvironment;
import io.tradestate.reader.DrainedEventsVerifier;
import io.tradestate.reader.MixedEvents;
import io.tradestate.reader.QueueSummary;
import io.tradestate.reader.ReaderConfiguration;
import io.tradestate.reader.ReaderContext;
import io.tradestate.writer.TradeJournal;
import org.agrona.concurrent.SystemEpochClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Three batches in flight ({@link BatchCommitter}): the history rows of batches N+1 and N+2 are copied on connections
 * of their own, each in a transaction of its own, while batch N finishes and commits on a third. When N fails, N+1 and
 * N+2 must be rolled back too, never committed, and all three drained again, each event once.
 * <p>
 * The failure is PostgreSQL's own: a trigger on {@code source_checkpoints} raises an error in N's checkpoint update,
 * once (a sequence counts the calls; sequences are not rolled back), and only after it has seen the COPY of the
 * batches after it done on other sessions of the database, left idle in their transactions ({@code pg_stat_activity}),
 * so that they are in flight, copied and uncommitted, at the moment N fails. It records that sighting in another
 * sequence.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class OverlappedBatchesIT
{
    private static final String SOURCE_ID = "overlap";
    private static final int STREAM = 11;
    private static final int EVENTS = 1_200;
    private static final int BATCH = 100;
    private static final long DRAIN_TIMEOUT_MS = 60_000;
    private static final int DEPTH_BATCHES = 3;
    private static final List<String> HISTORY_TABLES =
        List.of("order_events", "fills", "trade_events", "pair_lock_events", "balance_events");

    @RegisterExtension
    final AgentTestEnvironment environment = new AgentTestEnvironment("overlapped_batches").migrated();

    private long[] indexes;
    private QueueSummary queue;
    private long appendFromNs;
    private long appendToNs;

    @BeforeEach
    void appendEvents()
    {
        appendFromNs = TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis() - 1_000);
        indexes = new long[EVENTS];
        try (TradeJournal journal = environment.journal(SOURCE_ID))
        {
            final MixedEvents events = new MixedEvents();
            for (int sequence = 0; sequence < EVENTS; sequence++)
            {
                indexes[sequence] = events.append(journal, STREAM, sequence);
            }
        }
        appendToNs = TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis() + 1_000);
        queue = QueueSummary.of(environment.journalRoot().resolve(SOURCE_ID));
    }

    @Test
    void shouldRollBackTheBatchesCopiedBesideAFailedOneAndCommitThemAllWhenWrittenAgain() throws Exception
    {
        failCheckpointUpdate(1, BatchCommitter.COPY_THREADS);
        final Path queueDirectory = environment.journalRoot().resolve(SOURCE_ID);
        final UUID journalId = IdentityFile.read(queueDirectory.resolve(IdentityFile.JOURNAL_ID));
        final long nowMs = System.currentTimeMillis();
        final DrainBatch first = new DrainBatch();
        final DrainBatch failing = new DrainBatch();
        final DrainBatch[] following = new DrainBatch[BatchCommitter.COPY_THREADS];
        for (int i = 0; i < following.length; i++)
        {
            following[i] = new DrainBatch();
        }

        final HikariDataSource pool = environment.agentPool();
        try (SourcePoller poller = new SourcePoller(SOURCE_ID, queueDirectory, SourcePoller.NO_INDEX, journalId);
            BatchCommitter committer = new BatchCommitter(new PostgresBatchWriter(pool)))
        {
            assertEquals(BATCH, poller.poll(first, BATCH, Long.MAX_VALUE, nowMs));
            committer.submit(first);
            assertSame(first, collect(committer));
            assertNull(committer.failure(), "the first batch (its checkpoint inserted, no update) is committed");
            final long firstLast = first.sources().get(0).lastIndex();
            poller.onCommitted(firstLast);
            final String historyRows = historyRows();

            assertEquals(BATCH, poller.poll(failing, BATCH, Long.MAX_VALUE, nowMs));
            committer.submit(failing);
            for (int i = 0; i < following.length; i++)
            {
                assertTrue(committer.canSubmit(true), "room for another full batch in flight");
                assertEquals(1 + i < BatchCommitter.DEPTH_PARTIAL, committer.canSubmit(false),
                    BatchCommitter.DEPTH_PARTIAL + " partial batches in flight at most");
                assertEquals(BATCH, poller.poll(following[i], BATCH, Long.MAX_VALUE, nowMs));
                committer.submit(following[i]);
            }
            assertFalse(committer.canSubmit(true), BatchCommitter.DEPTH + " batches in flight at most");

            assertSame(failing, collect(committer));
            assertNotNull(committer.failure(), "batch N fails in its checkpoint update");
            assertTrue(mentions(committer.failure(), "injected failure"), committer.failure().toString());
            assertFalse(committer.skipped(), "batch N's failure is its own");
            assertFalse(committer.canSubmit(true), "nothing is taken until the batches after the failed one are back");

            for (int i = 0; i < following.length; i++)
            {
                assertSame(following[i], collect(committer));
                assertNotNull(committer.failure(), "batch N+" + (i + 1) + " is not committed");
                assertTrue(committer.skipped(), "batch N+" + (i + 1) + " is rolled back because batch N failed");
                assertEquals(i == following.length - 1, committer.canSubmit(true),
                    "an empty pipeline, and only an empty one, takes batches again");
            }

            assertEquals("1", environment.query("SELECT last_value FROM overlap_copy_seen"),
                "the COPY of every batch after N was done, uncommitted, when batch N failed");
            assertEquals(historyRows, historyRows(), "none of the three batches' history rows are stored");
            assertEquals(Long.valueOf(firstLast), checkpoint(), "the checkpoint is the first batch's");
            assertEquals("0", environment.query("SELECT count(*) FROM pg_stat_activity " +
                "WHERE datname = current_database() AND " +
                "state LIKE 'idle in transaction%'"), "no transaction is left open");

            // As the drain does: rewind to the checkpoint, read them again, hand them over one after the other.
            poller.rewind();
            failing.reset();
            assertEquals(BATCH, poller.poll(failing, BATCH, Long.MAX_VALUE, nowMs));
            committer.submit(failing);
            for (final DrainBatch batch : following)
            {
                batch.reset();
                assertEquals(BATCH, poller.poll(batch, BATCH, Long.MAX_VALUE, nowMs));
                committer.submit(batch);
            }
            assertSame(failing, collect(committer));
            assertNull(committer.failure(), "batch N, written again, is committed");
            poller.onCommitted(failing.sources().get(0).lastIndex());
            for (int i = 0; i < following.length; i++)
            {
                assertSame(following[i], collect(committer));
                assertNull(committer.failure(), "batch N+" + (i + 1) + ", written again, is committed in order");
                poller.onCommitted(following[i].sources().get(0).lastIndex());
            }
            final DrainBatch last = following[following.length - 1];
            assertEquals(Long.valueOf(last.sources().get(0).lastIndex()), checkpoint());
            assertEquals((2L + following.length) * BATCH,
                Long.parseLong(environment.query("SELECT events FROM source_checkpoints")),
                "every batch counted once");
        }
    }

    @Test
    void shouldDeadLetterARowRefusedInTheCopyOfABatchWhileTheNextIsInFlight() throws Exception
    {
        // A fill of the second batch (position sequence + 1: the SourceStarted is the first excerpt).
        long poison = BATCH + BATCH / 2;
        while (MixedEvents.Type.FILL != MixedEvents.type(poison))
        {
            poison++;
        }
        final String fillId = MixedEvents.expected(STREAM, poison)[2];
        environment.execute("ALTER TABLE fills ADD CONSTRAINT no_poison_fill CHECK (fill_id <> '" + fillId + "')");
        final Path queueDirectory = environment.journalRoot().resolve(SOURCE_ID);
        final UUID journalId = IdentityFile.read(queueDirectory.resolve(IdentityFile.JOURNAL_ID));
        final long nowMs = System.currentTimeMillis();
        final DrainBatch first = new DrainBatch();
        final DrainBatch refused = new DrainBatch();
        final DrainBatch following = new DrainBatch();

        final HikariDataSource pool = environment.agentPool();
        try (SourcePoller poller = new SourcePoller(SOURCE_ID, queueDirectory, SourcePoller.NO_INDEX, journalId);
            BatchCommitter committer = new BatchCommitter(new PostgresBatchWriter(pool)))
        {
            assertEquals(BATCH, poller.poll(first, BATCH, Long.MAX_VALUE, nowMs));
            committer.submit(first);
            assertEquals(BATCH, poller.poll(refused, BATCH, Long.MAX_VALUE, nowMs));
            committer.submit(refused);
            assertSame(first, collect(committer));
            assertNull(committer.failure());
            assertEquals(BATCH, poller.poll(following, BATCH, Long.MAX_VALUE, nowMs));
            committer.submit(following);

            assertSame(refused, collect(committer));
            assertNull(committer.failure(), "the rest of the batch is committed");
            assertEquals(1, committer.rejected(), "one event refused");
            assertSame(following, collect(committer));
            assertNull(committer.failure(), "the batch after it is committed after it");
            assertFalse(committer.skipped());
        }

        assertEquals(SOURCE_ID + "|" + indexes[(int)poison], environment.query(
            "SELECT source_id || '|' || queue_index FROM dead_letters"));
        assertTrue(environment.query("SELECT reason FROM dead_letters").contains("no_poison_fill"),
            "PostgreSQL's reason");
        assertEquals("1", environment.query("SELECT count(*) FROM dead_letters WHERE length(raw_bytes) > 0"),
            "the excerpt's bytes");
        assertEquals(Long.toString(3L * BATCH - 2), historyRows(),
            "every other event of the three batches stored (the SourceStarted makes no history row)");
        assertEquals(Long.toString(3L * BATCH), environment.query("SELECT events FROM source_checkpoints"));
        assertEquals("0", environment.query("SELECT count(*) FROM fills WHERE fill_id = '" + fillId + "'"));
    }

    /**
     * A backlog: batch N+1 holds events of a month five months back, whose partitions do not exist yet, and batch
     * N+2, copied on the other thread, events of this month, whose partitions do. N+2's transaction must not begin
     * before N+1 has made its partitions: open, its COPY would hold a lock on the parent tables that the partitions'
     * creation waits for, while N+2 itself waits for N+1's commit (the two would wait for each other until the
     * socket timeout). Waiting so is a hang, not an exception: the timeout's own thread fails the test.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void shouldMakeAnOlderMonthsPartitionsBeforeTheNextBatchOpensItsTransaction() throws Exception
    {
        final String sourceId = "backlog";
        final long nowNs = System.currentTimeMillis() * 1_000_000L;
        final long olderNs = nowNs - TimeUnit.DAYS.toNanos(150);
        final long[] clockNs = {nowNs};
        try (TradeJournal journal = TradeJournal.open(environment.journalContext(sourceId)
            .epochNanoClock(() -> clockNs[0]++)))
        {
            final MixedEvents events = new MixedEvents();
            for (int sequence = 0; sequence < DEPTH_BATCHES * BATCH; sequence++)
            {
                // Excerpt 0 is the SourceStarted: the event of sequence s is excerpt s + 1.
                clockNs[0] = (1 == (sequence + 1) / BATCH ? olderNs : nowNs) + sequence * 1_000L;
                events.append(journal, STREAM, sequence);
            }
        }
        final Path queueDirectory = environment.journalRoot().resolve(sourceId);
        final UUID journalId = IdentityFile.read(queueDirectory.resolve(IdentityFile.JOURNAL_ID));
        final long nowMs = System.currentTimeMillis();
        final DrainBatch[] batches = new DrainBatch[DEPTH_BATCHES];

        try (SourcePoller poller = new SourcePoller(sourceId, queueDirectory, SourcePoller.NO_INDEX, journalId);
            BatchCommitter committer = new BatchCommitter(new PostgresBatchWriter(environment.agentPool())))
        {
            batches[0] = new DrainBatch();
            assertEquals(BATCH, poller.poll(batches[0], BATCH, Long.MAX_VALUE, nowMs));
            committer.submit(batches[0]);
            assertSame(batches[0], collect(committer));
            assertNull(committer.failure(), "this month's partitions made, the first batch committed");
            poller.onCommitted(batches[0].sources().get(0).lastIndex());

            // The test holds a lock that the partitions' creation waits for and a COPY does not: while N+1 waits
            // in its partition step, N+2 has all it needs to begin, and must not.
            try (Connection blocker = environment.dataSource().getConnection();
                Statement statement = blocker.createStatement())
            {
                blocker.setAutoCommit(false);
                statement.execute("LOCK TABLE order_events IN SHARE UPDATE EXCLUSIVE MODE");
                for (int i = 1; i < DEPTH_BATCHES; i++)
                {
                    batches[i] = new DrainBatch();
                    assertEquals(BATCH, poller.poll(batches[i], BATCH, Long.MAX_VALUE, nowMs));
                    committer.submit(batches[i]);
                }
                awaitQuery("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND " +
                    "wait_event_type = 'Lock' AND query LIKE '%create_history_partitions%'", "1");
                Thread.sleep(1_000);
                assertEquals("0", environment.query("SELECT count(*) FROM pg_stat_activity " +
                    "WHERE datname = current_database() AND query LIKE 'COPY %' AND state <> 'idle'"),
                    "no batch after N+1 copies while N+1 makes its partitions");
                blocker.commit();
            }
            for (int i = 1; i < DEPTH_BATCHES; i++)
            {
                assertSame(batches[i], collect(committer));
                assertNull(committer.failure(), "batch " + i + " committed");
                poller.onCommitted(batches[i].sources().get(0).lastIndex());
            }
            assertEquals(Long.toString(batches[DEPTH_BATCHES - 1].sources().get(0).lastIndex()), environment.query(
                "SELECT last_index FROM source_checkpoints WHERE source_id = '" + sourceId + "'"));
        }

        assertEquals(Long.toString(DEPTH_BATCHES * BATCH - 1L), historyRows(sourceId, ""),
            "every event stored once (the SourceStarted makes no history row)");
        assertEquals(Long.toString(BATCH), historyRows(sourceId, " AND append_time < now() - interval '100 days'"),
            "the second batch's events are stored with their time, five months back");
        for (final String table : HISTORY_TABLES)
        {
            assertEquals("0", environment.query("SELECT count(*) FROM " + table + "_default"),
                table + ": every row in its month's partition, none in the default one");
        }
    }

    @Test
    void shouldStoreEveryEventOnceWhenABatchFailsWhileTheNextIsCopied() throws Exception
    {
        failCheckpointUpdate(3, 1);
        final ReaderContext context = environment.context()
            .set(ReaderConfiguration.BATCH_MAX_EVENTS, Integer.toString(BATCH))
            .set(ReaderConfiguration.DISCOVERY_INTERVAL_MS, "10")
            .set(ReaderConfiguration.METRICS_PORT, "0")
            .set(ReaderConfiguration.RETRY_INITIAL_MS, "1")
            .set(ReaderConfiguration.RETRY_MAX_MS, "10")
            .conclude();
        drain(new DrainAgent(context, new PostgresBatchWriter(environment.agentPool()), SystemEpochClock.INSTANCE));
    }

    private void drain(final DrainAgent agent) throws Exception
    {
        try
        {
            final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DRAIN_TIMEOUT_MS);
            while (!Long.valueOf(queue.lastIndex).equals(checkpoint()))
            {
                if (System.nanoTime() - deadlineNs > 0)
                {
                    fail("not drained within " + DRAIN_TIMEOUT_MS + " ms: checkpoint " + checkpoint() + ", queue " +
                        queue);
                }
                for (int i = 0; i < 100; i++)
                {
                    if (0 == agent.doWork())
                    {
                        Thread.sleep(1);
                    }
                }
            }
        }
        finally
        {
            agent.onClose();
        }

        assertEquals("1", environment.query("SELECT last_value FROM overlap_copy_seen"),
            "another batch's COPY was done, uncommitted, when the batch failed");
        assertEquals(1, agent.failuresTotal(), "one failure: the batch rolled back after it is not another");
        assertEquals(queue.excerpts, agent.eventsCommitted(), "every excerpt committed once");
        assertEquals(Long.toString(queue.excerpts), environment.query("SELECT events FROM source_checkpoints"));
        final List<String> problems = new DrainedEventsVerifier(environment.dataSource(), List.of(
            new DrainedEventsVerifier.Source(SOURCE_ID, STREAM, indexes, queue, ProcessHandle.current().pid())))
            .verify(appendFromNs, appendToNs);
        if (!problems.isEmpty())
        {
            fail("the drained database differs from what was appended:\n" + String.join("\n", problems));
        }
    }

    /**
     * A trigger that fails the n-th checkpoint update (from 1) once {@code copies} other sessions have copied history
     * rows and sit idle in their transactions: the batches in flight after the failing one.
     */
    private void failCheckpointUpdate(final int update, final int copies) throws SQLException
    {
        environment.execute("CREATE SEQUENCE overlap_updates");
        environment.execute("CREATE SEQUENCE overlap_copy_seen MINVALUE 0 START 0");
        environment.execute("CREATE FUNCTION overlap_fail() RETURNS trigger LANGUAGE plpgsql AS $$ " +
            "BEGIN " +
            "  IF nextval('overlap_updates') = " + update + " THEN " +
            "    FOR attempt IN 1..1000 LOOP " +
            "      PERFORM pg_stat_clear_snapshot(); " +
            "      IF (SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() " +
            "          AND pid <> pg_backend_pid() AND state = 'idle in transaction' AND query LIKE 'COPY %') >= " +
            copies + " THEN " +
            "        PERFORM setval('overlap_copy_seen', 1); " +
            "        EXIT; " +
            "      END IF; " +
            "      PERFORM pg_sleep(0.01); " +
            "    END LOOP; " +
            "    RAISE EXCEPTION 'injected failure of a checkpoint update'; " +
            "  END IF; " +
            "  RETURN NEW; " +
            "END $$");
        environment.execute("CREATE TRIGGER overlap_fail BEFORE UPDATE ON source_checkpoints FOR EACH ROW " +
            "EXECUTE FUNCTION overlap_fail()");
    }

    private void awaitQuery(final String sql, final String expected) throws Exception
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String value = environment.query(sql);
        while (!expected.equals(value))
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                fail("not " + expected + " within 10 s but " + value + ": " + sql);
            }
            Thread.sleep(10);
            value = environment.query(sql);
        }
    }

    private static boolean mentions(final Throwable failure, final String text)
    {
        Throwable cause = failure;
        for (int depth = 0; null != cause && depth < 8; depth++)
        {
            if (String.valueOf(cause.getMessage()).contains(text))
            {
                return true;
            }
            cause = cause instanceof SQLException && null != ((SQLException)cause).getNextException() ?
                ((SQLException)cause).getNextException() : cause.getCause();
        }
        return false;
    }

    private static DrainBatch collect(final BatchCommitter committer)
    {
        committer.awaitDone();
        return committer.collect();
    }

    private static void assertSame(final DrainBatch expected, final DrainBatch actual)
    {
        assertTrue(expected == actual, "the batches come back in the order they were handed over");
    }

    private String historyRows() throws SQLException
    {
        return environment.query("SELECT (SELECT count(*) FROM order_events) + (SELECT count(*) FROM fills) + " +
            "(SELECT count(*) FROM trade_events) + (SELECT count(*) FROM pair_lock_events) + " +
            "(SELECT count(*) FROM balance_events)");
    }

    private String historyRows(final String sourceId, final String condition) throws SQLException
    {
        final StringBuilder sql = new StringBuilder("SELECT 0");
        for (final String table : HISTORY_TABLES)
        {
            sql.append(" + (SELECT count(*) FROM ").append(table).append(" WHERE source_id = '").append(sourceId)
                .append('\'').append(condition).append(')');
        }
        return environment.query(sql.toString());
    }

    private Long checkpoint() throws SQLException
    {
        final String value = environment.query("SELECT max(last_index) FROM source_checkpoints WHERE source_id = '" +
            SOURCE_ID + "'");
        return null == value ? null : Long.valueOf(value);
    }
}
