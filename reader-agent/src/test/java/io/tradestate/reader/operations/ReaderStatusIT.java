package io.tradestate.reader.operations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tradestate.codecs.OrderStatus;
import io.tradestate.codecs.OrderType;
import io.tradestate.codecs.Side;
import io.tradestate.reader.AgentTestEnvironment;
import io.tradestate.writer.TradeJournal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The lag figures of the {@code status} command (as a table and as JSON) and the metrics endpoint: zero once
 * drained, the exact number of
 * events and a positive age for events appended while no agent runs.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ReaderStatusIT
{
    @RegisterExtension
    final AgentTestEnvironment environment = new AgentTestEnvironment("status");

    @Test
    void shouldReportZeroLagWhenDrainedAndTheUndrainedEventsOtherwise() throws Exception
    {
        final long lastIndex = append("alpha", 250);
        append("beta", 10);
        environment.launch();
        awaitCommitted("alpha", lastIndex);

        final String metrics = get("/metrics");
        assertTrue(metrics.contains("tradestate_database_up 1"), metrics);
        assertTrue(metrics.contains("tradestate_source_lag_events{source=\"alpha\"} 0"), metrics);
        assertTrue(metrics.contains("tradestate_source_last_committed_index{source=\"alpha\"} " + lastIndex), metrics);
        assertTrue(metrics.contains("tradestate_source_events_committed_total{source=\"alpha\"} 251"), metrics);
        assertTrue(metrics.contains("tradestate_source_dead_letters{source=\"beta\"} 0"), metrics);
        assertEquals("ok\n", get("/health"));
        environment.stopAgent();

        append("alpha", 40);
        Thread.sleep(20);
        try (StatusCollector collector = new StatusCollector(environment.journalRoot(), environment.dataSource(), null))
        {
            final List<SourceLag> lags = collector.collect(System.currentTimeMillis());
            final SourceLag alpha = lags.get(0);
            assertEquals("alpha", alpha.sourceId());
            assertEquals(lastIndex, alpha.lastCommittedIndex());
            assertEquals(41, alpha.lagEvents(), "a SourceStarted and 40 orders");
            assertTrue(alpha.lagMs() >= 20, "oldest undrained event waited " + alpha.lagMs() + " ms");
            assertEquals(0, lags.get(1).lagEvents());
        }

        final ByteArrayOutputStream printed = new ByteArrayOutputStream();
        assertEquals(0, StatusCommand.run(environment.context().conclude(),
            new PrintStream(printed, true, StandardCharsets.UTF_8)));
        final String table = printed.toString(StandardCharsets.UTF_8);
        assertTrue(table.contains("alpha") && table.contains("beta") && table.contains(" 41 "), table);

        final ByteArrayOutputStream json = new ByteArrayOutputStream();
        assertEquals(0, StatusCommand.run(environment.context().conclude(),
            new PrintStream(json, true, StandardCharsets.UTF_8), true));
        final JsonNode sources = new ObjectMapper().readTree(json.toString(StandardCharsets.UTF_8)).get("sources");
        assertEquals("alpha", sources.get(0).get("source").asText());
        assertEquals(lastIndex, sources.get(0).get("lastCommittedIndex").asLong());
        assertEquals(41, sources.get(0).get("lagEvents").asLong());
        assertEquals("beta", sources.get(1).get("source").asText());
        assertEquals(0, sources.get(1).get("lagEvents").asLong());
    }

    private long append(final String source, final int orders)
    {
        try (TradeJournal journal = environment.journal(source))
        {
            long index = -1;
            for (int i = 0; i < orders; i++)
            {
                index = journal.orderUpdate().exchange("binance").symbol("BTC/USDT").orderId(source + i)
                    .side(Side.BUY).orderType(OrderType.LIMIT).status(OrderStatus.OPEN).amount(1, 0).commit();
            }
            return index;
        }
    }

    private void awaitCommitted(final String source, final long index) throws Exception
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadlineNs)
        {
            if (get("/metrics").contains("tradestate_source_last_committed_index{source=\"" + source + "\"} " +
                index + "\n"))
            {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(source + " not drained to " + index);
    }

    private String get(final String path) throws Exception
    {
        final HttpResponse<String> response = HttpClient.newHttpClient().send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + environment.agent().metricsPort() + path))
                .build(),
            HttpResponse.BodyHandlers.ofString());
        return response.body();
    }
}
