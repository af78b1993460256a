package io.tradestate.reader;

import io.tradestate.codecs.EventOrigin;
import io.tradestate.codecs.Liquidity;
import io.tradestate.codecs.LockSide;
import io.tradestate.codecs.OrderStatus;
import io.tradestate.codecs.OrderType;
import io.tradestate.codecs.Side;
import io.tradestate.codecs.TimeInForce;
import io.tradestate.codecs.TradingMode;
import io.tradestate.writer.BalanceUpdateEvent;
import io.tradestate.writer.FillEvent;
import io.tradestate.writer.JournalEvent;
import io.tradestate.writer.OrderUpdateEvent;
import io.tradestate.writer.PairLockEvent;
import io.tradestate.writer.PairUnlockEvent;
import io.tradestate.writer.TradeJournal;
import io.tradestate.writer.TradeUpdateEvent;

import java.math.BigDecimal;
import java.util.Arrays;

/**
 * A mix of every event type a strategy appends, numbered by stream (one per writer) and sequence, with every field
 * derived from those two numbers: a test appends them in any process and later recomputes, for any stored row, the
 * exact column values it must hold.
 * <p>
 * Types cycle through a 16-step pattern: 5 {@code OrderUpdate}, 3 {@code Fill}, 3 {@code TradeUpdate},
 * 3 {@code BalanceUpdate}, 1 {@code PairLock}, 1 {@code PairUnlock}. Keys repeat so that the current-state tables
 * see many updates per key: an order every 40 sequences, a trade every 100, seven assets per stream. Keys never cross
 * streams, so the latest state of a key is the one of its highest sequence, except for orders, whose random statuses
 * move back and forth and whose current state follows {@link #orderUpdateSupersedes}. Optional fields are set or left
 * out by a hash of the sequence, so NULLs, every enum value and both paths of each rule occur; free texts carry
 * tabs, newlines, backslashes, quotes and 2-, 3- and 4-byte UTF-8, which COPY text format must escape.
 * <p>
 * Expected values are the columns' text as the {@code *_COLUMNS} SQL expressions return them (numeric with its
 * scale, booleans as true/false, times as epoch milliseconds), null for NULL. One instance per appending thread:
 * {@link #prepare} reuses a scratch builder, so appending allocates little.
 */
public final class MixedEvents
{
    /**
     * The event type of each sequence modulo 16.
     */
    public enum Type
    {
        ORDER_UPDATE("order_events"),
        FILL("fills"),
        TRADE_UPDATE("trade_events"),
        PAIR_LOCK("pair_lock_events"),
        PAIR_UNLOCK("pair_lock_events"),
        BALANCE_UPDATE("balance_events");

        public final String table;

        Type(final String table)
        {
            this.table = table;
        }
    }

    public static final String[] HISTORY_TABLES = { "order_events", "fills", "trade_events", "pair_lock_events",
        "balance_events" };

    /**
     * Columns shared by {@code order_events} and {@code orders}, as SQL returning text.
     */
    static final String[] ORDER_COLUMNS =
    {
        "exchange", "order_id", "symbol", "client_order_id", "trade_id::text", "side", "order_type",
        "time_in_force", "status", "reduce_only::text", "price::text", "stop_price::text", "amount::text",
        "filled::text", "remaining::text", "average::text", "cost::text", "fee_cost::text", "fee_currency",
        "leverage::text", epochMs("exchange_time"),
    };

    /**
     * Columns of {@code order_events}: {@link #ORDER_COLUMNS} and the receive time.
     */
    static final String[] ORDER_EVENT_COLUMNS =
        append(ORDER_COLUMNS, "receive_time_ns::text", "origin", epochMs("reconcile_time"));

    static final String[] FILL_COLUMNS =
    {
        "exchange", "symbol", "fill_id", "order_id", "trade_id::text", "side", "liquidity", "price::text",
        "amount::text", "fee_cost::text", "fee_currency", epochMs("exchange_time"), "origin",
        epochMs("reconcile_time"),
    };

