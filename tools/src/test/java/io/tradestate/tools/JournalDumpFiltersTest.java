package io.tradestate.tools;

import io.tradestate.codecs.LockSide;
import io.tradestate.codecs.OrderStatus;
import io.tradestate.codecs.OrderType;
import io.tradestate.codecs.Side;
import io.tradestate.writer.TradeJournal;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.tradestate.tools.TestJournals.T0_NS;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * One journal of nine events, one a second, each filter applied to it alone and with others.
 */
class JournalDumpFiltersTest
{
    @TempDir
    static Path root;

    private static final long[] INDEX = new long[9];
    private static TradeJournal journal;

    @BeforeAll
    static void writeJournal()
    {
        final ManualEpochNanoClock clock = new ManualEpochNanoClock(T0_NS);
        journal = TestJournals.open(root, clock);
        clock.set(at(1));
        INDEX[1] = journal.orderUpdate()
            .exchange("binance").symbol("BTC/USDT").orderId("o-1").clientOrderId("c-1").side(Side.BUY)
            .orderType(OrderType.LIMIT).status(OrderStatus.OPEN).price(1, 0).amount(1, 0)
            .commit();
        clock.set(at(2));
        INDEX[2] = journal.fill()
            .exchange("binance").symbol("BTC/USDT").fillId("f-1").orderId("o-1").side(Side.BUY).price(1, 0)
            .amount(1, 0)
            .commit();
        clock.set(at(3));
        INDEX[3] = journal.orderUpdate()
            .exchange("binance").symbol("ETH/USDT").orderId("o-2").clientOrderId("c-2").side(Side.SELL)
            .orderType(OrderType.MARKET).status(OrderStatus.CLOSED).amount(2, 0)
            .commit();
        clock.set(at(4));
        INDEX[4] = journal.tradeUpdate()
            .tradeId(7).openTimeMs(1).strategy("s").exchange("binance").pair("BTC/USDT").openRate(1, 0).amount(1, 0)
            .stakeAmount(1, 0)
            .commit();
        clock.set(at(5));
        INDEX[5] = journal.pairLock().pair("ETH/USDT").side(LockSide.LONG).lockEndTimeMs(at(100) / 1_000_000L)
            .commit();
        clock.set(at(6));
        INDEX[6] = journal.pairUnlock().pair("BTC/USDT").commit();
        clock.set(at(7));
        INDEX[7] = journal.balanceUpdate().exchange("binance").asset("USDT").total(5, 0).commit();
        clock.set(at(8));
        INDEX[8] = journal.heartbeat();
        INDEX[0] = INDEX[1] - 1;
    }

    @AfterAll
    static void closeJournal()
    {
        journal.close();
    }

    @Test
    void shouldPrintEveryEntryInQueueOrderWhenNoFilterIsGiven()
    {
        assertEvents(dump(), 0, 1, 2, 3, 4, 5, 6, 7, 8);
    }

    @Test
    void shouldPrintOnlyTheNamedTypesWhenTypeIsGiven()
    {
        assertEvents(dump("--type", "OrderUpdate,fill"), 1, 2, 3);
        assertEvents(dump("--type", "pairlock", "--type=PAIRUNLOCK"), 5, 6);
        assertEvents(dump("--type", "SourceStarted,Heartbeat,BalanceUpdate"), 0, 7, 8);
        assertEvents(dump("--type", "undecodable"));
    }

    @Test
    void shouldMatchSymbolOrPairWhenSymbolIsGiven()
    {
        assertEvents(dump("--symbol", "BTC/USDT"), 1, 2, 4, 6);
        assertEvents(dump("--symbol", "ETH/USDT"), 3, 5);
        assertEvents(dump("--symbol", "BTC"));
    }

    @Test
    void shouldMatchOrderIdOrClientOrderIdWhenOrderIdIsGiven()
    {
        assertEvents(dump("--order-id", "o-1"), 1, 2);
        assertEvents(dump("--order-id", "c-2"), 3);
        assertEvents(dump("--order-id", "f-1"));
    }

    @Test
    void shouldPrintTheInclusiveIndexRangeWhenIndexBoundsAreGiven()
    {
        assertEvents(dump("--from-index", Long.toString(INDEX[3]), "--to-index", Long.toString(INDEX[5])), 3, 4, 5);
        assertEvents(dump("--from-index", "0x" + Long.toHexString(INDEX[7])), 7, 8);
        assertEvents(dump("--to-index", "0X" + Long.toHexString(INDEX[1]).toUpperCase()), 0, 1);
        assertEvents(dump("--from-index", Long.toString(INDEX[4]), "--to-index", Long.toString(INDEX[4])), 4);
    }

    @Test
    void shouldPrintTheHalfOpenTimeRangeWhenTimesAreGiven()
    {
        assertEvents(dump("--from-time", Instant.ofEpochSecond(0, at(3)).toString(),
            "--to-time", Long.toString(at(6) / 1_000_000L)), 3, 4, 5);
        assertEvents(dump("--from-time", "2026-01-01T01:00:07+01:00"), 7, 8);
        assertEvents(dump("--to-time", "2026-01-01T00:00:01"), 0);
        assertEvents(dump("--from-time", "2026-01-01T00:00:00.999999999Z",
            "--to-time", "2026-01-01T00:00:01.000000001Z"), 1);
        assertEvents(dump("--to-time", "2026-01-01"));
        assertEvents(dump("--from-time", "2026-01-02"));
    }

    @Test
    void shouldStopAfterTheLimitWhenLimitIsGiven()
    {
        assertEvents(dump("--limit", "2"), 0, 1);
        assertEvents(dump("--limit", "100"), 0, 1, 2, 3, 4, 5, 6, 7, 8);
        assertEvents(dump("--type", "OrderUpdate", "--limit", "1"), 1);
    }

    @Test
    void shouldPrintOnlyEntriesMatchingEveryFilterWhenFiltersAreCombined()
    {
        assertEvents(dump("--symbol", "BTC/USDT", "--type", "TradeUpdate,PairUnlock", "--limit", "1"), 4);
        assertEvents(dump("--symbol", "BTC/USDT", "--order-id", "o-1", "--type", "Fill"), 2);
        assertEvents(dump("--symbol", "BTC/USDT", "--from-index", Long.toString(INDEX[2]),
            "--to-time", Long.toString(at(6) / 1_000_000L)), 2, 4);
    }

    private static long at(final int second)
    {
        return T0_NS + second * 1_000_000_000L;
    }

    private static List<Map<String, Object>> dump(final String... options)
    {
        final String[] args = new String[options.length + 1];
        args[0] = TestJournals.queueDirectory(root).toString();
        System.arraycopy(options, 0, args, 1, options.length);
        return DumpRun.lines(args);
    }

    private static void assertEvents(final List<Map<String, Object>> lines, final int... events)
    {
        final List<Long> expected = new ArrayList<>();
        for (final int event : events)
        {
            expected.add(INDEX[event]);
        }
        final List<Object> actual = new ArrayList<>();
        for (final Map<String, Object> line : lines)
        {
            actual.add(line.get("index"));
        }
        assertEquals(expected, actual);
    }
}
