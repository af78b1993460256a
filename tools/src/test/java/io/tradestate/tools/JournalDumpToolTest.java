package io.tradestate.tools;

import io.tradestate.codecs.EventOrigin;
import io.tradestate.codecs.Liquidity;
import io.tradestate.codecs.LockSide;
import io.tradestate.codecs.MessageHeaderDecoder;
import io.tradestate.codecs.OrderStatus;
import io.tradestate.codecs.OrderType;
import io.tradestate.codecs.Side;
import io.tradestate.codecs.TimeInForce;
import io.tradestate.codecs.TradingMode;
import io.tradestate.writer.TradeJournal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static io.tradestate.tools.TestJournals.T0_NS;
import static io.tradestate.tools.TestJournals.head;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Journals written through the real append API, dumped, and compared line for line with what each field must look
 * like: every message type, every field set and every optional field left unset.
 */
class JournalDumpToolTest
{
    private static final String SCHEMA_VERSION = ",\"schemaVersion\":" + MessageHeaderDecoder.SCHEMA_VERSION;

    @TempDir
    Path root;

    private final ManualEpochNanoClock clock = new ManualEpochNanoClock(T0_NS);
    private TradeJournal journal;

    @AfterEach
    void close()
    {
        if (null != journal)
        {
            journal.close();
        }
    }