    /**
     * Columns shared by {@code trade_events} and {@code trades}.
     */
    static final String[] TRADE_COLUMNS =
    {
        "trade_id::text", epochMs("open_time"), epochMs("close_time"), "strategy", "exchange", "pair",
        "stake_currency", "is_short::text", "is_open::text", "is_trailing_stop::text", "trading_mode",
        "leverage::text", "open_rate::text", "amount::text", "stake_amount::text", "stop_loss::text",
        "stop_loss_pct::text", "initial_stop_loss::text", "initial_stop_loss_pct::text", "max_rate::text",
        "min_rate::text", "close_rate::text", "liquidation_price::text", "interest_rate::text",
        "funding_fees::text", "fee_open::text", "fee_close::text", "realized_profit::text", "exit_reason",
        "enter_tag",
    };

    static final String[] PAIR_LOCK_EVENT_COLUMNS =
    {
        "action", "pair", "side", epochMs("event_time"), epochMs("lock_end_time"), "reason", "all_sources::text",
    };

    /**
     * Columns shared by {@code balance_events} and {@code balances}.
     */
    static final String[] BALANCE_COLUMNS =
    {
        "exchange", "asset", "free::text", "used::text", "total::text", epochMs("exchange_time"),
    };

    /**
     * Columns of {@code balance_events}: {@link #BALANCE_COLUMNS} and where the event came from.
     */
    static final String[] BALANCE_EVENT_COLUMNS = append(BALANCE_COLUMNS, "origin", epochMs("reconcile_time"));

    /**
     * Columns of {@code pair_locks}, compared with {@link #expectedPairLock(long, boolean)}.
     */
    static final String[] PAIR_LOCK_COLUMNS =
    {
        "pair", "side", epochMs("lock_time"), epochMs("lock_end_time"), "reason", "active::text",
        "all_sources::text",
    };

    private static final long BASE_TIME_MS = 1_700_000_000_000L;
    private static final String PATTERN = "OFOTBOFTLOBFTOBU";
    private static final int PATTERN_LENGTH = 16;
    private static final long SEQUENCES_PER_ORDER = 40;
    private static final long SEQUENCES_PER_TRADE = 100;
    private static final int ASSETS_PER_STREAM = 7;
    private static final String[] SYMBOLS = { "BTC/USDT", "ETH/USDT:USDT", "SOL/USDC", "XRP/BTC" };
    private static final String[] SIDE_NAMES = { "buy", "sell" };
    private static final OrderType[] ORDER_TYPES = { OrderType.LIMIT, OrderType.MARKET, OrderType.STOP_LIMIT };
    private static final String[] ORDER_TYPE_NAMES = { "limit", "market", "stop_limit" };
    private static final TimeInForce[] TIME_IN_FORCE = { TimeInForce.GTC, TimeInForce.IOC, TimeInForce.PO };
    private static final String[] TIME_IN_FORCE_NAMES = { "GTC", "IOC", "PO" };
    private static final OrderStatus[] STATUSES =
    {
        OrderStatus.OPEN, OrderStatus.PARTIALLY_FILLED, OrderStatus.CLOSED, OrderStatus.CANCELED,
        OrderStatus.EXPIRED, OrderStatus.REJECTED,
    };
    private static final String[] STATUS_NAMES =
    {
        "open", "partially_filled", "closed", "canceled", "expired", "rejected",
    };
    private static final String[] LIQUIDITY_NAMES = { "maker", "taker" };
    private static final TradingMode[] TRADING_MODES = { TradingMode.SPOT, TradingMode.MARGIN, TradingMode.FUTURES };
    private static final String[] TRADING_MODE_NAMES = { "spot", "margin", "futures" };
    private static final LockSide[] LOCK_SIDES = { LockSide.LONG, LockSide.SHORT, LockSide.ANY };
    private static final String[] LOCK_SIDE_NAMES = { "long", "short", "*" };
    private static final String[] TEXT_CHARACTERS =
    {
        "a", "Z", " ", "\t", "\n", "\\", "\"", "'", ",", "|", "\u00e9", "\u20ac", "\u2192", "\ud83d\ude80",
    };

    private final StringBuilder scratch = new StringBuilder(256);

    /**
     * The type of the event with this sequence.
     *
     * @param sequence of the event.
     * @return its type.
     */
    public static Type type(final long sequence)
    {
        switch (PATTERN.charAt((int)(sequence % PATTERN_LENGTH)))
        {
            case 'O':
                return Type.ORDER_UPDATE;
            case 'F':
                return Type.FILL;
            case 'T':
                return Type.TRADE_UPDATE;
            case 'B':
                return Type.BALANCE_UPDATE;
            case 'L':
                return Type.PAIR_LOCK;
            default:
                return Type.PAIR_UNLOCK;
        }
    }

