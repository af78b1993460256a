package io.tradestate.bench.jmh;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;

/**
 * B4's row object: the order event as an "async writer" takes it, built by the strategy thread and handed to the
 * insert thread as the task itself. It holds the values as the strategy has them (strings, primitives); the
 * {@code BigDecimal}s and timestamps JDBC wants are made on the insert thread, off the caller's clock: generous to
 * the baseline.
 */
final class OrderRow implements Runnable
{
    private final AsyncOrderWriter writer;
    private long queueIndex;
    private long appendTimeNs;
    private long exchangeTimeMs;
    private long receiveTimeNs;
    private long tradeId;
    private String exchange;
    private String symbol;
    private String orderId;
    private String clientOrderId;
    private String side;
    private String orderType;
    private String timeInForce;
    private String status;
    private boolean reduceOnly;
    private long priceMantissa;
    private int priceExponent;
    private long amountMantissa;
    private int amountExponent;
    private long filledMantissa;
    private int filledExponent;
    private long remainingMantissa;
    private int remainingExponent;
    private long averageMantissa;
    private int averageExponent;
    private long costMantissa;
    private int costExponent;
    private long feeCostMantissa;
    private int feeCostExponent;
    private String feeCurrency;

    private OrderRow(final AsyncOrderWriter writer)
    {
        this.writer = writer;
    }

    /**
     * The {@link SampleEvents} order as a new row, what the strategy thread builds for each event.
     *
     * @param writer       the insert thread's writer, which {@link #run()} hands the row to.
     * @param queueIndex   the event's position, unique per source.
     * @param appendTimeNs the event's time.
     * @return the row.
     */
    static OrderRow sample(final AsyncOrderWriter writer, final long queueIndex, final long appendTimeNs)
    {
        final OrderRow row = new OrderRow(writer);
        row.queueIndex = queueIndex;
        row.appendTimeNs = appendTimeNs;
        row.exchangeTimeMs = SampleEvents.EXCHANGE_TIME_MS;
        row.receiveTimeNs = SampleEvents.RECEIVE_TIME_NS;
        row.tradeId = SampleEvents.TRADE_ID;
        row.exchange = SampleEvents.EXCHANGE;
        row.symbol = SampleEvents.SYMBOL;
        row.orderId = SampleEvents.ORDER_ID;
        row.clientOrderId = SampleEvents.CLIENT_ORDER_ID;
        row.side = "buy";
        row.orderType = "limit";
        row.timeInForce = "GTC";
        row.status = "partially_filled";
        row.reduceOnly = false;
        row.priceMantissa = SampleEvents.PRICE_MANTISSA;
        row.priceExponent = SampleEvents.PRICE_EXPONENT;
        row.amountMantissa = SampleEvents.AMOUNT_MANTISSA;
        row.amountExponent = SampleEvents.AMOUNT_EXPONENT;
        row.filledMantissa = SampleEvents.FILLED_MANTISSA;
        row.filledExponent = SampleEvents.FILLED_EXPONENT;
        row.remainingMantissa = SampleEvents.REMAINING_MANTISSA;
        row.remainingExponent = SampleEvents.REMAINING_EXPONENT;
        row.averageMantissa = SampleEvents.PRICE_MANTISSA;
        row.averageExponent = SampleEvents.PRICE_EXPONENT;
        row.costMantissa = SampleEvents.COST_MANTISSA;
        row.costExponent = SampleEvents.COST_EXPONENT;
        row.feeCostMantissa = SampleEvents.FEE_COST_MANTISSA;
        row.feeCostExponent = SampleEvents.FEE_COST_EXPONENT;
        row.feeCurrency = SampleEvents.FEE_CURRENCY;
        return row;
    }

    /**
     * On the insert thread: add the row to the writer's batch.
     */
    public void run()
    {
        writer.add(this);
    }

    /**
     * Bind the row to {@link BenchDatabase#INSERT_EVENT}.
     *
     * @param insert the prepared insert.
     * @throws SQLException if a value is refused.
     */
    void bind(final PreparedStatement insert) throws SQLException
    {
        int i = 1;
        insert.setString(i++, SampleEvents.SOURCE_ID);
        insert.setLong(i++, queueIndex);
        insert.setTimestamp(i++, BenchDatabase.timestamp(appendTimeNs));
        insert.setLong(i++, appendTimeNs);
        insert.setTimestamp(i++, new Timestamp(exchangeTimeMs));
        insert.setLong(i++, receiveTimeNs);
        insert.setLong(i++, tradeId);
        insert.setString(i++, exchange);
        insert.setString(i++, symbol);
        insert.setString(i++, orderId);
        insert.setString(i++, clientOrderId);
        insert.setString(i++, side);
        insert.setString(i++, orderType);
        insert.setString(i++, timeInForce);
        insert.setString(i++, status);
        insert.setBoolean(i++, reduceOnly);
        insert.setBigDecimal(i++, BenchDatabase.decimal(priceMantissa, priceExponent));
        insert.setNull(i++, Types.NUMERIC);
        insert.setBigDecimal(i++, BenchDatabase.decimal(amountMantissa, amountExponent));
        insert.setBigDecimal(i++, BenchDatabase.decimal(filledMantissa, filledExponent));
        insert.setBigDecimal(i++, BenchDatabase.decimal(remainingMantissa, remainingExponent));
        insert.setBigDecimal(i++, BenchDatabase.decimal(averageMantissa, averageExponent));
        insert.setBigDecimal(i++, BenchDatabase.decimal(costMantissa, costExponent));
        insert.setBigDecimal(i++, BenchDatabase.decimal(feeCostMantissa, feeCostExponent));
        insert.setString(i++, feeCurrency);
        insert.setNull(i, Types.NUMERIC);
    }

    long queueIndex()
    {
        return queueIndex;
    }
}
