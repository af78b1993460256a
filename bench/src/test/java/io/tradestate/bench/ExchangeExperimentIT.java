package io.tradestate.bench;

import io.tradestate.codecs.MessageHeaderDecoder;
import io.tradestate.codecs.OrderUpdateDecoder;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The question's experiment, small (two exchanges of 50 messages, every variant), so that it cannot rot: every
 * message the TradeState variant persisted is in its journal, read back here with a tailer, every message of the
 * JDBC variants is in the table, and every result file is written. Its times mean nothing and are not checked.
 */
class ExchangeExperimentIT
{
    private static final int EXCHANGES = 2;
    private static final int MESSAGES = 50;

    /**
     * A share of 0.5 persists every other message.
     */
    private static final int PERSISTED_PER_EXCHANGE = MESSAGES / 2;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void shouldStoreEveryPersistedMessageOfEveryVariantAndWriteTheResults(@TempDir final Path work) throws Exception
    {
        final Path target = Files.createDirectories(Paths.get("target", "exchange-experiment-smoke"));

        final Path results = ExchangeExperiment.parse(work.toString(), "--results=" + target.resolve("results"),
            "--exchanges=" + EXCHANGES, "--messages=" + MESSAGES, "--mean-gap-ms=1", "--persist-share=0.5",
            "--seed=7", "--keep").run();

        final List<String> csv = Files.readAllLines(results.resolve("exchanges.csv"));
        assertEquals(ExchangeExperimentReport.CSV_HEADER, csv.get(0));
        final List<String> variants = new ArrayList<>();
        for (final String line : csv.subList(1, csv.size()))
        {
            final String[] fields = line.split(",", -1);
            if (ExchangeExperimentReport.ALL_EXCHANGES.equals(fields[1]))
            {
                variants.add(fields[0]);
                assertEquals(EXCHANGES * MESSAGES, Integer.parseInt(fields[2]), line);
                assertEquals(EXCHANGES * PERSISTED_PER_EXCHANGE, Integer.parseInt(fields[3]), line);
                assertEquals(ExchangeVariant.NOOP.equals(fields[0]) ? "" : Integer.toString(
                    EXCHANGES * PERSISTED_PER_EXCHANGE), fields[4], line + ": every persisted message stored");
                assertEquals(EXCHANGES * PERSISTED_PER_EXCHANGE,
                    HistogramFiles.read(results.resolve(fields[11])).getTotalCount(), line);
                assertTrue(Files.size(results.resolve(fields[11].replace(".hlog", ".hgrm"))) > 0, line);
            }
            else
            {
                assertEquals(MESSAGES, Integer.parseInt(fields[2]), line);
                assertEquals(PERSISTED_PER_EXCHANGE, Integer.parseInt(fields[3]), line);
            }
        }
        assertEquals(ExchangeVariant.NAMES, variants);
        assertEquals(1 + ExchangeVariant.NAMES.size() * (EXCHANGES + 1), csv.size());

        assertEquals(EXCHANGES * PERSISTED_PER_EXCHANGE, orderUpdatesInJournal(work));

        final String summary = Files.readString(results.resolve("summary.txt"));
        assertTrue(summary.contains("load average at start") && summary.contains("load average at end"), summary);
    }

    /**
     * The journal's {@code OrderUpdate} excerpts, each decoded, in the scratch folder the experiment kept.
     */
    private static long orderUpdatesInJournal(final Path work)
    {
        final Path queueDirectory;
        try (Stream<Path> folders = Files.list(work))
        {
            queueDirectory = folders.findFirst().orElseThrow().resolve("journal").resolve(ExchangeVariant.SOURCE_ID);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }

        final OrderUpdateDecoder decoder = new OrderUpdateDecoder();
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        long orderUpdates = 0;
        try (ChronicleQueue queue = SingleChronicleQueueBuilder.single(queueDirectory.toFile()).readOnly(true).build();
            ExcerptTailer tailer = queue.createTailer())
        {
            boolean present = true;
            while (present)
            {
                try (DocumentContext context = tailer.readingDocument())
                {
                    present = context.isPresent();
                    if (present)
                    {
                        final Bytes<?> bytes = context.wire().bytes();
                        final byte[] excerpt = new byte[(int)bytes.readRemaining()];
                        bytes.read(excerpt);
                        final UnsafeBuffer buffer = new UnsafeBuffer(excerpt);
                        if (OrderUpdateDecoder.TEMPLATE_ID == header.wrap(buffer, 0).templateId())
                        {
                            decoder.wrapAndApplyHeader(buffer, 0, header);
                            assertTrue(decoder.appendTimeNs() > 0, "an OrderUpdate with its append time");
                            orderUpdates++;
                        }
                    }
                }
            }
        }

        return orderUpdates;
    }
}
