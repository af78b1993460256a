package io.tradestate.reader;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Writes trades, orders and fills straight into the version-1 tables, as the drain leaves them, and reads the ledger
 * functions of migration 4 back: many small ledger cases in one database without a journal and an agent per case.
 * Queue indexes are numbered per source in the order rows are written.
 */
final class LedgerFixture
{
    static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

    private static final String INSERT_TRADE = "INSERT INTO trades (source_id, trade_id, queue_index, append_time, " +
        "open_time, strategy, exchange, pair, stake_currency, is_short, is_open, is_trailing_stop, trading_mode, " +
        "leverage, open_rate, amount, stake_amount, interest_rate, funding_fees) VALUES (?, ?, ?, now(), ?, ?, ?, ?, " +
        "?, ?, true, false, ?, ?::numeric, 0, 0, 0, ?::numeric, ?::numeric)";

    private static final String INSERT_FILL = "INSERT INTO fills (source_id, queue_index, append_time, " +
        "append_time_ns, exchange_time, trade_id, exchange, symbol, fill_id, order_id, side, price, amount, " +
        "fee_cost, fee_currency) VALUES (?, ?, now(), 0, ?, ?, ?, ?, ?, ?, ?, ?::numeric, ?::numeric, ?::numeric, ?)";

    private static final String INSERT_ORDER = "INSERT INTO orders (exchange, order_id, source_id, queue_index, " +
        "append_time, append_time_ns, trade_id, symbol, side, order_type, status, reduce_only, amount) VALUES " +
        "(?, ?, ?, ?, now(), 0, ?, ?, ?, 'market', 'closed', ?, 0)";

    private final DataSource dataSource;
    private final Map<String, Long> nextIndexes = new HashMap<>();
    private long fills;

    LedgerFixture(final DataSource dataSource)
    {
        this.dataSource = dataSource;
    }

    /**
     * A trade as its latest TradeUpdate leaves it in {@code trades}: what the ledger takes from it.
     */
    final class TradeRow
    {
        private final String sourceId;
        private final long tradeId;
        private String exchange = "binance";
        private String pair = "ADA/USDT";
        private String stakeCurrency;
        private boolean isShort;
        private String tradingMode = "spot";
        private String leverage = "1";
        private Instant openTime = T0;
        private String interestRate;
        private String fundingFees;

        TradeRow(final String sourceId, final long tradeId)
        {
            this.sourceId = sourceId;
            this.tradeId = tradeId;
        }

        TradeRow exchange(final String exchange)
        {
            this.exchange = exchange;
            return this;
        }

        TradeRow pair(final String pair)
        {
            this.pair = pair;
            return this;
        }

        TradeRow stakeCurrency(final String stakeCurrency)
        {
            this.stakeCurrency = stakeCurrency;
            return this;
        }

        TradeRow isShort(final boolean isShort)
        {
            this.isShort = isShort;
            return this;
        }

        TradeRow tradingMode(final String tradingMode)
        {
            this.tradingMode = tradingMode;
            return this;
        }

        TradeRow leverage(final String leverage)
        {
            this.leverage = leverage;
            return this;
        }

        TradeRow interestRate(final String interestRate)
        {
            this.interestRate = interestRate;
            return this;
        }

        TradeRow fundingFees(final String fundingFees)
        {
            this.fundingFees = fundingFees;
            return this;
        }

        TradeRow insert() throws SQLException
        {
            try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(INSERT_TRADE))
            {
                statement.setString(1, sourceId);
                statement.setLong(2, tradeId);
                statement.setLong(3, nextIndex(sourceId));
                statement.setTimestamp(4, Timestamp.from(openTime));
                statement.setString(5, "ledger-" + sourceId);
                statement.setString(6, exchange);
                statement.setString(7, pair);
                statement.setString(8, stakeCurrency);
                statement.setBoolean(9, isShort);
                statement.setString(10, tradingMode);
                statement.setString(11, leverage);
                statement.setString(12, interestRate);
                statement.setString(13, fundingFees);
                statement.executeUpdate();
            }
            return this;
        }

        /**
         * A fill of this trade at {@code T0 + seconds}, its fee in the pair's quote currency.
         */
        TradeRow fill(final String side, final String price, final String amount, final String fee, final long seconds)
            throws SQLException
        {
            return fill(side, price, amount, fee, quoteCurrency(), seconds);
        }

