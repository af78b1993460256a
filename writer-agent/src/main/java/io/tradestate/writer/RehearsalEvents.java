package io.tradestate.writer;

import io.tradestate.codecs.Liquidity;
import io.tradestate.codecs.LockSide;
import io.tradestate.codecs.OrderStatus;
import io.tradestate.codecs.OrderType;
import io.tradestate.codecs.Side;
import io.tradestate.codecs.TimeInForce;
import io.tradestate.codecs.TradingMode;

import java.math.BigDecimal;

/**
 * The events the warm-up appends to its scratch journal and {@link TradeJournal#keepWarm()} rehearses: realistic
 * values set through the same setters a strategy calls, varied by a counter so that every optional field is seen
 * both set and unset, every enum value and the {@link BigDecimal} setters now and then. A branch the JIT never saw
 * taken is compiled out and costs a deoptimisation the first time a strategy takes it; the variety is what keeps
 * the compiled path the strategy's path.
 * <p>
 * The {@link BigDecimal} setters allocate (a {@code BigInteger} for the unscaled value); they are called only in the
 * variants whose {@code v & 7} is below 4, which the warm-up uses and {@link #keepWarmVariant(int)} never gives, so
 * that a rehearsal allocates nothing.
 */
final class RehearsalEvents
{
    /**
     * Variants before the values repeat: a power of two, so that every combination of the low bits occurs.
     */
    static final int VARIANTS = 64;

    /**
     * Event types a strategy appends: {@code OrderUpdate}, {@code Fill}, {@code TradeUpdate}, {@code PairLock},
     * {@code PairUnlock} and {@code BalanceUpdate}, in that order.
     */
    static final int TYPES = 6;

    private static final String[] EXCHANGES = {"binance", "kraken", "bybit", "okx"};
    private static final String[] SYMBOLS = {"BTC/USDT", "ETH/USDT", "SOL/USDT:USDT", "XRP/EUR"};
    private static final String[] ORDER_IDS = new String[VARIANTS];
    private static final String[] CLIENT_ORDER_IDS = new String[VARIANTS];
    private static final String[] FILL_IDS = new String[VARIANTS];
    private static final String[] REASONS = {"volatility", "cooldown after stop loss", "daily loss limit"};
    private static final Side[] SIDES = {Side.BUY, Side.SELL};
    private static final OrderType[] ORDER_TYPES =
    {
        OrderType.MARKET, OrderType.LIMIT, OrderType.STOP_MARKET, OrderType.STOP_LIMIT,
        OrderType.TAKE_PROFIT_MARKET, OrderType.TAKE_PROFIT_LIMIT, OrderType.TRAILING_STOP, OrderType.LIQUIDATION,
    };
    private static final TimeInForce[] TIMES_IN_FORCE =
    {
        TimeInForce.GTC, TimeInForce.IOC, TimeInForce.FOK, TimeInForce.PO, TimeInForce.GTD,
    };
    private static final OrderStatus[] STATUSES =
    {
        OrderStatus.OPEN, OrderStatus.PARTIALLY_FILLED, OrderStatus.CLOSED, OrderStatus.CANCELED,
        OrderStatus.EXPIRED, OrderStatus.REJECTED,
    };
    private static final Liquidity[] LIQUIDITIES = {Liquidity.MAKER, Liquidity.TAKER};
    private static final TradingMode[] TRADING_MODES = {TradingMode.SPOT, TradingMode.MARGIN, TradingMode.FUTURES};
    private static final LockSide[] LOCK_SIDES = {LockSide.LONG, LockSide.SHORT, LockSide.ANY};
    private static final BigDecimal PRICE = new BigDecimal("64123.50");
    private static final BigDecimal AMOUNT = new BigDecimal("0.015");
    private static final BigDecimal FEE = new BigDecimal("-0.00012");
    private static final long EXCHANGE_TIME_MS = 1_764_892_800_000L;
    private static final long HOUR_MS = 3_600_000L;

    static
    {
        for (int i = 0; i < VARIANTS; i++)
        {
            ORDER_IDS[i] = Long.toString(8_389_765_000L + i * 7919L);
            CLIENT_ORDER_IDS[i] = "warmup-" + i;
            FILL_IDS[i] = "t" + (3_141_592_000L + i * 104_729L);
        }
    }

    private RehearsalEvents()
    {
    }

    /**
     * A variant for {@link TradeJournal#keepWarm()}: every optional field set, no {@link BigDecimal} setter, so
     * nothing allocated; the rest of the values still vary with the count.
     *
     * @param count of rehearsals so far.
     * @return the variant.
     */
    static int keepWarmVariant(final int count)
    {
        return (count << 3) | 7;
    }

    static void orderUpdate(final OrderUpdateEvent event, final int variant)
    {
        final int v = variant & (VARIANTS - 1);
        event.exchange(EXCHANGES[v & 3]).symbol(SYMBOLS[(v >> 1) & 3]).orderId(ORDER_IDS[v])
            .side(SIDES[v & 1]).orderType(ORDER_TYPES[v & 7]).status(STATUSES[v % STATUSES.length]);
        if (absent(v, 0))
        {
            event.amount(AMOUNT).price(PRICE);
        }
        else
        {
            event.amount(15 + v, -3).price(6_412_350 + v, -2).filled(v & 7, -3).remaining(15, -3)
                .average(6_412_350 + v, -2).cost(96_185_250L + v, -5).clientOrderId(CLIENT_ORDER_IDS[v])
                .tradeId(42 + v).exchangeTimeMs(EXCHANGE_TIME_MS + v)
                .receiveTimeNs(EXCHANGE_TIME_MS * 1_000_000L + v);
        }
        if (!absent(v, 1))
        {
            event.feeCost(9_618 - v, -8).feeCurrency(0 != (v & 8) ? "BNB" : "USDT")
                .timeInForce(TIMES_IN_FORCE[v % TIMES_IN_FORCE.length]).reduceOnly(0 != (v & 16));
        }
        if (!absent(v, 2))
        {
            event.stopPrice(6_300_000 + v, -2).leverage(1 + (v & 3), 0);
        }
        if (absent(v, 3))
        {
            event.feeCost(FEE).feeCurrency("USDT").leverage(AMOUNT);
        }
    }

