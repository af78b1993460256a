package io.tradestate.reader;

import io.tradestate.codecs.OrderStatus;
import io.tradestate.codecs.OrderType;
import io.tradestate.codecs.Side;
import io.tradestate.writer.TradeJournal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Issue 16, leaks. A journal folder deleted under a running agent (a strategy retired, its journal removed to free
 * the disk) is let go. Before, the drain, the state publisher and the status collector each kept its queue open for
 * the agent's life, so the deleted cycle files stayed mapped and their disk space was never freed (seen here as the
 * process's mappings of the deleted files). Now each closes the queue at its next discovery and the other sources go
 * on; a folder made again under the same name is discovered anew, and checked by its journal's identity like any.
 * And a source that cannot be opened (its checkpoint is not in its queue), tried again at each discovery, no longer
 * leaves a queue open each time.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JournalLeaksIT
{
    private static final long WAIT_MS = 15_000;

    @RegisterExtension
    final AgentTestEnvironment environment = new AgentTestEnvironment("journal_leaks")
        .settings((context) -> context
            .set(ReaderConfiguration.DISCOVERY_INTERVAL_MS, "50")
            .set(ReaderConfiguration.METRICS_PORT, "0"));

    @Test
    void shouldCloseTheQueueOfADeletedJournalFolderAndGoOnWithTheOthers() throws Exception
    {
        final long lastRetired = append("retired", 0, 20);
        final long lastKept = append("kept", 0, 20);
        environment.launch();
        environment.awaitCheckpoint("retired", lastRetired, 60_000);
        environment.awaitCheckpoint("kept", lastKept, 60_000);
        scrape(); // the status collector opens its queues too
        final Path retired = environment.journalRoot().resolve("retired");
        awaitMappings(retired, true);

        deleteRecursively(retired);
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
        List<String> mapped = ProcessMappings.files(retired);
        while (!mapped.isEmpty())
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                fail("files of the deleted journal are still mapped " + WAIT_MS + " ms after it was deleted: " +
                    mapped);
            }
            scrape();
            Thread.sleep(50);
            mapped = ProcessMappings.files(retired);
        }

        final long lastKeptAgain = append("kept", 20, 40);
        environment.awaitCheckpoint("kept", lastKeptAgain, 60_000);
        assertEquals(String.valueOf(lastRetired), environment.query(
            "SELECT last_index FROM source_checkpoints WHERE source_id = 'retired'"), "the checkpoint stays");
    }

    @Test
    void shouldNotLeaveAQueueOpenEachTimeASourceCannotBeOpened() throws Exception
    {
        final long last = append("lost", 0, 10);
        environment.launch();
        environment.awaitCheckpoint("lost", last, 60_000);
        environment.stopAgent();
        // A checkpoint beyond the queue's end, as after cycle files deleted by hand: the source cannot resume.
        environment.execute("UPDATE source_checkpoints SET last_index = last_index + 1000 WHERE source_id = 'lost'");
        final Path lost = environment.journalRoot().resolve("lost");
        assertEquals(List.of(), ProcessMappings.files(lost), "nothing of the queue mapped before the agent starts");

        environment.launch();
        // The state publisher reads the queue, which maps its files; the drain tries to open it at each discovery.
        Thread.sleep(500);
        final int before = ProcessMappings.count(lost);
        Thread.sleep(2_000); // 40 discovery intervals
        final int after = ProcessMappings.count(lost);
        assertTrue(after <= before + 1, "mappings of the queue's files: " + before + ", then " + after +
            " after 40 more failed openings");
        assertEquals(String.valueOf(last + 1000), environment.query(
            "SELECT last_index FROM source_checkpoints WHERE source_id = 'lost'"), "the checkpoint is left alone");
    }

    private long append(final String source, final int from, final int to)
    {
        long index = -1;
        try (TradeJournal journal = environment.journal(source))
        {
            for (int i = from; i < to; i++)
            {
                index = journal.orderUpdate()
                    .exchange("binance").symbol("BTC/USDT").orderId(source + "-" + i).side(Side.BUY)
                    .orderType(OrderType.LIMIT).status(OrderStatus.OPEN).price(6412350, -2).amount(15, -3)
                    .commit();
            }
        }
        return index;
    }

    private void scrape() throws IOException, InterruptedException
    {
        final java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
            java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" +
                environment.agent().metricsAddress().getPort() + "/metrics")).timeout(java.time.Duration.ofSeconds(10))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
    }

    private static void awaitMappings(final Path folder, final boolean present) throws Exception
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
        while (ProcessMappings.files(folder).isEmpty() == present)
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                fail("no file of " + folder + " mapped");
            }
            Thread.sleep(20);
        }
    }

    private static void deleteRecursively(final Path folder) throws IOException
    {
        try (Stream<Path> paths = Files.walk(folder))
        {
            for (final Path path : paths.sorted(Comparator.reverseOrder()).collect(Collectors.toList()))
            {
                Files.delete(path);
            }
        }
    }
}