    @Test
    void shouldPrintEveryFieldOfEveryMessageTypeWhenAllAreSet()
    {
        journal = TestJournals.open(root, clock);
        clock.set(T0_NS + 500_000_000L);
        final long heartbeat = journal.heartbeat();
        clock.set(T0_NS + 1_000_000_001L);
        final long orderUpdate = journal.orderUpdate()
            .exchange("binance").symbol("BTC/USDT").orderId("8389765").clientOrderId("mom1-42").tradeId(42)
            .side(Side.SELL).orderType(OrderType.STOP_LIMIT).timeInForce(TimeInForce.GTC)
            .status(OrderStatus.PARTIALLY_FILLED).reduceOnly(true)
            .price(6412350, -2).stopPrice(64, 3).amount(15, -3).filled(5, -3).remaining(10, -3).average(12, -5)
            .cost(150, 2).feeCost(-1, -8).feeCurrency("BNB").leverage(3, 0)
            .exchangeTimeMs(1_767_225_600_123L).receiveTimeNs(1_767_225_600_456_789_012L)
            .commit();
        clock.set(T0_NS + 2_000_000_000L);
        final long fill = journal.fill()
            .exchangeTimeMs(1_767_225_601_500L).tradeId(42).exchange("binance").symbol("BTC/USDT").fillId("f-1")
            .orderId("8389765").side(Side.BUY).liquidity(Liquidity.MAKER).price(6412350, -2).amount(5, -3)
            .feeCost(-25, -9).feeCurrency("USDT").origin(EventOrigin.RECONCILIATION)
            .reconcileTimeMs(1_767_225_660_000L)
            .commit();
        clock.set(T0_NS + 3_000_000_000L);
        final long tradeUpdate = journal.tradeUpdate()
            .tradeId(42).openTimeMs(1_767_225_600_000L).closeTimeMs(1_767_229_200_000L).strategy("Momentum")
            .exchange("bybit").pair("ETH/USDT:USDT").stakeCurrency("USDT").isShort(true).isOpen(false)
            .isTrailingStop(true).tradingMode(TradingMode.FUTURES).leverage(5, 0).openRate(345012, -2).amount(2, 0)
            .stakeAmount(138004800, -5).stopLoss(3300, 0).stopLossPct(-5, -2).initialStopLoss(3200, 0)
            .initialStopLossPct(-75, -3).maxRate(3500, 0).minRate(3400, 0).closeRate(3480, 0)
            .liquidationPrice(2800, 0).interestRate(1, -4).fundingFees(-12, -2).feeOpen(1, -3).feeClose(1, -3)
            .realizedProfit(5997, -2).exitReason("roi").enterTag("breakout")
            .commit();
        clock.set(T0_NS + 4_000_000_000L);
        final long pairLock = journal.pairLock()
            .lockTimeMs(1_767_225_604_000L).lockEndTimeMs(1_767_229_204_000L).pair("BTC/USDT").side(LockSide.LONG)
            .allSources(true).reason("cooldown after stop")
            .commit();
        clock.set(T0_NS + 5_000_000_000L);
        final long pairUnlock = journal.pairUnlock()
            .unlockTimeMs(1_767_225_605_000L).pair("BTC/USDT").side(LockSide.SHORT)
            .commit();
        clock.set(T0_NS + 6_000_000_000L);
        final long reasonUnlock = journal.pairUnlock().reason("cooldown after stop").commit();
        clock.set(T0_NS + 7_000_000_000L);
        final long balanceUpdate = journal.balanceUpdate()
            .exchangeTimeMs(1_767_225_606_999L).exchange("kraken").asset("USDT").free(100050, -2).used(0, -2)
            .total(100050, -2)
            .commit();

        final String[] lines = DumpRun.output(queue()).split("\n");
        assertEquals(9, lines.length);
        final long sourceStarted = (Long)JsonLine.parse(lines[0]).get("index");
        assertEquals(heartbeat - 1, sourceStarted);
        assertLines(lines,
            head(sourceStarted, "SourceStarted", T0_NS, "2026-01-01T00:00:00.000000000Z") +
            ",\"startTimeNs\":1767225600000000000,\"startTime\":\"2026-01-01T00:00:00.000000000Z\",\"pid\":" +
            ProcessHandle.current().pid() + SCHEMA_VERSION + ",\"sourceId\":\"dump-test\",\"host\":\"host-a\"}",

            head(heartbeat, "Heartbeat", 1767225600500000000L, "2026-01-01T00:00:00.500000000Z") +
            ",\"startTimeNs\":1767225600000000000,\"startTime\":\"2026-01-01T00:00:00.000000000Z\",\"pid\":" +
            ProcessHandle.current().pid() + SCHEMA_VERSION + ",\"sourceId\":\"dump-test\",\"host\":\"host-a\"}",

            head(orderUpdate, "OrderUpdate", 1767225601000000001L, "2026-01-01T00:00:01.000000001Z") +
            ",\"exchangeTimeMs\":1767225600123,\"exchangeTime\":\"2026-01-01T00:00:00.123Z\"" +
            ",\"receiveTimeNs\":1767225600456789012,\"receiveTime\":\"2026-01-01T00:00:00.456789012Z\"" +
            ",\"tradeId\":42,\"exchange\":\"binance\",\"symbol\":\"BTC/USDT\",\"orderId\":\"8389765\"" +
            ",\"clientOrderId\":\"mom1-42\",\"side\":\"sell\",\"orderType\":\"stop_limit\",\"timeInForce\":\"GTC\"" +
            ",\"status\":\"partially_filled\",\"reduceOnly\":true,\"price\":\"64123.50\",\"stopPrice\":\"64000\"" +
            ",\"amount\":\"0.015\",\"filled\":\"0.005\",\"remaining\":\"0.010\",\"average\":\"0.00012\"" +
            ",\"cost\":\"15000\",\"feeCost\":\"-0.00000001\",\"feeCurrency\":\"BNB\",\"leverage\":\"3\"" +
            ",\"origin\":\"strategy\",\"reconcileTimeMs\":null,\"reconcileTime\":null}",

            head(fill, "Fill", 1767225602000000000L, "2026-01-01T00:00:02.000000000Z") +
            ",\"exchangeTimeMs\":1767225601500,\"exchangeTime\":\"2026-01-01T00:00:01.500Z\",\"tradeId\":42" +
            ",\"exchange\":\"binance\",\"symbol\":\"BTC/USDT\",\"fillId\":\"f-1\",\"orderId\":\"8389765\"" +
            ",\"side\":\"buy\",\"liquidity\":\"maker\",\"price\":\"64123.50\",\"amount\":\"0.005\"" +
            ",\"feeCost\":\"-0.000000025\",\"feeCurrency\":\"USDT\",\"origin\":\"reconciliation\"" +
            ",\"reconcileTimeMs\":1767225660000,\"reconcileTime\":\"2026-01-01T00:01:00.000Z\"}",

            head(tradeUpdate, "TradeUpdate", 1767225603000000000L, "2026-01-01T00:00:03.000000000Z") +
            ",\"tradeId\":42,\"openTimeMs\":1767225600000,\"openTime\":\"2026-01-01T00:00:00.000Z\"" +
            ",\"closeTimeMs\":1767229200000,\"closeTime\":\"2026-01-01T01:00:00.000Z\",\"strategy\":\"Momentum\"" +
            ",\"exchange\":\"bybit\",\"pair\":\"ETH/USDT:USDT\",\"stakeCurrency\":\"USDT\",\"isShort\":true" +
            ",\"isOpen\":false,\"isTrailingStop\":true,\"tradingMode\":\"futures\",\"leverage\":\"5\"" +
            ",\"openRate\":\"3450.12\",\"amount\":\"2\",\"stakeAmount\":\"1380.04800\",\"stopLoss\":\"3300\"" +
            ",\"stopLossPct\":\"-0.05\",\"initialStopLoss\":\"3200\",\"initialStopLossPct\":\"-0.075\"" +
            ",\"maxRate\":\"3500\",\"minRate\":\"3400\",\"closeRate\":\"3480\",\"liquidationPrice\":\"2800\"" +
            ",\"interestRate\":\"0.0001\",\"fundingFees\":\"-0.12\",\"feeOpen\":\"0.001\",\"feeClose\":\"0.001\"" +
            ",\"realizedProfit\":\"59.97\",\"exitReason\":\"roi\",\"enterTag\":\"breakout\"}",

            head(pairLock, "PairLock", 1767225604000000000L, "2026-01-01T00:00:04.000000000Z") +
            ",\"lockTimeMs\":1767225604000,\"lockTime\":\"2026-01-01T00:00:04.000Z\"" +
            ",\"lockEndTimeMs\":1767229204000,\"lockEndTime\":\"2026-01-01T01:00:04.000Z\",\"pair\":\"BTC/USDT\"" +
            ",\"side\":\"long\",\"allSources\":true,\"reason\":\"cooldown after stop\"}",

            head(pairUnlock, "PairUnlock", 1767225605000000000L, "2026-01-01T00:00:05.000000000Z") +
            ",\"unlockTimeMs\":1767225605000,\"unlockTime\":\"2026-01-01T00:00:05.000Z\",\"scope\":\"pair\"" +
            ",\"pair\":\"BTC/USDT\",\"side\":\"short\",\"reason\":null}",

            head(reasonUnlock, "PairUnlock", 1767225606000000000L, "2026-01-01T00:00:06.000000000Z") +
            ",\"unlockTimeMs\":1767225606000,\"unlockTime\":\"2026-01-01T00:00:06.000Z\",\"scope\":\"reason\"" +
            ",\"pair\":null,\"side\":\"*\",\"reason\":\"cooldown after stop\"}",

            head(balanceUpdate, "BalanceUpdate", 1767225607000000000L, "2026-01-01T00:00:07.000000000Z") +
            ",\"exchangeTimeMs\":1767225606999,\"exchangeTime\":\"2026-01-01T00:00:06.999Z\"" +
            ",\"exchange\":\"kraken\",\"asset\":\"USDT\",\"free\":\"1000.50\",\"used\":\"0.00\"" +
            ",\"total\":\"1000.50\",\"origin\":\"strategy\",\"reconcileTimeMs\":null,\"reconcileTime\":null}");
    }

