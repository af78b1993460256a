package io.tradestate.writer;

import io.tradestate.codecs.MessageHeaderDecoder;
import io.tradestate.codecs.OrderStatus;
import io.tradestate.codecs.OrderType;
import io.tradestate.codecs.OrderUpdateDecoder;
import io.tradestate.codecs.Side;
import io.tradestate.codecs.SourceStartedDecoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TradeJournalSmokeTest
{
    @TempDir
    Path root;

    @Test
    void shouldAppendAndReadBack()
    {
        try (TradeJournal journal = TradeJournal.open(new JournalContext().journalRoot(root).sourceId("smoke")))
        {
            journal.orderUpdate()
                .exchange("binance").symbol("BTC/USDT").orderId("1").side(Side.BUY)
                .orderType(OrderType.LIMIT).status(OrderStatus.OPEN).price(6412350, -2).amount(15, -3)
                .commit();
        }

        final List<JournalExcerpts.Excerpt> excerpts = JournalExcerpts.readAll(root.resolve("smoke"));
        assertEquals(2, excerpts.size());
        assertEquals(SourceStartedDecoder.TEMPLATE_ID, excerpts.get(0).templateId());
        final OrderUpdateDecoder decoder = new OrderUpdateDecoder();
        decoder.wrapAndApplyHeader(excerpts.get(1).buffer, 0, new MessageHeaderDecoder());
        assertEquals("BTC/USDT", decoder.symbol());
        assertEquals(6412350, decoder.price().mantissa());
    }
}
