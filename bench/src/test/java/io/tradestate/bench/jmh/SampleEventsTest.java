package io.tradestate.bench.jmh;

import io.tradestate.codecs.MessageHeaderDecoder;
import io.tradestate.codecs.MessageHeaderEncoder;
import io.tradestate.codecs.OrderUpdateDecoder;
import io.tradestate.codecs.OrderUpdateEncoder;
import io.tradestate.writer.JournalContext;
import io.tradestate.writer.TradeJournal;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The baselines write the bytes the journal appends: the sample order encoded by {@link SampleEvents} equals the
 * excerpt {@code TradeJournal} appends for it, but for the append time.
 */
class SampleEventsTest
{
    @TempDir
    Path root;

    @Test
    void shouldEncodeTheBytesTheJournalAppends()
    {
        try (TradeJournal journal = TradeJournal.open(
            new JournalContext().journalRoot(root).sourceId(SampleEvents.SOURCE_ID).heartbeatIntervalMs(0)))
        {
            SampleEvents.appendOrderUpdate(journal);
            SampleEvents.appendFill(journal);
            SampleEvents.appendTradeUpdate(journal);
            SampleEvents.appendPairLock(journal);
            SampleEvents.appendBalanceUpdate(journal);
        }

        final byte[] appended = orderUpdateExcerpt(root.resolve(SampleEvents.SOURCE_ID));
        assertEquals(SampleEvents.ORDER_UPDATE_LENGTH, appended.length);
        final OrderUpdateDecoder decoder = new OrderUpdateDecoder()
            .wrapAndApplyHeader(new UnsafeBuffer(appended), 0, new MessageHeaderDecoder());
        final UnsafeBuffer expected = new UnsafeBuffer(new byte[SampleEvents.ORDER_UPDATE_LENGTH]);
        SampleEvents.encodeOrderUpdate(new OrderUpdateEncoder(), new MessageHeaderEncoder(), expected, 0,
            decoder.appendTimeNs());
        assertArrayEquals(expected.byteArray(), appended);
    }

    @Test
    void shouldEncodeTheBytesTheJournalAppendsForAnotherOrderIdAndPrice()
    {
        final String orderId = "8389765999";
        final long priceMantissa = SampleEvents.PRICE_MANTISSA + 77;
        try (TradeJournal journal = TradeJournal.open(
            new JournalContext().journalRoot(root).sourceId(SampleEvents.SOURCE_ID).heartbeatIntervalMs(0)))
        {
            SampleEvents.appendOrderUpdate(journal, orderId, priceMantissa);
        }

        final byte[] appended = orderUpdateExcerpt(root.resolve(SampleEvents.SOURCE_ID));
        final OrderUpdateDecoder decoder = new OrderUpdateDecoder()
            .wrapAndApplyHeader(new UnsafeBuffer(appended), 0, new MessageHeaderDecoder());
        final UnsafeBuffer expected = new UnsafeBuffer(new byte[SampleEvents.ORDER_UPDATE_LENGTH]);
        SampleEvents.encodeOrderUpdate(new OrderUpdateEncoder(), new MessageHeaderEncoder(), expected, 0,
            decoder.appendTimeNs(), orderId, priceMantissa);
        assertArrayEquals(expected.byteArray(), appended);
    }

    private static byte[] orderUpdateExcerpt(final Path queueDirectory)
    {
        try (ChronicleQueue queue = SingleChronicleQueueBuilder.single(queueDirectory.toFile()).build();
            ExcerptTailer tailer = queue.createTailer())
        {
            final MessageHeaderDecoder header = new MessageHeaderDecoder();
            while (true)
            {
                try (DocumentContext context = tailer.readingDocument())
                {
                    assertTrue(context.isPresent(), "an OrderUpdate in the journal");
                    final Bytes<?> bytes = context.wire().bytes();
                    final byte[] excerpt = new byte[(int)bytes.readRemaining()];
                    bytes.read(excerpt);
                    header.wrap(new UnsafeBuffer(excerpt), 0);
                    if (OrderUpdateEncoder.TEMPLATE_ID == header.templateId())
                    {
                        return excerpt;
                    }
                }
            }
        }
    }
}
