package io.tradestate.reader;

import io.tradestate.files.IdentityFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 16, "a renamed journal folder is drained twice": a journal is known by its identity (the journal id its
 * writer stores beside the queue, recorded with the checkpoint), not by its folder's name. A folder whose journal is
 * already drained under another source id is refused with one error naming both and the operator's command, and
 * nothing of it is stored; a folder whose journal is not the one drained so far under its name (deleted and made
 * again) is refused the same way, instead of being drained from a checkpoint of another queue. Other sources keep
 * draining meanwhile, and once the operator accepts the rename the journal continues under its new name from its old
 * checkpoint. Before: every event of the renamed folder was stored a second time, and the replaced folder was drained
 * from the old checkpoint, its first events skipped, both without a word.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JournalIdentityIT
{
    private static final long DRAIN_TIMEOUT_MS = 60_000;
    private static final long DISCOVERY_MS = 50;

    @RegisterExtension
    final AgentTestEnvironment environment = new AgentTestEnvironment("journal_identity")
        .settings((context) -> context.set(ReaderConfiguration.METRICS_PORT, "-1")
            .set(ReaderConfiguration.STATE_ENABLED, "false")
            .set(ReaderConfiguration.DISCOVERY_INTERVAL_MS, Long.toString(DISCOVERY_MS)));

    @RegisterExtension
    final CapturedLog log = new CapturedLog();

    @Test
    void shouldRefuseARenamedJournalUntilTheOperatorAcceptsTheRename() throws Exception
    {
        final long lastOfA = environment.appendOrders("a", "a-", 10);
        final long lastOfB = environment.appendOrders("b", "b-", 5);
        environment.launch();
        environment.awaitCheckpoint("a", lastOfA, DRAIN_TIMEOUT_MS);
        environment.awaitCheckpoint("b", lastOfB, DRAIN_TIMEOUT_MS);
        environment.stopAgent();

        Files.move(environment.journalRoot().resolve("a"), environment.journalRoot().resolve("a.old"));
        final long lastOfBAfter = environment.appendOrders("b", "b-after-", 5);
        environment.launch();
        environment.awaitCheckpoint("b", lastOfBAfter, DRAIN_TIMEOUT_MS);
        Thread.sleep(20 * DISCOVERY_MS); // twenty discoveries: a.old stays refused, and is reported once

        assertEquals("0", count("a.old"), "the renamed journal's events are not stored again");
        assertNull(environment.checkpoint("a.old"));
        assertEquals("10", count("a"));
        assertEquals("10", count("b"), "the other sources keep draining");
        final List<String> errors = log.errorLines();
        assertEquals(1, errors.size(), "one error: " + errors);
        assertTrue(errors.get(0).contains("a.old") && errors.get(0).contains("source a ") &&
            errors.get(0).contains("accept_journal_rename('a', 'a.old')"), errors.get(0));

        environment.execute("SELECT accept_journal_rename('a', 'a.old')");
        final long lastOfRenamed = environment.appendOrders("a.old", "renamed-", 3);
        environment.awaitCheckpoint("a.old", lastOfRenamed, DRAIN_TIMEOUT_MS);
        assertEquals("3", count("a.old"), "the renamed journal continues after its old checkpoint");
        assertEquals("10", count("a"));
        assertNull(environment.checkpoint("a"), "the checkpoint moved to the new name");
        assertEquals(1, log.errorLines().size(), "no other error: " + log.errorLines());
        assertEquals("0", environment.query("SELECT count(*) FROM dead_letters"));
    }

    @Test
    void shouldRefuseAReplacedJournalInsteadOfDrainingItFromAnotherQueuesCheckpoint() throws Exception
    {
        final long lastOfA = environment.appendOrders("a", "old-", 10);
        environment.launch();
        environment.awaitCheckpoint("a", lastOfA, DRAIN_TIMEOUT_MS);
        environment.stopAgent();

        deleteRecursively(environment.journalRoot().resolve("a"));
        environment.appendOrders("a", "new-", 15);
        final long lastOfB = environment.appendOrders("b", "b-", 5);
        environment.launch();
        environment.awaitCheckpoint("b", lastOfB, DRAIN_TIMEOUT_MS);
        Thread.sleep(20 * DISCOVERY_MS);

        assertEquals("10", count("a"), "nothing of the new journal is stored under the old one's checkpoint");
        assertEquals("0", environment.query("SELECT count(*) FROM order_events WHERE order_id LIKE 'new-%'"));
        assertEquals(Long.valueOf(lastOfA), environment.checkpoint("a"));
        assertEquals("5", count("b"), "the other sources keep draining");
        final List<String> errors = log.errorLines();
        assertEquals(1, errors.size(), "one error: " + errors);
        assertTrue(errors.get(0).contains("source a ") && errors.get(0).contains("replaced"), errors.get(0));
        assertEquals("0", environment.query("SELECT count(*) FROM dead_letters"));
    }

    @Test
    void shouldRecordTheIdentitiesOfWhatWasDrainedBeforeThemAndThenRefuseARename() throws Exception
    {
        final long lastOfA = environment.appendOrders("a", "a-", 10);
        environment.launch();
        environment.awaitCheckpoint("a", lastOfA, DRAIN_TIMEOUT_MS);
        environment.stopAgent();
        // As a writer and an agent before schema version 10 left them: no journal.id, no agent.id, no ids in the rows.
        environment.execute("UPDATE source_checkpoints SET journal_id = NULL",
            "UPDATE source_owners SET agent_id = NULL");
        Files.delete(environment.journalRoot().resolve("a").resolve(IdentityFile.JOURNAL_ID));
        Files.delete(environment.stateDir().resolve(IdentityFile.AGENT_ID));

        environment.launch();
        final String recorded = await("SELECT journal_id FROM source_checkpoints WHERE source_id = 'a'");
        assertEquals(IdentityFile.read(environment.journalRoot().resolve("a").resolve(IdentityFile.JOURNAL_ID))
            .toString(), recorded, "the journal's identity, made by the agent, recorded with its old checkpoint");
        assertEquals(IdentityFile.read(environment.stateDir().resolve(IdentityFile.AGENT_ID)).toString(),
            await("SELECT agent_id FROM source_owners WHERE source_id = 'a'"), "the claim by name taken over");
        final long lastOfMore = environment.appendOrders("a", "a-more-", 2);
        environment.awaitCheckpoint("a", lastOfMore, DRAIN_TIMEOUT_MS);
        environment.stopAgent();

        Files.move(environment.journalRoot().resolve("a"), environment.journalRoot().resolve("a.old"));
        environment.launch();
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DRAIN_TIMEOUT_MS);
        while (log.errorLines().isEmpty() && System.nanoTime() - deadlineNs < 0)
        {
            Thread.sleep(DISCOVERY_MS);
        }
        Thread.sleep(20 * DISCOVERY_MS);
        assertEquals("0", count("a.old"), "the renamed journal's events are not stored again");
        assertEquals("12", count("a"));
        final List<String> errors = log.errorLines();
        assertEquals(1, errors.size(), "one error: " + errors);
        assertTrue(errors.get(0).contains("accept_journal_rename('a', 'a.old')"), errors.get(0));
    }

    private String await(final String sql) throws Exception
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DRAIN_TIMEOUT_MS);
        String value = environment.query(sql);
        while (null == value && System.nanoTime() - deadlineNs < 0)
        {
            Thread.sleep(DISCOVERY_MS);
            value = environment.query(sql);
        }
        return value;
    }

    private String count(final String sourceId) throws Exception
    {
        return environment.query("SELECT count(*) FROM order_events WHERE source_id = '" + sourceId + "'");
    }

    private static void deleteRecursively(final Path directory) throws IOException
    {
        try (Stream<Path> paths = Files.walk(directory))
        {
            for (final Path path : (Iterable<Path>)paths.sorted(Comparator.reverseOrder())::iterator)
            {
                Files.delete(path);
            }
        }
    }
}
