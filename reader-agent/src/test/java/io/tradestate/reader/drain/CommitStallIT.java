package io.tradestate.reader.drain;

import io.tradestate.reader.AgentTestEnvironment;
import io.tradestate.reader.ReaderAgent;
import io.tradestate.reader.ReaderConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A batch write that does not return is seen by the watchdog, although the drain's thread goes on cycling: batches
 * are written by the committer's thread ({@link BatchCommitter}) while the drain reads the next one, so a hung write
 * no longer stops the drain's duty cycle, which is all the watchdog looked at. Here another session holds a lock on
 * {@code source_checkpoints}, as a long maintenance statement would: {@link ReaderAgent#stalledAgent} names the
 * committer once the write has waited past the limit, not the drain, and nothing once the lock is released and the
 * events are stored, each once.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CommitStallIT
{
    private static final long DRAIN_TIMEOUT_MS = 60_000;
    private static final long STALL_LIMIT_NS = TimeUnit.SECONDS.toNanos(1);

    @RegisterExtension
    final AgentTestEnvironment environment = new AgentTestEnvironment("commit_stall")
        .settings((context) -> context.set(ReaderConfiguration.METRICS_PORT, "-1")
            .set(ReaderConfiguration.STATE_ENABLED, "false"));

    @Test
    void shouldReportABatchWriteThatDoesNotReturnWhileTheDrainKeepsCycling() throws Exception
    {
        final ReaderAgent agent = environment.launch();
        environment.awaitCheckpoint("alpha", environment.appendOrders("alpha", "first-", 5), DRAIN_TIMEOUT_MS);
        assertNull(agent.stalledAgent(System.nanoTime(), STALL_LIMIT_NS));

        final long lastIndex;
        try (Connection maintenance = environment.dataSource().getConnection())
        {
            maintenance.setAutoCommit(false);
            try (Statement statement = maintenance.createStatement())
            {
                statement.execute("LOCK TABLE source_checkpoints IN ACCESS EXCLUSIVE MODE");
            }
            lastIndex = environment.appendOrders("alpha", "second-", 5);

            final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DRAIN_TIMEOUT_MS);
            String stalled = null;
            while (null == stalled)
            {
                if (System.nanoTime() - deadlineNs > 0)
                {
                    fail("the blocked batch write was never reported to the watchdog");
                }
                Thread.sleep(50);
                stalled = agent.stalledAgent(System.nanoTime(), STALL_LIMIT_NS);
            }
            assertEquals(BatchCommitter.THREAD_NAME, stalled, "the committer, while the drain itself keeps cycling");
            // From the database, not the agent's counters, which a batch joins only once its outcome is collected.
            assertEquals("5", environment.query("SELECT count(*) FROM order_events"),
                "the second batch waits, uncommitted");
            maintenance.rollback();
        }

        environment.awaitCheckpoint("alpha", lastIndex, DRAIN_TIMEOUT_MS);
        assertNull(agent.stalledAgent(System.nanoTime(), STALL_LIMIT_NS));
        assertEquals("10", environment.query("SELECT count(*) FROM order_events"));
        assertEquals("10", environment.query("SELECT count(DISTINCT order_id) FROM order_events"));
    }
}
