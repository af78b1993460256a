package io.tradestate.reader;

import io.tradestate.codecs.TradingMode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The stop-loss efficiency of migration 12 ({@code stop_loss_efficiency}, {@code stop_loss_summary}) over trades
 * appended through the journal and drained by a real agent into a real PostgreSQL ({@link ClosedTrades}). Every case
 * is hand-computed, the arithmetic in each test's comment; docs/ledger.md ("Stop-loss efficiency") uses the first.
 * <p>
 * Source {@code stops}, strategy {@code stops}, USDT, opened at {@link #T} and closed an hour apart, in this order:
 * <ol>
 * <li>a spot long of 2 at 100 (fee 0.2), initial stop 95, stopped out ({@code stop_loss}) in two exits of 1 at 94.6
 * and 94.2 (fee 0.1 each);</li>
 * <li>a futures short 3x of 3 at 200, stop 210, stopped out ({@code stoploss_on_exchange}) buying 3 back at 211.5;</li>
 * <li>a spot long of 1 at 50, initial stop 45 trailed to 55, exited ({@code trailing_stop_loss}) at 54.9;</li>
 * <li>a spot long of 1 at 80, stop 72, exited on a signal ({@code exit_signal}) at 76: a loss not taken by a stop;</li>
 * <li>a spot long of 1 at 10, stop 9, exited by ROI ({@code roi}) at 11;</li>
 * <li>a futures long 5x of 10 at 20, stop 15, liquidation price 16.2, liquidated ({@code liquidation}) at 16.1.</li>
 * </ol>
 * Source {@code stops-late}, strategy {@code stops}: a long of 1 at 100, stop 90, stopped out at 89 on 2026-05-01.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class StopLossEfficiencyIT
{
    private static final Instant T = Instant.parse("2026-04-06T00:00:00Z");
    private static final Instant MAY = Instant.parse("2026-05-01T00:00:00Z");

    @RegisterExtension
    static final AgentTestEnvironment ENVIRONMENT =
        new AgentTestEnvironment(StopLossEfficiencyIT.class.getSimpleName());

    @BeforeAll
    static void appendAndDrain() throws Exception
    {
        final ClosedTrades trades = new ClosedTrades(ENVIRONMENT.journalRoot());
        trades.trade("stops").strategy("stops").fills("2", "100", "94.2").entryFee("0.2")
            .exit("94.6", "1", "0.1").exit("94.2", "1", "0.1").stops("95", "95", false).exitReason("stop_loss")
            .times(T, hours(1)).append();
        trades.trade("stops").strategy("stops").pair("ETH/USDT").mode(TradingMode.FUTURES, true, "3")
            .fills("3", "200", "211.5").stops("210", "210", false).exitReason("stoploss_on_exchange")
            .times(T, hours(2)).append();
        trades.trade("stops").strategy("stops").pair("SOL/USDT").fills("1", "50", "54.9")
            .stops("45", "55", true).exitReason("trailing_stop_loss").times(T, hours(3)).append();
        trades.trade("stops").strategy("stops").fills("1", "80", "76").stops("72", "72", false)
            .exitReason("exit_signal").times(T, hours(4)).append();
        trades.trade("stops").strategy("stops").fills("1", "10", "11").stops("9", "9", false).exitReason("roi")
            .times(T, hours(5)).append();
        trades.trade("stops").strategy("stops").mode(TradingMode.FUTURES, false, "5").fills("10", "20", "16.1")
            .stops("15", "15", false).liquidationPrice("16.2").exitReason("liquidation").times(T, hours(6)).append();
        trades.trade("stops-late").strategy("stops").fills("1", "100", "89").stops("90", "90", false)
            .exitReason("stop_loss").times(MAY.minus(Duration.ofDays(1)), MAY).append();
        trades.drain(ENVIRONMENT);
    }

    @Test
    void shouldMeasureTheSlippageAndRMultipleOfALongStoppedOutBelowItsStop() throws SQLException
    {
        // Long of 2 at 100 (entry fee 0.2), stop 95, exits 1 at 94.6 and 1 at 94.2 (fee 0.1 each). Exit value V =
        // 94.6 + 94.2 = 188.8, exit rate 188.8 / 2 = 94.4. Slippage (d = +1): 95 x 2 - 188.8 = 1.2 in USDT, 1.2 / 2 =
        // 0.6 per unit, 1.2 / 190 = 0.6 / 95 as a ratio. Profit: each exit closes half the cost (100) and half the
        // entry fee (0.1): (94.6 - 100) - 0.1 - 0.1 = -5.6 and (94.2 - 100) - 0.1 - 0.1 = -6.0, -11.6 in all.
        // Initial risk |100 - 95| x 2 = 10: R = -11.6 / 10 = -1.16. The stop did not move: trail 0. Kept:
        // 188.8 - 95 x 2 = -1.2; at the initial stop the trade would have made -11.6 - (-1.2) = -10.4 (= (95 - 100) x 2
        // - 0.4 fees).
        final Map<String, Object> a = stopExit("stops", 1);
        assertEquals("stop_loss", a.get("exit_reason"));
        assertExact("100", a, "open_rate");
        assertExact("2", a, "amount");
        assertExact("95", a, "initial_stop_loss");
        assertExact("95", a, "stop_price");
        assertExact("94.4", a, "exit_rate");
        assertExact("0.6", a, "slippage");
        assertExact("1.2", a, "slippage_abs");
        assertExact(quotient("1.2", "190"), a, "slippage_ratio");
        assertExact("-11.6", a, "profit_abs");
        assertExact("10", a, "initial_risk_abs");
        assertExact("-1.16", a, "r_multiple");
        assertExact("0", a, "trail_distance");
        assertExact("0", a, "trail_ratio");
        assertExact("-1.2", a, "kept_abs");
        assertExact("-10.4", a, "initial_stop_profit_abs");
        assertEquals(false, a.get("is_trailing_stop"));
    }

    @Test
    void shouldSignTheSlippageOfAShortStoppedOutAboveItsStopAgainstTheTrade() throws SQLException
    {
        // Futures short 3x of 3 at 200, stop 210, bought back at 211.5 (V = 634.5). Slippage (d = -1):
        // -(210 x 3 - 634.5) = 4.5 in USDT (worse for the short: positive), 1.5 per unit, 4.5 / 630 = 1 / 140 as a
        // ratio. Profit -(634.5 - 600) = -34.5, ratio -34.5 x 3 / 600 = -0.1725. Initial risk |200 - 210| x 3 = 30:
        // R = -34.5 / 30 = -1.15. Kept: -(634.5 - 210 x 3) = -4.5; at the initial stop -34.5 + 4.5 = -30.
        final Map<String, Object> b = stopExit("stops", 2);
        assertEquals("stoploss_on_exchange", b.get("exit_reason"));
        assertEquals(true, b.get("is_short"));
        assertExact("211.5", b, "exit_rate");
        assertExact("1.5", b, "slippage");
        assertExact("4.5", b, "slippage_abs");
        assertExact(quotient("1", "140"), b, "slippage_ratio");
        assertExact("-34.5", b, "profit_abs");
        assertExact("-0.1725", b, "profit_ratio");
        assertExact("30", b, "initial_risk_abs");
        assertExact("-1.15", b, "r_multiple");
        assertExact("0", b, "trail_distance");
        assertExact("-4.5", b, "kept_abs");
        assertExact("-30", b, "initial_stop_profit_abs");
    }

    @Test
    void shouldMeasureHowFarATrailingStopMovedAndWhatItKept() throws SQLException
    {
        // Long of 1 at 50, initial stop 45, trailed to 55, exited at 54.9. Trail: 55 - 45 = 10, 10 / 50 = 0.2 of the
        // open rate. Slippage 55 - 54.9 = 0.1, ratio 0.1 / 55. Profit 54.9 - 50 = 4.9; initial risk 50 - 45 = 5: R =
        // 4.9 / 5 = 0.98. Kept: 54.9 - 45 = 9.9 more than the initial stop would have given (4.9 - 9.9 = -5).
        final Map<String, Object> c = stopExit("stops", 3);
        assertEquals("trailing_stop_loss", c.get("exit_reason"));
        assertEquals(true, c.get("is_trailing_stop"));
        assertExact("45", c, "initial_stop_loss");
        assertExact("55", c, "stop_loss");
        assertExact("10", c, "trail_distance");
        assertExact("0.2", c, "trail_ratio");
        assertExact("0.1", c, "slippage");
        assertExact(quotient("0.1", "55"), c, "slippage_ratio");
        assertExact("4.9", c, "profit_abs");
        assertExact("0.98", c, "r_multiple");
        assertExact("9.9", c, "kept_abs");
        assertExact("-5", c, "initial_stop_profit_abs");
    }

    @Test
    void shouldMeasureALiquidationAgainstItsLiquidationPrice() throws SQLException
    {
        // Futures long 5x of 10 at 20, stop 15, liquidation price 16.2 (the liquidation comes first), exited at 16.1
        // (V = 161). The stop price is the liquidation price: slippage 16.2 x 10 - 161 = 1 in USDT, 0.1 per unit,
        // 1 / 162 as a ratio. Profit 161 - 200 = -39, ratio -39 x 5 / 200 = -0.975. Initial risk |20 - 15| x 10 = 50:
        // R = -39 / 50 = -0.78. Kept: 161 - 15 x 10 = 11 (at the initial stop: -39 - 11 = -50).
        final Map<String, Object> f = stopExit("stops", 6);
        assertEquals("liquidation", f.get("exit_reason"));
        assertExact("15", f, "stop_loss");
        assertExact("16.2", f, "liquidation_price");
        assertExact("16.2", f, "stop_price");
        assertExact("0.1", f, "slippage");
        assertExact("1", f, "slippage_abs");
        assertExact(quotient("1", "162"), f, "slippage_ratio");
        assertExact("-39", f, "profit_abs");
        assertExact("-0.975", f, "profit_ratio");
        assertExact("-0.78", f, "r_multiple");
        assertExact("0", f, "trail_distance");
        assertExact("11", f, "kept_abs");
        assertExact("-50", f, "initial_stop_profit_abs");
    }

    @Test
    void shouldListOnlyStopExitsInCloseOrderWithTheFiltersApplied() throws SQLException
    {
        // Trades 4 (exit_signal) and 5 (roi) are not stop exits. stops-late's stop closes on 2026-05-01: in the
        // strategy, out of [.., 2026-05-01) and of the source stops.
        assertEquals(List.of("stops 1 stop_loss", "stops 2 stoploss_on_exchange", "stops 3 trailing_stop_loss",
            "stops 6 liquidation", "stops-late 1 stop_loss"), exits(null, "stops", null, null));
        assertEquals(4, exits("stops", null, null, null).size());
        assertEquals(4, exits(null, "stops", null, MAY).size());
        assertEquals(List.of("stops-late 1 stop_loss"), exits(null, null, MAY, null));
        assertEquals(List.of("stops 3 trailing_stop_loss", "stops 6 liquidation"),
            exits("stops", "stops", T.plus(Duration.ofHours(3)), MAY));
        assertEquals(List.of(), exits(null, "none", null, null));
    }

    @Test
    void shouldShareTheLossesBetweenStopsAndTheOtherExitReasons() throws SQLException
    {
        // Losses of source stops: 1 (-11.6), 2 (-34.5), 4 (-4) and 6 (-39): 4 losses, -89.1. Stops (1, 2, 3, 6): 4
        // trades, 3 losses (share 3 / 4 = 0.75), losses -85.1 (share 85.1 / 89.1), profit -11.6 - 34.5 + 4.9 - 39 =
        // -80.2; slippage 1.2 + 4.5 + 0.1 + 1 = 6.8 USDT, ratios 1.2 / 190, 1 / 140, 0.1 / 55, 1 / 162 (each rounded at
        // the 30th decimal), mean their sum / 4, worst 1 / 140 (the short); R -1.16, -1.15, 0.98, -0.78: mean -2.11 /
        // 4 = -0.5275, worst -1.16; kept -1.2 - 4.5 + 9.9 + 11 = 15.2. Other reasons (4, 5): 2 trades, 1 loss (0.25),
        // -4 (4 / 89.1), profit -4 + 1 = -3, no slippage. All: 6 trades, 4 losses, -89.1, shares 1.
        final List<Map<String, Object>> rows = ClosedTrades.rows(ENVIRONMENT.dataSource(),
            "SELECT * FROM stop_loss_summary('stops')");
        assertEquals(List.of("exit_reason liquidation true", "exit_reason stop_loss true",
            "exit_reason stoploss_on_exchange true", "exit_reason trailing_stop_loss true",
            "exit_reason exit_signal false", "exit_reason roi false", "stop null true", "other null false",
            "all null null"), rows.stream().map(row -> row.get("scope") + " " + row.get("exit_reason") + " " +
            row.get("is_stop")).toList());
        final BigDecimal meanSlippage = quotient(quotient("1.2", "190").add(quotient("1", "140"))
            .add(quotient("0.1", "55")).add(quotient("1", "162")), new BigDecimal("4"));

        final Map<String, Object> stop = rows.get(6);
        assertEquals(4, stop.get("trades"));
        assertEquals(3, stop.get("losses"));
        assertExact("-80.2", stop, "profit_abs");
        assertExact("-85.1", stop, "loss_abs");
        assertExact("0.75", stop, "loss_count_share");
        assertExact(quotient("85.1", "89.1"), stop, "loss_abs_share");
        assertExact(meanSlippage, stop, "slippage_ratio_mean");
        assertExact(quotient("1", "140"), stop, "slippage_ratio_worst");
        assertExact("6.8", stop, "slippage_abs");
        assertExact("-0.5275", stop, "r_multiple_mean");
        assertExact("-1.16", stop, "r_multiple_worst");
        assertExact("15.2", stop, "kept_abs");

        final Map<String, Object> other = rows.get(7);
        assertEquals(2, other.get("trades"));
        assertEquals(1, other.get("losses"));
        assertExact("-3", other, "profit_abs");
        assertExact("-4", other, "loss_abs");
        assertExact("0.25", other, "loss_count_share");
        assertExact(quotient("4", "89.1"), other, "loss_abs_share");
        assertNull(other.get("slippage_ratio_mean"));
        assertNull(other.get("r_multiple_mean"));

        final Map<String, Object> all = rows.get(8);
        assertEquals(6, all.get("trades"));
        assertEquals(4, all.get("losses"));
        assertExact("-83.2", all, "profit_abs");
        assertExact("-89.1", all, "loss_abs");
        assertExact("1", all, "loss_count_share");
        assertExact("1", all, "loss_abs_share");
        assertExact(meanSlippage, all, "slippage_ratio_mean");

        // Per reason: the liquidation took 1 of 4 losses and 39 / 89.1 of their amount; ROI took none.
        final Map<String, Object> liquidation = rows.get(0);
        assertEquals(1, liquidation.get("trades"));
        assertExact("0.25", liquidation, "loss_count_share");
        assertExact(quotient("39", "89.1"), liquidation, "loss_abs_share");
        assertExact(quotient("1", "162"), liquidation, "slippage_ratio_mean");
        assertExact("-0.78", liquidation, "r_multiple_mean");
        final Map<String, Object> roi = rows.get(5);
        assertEquals(0, roi.get("losses"));
        assertExact("0", roi, "loss_abs");
        assertExact("0", roi, "loss_count_share");
        assertExact("0", roi, "loss_abs_share");
        assertExact("1", roi, "profit_abs");
    }

    @Test
    void shouldUseNoFloatingPoint() throws SQLException
    {
        // Every measure is NUMERIC: neither the row type nor the summary's columns nor the functions' sources hold a
        // floating-point type.
        assertEquals(List.of(), ClosedTrades.rows(ENVIRONMENT.dataSource(), "SELECT a.attname FROM pg_attribute a " +
            "JOIN pg_class c ON c.oid = a.attrelid WHERE c.relname = 'stop_loss_exit' AND a.attnum > 0 " +
            "AND a.atttypid IN ('float4'::regtype, 'float8'::regtype)"));
        assertEquals(List.of(), ClosedTrades.rows(ENVIRONMENT.dataSource(),
            "SELECT p.proname FROM pg_proc p WHERE p.proname IN " +
            "('stop_loss_summary', 'stop_loss_efficiency', 'stop_loss_exit_of', 'is_stop_exit') AND " +
            "(ARRAY['float4'::regtype::oid, 'float8'::regtype::oid] && coalesce(p.proallargtypes, " +
            "p.proargtypes::oid[]) OR p.prosrc ~* '\\m(double|float|real)\\M')"));
        assertEquals(4L, ClosedTrades.rows(ENVIRONMENT.dataSource(),
            "SELECT count(*) AS n FROM pg_proc WHERE proname IN " +
            "('stop_loss_summary', 'stop_loss_efficiency', 'stop_loss_exit_of', 'is_stop_exit')").get(0).get("n"));
    }

    private static Instant hours(final long hours)
    {
        return T.plus(Duration.ofHours(hours));
    }

    private static Map<String, Object> stopExit(final String source, final long tradeId) throws SQLException
    {
        final List<Map<String, Object>> rows = ClosedTrades.rows(ENVIRONMENT.dataSource(),
            "SELECT * FROM stop_loss_efficiency(?) WHERE trade_id = ?", source, tradeId);
        assertEquals(1, rows.size(), source + " " + tradeId + ": " + rows);
        return rows.get(0);
    }

    private static List<String> exits(final String source, final String strategy, final Instant from,
        final Instant to) throws SQLException
    {
        return ClosedTrades.rows(ENVIRONMENT.dataSource(),
            "SELECT source_id || ' ' || trade_id || ' ' || exit_reason AS line " +
            "FROM stop_loss_efficiency(?::text, ?::text, ?::timestamptz, ?::timestamptz)", source, strategy,
            null == from ? null : from.toString(), null == to ? null : to.toString())
            .stream().map(row -> (String)row.get("line")).toList();
    }

    /**
     * a / b rounded half away from zero at the 30th decimal, trailing zeros stripped, as ledger_quotient.
     */
    private static BigDecimal quotient(final String a, final String b)
    {
        return quotient(new BigDecimal(a), new BigDecimal(b));
    }

    private static BigDecimal quotient(final BigDecimal a, final BigDecimal b)
    {
        return a.divide(b, 30, RoundingMode.HALF_UP).stripTrailingZeros();
    }

    private static void assertExact(final String expected, final Map<String, Object> row, final String column)
    {
        assertExact(new BigDecimal(expected), row, column);
    }

    private static void assertExact(final BigDecimal expected, final Map<String, Object> row, final String column)
    {
        assertTrue(row.containsKey(column), "no column " + column + " in " + row.keySet());
        final BigDecimal actual = (BigDecimal)row.get(column);
        assertTrue(null != actual && expected.compareTo(actual) == 0,
            column + ": expected " + expected.toPlainString() + ", was " + actual);
    }
}
