package io.tradestate.reader;

import io.tradestate.codecs.OrderStatus;
import io.tradestate.codecs.OrderType;
import io.tradestate.codecs.Side;
import io.tradestate.writer.TradeJournal;
import io.tradestate.writer.state.OrderEntry;
import io.tradestate.writer.state.StateEntryList;
import io.tradestate.writer.state.TradeStateView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 16, the source-id rule in the reader: a journal root holding a good source and two queue folders whose names
 * the writer would never make (one longer than 32 characters, one with a double quote), each a real queue with
 * orders in it. The good source drains and publishes into the state maps, before and after the agent has seen the
 * bad folders; each bad folder is refused with one ERROR naming it and the rule, shown by
 * {@code tradestate_journal_folders_refused}, and none of its events reaches the database or the maps; nothing throws.
 * Before: both were drained into the tables under ids the writer refuses, the quoted one broke every scrape's labels,
 * and the long one threw out of the state publisher's duty cycle at each of its excerpts (an
 * {@code IllegalArgumentException} from the maps' key layout, outside any catch), its events skipped by the maps.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JournalFolderNameIT
{
    private static final String GOOD = "good-1";
    private static final String LONG = "a-folder-name-longer-than-32-characters";
    private static final String QUOTE = "bad\"quote";
    private static final int ORDERS = 20;

    @RegisterExtension
    final AgentTestEnvironment environment = new AgentTestEnvironment("journal_folder_name");

    @Test
    void shouldRefuseFoldersThatAreNotSourceIdsAndDrainAndPublishTheOthers() throws Exception
    {
        append(GOOD, 0, ORDERS);
        for (final String folder : List.of(LONG, QUOTE))
        {
            append("renamed", 0, 5);
            Files.move(environment.journalRoot().resolve("renamed"), environment.journalRoot().resolve(folder));
        }

        final ByteArrayOutputStream log = new ByteArrayOutputStream();
        final PrintStream originalErr = System.err;
        System.setErr(new PrintStream(new Tee(originalErr, log), true, StandardCharsets.UTF_8));
        final String metrics;
        try
        {
            final ReaderAgent agent = environment.launch();
            environment.awaitCheckpoint(GOOD, append(GOOD, ORDERS, ORDERS), 60_000);
            awaitOpenOrdersInMaps(GOOD, 2 * ORDERS);
            StateMapsAssertions.assertMapsEqualTables(environment.stateDir(), environment.dataSource());
            metrics = get(agent.metricsPort(), "/metrics");
            environment.stopAgent();
        }
        finally
        {
            System.setErr(originalErr);
        }

        assertEquals("1", environment.query("SELECT count(*) FROM source_checkpoints"));
        assertEquals(Integer.toString(2 * ORDERS), environment.query("SELECT count(*) FROM orders"));
        assertEquals("0", environment.query("SELECT count(*) FROM dead_letters"));

        final List<String> lines = log.toString(StandardCharsets.UTF_8).lines().toList();
        for (final String folder : List.of(LONG, QUOTE))
        {
            final List<String> refusals = lines.stream().filter((line) -> line.contains("[ERROR]") &&
                line.contains(environment.journalRoot().resolve(folder).toString()) &&
                line.contains("is not a source id") && line.contains("1 to 32 characters of [A-Za-z0-9._-]")).toList();
            assertEquals(1, refusals.size(), folder + " refused once: " + refusals);
        }
        final List<String> failures = lines.stream().filter((line) -> line.contains("[ERROR]") &&
            !line.contains("is not a source id")).toList();
        assertEquals(List.of(), failures, "no other error");

        ExpositionParser.parse(metrics);
        assertTrue(metrics.contains("\ntradestate_journal_folders_refused 2\n"), metrics);
        assertTrue(metrics.contains("\ntradestate_journal_folder_refused{folder=\"bad\\\"quote\"} 1\n"), metrics);
        assertTrue(metrics.contains("\ntradestate_source_lag_events{source=\"" + GOOD + "\"} 0\n"), metrics);
    }

    private long append(final String sourceId, final int from, final int orders)
    {
        long last = -1;
        try (TradeJournal journal = environment.journal(sourceId))
        {
            for (int i = from; i < from + orders; i++)
            {
                last = journal.orderUpdate().exchange("binance").symbol("BTC/USDT").orderId(sourceId + "-" + i)
                    .side(Side.BUY).orderType(OrderType.LIMIT).status(OrderStatus.OPEN).amount(1, 0).price(100, 0)
                    .commit();
            }
        }
        return last;
    }

    private void awaitOpenOrdersInMaps(final String sourceId, final int expected) throws InterruptedException
    {
        try (TradeStateView view = TradeStateView.open(environment.stateDir()))
        {
            assertTrue(view.awaitAvailable(60_000), "the state maps are never published");
            final StateEntryList<OrderEntry> orders = new StateEntryList<>(OrderEntry::new);
            final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (view.openOrders(sourceId, orders) < expected && System.nanoTime() - deadlineNs < 0)
            {
                Thread.sleep(20);
            }
            assertEquals(expected, view.openOrders(sourceId, orders), "open orders of " + sourceId + " in the maps");
        }
    }

    private static String get(final int port, final String path) throws Exception
    {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
            HttpResponse.BodyHandlers.ofString()).body();
    }

    /**
     * Writes to two streams: the test's own output, and a buffer the test reads the agent's log lines from.
     */
    private static final class Tee extends OutputStream
    {
        private final OutputStream first;
        private final OutputStream second;

        Tee(final OutputStream first, final OutputStream second)
        {
            this.first = first;
            this.second = second;
        }

        public synchronized void write(final int b) throws java.io.IOException
        {
            first.write(b);
            second.write(b);
        }

        public synchronized void write(final byte[] bytes, final int offset, final int length)
            throws java.io.IOException
        {
            first.write(bytes, offset, length);
            second.write(bytes, offset, length);
        }
    }
}
