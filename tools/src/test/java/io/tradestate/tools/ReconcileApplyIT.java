package io.tradestate.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.tradestate.reader.AgentTestEnvironment;
import io.tradestate.reader.ReaderAgent;
import io.tradestate.test.ChildJvm;
import io.tradestate.tools.reconcile.JournalTail;
import org.junit.jupiter.api.AfterEach;
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
 * {@code tradestate reconcile --apply} against a real PostgreSQL drained by a real {@link ReaderAgent}, on the
 * journal of a real strategy JVM ({@link GridStrategyMain}) killed with {@code SIGKILL} while its simulated exchange
 * ({@link GridExchange}) keeps filling: reconcile reports exactly what the events after the kill make it (worked out
 * from the events, not by the reconciler); {@code --apply}, run as an operator runs it (a tool JVM), appends exactly
 * that, marked as from reconciliation; once drained, reconcile is consistent, {@code tradestate verify} is clean, the
 * ledger's realized profit is the one computed from the exchange's executions, and a second {@code --apply} appends
 * nothing. A live writer, and hostile dumps, are refused with exit 2, appending nothing.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ReconcileApplyIT
{
    private static final String SOURCE = "alpha";

    @RegisterExtension
    final AgentTestEnvironment environment =
        new AgentTestEnvironment("reconcile_apply").settings(AgentTestEnvironment.smallStateMaps(1_000));

    private final List<ChildJvm> children = new ArrayList<>();

    @AfterEach
    void closeChildren()
    {
        children.forEach(ChildJvm::close);
    }

    @Test
    void shouldAppendExactlyWhatAStrategyKilledWhileItsExchangeFilledMissedAndNothingTwice() throws Exception
    {
        final GridExchange grid = new GridExchange();
        environment.launch();
        final ChildJvm strategy = start(ChildJvm.builder(GridStrategyMain.class)
            .arguments(environment.journalRoot().toString(), SOURCE, "300").workingDirectory(environment.root())
            .log(environment.root().resolve("strategy.log")));

        // Killed once two fills are in the database; the exchange goes on filling what it had placed.
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (queryLong("SELECT count(*) FROM fills") < 2)
        {
            assertTrue(strategy.isAlive(), strategy.logTail());
            assertTrue(System.nanoTime() < deadlineNs, "two fills drained; " + strategy.logTail());
            Thread.sleep(20);
        }
        assertTrue(strategy.kill(), "SIGKILL");
        awaitDrained();
        final int journaled = (int)queryLong("SELECT (SELECT count(*) FROM trade_events) + " +
            "(SELECT count(*) FROM order_events) + (SELECT count(*) FROM fills) + " +
            "(SELECT count(*) FROM balance_events)");
        final List<String> expected = grid.expectedDifferences(journaled);
        assertTrue(journaled < grid.events().size() && expected.get(0).startsWith("missing_fill "),
            journaled + " of " + grid.events().size() + " events journaled: " + expected);

        final Path dump = environment.root().resolve("binance.jsonl");
        Files.writeString(dump, String.join("\n", grid.dump()) + "\n");
        final ReconcileRun found = ReconcileRun.againstDatabase(environment, SOURCE, "--exchange-dump",
            dump.toString(), "--exchange", "binance", "--json");
        assertEquals(ReconcileTool.EXIT_DIFFERENCES, found.exitCode, found.out + found.err);
        assertEquals(expected, kinds(found.out), found.out);

        // --apply from a tool JVM, as an operator runs it.
        final long lastBefore = lastIndex();
        final ChildJvm apply = tool("apply-1", dump);
        assertEquals(ReconcileTool.EXIT_DIFFERENCES, apply.exitValue(), apply.output());
        final String applied = apply.output();
        final long fills = expected.stream().filter((k) -> k.startsWith("missing_fill ")).count();
        final long orders = expected.stream().filter((k) -> k.contains("_on_exchange ") || k.startsWith("never_"))
            .count();
        final long balances = expected.stream().filter((k) -> k.contains("_balance ")).count();
        final long events = fills + orders + balances;
        assertTrue(applied.contains("reconcile --apply appended " + events + " events to " +
            environment.journalRoot().resolve(SOURCE) + " (indexes "), applied);
        for (final String kindAndId : expected)
        {
            final String id = kindAndId.substring(kindAndId.indexOf(' ') + 1);
            assertTrue(applied.contains("  appended   " + (kindAndId.startsWith("missing_fill") ? "Fill" :
                kindAndId.contains("balance") ? "BalanceUpdate" : "OrderUpdate")), applied);
            assertTrue(applied.contains(id), id + " in " + applied);
        }
        final long lastAfter = lastIndex();
        assertEquals(lastBefore + 1 + events, lastAfter, "SourceStarted and the repair");
        System.out.println("reconcile --apply after SIGKILL (" + journaled + " of " + grid.events().size() +
            " events journaled):\n" + applied);

        awaitDrained();
        assertEquals(fills, queryLong("SELECT count(*) FROM fills WHERE origin = 'reconciliation' AND " +
            "reconcile_time IS NOT NULL"));
        assertEquals(orders, queryLong("SELECT count(*) FROM order_events WHERE origin = 'reconciliation' AND " +
            "reconcile_time IS NOT NULL"));
        assertEquals(balances, queryLong("SELECT count(*) FROM balance_events WHERE origin = 'reconciliation' AND " +
            "reconcile_time IS NOT NULL"));
        assertEquals(journaled, queryLong("SELECT (SELECT count(*) FROM trade_events) + " +
            "(SELECT count(*) FROM order_events WHERE origin = 'strategy') + " +
            "(SELECT count(*) FROM fills WHERE origin = 'strategy') + " +
            "(SELECT count(*) FROM balance_events WHERE origin = 'strategy')"), "the strategy's history unchanged");

        final ReconcileRun after = ReconcileRun.againstDatabase(environment, SOURCE, "--exchange-dump",
            dump.toString(), "--exchange", "binance");
        assertEquals(ReconcileTool.EXIT_CONSISTENT, after.exitCode, after.out + after.err);
        final VerifyRun verify = VerifyRun.of(environment.journalRoot(), environment);
        assertEquals(JournalVerifyTool.EXIT_CLEAN, verify.exitCode, verify.out + verify.err);
        final BigDecimal realized = new BigDecimal(queryText(
            "SELECT realized_profit::text FROM trade_ledger('" + SOURCE + "', " + GridExchange.TRADE_ID + ")"));
        assertEquals(0, grid.realizedProfit().compareTo(realized), grid.realizedProfit() + " " + realized);
        assertEquals("false", queryText("SELECT is_open::text FROM trade_ledger('" + SOURCE + "', 1)"));

        final ChildJvm again = tool("apply-2", dump);
        assertEquals(ReconcileTool.EXIT_CONSISTENT, again.exitValue(), again.output());
        assertTrue(again.output().contains("reconcile --apply appended 0 events"), again.output());
        assertEquals(lastAfter, lastIndex(), "a second --apply appends nothing");
        System.out.println("realized profit " + realized.toPlainString() + " (exchange: " +
            grid.realizedProfit().toPlainString() + "); second --apply: " + again.output().lines()
            .filter((line) -> line.startsWith("reconcile")).toList());
    }

    @Test
    void shouldRefuseALiveWriterAndHostileDumpsAppendingNothing() throws Exception
    {
        final GridExchange grid = new GridExchange();
        environment.launch();
        final ChildJvm strategy = start(ChildJvm.builder(GridStrategyMain.class)
            .arguments(environment.journalRoot().toString(), SOURCE, "0").workingDirectory(environment.root())
            .log(environment.root().resolve("strategy.log")));
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!strategy.output().contains("journaled fill g-f4"))
        {
            assertTrue(System.nanoTime() < deadlineNs && strategy.isAlive(), strategy.logTail());
            Thread.sleep(20);
        }
        // The exchange reports fills the strategy has not journaled yet: the dump is of all of them.
        final Path dump = environment.root().resolve("binance.jsonl");
        Files.writeString(dump, String.join("\n", grid.dump()) + "\n");
        while (!strategy.output().contains("all journaled"))
        {
            assertTrue(System.nanoTime() < deadlineNs && strategy.isAlive(), strategy.logTail());
            Thread.sleep(20);
        }
        awaitDrained();
        final long last = lastIndex();
        final String differing = environment.root().resolve("differing.jsonl").toString();
        Files.writeString(Path.of(differing), grid.dump().get(0) + "\n" + grid.dump().get(1).replace(
            "\"id\":\"g-f7\"", "\"id\":\"g-f8\"") + "\n");

        final ReconcileRun alive = ReconcileRun.againstDatabase(environment, SOURCE, "--exchange-dump",
            differing, "--exchange", "binance", "--apply", environment.journalRoot().toString());
        assertEquals(ReconcileTool.EXIT_INVALID, alive.exitCode, alive.out + alive.err);
        assertTrue(alive.err.startsWith("tradestate reconcile: --apply refused: the source's writer, pid " +
            strategy.pid() + " on "), alive.err);
        assertTrue(alive.err.contains(" is alive"), alive.err);
        assertEquals("", alive.out);
        assertEquals(last, lastIndex(), "nothing appended while the writer lives");
        assertTrue(strategy.kill(), "SIGKILL");

        final List<String> good = grid.dump();
        final String trade = "{\"info\":{},\"id\":\"g-f9\",\"order\":\"g-b1\",\"timestamp\":" + GridExchange.T0_MS +
            ",\"symbol\":\"BTC/USDT\",\"side\":\"buy\",\"takerOrMaker\":\"maker\",\"price\":1.0,\"amount\":1.0," +
            "\"fee\":null}";
        final List<List<String>> hostile = List.of(
            List.of(good.get(0), good.get(1).substring(0, 150), trade),
            List.of(good.get(0), good.get(1), trade.replace("\"amount\":1.0", "\"amount\":\"lots\"")),
            List.of(good.get(0), good.get(1), trade.replace("\"price\":1.0", "\"price\":1e40")),
            List.of(good.get(0), good.get(1), trade.replace("\"price\":1.0", "\"price\":-64000")),
            List.of(good.get(0), good.get(1), trade.replace("g-f9", "g-f2")),
            List.of(good.get(0), good.get(1), trade.replace("{\"info\"", "{\"exchange\":\"kraken\",\"info\"")),
            List.of(good.get(0), good.get(1), trade.replace("\"amount\":1.0", "\"amount\":0.0000000000000000001")));
        final List<String> messages = List.of("line 2: not valid JSON", "line 3: amount does not parse",
            "line 3: price is too large", "line 3: price is negative", "line 3: duplicate id: fill g-f2 is also at " +
            "line 2 [1]", "line 3: exchange is 'kraken'", "line 3: amount");
        for (int i = 0; i < hostile.size(); i++)
        {
            final Path file = environment.root().resolve("hostile-" + i + ".jsonl");
            Files.writeString(file, String.join("\n", hostile.get(i)) + "\n");
            final ReconcileRun run = ReconcileRun.againstDatabase(environment, SOURCE, "--exchange-dump",
                file.toString(), "--exchange", "binance", "--apply", environment.journalRoot().toString());
            assertEquals(ReconcileTool.EXIT_INVALID, run.exitCode, run.out + run.err);
            assertTrue(run.err.startsWith("tradestate reconcile: " + file + " " + messages.get(i)), run.err);
            assertEquals("", run.out);
            assertEquals(last, lastIndex(), "nothing appended for hostile dump " + i);
        }

        // Now the writer is gone the same differing dump is repaired: one fill, and only that.
        final ReconcileRun repaired = ReconcileRun.againstDatabase(environment, SOURCE, "--exchange-dump",
            differing, "--exchange", "binance", "--apply", environment.journalRoot().toString(), "--json");
        assertEquals(ReconcileTool.EXIT_DIFFERENCES, repaired.exitCode, repaired.out + repaired.err);
        final JsonNode report = JsonMapper.builder().build().readTree(repaired.out);
        final JsonNode appended = report.get("applied").get("appended");
        assertEquals(1, appended.size(), repaired.out);
        assertEquals("Fill g-f8", appended.get(0).get("event").textValue() + " " +
            appended.get(0).get("id").textValue());
        assertEquals(last + 2, lastIndex(), "SourceStarted and the fill");
    }

    private ChildJvm start(final ChildJvm.Builder builder) throws Exception
    {
        final ChildJvm child = builder.start();
        children.add(child);
        return child;
    }

    private ChildJvm tool(final String name, final Path dump) throws Exception
    {
        final List<String> args = new ArrayList<>(List.of("reconcile", SOURCE, "--exchange-dump", dump.toString(),
            "--exchange", "binance"));
        args.addAll(DatabaseArguments.of(environment.database(), environment.root()));
        args.add("--apply");
        args.add(environment.journalRoot().toString());
        final ChildJvm tool = start(ChildJvm.builder(ToolsMain.class).arguments(args)
            .workingDirectory(environment.root()).log(environment.root().resolve(name + ".log")));
        assertTrue(tool.awaitExit(120_000), tool.logTail());
        return tool;
    }

    private long lastIndex()
    {
        return JournalTail.read(environment.journalRoot().resolve(SOURCE), -1, GridExchange.EXCHANGE).lastIndex();
    }

    private void awaitDrained() throws Exception
    {
        final long last = lastIndex();
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (queryLong("SELECT coalesce(max(last_index), -1) FROM source_checkpoints") < last)
        {
            assertTrue(System.nanoTime() < deadlineNs, "drained to " + last);
            Thread.sleep(50);
        }
    }

    private static List<String> kinds(final String json) throws Exception
    {
        final JsonNode report = JsonMapper.builder().build().readTree(json);
        final List<String> kinds = new ArrayList<>();
        report.get("differences").forEach((d) -> kinds.add(d.get("kind").textValue() + " " + d.get("id").textValue()));
        return kinds;
    }

    private long queryLong(final String sql) throws Exception
    {
        return Long.parseLong(queryText(sql));
    }

    private String queryText(final String sql) throws Exception
    {
        try (Connection connection = environment.dataSource().getConnection();
            Statement statement = connection.createStatement();
            ResultSet rows = statement.executeQuery(sql))
        {
            assertTrue(rows.next(), sql);
            return rows.getString(1);
        }
    }
}
