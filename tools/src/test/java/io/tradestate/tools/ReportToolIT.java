package io.tradestate.tools;

import io.tradestate.codecs.TradingMode;
import io.tradestate.reader.AgentTestEnvironment;
import io.tradestate.reader.ClosedTrades;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code tradestate report} against a real PostgreSQL that a real agent filled from trades appended through the
 * journal ({@link ClosedTrades}): freqtrade's figures and hand-computed cases come out of the command as they come out
 * of the SQL ({@code PerformanceMetricsIT} holds the full set), in text and in JSON, with the filters applied.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ReportToolIT
{
    private static final Instant Y2020 = Instant.parse("2020-01-01T00:00:00Z");
    private static final Instant MARCH = Instant.parse("2026-03-02T00:00:00Z");

    @RegisterExtension
    static final AgentTestEnvironment ENVIRONMENT = new AgentTestEnvironment("report");

    @BeforeAll
    static void appendAndDrain() throws Exception
    {
        final ClosedTrades trades = new ClosedTrades(ENVIRONMENT.journalRoot());
        // freqtrade's test_calculate_expectancy and test_calculate_sortino_from_balance (as trades), each a source.
        final String[] expectancy = {"100", "200", "50", "-150", "300", "-100", "80", "-30"};
        for (int i = 0; i < expectancy.length; i++)
        {
            trades.profit("expectancy", expectancy[i], Y2020, Y2020.plus(Duration.ofDays(i + 1)));
        }
        final String[] sortino = {"10", "-5", "20", "-10"};
        for (int i = 0; i < sortino.length; i++)
        {
            trades.profit("sortino", sortino[i], Y2020, Y2020.plus(Duration.ofDays(i + 1)));
        }
        // Strategy "mixed": spot 1x +10 (BTC), futures long 3x -30 then +30 (ETH), futures short 3x +60 (ETH).
        trades.trade("mixed").strategy("mixed").fills("1", "100", "110")
            .times(MARCH, MARCH.plus(Duration.ofHours(1))).append();
        trades.trade("mixed").strategy("mixed").pair("ETH/USDT").mode(TradingMode.FUTURES, false, "3")
            .fills("3", "100", "90").times(MARCH, MARCH.plus(Duration.ofHours(2))).append();
        trades.trade("mixed").strategy("mixed").pair("ETH/USDT").mode(TradingMode.FUTURES, true, "3")
            .fills("3", "100", "80").times(MARCH, MARCH.plus(Duration.ofDays(7))).append();
        trades.trade("mixed").strategy("mixed").pair("ETH/USDT").mode(TradingMode.FUTURES, false, "3")
            .fills("3", "100", "110").times(MARCH, MARCH.plus(Duration.ofDays(8))).append();
        // Strategy "stops": a long stopped out below its stop of 95 at 94 (-6), and a long exited on a signal at a loss
        // of 2.
        trades.trade("stops").strategy("stops").fills("1", "100", "94").stops("95", "95", false)
            .exitReason("stop_loss").times(MARCH, MARCH.plus(Duration.ofHours(1))).append();
        trades.trade("stops").strategy("stops").fills("1", "100", "98").stops("95", "95", false)
            .exitReason("exit_signal").times(MARCH, MARCH.plus(Duration.ofHours(2))).append();
        trades.drain(ENVIRONMENT);
    }

    @Test
    void shouldPrintFreqtradesFiguresAsJsonLines() throws IOException
    {
        final Run run = report("--starting-balance", "100", "--json");
        assertEquals(ReportTool.EXIT_DONE, run.exitCode, run.err);
        final Map<String, Object> expectancy = row(run, "summary", "expectancy");
        // (730 - 280) / 8 = 56.25; (5 x 280 + 730 x 3 - 8 x 280) / (8 x 280) = 1350 / 2240 (freqtrade: 0.60267857).
        assertEquals("56.25", expectancy.get("expectancy"));
        assertEquals("0.602678571428571428571428571429", expectancy.get("expectancy_ratio"));
        assertEquals(8L, expectancy.get("trades"));
        // freqtrade's 28.6574597 (pytest.approx, relative 1e-6): 0.15 / 4 / 0.025 x sqrt(365).
        final double sortino = Double.parseDouble((String)row(run, "summary", "sortino").get("sortino"));
        assertEquals(28.6574597, sortino, sortino * 1e-6);
        // Over all (every source, USDT): 8 + 4 + 4 + 2 trades, 450 + 15 + 70 - 8 profit.
        final Map<String, Object> all = run.json.stream()
            .filter(line -> "summary".equals(line.get("table")) && "all".equals(line.get("scope"))).findFirst()
            .orElseThrow();
        assertEquals(18L, all.get("trades"));
        assertEquals("527", all.get("profit_total_abs"));
        assertEquals("USDT", all.get("stake_currency"));
        assertTrue(run.json.stream().anyMatch(line -> "period".equals(line.get("table"))), run.out);
    }

    @Test
    void shouldPrintTextTablesPerStrategyLeverageAndWeekWithTheFiltersApplied() throws IOException
    {
        final Run run = report("--starting-balance", "1000", "--strategy", "mixed", "--period", "week");
        assertEquals(ReportTool.EXIT_DONE, run.exitCode, run.err);
        // One column for mixed / mixed and one for all: +10 - 30 + 60 + 30 = 70; best pair ETH (+60), worst BTC
        // (+10); by leverage, 3x: wins 2 of 3, profit 60, profit factor 90 / 30 = 3.
        assertEquals(List.of("profit_total_abs", "70", "70"), cells(run.out, "profit_total_abs"));
        assertEquals(List.of("best_pair", "ETH/USDT", "ETH/USDT"), cells(run.out, "best_pair"));
        assertEquals(List.of("worst_pair", "BTC/USDT", "BTC/USDT"), cells(run.out, "worst_pair"));
        assertEquals(List.of("USDT", "3", "any", "any", "3", "2", "0", "1", "0.66666667", "60", "0.2", "3", "20", "30",
            "0.03"), cells(run.out, "USDT", "3", "any").subList(0, 15));
        // Weeks from Monday 2026-03-02: +10 - 30 the first, +60 + 30 the next (closed 03-09 and 03-10).
        assertEquals(List.of("all", "USDT", "2026-03-02", "2", "1", "0", "1", "-20", "0.33333333"),
            cells(run.out, "all", "USDT", "2026-03-02"));
        assertEquals(List.of("all", "USDT", "2026-03-09", "2", "2", "0", "0", "90", "0"),
            cells(run.out, "all", "USDT", "2026-03-09"));
        assertTrue(run.out.startsWith("closed trades at any time, starting balance 1000, strategy mixed\n"), run.out);

        // Closed before 2026-03-05: the first two trades only.
        final Run range = report("--starting-balance", "1000", "--strategy", "mixed", "--to-time", "2026-03-05");
        assertEquals(ReportTool.EXIT_DONE, range.exitCode, range.err);
        assertEquals(List.of("trades", "2", "2"), cells(range.out, "trades"));
        assertEquals(List.of("profit_total_abs", "-20", "-20"), cells(range.out, "profit_total_abs"));
    }

    @Test
    void shouldPrintTheStopLossTableAsJsonLinesAndText() throws IOException
    {
        // Strategy "stops": the stop exit (long of 1 at 100, stop 95, out at 94) loses 6: slippage 95 - 94 = 1, 1 / 95
        // of the stop price; R = -6 / (100 - 95) = -1.2; kept 94 - 95 = -1. The exit signal loses 2. Losses: 2, -8;
        // the stop takes 1 / 2 of them by count and 6 / 8 = 0.75 by amount, the signal 0.5 and 2 / 8 = 0.25.
        final Run run = report("--starting-balance", "1000", "--strategy", "stops", "--json");
        assertEquals(ReportTool.EXIT_DONE, run.exitCode, run.err);
        final List<Map<String, Object>> stopLoss = run.json.stream()
            .filter(line -> "stop_loss".equals(line.get("table"))).toList();
        assertEquals(List.of("stop_loss", "exit_signal", "stop", "other", "all"), stopLoss.stream()
            .map(line -> "exit_reason".equals(line.get("scope")) ? line.get("exit_reason") : line.get("scope"))
            .toList(), run.out);
        final Map<String, Object> stops = stopLoss.get(2);
        assertEquals(true, stops.get("is_stop"));
        assertEquals(1L, stops.get("trades"));
        assertEquals(1L, stops.get("losses"));
        assertEquals("-6", stops.get("loss_abs"));
        assertEquals("0.5", stops.get("loss_count_share"));
        assertEquals("0.75", stops.get("loss_abs_share"));
        assertEquals("0.010526315789473684210526315789", stops.get("slippage_ratio_mean"));
        assertEquals("1", stops.get("slippage_abs"));
        assertEquals("-1.2", stops.get("r_multiple_mean"));
        assertEquals("-1", stops.get("kept_abs"));
        assertEquals(null, stopLoss.get(3).get("slippage_ratio_mean"));
        assertEquals("0.25", stopLoss.get(3).get("loss_abs_share"));

        final Run text = report("--starting-balance", "1000", "--strategy", "stops");
        assertEquals(ReportTool.EXIT_DONE, text.exitCode, text.err);
        assertTrue(text.out.contains("\nSTOP-LOSS EFFICIENCY BY EXIT REASON\n"), text.out);
        assertEquals(List.of("stop exits", "yes", "USDT", "1", "1", "-6", "-6", "0.5", "0.75", "0.01052632",
            "0.01052632", "1", "-1.2", "-1.2", "-1"), cells(text.out, "stop exits"));
        assertEquals(List.of("exit_signal", "no", "USDT", "1", "1", "-2", "-2", "0.5", "0.25", "-", "-", "-", "-", "-",
            "-"), cells(text.out, "exit_signal"));
        assertEquals(List.of("all", "any", "USDT", "2", "2", "-8", "-8", "1", "1"),
            cells(text.out, "all", "any").subList(0, 9));

        // Closed before the stop exit's close: no stop exit, no loss.
        final Run range = report("--starting-balance", "1000", "--strategy", "stops", "--to-time",
            MARCH.plus(Duration.ofMinutes(30)).toString(), "--json");
        assertTrue(range.json.stream().noneMatch(line -> "stop_loss".equals(line.get("table"))), range.out);
    }

    @Test
    void shouldFailNamingTheOptionOrTheDatabase() throws IOException
    {
        final Run missing = report();
        assertEquals(ReportTool.EXIT_INVALID_ARGUMENTS, missing.exitCode);
        assertTrue(missing.err.contains("--starting-balance is missing"), missing.err);
        final Run period = report("--starting-balance", "1000", "--period", "year");
        assertEquals(ReportTool.EXIT_INVALID_ARGUMENTS, period.exitCode);
        assertTrue(period.err.contains("--period must be day, week or month, was: 'year'"), period.err);

        // A database without the schema: the functions are missing.
        final String empty = ENVIRONMENT.otherDatabase("report_empty");
        final Run failed = run(empty, "--starting-balance", "1000");
        assertEquals(ReportTool.EXIT_DATABASE_FAILED, failed.exitCode, failed.out);
        assertTrue(failed.err.contains("performance_metrics"), failed.err);
    }

    private static Map<String, Object> row(final Run run, final String table, final String source)
    {
        return run.json.stream()
            .filter(line -> table.equals(line.get("table")) && source.equals(line.get("source_id"))).findFirst()
            .orElseThrow(() -> new AssertionError(table + " " + source + ": " + run.out));
    }

    /**
     * The cells of the one text line whose first cells are the given ones; cells are split where two or more spaces
     * are.
     */
    private static List<String> cells(final String text, final String... leading)
    {
        final List<List<String>> found = text.lines().map(line -> Arrays.asList(line.trim().split(" {2,}")))
            .filter(line -> line.size() >= leading.length && line.subList(0, leading.length).equals(List.of(leading)))
            .toList();
        assertEquals(1, found.size(), Arrays.toString(leading) + " in:\n" + text);
        return found.get(0);
    }

    private static Run report(final String... more) throws IOException
    {
        return run(ENVIRONMENT.database(), more);
    }

    private static Run run(final String databaseName, final String... more) throws IOException
    {
        final List<String> args = new ArrayList<>(DatabaseArguments.of(databaseName, ENVIRONMENT.root()));
        args.addAll(List.of(more));
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int exitCode = ReportTool.run(args.toArray(String[]::new),
            new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
            Map.of());
        return new Run(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static final class Run
    {
        final int exitCode;
        final String out;
        final String err;
        final List<Map<String, Object>> json = new ArrayList<>();

        Run(final int exitCode, final String out, final String err)
        {
            this.exitCode = exitCode;
            this.out = out;
            this.err = err;
            if (out.startsWith("{"))
            {
                out.lines().forEach(line -> json.add(JsonLine.parse(line)));
            }
        }
    }
}
