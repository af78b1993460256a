package io.tradestate.writer.state;

import java.util.ArrayList;
import java.util.List;

/**
 * What a restarted strategy needs to carry on ({@link TradeContinuity}): its open trades, its open orders and the
 * pair locks that hold, each list sorted (trades by id, orders by exchange and order id, locks by pair, side and
 * index) so that two snapshots of the same state are equal.
 *
 * @param sourceId    the strategy's journal.
 * @param openTrades  its open trades.
 * @param openOrders  its open and partially filled orders, of any trade or none.
 * @param activeLocks its pair locks holding at the snapshot's time.
 */
public record StrategySnapshot(
    String sourceId, List<TradeSnapshot> openTrades, List<OrderSnapshot> openOrders,
    List<PairLockSnapshot> activeLocks)
{
    /**
     * The open orders of one trade.
     *
     * @param tradeId the strategy's trade id.
     * @return the orders, sorted.
     */
    public List<OrderSnapshot> openOrdersOf(final long tradeId)
    {
        final List<OrderSnapshot> orders = new ArrayList<>();
        for (final OrderSnapshot order : openOrders)
        {
            if (null != order.tradeId() && order.tradeId() == tradeId)
            {
                orders.add(order);
            }
        }
        return orders;
    }
}
