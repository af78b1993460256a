package io.tradestate.reader;

import io.tradestate.codecs.Liquidity;
import io.tradestate.codecs.OrderStatus;
import io.tradestate.codecs.OrderType;
import io.tradestate.codecs.Side;
import io.tradestate.codecs.TradingMode;
import io.tradestate.writer.TradeJournal;
import io.tradestate.writer.TradeUpdateEvent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static io.tradestate.reader.LedgerFixture.decimal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The trade ledger of migration 4 ({@code trade_ledger}, {@code trade_ledger_steps}, {@code trade_ledger_of},
 * {@code realized_pnl_by_strategy}) against a real PostgreSQL.
 * <p>
 * Most cases write trades and fills straight into the tables the drain fills ({@link LedgerFixture}): dozens of small
 * cases cost one database. One case goes the whole way, through {@link TradeJournal} and a {@link ReaderAgent}.
 * <p>
 * The freqtrade cases come from freqtrade's tests/persistence/test_persistence.py; each names its test and
 * parameters. Their expected values are re-derived here, exactly, from the formulas those tests spell out in their
 * docstrings; freqtrade's own float results, rounded to 8 decimals, are checked too, with the tolerance of the
 * {@code pytest.approx} they are asserted with (relative 1e-6). Our results are exact: sums and products carry every
 * digit, and a quotient is rounded half up at the 30th decimal ({@code ledger_quotient}); {@link #quotient} rounds
 * the same way, so expected quotients are compared exactly too.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class TradeLedgerIT
{
    private static final BigDecimal PYTEST_APPROX_REL = new BigDecimal("1e-6");
    private static final AtomicLong TRADE_IDS = new AtomicLong();

    @RegisterExtension
    static final AgentTestEnvironment ENVIRONMENT = new AgentTestEnvironment(TradeLedgerIT.class.getSimpleName())
        .migrated();

    private static LedgerFixture fixture;

    @BeforeAll
    static void createPartitions() throws SQLException
    {
        fixture = new LedgerFixture(ENVIRONMENT.dataSource());
        // The rows written directly go in with append_time now(): into this month's partition, as the agent would
        // have it, not the default one (which would stop the agent of the journal case creating that partition).
        fixture.rows("SELECT create_history_partitions(now() - interval '1 month', 3)");
    }

    /**
     * One entry of 30 at the open rate, one exit of 30 at the close rate, fees as rates of each fill's cost. Rows from
     * freqtrade's test_calc_profit ("profit": open rate 2.0, fee_open 0.0025, 10 minutes, interest_rate 0.0005,
     * ADA/USDT), test_calc_open_close_trade_price ("open_close": the limit_order fixture, long 2.0 to 2.2, short 2.2
     * to 2.0, fees 0.0025, 10 minutes) and test_update_limit_order ("limit_order": opened 20:45:00, closed 21:45:05,
     * so binance bills 2 hours of interest, not the 1 its docstring works out). Columns: freqtrade test, exchange,
     * is_short, leverage, trading mode, open rate, close rate, fee_open, fee_close, seconds held, funding_fees,
     * freqtrade's profit (close_profit_abs or calc_profit; "-" where the test asserts none) and profit ratio.
     */
    @ParameterizedTest(name = "{0}: {1} short={2} x{3} {4} {5}->{6} fee {8} funding {10}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        "profit | binance | false | 1 | spot | 2.0 | 2.1 | 0.0025 | 0.0025 | 600 | 0 | 2.6925 | 0.044763092",
        "profit | binance | false | 3 | margin | 2.0 | 2.1 | 0.0025 | 0.0025 | 600 | 0 | 2.69166667 | 0.134247714",
        "profit | binance | true | 1 | margin | 2.0 | 2.1 | 0.0025 | 0.0025 | 600 | 0 | -3.3088157 | -0.055285142",
        "profit | binance | true | 3 | margin | 2.0 | 2.1 | 0.0025 | 0.0025 | 600 | 0 | -3.3088157 | -0.16585542",
        "profit | binance | false | 1 | margin | 2.0 | 1.9 | 0.0025 | 0.0025 | 600 | 0 | -3.2925 | -0.054738154",
        "profit | binance | false | 3 | margin | 2.0 | 1.9 | 0.0025 | 0.0025 | 600 | 0 | -3.29333333 | -0.164256026",
        "profit | binance | true | 1 | margin | 2.0 | 1.9 | 0.0025 | 0.0025 | 600 | 0 | 2.70630953 | 0.0452182043",
        "profit | binance | true | 3 | margin | 2.0 | 1.9 | 0.0025 | 0.0025 | 600 | 0 | 2.70630953 | 0.135654613",
        "profit | binance | false | 1 | margin | 2.0 | 2.2 | 0.0025 | 0.0025 | 600 | 0 | 5.685 | 0.09451371",
        "profit | binance | false | 3 | margin | 2.0 | 2.2 | 0.0025 | 0.0025 | 600 | 0 | 5.68416667 | 0.28349958",
        "profit | binance | true | 1 | margin | 2.0 | 2.2 | 0.0025 | 0.0025 | 600 | 0 | -6.3163784 | -0.10553681",
        "profit | binance | true | 3 | margin | 2.0 | 2.2 | 0.0025 | 0.0025 | 600 | 0 | -6.3163784 | -0.31661044",
        "profit | kraken | false | 1 | spot | 2.0 | 2.1 | 0.0025 | 0.0025 | 600 | 0 | 2.6925 | 0.044763092",
        "profit | kraken | false | 3 | margin | 2.0 | 2.1 | 0.0025 | 0.0025 | 600 | 0 | 2.6525 | 0.132294264",
        "profit | kraken | true | 1 | margin | 2.0 | 2.1 | 0.0025 | 0.0025 | 600 | 0 | -3.3706575 | -0.056318421",
        "profit | kraken | true | 3 | margin | 2.0 | 2.1 | 0.0025 | 0.0025 | 600 | 0 | -3.3706575 | -0.168955263",
        "profit | kraken | false | 1 | margin | 2.0 | 1.9 | 0.0025 | 0.0025 | 600 | 0 | -3.2925 | -0.054738154",
        "profit | kraken | false | 3 | margin | 2.0 | 1.9 | 0.0025 | 0.0025 | 600 | 0 | -3.3325 | -0.166209476",
        "profit | kraken | true | 1 | margin | 2.0 | 1.9 | 0.0025 | 0.0025 | 600 | 0 | 2.6503575 | 0.044283333",
        "profit | kraken | true | 3 | margin | 2.0 | 1.9 | 0.0025 | 0.0025 | 600 | 0 | 2.6503575 | 0.132850000",
        "profit | kraken | false | 1 | margin | 2.0 | 2.2 | 0.0025 | 0.0025 | 600 | 0 | 5.685 | 0.09451371",
        "profit | kraken | false | 3 | margin | 2.0 | 2.2 | 0.0025 | 0.0025 | 600 | 0 | 5.645 | 0.28154613",
        "profit | kraken | true | 1 | margin | 2.0 | 2.2 | 0.0025 | 0.0025 | 600 | 0 | -6.381165 | -0.1066192",
        "profit | kraken | true | 3 | margin | 2.0 | 2.2 | 0.0025 | 0.0025 | 600 | 0 | -6.381165 | -0.3198578",
        "profit | binance | false | 1 | spot | 2.0 | 2.1 | 0.0025 | 0.003 | 600 | 0 | 2.66100000 | 0.044239401",
        "profit | binance | false | 1 | spot | 2.0 | 1.9 | 0.0025 | 0.003 | 600 | 0 | -3.3209999 | -0.055211970",
        "profit | binance | false | 1 | spot | 2.0 | 2.2 | 0.0025 | 0.003 | 600 | 0 | 5.6520000 | 0.093965087",
        "profit | binance | false | 1 | futures | 2.0 | 2.1 | 0.0025 | 0.0025 | 600 | 1 | 3.6925 | 0.06138819",
        "profit | binance | false | 3 | futures | 2.0 | 2.1 | 0.0025 | 0.0025 | 600 | 1 | 3.6925 | 0.18416458",
        "profit | binance | true | 1 | futures | 2.0 | 2.1 | 0.0025 | 0.0025 | 600 | 1 | -2.3074999 | -0.03855472",
        "profit | binance | true | 3 | futures | 2.0 | 2.1 | 0.0025 | 0.0025 | 600 | 1 | -2.3074999 | -0.11566416",
        "profit | binance | false | 1 | futures | 2.0 | 1.9 | 0.0025 | 0.0025 | 600 | 1 | -2.2925 | -0.03811305",
        "profit | binance | false | 3 | futures | 2.0 | 1.9 | 0.0025 | 0.0025 | 600 | 1 | -2.2925 | -0.11433915",
        "profit | binance | true | 1 | futures | 2.0 | 1.9 | 0.0025 | 0.0025 | 600 | 1 | 3.7075 | 0.06194653",
        "profit | binance | true | 3 | futures | 2.0 | 1.9 | 0.0025 | 0.0025 | 600 | 1 | 3.7075 | 0.18583959",
        "profit | binance | false | 1 | futures | 2.0 | 2.2 | 0.0025 | 0.0025 | 600 | 1 | 6.685 | 0.11113881",
        "profit | binance | false | 3 | futures | 2.0 | 2.2 | 0.0025 | 0.0025 | 600 | 1 | 6.685 | 0.33341645",
        "profit | binance | true | 1 | futures | 2.0 | 2.2 | 0.0025 | 0.0025 | 600 | 1 | -5.315 | -0.08880534",
        "profit | binance | true | 3 | futures | 2.0 | 2.2 | 0.0025 | 0.0025 | 600 | 1 | -5.315 | -0.26641604",
        "profit | binance | false | 1 | futures | 2.0 | 2.1 | 0.0025 | 0.0025 | 600 | -1 | 1.6925 | 0.02813798",
        "profit | binance | false | 3 | futures | 2.0 | 2.1 | 0.0025 | 0.0025 | 600 | -1 | 1.6925 | 0.08441396",
        "profit | binance | true | 1 | futures | 2.0 | 2.1 | 0.0025 | 0.0025 | 600 | -1 | -4.307499 | -0.07197159",
        "profit | binance | true | 3 | futures | 2.0 | 2.1 | 0.0025 | 0.0025 | 600 | -1 | -4.307499 | -0.21591478",
        "profit | binance | false | 1 | futures | 2.0 | 1.9 | 0.0025 | 0.0025 | 600 | -1 | -4.292499 | -0.07136325",
        "profit | binance | false | 3 | futures | 2.0 | 1.9 | 0.0025 | 0.0025 | 600 | -1 | -4.292499 | -0.21408977",
        "profit | binance | true | 1 | futures | 2.0 | 1.9 | 0.0025 | 0.0025 | 600 | -1 | 1.7075 | 0.02852965",
        "profit | binance | true | 3 | futures | 2.0 | 1.9 | 0.0025 | 0.0025 | 600 | -1 | 1.7075 | 0.08558897",
        "profit | binance | false | 1 | futures | 2.0 | 2.2 | 0.0025 | 0.0025 | 600 | -1 | 4.684999 | 0.07788861",
        "profit | binance | false | 3 | futures | 2.0 | 2.2 | 0.0025 | 0.0025 | 600 | -1 | 4.684999 | 0.23366583",
        "profit | binance | true | 1 | futures | 2.0 | 2.2 | 0.0025 | 0.0025 | 600 | -1 | -7.315 | -0.12222222",
        "profit | binance | true | 3 | futures | 2.0 | 2.2 | 0.0025 | 0.0025 | 600 | -1 | -7.315 | -0.36666666",
        "profit | binance | false | 1 | futures | 2.0 | 2.1 | 0.0025 | 0.0025 | 600 | 0 | 2.6925 | 0.04476309",
        "profit | binance | false | 3 | futures | 2.0 | 2.1 | 0.0025 | 0.0025 | 600 | 0 | 2.6925 | 0.13428928",
        "profit | binance | true | 1 | futures | 2.0 | 2.1 | 0.0025 | 0.0025 | 600 | 0 | -3.3074999 | -0.05526316",
        "profit | binance | true | 3 | futures | 2.0 | 2.1 | 0.0025 | 0.0025 | 600 | 0 | -3.3074999 | -0.16578947",
        "profit | binance | false | 1 | futures | 2.0 | 1.9 | 0.0025 | 0.0025 | 600 | 0 | -3.2925 | -0.05473815",
        "profit | binance | false | 3 | futures | 2.0 | 1.9 | 0.0025 | 0.0025 | 600 | 0 | -3.2925 | -0.16421446",
        "profit | binance | true | 1 | futures | 2.0 | 1.9 | 0.0025 | 0.0025 | 600 | 0 | 2.7075 | 0.0452381",
        "profit | binance | true | 3 | futures | 2.0 | 1.9 | 0.0025 | 0.0025 | 600 | 0 | 2.7075 | 0.13571429",
        "open_close | binance | false | 1 | spot | 2.0 | 2.2 | 0.0025 | 0.0025 | 600 | 0 | 5.685 | 0.09451371",
        "open_close | binance | true | 1 | margin | 2.2 | 2.0 | 0.0025 | 0.0025 | 600 | 0 | 5.68374687 | 0.08633321",
        "open_close | binance | false | 3 | margin | 2.0 | 2.2 | 0.0025 | 0.0025 | 600 | 0 | 5.68416667 | 0.28349958",
        "open_close | binance | true | 3 | margin | 2.2 | 2.0 | 0.0025 | 0.0025 | 600 | 0 | 5.68374687 | 0.25899963",
        "open_close | kraken | false | 1 | spot | 2.0 | 2.2 | 0.0025 | 0.0025 | 600 | 0 | 5.685 | 0.09451371",
        "open_close | kraken | true | 1 | margin | 2.2 | 2.0 | 0.0025 | 0.0025 | 600 | 0 | 5.62485 | 0.0854386",
        "open_close | kraken | false | 3 | margin | 2.0 | 2.2 | 0.0025 | 0.0025 | 600 | 0 | 5.645 | 0.28154613",
        "open_close | kraken | true | 3 | margin | 2.2 | 2.0 | 0.0025 | 0.0025 | 600 | 0 | 5.62485 | 0.25631579",
        "open_close | binance | false | 1 | futures | 2.0 | 2.2 | 0.0025 | 0.0025 | 600 | 0 | 5.685 | 0.09451371",
        "open_close | binance | false | 1 | futures | 2.0 | 2.2 | 0.0025 | 0.0025 | 600 | 1 | 6.685 | 0.11113881",
        "open_close | binance | true | 1 | futures | 2.2 | 2.0 | 0.0025 | 0.0025 | 600 | 0 | 5.685 | 0.08635224",
        "open_close | binance | true | 1 | futures | 2.2 | 2.0 | 0.0025 | 0.0025 | 600 | -1 | 4.685 | 0.07116276",
        "open_close | binance | true | 3 | futures | 2.2 | 2.0 | 0.0025 | 0.0025 | 600 | 1 | 6.685 | 0.3046252",
        "open_close | binance | false | 3 | futures | 2.0 | 2.2 | 0.0025 | 0.0025 | 600 | -1 | 4.685 | 0.23366583",
        "limit_order | binance | false | 1 | spot | 2.0 | 2.2 | 0.0025 | 0.0025 | 3605 | 0 | - | 0.09451372",
        "limit_order | binance | true | 3 | margin | 2.2 | 2.0 | 0.0025 | 0.0025 | 3605 | 0 | - | 0.25894253",
    })
    void shouldReproduceFreqtradesProfitWhenOneEntryIsClosedByOneExit(
        final String freqtradeTest,
        final String exchange,
        final boolean isShort,
        final String leverage,
        final String tradingMode,
        final String openRate,
        final String closeRate,
        final String feeOpen,
        final String feeClose,
        final long seconds,
        final String fundingFees,
        final String freqtradeProfit,
        final String freqtradeRatio) throws SQLException
    {
        final BigDecimal amount = new BigDecimal("30");
        final BigDecimal open = new BigDecimal(openRate);
        final BigDecimal close = new BigDecimal(closeRate);
        final BigDecimal openFee = amount.multiply(open).multiply(new BigDecimal(feeOpen));
        final BigDecimal closeFee = amount.multiply(close).multiply(new BigDecimal(feeClose));
        final String source = "calc-" + freqtradeTest;
        final long tradeId = TRADE_IDS.incrementAndGet();
        fixture.trade(source, tradeId).exchange(exchange).isShort(isShort).leverage(leverage)
            .tradingMode(tradingMode).interestRate("0.0005").fundingFees(fundingFees).insert()
            .fill(isShort ? "sell" : "buy", openRate, "30", openFee.toPlainString(), 0)
            .fill(isShort ? "buy" : "sell", closeRate, "30", closeFee.toPlainString(), seconds);

        // freqtrade's docstring formulas: open value = amount x open rate -/+ open fee; close value = amount x close
        // rate -/+ close fee, a long's interest subtracted, a short buying back amount + interest coins at the close
        // rate and fee, funding fees added for a long and subtracted for a short; profit = close - open (long) or
        // open - close (short); ratio = profit / open value x leverage (calc_profit_ratio).
        final BigDecimal lev = new BigDecimal(leverage);
        final BigDecimal interest = interest(exchange, isShort, lev, tradingMode, amount.multiply(open),
            amount.multiply(close).add(closeFee), seconds);
        final BigDecimal funding = new BigDecimal(fundingFees);
        final BigDecimal profit;
        final BigDecimal openValue;
        if (isShort)
        {
            openValue = amount.multiply(open).subtract(openFee);
            profit = openValue.subtract(amount.multiply(close).add(closeFee).add(interest).subtract(funding));
        }
        else
        {
            openValue = amount.multiply(open).add(openFee);
            profit = amount.multiply(close).subtract(closeFee).subtract(interest).add(funding).subtract(openValue);
        }
        final BigDecimal ratio = quotient(profit.multiply(lev), openValue);

        final Map<String, Object> ledger = fixture.ledger(source, tradeId);
        assertExact(profit, decimal(ledger, "realized_profit"), "realized_profit");
        assertExact(ratio, decimal(ledger, "close_profit_ratio"), "close_profit_ratio");
        assertExact(interest, decimal(ledger, "interest"), "interest");
        assertExact(openFee, decimal(ledger, "fee_open"), "fee_open");
        assertExact(closeFee, decimal(ledger, "fee_close"), "fee_close");
        assertExact(BigDecimal.ZERO, decimal(ledger, "amount"), "amount");
        assertExact(close, decimal(ledger, "close_rate"), "close_rate");
        assertEquals(false, ledger.get("is_open"));
        if (null != freqtradeProfit)
        {
            assertApprox(new BigDecimal(freqtradeProfit), decimal(ledger, "realized_profit"), "freqtrade's profit");
        }
        assertApprox(new BigDecimal(freqtradeRatio), decimal(ledger, "close_profit_ratio"), "freqtrade's ratio");
    }

    static Stream<Arguments> freqtradeDcaCases()
    {
        // freqtrade's test_recalc_trade_from_orders_dca, its five parameter sets, in the version whose close_profit is
        // the realized profit so far over the total stake (trade_model.py: close_profit_abs / total_stake x leverage).
        // Each step: side, amount, price; then freqtrade's amount, open_rate, stake_amount, realized_profit,
        // close_profit_abs (the exit's profit) and close_profit after it. Spot, leverage 1, ETH/USDT, fees as rates.
        // On an entry after an exit freqtrade still shows the last exit's close_profit_abs; the ledger's exit_profit
        // is null for an entry, written "-". One difference, on the last step of each: freqtrade leaves amount and
        // stake_amount as they were before the exit that closes the trade (its recalculation skips them once the
        // amount is 0); the ledger says 0.
        return Stream.of(
            Arguments.of("set 1, no fee", "0", new String[][] {
                { "buy 100 10", "100 10 1000 0 - -" },
                { "buy 100 15", "200 12.5 2500 0 - -" },
                { "sell 50 12", "150 12.5 1875 -25 -25 -0.01" },
                { "sell 100 20", "50 12.5 625 725 750 0.29" },
                { "sell 50 5", "0 12.5 0 350 -375 0.14" },
            }),
            Arguments.of("set 2, fee 0.0025", "0.0025", new String[][] {
                { "buy 100 10", "100 10 1000 0 - -" },
                { "buy 100 15", "200 12.5 2500 0 - -" },
                { "sell 50 12", "150 12.5 1875 -28.0625 -28.0625 -0.011197" },
                { "sell 100 20", "50 12.5 625 713.8125 741.875 0.2848129" },
                { "sell 50 5", "0 12.5 0 336.625 -377.1875 0.1343142" },
            }),
            Arguments.of("set 3, fee 0.0025", "0.0025", new String[][] {
                { "buy 100 3", "100 3 300 0 - -" },
                { "buy 100 7", "200 5 1000 0 - -" },
                { "sell 100 11", "100 5 500 596 596 0.5945137" },
                { "buy 150 15", "250 11 2750 596 - 0.5945137" },
                { "sell 100 19", "150 11 1650 1388.5 792.5 0.4261653" },
                { "sell 150 23", "0 11 0 3175.75 1787.25 0.9747170" },
            }),
            Arguments.of("set 4, no fee", "0", new String[][] {
                { "buy 100 3", "100 3 300 0 - -" },
                { "buy 100 7", "200 5 1000 0 - -" },
                { "sell 100 11", "100 5 500 600 600 0.6" },
                { "buy 150 15", "250 11 2750 600 - 0.6" },
                { "sell 100 19", "150 11 1650 1400 800 0.43076923" },
                { "sell 150 23", "0 11 0 3200 1800 0.98461538" },
            }),
            Arguments.of("set 5, no fee", "0", new String[][] {
                { "buy 100 8", "100 8 800 0 - -" },
                { "buy 100 9", "200 8.5 1700 0 - -" },
                { "sell 100 10", "100 8.5 850 150 150 0.08823529" },
                { "buy 150 11", "250 10 2500 150 - 0.08823529" },
                { "sell 100 12", "150 10 1500 350 200 0.1044776" },
                { "sell 150 14", "0 10 0 950 600 0.283582" },
            }));
    }

    @ParameterizedTest(name = "test_recalc_trade_from_orders_dca {0}")
    @MethodSource("freqtradeDcaCases")
    void shouldReproduceFreqtradesDcaStepByStepWhenEntriesAndPartialExitsAlternate(
        final String name, final String feeRate, final String[][] steps) throws SQLException
    {
        final String source = "dca";
        final long tradeId = TRADE_IDS.incrementAndGet();
        final LedgerFixture.TradeRow trade = fixture.trade(source, tradeId).pair("ETH/USDT").insert();
        BigDecimal totalStake = BigDecimal.ZERO;
        BigDecimal stakeAtLastExit = BigDecimal.ZERO;
        for (int i = 0; i < steps.length; i++)
        {
            final String[] order = steps[i][0].split(" ");
            final BigDecimal cost = new BigDecimal(order[1]).multiply(new BigDecimal(order[2]));
            final BigDecimal fee = cost.multiply(new BigDecimal(feeRate));
            trade.fill(order[0], order[2], order[1], fee.toPlainString(), 3600L * i);
            if ("buy".equals(order[0]))
            {
                totalStake = totalStake.add(cost).add(fee);
            }
            else
            {
                stakeAtLastExit = totalStake;
            }

            final Map<String, Object> step = fixture.steps(source, tradeId).get(i);
            final String[] expected = steps[i][1].split(" ");
            final String at = name + ", after " + steps[i][0];
            assertExact(new BigDecimal(expected[0]), decimal(step, "amount"), at + ": amount");
            assertExact(new BigDecimal(expected[1]), decimal(step, "open_rate"), at + ": open_rate");
            assertExact(new BigDecimal(expected[2]), decimal(step, "stake_amount"), at + ": stake_amount");
            final BigDecimal realized = new BigDecimal(expected[3]);
            assertExact(realized, decimal(step, "realized_profit"), at + ": realized_profit");
            if ("-".equals(expected[4]))
            {
                assertNull(step.get("exit_profit"), at + ": an entry books no profit");
            }
            else
            {
                assertExact(new BigDecimal(expected[4]), decimal(step, "exit_profit"), at + ": exit profit");
            }
            if ("-".equals(expected[5]))
            {
                assertNull(step.get("close_profit_ratio"), at + ": no exit yet");
            }
            else
            {
                assertExact(quotient(realized, stakeAtLastExit), decimal(step, "close_profit_ratio"), at + ": ratio");
                assertApprox(new BigDecimal(expected[5]), decimal(step, "close_profit_ratio"),
                    at + ": freqtrade's ratio");
            }
        }
        final Map<String, Object> ledger = fixture.ledger(source, tradeId);
        assertEquals(false, ledger.get("is_open"));
        assertEquals(steps[steps.length - 1][1].split(" ")[3],
            decimal(ledger, "realized_profit").stripTrailingZeros().toPlainString(), "end_profit");
    }

    @Test
    void shouldAverageDcaEntriesExactlyAndCloseToTheSameProfitHoweverTheExitIsSplit() throws SQLException
    {
        // freqtrade's test_recalc_trade_from_orders: market buys of 100 at 1, 125 at 0.9 and 150 at 0.85, fee 0.25%
        // of each; it expects open_rate (100 + 112.5 + 127.5) / 375, amount 375, stake 340, fee_open_cost
        // 0.25 + 0.28125 + 0.31875 = 0.85 and open_trade_value 340.85. Its exit (at open_rate + 0.95) has no finite
        // decimal price, so the exits here are ours: all 375 at 1.2 with a 0.25% fee of 1.125, profit
        // 450 - 340 - 0.85 - 1.125 = 108.025, or 100 then 275 at 1.2, which must come to the same 108.025.
        final long whole = TRADE_IDS.incrementAndGet();
        final long split = TRADE_IDS.incrementAndGet();
        for (final long tradeId : new long[] { whole, split })
        {
            fixture.trade("recalc", tradeId).insert()
                .fill("buy", "1", "100", "0.25", 0)
                .fill("buy", "0.9", "125", "0.28125", 3600)
                .fill("buy", "0.85", "150", "0.31875", 7200);
            final Map<String, Object> open = fixture.ledger("recalc", tradeId);
            assertExact(quotient(new BigDecimal("340"), new BigDecimal("375")), decimal(open, "open_rate"),
                "open_rate");
            assertEquals("0.906666666666666666666666666667", decimal(open, "open_rate").toPlainString());
            assertExact(new BigDecimal("375"), decimal(open, "amount"), "amount");
            assertExact(new BigDecimal("340"), decimal(open, "stake_amount"), "stake_amount");
            assertExact(new BigDecimal("0.85"), decimal(open, "fee_open"), "fee_open");
            assertExact(new BigDecimal("340.85"), decimal(open, "stake_amount").add(decimal(open, "fee_open")),
                "open_trade_value");
        }
        fixture.trade("recalc", whole).fill("sell", "1.2", "375", "1.125", 10_800);
        fixture.trade("recalc", split).fill("sell", "1.2", "100", "0.3", 10_800).fill("sell", "1.2", "275", "0.825",
            14_400);

        for (final long tradeId : new long[] { whole, split })
        {
            final Map<String, Object> closed = fixture.ledger("recalc", tradeId);
            assertExact(new BigDecimal("108.025"), decimal(closed, "realized_profit"), "realized_profit");
            assertExact(quotient(new BigDecimal("108.025"), new BigDecimal("340.85")),
                decimal(closed, "close_profit_ratio"), "ratio");
            assertExact(new BigDecimal("1.125"), decimal(closed, "fee_close"), "fee_close");
            assertEquals(false, closed.get("is_open"));
        }
        // The split's first exit carries 100/375 of the cost, a quotient: 90.666...667 at the 30th decimal.
        final Map<String, Object> firstExit = fixture.steps("recalc", split).get(3);
        assertEquals("90.666666666666666666666666666667", decimal(firstExit, "exit_cost").toPlainString());
    }

    @Test
    void shouldBookFundingFeesOnTheClosingExitOfAFuturesTrade() throws SQLException
    {
        // Hand-computed. Futures long, leverage 5, BTC/USDT:USDT, funding_fees -1.2 (paid) on the trade:
        //   buy 10 at 100, fee 0.5        cost 1000, stake 1000 / 5 = 200, total stake 1000.5
        //   sell 4 at 110, fee 0.22       carries 400 of the cost and 0.2 of the fee: 440 - 400 - 0.2 - 0.22 = 39.58
        //                                 open: 6, stake 600 / 5 = 120; no funding yet (the trade is still open)
        //   sell 6 at 90, fee 0.27        540 - 600 - 0.3 - 0.27 = -60.57, and the funding fees: -61.77
        //   realized 39.58 - 61.77 = -22.19; ratio -22.19 x 5 / 1000.5; close rate (440 + 540) / 10 = 98
        final long tradeId = TRADE_IDS.incrementAndGet();
        final LedgerFixture.TradeRow trade = fixture.trade("futures", tradeId).pair("BTC/USDT:USDT")
            .tradingMode("futures").leverage("5").fundingFees("-1.2").insert()
            .fill("buy", "100", "10", "0.5", "USDT", 0)
            .fill("sell", "110", "4", "0.22", "USDT", 3600);

        final Map<String, Object> open = fixture.ledger("futures", tradeId);
        assertExact(new BigDecimal("39.58"), decimal(open, "realized_profit"), "realized while open");
        assertExact(BigDecimal.ZERO, decimal(open, "funding_fees"), "no funding fees before the close");
        assertExact(new BigDecimal("120"), decimal(open, "stake_amount"), "stake_amount");
        assertExact(new BigDecimal("100"), decimal(open, "open_rate"), "open_rate");
        assertEquals(true, open.get("is_open"));
        assertEquals("USDT", open.get("stake_currency"));

        trade.fill("sell", "90", "6", "0.27", "USDT", 7200);
        final Map<String, Object> closed = fixture.ledger("futures", tradeId);
        assertExact(new BigDecimal("-22.19"), decimal(closed, "realized_profit"), "realized_profit");
        assertEquals("-0.110894552723638180909545227386", decimal(closed, "close_profit_ratio").toPlainString());
        assertExact(new BigDecimal("-1.2"), decimal(closed, "funding_fees"), "funding_fees");
        assertExact(new BigDecimal("98"), decimal(closed, "close_rate"), "close_rate");
        assertExact(new BigDecimal("0.5"), decimal(closed, "fee_open"), "fee_open");
        assertExact(new BigDecimal("0.49"), decimal(closed, "fee_close"), "fee_close");
        assertExact(new BigDecimal("200"), decimal(closed, "max_stake_amount"), "max_stake_amount");
        assertEquals(false, closed.get("is_open"));
        assertEquals(LedgerFixture.T0.plusSeconds(7200), ((java.sql.Timestamp)closed.get("close_time")).toInstant());
    }

    @Test
    void shouldShowTheLedgerBesideWhatTheStrategyStatedInTheTradeOverview() throws SQLException
    {
        // The futures trade of shouldBookFundingFeesOnTheClosingExitOfAFuturesTrade (realized -22.19), with the stop
        // loss, max/min rate and exit reason its TradeUpdate events carry (V6's trade_overview).
        final long tradeId = TRADE_IDS.incrementAndGet();
        fixture.trade("overview", tradeId).pair("BTC/USDT:USDT").tradingMode("futures").leverage("5")
            .fundingFees("-1.2").insert()
            .fill("buy", "100", "10", "0.5", "USDT", 0)
            .fill("sell", "110", "4", "0.22", "USDT", 3600)
            .fill("sell", "90", "6", "0.27", "USDT", 7200);
        fixture.rows("UPDATE trades SET stop_loss = 91.5, initial_stop_loss = 90, max_rate = 112.25, " +
            "min_rate = 89.5, exit_reason = 'stop_loss', is_open = false " +
            "WHERE source_id = 'overview' AND trade_id = ? RETURNING trade_id", tradeId);

        final List<Map<String, Object>> rows = fixture.rows(
            "SELECT *, extract(epoch FROM duration)::bigint AS duration_s FROM trade_overview WHERE source_id = ? " +
            "AND trade_id = ?", "overview", tradeId);
        assertEquals(1, rows.size());
        final Map<String, Object> overview = rows.get(0);
        assertExact(new BigDecimal("-22.19"), decimal(overview, "realized_profit"), "realized_profit");
        assertExact(new BigDecimal("98"), decimal(overview, "close_rate"), "close_rate");
        assertExact(new BigDecimal("91.5"), decimal(overview, "stop_loss"), "stop_loss");
        assertExact(new BigDecimal("90"), decimal(overview, "initial_stop_loss"), "initial_stop_loss");
        assertExact(new BigDecimal("112.25"), decimal(overview, "max_rate"), "max_rate");
        assertExact(new BigDecimal("89.5"), decimal(overview, "min_rate"), "min_rate");
        assertEquals("stop_loss", overview.get("exit_reason"));
        assertEquals(false, overview.get("is_open"));
        assertEquals(7200L, ((Number)overview.get("duration_s")).longValue(), "from the open to the closing fill");
    }

    @Test
    void shouldChargeMarginInterestPerExitOfAShortOverTheHoursItWasBorrowed() throws SQLException
    {
        // Hand-computed. Margin short on binance, leverage 3, interest_rate 0.0005 a day, billed per started hour:
        //   sell 10 at 50, fee 0.5 (T0); sell 10 at 40, fee 0.4 (T0 + 1 h)
        //       cost 900, amount 20, average 45, entry fees 0.9, total stake 900 - 0.9 = 899.1
        //   buy 5 at 30, fee 0.15, at T0 + 2 h 30 min: 3 hours billed on the 5 coins bought back, paid at the exit
        //       price and fee rate: 0.0005 x 3 x (150 + 0.15) / 24 = 0.009384375
        //       profit (225 - 150) - 0.225 - 0.15 - 0.009384375 = 74.615615625
        //   buy 15 at 35, fee 0.525, at T0 + 25 h: 0.0005 x 25 x (525 + 0.525) / 24 = 0.2737109375
        //       profit (675 - 525) - 0.675 - 0.525 - 0.2737109375 = 148.5262890625
        //   realized 223.1419046875, ratio 223.1419046875 x 3 / 899.1, close rate (150 + 525) / 20 = 33.75
        final long tradeId = TRADE_IDS.incrementAndGet();
        fixture.trade("margin", tradeId).pair("ETH/USDT").isShort(true).tradingMode("margin").leverage("3")
            .interestRate("0.0005").insert()
            .fill("sell", "50", "10", "0.5", 0)
            .fill("sell", "40", "10", "0.4", 3600)
            .fill("buy", "30", "5", "0.15", 9000)
            .fill("buy", "35", "15", "0.525", 90_000);

        final List<Map<String, Object>> steps = fixture.steps("margin", tradeId);
        assertExact(new BigDecimal("45"), decimal(steps.get(1), "open_rate"), "open_rate");
        assertExact(new BigDecimal("0.009384375"), decimal(steps.get(2), "interest"), "first exit's interest");
        assertExact(new BigDecimal("74.615615625"), decimal(steps.get(2), "exit_profit"), "first exit");
        assertExact(new BigDecimal("225"), decimal(steps.get(2), "stake_amount"), "stake after the first exit");
        assertExact(new BigDecimal("0.2737109375"), decimal(steps.get(3), "interest"), "second exit's interest");
        assertExact(new BigDecimal("148.5262890625"), decimal(steps.get(3), "exit_profit"), "second exit");

        final Map<String, Object> ledger = fixture.ledger("margin", tradeId);
        assertExact(new BigDecimal("223.1419046875"), decimal(ledger, "realized_profit"), "realized_profit");
        assertExact(quotient(new BigDecimal("669.4257140625"), new BigDecimal("899.1")),
            decimal(ledger, "close_profit_ratio"), "ratio");
        assertExact(new BigDecimal("0.2830953125"), decimal(ledger, "interest"), "interest");
        assertExact(new BigDecimal("33.75"), decimal(ledger, "close_rate"), "close_rate");
        assertEquals(false, ledger.get("is_open"));
    }

    @Test
    void shouldConvertABaseCurrencyFeeAtTheFillPriceAndLeaveOtherCurrenciesOut() throws SQLException
    {
        // Hand-computed. Spot BTC/USDT: buy 1 at 100 paying 0.001 BTC (freqtrade's fee in base currency: the amount
        // received is 0.999, the fee worth 0.001 x 100 = 0.1 USDT); sell 0.999 at 110 paying 0.10989 USDT:
        // profit 109.89 - 99.9 - 0.1 - 0.10989 = 9.78011, ratio 9.78011 / (99.9 + 0.1) = 0.0978011.
        final long tradeId = TRADE_IDS.incrementAndGet();
        fixture.trade("fees", tradeId).pair("BTC/USDT").insert()
            .fill("buy", "100", "1", "0.001", "BTC", 0)
            .fill("sell", "110", "0.999", "0.10989", "USDT", 3600);
        final Map<String, Object> ledger = fixture.ledger("fees", tradeId);
        assertExact(new BigDecimal("0.999"), decimal(ledger, "entry_amount"), "entry_amount");
        assertExact(new BigDecimal("0.1"), decimal(ledger, "fee_open"), "fee_open");
        assertExact(new BigDecimal("100"), decimal(ledger, "open_rate"), "open_rate");
        assertExact(new BigDecimal("9.78011"), decimal(ledger, "realized_profit"), "realized_profit");
        assertExact(new BigDecimal("0.0978011"), decimal(ledger, "close_profit_ratio"), "ratio");
        assertEquals(false, ledger.get("is_open"));
        assertEquals(0, ledger.get("unconverted_fee_fills"));

        // A fee paid in BNB cannot be converted from the fills alone: left out, and counted.
        final long bnb = TRADE_IDS.incrementAndGet();
        fixture.trade("fees", bnb).pair("BTC/USDT").insert()
            .fill("buy", "100", "1", "0.0002", "BNB", 0)
            .fill("sell", "110", "1", "0.11", "USDT", 3600);
        final Map<String, Object> withBnb = fixture.ledger("fees", bnb);
        assertExact(new BigDecimal("9.89"), decimal(withBnb, "realized_profit"), "realized_profit");
        assertExact(BigDecimal.ZERO, decimal(withBnb, "fee_open"), "fee_open");
        assertEquals(1, withBnb.get("unconverted_fee_fills"));
    }

    @Test
    void shouldReplayFillsInExchangeTimeOrderOnceEachFindingThemThroughTheirOrder() throws SQLException
    {
        // Hand-computed, no fees. Appended in the order: buy 1 at 20 (T0 + 2 min), sell 1 at 30 (T0 + 3 min),
        // buy 1 at 10 (T0 + 1 min), the sell again (a retried append of the same fill), and a buy of 1 at 40
        // (T0 + 4 min) appended without a trade id, found through its order. By the exchange's clock: average
        // (10 + 20) / 2 = 15, the sell books 30 - 15 = 15, then 1 at 15 and 1 at 40: average 27.5, amount 2.
        // Replayed in append order it would book 30 - 20 = 10.
        final long tradeId = TRADE_IDS.incrementAndGet();
        fixture.trade("order", tradeId).insert();
        fixture.insertFill("order", tradeId, "binance", "ADA/USDT", "f2", "o2", "buy", "20", "1", "0", "USDT",
            LedgerFixture.T0.plusSeconds(120));
        fixture.insertFill("order", tradeId, "binance", "ADA/USDT", "f3", "o3", "sell", "30", "1", "0", "USDT",
            LedgerFixture.T0.plusSeconds(180));
        fixture.insertFill("order", tradeId, "binance", "ADA/USDT", "f1", "o1", "buy", "10", "1", "0", "USDT",
            LedgerFixture.T0.plusSeconds(60));
        fixture.insertFill("order", tradeId, "binance", "ADA/USDT", "f3", "o3", "sell", "30", "1", "0", "USDT",
            LedgerFixture.T0.plusSeconds(180));
        fixture.insertOrder("order", tradeId, "binance", "ADA/USDT", "o4", "buy", false);
        fixture.insertFill("order", null, "binance", "ADA/USDT", "f4", "o4", "buy", "40", "1", "0", "USDT",
            LedgerFixture.T0.plusSeconds(240));

        final List<Map<String, Object>> steps = fixture.steps("order", tradeId);
        assertEquals(4, steps.size(), "the retried fill counts once");
        assertEquals(List.of("f1", "f2", "f3", "f4"), steps.stream().map((s) -> s.get("fill_id")).toList());
        assertExact(new BigDecimal("15"), decimal(steps.get(2), "exit_profit"), "the sell against (10 + 20) / 2");
        assertEquals(false, steps.get(3).get("reduce_only"));
        final Map<String, Object> ledger = fixture.ledger("order", tradeId);
        assertExact(new BigDecimal("2"), decimal(ledger, "amount"), "amount");
        assertExact(new BigDecimal("27.5"), decimal(ledger, "open_rate"), "open_rate");
        assertExact(new BigDecimal("15"), decimal(ledger, "realized_profit"), "realized_profit");
        assertEquals(true, ledger.get("is_open"));
        assertNull(ledger.get("close_time"));
    }

    @Test
    void shouldShowATradeWithoutFillsAndNoTradeThatWasNeverUpdated() throws SQLException
    {
        final long tradeId = TRADE_IDS.incrementAndGet();
        fixture.trade("empty", tradeId).insert();
        final Map<String, Object> ledger = fixture.ledger("empty", tradeId);
        assertEquals(0, ledger.get("entry_fills"));
        assertExact(BigDecimal.ZERO, decimal(ledger, "amount"), "amount");
        assertExact(BigDecimal.ZERO, decimal(ledger, "realized_profit"), "realized_profit");
        assertNull(ledger.get("open_rate"));
        assertNull(ledger.get("close_profit_ratio"));
        assertEquals(true, ledger.get("is_open"), "the trade's own is_open until a fill says otherwise");

        assertTrue(fixture.rows("SELECT * FROM trade_ledger('empty', 999999)").isEmpty());
    }

    @Test
    void shouldUseNoFloatingPointAnywhereInTheLedger() throws SQLException
    {
        final List<Map<String, Object>> floats = fixture.rows("SELECT c.relname, a.attname, " +
            "format_type(a.atttypid, a.atttypmod) AS type FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid " +
            "WHERE c.relname IN ('trade_ledger_step', 'trade_ledger_row', 'realized_pnl_by_strategy') " +
            "AND a.attnum > 0 AND a.atttypid IN ('float4'::regtype, 'float8'::regtype)");
        assertTrue(floats.isEmpty(), floats.toString());
        final List<Map<String, Object>> sources = fixture.rows("SELECT proname FROM pg_proc WHERE proname IN " +
            "('ledger_quotient', 'trade_fills', 'trade_ledger_steps', 'trade_ledger', 'trade_ledger_of') " +
            "AND (prosrc ~* '(double|float|real\\M)' OR pg_get_function_result(oid) ~* '(double|float|real\\M)')");
        assertTrue(sources.isEmpty(), sources.toString());
        assertEquals(5, fixture.rows("SELECT 1 FROM pg_proc WHERE proname IN ('ledger_quotient', 'trade_fills', " +
            "'trade_ledger_steps', 'trade_ledger', 'trade_ledger_of')").size());
    }

    @Test
    void shouldComputeTheLedgerOfFillsAppendedThroughTheJournalAndDrainedByTheAgent() throws Exception
    {
        // freqtrade's test_update_limit_order, spot: buy 30 ADA at 2.0 (fee 0.25%: 0.15 USDT), sell 30 at 2.2 (fee
        // 0.165) an hour later; close_profit 0.09451372, profit (66 - 0.165) - (60 + 0.15) = 5.685. Plus a second
        // trade left open (buy 10 at 2.0, fee 0.05), so the source has one open and one closed trade.
        final String source = "journal-ledger";
        final long openTimeMs = 1_772_366_400_000L;
        long lastIndex;
        try (TradeJournal journal = ENVIRONMENT.journal(source))
        {
            appendTrade(journal, 1, openTimeMs, true);
            appendOrderAndFill(journal, 1, "o-1", Side.BUY, "2.0", "30", "0.15", openTimeMs);
            appendOrderAndFill(journal, 1, "o-2", Side.SELL, "2.2", "30", "0.165", openTimeMs + 3_600_000L);
            appendTrade(journal, 1, openTimeMs, false);
            appendTrade(journal, 2, openTimeMs, true);
            lastIndex = appendOrderAndFill(journal, 2, "o-3", Side.BUY, "2.0", "10", "0.05", openTimeMs);
        }

        ENVIRONMENT.launch();
        awaitCheckpoint(source, lastIndex);
        ENVIRONMENT.stopAgent();

        final Map<String, Object> closed = fixture.ledger(source, 1);
        assertExact(new BigDecimal("5.685"), decimal(closed, "realized_profit"), "realized_profit");
        assertExact(quotient(new BigDecimal("5.685"), new BigDecimal("60.15")), decimal(closed, "close_profit_ratio"),
            "ratio");
        assertApprox(new BigDecimal("0.09451372"), decimal(closed, "close_profit_ratio"), "freqtrade's ratio");
        assertEquals("2.2", decimal(closed, "close_rate").toPlainString(), "close_rate, as appended");
        assertEquals(false, closed.get("is_open"));

        final List<Map<String, Object>> all = fixture.rows("SELECT * FROM trade_ledger_of(?)", source);
        assertEquals(2, all.size());
        assertEquals(true, all.get(1).get("is_open"));
        assertExact(new BigDecimal("20"), decimal(all.get(1), "stake_amount"), "open trade's stake");

        final Map<String, Object> pnl = fixture.rows("SELECT * FROM realized_pnl_by_strategy WHERE source_id = ?",
            source).get(0);
        assertEquals("momentum", pnl.get("strategy"));
        assertEquals("USDT", pnl.get("stake_currency"));
        assertEquals(2L, pnl.get("trades"));
        assertEquals(1L, pnl.get("closed_trades"));
        assertExact(new BigDecimal("5.685"), decimal(pnl, "realized_profit"), "strategy's realized profit");
        assertExact(new BigDecimal("0.365"), decimal(pnl, "fees"), "strategy's fees");
    }

    private static void appendTrade(
        final TradeJournal journal, final long tradeId, final long openTimeMs, final boolean isOpen)
    {
        final TradeUpdateEvent event = journal.tradeUpdate()
            .tradeId(tradeId).openTimeMs(openTimeMs).strategy("momentum").exchange("binance").pair("ADA/USDT")
            .stakeCurrency("USDT").isShort(false).isOpen(isOpen).tradingMode(TradingMode.SPOT).leverage(1, 0)
            .openRate(20, -1).amount(30, 0).stakeAmount(60, 0);
        if (!isOpen)
        {
            event.closeRate(22, -1).closeTimeMs(openTimeMs + 3_600_000L);
        }
        event.commit();
    }

    private static long appendOrderAndFill(
        final TradeJournal journal,
        final long tradeId,
        final String orderId,
        final Side side,
        final String price,
        final String amount,
        final String fee,
        final long timeMs)
    {
        journal.orderUpdate()
            .exchange("binance").symbol("ADA/USDT").orderId(orderId).clientOrderId("c-" + orderId).tradeId(tradeId)
            .side(side).orderType(OrderType.LIMIT).status(OrderStatus.CLOSED).price(new BigDecimal(price))
            .amount(new BigDecimal(amount)).filled(new BigDecimal(amount)).remaining(0, 0)
            .average(new BigDecimal(price)).exchangeTimeMs(timeMs)
            .commit();
        return journal.fill()
            .exchange("binance").symbol("ADA/USDT").fillId(orderId + "-f").orderId(orderId).tradeId(tradeId)
            .side(side).liquidity(Liquidity.TAKER).price(new BigDecimal(price)).amount(new BigDecimal(amount))
            .feeCost(new BigDecimal(fee)).feeCurrency("USDT").exchangeTimeMs(timeMs)
            .commit();
    }

    private static void awaitCheckpoint(final String source, final long lastIndex) throws Exception
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadlineNs)
        {
            final List<Map<String, Object>> rows =
                fixture.rows("SELECT last_index FROM source_checkpoints WHERE source_id = ?", source);
            if (!rows.isEmpty() && (Long)rows.get(0).get("last_index") >= lastIndex)
            {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(source + " not drained to " + lastIndex + " within 120 s");
    }

    /**
     * Margin interest in the stake currency, by freqtrade's interest(): kraken borrowed x rate x (1 + ceil(hours /
     * 4)), binance borrowed x rate x ceil(hours) / 24. A long borrows the cost x (leverage - 1) / leverage; a short
     * borrows the coins and buys the interest coins back at the close rate and fee, so its interest costs
     * rate x periods x (close value with fee) / 24.
     */
    private static BigDecimal interest(
        final String exchange,
        final boolean isShort,
        final BigDecimal leverage,
        final String tradingMode,
        final BigDecimal entryCost,
        final BigDecimal closeValueWithFee,
        final long seconds)
    {
        if (!"margin".equals(tradingMode) || (!isShort && leverage.compareTo(BigDecimal.ONE) == 0))
        {
            return BigDecimal.ZERO;
        }
        final BigDecimal rate = new BigDecimal("0.0005");
        final boolean kraken = "kraken".equals(exchange);
        final BigDecimal held = BigDecimal.valueOf(seconds);
        final BigDecimal periods = kraken ?
            BigDecimal.ONE.add(held.divide(BigDecimal.valueOf(14_400), 0, RoundingMode.CEILING)) :
            held.divide(BigDecimal.valueOf(3_600), 0, RoundingMode.CEILING);
        final BigDecimal perDay = kraken ? BigDecimal.ONE : BigDecimal.valueOf(24);
        if (isShort)
        {
            return quotient(rate.multiply(periods).multiply(closeValueWithFee), perDay);
        }
        return quotient(entryCost.multiply(leverage.subtract(BigDecimal.ONE)).multiply(rate).multiply(periods),
            leverage.multiply(perDay));
    }

    /**
     * The ledger's quotient: rounded half away from zero at the 30th decimal.
     */
    private static BigDecimal quotient(final BigDecimal dividend, final BigDecimal divisor)
    {
        return dividend.divide(divisor, 30, RoundingMode.HALF_UP);
    }

    private static void assertExact(final BigDecimal expected, final BigDecimal actual, final String what)
    {
        assertTrue(null != actual && expected.compareTo(actual) == 0,
            what + ": expected " + expected.toPlainString() + " but was " +
            (null == actual ? null : actual.toPlainString()));
    }

    /**
     * pytest.approx(actual) == expected, as freqtrade asserts its float results: relative 1e-6.
     */
    private static void assertApprox(final BigDecimal freqtrade, final BigDecimal actual, final String what)
    {
        final BigDecimal tolerance = actual.abs().multiply(PYTEST_APPROX_REL).max(new BigDecimal("1e-12"));
        assertFalse(actual.subtract(freqtrade).abs().compareTo(tolerance) > 0,
            what + ": freqtrade's " + freqtrade.toPlainString() + " vs " + actual.toPlainString());
    }
}