    /**
     * Start and fill the event numbered {@code sequence} of {@code stream} on the calling thread, without
     * committing it, so that the caller can time {@link JournalEvent#commit()} alone.
     *
     * @param journal  to append to.
     * @param stream   1 to 2^31 - 1, one per writer.
     * @param sequence 0 to 2^32 - 1.
     * @return the open event.
     */
    JournalEvent prepare(final TradeJournal journal, final int stream, final long sequence)
    {
        switch (type(sequence))
        {
            case ORDER_UPDATE:
                return orderUpdate(journal, stream, sequence);
            case FILL:
                return fill(journal, stream, sequence);
            case TRADE_UPDATE:
                return tradeUpdate(journal, stream, sequence);
            case PAIR_LOCK:
                return pairLock(journal, sequence);
            case PAIR_UNLOCK:
                return pairUnlock(journal, sequence);
            default:
                return balanceUpdate(journal, stream, sequence);
        }
    }

    /**
     * Append the event numbered {@code sequence} of {@code stream}.
     *
     * @param journal  to append to.
     * @param stream   one per writer.
     * @param sequence of the event.
     * @return the queue index commit returned.
     */
    public long append(final TradeJournal journal, final int stream, final long sequence)
    {
        return prepare(journal, stream, sequence).commit();
    }

    /**
     * The column values the event's history row must hold, in the order of its table's {@code *_COLUMNS}.
     *
     * @param stream   of the event.
     * @param sequence of the event.
     * @return the values as text, null for NULL.
     */
    public static String[] expected(final int stream, final long sequence)
    {
        switch (type(sequence))
        {
            case ORDER_UPDATE:
                return expectedOrderUpdate(stream, sequence);
            case FILL:
                return expectedFill(stream, sequence);
            case TRADE_UPDATE:
                return expectedTradeUpdate(stream, sequence);
            case PAIR_LOCK:
                return expectedPairLockEvent(sequence);
            case PAIR_UNLOCK:
                return expectedPairUnlockEvent(sequence);
            default:
                return expectedBalanceUpdate(stream, sequence);
        }
    }

    /**
     * SQL columns of a history table, in the order of {@link #expected(int, long)}.
     *
     * @param table a history table.
     * @return its column expressions.
     */
    public static String[] historyColumns(final String table)
    {
        switch (table)
        {
            case "order_events":
                return ORDER_EVENT_COLUMNS;
            case "fills":
                return FILL_COLUMNS;
            case "trade_events":
                return TRADE_COLUMNS;
            case "pair_lock_events":
                return PAIR_LOCK_EVENT_COLUMNS;
            case "balance_events":
                return BALANCE_EVENT_COLUMNS;
            default:
                throw new IllegalArgumentException("not a history table: " + table);
        }
    }

    /**
     * The key of the current-state row the event updates: {@code orders}, {@code trades} or {@code balances}.
     *
     * @param stream   of the event.
     * @param sequence of the event.
     * @return the key, or null for an event that updates none of them.
     */
    static String stateKey(final int stream, final long sequence)
    {
        switch (type(sequence))
        {
            case ORDER_UPDATE:
                return "orders|binance|" + orderId(stream, sequence);
            case TRADE_UPDATE:
                return "trades|" + stream + "|" + tradeId(stream, sequence);
            case BALANCE_UPDATE:
                return "balances|bybit|" + asset(stream, sequence);
            default:
                return null;
        }
    }

    /**
     * Whether the update of sequence {@code candidate} supersedes the one of {@code current} for their order, by
     * schema V3's rule: the greater (status rank, exchange time or else append time, append time, queue index).
     * An update without an exchange time counts its append time, the wall clock, which is later than every
     * {@link #timeMs} of this workload; the append order of one writer is its sequence order.
     */
    static boolean orderUpdateSupersedes(final long candidate, final long current)
    {
        final int rankDifference = orderStatusRank(candidate) - orderStatusRank(current);
        if (0 != rankDifference)
        {
            return rankDifference > 0;
        }
        final long candidateTime = effectiveOrderTime(candidate);
        final long currentTime = effectiveOrderTime(current);
        return candidateTime != currentTime ? candidateTime > currentTime : candidate > current;
    }

