package io.tradestate.reader.drain;

import io.tradestate.reader.AgentTestEnvironment;
import io.tradestate.reader.CommitReplyLosingDataSource;
import io.tradestate.reader.DatabaseOutageIT;
import io.tradestate.reader.DrainedEventsVerifier;
import io.tradestate.reader.MixedEvents;
import io.tradestate.reader.QueueSummary;
import io.tradestate.reader.ReaderConfiguration;
import io.tradestate.reader.ReaderContext;
import io.tradestate.writer.TradeJournal;
import org.agrona.concurrent.SystemEpochClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A commit whose outcome the agent cannot know: the server applied it, but the reply never arrived (the server was
 * stopped or died right after committing, or the network dropped), so the agent sees a failed batch. Found by
 * {@link DatabaseOutageIT}: PostgreSQL's fast shutdown lets a backend finish a commit in progress and then
 * terminates the session, which the client sees as {@code FATAL: terminating connection due to administrator
 * command} thrown by {@code commit()}.
 * <p>
 * The drain must then resume after the checkpoint the database holds, not the one it last saw committed: replaying
 * the batch would hit the history tables' primary keys again and again, and the agent would stall for good, having
 * logged the failure once. Driven step by step with a {@link CommitReplyLosingDataSource}, so the lost reply happens
 * every time, at a batch boundary in the middle of the stream.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LostCommitReplyIT
{
    private static final String SOURCE_ID = "lost-reply";
    private static final int STREAM = 7;
    private static final int EVENTS = 2_000;
    private static final int LOST_COMMIT = 3;
    private static final long DRAIN_TIMEOUT_MS = 30_000;

    @RegisterExtension
    final AgentTestEnvironment environment = new AgentTestEnvironment("lost_commit_reply").migrated();

    @Test
    void shouldStoreEveryEventOnceWhenACommitIsAppliedButItsReplyIsLost() throws Exception
    {
        final long appendFromNs = TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis() - 1_000);
        final Path journalRoot = environment.journalRoot();
        final long[] indexes = new long[EVENTS];
        try (TradeJournal journal = environment.journal(SOURCE_ID))
        {
            final MixedEvents events = new MixedEvents();
            for (int sequence = 0; sequence < EVENTS; sequence++)
            {
                indexes[sequence] = events.append(journal, STREAM, sequence);
            }
        }
        final long appendToNs = TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis() + 1_000);
        final QueueSummary queue = QueueSummary.of(journalRoot.resolve(SOURCE_ID));

        final ReaderContext context = environment.context()
            .set(ReaderConfiguration.BATCH_MAX_EVENTS, "100")
            .set(ReaderConfiguration.DISCOVERY_INTERVAL_MS, "10")
            .set(ReaderConfiguration.METRICS_PORT, "0")
            .set(ReaderConfiguration.RETRY_INITIAL_MS, "1")
            .set(ReaderConfiguration.RETRY_MAX_MS, "10")
            .conclude();
        final CommitReplyLosingDataSource losing =
            new CommitReplyLosingDataSource(environment.dataSource(), LOST_COMMIT);
        final DrainAgent agent = new DrainAgent(
            context, new PostgresBatchWriter(losing.dataSource()), SystemEpochClock.INSTANCE);
        try
        {
            final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DRAIN_TIMEOUT_MS);
            while (!Long.valueOf(queue.lastIndex).equals(checkpoint()))
            {
                if (System.nanoTime() - deadlineNs > 0)
                {
                    fail("not drained within " + DRAIN_TIMEOUT_MS + " ms after the reply of commit " + LOST_COMMIT +
                        " was lost: checkpoint " + hex(checkpoint()) + ", queue " + queue + ", " + losing.commits() +
                        " commits");
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

        assertTrue(losing.commits() > LOST_COMMIT, "the reply of commit " + LOST_COMMIT + " must have been lost");
        final List<String> problems = new DrainedEventsVerifier(environment.dataSource(), List.of(
            new DrainedEventsVerifier.Source(SOURCE_ID, STREAM, indexes, queue, ProcessHandle.current().pid())))
            .verify(appendFromNs, appendToNs);
        if (!problems.isEmpty())
        {
            fail("the drained database differs from what was appended:\n" + String.join("\n", problems));
        }
    }

    private static String hex(final Long index)
    {
        return null == index ? "none" : "0x" + Long.toHexString(index);
    }

    private Long checkpoint() throws SQLException
    {
        try (Connection connection = environment.dataSource().getConnection();
            Statement statement = connection.createStatement();
            ResultSet rows = statement.executeQuery(
                "SELECT last_index FROM source_checkpoints WHERE source_id = '" + SOURCE_ID + "'"))
        {
            return rows.next() ? rows.getLong(1) : null;
        }
    }
}
