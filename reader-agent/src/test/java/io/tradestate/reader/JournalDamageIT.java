package io.tradestate.reader;

import io.tradestate.reader.journal.SourceParking;
import io.tradestate.reader.operations.SystemdWatchdogAgent;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.RandomAccessFile;
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
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 16, item 2: "an exception from one source's tailer escapes doWork: no source commits". A queue file whose
 * excerpt length word is overwritten is damaged from there on: Chronicle Queue trusts the length, hands the excerpt
 * over as a gigabyte long (or a megabyte, running over the events behind it), and its next read runs past the end of
 * the mapped file, which the JVM reports as an {@link InternalError} (the SIGBUS of an unsafe access). Two such
 * sources beside a good one: the good one drains and is published as usual, before and after; each damaged one is
 * stored and published up to the excerpt before the damage, parked with one ERROR per reader naming it, counted in
 * {@code tradestate_sources_parked} and {@code tradestate_state_sources_parked}, and retried without another line.
 * Before: the error escaped the drain's duty cycle at every attempt, so no batch was ever committed, for any source.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class JournalDamageIT
{
    private static final long DRAIN_TIMEOUT_MS = 60_000;
    private static final long STALL_LIMIT_NS = TimeUnit.SECONDS.toNanos(30);
    private static final int ORDERS = 50;
    private static final int DAMAGED_EXCERPT = 25;

    @RegisterExtension
    final AgentTestEnvironment environment = new AgentTestEnvironment("journal_damage")
        .settings((context) -> context.set(ReaderConfiguration.METRICS_PORT, "0")
            .set(ReaderConfiguration.DISCOVERY_INTERVAL_MS, "50"));

    @RegisterExtension
    final CapturedLog log = new CapturedLog();

    @Test
    void shouldParkADamagedSourceAloneAndGoOnDrainingAndPublishingTheOthers() throws Exception
    {
        final long lastOfGood = environment.appendOrders("good", "good-", ORDERS);
        environment.appendOrders("overrun", "overrun-", ORDERS);
        environment.appendOrders("long", "long-", ORDERS);
        // Excerpt 0 is the writer's SourceStarted, so 24 orders come before the damaged excerpt.
        final long beforeOverrun = damageLength("overrun", DAMAGED_EXCERPT, 0x3FFF_FFFF);
        final long beforeLong = damageLength("long", DAMAGED_EXCERPT, 1 << 20);

        final ReaderAgent agent = environment.launch();
        environment.awaitCheckpoint("good", lastOfGood, DRAIN_TIMEOUT_MS);
        environment.awaitCheckpoint("overrun", beforeOverrun, DRAIN_TIMEOUT_MS);
        environment.awaitCheckpoint("long", beforeLong, DRAIN_TIMEOUT_MS);
        final long lastOfGoodAfter = environment.appendOrders("good", "good-after-", 10);
        environment.awaitCheckpoint("good", lastOfGoodAfter, DRAIN_TIMEOUT_MS);
        Thread.sleep(3 * SourceParking.FIRST_RETRY_MS); // a few retries of the damaged sources

        assertEquals(Long.valueOf(beforeOverrun), environment.checkpoint("overrun"), "nothing past the damage");
        assertEquals(Long.valueOf(beforeLong), environment.checkpoint("long"));
        assertEquals(Integer.toString(ORDERS + 10), count("good"), "the good source drains before and after");
        assertEquals(Integer.toString(DAMAGED_EXCERPT - 1), count("overrun"), "the events before the damage");
        assertEquals(Integer.toString(DAMAGED_EXCERPT - 1), count("long"));
        assertEquals("0", environment.query("SELECT count(*) FROM dead_letters"), "damage is no bad event");
        StateMapsAssertions.assertMapsEqualTables(environment.stateDir(), environment.dataSource());

        final String metrics = metrics(agent.metricsPort());
        assertTrue(metrics.contains("\ntradestate_sources_parked 2\n"), metrics);
        assertTrue(metrics.contains("\ntradestate_state_sources_parked 2\n"), metrics);
        assertNull(agent.stalledAgent(System.nanoTime(), STALL_LIMIT_NS), "no agent stalled");
        assertEquals(2, agent.sourcesParked());
        assertTrue(SystemdWatchdogAgent.statusLine(agent.eventsCommitted(), agent.stateGeneration(),
            agent.sourcesParked()).endsWith(", 2 sources parked (damaged journal: see the log)"));

        final List<String> errors = log.errorLines();
        assertEquals(4, errors.size(), "one error per damaged source and reader, none at the retries: " + errors);
        for (final String source : List.of("overrun", "long"))
        {
            assertEquals(1, errors.stream().filter((line) -> line.contains("the drain stopped reading source " +
                source + ":")).count(), errors.toString());
            assertEquals(1, errors.stream().filter((line) -> line.contains("the state publisher stopped reading " +
                "source " + source + ":")).count(), errors.toString());
        }
    }

    /**
     * Overwrite the length word of one excerpt of a source's first cycle file, as a torn or bit-rotted write would.
     *
     * @return the index of the excerpt before it: the last one a reader can get to.
     */
    private long damageLength(final String sourceId, final int excerpt, final int length) throws Exception
    {
        final Path queue = environment.journalRoot().resolve(sourceId);
        final List<long[]> excerpts = new ArrayList<>();
        try (SingleChronicleQueue reader = SingleChronicleQueueBuilder.single(queue.toFile()).readOnly(true).build();
            ExcerptTailer tailer = reader.createTailer())
        {
            while (true)
            {
                try (DocumentContext context = tailer.readingDocument())
                {
                    if (!context.isPresent())
                    {
                        break;
                    }
                    excerpts.add(new long[] {context.index(), context.wire().bytes().readPosition()});
                }
            }
        }
        final Path cycleFile;
        try (Stream<Path> files = Files.list(queue))
        {
            cycleFile = files.filter((file) -> file.toString().endsWith(".cq4")).findFirst().orElseThrow();
        }
        try (RandomAccessFile file = new RandomAccessFile(cycleFile.toFile(), "rw"))
        {
            // The 4-byte header before the excerpt's bytes, little-endian: length in its low 30 bits.
            file.seek(excerpts.get(excerpt)[1] - 4);
            file.writeInt(Integer.reverseBytes(length));
        }
        return excerpts.get(excerpt - 1)[0];
    }

    private String count(final String sourceId) throws Exception
    {
        return environment.query("SELECT count(*) FROM order_events WHERE source_id = '" + sourceId + "'");
    }

    private static String metrics(final int port) throws Exception
    {
        final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
