package io.tradestate.reader.drain;

import io.tradestate.codecs.OrderStatus;
import io.tradestate.codecs.OrderType;
import io.tradestate.codecs.Side;
import io.tradestate.files.IdentityFile;
import io.tradestate.reader.AgentTestEnvironment;
import io.tradestate.reader.CapturedLog;
import io.tradestate.reader.ReaderConfiguration;
import io.tradestate.reader.postgres.SchemaMigrations;
import io.tradestate.writer.TradeJournal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 16, "a heartbeat-only batch can move a checkpoint backwards": a checkpoint only moves forward from the index
 * the batch started after. Two pollers of one queue over one database (what two agents sharing a source amount to):
 * one drains the queue to its end; the other, still at the start, then writes a batch of writer status events only
 * (no history row, so no primary key to stop it). Before the compare-and-set the second batch was committed and set
 * the checkpoint back to the start of the queue, so that the next agent start drained the orders again. Now the batch
 * fails, naming the source and both indexes, and the checkpoint stays at the end of the queue.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CheckpointCompareAndSetIT
{
    private static final String SOURCE = "cas";
    private static final int ORDERS = 5;

    @RegisterExtension
    final AgentTestEnvironment environment = new AgentTestEnvironment("checkpoint_cas")
        .settings((context) -> context.set(ReaderConfiguration.METRICS_PORT, "-1")
            .set(ReaderConfiguration.STATE_ENABLED, "false")
            .set(ReaderConfiguration.DISCOVERY_INTERVAL_MS, "50"));

    @RegisterExtension
    final CapturedLog log = new CapturedLog();

    @Test
    void shouldStopReadingASourceWhoseCheckpointMovedUnderTheAgentAndKeepDrainingTheOthers() throws Exception
    {
        final long lastOfMoved = environment.appendOrders("moved", "m-", ORDERS);
        final long lastOfOther = environment.appendOrders("other", "o-", ORDERS);
        environment.launch();
        environment.awaitCheckpoint("moved", lastOfMoved, 60_000);
        environment.awaitCheckpoint("other", lastOfOther, 60_000);

        // What a second reader of the source would leave: its own, older index.
        final long foreignIndex = lastOfMoved - 1;
        environment.execute(
            "UPDATE source_checkpoints SET last_index = " + foreignIndex + " WHERE source_id = 'moved'");
        environment.appendOrders("moved", "m-more-", ORDERS);
        final long lastOfOtherMore = environment.appendOrders("other", "o-more-", ORDERS);
        environment.awaitCheckpoint("other", lastOfOtherMore, 60_000);
        Thread.sleep(1_000);

        assertEquals(Long.valueOf(foreignIndex), environment.checkpoint("moved"), "not moved by this agent");
        assertEquals(Integer.toString(ORDERS), environment.query(
            "SELECT count(*) FROM order_events WHERE source_id = 'moved'"), "nothing stored from a stale position");
        assertEquals(Integer.toString(2 * ORDERS), environment.query(
            "SELECT count(*) FROM order_events WHERE source_id = 'other'"), "the other source keeps draining");
        final List<String> errors = log.errorLines();
        assertEquals(1, errors.size(), "one error: " + errors);
        assertTrue(errors.get(0).contains("source moved: checkpoint compare-and-set failed") &&
            errors.get(0).contains("expected 0x" + Long.toHexString(lastOfMoved)) &&
            errors.get(0).contains("holds 0x" + Long.toHexString(foreignIndex)), errors.get(0));
    }

    @Test
    void shouldRefuseABatchWhoseExpectedPreviousIndexIsNotTheCheckpoint() throws Exception
    {
        SchemaMigrations.migrate(environment.dataSource());
        for (int open = 0; open < 3; open++)
        {
            // Each open appends a SourceStarted: three status events at the start of the queue.
            TradeJournal.open(environment.journalContext(SOURCE).warmUpAppends(0)).close();
        }
        long lastIndex = 0;
        try (TradeJournal journal = TradeJournal.open(environment.journalContext(SOURCE).warmUpAppends(0)))
        {
            for (int i = 0; i < ORDERS; i++)
            {
                lastIndex = order(journal, "o-" + i);
            }
        }
        final Path queue = environment.journalRoot().resolve(SOURCE);
        drainThenWriteStaleBatches(new PostgresBatchWriter(environment.agentPool()), queue, lastIndex);
        assertEquals(Integer.toString(3 + 1 + ORDERS), environment.query("SELECT events FROM source_checkpoints"));
        assertEquals(Integer.toString(ORDERS), environment.query("SELECT count(*) FROM order_events"));
    }

    private void drainThenWriteStaleBatches(final PostgresBatchWriter writer, final Path queue, final long lastIndex)
        throws Exception
    {
        final long nowMs = System.currentTimeMillis();
        final UUID journalId = IdentityFile.read(queue.resolve(IdentityFile.JOURNAL_ID));

        final DrainBatch batch = new DrainBatch();
        try (SourcePoller drain = new SourcePoller(SOURCE, queue, SourcePoller.NO_INDEX, journalId))
        {
            assertEquals(3 + 1 + ORDERS, drain.poll(batch, 1_000, Long.MAX_VALUE, nowMs));
            writer.write(batch);
            drain.onCommitted(batch.sources().get(0).lastIndex());
            batch.reset();
        }
        assertEquals(lastIndex, environment.checkpoint(SOURCE));

        final DrainBatch stale = new DrainBatch();
        final long firstIndex;
        try (SourcePoller twin = new SourcePoller(SOURCE, queue, SourcePoller.NO_INDEX, journalId))
        {
            assertEquals(2, twin.poll(stale, 2, Long.MAX_VALUE, nowMs));
            assertEquals(0, stale.tables().rows(), "status events only");
            final SQLException fromStart = assertThrows(SQLException.class, () -> writer.write(stale));
            assertTrue(fromStart.getMessage().contains("source " + SOURCE) &&
                fromStart.getMessage().contains("0x" + Long.toHexString(lastIndex)), fromStart.getMessage());
            writer.onRolledBack();
            twin.rewind();
            stale.reset();
            assertEquals(1, twin.poll(stale, 1, Long.MAX_VALUE, nowMs));
            firstIndex = stale.sources().get(0).lastIndex();
            stale.reset();
            twin.rewind();
        }
        assertEquals(lastIndex, environment.checkpoint(SOURCE), "the checkpoint never moves backwards");

        try (SourcePoller behind = new SourcePoller(SOURCE, queue, firstIndex, journalId))
        {
            assertEquals(1, behind.poll(stale, 1, Long.MAX_VALUE, nowMs));
            final SQLException fromBehind = assertThrows(SQLException.class, () -> writer.write(stale));
            assertTrue(fromBehind.getMessage().contains("expected 0x" + Long.toHexString(firstIndex)),
                fromBehind.getMessage());
            writer.onRolledBack();
            stale.reset();
        }
        assertEquals(lastIndex, environment.checkpoint(SOURCE), "the checkpoint never moves backwards");
    }

    private static long order(final TradeJournal journal, final String orderId)
    {
        return journal.orderUpdate().exchange("binance").symbol("BTC/USDT").orderId(orderId).side(Side.BUY)
            .orderType(OrderType.LIMIT).status(OrderStatus.OPEN).amount(1, 0).price(100, 0).commit();
    }
}
