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
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MetricsEndpointIT
{
    private static final String SOURCE = "alpha";
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(3);
    private static final int IDLE_CLIENTS = 5;

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
