package io.tradestate.reader;

import io.tradestate.codecs.TradingMode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The performance metrics of migration 11 ({@code performance_metrics}, {@code leverage_performance},
 * {@code profit_by_period}, {@code trade_metrics}) over trades appended through the journal and drained by a real
 * agent into a real PostgreSQL ({@link ClosedTrades}).
 * <p>
 * Each freqtrade case is a source of its own, named after freqtrade's test in tests/data/test_metrics.py: the trades'
 * profits (profit_abs), their dates and the starting balance are the test's, and the expected figure is the one the
 * test asserts, compared with the tolerance it is asserted with ({@code pytest.approx}: relative 1e-6; SQN's cases
 * relative 1e-4; CAGR rounded to 4 decimals). Where our value is exact, the exact value is checked too, with its
 * arithmetic in a comment. The leverage grouping, the periods, the pairs, the durations and the streaks are
 * hand-computed cases, the arithmetic in each test's comment.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class PerformanceMetricsIT
{
    private static final BigDecimal PYTEST_APPROX_REL = new BigDecimal("1e-6");
    private static final Instant Y2020 = Instant.parse("2020-01-01T00:00:00Z");
    private static final Instant Y2025 = Instant.parse("2025-01-01T00:00:00Z");
    private static final Instant MARCH = Instant.parse("2026-03-02T00:00:00Z");

    /** freqtrade's test_calculate_max_drawdown2: one trade a day from 2020-01-01, starting balance 0.2. */
    private static final String[] DRAWDOWN2 = {
        "0.011580", "0.010048", "0.011340", "0.012161", "0.010416", "0.010009", "0.020024", "-0.024662", "-0.022350",
        "0.020496", "-0.029859", "-0.030511", "0.010041", "0.010872", "-0.025782", "0.010400", "0.012374", "0.012467",
        "0.114741", "0.010303", "0.010088", "-0.033961", "0.010680", "0.010886", "-0.029274", "0.011178", "0.010693",
        "0.010711"};

    /** freqtrade's test_calculate_cagr: start, end, days, expected (rounded to 4 decimals). */
    private static final String[][] CAGR = {
        {"64900", "176000", "1095", "0.3945"},
        {"64900", "176000", "365", "1.7119"},
        {"1000", "1000", "365", "0.0"},
        {"1000", "1500", "365", "0.5"},
        {"1000", "1500", "100", "3.3927"},
        {"0.01000000", "0.01762792", "120", "4.6087"},
        {"1.49", "11.2", "1", "0.0"},
        {"1.0", "6.99", "1", "1.7146249823477656e308"}};

    @RegisterExtension
    static final AgentTestEnvironment ENVIRONMENT =
        new AgentTestEnvironment(PerformanceMetricsIT.class.getSimpleName());

    @BeforeAll
    static void appendAndDrain() throws Exception
    {
        final ClosedTrades trades = new ClosedTrades(ENVIRONMENT.journalRoot());

        final String[] expectancy = {"100", "200", "50", "-150", "300", "-100", "80", "-30"};
        for (int i = 0; i < expectancy.length; i++)
        {
            trades.profit("expectancy", expectancy[i], Y2020, Y2020.plus(Duration.ofDays(i + 1)));
        }
        appendDaily(trades, "sqn-mixed", "1.0", "-0.5", "2.0", "-1.0", "0.5", "1.5", "-0.5", "1.0");
        appendDaily(trades, "sqn-winning", "1.0", "0.5", "2.0", "1.5", "0.8");
        appendDaily(trades, "sqn-losing", "-1.0", "-0.5", "-2.0", "-1.5", "-0.8");
        appendDaily(trades, "sqn-single", "1.0");
        appendDaily(trades, "drawdown-abs", "0.0", "-500.0", "500.0", "10000.0", "-1000.0");
        appendDaily(trades, "drawdown2", DRAWDOWN2);
        appendDaily(trades, "drawdown2-no-loss", Arrays.copyOf(DRAWDOWN2, 5));
        appendDaily(trades, "drawdown2-no-win", Arrays.stream(DRAWDOWN2).limit(5)
            .map(value -> new BigDecimal(value).negate().toPlainString()).toArray(String[]::new));
        for (int i = 0; i < CAGR.length; i++)
        {
            final BigDecimal profit = new BigDecimal(CAGR[i][1]).subtract(new BigDecimal(CAGR[i][0]));
            trades.profit("cagr-" + i, profit.toPlainString(), Y2020,
                Y2020.plus(Duration.ofDays(Long.parseLong(CAGR[i][2]))));
        }
        // The balances of freqtrade's *_from_balance tests as trades: each change of the balance is a trade's profit,
        // closed at the balance's date, every trade opened at the first date.
        appendAt(trades, "sortino-balance", Y2025, "10", "-5.5", "20.9", "-12.54");
        appendAt(trades, "sortino-returns", Y2025, "10", "-5", "20", "-10");
        appendAt(trades, "sharpe-returns", Y2025, "10", "-5", "20");
        trades.profit("calmar-balance", "20", Y2025, Y2025.plus(Duration.ofHours(12)));
        trades.profit("calmar-balance", "-40", Y2025, Y2025.plus(Duration.ofHours(18)));
        trades.profit("calmar-balance", "30", Y2025, Y2025.plus(Duration.ofDays(3)));

        appendLeverageCase(trades);
        appendPeriodCase(trades);
        trades.drain(ENVIRONMENT);
    }

    @Test
    void shouldReproduceFreqtradesExpectancyExactly() throws SQLException
    {
        // test_calculate_expectancy: profits 100, 200, 50, -150, 300, -100, 80, -30. Wins W = 730 over w = 5, losses
        // L = 280 over l = 3, n = 8: expectancy = (730 - 280) / 8 = 56.25; ratio = (1 + (730 / 5) / (280 / 3)) x 5 / 8
        // - 1 = (w L + W l - n L) / (n L) = (1400 + 2190 - 2240) / 2240 = 1350 / 2240 = 0.6026785714...
        final Map<String, Object> m = metrics(1000, "expectancy");
        assertExact(new BigDecimal("56.25"), m, "expectancy");
        assertExact(quotient(1350, 2240), m, "expectancy_ratio");
        assertApprox(new BigDecimal("0.60267857"), decimal(m, "expectancy_ratio"), PYTEST_APPROX_REL, "freqtrade's");
        assertEquals(8, m.get("trades"));
        assertEquals(5, m.get("wins"));
        assertEquals(3, m.get("losses"));
        assertEquals(0, m.get("draws"));
        assertExact(new BigDecimal("0.625"), m, "win_rate");
        assertExact(new BigDecimal("450"), m, "profit_total_abs");
        assertExact(quotient(730, 280), m, "profit_factor");
        // Win, win, win, loss, win, loss, win, loss.
        assertEquals(3, m.get("max_consecutive_wins"));
        assertEquals(1, m.get("max_consecutive_losses"));
    }

    @Test
    void shouldReproduceFreqtradesSqnCases() throws SQLException
    {
        // test_calculate_sqn_cases, starting balance 100, pytest.approx(rel=1e-4). All winning: sum 5.8, sum of
        // squares 8.14, n 5: 5.8 x sqrt(4) / sqrt(5 x 8.14 - 5.8^2) = 11.6 / sqrt(7.06) = 4.3657.
        assertApprox(new BigDecimal("1.3229"), sqn("sqn-mixed"), new BigDecimal("1e-4"), "mixed");
        assertApprox(new BigDecimal("4.3657"), sqn("sqn-winning"), new BigDecimal("1e-4"), "all winning");
        assertApprox(new BigDecimal("-4.3657"), sqn("sqn-losing"), new BigDecimal("1e-4"), "all losing");
        assertEquals(-100.0, metrics(100, "sqn-single").get("sqn"), "a single trade");
        assertEquals(0.0, emptyMetrics().get("sqn"), "no trade");
    }

    @Test
    void shouldReproduceFreqtradesMaxDrawdownInAbsoluteAndRelativeTerms() throws SQLException
    {
        // test_calculate_max_drawdown_abs (freqtrade issue 6655), starting balance 1000, one trade a day from
        // 2020-01-01: profits 0, -500, 500, 10000, -1000; balances 1000, 500, 1000, 11000, 10000. The deepest fall is
        // 11000 -> 10000 (day 3 to day 4): 1000, relative 1000 / 11000 = 0.090909...; the deepest relative one is
        // 1000 -> 500 (day 0 to day 1): 0.5.
        final Map<String, Object> m = metrics(1000, "drawdown-abs");
        assertExact(new BigDecimal("1000"), m, "max_drawdown_abs");
        assertExact(quotient(1000, 11000), m, "max_drawdown_account");
        assertApprox(new BigDecimal("0.090909"), decimal(m, "max_drawdown_account"), PYTEST_APPROX_REL, "freqtrade's");
        assertEquals(Y2020.plus(Duration.ofDays(4)), instant(m, "max_drawdown_high_time"), "high: day 3's close");
        assertEquals(Y2020.plus(Duration.ofDays(5)), instant(m, "max_drawdown_low_time"), "low: day 4's close");
        assertExact(new BigDecimal("10000"), m, "max_drawdown_high_value");
        assertExact(new BigDecimal("9000"), m, "max_drawdown_low_value");
        assertExact(new BigDecimal("11000"), m, "max_drawdown_high_balance");
        assertExact(new BigDecimal("10000"), m, "max_drawdown_low_balance");
        assertExact(new BigDecimal("0.5"), m, "max_relative_drawdown");

        // test_calculate_max_drawdown2: 28 daily profits, starting balance 0.2; freqtrade asserts the absolute
        // drawdown with == and the relative one with pytest.approx.
        final Map<String, Object> d = metrics(new BigDecimal("0.2"), "drawdown2");
        assertExact(new BigDecimal("0.091755"), d, "max_drawdown_abs");
        assertApprox(new BigDecimal("0.32129575"), decimal(d, "max_drawdown_account"), PYTEST_APPROX_REL, "rel");
        assertTrue(instant(d, "max_drawdown_high_time").isBefore(instant(d, "max_drawdown_low_time")));
        assertTrue(decimal(d, "max_drawdown_high_value").compareTo(decimal(d, "max_drawdown_low_value")) > 0);
        // ... the same ruled out: no losing trade, no drawdown; no winning trade, the high is the start (0) and the
        // drawdown the sum of the five losses, 0.055545.
        final Map<String, Object> noLoss = metrics(new BigDecimal("0.2"), "drawdown2-no-loss");
        assertExact(BigDecimal.ZERO, noLoss, "max_drawdown_abs");
        assertExact(BigDecimal.ZERO, noLoss, "max_drawdown_low_value");
        final Map<String, Object> noWin = metrics(new BigDecimal("0.2"), "drawdown2-no-win");
        assertExact(new BigDecimal("0.055545"), noWin, "max_drawdown_abs");
        assertExact(BigDecimal.ZERO, noWin, "max_drawdown_high_value");
    }

    @Test
    void shouldReproduceFreqtradesCagrCases() throws SQLException
    {
        // test_calculate_cagr: (end / start) ^ (365 / days) - 1, rounded to 4 decimals; 1.49 -> 11.2 in a day
        // overflows a double and gives 0, 1.0 -> 6.99 in a day (6.99^365 - 1) is just below it. Each case is one
        // trade opened at the start and closed `days` later with profit end - start.
        for (int i = 0; i < CAGR.length; i++)
        {
            final double cagr = (Double)metrics(new BigDecimal(CAGR[i][0]), "cagr-" + i).get("cagr");
            final double expected = Double.parseDouble(CAGR[i][3]);
            if (expected > 1e300)
            {
                // freqtrade compares its float with ==. Its 6.99 is the double 6.99000000000000021316..., 3.05e-17
                // above 6.99; the 365th power multiplies that relative error by 365, to 1.11e-14: freqtrade's figure
                // is 1.11e-14 above 6.99^365 - 1, which is what the exact power gives.
                assertEquals(expected / (1 + 365 * 3.0495396e-17), cagr, expected * 1e-16, "case " + i);
            }
            else
            {
                assertEquals(expected, BigDecimal.valueOf(cagr).setScale(4, RoundingMode.HALF_EVEN).doubleValue(),
                    "case " + i + ": " + cagr);
            }
        }
        assertThrows(SQLException.class, () -> metrics(-100, "cagr-0"), "a starting balance must be above 0");
    }

    @Test
    void shouldReproduceFreqtradesSortinoSharpeAndCalmar() throws SQLException
    {
        // test_calculate_sortino_from_balance: daily returns 0.1, -0.05, 0.2, -0.1 asserted as 28.6574597. As trades
        // of 10, -5, 20 and -10 on a starting balance of 100 over 4 days: mean daily return 0.15 / 4 = 0.0375, the
        // losing returns' population deviation 0.025, 0.0375 / 0.025 x sqrt(365) = 1.5 x 19.1049732 = 28.6574597.
        assertApprox(new BigDecimal("28.6574597"), ratio("sortino-returns", "sortino"), PYTEST_APPROX_REL, "sortino");

        // test_calculate_sharpe_from_balance: returns 0.1, -0.05, 0.2; expected mean / population deviation x
        // sqrt(365). As trades of 10, -5, 20 on 100 over 3 days: mean 0.25 / 3 = 0.0833333; deviations 0.0166667,
        // -0.1333333, 0.1166667, squares summing to 0.0316667, / 3 = 0.0105556, deviation 0.1027402; 0.0833333 /
        // 0.1027402 x 19.1049732 = 15.4962. The test's own expression, in doubles:
        final double mean = (0.1 - 0.05 + 0.2) / 3;
        final double deviation = Math.sqrt((Math.pow(0.1 - mean, 2) + Math.pow(-0.05 - mean, 2) +
            Math.pow(0.2 - mean, 2)) / 3);
        assertApprox(new BigDecimal(mean / deviation * Math.sqrt(365)), ratio("sharpe-returns", "sharpe"),
            PYTEST_APPROX_REL, "sharpe");
        assertApprox(new BigDecimal("15.4962"), ratio("sharpe-returns", "sharpe"), new BigDecimal("1e-5"), "by hand");

        // test_calculate_calmar_from_balance: balance 100, 120 (12:00), 80 (18:00), 110 (3 days on); expected
        // ((110 - 100) / 100) / 3 x 100 / (1 / 3) x sqrt(365) = 10 x sqrt(365) = 191.049732. The drawdown is that of
        // test_calculate_max_drawdown_from_balance: 40, relative 40 / 120 = 1/3, high 20 at 12:00, low -20 at 18:00.
        assertApprox(new BigDecimal(10 * Math.sqrt(365)), ratio("calmar-balance", "calmar"), PYTEST_APPROX_REL,
            "calmar");
        final Map<String, Object> m = metrics(100, "calmar-balance");
        assertExact(new BigDecimal("40"), m, "max_drawdown_abs");
        assertExact(quotient(1, 3), m, "max_drawdown_account");
        assertExact(new BigDecimal("20"), m, "max_drawdown_high_value");
        assertExact(new BigDecimal("-20"), m, "max_drawdown_low_value");
        assertEquals(Y2025.plus(Duration.ofHours(12)), instant(m, "max_drawdown_high_time"));
        assertEquals(Y2025.plus(Duration.ofHours(18)), instant(m, "max_drawdown_low_time"));
        assertEquals(3, m.get("period_days"));

        // Sortino of the compounding balance 100, 110, 104.5, 125.4, 112.86 taken as trades of 10, -5.5, 20.9, -12.54:
        // by trade, as freqtrade's calculate_sortino, returns are profit / 100: mean 0.1286 / 4 = 0.03215; losing
        // returns -0.055 and -0.1254, deviation 0.0352, 0.03215 / 0.0352 x 19.1049732 = 17.4494.
        assertApprox(new BigDecimal("17.4496"), ratio("sortino-balance", "sortino"), new BigDecimal("1e-5"), "trades");

        final Map<String, Object> empty = emptyMetrics();
        assertEquals(0.0, empty.get("sharpe"));
        assertEquals(0.0, empty.get("sortino"));
        assertEquals(0.0, empty.get("calmar"));
        assertExact(new BigDecimal("100"), empty, "expectancy_ratio");
    }

    @Test
    void shouldGroupByLeverageAndByTradingModeSideAndLeverage() throws SQLException
    {
        // The leverage case (appendLeverageCase), starting balance 1000, in close order:
        //   spot long 1x: 1 @ 100 -> 110, +10, ratio 10 x 1 / 100 = 0.1
        //   futures long 3x: 3 @ 100 -> 90, -30, ratio -30 x 3 / 300 = -0.3
        //   futures short 3x: 3 @ 100 -> 80, +60, ratio 60 x 3 / 300 = 0.6
        //   futures long 3x: 3 @ 100 -> 110, +30, ratio 0.3
        // By leverage: 1x one trade, +10; 3x three trades, +60, wins 2, losses 1, profit factor 90 / 30 = 3, mean ratio
        // (-0.3 + 0.6 + 0.3) / 3 = 0.2, drawdown 30 (-30 from the start), relative 30 / 1000.
        final List<Map<String, Object>> rows = ClosedTrades.rows(ENVIRONMENT.dataSource(),
            "SELECT scope, leverage, trading_mode, " +
            "is_short, (metrics).* FROM leverage_performance(1000, 'leverage')");
        assertEquals(5, rows.size(), rows.toString());
        final Map<String, Object> x1 = rows.get(0);
        assertEquals("leverage", x1.get("scope"));
        assertEquals(0, BigDecimal.ONE.compareTo(decimal(x1, "leverage")));
        assertNull(x1.get("trading_mode"));
        assertEquals(1, x1.get("trades"));
        assertExact(new BigDecimal("10"), x1, "profit_total_abs");
        final Map<String, Object> x3 = rows.get(1);
        assertEquals(0, new BigDecimal("3").compareTo(decimal(x3, "leverage")));
        assertEquals(3, x3.get("trades"));
        assertEquals(2, x3.get("wins"));
        assertEquals(1, x3.get("losses"));
        assertExact(new BigDecimal("60"), x3, "profit_total_abs");
        assertExact(new BigDecimal("3"), x3, "profit_factor");
        assertExact(new BigDecimal("0.2"), x3, "profit_mean_ratio");
        assertExact(new BigDecimal("30"), x3, "max_drawdown_abs");
        assertExact(new BigDecimal("0.03"), x3, "max_drawdown_account");

        // By trading mode, side and leverage: futures long 3x is -30 then +30: total 0, profit factor 30 / 30 = 1,
        // expectancy 0; futures short 3x +60 alone; spot long 1x +10 alone.
        assertEquals("mode_side_leverage", rows.get(2).get("scope"));
        final Map<String, Object> futuresLong = find(rows, "futures", false);
        assertEquals(2, futuresLong.get("trades"));
        assertExact(BigDecimal.ZERO, futuresLong, "profit_total_abs");
        assertExact(BigDecimal.ONE, futuresLong, "profit_factor");
        assertExact(BigDecimal.ZERO, futuresLong, "expectancy");
        final Map<String, Object> futuresShort = find(rows, "futures", true);
        assertEquals(1, futuresShort.get("trades"));
        assertExact(new BigDecimal("60"), futuresShort, "profit_total_abs");
        assertExact(new BigDecimal("0.6"), futuresShort, "profit_mean_ratio");
        final Map<String, Object> spot = find(rows, "spot", false);
        assertExact(new BigDecimal("10"), spot, "profit_total_abs");
        assertExact(new BigDecimal("0.1"), spot, "profit_mean_ratio");
    }

    @Test
    void shouldSummarizePerStrategyAndOverAllWithPairsDurationsStreaksAndTimeRange() throws SQLException
    {
        // The period case (appendPeriodCase), strategy "periods", sources period-a and period-b, starting balance
        // 1000, in close order: b1 -10 (SOL, 4 h), a1 +50 (BTC, 2 h), a2 -20 (ETH, 47 h), a3 0 (BTC, 6 h), a4 +5
        // (ETH, 6 h). Over all: 5 trades, +25; wins 2, draws 1, losses 2; streaks: loss, win, loss, loss (a draw
        // counts as a loss), win: 1 and 2. Best pair BTC +50, worst ETH -15. Holding: all (4 + 2 + 47 + 6 + 6) / 5 =
        // 13 h; winners (2 + 6) / 2 = 4 h; losers (4 + 47) / 2 = 25 h 30 min. Cumulative -10, 40, 20, 20, 25 from a
        // high of 0, 40, 40, 40, 40: the deepest fall is 20 at a2 (from a1's 40): relative 20 / 1040.
        final List<Map<String, Object>> rows = ClosedTrades.rows(ENVIRONMENT.dataSource(),
            "SELECT scope, source_id, strategy, " +
            "(metrics).* FROM performance_metrics(1000, NULL, 'periods')");
        assertEquals(3, rows.size(), rows.toString());
        assertEquals("period-a", rows.get(0).get("source_id"));
        assertEquals(4, rows.get(0).get("trades"));
        assertExact(new BigDecimal("35"), rows.get(0), "profit_total_abs");
        assertEquals("period-b", rows.get(1).get("source_id"));
        assertExact(new BigDecimal("-10"), rows.get(1), "profit_total_abs");
        final Map<String, Object> all = rows.get(2);
        assertEquals("all", all.get("scope"));
        assertNull(all.get("source_id"));
        assertEquals(5, all.get("trades"));
        assertEquals(2, all.get("wins"));
        assertEquals(1, all.get("draws"));
        assertEquals(2, all.get("losses"));
        assertExact(new BigDecimal("25"), all, "profit_total_abs");
        assertExact(new BigDecimal("5"), all, "profit_mean_abs");
        assertExact(new BigDecimal("0.025"), all, "profit_total_ratio");
        assertExact(new BigDecimal("1025"), all, "final_balance");
        assertEquals(1, all.get("max_consecutive_wins"));
        assertEquals(2, all.get("max_consecutive_losses"));
        assertEquals("BTC/USDT", all.get("best_pair"));
        assertExact(new BigDecimal("50"), all, "best_pair_profit_abs");
        assertEquals("ETH/USDT", all.get("worst_pair"));
        assertExact(new BigDecimal("-15"), all, "worst_pair_profit_abs");
        assertEquals(List.of(Map.of("all_s", 46_800L, "win_s", 14_400L, "loss_s", 91_800L)),
            ClosedTrades.rows(ENVIRONMENT.dataSource(), "SELECT extract(epoch FROM (metrics).holding_avg)::bigint " +
            "AS all_s, extract(epoch FROM (metrics).winner_holding_avg)::bigint AS win_s, extract(epoch FROM " +
            "(metrics).loser_holding_avg)::bigint AS loss_s FROM performance_metrics(1000, NULL, 'periods') " +
            "WHERE scope = 'all'"), "13 h, 4 h and 25 h 30 min in seconds");
        assertExact(new BigDecimal("20"), all, "max_drawdown_abs");
        assertExact(quotient(20, 1040), all, "max_drawdown_account");
        assertEquals(MARCH.plus(Duration.ofHours(12)), instant(all, "max_drawdown_high_time"));

        // Closed in [2026-03-05, 2026-04-01): a2 and a3 only.
        final List<Map<String, Object>> range = ClosedTrades.rows(ENVIRONMENT.dataSource(),
            "SELECT scope, (metrics).* FROM " +
            "performance_metrics(1000, NULL, 'periods', '2026-03-05T00:00:00Z', '2026-04-01T00:00:00Z')");
        assertEquals(2, range.size(), range.toString());
        assertEquals(2, range.get(1).get("trades"));
        assertExact(new BigDecimal("-20"), range.get(1), "profit_total_abs");
        assertEquals(1, ClosedTrades.rows(ENVIRONMENT.dataSource(),
            "SELECT * FROM performance_metrics(1000, 'period-b', 'periods')").stream()
            .filter(row -> "strategy".equals(row.get("scope"))).count(), "the source filter");
    }

    @Test
    void shouldTabulateProfitPerDayWeekAndMonth() throws SQLException
    {
        // Over all of strategy "periods" (UTC): day 2026-03-02 b1 -10 and a1 +50: 2 trades, +40, profit factor 50 /
        // 10 = 5; day 03-08 a2 -20; day 03-09 a3 0; day 04-01 a4 +5. Weeks from Monday: 03-02 holds b1, a1 and a2
        // (Sunday 03-08): 3 trades, +20, profit factor 50 / 30; 03-09 holds a3; 03-30 holds a4. Months: March 4
        // trades, +20; April 1, +5.
        assertEquals(List.of("2026-03-02 2 1 0 1 40 5", "2026-03-08 1 0 0 1 -20 0", "2026-03-09 1 0 1 0 0 0",
            "2026-04-01 1 1 0 0 5 0"), periods("day"));
        assertEquals(List.of("2026-03-02 3 1 0 2 20 " + quotient(50, 30).toPlainString(), "2026-03-09 1 0 1 0 0 0",
            "2026-03-30 1 1 0 0 5 0"), periods("week"));
        assertEquals(List.of("2026-03-01 4 1 1 2 20 " + quotient(50, 30).toPlainString(), "2026-04-01 1 1 0 0 5 0"),
            periods("month"));
        assertThrows(SQLException.class, () -> periods("year"), "day, week or month only");
    }

    @Test
    void shouldUseNoFloatingPointForAmountsAndCounts() throws SQLException
    {
        // Only the five ratios that need a root or a power are double precision; every amount and ratio of amounts is
        // NUMERIC.
        final List<Map<String, Object>> floats = ClosedTrades.rows(ENVIRONMENT.dataSource(),
            "SELECT a.attname FROM pg_attribute a " +
            "JOIN pg_class c ON c.oid = a.attrelid WHERE c.relname IN ('trade_metrics_row', 'closed_trade_result') " +
            "AND a.attnum > 0 AND a.atttypid IN ('float4'::regtype, 'float8'::regtype) ORDER BY a.attnum");
        assertEquals("[cagr, sharpe, sortino, calmar, sqn]",
            floats.stream().map(row -> row.get("attname")).toList().toString());
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldAnswerEveryPanelOfThePerformanceDashboard() throws Exception
    {
        // deploy/grafana/tradestate-performance.json: its PostgreSQL data source comes from a variable, and every
        // query of its panels and variables runs here, with Grafana's macros and variables as Grafana would expand
        // them for strategy "periods", a starting balance of 1000 and a time range holding every trade.
        final Map<String, Object> dashboard = (Map<String, Object>)GrafanaDashboardTest.Json.parse(
            Files.readString(Path.of("../deploy/grafana/tradestate-performance.json")));
        final List<Object> variables = (List<Object>)((Map<String, Object>)dashboard.get("templating")).get("list");
        final Map<String, Object> source = (Map<String, Object>)variables.get(0);
        assertEquals(List.of("datasource", "datasource", "grafana-postgresql-datasource"),
            List.of(source.get("name"), source.get("type"), source.get("query")));
        final Map<String, Object> strategies = (Map<String, Object>)variables.get(1);
        assertTrue(ClosedTrades.rows(ENVIRONMENT.dataSource(), (String)strategies.get("query")).stream()
            .anyMatch(row -> "periods".equals(row.get("strategy"))), "the strategy variable lists the strategies");

        final Map<String, List<Map<String, Object>>> answers = new LinkedHashMap<>();
        for (final Object panel : (List<Object>)dashboard.get("panels"))
        {
            for (final Object target : (List<Object>)((Map<String, Object>)panel).get("targets"))
            {
                final Map<String, Object> query = (Map<String, Object>)target;
                assertEquals("${datasource}", ((Map<String, Object>)query.get("datasource")).get("uid"));
                final String sql = ((String)query.get("rawSql"))
                    .replace("$__timeFrom()", "'2000-01-01T00:00:00Z'").replace("$__timeTo()", "'2100-01-01T00:00:00Z'")
                    .replace("${strategy:sqlstring}", "'periods'").replace("${starting_balance:sqlstring}", "'1000'");
                assertFalse(sql.contains("$"), sql);
                answers.put(((Map<String, Object>)panel).get("title") + " " + query.get("refId"),
                    ClosedTrades.rows(ENVIRONMENT.dataSource(), sql));
            }
        }
        // Cumulative profit -10, 40, 20, 20, 25 (appendPeriodCase in close order); its high, never below 0: 0, 40,
        // 40, 40, 40; the drawdown -10, 0, -20, -20, -15, whose lowest point is the summary's max_drawdown_abs.
        assertEquals(List.of("-10", "40", "20", "20", "25"), values(answers.get("Equity curve and drawdown A")));
        assertEquals(List.of("-10", "0", "-20", "-20", "-15"), values(answers.get("Equity curve and drawdown B")));
        assertEquals(List.of("40", "-20", "0", "5"), values(answers.get("Profit per day A")));
        final List<Map<String, Object>> summary = answers.get("Summary metrics A");
        assertEquals(3, summary.size(), summary.toString());
        assertEquals(5, summary.get(2).get("trades"));
        assertEquals(List.of("leverage", "mode_side_leverage"), answers.get("By leverage, trading mode and side A")
            .stream().map(row -> row.get("scope")).toList());
    }

    private static List<String> values(final List<Map<String, Object>> rows)
    {
        return rows.stream().map(row -> ((BigDecimal)row.get("value")).stripTrailingZeros().toPlainString()).toList();
    }

    private static void appendLeverageCase(final ClosedTrades trades)
    {
        trades.trade("leverage").fills("1", "100", "110")
            .times(MARCH, MARCH.plus(Duration.ofHours(1))).append();
        trades.trade("leverage").mode(TradingMode.FUTURES, false, "3").fills("3", "100", "90")
            .times(MARCH, MARCH.plus(Duration.ofHours(2))).append();
        trades.trade("leverage").mode(TradingMode.FUTURES, true, "3").fills("3", "100", "80")
            .times(MARCH, MARCH.plus(Duration.ofHours(3))).append();
        trades.trade("leverage").mode(TradingMode.FUTURES, false, "3").fills("3", "100", "110")
            .times(MARCH, MARCH.plus(Duration.ofHours(4))).append();
    }

    private static void appendPeriodCase(final ClosedTrades trades)
    {
        periodTrade(trades, "period-a", "BTC/USDT", "50", "2026-03-02T10:00:00Z", "2026-03-02T12:00:00Z");
        periodTrade(trades, "period-a", "ETH/USDT", "-20", "2026-03-07T00:00:00Z", "2026-03-08T23:00:00Z");
        periodTrade(trades, "period-a", "BTC/USDT", "0", "2026-03-09T00:00:00Z", "2026-03-09T06:00:00Z");
        periodTrade(trades, "period-a", "ETH/USDT", "5", "2026-03-31T20:00:00Z", "2026-04-01T02:00:00Z");
        periodTrade(trades, "period-b", "SOL/USDT", "-10", "2026-03-02T00:00:00Z", "2026-03-02T04:00:00Z");
    }

    private static void periodTrade(final ClosedTrades trades, final String source, final String pair,
        final String profit, final String open, final String close)
    {
        trades.trade(source).strategy("periods").pair(pair)
            .fills("1", "1000", new BigDecimal("1000").add(new BigDecimal(profit)).toPlainString())
            .times(Instant.parse(open), Instant.parse(close)).append();
    }

    private static void appendDaily(final ClosedTrades trades, final String source, final String... profits)
    {
        for (int i = 0; i < profits.length; i++)
        {
            trades.profit(source, profits[i], Y2020.plus(Duration.ofDays(i)), Y2020.plus(Duration.ofDays(i + 1)));
        }
    }

    private static void appendAt(final ClosedTrades trades, final String source, final Instant start,
        final String... profits)
    {
        for (int i = 0; i < profits.length; i++)
        {
            trades.profit(source, profits[i], start, start.plus(Duration.ofDays(i + 1)));
        }
    }

    private static List<String> periods(final String period) throws SQLException
    {
        return ClosedTrades.rows(ENVIRONMENT.dataSource(),
            "SELECT period_start::text || ' ' || trades || ' ' || wins || ' ' || " +
            "draws || ' ' || losses || ' ' || profit_abs || ' ' || profit_factor AS line " +
            "FROM profit_by_period(?, NULL, 'periods') WHERE scope = 'all' ORDER BY period_start", period)
            .stream().map(row -> (String)row.get("line")).toList();
    }

    private static Map<String, Object> find(final List<Map<String, Object>> rows, final String mode,
        final boolean isShort)
    {
        return rows.stream().filter(row -> mode.equals(row.get("trading_mode")) && row.get("is_short")
            .equals(isShort)).findFirst().orElseThrow(() -> new AssertionError(mode + " " + isShort + ": " + rows));
    }

    private static Map<String, Object> metrics(final long startingBalance, final String source) throws SQLException
    {
        return metrics(BigDecimal.valueOf(startingBalance), source);
    }

    private static Map<String, Object> metrics(final BigDecimal startingBalance, final String source)
        throws SQLException
    {
        final List<Map<String, Object>> rows = ClosedTrades.rows(ENVIRONMENT.dataSource(),
            "SELECT scope, (metrics).* FROM " +
            "performance_metrics(?, ?) WHERE scope = 'strategy'", startingBalance, source);
        assertEquals(1, rows.size(), source + ": " + rows);
        return rows.get(0);
    }

    private static Map<String, Object> emptyMetrics() throws SQLException
    {
        return ClosedTrades.rows(ENVIRONMENT.dataSource(), "SELECT (trade_metrics('{}', 100)).*").get(0);
    }

    private static BigDecimal sqn(final String source) throws SQLException
    {
        return new BigDecimal((Double)metrics(100, source).get("sqn"));
    }

    private static BigDecimal ratio(final String source, final String name) throws SQLException
    {
        return new BigDecimal((Double)metrics(100, source).get(name));
    }

    private static BigDecimal decimal(final Map<String, Object> row, final String column)
    {
        return (BigDecimal)row.get(column);
    }

    private static Instant instant(final Map<String, Object> row, final String column)
    {
        return ((Timestamp)row.get(column)).toInstant();
    }

    /**
     * a / b rounded half away from zero at the 30th decimal, trailing zeros stripped, as ledger_quotient.
     */
    private static BigDecimal quotient(final long a, final long b)
    {
        return BigDecimal.valueOf(a).divide(BigDecimal.valueOf(b), 30, RoundingMode.HALF_UP).stripTrailingZeros();
    }

    private static void assertExact(final BigDecimal expected, final Map<String, Object> row, final String column)
    {
        final BigDecimal actual = decimal(row, column);
        assertTrue(null != actual && expected.compareTo(actual) == 0,
            column + ": expected " + expected.toPlainString() + ", was " + actual);
    }

    private static void assertApprox(final BigDecimal expected, final BigDecimal actual, final BigDecimal relative,
        final String what)
    {
        // As pytest.approx(actual) == expected, the form of freqtrade's assertions: relative to the value computed.
        final BigDecimal tolerance = actual.abs().multiply(relative).max(new BigDecimal("1e-12"));
        assertTrue(expected.subtract(actual).abs().compareTo(tolerance) <= 0,
            what + ": expected " + expected + " within relative " + relative + ", was " + actual);
    }
}
