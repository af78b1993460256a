package io.tradestate.reader;

import io.tradestate.writer.TradeJournal;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 16, item 3: "a batch is bounded in events, not bytes: dead letters copy whole excerpts into the heap". A
 * journal of 100 undecodable excerpts of 60,000 bytes each (6 MB of dead letters) among 50 good orders, drained with
 * {@code batch.max.bytes} at its floor of 1 MiB: no transaction holds more than 1 MiB plus the one excerpt that crossed
 * it, and everything is stored once, each dead letter with all its bytes. Before: the whole journal went into one
 * batch of 10,000 events, every dead letter's bytes in the heap at once.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BatchBytesIT
{
    private static final int BAD_EXCERPTS = 100;
    private static final int BAD_LENGTH = 60_000;
    private static final long MAX_BYTES = 1 << 20;

    @RegisterExtension
    final AgentTestEnvironment environment = new AgentTestEnvironment("batch_bytes")
        .settings((context) -> context.set(ReaderConfiguration.METRICS_PORT, "-1")
            .set(ReaderConfiguration.STATE_ENABLED, "false")
            .set(ReaderConfiguration.BATCH_MAX_BYTES, Long.toString(MAX_BYTES)));

    @Test
    void shouldCloseABatchAtItsBytesWhateverItsEvents() throws Exception
    {
        environment.appendOrders("large", "before-", 25);
        final byte[] bad = new byte[BAD_LENGTH];
        Arrays.fill(bad, (byte)0x55); // a header naming a schema id no writer has: undecodable
        long lastIndex;
        try (TradeJournal journal = TradeJournal.open(environment.journalContext("large").warmUpAppends(0));
            SingleChronicleQueue queue = SingleChronicleQueueBuilder.single(
                environment.journalRoot().resolve("large").toFile()).build();
            ExcerptAppender appender = queue.createAppender())
        {
            for (int i = 0; i < BAD_EXCERPTS; i++)
            {
                try (DocumentContext context = appender.writingDocument())
                {
                    context.wire().bytes().write(bad);
                }
            }
            lastIndex = appender.lastIndexAppended();
        }
        lastIndex = Math.max(lastIndex, environment.appendOrders("large", "after-", 25));

        environment.launch();
        environment.awaitCheckpoint("large", lastIndex, 60_000);

        assertEquals("50", environment.query("SELECT count(*) FROM order_events"));
        assertEquals(BAD_EXCERPTS + " " + BAD_LENGTH + " " + BAD_LENGTH, environment.query(
            "SELECT count(*) || ' ' || min(octet_length(raw_bytes)) || ' ' || max(octet_length(raw_bytes)) " +
            "FROM dead_letters"));
        final long largestTransaction = Long.parseLong(environment.query("SELECT max(bytes) FROM (SELECT " +
            "sum(octet_length(raw_bytes)) AS bytes FROM dead_letters GROUP BY xmin::text) AS transactions"));
        assertTrue(largestTransaction <= MAX_BYTES + BAD_LENGTH, "a transaction held " + largestTransaction +
            " bytes of dead letters, over batch.max.bytes " + MAX_BYTES + " and one excerpt");
        final long transactions = Long.parseLong(environment.query(
            "SELECT count(DISTINCT xmin::text) FROM dead_letters"));
        assertTrue(transactions >= (long)BAD_EXCERPTS * BAD_LENGTH / (MAX_BYTES + BAD_LENGTH),
            transactions + " transactions");
    }
}
