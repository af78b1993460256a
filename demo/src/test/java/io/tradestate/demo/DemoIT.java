package io.tradestate.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tradestate.reader.postgres.EmbeddedDatabase;
import io.tradestate.reader.state.StateMapsVerifier;
import io.tradestate.writer.state.TradeStateView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DemoIT
{
    @TempDir
    Path tempDir;

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void shouldCommitEveryAppendedEventExactlyOnceWhenTheDemoRuns() throws Exception
    {
        final Path stateDir = tempDir.resolve("state");
        final String output = runDemo("--duration", "8s", "--seed", "11", "--metrics-port", "0");

        assertTrue(output.contains("OK: appended == committed"), output);
        assertTrue(Pattern.compile("metrics http://127\\.0\\.0\\.1:[1-9][0-9]*/metrics").matcher(output).find(),
            output);
        assertTrue(output.contains("psql -h 127.0.0.1 -p "), output);
        assertTrue(output.contains(stateDir.resolve("postgres").resolve("password").toString()), output);
        for (final String query : ExampleQueries.ALL)
        {
            assertTrue(output.contains(query), query);
        }
        assertTrue(output.contains("append->map"), output);
        assertTrue(Pattern.compile("state maps +[1-9][0-9,]* entries").matcher(output).find(), output);
        final Matcher appendedLine = Pattern.compile("appended +([0-9,]+) events").matcher(output);
        assertTrue(appendedLine.find(), output);
        final long appended = Long.parseLong(appendedLine.group(1).replace(",", ""));
        assertTrue(appended > 1_000, "appended " + appended);
        assertTrue(Pattern.compile("warm-up +TradeJournal.open's warm-up \\(warmUpNs\\) per strategy JVM, s: " +
            "[0-9.]+ [0-9.]+\\n").matcher(output).find(), output);
        // An 8-second run is all start-up: every append falls in the first regime, none in the steady state.
        final Matcher firstAppends = Pattern.compile("first 10 s +([0-9,]+) appends +p50").matcher(output);
        assertTrue(firstAppends.find(), output);
        assertEquals(appended, Long.parseLong(firstAppends.group(1).replace(",", "")));
        assertTrue(output.contains("after 10 s  no appends"), output);
        assertTrue(Pattern.compile("first 10 s +" + appendedLine.group(1) + " rows +p50").matcher(output).find(),
            output);
        assertTrue(Pattern.compile("first 10 s +[0-9,]+ events +p50").matcher(output).find(), output);

        try (EmbeddedDatabase database = EmbeddedDatabase.start(stateDir, 0);
            Connection connection = database.dataSource().getConnection();
            Statement statement = connection.createStatement())
        {
            long historyRows = 0;
            for (final String table : DemoDatabase.HISTORY_TABLES)
            {
                final long rows = count(statement, "SELECT count(*) FROM " + table);
                assertTrue(rows > 0, table + " is empty");
                historyRows += rows;
            }
            assertEquals(appended, historyRows);
            for (final String table : new String[] { "orders", "trades", "balances", "pair_locks" })
            {
                assertTrue(count(statement, "SELECT count(*) FROM " + table) > 0, table + " is empty");
            }
            assertEquals(0, count(statement, "SELECT count(*) FROM dead_letters"));
            try (TradeStateView view = TradeStateView.open(stateDir))
            {
                assertTrue(view.awaitAvailable(30_000), "the state maps were published");
                assertEquals(List.of(), StateMapsVerifier.differences(view, connection, TimeUnit.HOURS.toMillis(1),
                    System.currentTimeMillis()), "the state maps equal the current-state tables");
            }
            assertTrue(count(statement, "SELECT count(*) FROM trades WHERE NOT is_open") > 0);
            assertTrue(count(statement, "SELECT count(*) FROM trades WHERE is_short") > 0);
            assertTrue(count(statement, "SELECT count(*) FROM pair_locks WHERE pair = '*'") > 0);
            // The risk desk's locks for all sources: as many in the history as the summary counts, some of them.
            final Matcher risk = Pattern.compile("risk locks +([0-9,]+) pairs locked for all sources by the risk " +
                "desk").matcher(output);
            assertTrue(risk.find(), output);
            final long riskLocks = Long.parseLong(risk.group(1).replace(",", ""));
            assertTrue(riskLocks > 0, output);
            assertEquals(riskLocks, count(statement, "SELECT count(*) FROM pair_lock_events WHERE all_sources"));

            // Exact decimals end to end: each fee is price x amount x rate, each realised profit the price move
            // times the amount less the fees of the trade's fills, to the last digit.
            assertEquals(0, count(statement, "SELECT count(*) FROM fills WHERE fee_cost <> price * amount * " +
                "CASE liquidity WHEN 'maker' THEN 0.0002 ELSE 0.0010 END"));
            assertEquals(0, count(statement, "SELECT count(*) FROM trades t WHERE NOT t.is_open AND " +
                "t.realized_profit <> (t.close_rate - t.open_rate) * t.amount * CASE WHEN t.is_short THEN -1 ELSE 1 " +
                "END - (SELECT sum(f.fee_cost) FROM fills f WHERE f.source_id = t.source_id AND " +
                "f.trade_id = t.trade_id)"));

            for (final String query : ExampleQueries.ALL)
            {
                try (ResultSet result = statement.executeQuery(query))
                {
                    assertTrue(result.next(), "no rows from " + query);
                }
            }
        }
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void shouldLoseNothingWhenAStrategyAndPostgresqlAreKilledMidRun() throws Exception
    {
        final Path stateDir = tempDir.resolve("state");
        final String output = runDemo("--duration", "12s", "--seed", "23", "--chaos");

        final Matcher killed = Pattern.compile("chaos +\\d+s  strategy (demo-strategy-\\d+) \\(pid \\d+\\) killed " +
            "with SIGKILL after [0-9,]+ events; the exchange filled (\\d+) of its open orders while it was down; " +
            "started again").matcher(output);
        assertTrue(killed.find(), output);
        final String victim = killed.group(1);
        final int fillsWhileDown = Integer.parseInt(killed.group(2));
        final Matcher back = Pattern.compile("chaos +\\d+s  strategy " + victim + " is back [0-9,]+ ms after the " +
            "kill: from the state maps it got \\d+ open orders?, \\d+ open trades? and \\d+ pair locks?; reconciled " +
            "with the exchange: (\\d+) fills? and (\\d+) order updates? recovered; it cancelled \\d+ orders? still " +
            "open on the exchange").matcher(output);
        assertTrue(back.find(), output);
        final int recoveredFills = Integer.parseInt(back.group(1));
        // The exchange's fills while it was down, and any it made just before the kill that the journal never got.
        assertTrue(recoveredFills >= fillsWhileDown, output);
        assertTrue(output.contains(String.format("reconciled      %d fills and %s order updates recovered by the " +
            "restarted strategy from the exchange's record", recoveredFills, back.group(2))), output);
        assertTrue(Pattern.compile("chaos +\\d+s  PostgreSQL \\(postmaster pid \\d+\\) killed with SIGKILL")
            .matcher(output).find(), output);
        assertTrue(Pattern.compile("chaos +\\d+s  PostgreSQL up again \\(crash recovery on its data folder\\)")
            .matcher(output).find(), output);
        assertTrue(output.contains("check           OK: tradestate verify found every event of the journals " +
            "(2 sources) in PostgreSQL exactly once, field for field, and no other row; the state maps equal the " +
            "tables"), output);

        try (EmbeddedDatabase database = EmbeddedDatabase.start(stateDir, 0);
            Connection connection = database.dataSource().getConnection();
            Statement statement = connection.createStatement())
        {
            assertEquals(0, count(statement, "SELECT count(*) FROM dead_letters"));
            // The killed life's orders are the ones with the lowest run id: none is left open, the restart
            // cancelled those the state maps gave back.
            assertEquals(0, count(statement, "SELECT count(*) FROM orders WHERE source_id = '" + victim + "' AND " +
                "status IN ('open', 'partially_filled') AND split_part(order_id, '-', 1) = (SELECT " +
                "min(split_part(order_id, '-', 1)) FROM orders WHERE source_id = '" + victim + "')"));
            assertTrue(count(statement, "SELECT count(DISTINCT split_part(order_id, '-', 1)) FROM orders WHERE " +
                "source_id = '" + victim + "'") >= 2, "orders of both lives of " + victim);
            assertEquals(recoveredFills, count(statement, "SELECT count(*) FROM fills WHERE source_id = '" + victim +
                "' AND origin = 'reconciliation' AND reconcile_time IS NOT NULL"), "the recovered fills, marked");
            assertEquals(0, count(statement, "SELECT count(*) FROM fills WHERE source_id <> '" + victim +
                "' AND origin = 'reconciliation'"), "only the victim reconciled");
        }
    }

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void shouldPrintTheSummaryAsOneJsonObjectWithJson() throws Exception
    {
        final ByteArrayOutputStream progress = new ByteArrayOutputStream();
        final ByteArrayOutputStream summary = new ByteArrayOutputStream();
        final DemoOptions options = DemoOptions.parse("--instruments", "4", "--exchanges", "2", "--processes", "1",
            "--speed", "50", "--db-port", "0", "--duration", "3s", "--seed", "5", "--json",
            "--state-dir", tempDir.resolve("state").toString(), "--journal-dir", tempDir.resolve("journal").toString());

        final int exitCode = new DemoRunner(options, new PrintStream(progress, true, StandardCharsets.UTF_8),
            new PrintStream(summary, true, StandardCharsets.UTF_8)).run();

        final String json = summary.toString(StandardCharsets.UTF_8);
        assertEquals(0, exitCode, progress.toString(StandardCharsets.UTF_8) + json);
        assertEquals(json.indexOf('\n'), json.length() - 1, "one line: " + json);
        final JsonNode document = new ObjectMapper().readTree(json);
        assertTrue(document.get("passed").asBoolean(), json);
        final long appended = document.get("appended").asLong();
        assertTrue(appended > 0, json);
        assertEquals(appended, document.get("committed").asLong(), json);
        assertEquals(0, document.get("deadLetters").asLong(), json);
        assertEquals(appended, document.get("appendLatencyNs").get("first").get("count").asLong(), json);
        assertTrue(document.get("appendLatencyNs").get("first").get("p50").asLong() > 0, json);
        assertTrue(document.get("chaosFaults").isNull(), json);
        assertTrue(document.get("reconciliation").isNull(), json);
        assertTrue(document.get("riskLocks").asLong() >= 0 && document.get("entriesHeldBack").asLong() >= 0, json);
        assertEquals(ExampleQueries.ALL.size(), document.get("exampleQueries").size(), json);
        assertTrue(document.get("connect").asText().contains("psql"), json);
        assertFalse(progress.toString(StandardCharsets.UTF_8).contains("TradeState demo: summary"),
            "the text summary is not printed as well");
    }

    /**
     * Run a small demo (10 instruments on 2 exchanges, 2 strategy JVMs, 50 times the event rate) in the temporary
     * folder, its output shown and captured, and require exit code 0.
     */
    private String runDemo(final String... options) throws Exception
    {
        final List<String> args = new ArrayList<>(List.of("--instruments", "10", "--exchanges", "2",
            "--processes", "2", "--speed", "50", "--db-port", "0", "--state-dir", tempDir.resolve("state").toString(),
            "--journal-dir", tempDir.resolve("journal").toString()));
        args.addAll(List.of(options));
        final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        final PrintStream out = new PrintStream(new Tee(captured, System.out), true, StandardCharsets.UTF_8);

        final int exitCode = new DemoRunner(DemoOptions.parse(args.toArray(new String[0])), out).run();

        final String output = captured.toString(StandardCharsets.UTF_8);
        assertEquals(0, exitCode, output);
        return output;
    }

    private static long count(final Statement statement, final String sql) throws SQLException
    {
        try (ResultSet result = statement.executeQuery(sql))
        {
            result.next();
            return result.getLong(1);
        }
    }

    private static final class Tee extends OutputStream
    {
        private final OutputStream first;
        private final OutputStream second;

        Tee(final OutputStream first, final OutputStream second)
        {
            this.first = first;
            this.second = second;
        }

        public void write(final int b)
        {
            try
            {
                first.write(b);
                second.write(b);
            }
            catch (final java.io.IOException ex)
            {
                throw new java.io.UncheckedIOException(ex);
            }
        }
    }
}
