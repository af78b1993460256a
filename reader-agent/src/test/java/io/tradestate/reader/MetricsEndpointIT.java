package io.tradestate.reader;

import io.tradestate.codecs.OrderStatus;
import io.tradestate.codecs.OrderType;
import io.tradestate.codecs.Side;
import io.tradestate.writer.TradeJournal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Issue 16, the metrics endpoint: a client that connects, sends one byte and waits must not block {@code /health} or
 * {@code /metrics} for anyone else, and is itself disconnected once its request is overdue; a label value with a
 * double quote, a backslash or a line feed in it (source ids come from folder names) must leave the scrape parsable.
 * Before: one worker thread, reading each request with no time limit; the first idle client held it, every health
 * check and scrape after it timed out, and folder names were written into labels as they were.
 * <p>
 * Issue 20, metrics by the conventions: a running agent's scrape has the JVM and process metrics under the names and
 * types of the Prometheus Java client, and histograms of the batches' commit time and size and of each event's
 * append-to-commit time, whose buckets are cumulative and end in {@code +Inf} equal to the count, and whose counts
 * grow with the batches drained while no counter goes down. Before: {@code tradestate_jvm_*} names of its own, and the
 * last batch's size and commit time as gauges.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MetricsEndpointIT
{
    private static final String SOURCE = "alpha";
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(3);
    private static final int IDLE_CLIENTS = 5;

    /**
     * The standard names and types a JVM dashboard or alert expects, as the Prometheus Java client exposes them.
     */
    private static final Map<String, String> STANDARD = Map.ofEntries(
        Map.entry("jvm_memory_used_bytes", "gauge"), Map.entry("jvm_memory_committed_bytes", "gauge"),
        Map.entry("jvm_memory_max_bytes", "gauge"), Map.entry("jvm_memory_pool_used_bytes", "gauge"),
        Map.entry("jvm_gc_collection_seconds", "summary"), Map.entry("jvm_threads_current", "gauge"),
        Map.entry("jvm_threads_daemon", "gauge"), Map.entry("jvm_classes_currently_loaded", "gauge"),
        Map.entry("jvm_classes_loaded_total", "counter"), Map.entry("jvm_runtime_info", "gauge"),
        Map.entry("process_cpu_seconds_total", "counter"), Map.entry("process_start_time_seconds", "gauge"),
        Map.entry("process_open_fds", "gauge"), Map.entry("process_max_fds", "gauge"),
        Map.entry("process_resident_memory_bytes", "gauge"), Map.entry("process_virtual_memory_bytes", "gauge"));

    private static final String COMMIT_SECONDS = "tradestate_batch_commit_seconds";
    private static final String COPY_SECONDS = "tradestate_batch_copy_seconds_total";
    private static final String FINISH_SECONDS = "tradestate_batch_finish_seconds_total";
    private static final String SIZE_EVENTS = "tradestate_batch_size_events";
    private static final String SIZE_BYTES = "tradestate_batch_size_bytes";
    private static final String APPEND_TO_COMMIT = "tradestate_event_append_to_commit_seconds";

    @RegisterExtension
    final AgentTestEnvironment environment = new AgentTestEnvironment("metrics_endpoint");

    @Test
    void shouldAnswerHealthAndMetricsWhileIdleClientsHoldConnections() throws Exception
    {
        final long lastIndex = append(SOURCE, 10);
        final ReaderAgent agent = environment.launch();
        environment.awaitCheckpoint(SOURCE, lastIndex, 60_000);
        final int port = agent.metricsPort();

        final List<Socket> idle = new ArrayList<>();
        try
        {
            for (int i = 0; i < IDLE_CLIENTS; i++)
            {
                final Socket socket = new Socket();
                socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
                if (i > 0) // the first sends nothing at all, the others the first byte of a request
                {
                    socket.getOutputStream().write('G');
                    socket.getOutputStream().flush();
                }
                idle.add(socket);
            }
            Thread.sleep(200); // the endpoint has taken them

            for (int round = 0; round < 3; round++)
            {
                final HttpResponse<String> health = get(port, "/health");
                assertEquals(200, health.statusCode());
                assertEquals("ok\n", health.body());
                final HttpResponse<String> metrics = get(port, "/metrics");
                assertEquals(200, metrics.statusCode());
                assertTrue(metrics.body().contains("\ntradestate_database_up 1\n"), metrics.body());
                ExpositionParser.parse(metrics.body());
            }

            final long startNs = System.nanoTime();
            for (final Socket socket : idle)
            {
                socket.setSoTimeout(10_000);
                final InputStream in = socket.getInputStream();
                try
                {
                    assertEquals(-1, in.read(), "the endpoint answered a request it never received");
                }
                catch (final SocketTimeoutException ex)
                {
                    fail("an idle client is still connected after " +
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs) + " ms");
                }
                catch (final java.net.SocketException ex)
                {
                    // reset by the endpoint: disconnected too
                }
            }
        }
        finally
        {
            for (final Socket socket : idle)
            {
                socket.close();
            }
        }

        assertEquals(200, get(port, "/health").statusCode(), "still answering after the idle clients went");
    }

    @Test
    void shouldEscapeLabelValuesSoThatTheScrapeParses() throws Exception
    {
        final String folder = "quote\"back\\slash\nline";
        final long lastIndex = append(SOURCE, 10);
        append("renamed", 3);
        Files.move(environment.journalRoot().resolve("renamed"), environment.journalRoot().resolve(folder));

        final ReaderAgent agent = environment.launch();
        environment.awaitCheckpoint(SOURCE, lastIndex, 60_000);

        final String body = get(agent.metricsPort(), "/metrics").body();
        final List<ExpositionParser.Sample> samples = ExpositionParser.parse(body);
        assertTrue(samples.stream().anyMatch((sample) -> sample.labels().containsValue(folder)),
            "no label names the folder " + Path.of(folder) + ":\n" + body);
        assertTrue(samples.stream().anyMatch((sample) -> sample.labels().containsValue(SOURCE)), body);
    }

    @Test
    void shouldExportTheStandardJvmNamesAndBatchHistogramsThatGrowWithTheDrain() throws Exception
    {
        append(SOURCE, 10);
        final QueueSummary firstQueue = QueueSummary.of(environment.journalRoot().resolve(SOURCE));
        final double firstEvents = firstQueue.excerpts; // the orders and the journal's status events
        final ReaderAgent agent = environment.launch();
        environment.awaitCheckpoint(SOURCE, firstQueue.lastIndex, 60_000);
        final String first = awaitCommitted(agent.metricsPort(), firstQueue.excerpts);
        final List<ExpositionParser.Sample> firstSamples = ExpositionParser.parse(first);
        final Map<String, String> types = ExpositionParser.types(first);

        for (final Map.Entry<String, String> standard : STANDARD.entrySet())
        {
            assertEquals(standard.getValue(), types.get(standard.getKey()), standard.getKey() + "'s type:\n" + first);
        }
        assertTrue(value(firstSamples, "jvm_memory_used_bytes", Map.of("area", "heap")) > 0, first);
        assertTrue(value(firstSamples, "process_resident_memory_bytes", Map.of()) > 0, first);
        assertTrue(firstSamples.stream().anyMatch((sample) -> sample.name().equals("jvm_gc_collection_seconds_count") &&
            sample.labels().containsKey("gc")), "a count per collector:\n" + first);
        assertTrue(types.keySet().stream().noneMatch((name) -> name.startsWith("tradestate_jvm_")),
            "the agent's own JVM names are gone:\n" + first);

        final double batches = value(firstSamples, "tradestate_batches_committed_total", Map.of());
        assertTrue(batches >= 1, first);
        for (final String histogram : List.of(COMMIT_SECONDS, SIZE_EVENTS, SIZE_BYTES, APPEND_TO_COMMIT))
        {
            assertEquals("histogram", types.get(histogram), histogram + "'s type");
        }
        assertEquals(batches, ExpositionParser.assertHistogram(firstSamples, COMMIT_SECONDS), "a commit time a batch");
        assertEquals(batches, ExpositionParser.assertHistogram(firstSamples, SIZE_EVENTS), "a size a batch");
        assertEquals(batches, ExpositionParser.assertHistogram(firstSamples, SIZE_BYTES), "a size in bytes a batch");
        assertEquals(firstEvents, ExpositionParser.assertHistogram(firstSamples, APPEND_TO_COMMIT),
            "a latency an event");
        assertEquals(firstEvents, value(firstSamples, SIZE_EVENTS + "_sum", Map.of()), "the batches hold every event");
        assertTrue(value(firstSamples, SIZE_BYTES + "_sum", Map.of()) > 0, first);
        assertTrue(value(firstSamples, COMMIT_SECONDS + "_sum", Map.of()) > 0, first);
        assertTrue(value(firstSamples, APPEND_TO_COMMIT + "_sum", Map.of()) > 0, first);
        final double copySeconds = value(firstSamples, COPY_SECONDS, Map.of());
        final double finishSeconds = value(firstSamples, FINISH_SECONDS, Map.of());
        assertEquals("counter", types.get(COPY_SECONDS));
        assertEquals("counter", types.get(FINISH_SECONDS));
        assertTrue(copySeconds > 0 && finishSeconds > 0, "the threads' time on the batches committed:\n" + first);

        append(SOURCE, 15);
        final QueueSummary secondQueue = QueueSummary.of(environment.journalRoot().resolve(SOURCE));
        final double secondEvents = secondQueue.excerpts;
        assertTrue(secondEvents >= firstEvents + 15, secondQueue.toString());
        environment.awaitCheckpoint(SOURCE, secondQueue.lastIndex, 60_000);
        final String second = awaitCommitted(agent.metricsPort(), secondQueue.excerpts);
        final List<ExpositionParser.Sample> secondSamples = ExpositionParser.parse(second);
        final double batchesAfter = value(secondSamples, "tradestate_batches_committed_total", Map.of());
        assertTrue(batchesAfter > batches, second);
        assertTrue(value(secondSamples, COPY_SECONDS, Map.of()) > copySeconds, second);
        assertTrue(value(secondSamples, FINISH_SECONDS, Map.of()) > finishSeconds, second);
        assertEquals(batchesAfter, ExpositionParser.assertHistogram(secondSamples, COMMIT_SECONDS));
        assertEquals(batchesAfter, ExpositionParser.assertHistogram(secondSamples, SIZE_EVENTS));
        assertEquals(batchesAfter, ExpositionParser.assertHistogram(secondSamples, SIZE_BYTES));
        assertEquals(secondEvents, ExpositionParser.assertHistogram(secondSamples, APPEND_TO_COMMIT));
        assertEquals(secondEvents, value(secondSamples, SIZE_EVENTS + "_sum", Map.of()));
        final double meanSeconds = (value(secondSamples, APPEND_TO_COMMIT + "_sum", Map.of()) -
            value(firstSamples, APPEND_TO_COMMIT + "_sum", Map.of())) / (secondEvents - firstEvents);
        assertTrue(meanSeconds > 0 && meanSeconds < 30, "append to commit of events appended to a running agent, " +
            "by the clock the writer stamps them with: a mean of " + meanSeconds + " s");
        assertTrue(ExpositionParser.assertNoCounterDecreased(ExpositionParser.counterSeries(first),
            ExpositionParser.counterSeries(second), "while the agent drained 15 more events") > 50,
            "the counters, buckets, sums and counts of both scrapes were compared");
    }

    /**
     * Scrape until the agent counts every event of the queue committed: its counters join one duty cycle after the
     * commit, and once they hold every event no batch is left to move a figure of the scrape.
     */
    private static String awaitCommitted(final int port, final long events) throws Exception
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String body;
        do
        {
            body = get(port, "/metrics").body();
            if (value(ExpositionParser.parse(body), "tradestate_events_committed_total", Map.of()) >= events)
            {
                return body;
            }
            Thread.sleep(50);
        }
        while (System.nanoTime() - deadlineNs < 0);
        throw new AssertionError("the scrape does not count " + events + " events committed:\n" + body);
    }

    private static double value(
        final List<ExpositionParser.Sample> samples, final String name, final Map<String, String> labels)
    {
        for (final ExpositionParser.Sample sample : samples)
        {
            if (sample.name().equals(name) && sample.labels().equals(labels))
            {
                return sample.value();
            }
        }
        throw new AssertionError(name + labels + " is not in the scrape");
    }

    private long append(final String sourceId, final int orders)
    {
        long last = -1;
        try (TradeJournal journal = environment.journal(sourceId))
        {
            for (int i = 0; i < orders; i++)
            {
                last = journal.orderUpdate().exchange("binance").symbol("BTC/USDT").orderId(sourceId + "-" + i)
                    .side(Side.BUY).orderType(OrderType.LIMIT).status(OrderStatus.OPEN).amount(1, 0).price(100, 0)
                    .commit();
            }
        }
        return last;
    }

    private static HttpResponse<String> get(final int port, final String path) throws Exception
    {
        final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(ANSWER_TIMEOUT).build();
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(ANSWER_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
    }
}
