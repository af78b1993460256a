package io.tradestate.codecs.event;

/**
 * The names the enum values of the schema are stored and printed as, in the order of their encoded values (CCXT's
 * and freqtrade's spellings). The history tables hold these names; the state tool and {@code verify} print them.
 */
final class EnumNames
{
    static final String[] SIDES = { "buy", "sell" };
    static final String[] ORDER_TYPES =
    {
        "market", "limit", "stop_market", "stop_limit", "take_profit_market", "take_profit_limit", "trailing_stop",
        "liquidation",
    };
    static final String[] TIME_IN_FORCE = { "GTC", "IOC", "FOK", "PO", "GTD" };
    static final String[] ORDER_STATUSES =
    {
        "open", "partially_filled", "closed", "canceled", "expired", "rejected",
    };
    static final String[] LIQUIDITY = { "maker", "taker" };
    static final String[] TRADING_MODES = { "spot", "margin", "futures" };
    static final String[] LOCK_SIDES = { "long", "short", "*" };
    static final String[] UNLOCK_SCOPES = { "pair", "reason" };
    static final String[] EVENT_ORIGINS = { "strategy", "reconciliation" };

    private EnumNames()
    {
    }
}
