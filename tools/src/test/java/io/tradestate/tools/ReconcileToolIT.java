package io.tradestate.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.tradestate.codecs.Liquidity;
import io.tradestate.codecs.OrderStatus;
import io.tradestate.codecs.OrderType;
import io.tradestate.codecs.Side;
import io.tradestate.reader.AgentTestEnvironment;
import io.tradestate.reader.ReaderAgent;
import io.tradestate.writer.TradeJournal;
import io.tradestate.writer.state.BalanceEntry;
import io.tradestate.writer.state.TradeStateView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code tradestate reconcile} against a real PostgreSQL and real state maps that a real {@link ReaderAgent} filled
 * from a journal written through {@link TradeJournal}, a journal that missed what the exchange's CCXT dump holds:
 * a fill and the closing update of a partly filled order, the cancel of another, an order and its fill never
 * heard of, a balance changed by those fills; one order the journal has open that the exchange does not know; a
 * closed order whose average and a fill whose fee the exchange reports otherwise; one order consistent on both sides
 * though written differently ({@code 0.50} and {@code 0.5}). Every difference below is what the test's inputs make
 * it by hand, and nothing else is reported. Then malformed and hostile dumps: exit 2 with the line and field, and
 * the database unchanged.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ReconcileToolIT
{
    private static final long T0_MS = 1_767_225_600_000L;
    private static final String T0 = "2026-01-01T00:00:00Z";

    @RegisterExtension
    final AgentTestEnvironment environment =
        new AgentTestEnvironment("reconcile").settings(AgentTestEnvironment.smallStateMaps(1_000));

    private long lastIndex;

    @Test
    void shouldFindExactlyWhatTheJournalMissedAgainstTheDatabaseAndTheStateMaps() throws Exception
    {
        appendJournal();
        environment.launch();
        awaitDrained();

        final Path dump = environment.root().resolve("binance.jsonl");
        Files.writeString(dump, String.join("\n", exchangeDump()) + "\n");

        // From T0: the old fill before it is out of the window.
        final ReconcileRun windowed = ReconcileRun.againstDatabase(environment, "alpha", "--exchange-dump",
            dump.toString(), "--exchange", "binance", "--from", T0);
        assertEquals(ReconcileTool.EXIT_DIFFERENCES, windowed.exitCode, windowed.out + windowed.err);
        final List<String> expected = List.of(
            "  missing fill        fill f-1b of order o-1: buy 0.006 BTC/USDT at 64000.0, fee 0.0384 USDT, " +
                "2026-01-01T00:00:07Z; TradeState has no Fill of it",
            "  missing fill        fill f-4 of order o-4: buy 0.002 BTC/USDT at 64100.0, fee 0.1282 USDT, " +
                "2026-01-01T00:00:08Z; TradeState has no Fill of it",
            "  differing fill      fill f-6 (source alpha): fee.cost is \"0.903\" in TradeState, \"0.9\" on the " +
                "exchange",
            "  closed on exchange  order o-1 (BTC/USDT, source alpha): status is \"partially_filled\" in TradeState, " +
                "\"closed\" on the exchange, filled is \"0.004\" in TradeState, \"0.01\" on the exchange",
            "  closed on exchange  order o-2 (ETH/USDT, source alpha): status is \"open\" in TradeState, " +
                "\"canceled\" on the exchange",
            "  unknown to exchange order o-3 (BTC/USDT, source alpha) is open in TradeState, filled 0; the " +
                "exchange's orders do not hold it",
            "  differing order     order o-6 (ETH/USDT, source alpha): average is \"3010.00\" in TradeState, " +
                "\"3010.5\" on the exchange",
            "  never journaled     order o-4: buy 0.002 BTC/USDT at 64100.0, closed, filled 0.002; TradeState has " +
                "no OrderUpdate of it",
            "  differing balance   balance USDT (source alpha): total is \"1000.00\" in TradeState, \"999.5\" on " +
                "the exchange, free is \"1000.00\" in TradeState, \"999.5\" on the exchange",
            "  missing balance     balance BTC: the exchange reports a total of 0.016; TradeState has no balance " +
                "of it");
        assertEquals(expected, differenceLines(windowed.out), windowed.out);
        assertTrue(windowed.out.contains("  compared   5 fills, 6 orders, 3 balances\n"), windowed.out);
        assertTrue(windowed.out.endsWith("reconcile found 10 differences\n"), windowed.out);

        // Without a window the fill of an hour before is missing too.
        final ReconcileRun whole = ReconcileRun.againstDatabase(environment, "alpha", "--exchange-dump",
            dump.toString(), "--exchange", "binance");
        assertEquals(ReconcileTool.EXIT_DIFFERENCES, whole.exitCode, whole.out + whole.err);
        assertEquals(11, differenceLines(whole.out).size(), whole.out);
        assertTrue(whole.out.contains("  missing fill        fill f-old of order o-0: sell 0.1 BTC/USDT at 63000.0, " +
            "2025-12-31T23:00:00Z; TradeState has no Fill of it\n"), whole.out);

        // The same as JSON.
        final ReconcileRun json = ReconcileRun.againstDatabase(environment, "alpha", "--exchange-dump",
            dump.toString(), "--exchange", "binance", "--from", T0, "--json");
        assertEquals(ReconcileTool.EXIT_DIFFERENCES, json.exitCode, json.out + json.err);
        final JsonNode report = JsonMapper.builder().build().readTree(json.out);
        assertEquals(false, report.get("consistent").booleanValue());
        assertEquals(T0_MS, report.get("fromMs").longValue());
        final List<String> kinds = new ArrayList<>();
        report.get("differences").forEach((d) -> kinds.add(d.get("kind").textValue() + " " + d.get("id").textValue()));
        assertEquals(List.of("missing_fill f-1b", "missing_fill f-4", "differing_fill f-6", "closed_on_exchange o-1",
            "closed_on_exchange o-2", "unknown_to_exchange o-3", "differing_order o-6", "never_journaled o-4",
            "differing_balance USDT", "missing_balance BTC"), kinds);
        final JsonNode status = report.get("differences").get(3).get("fields").get(0);
        assertEquals("status partially_filled closed", status.get("field").textValue() + " " +
            status.get("tradestate").textValue() + " " + status.get("exchange").textValue());

        // Against the state maps: no fills there, and the closed order o-4 may have left them; the rest as above.
        final ReconcileRun state = ReconcileRun.of("alpha", "--exchange-dump", dump.toString(), "--exchange",
            "binance", "--from", T0, "--state", environment.stateDir().toString());
        assertEquals(ReconcileTool.EXIT_DIFFERENCES, state.exitCode, state.out + state.err);
        assertEquals(List.of(expected.get(3), expected.get(4), expected.get(5), expected.get(6), expected.get(8),
            expected.get(9)), differenceLines(state.out), state.out);
        assertTrue(state.out.contains("  note       6 fills not compared: the state maps hold no fills"), state.out);
        assertTrue(state.out.contains("  note       1 orders the exchange reports closed are not in the state maps"),
            state.out);

        // What the exchange reports for what the journal does hold: consistent, exit 0.
        final Path agreeing = environment.root().resolve("agreeing.jsonl");
        Files.writeString(agreeing, String.join("\n",
            "[" + order("o-1", "BTC/USDT", "buy", "open", "64000", "0.010", "0.004", "64000", 1000, 2000) +
            ", " + order("o-2", "ETH/USDT", "buy", "open", "3000", "1.5", "0", "null", 3000, 3000) +
            ", " + order("o-3", "BTC/USDT", "sell", "open", "70000", "0.001", "0", "null", 4000, 4000) +
            ", " + order("o-5", "ETH/USDT", "buy", "closed", "2950.0", "0.5", "0.5", "2950.0", 5000, 6000) + "]",
            trade("f-1a", "o-1", "BTC/USDT", "buy", "64000.0", "0.004", "0.0256", 2000),
            trade("f-5", "o-5", "ETH/USDT", "buy", "2950.0", "0.5", "1.475", 6000),
            "{\"info\":{},\"free\":{\"USDT\":1000},\"used\":{\"USDT\":0},\"total\":{\"USDT\":1000.0}}") + "\n");
        final ReconcileRun consistent = ReconcileRun.againstDatabase(environment, "alpha", "--exchange-dump",
            agreeing.toString(), "--exchange", "binance", "--from", T0);
        assertEquals(ReconcileTool.EXIT_CONSISTENT, consistent.exitCode, consistent.out + consistent.err);
        assertTrue(consistent.out.contains("  compared   2 fills, 4 orders, 1 balances\n"), consistent.out);
        assertTrue(consistent.out.endsWith("reconcile consistent\n"), consistent.out);
        final ReconcileRun consistentState = ReconcileRun.of("alpha", "--exchange-dump", agreeing.toString(),
            "--exchange", "binance", "--state", environment.stateDir().toString());
        assertEquals(ReconcileTool.EXIT_CONSISTENT, consistentState.exitCode,
            consistentState.out + consistentState.err);
    }

    @Test
    void shouldRefuseHostileDumpsNamingTheLineAndChangeNothing() throws Exception
    {
        appendJournal();
        environment.launch();
        awaitDrained();
        final String before = databaseCounts();

        final List<String> good = exchangeDump();
        final String lastTrade = trade("f-9", "o-9", "BTC/USDT", "buy", "1.0", "1.0", "null", 0);
        final List<List<String>> hostile = List.of(
            List.of(good.get(0), good.get(1).substring(0, 200)),
            List.of(good.get(0), good.get(1), lastTrade.replace("\"amount\":1.0", "\"amount\":[1]")),
            List.of(good.get(0), good.get(1), lastTrade.replace("\"price\":1.0", "\"price\":1e40")),
            List.of(good.get(0), good.get(1), lastTrade.replace("\"price\":1.0", "\"price\":-1.0")),
            List.of(good.get(0), good.get(1), lastTrade.replace("f-9", "f-4")),
            List.of(good.get(0), good.get(1), lastTrade.replace("{\"info\"", "{\"exchange\":\"kraken\",\"info\"")));
        final List<String> messages = List.of("line 2: not valid JSON", "line 3: amount must be a number",
            "line 3: price is too large", "line 3: price is negative", "line 3: duplicate id: fill f-4 is also at " +
            "line 2 [4]", "line 3: exchange is 'kraken'");
        for (int i = 0; i < hostile.size(); i++)
        {
            final Path dump = environment.root().resolve("hostile-" + i + ".jsonl");
            Files.writeString(dump, String.join("\n", hostile.get(i)) + "\n");
            final ReconcileRun run = ReconcileRun.againstDatabase(environment, "alpha", "--exchange-dump",
                dump.toString(), "--exchange", "binance");
            assertEquals(ReconcileTool.EXIT_INVALID, run.exitCode, run.out + run.err);
            assertTrue(run.err.startsWith("tradestate reconcile: " + dump + " " + messages.get(i)), run.err);
            assertEquals("", run.out);
        }
        Thread.sleep(500);
        assertEquals(before, databaseCounts(), "nothing appended, nothing drained");
    }

    private String databaseCounts() throws Exception
    {
        return queryLong("SELECT count(*) FROM order_events") + " " + queryLong("SELECT count(*) FROM fills") + " " +
            queryLong("SELECT max(last_index) FROM source_checkpoints");
    }

    private void appendJournal()
    {
        try (TradeJournal journal = environment.journal("alpha"))
        {
            journal.orderUpdate().exchange("binance").symbol("BTC/USDT").orderId("o-1").side(Side.BUY)
                .orderType(OrderType.LIMIT).status(OrderStatus.OPEN).price(6400000, -2).amount(10, -3)
                .filled(0, 0).remaining(10, -3).exchangeTimeMs(T0_MS + 1000).commit();
            journal.fill().exchange("binance").symbol("BTC/USDT").fillId("f-1a").orderId("o-1").side(Side.BUY)
                .liquidity(Liquidity.MAKER).price(6400000, -2).amount(4, -3).feeCost(256, -4).feeCurrency("USDT")
                .exchangeTimeMs(T0_MS + 2000).commit();
            journal.orderUpdate().exchange("binance").symbol("BTC/USDT").orderId("o-1").side(Side.BUY)
                .orderType(OrderType.LIMIT).status(OrderStatus.PARTIALLY_FILLED).price(6400000, -2).amount(10, -3)
                .filled(4, -3).remaining(6, -3).average(6400000, -2).exchangeTimeMs(T0_MS + 2000).commit();
            journal.orderUpdate().exchange("binance").symbol("ETH/USDT").orderId("o-2").side(Side.BUY)
                .orderType(OrderType.LIMIT).status(OrderStatus.OPEN).price(3000, 0).amount(15, -1)
                .filled(0, 0).exchangeTimeMs(T0_MS + 3000).commit();
            journal.orderUpdate().exchange("binance").symbol("BTC/USDT").orderId("o-3").side(Side.SELL)
                .orderType(OrderType.LIMIT).status(OrderStatus.OPEN).price(70000, 0).amount(1, -3)
                .exchangeTimeMs(T0_MS + 4000).commit();
            journal.orderUpdate().exchange("binance").symbol("ETH/USDT").orderId("o-5").side(Side.BUY)
                .orderType(OrderType.LIMIT).status(OrderStatus.OPEN).price(295000, -2).amount(50, -2)
                .filled(0, 0).exchangeTimeMs(T0_MS + 5000).commit();
            journal.fill().exchange("binance").symbol("ETH/USDT").fillId("f-5").orderId("o-5").side(Side.BUY)
                .liquidity(Liquidity.TAKER).price(295000, -2).amount(50, -2).feeCost(1475, -3).feeCurrency("USDT")
                .exchangeTimeMs(T0_MS + 6000).commit();
            journal.orderUpdate().exchange("binance").symbol("ETH/USDT").orderId("o-5").side(Side.BUY)
                .orderType(OrderType.LIMIT).status(OrderStatus.CLOSED).price(295000, -2).amount(50, -2)
                .filled(50, -2).remaining(0, 0).average(295000, -2).exchangeTimeMs(T0_MS + 6000).commit();
            journal.orderUpdate().exchange("binance").symbol("ETH/USDT").orderId("o-6").side(Side.SELL)
                .orderType(OrderType.MARKET).status(OrderStatus.CLOSED).amount(30, -2).filled(30, -2)
                .average(301000, -2).exchangeTimeMs(T0_MS + 9500).commit();
            journal.fill().exchange("binance").symbol("ETH/USDT").fillId("f-6").orderId("o-6").side(Side.SELL)
                .liquidity(Liquidity.TAKER).price(30105, -1).amount(30, -2).feeCost(903, -3).feeCurrency("USDT")
                .exchangeTimeMs(T0_MS + 9500).commit();
            lastIndex = journal.balanceUpdate().exchange("binance").asset("USDT").free(100000, -2).used(0, 0)
                .total(100000, -2).exchangeTimeMs(T0_MS + 6500).commit();
        }
    }

    /**
     * What ccxt's results look like dumped by Python's json.dumps: floats (0.01, 999.5, 0.0), nulls, the members
     * reconciliation ignores (info, datetime, trades, fees...), lists on one line.
     */
    private static List<String> exchangeDump()
    {
        return List.of(
            "[" + order("o-1", "BTC/USDT", "buy", "closed", "64000.0", "0.01", "0.01", "64000.0", 1000, 7000) +
            ", " + order("o-2", "ETH/USDT", "buy", "canceled", "3000.0", "1.5", "0.0", "null", 3000, 9000) +
            ", " + order("o-4", "BTC/USDT", "buy", "closed", "64100.0", "0.002", "0.002", "64100.0", 7500, 8000) +
            ", " + order("o-5", "ETH/USDT", "buy", "closed", "2950.0", "0.5", "0.5", "2950.0", 5000, 6000) +
            ", " + order("o-6", "ETH/USDT", "sell", "closed", "null", "0.3", "0.3", "3010.5", 9500, 9500) + "]",
            "[" + trade("f-6", "o-6", "ETH/USDT", "sell", "3010.5", "0.3", "0.9", 9500) +
            ", " + trade("f-5", "o-5", "ETH/USDT", "buy", "2950.0", "0.5", "1.475", 6000) +
            ", " + trade("f-1a", "o-1", "BTC/USDT", "buy", "64000.0", "0.004", "0.0256", 2000) +
            ", " + trade("f-1b", "o-1", "BTC/USDT", "buy", "64000.0", "0.006", "0.0384", 7000) +
            ", " + trade("f-4", "o-4", "BTC/USDT", "buy", "64100.0", "0.002", "0.1282", 8000) +
            ", " + trade("f-old", "o-0", "BTC/USDT", "sell", "63000.0", "0.1", "null", -3_600_000) + "]",
            "{\"info\":{\"makerCommission\":10},\"timestamp\":null,\"datetime\":null," +
            "\"USDT\":{\"free\":999.5,\"used\":0.0,\"total\":999.5},\"BTC\":{\"free\":0.016,\"used\":0.0," +
            "\"total\":0.016},\"free\":{\"USDT\":999.5,\"BTC\":0.016,\"ETH\":0.0},\"used\":{\"USDT\":0.0," +
            "\"BTC\":0.0,\"ETH\":0.0},\"total\":{\"USDT\":999.5,\"BTC\":0.016,\"ETH\":0.0}}");
    }

    private static String order(final String id, final String symbol, final String side, final String status,
        final String price, final String amount, final String filled, final String average, final long placedMs,
        final long lastMs)
    {
        final BigDecimal remaining = new BigDecimal(amount).subtract(new BigDecimal(filled));
        return "{\"id\":\"" + id + "\",\"clientOrderId\":null,\"timestamp\":" + (T0_MS + placedMs) +
            ",\"datetime\":\"ignored\",\"lastTradeTimestamp\":" + (T0_MS + lastMs) + ",\"lastUpdateTimestamp\":null," +
            "\"symbol\":\"" + symbol + "\",\"type\":\"limit\",\"timeInForce\":\"GTC\",\"postOnly\":false," +
            "\"side\":\"" + side + "\",\"price\":" + price + ",\"triggerPrice\":null,\"amount\":" + amount +
            ",\"cost\":null,\"average\":" + average + ",\"filled\":" + filled + ",\"remaining\":" +
            remaining.toPlainString() + ",\"status\":\"" + status + "\",\"fee\":null,\"trades\":[],\"fees\":[]," +
            "\"reduceOnly\":null,\"info\":{\"orderId\":1}}";
    }

    private static String trade(final String id, final String orderId, final String symbol, final String side,
        final String price, final String amount, final String fee, final long timeMs)
    {
        return "{\"info\":{},\"id\":\"" + id + "\",\"timestamp\":" + (T0_MS + timeMs) + ",\"datetime\":\"x\"," +
            "\"symbol\":\"" + symbol + "\",\"order\":\"" + orderId + "\",\"type\":\"limit\",\"side\":\"" + side +
            "\",\"takerOrMaker\":\"maker\",\"price\":" + price + ",\"amount\":" + amount + ",\"cost\":null," +
            "\"fee\":" + ("null".equals(fee) ? "null" : "{\"cost\":" + fee + ",\"currency\":\"USDT\"}") +
            ",\"fees\":[]}";
    }

    private static List<String> differenceLines(final String out)
    {
        final List<String> lines = new ArrayList<>();
        for (final String line : out.split("\n"))
        {
            if (line.startsWith("  ") && !line.startsWith("  window ") && !line.startsWith("  compared ") &&
                !line.startsWith("  note "))
            {
                lines.add(line);
            }
        }
        return lines;
    }

    private void awaitDrained() throws Exception
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (queryLong("SELECT coalesce(max(last_index), -1) FROM source_checkpoints") < lastIndex)
        {
            assertTrue(System.nanoTime() < deadlineNs, "drained");
            Thread.sleep(50);
        }
        try (TradeStateView view = TradeStateView.open(environment.stateDir()))
        {
            assertTrue(view.awaitAvailable(30_000), "state maps published");
            final BalanceEntry balance = new BalanceEntry();
            while (TradeStateView.FOUND != view.balance("binance", "USDT", balance))
            {
                assertTrue(System.nanoTime() < deadlineNs, "state maps caught up");
                Thread.sleep(20);
            }
        }
    }

    private long queryLong(final String sql) throws Exception
    {
        try (Connection connection = environment.dataSource().getConnection();
            Statement statement = connection.createStatement();
            ResultSet rows = statement.executeQuery(sql))
        {
            rows.next();
            return rows.getLong(1);
        }
    }
}