    private static int orderStatusRank(final long sequence)
    {
        return (int)Math.min(2, hash(sequence) % STATUSES.length);
    }

    private static long effectiveOrderTime(final long sequence)
    {
        return 9 != (hash(sequence) >>> 32) % 10 ? timeMs(sequence) : Long.MAX_VALUE / 2 + sequence;
    }

    /**
     * The {@code pair_locks} row a {@code PairLock} makes, in the order of {@link #PAIR_LOCK_COLUMNS}.
     *
     * @param sequence of the lock.
     * @param active   whether no later unlock of its source matched it.
     * @return the values as text.
     */
    static String[] expectedPairLock(final long sequence, final boolean active)
    {
        return new String[] { lockPair(sequence), LOCK_SIDE_NAMES[lockSide(sequence)], ms(timeMs(sequence)),
            ms(timeMs(sequence) + 60_000), lockReason(sequence), Boolean.toString(active),
            Boolean.toString(lockForAllSources(sequence)) };
    }

    /**
     * Whether the {@code PairLock} numbered {@code sequence} is taken for all sources: one lock in three. A source's
     * unlocks end its locks of both kinds, so the rules of {@link #unlocks} are the same for them.
     *
     * @param sequence of a {@code PairLock}.
     * @return true for a lock every source honours.
     */
    static boolean lockForAllSources(final long sequence)
    {
        return 0 == (sequence / PATTERN_LENGTH) % 3;
    }

    /**
     * Whether the {@code PairUnlock} numbered {@code unlockSequence} ends the lock numbered {@code lockSequence}
     * of the same source, by freqtrade's rules as the schema applies them: by pair and side ({@code *} for any),
     * or by reason.
     *
     * @param unlockSequence of a {@code PairUnlock}.
     * @param lockSequence   of an earlier {@code PairLock}.
     * @return true if the unlock ends the lock.
     */
    static boolean unlocks(final long unlockSequence, final long lockSequence)
    {
        if (unlockByPair(unlockSequence))
        {
            final int side = unlockSide(unlockSequence);
            return unlockPair(unlockSequence).equals(lockPair(lockSequence)) &&
                (2 == side || side == lockSide(lockSequence));
        }
        return unlockReason(unlockSequence).equals(lockReason(lockSequence));
    }

    private OrderUpdateEvent orderUpdate(final TradeJournal journal, final int stream, final long sequence)
    {
        final long h = hash(sequence);
        final long order = sequence / SEQUENCES_PER_ORDER;
        final OrderUpdateEvent event = journal.orderUpdate()
            .exchange("binance")
            .symbol(SYMBOLS[(int)(order % SYMBOLS.length)])
            .orderId(text('o', stream, order))
            .side(Side.get((short)(order & 1)))
            .orderType(ORDER_TYPES[(int)(order % ORDER_TYPES.length)])
            .status(STATUSES[(int)(h % STATUSES.length)])
            .reduceOnly(1 == h % 5)
            .price(price(sequence), -2)
            .amount(sequence % 1000 + 1, -3);
        if (0 != order % 3)
        {
            event.clientOrderId(text('c', stream, order));
        }
        if (0 != h % 7)
        {
            event.tradeId(tradeIdOfOrder(stream, order));
        }
        if (0 != (h >>> 8) % 4)
        {
            event.timeInForce(TIME_IN_FORCE[(int)((h >>> 8) % TIME_IN_FORCE.length)]);
        }
        if (2 == order % ORDER_TYPES.length)
        {
            event.stopPrice(6_300_000 + order, -2);
        }
        if (0 == (h >>> 12) % 2)
        {
            event.filled(sequence % 17, -3).remaining(sequence % 19, -3);
        }
        if (0 == (h >>> 16) % 3)
        {
            event.average(price(sequence), -2);
        }
        if (0 == (h >>> 20) % 7)
        {
            event.cost(sequence * 13, -4);
        }
        if (1 == (h >>> 24) % 4)
        {
            event.feeCost(-(sequence % 9), -6).feeCurrency("USDT");
        }
        if (1 == (h >>> 28) % 2)
        {
            event.leverage((h >>> 28) % 3 + 1, 0);
        }
        if (9 != (h >>> 32) % 10)
        {
            event.exchangeTimeMs(timeMs(sequence));
        }
        if (0 == (h >>> 36) % 2)
        {
            event.receiveTimeNs(BASE_TIME_MS * 1_000_000L + sequence * 1_000);
        }
        if (0 == originPick(h))
        {
            event.origin(EventOrigin.RECONCILIATION).reconcileTimeMs(timeMs(sequence) + 1_000);
        }
        else if (1 == originPick(h))
        {
            event.origin(EventOrigin.STRATEGY);
        }
        return event;
    }