    @Test
    void shouldPrintNullForEveryOptionalFieldWhenItIsUnset()
    {
        journal = TestJournals.open(root, clock);
        clock.set(T0_NS + 1_000_000_000L);
        final long orderUpdate = journal.orderUpdate()
            .exchange("binance").symbol("BTC/USDT").orderId("1").side(Side.BUY).orderType(OrderType.MARKET)
            .status(OrderStatus.OPEN).amount(1, 0)
            .commit();
        final long fill = journal.fill()
            .exchange("binance").symbol("BTC/USDT").fillId("2").orderId("1").side(Side.BUY).price(7, 0).amount(1, 0)
            .commit();
        final long tradeUpdate = journal.tradeUpdate()
            .tradeId(0).openTimeMs(0).strategy("s").exchange("binance").pair("BTC/USDT").openRate(7, 0)
            .amount(1, 0).stakeAmount(7, 0)
            .commit();
        final long pairLock = journal.pairLock().pair("*").lockEndTimeMs(1_767_229_200_000L).commit();
        final long balanceUpdate = journal.balanceUpdate().exchange("binance").asset("BTC").total(0, 0).commit();

        final String[] lines = DumpRun.output(queue(), "--from-index", Long.toString(orderUpdate)).split("\n");
        assertLines(lines,
            head(orderUpdate, "OrderUpdate", 1767225601000000000L, "2026-01-01T00:00:01.000000000Z") +
            ",\"exchangeTimeMs\":null,\"exchangeTime\":null,\"receiveTimeNs\":null,\"receiveTime\":null" +
            ",\"tradeId\":null,\"exchange\":\"binance\",\"symbol\":\"BTC/USDT\",\"orderId\":\"1\"" +
            ",\"clientOrderId\":null,\"side\":\"buy\",\"orderType\":\"market\",\"timeInForce\":null" +
            ",\"status\":\"open\",\"reduceOnly\":false,\"price\":null,\"stopPrice\":null,\"amount\":\"1\"" +
            ",\"filled\":null,\"remaining\":null,\"average\":null,\"cost\":null,\"feeCost\":null" +
            ",\"feeCurrency\":null,\"leverage\":null,\"origin\":\"strategy\",\"reconcileTimeMs\":null" +
            ",\"reconcileTime\":null}",

            head(fill, "Fill", 1767225601000000000L, "2026-01-01T00:00:01.000000000Z") +
            ",\"exchangeTimeMs\":null,\"exchangeTime\":null,\"tradeId\":null,\"exchange\":\"binance\"" +
            ",\"symbol\":\"BTC/USDT\",\"fillId\":\"2\",\"orderId\":\"1\",\"side\":\"buy\",\"liquidity\":null" +
            ",\"price\":\"7\",\"amount\":\"1\",\"feeCost\":null,\"feeCurrency\":null" +
            ",\"origin\":\"strategy\",\"reconcileTimeMs\":null,\"reconcileTime\":null}",

            head(tradeUpdate, "TradeUpdate", 1767225601000000000L, "2026-01-01T00:00:01.000000000Z") +
            ",\"tradeId\":0,\"openTimeMs\":0,\"openTime\":\"1970-01-01T00:00:00.000Z\",\"closeTimeMs\":null" +
            ",\"closeTime\":null,\"strategy\":\"s\",\"exchange\":\"binance\",\"pair\":\"BTC/USDT\"" +
            ",\"stakeCurrency\":null,\"isShort\":false,\"isOpen\":true,\"isTrailingStop\":false" +
            ",\"tradingMode\":\"spot\",\"leverage\":null,\"openRate\":\"7\",\"amount\":\"1\",\"stakeAmount\":\"7\"" +
            ",\"stopLoss\":null,\"stopLossPct\":null,\"initialStopLoss\":null,\"initialStopLossPct\":null" +
            ",\"maxRate\":null,\"minRate\":null,\"closeRate\":null,\"liquidationPrice\":null" +
            ",\"interestRate\":null,\"fundingFees\":null,\"feeOpen\":null,\"feeClose\":null" +
            ",\"realizedProfit\":null,\"exitReason\":null,\"enterTag\":null}",

            head(pairLock, "PairLock", 1767225601000000000L, "2026-01-01T00:00:01.000000000Z") +
            ",\"lockTimeMs\":1767225601000,\"lockTime\":\"2026-01-01T00:00:01.000Z\"" +
            ",\"lockEndTimeMs\":1767229200000,\"lockEndTime\":\"2026-01-01T01:00:00.000Z\",\"pair\":\"*\"" +
            ",\"side\":\"*\",\"allSources\":false,\"reason\":null}",

            head(balanceUpdate, "BalanceUpdate", 1767225601000000000L, "2026-01-01T00:00:01.000000000Z") +
            ",\"exchangeTimeMs\":null,\"exchangeTime\":null,\"exchange\":\"binance\",\"asset\":\"BTC\"" +
            ",\"free\":null,\"used\":null,\"total\":\"0\",\"origin\":\"strategy\",\"reconcileTimeMs\":null" +
            ",\"reconcileTime\":null}");
    }

