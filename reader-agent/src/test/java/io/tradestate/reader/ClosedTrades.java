package io.tradestate.reader;

import io.tradestate.codecs.Liquidity;
import io.tradestate.codecs.OrderStatus;
import io.tradestate.codecs.OrderType;
import io.tradestate.codecs.Side;
import io.tradestate.codecs.TradingMode;
import io.tradestate.writer.JournalContext;
import io.tradestate.writer.TradeJournal;
import io.tradestate.writer.TradeUpdateEvent;

import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * Closed trades appended the way a strategy appends them, through {@link TradeJournal} (a TradeUpdate when it opens,
 * an order and a fill to enter, an order and a fill to exit, a TradeUpdate when it closes), then drained by a real
 * {@link ReaderAgent}: the performance metrics' tests read what the product made of them. Fills carry no fee unless
 * given ({@link Trade#entryFee}, {@link Trade#exit(String, String, String)}) and trades no interest or funding fees,
 * so a trade's realized profit is (exit - entry) x amount for a long and (entry - exit) x amount for a short, and its
 * profit ratio that profit x leverage / (entry x amount). A trade may state its stops, liquidation price and exit
 * reason, as freqtrade's trade does: the opening TradeUpdate carries the initial stop as its stop, the closing one the
 * stop at exit.
 */
public final class ClosedTrades
{
    /**
     * The entry price of {@link #profit}'s trades: large, so that a loss never takes the exit price below zero.
     */
    public static final BigDecimal ENTRY = new BigDecimal("1000000");

    private final Path journalRoot;
    private final Map<String, TradeJournal> journals = new LinkedHashMap<>();
    private final Map<String, Long> lastIndexes = new HashMap<>();
    private final Map<String, Long> nextTradeIds = new HashMap<>();

    /**
     * Journals under a root, one per source, opened as trades are appended.
     *
     * @param journalRoot the agent's journal root.
     */
    public ClosedTrades(final Path journalRoot)
    {
        this.journalRoot = journalRoot;
    }

    /**
     * One closed trade, described before it is appended.
     */
    public final class Trade
    {
        private final String sourceId;
        private String strategy;
        private String pair = "BTC/USDT";
        private TradingMode tradingMode = TradingMode.SPOT;
        private boolean isShort;
        private BigDecimal leverage = BigDecimal.ONE;
        private BigDecimal amount = BigDecimal.ONE;
        private BigDecimal entryPrice = ENTRY;
        private BigDecimal exitPrice = ENTRY;
        private Instant openTime;
        private Instant closeTime;
        private BigDecimal entryFee = BigDecimal.ZERO;
        private final List<BigDecimal[]> exits = new ArrayList<>();
        private BigDecimal initialStopLoss;
        private BigDecimal stopLoss;
        private boolean isTrailingStop;
        private BigDecimal liquidationPrice;
        private String exitReason;

        private Trade(final String sourceId)
        {
            this.sourceId = sourceId;
            this.strategy = "strategy-" + sourceId;
        }

        /**
         * @param strategy the strategy's name, by default {@code strategy-<source>}.
         * @return this.
         */
        public Trade strategy(final String strategy)
        {
            this.strategy = strategy;
            return this;
        }

        /**
         * @param pair such as {@code ETH/USDT}; BTC/USDT by default.
         * @return this.
         */
        public Trade pair(final String pair)
        {
            this.pair = pair;
            return this;
        }

        /**
         * @param tradingMode spot by default.
         * @param isShort     whether the trade sells first.
         * @param leverage    such as {@code "3"}.
         * @return this.
         */
        public Trade mode(final TradingMode tradingMode, final boolean isShort, final String leverage)
        {
            this.tradingMode = tradingMode;
            this.isShort = isShort;
            this.leverage = new BigDecimal(leverage);
            return this;
        }

        /**
         * @param amount     the amount entered and exited.
         * @param entryPrice the entry fill's price.
         * @param exitPrice  the exit fill's price.
         * @return this.
         */
        public Trade fills(final String amount, final String entryPrice, final String exitPrice)
        {
            this.amount = new BigDecimal(amount);
            this.entryPrice = new BigDecimal(entryPrice);
            this.exitPrice = new BigDecimal(exitPrice);
            return this;
        }

        /**
         * @param fee the entry fill's fee, in USDT (0 by default).
         * @return this.
         */
        public Trade entryFee(final String fee)
        {
            this.entryFee = new BigDecimal(fee);
            return this;
        }

        /**
         * An exit fill without a fee; once one is given, the exit fills are these instead of one of the whole amount
         * at {@link #fills}'s exit price.
         *
         * @param price  its price.
         * @param amount its amount.
         * @return this.
         */
        public Trade exit(final String price, final String amount)
        {
            return exit(price, amount, "0");
        }

        /**
         * An exit fill, as {@link #exit(String, String)}, with a fee.
         *
         * @param price  its price.
         * @param amount its amount.
         * @param fee    its fee, in USDT.
         * @return this.
         */
        public Trade exit(final String price, final String amount, final String fee)
        {
            exits.add(new BigDecimal[] {new BigDecimal(price), new BigDecimal(amount), new BigDecimal(fee)});
            return this;
        }

        /**
         * @param initialStopLoss the initial stop: the stop of the opening TradeUpdate, and both updates' initial stop.
         * @param stopLoss        the stop of the closing TradeUpdate (the stop at exit).
         * @param isTrailingStop  whether the closing TradeUpdate says the stop trails.
         * @return this.
         */
        public Trade stops(final String initialStopLoss, final String stopLoss, final boolean isTrailingStop)
        {
            this.initialStopLoss = new BigDecimal(initialStopLoss);
            this.stopLoss = new BigDecimal(stopLoss);
            this.isTrailingStop = isTrailingStop;
            return this;
        }

        /**
         * @param liquidationPrice the liquidation price both TradeUpdates carry.
         * @return this.
         */
        public Trade liquidationPrice(final String liquidationPrice)
        {
            this.liquidationPrice = new BigDecimal(liquidationPrice);
            return this;
        }

        /**
         * @param exitReason freqtrade's exit reason, such as {@code stop_loss}, on the closing TradeUpdate.
         * @return this.
         */
        public Trade exitReason(final String exitReason)
        {
            this.exitReason = exitReason;
            return this;
        }

        /**
         * @param openTime  the trade's open time and its entry fill's exchange time.
         * @param closeTime its exit fills' exchange time: the trade's close time in the ledger.
         * @return this.
         */
        public Trade times(final Instant openTime, final Instant closeTime)
        {
            this.openTime = openTime;
            this.closeTime = closeTime;
            return this;
        }

        /**
         * Append the trade to its source's journal.
         *
         * @return the trade's id, 1, 2, ... per source.
         */
        public long append()
        {
            final TradeJournal journal = journals.computeIfAbsent(sourceId, id -> TradeJournal.open(
                new JournalContext().journalRoot(journalRoot).sourceId(id).heartbeatIntervalMs(0)));
            final long tradeId = nextTradeIds.merge(sourceId, 1L, Long::sum);
            final Side entrySide = isShort ? Side.SELL : Side.BUY;
            final Side exitSide = isShort ? Side.BUY : Side.SELL;
            tradeUpdate(journal, tradeId, true);
            fill(journal, tradeId, "e", entrySide, entryPrice, amount, entryFee, openTime);
            if (exits.isEmpty())
            {
                fill(journal, tradeId, "x", exitSide, exitPrice, amount, BigDecimal.ZERO, closeTime);
            }
            for (int i = 0; i < exits.size(); i++)
            {
                final BigDecimal[] exit = exits.get(i);
                fill(journal, tradeId, "x" + i, exitSide, exit[0], exit[1], exit[2], closeTime);
                exitPrice = exit[0];
            }
            lastIndexes.put(sourceId, tradeUpdate(journal, tradeId, false));
            return tradeId;
        }

        private long tradeUpdate(final TradeJournal journal, final long tradeId, final boolean isOpen)
        {
            final TradeUpdateEvent event = journal.tradeUpdate()
                .tradeId(tradeId).openTimeMs(openTime.toEpochMilli()).strategy(strategy).exchange("binance")
                .pair(pair).stakeCurrency("USDT").isShort(isShort).isOpen(isOpen).tradingMode(tradingMode)
                .leverage(leverage).openRate(entryPrice).amount(amount)
                .stakeAmount(entryPrice.multiply(amount).divide(leverage, MathContext.DECIMAL128));
            if (null != initialStopLoss)
            {
                event.initialStopLoss(initialStopLoss).stopLoss(isOpen ? initialStopLoss : stopLoss);
            }
            if (null != liquidationPrice)
            {
                event.liquidationPrice(liquidationPrice);
            }
            if (!isOpen)
            {
                event.closeRate(exitPrice).closeTimeMs(closeTime.toEpochMilli()).isTrailingStop(isTrailingStop);
                if (null != exitReason)
                {
                    event.exitReason(exitReason);
                }
            }
            return event.commit();
        }

        private void fill(
            final TradeJournal journal,
            final long tradeId,
            final String suffix,
            final Side side,
            final BigDecimal price,
            final BigDecimal fillAmount,
            final BigDecimal fee,
            final Instant time)
        {
            final String orderId = sourceId + "-" + tradeId + "-" + suffix;
            journal.orderUpdate()
                .exchange("binance").symbol(pair).orderId(orderId).clientOrderId("c-" + orderId).tradeId(tradeId)
                .side(side).orderType(OrderType.MARKET).status(OrderStatus.CLOSED).price(price).amount(fillAmount)
                .filled(fillAmount).remaining(0, 0).average(price).exchangeTimeMs(time.toEpochMilli())
                .commit();
            journal.fill()
                .exchange("binance").symbol(pair).fillId(orderId + "-f").orderId(orderId).tradeId(tradeId)
                .side(side).liquidity(Liquidity.TAKER).price(price).amount(fillAmount).feeCost(fee)
                .feeCurrency("USDT").exchangeTimeMs(time.toEpochMilli())
                .commit();
        }
    }

    /**
     * A trade of a source, to describe and append.
     *
     * @param sourceId the source (journal folder).
     * @return the trade.
     */
    public Trade trade(final String sourceId)
    {
        return new Trade(sourceId);
    }

    /**
     * A spot long of 1 at {@link #ENTRY} that closes with the given profit: its exit is at {@code ENTRY + profit}.
     *
     * @param sourceId  the source.
     * @param profit    the realized profit, such as {@code "-0.024662"}.
     * @param openTime  when it opens.
     * @param closeTime when it closes.
     * @return the trade's id.
     */
    public long profit(final String sourceId, final String profit, final Instant openTime, final Instant closeTime)
    {
        return trade(sourceId).fills("1", ENTRY.toPlainString(), ENTRY.add(new BigDecimal(profit)).toPlainString())
            .times(openTime, closeTime).append();
    }

    /**
     * Close the journals, run the environment's {@link ReaderAgent} until every source is drained up to its last
     * append, and stop it.
     *
     * @param environment whose journal root these trades were appended to.
     * @throws Exception if the drain does not finish within 120 s.
     */
    public void drain(final AgentTestEnvironment environment) throws Exception
    {
        close();
        environment.launch();
        awaitDrained(environment.dataSource(), TimeUnit.SECONDS.toMillis(120));
        environment.stopAgent();
    }

    /**
     * Close the journals the trades went to, as a strategy that stops would; a later append opens them again.
     */
    public void close()
    {
        journals.values().forEach(TradeJournal::close);
        journals.clear();
    }

    /**
     * Wait until an agent, running anywhere, has committed every source up to its last append.
     *
     * @param dataSource on the agent's database.
     * @param timeoutMs  how long to wait.
     * @throws SQLException         if the checkpoints cannot be read.
     * @throws InterruptedException if interrupted while waiting.
     * @throws AssertionError       if a source is not drained in time.
     */
    public void awaitDrained(final DataSource dataSource, final long timeoutMs)
        throws SQLException, InterruptedException
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        for (final Map.Entry<String, Long> source : lastIndexes.entrySet())
        {
            while (true)
            {
                final List<Map<String, Object>> rows = rows(dataSource,
                    "SELECT last_index FROM source_checkpoints WHERE source_id = ?", source.getKey());
                if (!rows.isEmpty() && (Long)rows.get(0).get("last_index") >= source.getValue())
                {
                    break;
                }
                if (System.nanoTime() > deadlineNs)
                {
                    throw new AssertionError(source.getKey() + " not drained within " + timeoutMs + " ms");
                }
                Thread.sleep(50);
            }
        }
    }

    /**
     * Run a query.
     *
     * @param dataSource where.
     * @param sql        the query, with {@code ?} parameters.
     * @param parameters their values.
     * @return each row as column name to value, in order.
     * @throws SQLException if the query fails.
     */
    public static List<Map<String, Object>> rows(final DataSource dataSource, final String sql,
        final Object... parameters) throws SQLException
    {
        try (Connection connection = dataSource.getConnection();
            PreparedStatement statement = connection.prepareStatement(sql))
        {
            for (int i = 0; i < parameters.length; i++)
            {
                statement.setObject(i + 1, parameters[i]);
            }
            final List<Map<String, Object>> rows = new ArrayList<>();
            try (ResultSet resultSet = statement.executeQuery())
            {
                final ResultSetMetaData meta = resultSet.getMetaData();
                while (resultSet.next())
                {
                    final Map<String, Object> row = new LinkedHashMap<>();
                    for (int column = 1; column <= meta.getColumnCount(); column++)
                    {
                        row.put(meta.getColumnLabel(column), resultSet.getObject(column));
                    }
                    rows.add(row);
                }
            }
            return rows;
        }
    }
}