    private static String[] expectedOrderUpdate(final int stream, final long sequence)
    {
        final long h = hash(sequence);
        final long order = sequence / SEQUENCES_PER_ORDER;
        final boolean filled = 0 == (h >>> 12) % 2;
        final boolean fee = 1 == (h >>> 24) % 4;
        return new String[]
        {
            "binance",
            orderId(stream, sequence),
            SYMBOLS[(int)(order % SYMBOLS.length)],
            0 != order % 3 ? id('c', stream, order) : null,
            0 != h % 7 ? Long.toString(tradeIdOfOrder(stream, order)) : null,
            SIDE_NAMES[(int)(order & 1)],
            ORDER_TYPE_NAMES[(int)(order % ORDER_TYPES.length)],
            0 != (h >>> 8) % 4 ? TIME_IN_FORCE_NAMES[(int)((h >>> 8) % TIME_IN_FORCE.length)] : null,
            STATUS_NAMES[(int)(h % STATUSES.length)],
            Boolean.toString(1 == h % 5),
            decimal(price(sequence), -2),
            2 == order % ORDER_TYPES.length ? decimal(6_300_000 + order, -2) : null,
            decimal(sequence % 1000 + 1, -3),
            filled ? decimal(sequence % 17, -3) : null,
            filled ? decimal(sequence % 19, -3) : null,
            0 == (h >>> 16) % 3 ? decimal(price(sequence), -2) : null,
            0 == (h >>> 20) % 7 ? decimal(sequence * 13, -4) : null,
            fee ? decimal(-(sequence % 9), -6) : null,
            fee ? "USDT" : null,
            1 == (h >>> 28) % 2 ? decimal((h >>> 28) % 3 + 1, 0) : null,
            9 != (h >>> 32) % 10 ? ms(timeMs(sequence)) : null,
            0 == (h >>> 36) % 2 ? Long.toString(BASE_TIME_MS * 1_000_000L + sequence * 1_000) : null,
            expectedOrigin(h, sequence)[0],
            expectedOrigin(h, sequence)[1],
        };
    }

    private FillEvent fill(final TradeJournal journal, final int stream, final long sequence)
    {
        final long h = hash(sequence);
        final long order = sequence / SEQUENCES_PER_ORDER;
        final FillEvent event = journal.fill()
            .exchange("binance")
            .symbol(SYMBOLS[(int)(order % SYMBOLS.length)])
            .fillId(text('f', stream, sequence))
            .orderId(text('o', stream, order))
            .side(Side.get((short)(order & 1)))
            .price(price(sequence), -2)
            .amount(sequence % 500 + 1, -4)
            .exchangeTimeMs(timeMs(sequence));
        if (0 != h % 5)
        {
            event.tradeId(tradeIdOfOrder(stream, order));
        }
        if (0 != (h >>> 8) % 3)
        {
            event.liquidity(Liquidity.get((short)((h >>> 8) & 1)));
        }
        if (0 != (h >>> 16) % 4)
        {
            event.feeCost(-(sequence % 11), -6).feeCurrency("BNB");
        }
        if (0 == originPick(h))
        {
            event.origin(EventOrigin.RECONCILIATION).reconcileTimeMs(timeMs(sequence) + 1_000);
        }
        else if (1 == originPick(h))
        {
            event.origin(EventOrigin.STRATEGY);
        }
        return event;
    }