    @Test
    void shouldRoundTripHostileStringsWhenTheyNeedEscaping()
    {
        final String symbol = "X\"Y\\Z'/*--";
        final String orderId = "'; DROP TABLE order_events; --";
        final String clientOrderId = "</script>\\u0000\\\"{}[]";
        final String exitReason = "line1\nline2\r\n\ttab \"quoted\" back\\slash \b\f \u0001\u001f\u007f end";
        final String enterTag = "é ü ß 日本語 🚀 \u2028\u2029 \u200f\u0640 \uFFFD \uFFFF \uD83D\uDE00 \uDBFF\uDFFF";
        final String lockReason = "{\"json\":true,\"sql\":\"x' OR '1'='1\"} \\u0041 \\n";
        journal = TestJournals.open(root, clock);
        journal.orderUpdate()
            .exchange("ex\\\"").symbol(symbol).orderId(orderId).clientOrderId(clientOrderId).side(Side.BUY)
            .orderType(OrderType.LIMIT).status(OrderStatus.OPEN).amount(1, 0)
            .commit();
        journal.tradeUpdate()
            .tradeId(1).openTimeMs(1).strategy("s").exchange("e").pair(symbol).openRate(1, 0).amount(1, 0)
            .stakeAmount(1, 0).exitReason(exitReason).enterTag(enterTag)
            .commit();
        journal.pairLock().pair(symbol).lockEndTimeMs(Long.MAX_VALUE / 2_000_000L).reason(lockReason).commit();

        final String output = DumpRun.output(queue(), "--symbol", symbol);
        final List<Map<String, Object>> lines = JsonLine.parseAll(output);
        assertEquals(3, lines.size(), output);
        assertEquals(3, output.split("\n").length, "one line per event, whatever the text holds");
        assertEquals("ex\\\"", lines.get(0).get("exchange"));
        assertEquals(symbol, lines.get(0).get("symbol"));
        assertEquals(orderId, lines.get(0).get("orderId"));
        assertEquals(clientOrderId, lines.get(0).get("clientOrderId"));
        assertEquals(symbol, lines.get(1).get("pair"));
        assertEquals(exitReason, lines.get(1).get("exitReason"));
        assertEquals(enterTag, lines.get(1).get("enterTag"));
        assertEquals(lockReason, lines.get(2).get("reason"));
        assertTrue(output.contains("\\\"quoted\\\" back\\\\slash \\b\\f \\u0001\\u001f\\u007f end"), output);
        assertTrue(output.contains("\"é ü ß 日本語 🚀 \\u2028\\u2029 \u200f"), output);
    }

