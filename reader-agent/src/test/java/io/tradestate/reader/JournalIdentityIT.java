package io.tradestate.reader;

import io.tradestate.codecs.OrderStatus;
import io.tradestate.codecs.OrderType;
import io.tradestate.codecs.Side;
import io.tradestate.writer.TradeJournal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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

    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private PrintStream standardError;

    @BeforeEach
    void captureLog()
    {
        standardError = System.err;
        final PrintStream original = standardError;
        System.setErr(new PrintStream(new OutputStream()
        {
            public void write(final int b)
            {
                original.write(b);
                synchronized (log)
                {
                    log.write(b);
                }
            }

            public void write(final byte[] bytes, final int offset, final int length)
            {
                original.write(bytes, offset, length);
                synchronized (log)
                {
                    log.write(bytes, offset, length);
                }
            }
        }, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreLog()
    {
        System.setErr(standardError);
    }

    @Test
    void shouldRefuseARenamedJournalUntilTheOperatorAcceptsTheRename() throws Exception
    {
        final long lastOfA = append("a", "a-", 10);
        final long lastOfB = append("b", "b-", 5);
        environment.launch();
        environment.awaitCheckpoint("a", lastOfA, DRAIN_TIMEOUT_MS);
        environment.awaitCheckpoint("b", lastOfB, DRAIN_TIMEOUT_MS);
        environment.stopAgent();

        Files.move(environment.journalRoot().resolve("a"), environment.journalRoot().resolve("a.old"));
        final long lastOfBAfter = append("b", "b-after-", 5);
        environment.launch();
        environment.awaitCheckpoint("b", lastOfBAfter, DRAIN_TIMEOUT_MS);
        Thread.sleep(20 * DISCOVERY_MS); // twenty discoveries: a.old stays refused, and is reported once

        assertEquals("0", count("a.old"), "the renamed journal's events are not stored again");
        assertNull(environment.checkpoint("a.old"));
        assertEquals("10", count("a"));
        assertEquals("10", count("b"), "the other sources keep draining");
        final List<String> errors = errorLines();
        assertEquals(1, errors.size(), "one error: " + errors);
        assertTrue(errors.get(0).contains("a.old") && errors.get(0).contains("source a ") &&
            errors.get(0).contains("accept_journal_rename('a', 'a.old')"), errors.get(0));

        environment.execute("SELECT accept_journal_rename('a', 'a.old')");
        final long lastOfRenamed = append("a.old", "renamed-", 3);
        environment.awaitCheckpoint("a.old", lastOfRenamed, DRAIN_TIMEOUT_MS);
        assertEquals("3", count("a.old"), "the renamed journal continues after its old checkpoint");
        assertEquals("10", count("a"));
        assertNull(environment.checkpoint("a"), "the checkpoint moved to the new name");
        assertEquals(1, errorLines().size(), "no other error: " + errorLines());
        assertEquals("0", environment.query("SELECT count(*) FROM dead_letters"));
    }

    @Test
    void shouldRefuseAReplacedJournalInsteadOfDrainingItFromAnotherQueuesCheckpoint() throws Exception
    {
        final long lastOfA = append("a", "old-", 10);
        environment.launch();
        environment.awaitCheckpoint("a", lastOfA, DRAIN_TIMEOUT_MS);
        environment.stopAgent();

        deleteRecursively(environment.journalRoot().resolve("a"));
        append("a", "new-", 15);
        final long lastOfB = append("b", "b-", 5);
        environment.launch();
        environment.awaitCheckpoint("b", lastOfB, DRAIN_TIMEOUT_MS);
        Thread.sleep(20 * DISCOVERY_MS);

        assertEquals("10", count("a"), "nothing of the new journal is stored under the old one's checkpoint");
        assertEquals("0", environment.query("SELECT count(*) FROM order_events WHERE order_id LIKE 'new-%'"));
        assertEquals(Long.valueOf(lastOfA), environment.checkpoint("a"));
        assertEquals("5", count("b"), "the other sources keep draining");
        final List<String> errors = errorLines();
        assertEquals(1, errors.size(), "one error: " + errors);
        assertTrue(errors.get(0).contains("source a ") && errors.get(0).contains("replaced"), errors.get(0));
        assertEquals("0", environment.query("SELECT count(*) FROM dead_letters"));
    }

    private long append(final String sourceId, final String orderPrefix, final int orders)
    {
        long lastIndex = -1;
        try (TradeJournal journal = TradeJournal.open(environment.journalContext(sourceId).warmUpAppends(0)))
        {
            for (int i = 0; i < orders; i++)
            {
                lastIndex = journal.orderUpdate().exchange("binance").symbol("BTC/USDT").orderId(orderPrefix + i)
                    .side(Side.BUY).orderType(OrderType.LIMIT).status(OrderStatus.OPEN).amount(1, 0).price(100, 0)
                    .commit();
            }
            return lastIndex;
        }
    }

    private String count(final String sourceId) throws Exception
    {
        return environment.query("SELECT count(*) FROM order_events WHERE source_id = '" + sourceId + "'");
    }

    private List<String> errorLines()
    {
        final String text;
        synchronized (log)
        {
            text = log.toString(StandardCharsets.UTF_8);
        }
        final List<String> errors = new ArrayList<>();
        for (final String line : text.split("\n"))
        {
            if (line.contains("[ERROR]"))
            {
                errors.add(line);
            }
        }
        return errors;
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