    private static String[] expectedFill(final int stream, final long sequence)
    {
        final long h = hash(sequence);
        final long order = sequence / SEQUENCES_PER_ORDER;
        final boolean fee = 0 != (h >>> 16) % 4;
        return new String[]
        {
            "binance",
            SYMBOLS[(int)(order % SYMBOLS.length)],
            id('f', stream, sequence),
            id('o', stream, order),
            0 != h % 5 ? Long.toString(tradeIdOfOrder(stream, order)) : null,
            SIDE_NAMES[(int)(order & 1)],
            0 != (h >>> 8) % 3 ? LIQUIDITY_NAMES[(int)((h >>> 8) & 1)] : null,
            decimal(price(sequence), -2),
            decimal(sequence % 500 + 1, -4),
            fee ? decimal(-(sequence % 11), -6) : null,
            fee ? "BNB" : null,
            ms(timeMs(sequence)),
            expectedOrigin(h, sequence)[0],
            expectedOrigin(h, sequence)[1],
        };
    }

    private TradeUpdateEvent tradeUpdate(final TradeJournal journal, final int stream, final long sequence)
    {
        final long h = hash(sequence);
        final long trade = sequence / SEQUENCES_PER_TRADE;
        final boolean open = 1 == h % 2;
        final int mode = (int)(trade % TRADING_MODES.length);
        final TradeUpdateEvent event = journal.tradeUpdate()
            .tradeId(tradeId(stream, sequence))
            .openTimeMs(BASE_TIME_MS + trade * 1_000)
            .strategy(text('m', stream, 0))
            .exchange("okx")
            .pair(SYMBOLS[(int)(trade % SYMBOLS.length)])
            .isShort(1 == trade % 2)
            .isOpen(open)
            .isTrailingStop(0 == (h >>> 4) % 5)
            .tradingMode(TRADING_MODES[mode])
            .openRate(6_400_000 + trade, -2)
            .amount(sequence % 1000 + 1, -3)
            .stakeAmount(100_000 + sequence, -2)
            .feeOpen(1, -3)
            .enterTag(text('t', stream, sequence % 13));
        if (0 != (h >>> 8) % 7)
        {
            event.stakeCurrency("USDT");
        }
        if (0 != mode)
        {
            event.leverage(sequence % 5 + 1, 0);
        }
        if (0 == (h >>> 12) % 2)
        {
            event.stopLoss(6_000_000 + sequence, -2).stopLossPct(-(sequence % 10 + 1), -2);
        }
        if (0 == (h >>> 16) % 3)
        {
            event.initialStopLoss(5_900_000 + trade, -2);
        }
        if (0 == (h >>> 20) % 4)
        {
            event.maxRate(6_600_000 + sequence, -2).minRate(6_200_000 + sequence, -2);
        }
        if (0 == (h >>> 24) % 6)
        {
            event.interestRate(sequence % 100, -8);
        }
        else if (3 == (h >>> 24) % 6)
        {
            event.fundingFees(-(sequence % 1000), -8);
        }
        if (!open)
        {
            event.closeTimeMs(timeMs(sequence)).closeRate(6_500_000 + sequence, -2).feeClose(1, -3)
                .realizedProfit(0 == (h >>> 28) % 3 ? -(sequence % 1000) : sequence % 1000, -5)
                .exitReason(exitReason(stream, sequence, scratch));
        }
        return event;
    }