    @Test
    void shouldRoundTripFreeTextOfTheLargestSizeWhenItIsMultiByte()
    {
        final String reason = "ü".repeat(512);
        journal = TestJournals.open(root, clock);
        journal.pairLock().pair("BTC/USDT").lockEndTimeMs(Long.MAX_VALUE / 2_000_000L).reason(reason).commit();

        final List<Map<String, Object>> lines = DumpRun.lines(queue(), "--type", "PairLock");
        assertEquals(1, lines.size());
        assertEquals(reason, lines.get(0).get("reason"));
    }

    @Test
    void shouldLeaveTheQueueFolderUnchangedWhenDumping() throws IOException
    {
        journal = TestJournals.open(root, clock);
        journal.heartbeat();
        journal.close();
        journal = null;
        final Map<String, Long> before = files(TestJournals.queueDirectory(root));

        assertEquals(2, DumpRun.lines(queue()).size());

        assertEquals(before, files(TestJournals.queueDirectory(root)));
    }

    @Test
    void shouldPrintNothingWhenTheQueueHoldsNoEntryInRange()
    {
        journal = TestJournals.open(root, clock);
        final long heartbeat = journal.heartbeat();

        assertEquals("", DumpRun.output(queue(), "--from-index", Long.toString(heartbeat + 1)));
    }

