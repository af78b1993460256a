package io.tradestate.reader;

import io.tradestate.codecs.OrderStatus;
import io.tradestate.codecs.OrderType;
import io.tradestate.codecs.Side;
import io.tradestate.reader.state.StateMapsVerifier;
import io.tradestate.reader.state.StateSnapshot;
import io.tradestate.writer.TradeJournal;
import io.tradestate.writer.state.TradeStateView;
import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.File;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Journal retention with a real agent, real queue files and a real PostgreSQL: cycle files go once the database and
 * the state snapshot are past them, never the one holding the checkpoint; a restarted agent rebuilds complete state
 * maps from the snapshot and the cycles left, and drains what came after exactly once. Without the snapshot the same
 * rebuild misses what the deleted cycles held: the check that proves the snapshot is what carries the state.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class JournalRetentionIT
{
    private static final String SOURCE = "retained";
    private static final int CYCLES = 6;
    private static final int ORDERS_PER_CYCLE = 50;
    private static final long CYCLE_MS = TimeUnit.MINUTES.toMillis(5);

    @RegisterExtension
    final AgentTestEnvironment environment = new AgentTestEnvironment("retention")
        .settings((context) -> context
            .set(ReaderConfiguration.JOURNAL_RETENTION_MS, "0")
            .set(ReaderConfiguration.JOURNAL_RETENTION_CHECK_MS, "100")
            .set(ReaderConfiguration.STATE_SNAPSHOT_INTERVAL_MS, "200")
            .set(ReaderConfiguration.JOURNAL_FREE_WARN_BYTES, String.valueOf(Long.MAX_VALUE))); // always "low"

    private final SetTimeProvider time = new SetTimeProvider(
        (System.currentTimeMillis() / CYCLE_MS - 2 * CYCLES) * CYCLE_MS * 1_000_000L);
    private long lastIndex;
    private int appended;

    @Test
    void shouldDeleteDrainedCyclesBehindTheSnapshotAndRebuildCompleteStateFromIt() throws Exception
    {
        for (int cycle = 0; cycle < CYCLES; cycle++)
        {
            appendCycle(cycle);
        }
        assertEquals(CYCLES, cycleFiles().length);

        environment.launch();
        awaitCheckpoint();
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (cycleFiles().length > 1 && System.nanoTime() - deadlineNs < 0)
        {
            Thread.sleep(50);
        }
        assertEquals(1, cycleFiles().length, "only the cycle holding the checkpoint is left");
        assertEquals(appended, queryLong("SELECT count(*) FROM order_events"), "nothing lost by the deletion");
        assertFirstExcerptReadableFromStart();
        final String metrics = scrape(environment.agent());
        assertTrue(metrics.contains("\ntradestate_journal_files_deleted_total " + (CYCLES - 1) + "\n"), metrics);
        assertTrue(metrics.contains("\ntradestate_source_oldest_cycle_age_seconds{source=\"" + SOURCE + "\"} "),
            metrics);
        assertTrue(metrics.contains("\ntradestate_journal_free_space_low 1\n"), metrics);
        environment.stopAgent(); // writes the last snapshot

        appendCycle(CYCLES);
        environment.launch();
        awaitCheckpoint();
        assertEquals(appended, queryLong("SELECT count(*) FROM order_events"), "each event exactly once");
        assertEquals(0, queryLong("SELECT count(*) FROM dead_letters"));
        StateMapsAssertions.assertMapsEqualTables(environment.stateDir(), environment.dataSource());
        assertEquals((CYCLES + 1) * ORDERS_PER_CYCLE, queryLong("SELECT count(*) FROM orders WHERE status = 'open'"));
        environment.stopAgent();

        // The same rebuild without the snapshot: the orders of the deleted cycles are missing from the maps.
        Files.delete(environment.stateDir().resolve(StateSnapshot.FILE_NAME));
        environment.launch();
        try (TradeStateView view = TradeStateView.open(environment.stateDir());
            Connection connection = environment.dataSource().getConnection())
        {
            assertTrue(view.awaitAvailable(60_000));
            awaitGeneration(view, 3);
            final List<String> differences = StateMapsVerifier.differences(view, connection,
                TimeUnit.HOURS.toMillis(1), System.currentTimeMillis());
            assertNotEquals(List.of(), differences, "a replay of the cycles left cannot hold the deleted ones");
        }
    }

    private void appendCycle(final int cycle)
    {
        time.currentTimeMillis(time.currentTimeMillis() + CYCLE_MS);
        try (TradeJournal journal = TradeJournal.open(environment.journalContext(SOURCE)
            .rollCycle(RollCycles.FIVE_MINUTELY).timeProvider(time)))
        {
            for (int i = 0; i < ORDERS_PER_CYCLE; i++)
            {
                lastIndex = journal.orderUpdate()
                    .exchange("binance").symbol("BTC/USDT").orderId("o-" + cycle + "-" + i).tradeId(i)
                    .side(Side.BUY).orderType(OrderType.LIMIT).status(OrderStatus.OPEN).price(6412350, -2)
                    .amount(15, -3).filled(0, 0).remaining(15, -3).commit();
                appended++;
            }
        }
    }

    private File[] cycleFiles()
    {
        final File[] files = environment.journalRoot().resolve(SOURCE).toFile()
            .listFiles((dir, name) -> name.endsWith(".cq4"));
        return null == files ? new File[0] : files;
    }

    private void assertFirstExcerptReadableFromStart()
    {
        try (SingleChronicleQueue queue = SingleChronicleQueueBuilder.single(
            environment.journalRoot().resolve(SOURCE).toFile()).readOnly(true).build();
            ExcerptTailer tailer = queue.createTailer())
        {
            try (DocumentContext context = tailer.readingDocument())
            {
                assertTrue(context.isPresent(), "a new reader starts at the first cycle left");
                assertEquals(queue.rollCycle().toCycle(lastIndex), queue.rollCycle().toCycle(context.index()),
                    "the first excerpt is in the last cycle");
            }
        }
    }

    private void awaitCheckpoint() throws Exception
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() - deadlineNs < 0)
        {
            final Long checkpoint = queryNullable(
                "SELECT last_index FROM source_checkpoints WHERE source_id = '" + SOURCE + "'");
            if (null != checkpoint && checkpoint >= lastIndex)
            {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("not drained within 60 s up to " + Long.toHexString(lastIndex));
    }

    private static void awaitGeneration(final TradeStateView view, final long generation) throws Exception
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (view.generation() < generation && System.nanoTime() - deadlineNs < 0)
        {
            Thread.sleep(50);
        }
        assertFalse(view.generation() < generation, "generation " + generation + " never published");
    }

    private static String scrape(final ReaderAgent agent) throws Exception
    {
        final java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
            java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                "http://127.0.0.1:" + agent.metricsPort() + "/metrics")).build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
        return response.body();
    }

    private long queryLong(final String sql) throws SQLException
    {
        final Long value = queryNullable(sql);
        return null == value ? 0 : value;
    }

    private Long queryNullable(final String sql) throws SQLException
    {
        try (Connection connection = environment.dataSource().getConnection();
            Statement statement = connection.createStatement();
            ResultSet rows = statement.executeQuery(sql))
        {
            if (!rows.next())
            {
                return null;
            }
            final long value = rows.getLong(1);
            return rows.wasNull() ? null : value;
        }
    }
}
