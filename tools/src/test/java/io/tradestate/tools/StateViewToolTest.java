package io.tradestate.tools;

import io.tradestate.codecs.LockSide;
import io.tradestate.codecs.OrderStatus;
import io.tradestate.codecs.OrderType;
import io.tradestate.codecs.Side;
import io.tradestate.codecs.TradingMode;
import io.tradestate.reader.StatePublisherRunner;
import io.tradestate.writer.JournalContext;
import io.tradestate.writer.TradeJournal;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code tradestate state} against maps the reader agent's real publisher filled from real journals: the sections
 * and their rows as text tables and as JSON, the source and time filters, and the exit codes.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StateViewToolTest
{
    private static final long NOW_MS = System.currentTimeMillis();

    @TempDir
    static Path root;

    private static StatePublisherRunner publisher;

    @BeforeAll
    static void publishState()
    {
        try (TradeJournal a = open("strategy-a"); TradeJournal b = open("strategy-b"))
        {
            order(a, "binance", "o-1", "BTC/USDT", OrderStatus.OPEN, 0, 7);
            order(a, "binance", "o-1", "BTC/USDT", OrderStatus.PARTIALLY_FILLED, 5, 7);
            order(a, "binance", "o-2", "BTC/USDT", OrderStatus.CANCELED, 0, 7);
            a.tradeUpdate().tradeId(7).openTimeMs(1_767_225_600_000L).strategy("momentum").exchange("binance")
                .pair("BTC/USDT").isShort(false).isOpen(true).tradingMode(TradingMode.FUTURES).leverage(3, 0)
                .openRate(6412350, -2).amount(15, -3).stakeAmount(32061750, -5).stopLoss(6000000, -2)
                .maxRate(650001, -1).commit();
            a.tradeUpdate().tradeId(8).openTimeMs(1_767_225_600_000L).strategy("momentum").exchange("binance")
                .pair("ETH/USDT").isShort(false).isOpen(false).tradingMode(TradingMode.SPOT).openRate(300000, -2)
                .amount(1, 0).stakeAmount(3000, 0).closeRate(310000, -2).closeTimeMs(NOW_MS - 5_000).commit();
            a.pairLock().pair("ETH/USDT").side(LockSide.LONG).lockTimeMs(NOW_MS - 1_000)
                .lockEndTimeMs(NOW_MS + 600_000).reason("cooldown \"stop\"\tloss").commit();
            a.pairLock().pair("*").side(LockSide.SHORT).lockTimeMs(NOW_MS - 1_000).lockEndTimeMs(NOW_MS + 60_000)
                .commit();
            a.balanceUpdate().exchange("binance").asset("USDT").free(100, 0).used(5, -1).total(1005, -1).commit();

            b.orderUpdate().exchange("kraken").symbol("ETH/USD").orderId("b-1").side(Side.SELL)
                .orderType(OrderType.MARKET).status(OrderStatus.OPEN).amount(1, 0).commit();
            b.tradeUpdate().tradeId(1).openTimeMs(1_767_225_600_000L).strategy("mean-rev").exchange("kraken")
                .pair("ETH/USD").isShort(true).isOpen(true).tradingMode(TradingMode.MARGIN).openRate(300012, -2)
                .amount(2, 0).stakeAmount(600024, -2).commit();
            b.pairLock().pair("XRP/USDT").side(LockSide.ANY).lockTimeMs(NOW_MS - 1_000)
                .lockEndTimeMs(NOW_MS + 120_000).allSources(true).commit();
        }

        publisher = new StatePublisherRunner(root.resolve("journal"), root.resolve("state"), NOW_MS);
        publisher.publish();
    }

    @AfterAll
    static void stopPublisher()
    {
        if (null != publisher)
        {
            publisher.close();
        }
    }

    @Test
    void shouldPrintEverySectionAsAlignedTablesWhenStateIsPublished()
    {
        final Run run = Run.of(root.resolve("state").toString());
        assertEquals(StateViewTool.EXIT_OK, run.exitCode, run.err);
        final List<String> lines = run.out.lines().toList();
        assertTrue(lines.get(0).startsWith("state " + root.resolve("state") + ": generation 1, publisher heartbeat "),
            lines.get(0));
        assertTrue(lines.get(0).endsWith(", no map full"), lines.get(0));
        assertTrue(run.out.contains("\nopen orders: 2\n"), run.out);
        assertTrue(run.out.contains("\nopen trades: 2\n"), run.out);
        assertTrue(run.out.contains("\nactive pair locks: 3\n"), run.out);
        assertTrue(run.out.contains("\nbalances: 1\n"), run.out);

        final String header = line(lines, "source      exchange  order id");
        assertEquals("source      exchange  order id  symbol    side  type    status               price  amount" +
            "  filled  remaining  trade id  last update", header);
        final String order = line(lines, "strategy-a  binance   o-1");
        assertTrue(order.startsWith("strategy-a  binance   o-1       BTC/USDT  buy   limit   partially_filled  " +
            "64123.50   0.050   0.005      0.045         7  "), order);
        final String market = line(lines, "strategy-b  kraken    b-1");
        assertTrue(market.startsWith("strategy-b  kraken    b-1       ETH/USD   sell  market  open              " +
            "       -       1       -          -         -  "), market);
        assertTrue(lines.indexOf(order) < lines.indexOf(market), "sorted by source");

        assertEquals("strategy-a         7  momentum  BTC/USDT  false         3   64123.50   0.015  320.61750" +
            "   60000.00   65000.1         -  2026-01-01T00:00:00.000Z", line(lines, "strategy-a         7"));
        assertTrue(line(lines, "strategy-b         1").contains("ETH/USD   true"), run.out);

        final String lock = line(lines, "strategy-a  source  ETH/USDT");
        assertTrue(lock.startsWith("strategy-a  source  ETH/USDT  long  "), lock);
        assertTrue(lock.endsWith("  cooldown \"stop\"?loss"), "control characters are shown as ?: " + lock);
        assertTrue(line(lines, "strategy-a  source  *").startsWith("strategy-a  source  *         short  "), run.out);
        final String forAll = line(lines, "strategy-b  all     XRP/USDT");
        assertTrue(forAll.startsWith("strategy-b  all     XRP/USDT  *      "), "a lock for all sources: " + run.out);
        assertTrue(forAll.endsWith("  -"), "no reason: " + run.out);

        assertTrue(line(lines, "binance   USDT").startsWith("binance   USDT    100   0.5  100.5  strategy-a  "),
            run.out);
    }

    @Test
    void shouldPrintOneJsonObjectWithExactDecimalsWhenJsonIsAsked()
    {
        final Run run = Run.of(root.resolve("state").toString(), "--json");
        assertEquals(StateViewTool.EXIT_OK, run.exitCode, run.err);
        final Map<String, Object> state = JsonLine.parse(run.out.strip().replace("\n", ""));
        assertEquals(1L, state.get("generation"));
        assertEquals(Boolean.FALSE, state.get("mapFull"));
        // The publisher here runs on the test's clock, seconds ahead of the wall clock: the age is only present.
        assertTrue(state.get("heartbeatAgeMs") instanceof Long, run.out);
        assertEquals(null, state.get("source"));

        final List<?> orders = (List<?>)state.get("openOrders");
        assertEquals(2, orders.size());
        final Map<?, ?> order = (Map<?, ?>)orders.get(0);
        assertEquals("strategy-a", order.get("source"));
        assertEquals("o-1", order.get("orderId"));
        assertEquals("partially_filled", order.get("status"));
        assertEquals("64123.50", order.get("price"));
        assertEquals("0.005", order.get("filled"));
        assertEquals(7L, order.get("tradeId"));
        assertTrue(order.get("updateTimeNs") instanceof Long, order.toString());
        assertTrue(((String)order.get("updateTime")).endsWith("Z"), order.toString());
        assertEquals(null, ((Map<?, ?>)orders.get(1)).get("price"));

        final Map<?, ?> trade = (Map<?, ?>)((List<?>)state.get("openTrades")).get(0);
        assertEquals("320.61750", trade.get("stakeAmount"));
        assertEquals(Boolean.FALSE, trade.get("isShort"));
        assertEquals(1_767_225_600_000L, trade.get("openTimeMs"));
        assertEquals("2026-01-01T00:00:00.000Z", trade.get("openTime"));

        final List<?> locks = (List<?>)state.get("activePairLocks");
        assertEquals(3, locks.size());
        final Map<?, ?> lock = (Map<?, ?>)locks.get(1);
        assertEquals("ETH/USDT", lock.get("pair"));
        assertEquals("source", lock.get("scope"));
        assertEquals("all", ((Map<?, ?>)locks.get(2)).get("scope"));
        assertEquals("strategy-b", ((Map<?, ?>)locks.get(2)).get("source"));
        assertEquals("cooldown \"stop\"\tloss", lock.get("reason"));
        assertEquals(Boolean.FALSE, lock.get("reasonTruncated"));
        assertEquals(NOW_MS + 600_000, lock.get("lockEndTimeMs"));

        final Map<?, ?> balance = (Map<?, ?>)((List<?>)state.get("balances")).get(0);
        assertEquals("100.5", balance.get("total"));
        assertEquals("0.5", balance.get("used"));
    }

    @Test
    void shouldListOneSourceAndTheLocksStillRunningWhenSourceAndAtAreGiven()
    {
        final Run run = Run.of(root.resolve("state").toString(), "--source", "strategy-a", "--at",
            Long.toString(NOW_MS + 300_000), "--json");
        assertEquals(StateViewTool.EXIT_OK, run.exitCode, run.err);
        final Map<String, Object> state = JsonLine.parse(run.out.strip().replace("\n", ""));
        assertEquals("strategy-a", state.get("source"));
        assertEquals(NOW_MS + 300_000, state.get("atMs"));
        assertEquals(1, ((List<?>)state.get("openOrders")).size());
        assertEquals(1, ((List<?>)state.get("openTrades")).size());
        final List<?> locks = (List<?>)state.get("activePairLocks");
        assertEquals(1, locks.size(), "the * lock and b's lock for all sources ended before --at: " + locks);
        assertEquals("ETH/USDT", ((Map<?, ?>)locks.get(0)).get("pair"));
        assertEquals(1, ((List<?>)state.get("balances")).size(), "balances are not per source");

        final Run now = Run.of(root.resolve("state").toString(), "--source", "strategy-a", "--at",
            Long.toString(NOW_MS), "--json");
        final List<?> locksNow = (List<?>)JsonLine.parse(now.out.strip().replace("\n", "")).get("activePairLocks");
        assertEquals(3, locksNow.size(), "a's own two and b's lock for all sources: " + locksNow);
        assertEquals("all", ((Map<?, ?>)locksNow.get(2)).get("scope"));
    }

    @Test
    void shouldExitThreeWhenNoStateIsPublished() throws Exception
    {
        final Path empty = Files.createDirectories(root.resolve("empty-state"));
        final Run run = Run.of(empty.toString(), "--wait-ms", "200");
        assertEquals(StateViewTool.EXIT_NO_STATE, run.exitCode);
        assertTrue(run.err.contains("no state published under " + empty + " within 200 ms"), run.err);
        assertEquals("", run.out);

        assertEquals(StateViewTool.EXIT_NO_STATE, Run.of(root.resolve("missing").toString()).exitCode);
    }

    @Test
    void shouldExitTwoNamingTheOptionWhenArgumentsAreInvalid()
    {
        assertInvalid("<state-dir> is missing");
        assertInvalid("Unknown option: '--bogus'", "dir", "--bogus");
        assertInvalid("--at must be ISO-8601", "dir", "--at", "yesterday");
        assertInvalid("--wait-ms must be a whole number", "dir", "--wait-ms", "soon");
        assertInvalid("Invalid value for option '--json': 'yes' is not a boolean", "dir", "--json=yes");
        assertInvalid("unexpected argument 'other'", "dir", "other");

        final Run help = Run.of("--help");
        assertEquals(StateViewTool.EXIT_OK, help.exitCode);
        assertTrue(help.out.startsWith("usage: tradestate state <state-dir> [options]"), help.out);
        assertTrue(help.out.contains("Exit codes:\n  0   done\n  2   invalid arguments\n  3   no state published"),
            help.out);
        assertFalse(help.out.contains("\t"));
    }

    private static void assertInvalid(final String message, final String... args)
    {
        final Run run = Run.of(args);
        assertEquals(StateViewTool.EXIT_INVALID_ARGUMENTS, run.exitCode, run.err);
        assertTrue(run.err.startsWith("tradestate state: " + message), run.err);
    }

    private static String line(final List<String> lines, final String start)
    {
        return lines.stream().filter((line) -> line.startsWith(start)).findFirst()
            .orElseThrow(() -> new AssertionError("no line starts with '" + start + "' in:\n" +
                String.join("\n", lines)));
    }

    private static TradeJournal open(final String sourceId)
    {
        return TradeJournal.open(new JournalContext()
            .journalRoot(root.resolve("journal")).sourceId(sourceId).heartbeatIntervalMs(0).pretouchEnabled(false));
    }

    private static void order(
        final TradeJournal journal,
        final String exchange,
        final String orderId,
        final String symbol,
        final OrderStatus status,
        final long filled,
        final long tradeId)
    {
        journal.orderUpdate()
            .exchange(exchange).symbol(symbol).orderId(orderId).tradeId(tradeId).side(Side.BUY)
            .orderType(OrderType.LIMIT).status(status).price(6412350, -2).amount(50, -3).filled(filled, -3)
            .remaining(50 - filled, -3).commit();
    }

    private static final class Run
    {
        final int exitCode;
        final String out;
        final String err;

        private Run(final int exitCode, final String out, final String err)
        {
            this.exitCode = exitCode;
            this.out = out;
            this.err = err;
        }

        static Run of(final String... args)
        {
            final ByteArrayOutputStream out = new ByteArrayOutputStream();
            final ByteArrayOutputStream err = new ByteArrayOutputStream();
            final int exitCode;
            try (PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8))
            {
                exitCode = StateViewTool.run(args, outStream, errStream);
            }
            return new Run(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        }
    }
}