    @Test
    void shouldExitWithCannotOpenWhenTheFolderIsMissing()
    {
        final DumpRun run = DumpRun.of(root.resolve("nope").toString());

        assertEquals(JournalDumpTool.EXIT_CANNOT_OPEN, run.exitCode);
        assertEquals("", run.out);
        assertTrue(run.err.contains("cannot open the queue") && run.err.contains("nope"), run.err);
    }

    @Test
    void shouldExitWithCannotOpenWhenTheFolderIsNotAQueue() throws IOException
    {
        final Path folder = Files.createDirectories(root.resolve("empty"));

        final DumpRun run = DumpRun.of(folder.toString());

        assertEquals(JournalDumpTool.EXIT_CANNOT_OPEN, run.exitCode);
        assertTrue(run.err.contains("metadata.cq4t"), run.err);
        try (Stream<Path> files = Files.list(folder))
        {
            assertEquals(0, files.count(), "nothing created in a folder that is not a queue");
        }
    }

    @Test
    void shouldExitWithInvalidArgumentsNamingTheOptionWhenAnOptionIsBad()
    {
        assertInvalid("--limit", "/tmp/q", "--limit", "0");
        assertInvalid("--type", "/tmp/q", "--type", "OrderUpdate,Trade");
        assertInvalid("--from-time", "/tmp/q", "--from-time", "yesterday");
        assertInvalid("--to-index", "/tmp/q", "--to-index", "-1");
        assertInvalid("--bogus", "/tmp/q", "--bogus", "1");
        assertInvalid("--symbol", "/tmp/q", "--symbol");
        assertInvalid("<queue-dir>");
        assertInvalid("<queue-dir>", "--follow");
        assertInvalid("unexpected argument 'b'", "a", "b");
    }

    @Test
    void shouldPrintUsageWhenHelpIsAsked()
    {
        final DumpRun run = DumpRun.of("--help");

        assertEquals(JournalDumpTool.EXIT_OK, run.exitCode);
        assertTrue(run.out.startsWith("usage: tradestate dump <queue-dir> [options]"), run.out);
        for (final String option : new String[]{ "--type", "--symbol", "--order-id", "--from-index", "--to-index",
            "--from-time", "--to-time", "--limit", "--follow" })
        {
            assertTrue(run.out.contains(option), option);
        }
    }

    private String queue()
    {
        return TestJournals.queueDirectory(root).toString();
    }

    private static void assertInvalid(final String named, final String... args)
    {
        final DumpRun run = DumpRun.of(args);
        assertEquals(JournalDumpTool.EXIT_INVALID_ARGUMENTS, run.exitCode, run.err);
        assertEquals("", run.out);
        assertTrue(run.err.startsWith("tradestate dump: ") && run.err.contains(named), run.err);
    }

    private static void assertLines(final String[] lines, final String... expected)
    {
        assertEquals(expected.length, lines.length, String.join("\n", lines));
        for (int i = 0; i < expected.length; i++)
        {
            assertEquals(expected[i], lines[i]);
            JsonLine.parse(lines[i]);
        }
    }

    private static Map<String, Long> files(final Path folder) throws IOException
    {
        final Map<String, Long> files = new TreeMap<>();
        try (Stream<Path> paths = Files.list(folder))
        {
            for (final Path path : (Iterable<Path>)paths::iterator)
            {
                files.put(path.getFileName().toString(), Files.getLastModifiedTime(path).toMillis());
            }
        }
        return files;
    }
}