    private static String[] expectedTradeUpdate(final int stream, final long sequence)
    {
        final long h = hash(sequence);
        final long trade = sequence / SEQUENCES_PER_TRADE;
        final boolean open = 1 == h % 2;
        final int mode = (int)(trade % TRADING_MODES.length);
        final boolean stopLoss = 0 == (h >>> 12) % 2;
        final boolean rates = 0 == (h >>> 20) % 4;
        return new String[]
        {
            Long.toString(tradeId(stream, sequence)),
            ms(BASE_TIME_MS + trade * 1_000),
            open ? null : ms(timeMs(sequence)),
            id('m', stream, 0),
            "okx",
            SYMBOLS[(int)(trade % SYMBOLS.length)],
            0 != (h >>> 8) % 7 ? "USDT" : null,
            Boolean.toString(1 == trade % 2),
            Boolean.toString(open),
            Boolean.toString(0 == (h >>> 4) % 5),
            TRADING_MODE_NAMES[mode],
            0 != mode ? decimal(sequence % 5 + 1, 0) : null,
            decimal(6_400_000 + trade, -2),
            decimal(sequence % 1000 + 1, -3),
            decimal(100_000 + sequence, -2),
            stopLoss ? decimal(6_000_000 + sequence, -2) : null,
            stopLoss ? decimal(-(sequence % 10 + 1), -2) : null,
            0 == (h >>> 16) % 3 ? decimal(5_900_000 + trade, -2) : null,
            null,
            rates ? decimal(6_600_000 + sequence, -2) : null,
            rates ? decimal(6_200_000 + sequence, -2) : null,
            open ? null : decimal(6_500_000 + sequence, -2),
            null,
            0 == (h >>> 24) % 6 ? decimal(sequence % 100, -8) : null,
            3 == (h >>> 24) % 6 ? decimal(-(sequence % 1000), -8) : null,
            decimal(1, -3),
            open ? null : decimal(1, -3),
            open ? null : decimal(0 == (h >>> 28) % 3 ? -(sequence % 1000) : sequence % 1000, -5),
            open ? "" : exitReason(stream, sequence, new StringBuilder()).toString(),
            id('t', stream, sequence % 13),
        };
    }

    private PairLockEvent pairLock(final TradeJournal journal, final long sequence)
    {
        final PairLockEvent event = journal.pairLock()
            .pair(lockPair(sequence))
            .side(LOCK_SIDES[lockSide(sequence)])
            .lockTimeMs(timeMs(sequence))
            .lockEndTimeMs(timeMs(sequence) + 60_000)
            .allSources(lockForAllSources(sequence));
        final String reason = lockReason(sequence);
        if (!reason.isEmpty())
        {
            event.reason(reason);
        }
        return event;
    }

    private static String[] expectedPairLockEvent(final long sequence)
    {
        return new String[] { "lock", lockPair(sequence), LOCK_SIDE_NAMES[lockSide(sequence)],
            ms(timeMs(sequence)), ms(timeMs(sequence) + 60_000), lockReason(sequence),
            Boolean.toString(lockForAllSources(sequence)) };
    }

    private PairUnlockEvent pairUnlock(final TradeJournal journal, final long sequence)
    {
        final PairUnlockEvent event = journal.pairUnlock().unlockTimeMs(timeMs(sequence));
        if (unlockByPair(sequence))
        {
            event.pair(unlockPair(sequence));
            if (2 != unlockSide(sequence))
            {
                event.side(LOCK_SIDES[unlockSide(sequence)]);
            }
        }
        else
        {
            event.reason(unlockReason(sequence));
        }
        return event;
    }

    private static String[] expectedPairUnlockEvent(final long sequence)
    {
        final boolean byPair = unlockByPair(sequence);
        return new String[] { "unlock", byPair ? unlockPair(sequence) : null,
            byPair ? LOCK_SIDE_NAMES[unlockSide(sequence)] : "*", ms(timeMs(sequence)), null,
            byPair ? "" : unlockReason(sequence), null };
    }

    private BalanceUpdateEvent balanceUpdate(final TradeJournal journal, final int stream, final long sequence)
    {
        final long h = hash(sequence);
        final BalanceUpdateEvent event = journal.balanceUpdate()
            .exchange("bybit")
            .asset(asset(stream, sequence))
            .free(h % 10_000, -4)
            .total(h % 10_000 + 5_000, -4);
        if (0 != (h >>> 16) % 3)
        {
            event.used((h >>> 16) % 100, -4);
        }
        if (0 != (h >>> 24) % 6)
        {
            event.exchangeTimeMs(timeMs(sequence));
        }
        if (0 == originPick(h))
        {
            event.origin(EventOrigin.RECONCILIATION).reconcileTimeMs(timeMs(sequence) + 1_000);
        }
        else if (1 == originPick(h))
        {
            event.origin(EventOrigin.STRATEGY);
        }
        return event;
    }

    private static String[] expectedBalanceUpdate(final int stream, final long sequence)
    {
        final long h = hash(sequence);
        return new String[]
        {
            "bybit",
            asset(stream, sequence),
            decimal(h % 10_000, -4),
            0 != (h >>> 16) % 3 ? decimal((h >>> 16) % 100, -4) : null,
            decimal(h % 10_000 + 5_000, -4),
            0 != (h >>> 24) % 6 ? ms(timeMs(sequence)) : null,
            expectedOrigin(h, sequence)[0],
            expectedOrigin(h, sequence)[1],
        };
    }