        TradeRow fill(
            final String side,
            final String price,
            final String amount,
            final String fee,
            final String feeCurrency,
            final long seconds) throws SQLException
        {
            final long number = ++fills;
            insertFill(sourceId, tradeId, exchange, pair, "f-" + number, "o-" + number,
                side, price, amount, fee, feeCurrency, T0.plusSeconds(seconds));
            return this;
        }

        String quoteCurrency()
        {
            return pair.substring(pair.indexOf('/') + 1);
        }
    }

    TradeRow trade(final String sourceId, final long tradeId)
    {
        return new TradeRow(sourceId, tradeId);
    }

    /**
     * A fill row as the drain writes it; {@code tradeId} may be null, as for a fill appended without one.
     */
    void insertFill(
        final String sourceId,
        final Long tradeId,
        final String exchange,
        final String symbol,
        final String fillId,
        final String orderId,
        final String side,
        final String price,
        final String amount,
        final String fee,
        final String feeCurrency,
        final Instant exchangeTime) throws SQLException
    {
        try (Connection connection = dataSource.getConnection();
            PreparedStatement statement = connection.prepareStatement(INSERT_FILL))
        {
            statement.setString(1, sourceId);
            statement.setLong(2, nextIndex(sourceId));
            statement.setTimestamp(3, Timestamp.from(exchangeTime));
            if (null == tradeId)
            {
                statement.setNull(4, java.sql.Types.BIGINT);
            }
            else
            {
                statement.setLong(4, tradeId);
            }
            statement.setString(5, exchange);
            statement.setString(6, symbol);
            statement.setString(7, fillId);
            statement.setString(8, orderId);
            statement.setString(9, side);
            statement.setString(10, price);
            statement.setString(11, amount);
            statement.setString(12, fee);
            statement.setString(13, feeCurrency);
            statement.executeUpdate();
        }
    }

    /**
     * The current state of an order, as the drain upserts it into {@code orders}.
     */
    void insertOrder(
        final String sourceId,
        final long tradeId,
        final String exchange,
        final String symbol,
        final String orderId,
        final String side,
        final boolean reduceOnly) throws SQLException
    {
        try (Connection connection = dataSource.getConnection();
            PreparedStatement statement = connection.prepareStatement(INSERT_ORDER))
        {
            statement.setString(1, exchange);
            statement.setString(2, orderId);
            statement.setString(3, sourceId);
            statement.setLong(4, nextIndex(sourceId));
            statement.setLong(5, tradeId);
            statement.setString(6, symbol);
            statement.setString(7, side);
            statement.setBoolean(8, reduceOnly);
            statement.executeUpdate();
        }
    }

    /**
     * {@code trade_ledger(source, trade)}: its one row, column name to value (numeric as BigDecimal).
     */
    Map<String, Object> ledger(final String sourceId, final long tradeId) throws SQLException
    {
        final List<Map<String, Object>> rows = rows("SELECT * FROM trade_ledger(?, ?)", sourceId, tradeId);
        if (rows.size() != 1)
        {
            throw new AssertionError("trade_ledger(" + sourceId + ", " + tradeId + ") returned " + rows.size());
        }
        return rows.get(0);
    }

    /**
     * {@code trade_ledger_steps(source, trade)}: one row per fill, in replay order.
     */
    List<Map<String, Object>> steps(final String sourceId, final long tradeId) throws SQLException
    {
        return rows("SELECT * FROM trade_ledger_steps(?, ?) ORDER BY step", sourceId, tradeId);
    }

    List<Map<String, Object>> rows(final String sql, final Object... parameters) throws SQLException
    {
        try (Connection connection = dataSource.getConnection();
            PreparedStatement statement = connection.prepareStatement(sql))
        {
            for (int i = 0; i < parameters.length; i++)
            {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet resultSet = statement.executeQuery())
            {
                final ResultSetMetaData metaData = resultSet.getMetaData();
                final List<Map<String, Object>> rows = new ArrayList<>();
                while (resultSet.next())
                {
                    final Map<String, Object> row = new LinkedHashMap<>();
                    for (int column = 1; column <= metaData.getColumnCount(); column++)
                    {
                        row.put(metaData.getColumnLabel(column), resultSet.getObject(column));
                    }
                    rows.add(row);
                }
                return rows;
            }
        }
    }

    static BigDecimal decimal(final Map<String, Object> row, final String column)
    {
        if (!row.containsKey(column))
        {
            throw new AssertionError("no column " + column + " in " + row.keySet());
        }
        return (BigDecimal)row.get(column);
    }

    private long nextIndex(final String sourceId)
    {
        return nextIndexes.merge(sourceId, 1L, Long::sum);
    }
}
