package io.tradestate.tools.reconcile;

import java.util.List;

/**
 * One way TradeState and the exchange disagree.
 *
 * @param kind   what kind of difference.
 * @param id     the order id, fill id or asset it is about.
 * @param detail one line saying what differs, for people.
 * @param fields the fields that differ, empty for a record only one side has.
 * @param order  the exchange's order it is about, null if none.
 * @param fill   the exchange's fill it is about, null if none.
 */
public record Difference(Kind kind, String id, String detail, List<FieldDifference> fields, ExchangeOrder order,
    ExchangeFill fill)
{
    /**
     * The kinds, in the order a report lists them.
     */
    public enum Kind
    {
        /**
         * A fill on the exchange that TradeState has no {@code Fill} of.
         */
        MISSING_FILL("missing fill"),

        /**
         * A fill both have, with a field that differs.
         */
        DIFFERING_FILL("differing fill"),

        /**
         * An order open in TradeState that the exchange reports closed, canceled, expired or rejected.
         */
        CLOSED_ON_EXCHANGE("closed on exchange"),

        /**
         * An order open in TradeState that the exchange's orders do not hold.
         */
        UNKNOWN_TO_EXCHANGE("unknown to exchange"),

        /**
         * An order both have whose status, amount, filled amount or average differs.
         */
        DIFFERING_ORDER("differing order"),

        /**
         * An order on the exchange that TradeState has no {@code OrderUpdate} of.
         */
        NEVER_JOURNALED("never journaled"),

        /**
         * An asset both have whose free, used or total amount differs.
         */
        DIFFERING_BALANCE("differing balance"),

        /**
         * An asset the exchange holds (a total other than zero) that TradeState has no balance of.
         */
        MISSING_BALANCE("missing balance"),

        /**
         * An asset TradeState holds (a total other than zero) that the exchange's balance does not list.
         */
        UNKNOWN_BALANCE("unknown balance");

        private final String label;

        Kind(final String label)
        {
            this.label = label;
        }

        /**
         * The name a report prints.
         *
         * @return such as {@code missing fill}.
         */
        public String label()
        {
            return label;
        }

        /**
         * The name the JSON report prints.
         *
         * @return such as {@code missing_fill}.
         */
        public String jsonName()
        {
            return label.replace(' ', '_');
        }
    }

    /**
     * A field that differs.
     *
     * @param field      the field, as CCXT names it.
     * @param tradeState what TradeState holds, null if nothing.
     * @param exchange   what the exchange reports.
     */
    public record FieldDifference(String field, String tradeState, String exchange)
    {
    }
}