    private static String lockPair(final long sequence)
    {
        final long h = hash(sequence);
        return 0 == h % 7 ? "*" : SYMBOLS[(int)((h >>> 4) % SYMBOLS.length)];
    }

    private static int lockSide(final long sequence)
    {
        return (int)((hash(sequence) >>> 8) % LOCK_SIDES.length);
    }

    private static String lockReason(final long sequence)
    {
        final long h = hash(sequence) >>> 12;
        return 0 == h % 5 ? "" : "cooldown-" + h % 3;
    }

    private static boolean unlockByPair(final long sequence)
    {
        return 0 != hash(sequence) % 3;
    }

    private static String unlockPair(final long sequence)
    {
        return SYMBOLS[(int)((hash(sequence) >>> 4) % SYMBOLS.length)];
    }

    private static int unlockSide(final long sequence)
    {
        return (int)((hash(sequence) >>> 8) % LOCK_SIDES.length);
    }

    private static String unlockReason(final long sequence)
    {
        return "cooldown-" + (hash(sequence) >>> 12) % 3;
    }

    private static String orderId(final int stream, final long sequence)
    {
        return id('o', stream, sequence / SEQUENCES_PER_ORDER);
    }

    private static long tradeIdOfOrder(final int stream, final long order)
    {
        return (long)stream << 32 | order;
    }

    private static long tradeId(final int stream, final long sequence)
    {
        return (long)stream << 32 | sequence / SEQUENCES_PER_TRADE;
    }

    private static String asset(final int stream, final long sequence)
    {
        return "S" + stream + "A" + (hash(sequence) >>> 40) % ASSETS_PER_STREAM;
    }

    private CharSequence text(final char prefix, final int stream, final long number)
    {
        scratch.setLength(0);
        return scratch.append(prefix).append(stream).append('-').append(number);
    }

    private static String id(final char prefix, final int stream, final long number)
    {
        return prefix + Integer.toString(stream) + '-' + number;
    }

    private static CharSequence exitReason(final int stream, final long sequence, final StringBuilder builder)
    {
        builder.setLength(0);
        builder.append("exit ").append(stream).append('/').append(sequence).append(' ');
        final int characters = (int)(hash(sequence) % 40);
        for (int i = 0; i < characters; i++)
        {
            builder.append(TEXT_CHARACTERS[(int)((sequence + i) % TEXT_CHARACTERS.length)]);
        }
        return builder;
    }

    private static long price(final long sequence)
    {
        return 6_400_000 + sequence * 7;
    }

    private static long timeMs(final long sequence)
    {
        return BASE_TIME_MS + sequence;
    }

    private static String ms(final long epochMs)
    {
        return Long.toString(epochMs);
    }

    private static String decimal(final long mantissa, final int exponent)
    {
        return BigDecimal.valueOf(mantissa, -exponent).toPlainString();
    }

    /**
     * SplitMix64's finaliser, made non-negative: a well-mixed number per sequence picks which optional fields are
     * set, so that no choice aliases with the 16-step type pattern.
     */
    private static long hash(final long sequence)
    {
        long z = sequence + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return (z ^ (z >>> 31)) >>> 1;
    }

    private static String epochMs(final String column)
    {
        return "(extract(epoch FROM " + column + ") * 1000)::bigint::text";
    }

    private static String[] append(final String[] columns, final String... more)
    {
        final String[] all = Arrays.copyOf(columns, columns.length + more.length);
        System.arraycopy(more, 0, all, columns.length, more.length);
        return all;
    }

    /**
     * Where an event of the workload comes from, from its hash: 0, from a reconciliation (run a second after the
     * event's time); 1, the strategy, said explicitly; otherwise the writer's default, the strategy.
     */
    private static long originPick(final long h)
    {
        return (h >>> 44) % 5;
    }

    private static String[] expectedOrigin(final long h, final long sequence)
    {
        return 0 == originPick(h) ?
            new String[] { "reconciliation", ms(timeMs(sequence) + 1_000) } : new String[] { "strategy", null };
    }
}