    static void fill(final FillEvent event, final int variant)
    {
        final int v = variant & (VARIANTS - 1);
        event.exchange(EXCHANGES[v & 3]).symbol(SYMBOLS[(v >> 1) & 3]).fillId(FILL_IDS[v]).orderId(ORDER_IDS[v])
            .side(SIDES[v & 1]);
        if (absent(v, 0))
        {
            event.price(PRICE).amount(AMOUNT);
        }
        else
        {
            event.price(6_412_350 + v, -2).amount(5 + v, -3).liquidity(LIQUIDITIES[(v >> 1) & 1])
                .exchangeTimeMs(EXCHANGE_TIME_MS + v).tradeId(42 + v);
        }
        if (!absent(v, 1))
        {
            event.feeCost(3_206 - v, -8).feeCurrency(0 != (v & 8) ? "BNB" : "USDT");
        }
        if (absent(v, 2))
        {
            event.feeCost(FEE).feeCurrency("USDT");
        }
    }

    static void tradeUpdate(final TradeUpdateEvent event, final int variant)
    {
        final int v = variant & (VARIANTS - 1);
        final boolean open = 0 != (v & 2);
        event.tradeId(42 + v).openTimeMs(EXCHANGE_TIME_MS + v).strategy("warmup").exchange(EXCHANGES[v & 3])
            .pair(SYMBOLS[(v >> 1) & 3]).isOpen(open).openRate(6_412_350 + v, -2).amount(15, -3)
            .stakeAmount(96_185 + v, -2);
        if (!open)
        {
            event.closeTimeMs(EXCHANGE_TIME_MS + HOUR_MS + v).closeRate(6_500_000 + v, -2)
                .realizedProfit(1_312 - 40 * v, -2).feeClose(96, -5).exitReason(0 != (v & 4) ? "stop_loss" : "roi");
        }
        if (!absent(v, 1))
        {
            event.isShort(0 != (v & 1)).tradingMode(TRADING_MODES[v % TRADING_MODES.length]).leverage(3, 0)
                .liquidationPrice(4_200_000, -2).interestRate(1, -4).fundingFees(-12 - v, -4);
        }
        if (!absent(v, 2))
        {
            event.stopLoss(6_100_000, -2).stopLossPct(-5, -2).initialStopLoss(6_000_000, -2)
                .initialStopLossPct(-6, -2).isTrailingStop(0 != (v & 32)).maxRate(6_600_000, -2)
                .minRate(6_350_000, -2).feeOpen(96, -5).stakeCurrency("USDT").enterTag("breakout");
        }
        if (absent(v, 3))
        {
            event.openRate(PRICE).amount(AMOUNT).stakeAmount(PRICE);
        }
    }

    static void pairLock(final PairLockEvent event, final int variant, final long nowMs)
    {
        final int v = variant & (VARIANTS - 1);
        event.pair(absent(v, 0) ? "*" : SYMBOLS[(v >> 1) & 3]).lockEndTimeMs(nowMs + HOUR_MS + v)
            .side(LOCK_SIDES[v % LOCK_SIDES.length]);
        if (!absent(v, 1))
        {
            event.reason(REASONS[v % REASONS.length]);
        }
        if (!absent(v, 2))
        {
            event.lockTimeMs(nowMs);
        }
    }

    static void pairUnlock(final PairUnlockEvent event, final int variant)
    {
        final int v = variant & (VARIANTS - 1);
        if (0 == (v & 1))
        {
            event.pair(absent(v, 0) ? "*" : SYMBOLS[(v >> 1) & 3]).side(LOCK_SIDES[v % LOCK_SIDES.length]);
        }
        else
        {
            event.reason(REASONS[v % REASONS.length]);
        }
        if (!absent(v, 1))
        {
            event.unlockTimeMs(EXCHANGE_TIME_MS + v);
        }
    }

    static void balanceUpdate(final BalanceUpdateEvent event, final int variant)
    {
        final int v = variant & (VARIANTS - 1);
        event.exchange(EXCHANGES[v & 3]).asset(0 != (v & 2) ? "BTC" : "USDT");
        if (absent(v, 0))
        {
            event.total(PRICE);
        }
        else
        {
            event.total(1_250_000 + v, -2);
        }
        if (!absent(v, 1))
        {
            event.free(1_000_000 + v, -2).used(250_000, -2);
        }
        if (!absent(v, 2))
        {
            event.exchangeTimeMs(EXCHANGE_TIME_MS + v);
        }
    }

    /**
     * Whether optional group {@code group} (0 to 7) is left out of variant {@code v}: in one variant of eight, a
     * different one for each group, so that every setter runs often enough to be compiled and every field is seen
     * both set and unset.
     */
    private static boolean absent(final int v, final int group)
    {
        return (v & 7) == group;
    }
}
