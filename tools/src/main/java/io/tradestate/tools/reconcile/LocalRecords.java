package io.tradestate.tools.reconcile;

import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * What TradeState holds, as reconciliation asks for it: the database ({@link DatabaseRecords}) or the state maps
 * ({@link StateMapRecords}). Orders, fills and balances are the exchange's, so they are looked up by exchange and
 * id whichever source journaled them; only the open orders are listed per source.
 */
public interface LocalRecords
{
    /**
     * What is compared, for the report.
     *
     * @return such as {@code database jdbc:postgresql://...}.
     */
    String description();

    /**
     * Orders by id.
     *
     * @param exchange the exchange.
     * @param orderIds the ids wanted.
     * @return those held, by order id.
     * @throws SQLException if the database cannot be read.
     */
    Map<String, LocalOrder> orders(String exchange, Collection<String> orderIds) throws SQLException;

    /**
     * The source's orders still open or partially filled on an exchange.
     *
     * @param sourceId the source.
     * @param exchange the exchange.
     * @return the orders.
     * @throws SQLException if the database cannot be read.
     */
    List<LocalOrder> openOrders(String sourceId, String exchange) throws SQLException;

    /**
     * Whether closed orders are all held, so that an order the exchange closed and TradeState lacks was never
     * journaled. The state maps keep closed orders for an hour only.
     *
     * @return true for the database.
     */
    boolean holdsClosedOrders();

    /**
     * Whether fills are held at all: the state maps hold none.
     *
     * @return true for the database.
     */
    boolean holdsFills();

    /**
     * Fills by id.
     *
     * @param exchange the exchange.
     * @param fillIds  the ids wanted.
     * @return those held, by fill id; empty if {@link #holdsFills()} is false.
     * @throws SQLException if the database cannot be read.
     */
    Map<String, LocalFill> fills(String exchange, Collection<String> fillIds) throws SQLException;

    /**
     * Every balance of an exchange.
     *
     * @param exchange the exchange.
     * @return by asset.
     * @throws SQLException if the database cannot be read.
     */
    Map<String, LocalBalance> balances(String exchange) throws SQLException;
}
