package io.tradestate.demo;

import io.tradestate.codecs.LockSide;
import io.tradestate.codecs.OrderStatus;
import io.tradestate.codecs.OrderType;
import io.tradestate.codecs.Side;

import java.util.SplittableRandom;

/**
 * The workload model of one instrument: a price that random-walks in integer ticks, and one order life cycle at a
 * time. Each {@link #step(long, boolean)} is one market event (a Poisson arrival) that moves the price and advances
 * the working order: an entry is placed (or rejected), filled in one or several parts, or cancelled; the first entry
 * fill opens a trade (spot long, or futures long or short at 2 to 10x), new highs and lows move its max and min
 * rates and trail its stop loss, an exit order closes it with its realised profit, and a loss locks the pair for that
 * side. Each fill is followed by the balance of the instrument's base asset.
 * <p>
 * Every amount is a {@code long} mantissa on the instrument's grid, and fees and profits are computed exactly in
 * the fee exponent ({@code price x amount x basis points}). The random choices depend on the seed and the number of
 * steps only, never on the clock, so a seed replays the same events; {@code nowMs} only stamps them. (With an
 * {@link EntryGate}, they also depend on its answers: an entry held back by a lock is not placed.)
 */
final class InstrumentSimulator
{
    static final int TAKER_FEE_BPS = 10;
    static final int MAKER_FEE_BPS = 2;
    static final int STOP_LOSS_BPS = 200;
    static final String LOSS_LOCK_REASON = "demo: cool-down after a loss";
    static final long MAX_TRADES = 99_999;

    private static final int[] LEVERAGES = { 2, 4, 5, 8, 10 };
    private static final int MAX_MOVE_BPS = 20;
    private static final long LOCK_MIN_MS = 5 * 60_000L;
    private static final long LOCK_MAX_MS = 30 * 60_000L;

    private final Instrument instrument;
    private final EventSink sink;
    private final EntryGate gate;
    private final SplittableRandom random;
    private final String idPrefix;
    private final long tradeIdBase;
    private long priceTicks;
    private SimOrder order;
    private SimTrade trade;
    private long orderCount;
    private long tradeCount;
    private long fillCount;
    private long position;
    private LockSide lockedSide;
    private long events;
    private long entriesHeldBack;

    /**
     * @param instrument the market.
     * @param seed       the run's seed; mixed with the instrument's index.
     * @param runId      makes order, fill and trade ids unique across runs (epoch seconds of the run's start).
     * @param sink       receives the events.
     * @param gate       asked before each entry whether a lock keeps it out, or null for none.
     */
    InstrumentSimulator(
        final Instrument instrument, final long seed, final long runId, final EventSink sink, final EntryGate gate)
    {
        this.instrument = instrument;
        this.sink = sink;
        this.gate = gate;
        this.random = new SplittableRandom(InstrumentUniverse.mix(seed ^ 0x5DEECE66DL, instrument.index()));
        this.idPrefix = "r" + runId + "-" + instrument.index() + "-";
        this.tradeIdBase = Math.multiplyExact(runId, 1_000_000_000L) + instrument.index();
        this.priceTicks = instrument.initialPriceTicks();
    }

    Instrument instrument()
    {
        return instrument;
    }

    long priceTicks()
    {
        return priceTicks;
    }

    SimOrder workingOrder()
    {
        return order;
    }

    SimTrade openTrade()
    {
        return trade;
    }

    long position()
    {
        return position;
    }

    long events()
    {
        return events;
    }

    long entriesHeldBack()
    {
        return entriesHeldBack;
    }

    /**
     * One market event.
     *
     * @param nowMs           time stamp of the events, epoch milliseconds.
     * @param entriesAllowed  false while the strategy is globally locked: no new entry is placed.
     * @return the number of events emitted.
     */
    int step(final long nowMs, final boolean entriesAllowed)
    {
        final long before = events;
        movePrice();
        if (null != lockedSide && random.nextInt(20) == 0)
        {
            sink.pairUnlockPair(instrument.symbol(), lockedSide, nowMs);
            events++;
            lockedSide = null;
        }

        if (null != trade)
        {
            trackRates(nowMs);
        }

        if (null != order)
        {
            progressOrder(nowMs);
        }
        else if (null != trade)
        {
            maybeExit(nowMs);
        }
        else if (entriesAllowed)
        {
            maybeEnter(nowMs);
        }
        return (int)(events - before);
    }

    private void movePrice()
    {
        final int moveBps = random.nextInt(2 * MAX_MOVE_BPS + 1) - MAX_MOVE_BPS;
        long delta = priceTicks * moveBps / 10_000;
        if (0 == delta && 0 != moveBps)
        {
            delta = moveBps > 0 ? 1 : -1;
        }
        priceTicks = Math.max(instrument.initialPriceTicks() / 10 + 1, priceTicks + delta);
    }

    private void trackRates(final long nowMs)
    {
        boolean changed = false;
        if (priceTicks > trade.maxRateTicks)
        {
            trade.maxRateTicks = priceTicks;
            changed = true;
            if (!trade.isShort)
            {
                final long stop = priceTicks - stopDistance(trade.openRateTicks);
                if (stop > trade.stopLossTicks)
                {
                    trade.stopLossTicks = stop;
                    trade.trailing = true;
                }
            }
        }
        if (priceTicks < trade.minRateTicks)
        {
            trade.minRateTicks = priceTicks;
            changed = true;
            if (trade.isShort)
            {
                final long stop = priceTicks + stopDistance(trade.openRateTicks);
                if (stop < trade.stopLossTicks)
                {
                    trade.stopLossTicks = stop;
                    trade.trailing = true;
                }
            }
        }
        if (changed)
        {
            emitTrade(nowMs);
        }
    }

    private void maybeEnter(final long nowMs)
    {
        final boolean isShort = instrument.isFutures() && random.nextInt(5) < 2;
        if (null != lockedSide && (isShort ? LockSide.SHORT : LockSide.LONG) == lockedSide)
        {
            return;
        }
        if (null != gate && gate.isLocked(instrument.symbol(), isShort ? LockSide.SHORT : LockSide.LONG, nowMs))
        {
            entriesHeldBack++;
            return;
        }
        if (tradeCount >= MAX_TRADES)
        {
            return;
        }

        tradeCount++;
        final SimOrder entry = newOrder(tradeIdBase + tradeCount * 10_000L);
        entry.entry = true;
        entry.side = isShort ? Side.SELL : Side.BUY;
        entry.orderType = OrderType.LIMIT;
        entry.priceTicks = priceTicks + (isShort ? 1 : -1) * random.nextInt(3);
        entry.amount = instrument.orderAmount() * (1 + random.nextInt(3));
        entry.leverage = instrument.isFutures() ? LEVERAGES[random.nextInt(LEVERAGES.length)] : 1;
        entry.status = random.nextInt(20) == 0 ? OrderStatus.REJECTED : OrderStatus.OPEN;
        emitOrder(entry, nowMs);
        order = entry.isDone() ? null : entry;
    }

    private void maybeExit(final long nowMs)
    {
        final boolean stopHit = trade.isShort ? priceTicks >= trade.stopLossTicks : priceTicks <= trade.stopLossTicks;
        if (!stopHit && random.nextInt(100) >= 30)
        {
            return;
        }

        final SimOrder exit = newOrder(trade.tradeId);
        exit.side = trade.isShort ? Side.BUY : Side.SELL;
        exit.reduceOnly = instrument.isFutures();
        exit.amount = trade.amount;
        exit.priceTicks = priceTicks;
        exit.leverage = trade.leverage;
        exit.status = OrderStatus.OPEN;
        if (stopHit)
        {
            exit.orderType = OrderType.STOP_LIMIT;
            exit.stopPriceTicks = trade.stopLossTicks;
            trade.exitReason = trade.trailing ? "trailing_stop_loss" : "stop_loss";
        }
        else
        {
            exit.orderType = OrderType.LIMIT;
            trade.exitReason = random.nextBoolean() ? "exit_signal" : "roi";
        }
        emitOrder(exit, nowMs);
        order = exit;
        emitBalance(nowMs);
    }

    private void progressOrder(final long nowMs)
    {
        final boolean cancel = random.nextInt(100) < 20 && (order.entry || 0 == order.filled);
        if (cancel)
        {
            order.status = OrderStatus.CANCELED;
            emitOrder(order, nowMs);
            order = null;
            if (null == trade || !trade.open)
            {
                trade = null;
            }
            else
            {
                emitBalance(nowMs);
            }
            return;
        }

        final long remaining = order.remaining();
        final long fillAmount = 1 == remaining || random.nextBoolean() ? remaining : 1 + random.nextLong(remaining - 1);
        final boolean maker = OrderType.LIMIT == order.orderType && random.nextInt(3) != 0;
        final long feeMantissa = Math.multiplyExact(Math.multiplyExact(order.priceTicks, fillAmount),
            (long)(maker ? MAKER_FEE_BPS : TAKER_FEE_BPS));
        order.filled += fillAmount;
        order.feeMantissa += feeMantissa;
        order.status = order.filled == order.amount ? OrderStatus.CLOSED : OrderStatus.PARTIALLY_FILLED;
        fillCount++;
        sink.fill(instrument, order, idPrefix + "f" + fillCount, fillAmount, maker, feeMantissa, nowMs);
        events++;
        emitOrder(order, nowMs);

        if (order.entry)
        {
            position += fillAmount;
            if (null == trade)
            {
                trade = openTrade(nowMs);
            }
            trade.amount += fillAmount;
            trade.feeOpenMantissa += feeMantissa;
            emitTrade(nowMs);
        }
        else
        {
            position -= fillAmount;
            trade.closedAmount += fillAmount;
            trade.feeCloseMantissa += feeMantissa;
            if (OrderStatus.CLOSED == order.status)
            {
                closeTrade(nowMs);
            }
        }
        final boolean done = order.isDone();
        emitBalance(nowMs);
        if (done)
        {
            order = null;
        }
        if (null != trade && !trade.open)
        {
            trade = null;
        }
    }

    private SimTrade openTrade(final long nowMs)
    {
        final SimTrade opened = new SimTrade();
        opened.tradeId = order.tradeId;
        opened.isShort = Side.SELL == order.side;
        opened.leverage = order.leverage;
        opened.openTimeMs = nowMs;
        opened.openRateTicks = order.priceTicks;
        final long distance = stopDistance(order.priceTicks);
        opened.stopLossTicks = opened.isShort ? order.priceTicks + distance : order.priceTicks - distance;
        opened.initialStopLossTicks = opened.stopLossTicks;
        opened.maxRateTicks = order.priceTicks;
        opened.minRateTicks = order.priceTicks;
        if (instrument.isFutures())
        {
            final long toLiquidation = order.priceTicks / order.leverage;
            opened.liquidationTicks = opened.isShort ? order.priceTicks + toLiquidation :
                order.priceTicks - toLiquidation;
        }
        return opened;
    }

    private void closeTrade(final long nowMs)
    {
        trade.open = false;
        trade.closeTimeMs = nowMs;
        trade.closeRateTicks = order.priceTicks;
        // (close - open) x amount is in the cost exponent; x 10^4 brings it to the fee exponent of the fees.
        final long gross = Math.multiplyExact(
            Math.multiplyExact(trade.direction() * (trade.closeRateTicks - trade.openRateTicks), trade.amount),
            10_000L);
        trade.realizedProfitMantissa = gross - trade.feeOpenMantissa - trade.feeCloseMantissa;
        emitTrade(nowMs);
        if (trade.realizedProfitMantissa < 0 && null == lockedSide)
        {
            lockedSide = trade.isShort ? LockSide.SHORT : LockSide.LONG;
            final long lockMs = LOCK_MIN_MS + random.nextLong(LOCK_MAX_MS - LOCK_MIN_MS);
            sink.pairLock(instrument.symbol(), lockedSide, nowMs, nowMs + lockMs, LOSS_LOCK_REASON);
            events++;
        }
    }

    private SimOrder newOrder(final long tradeId)
    {
        orderCount++;
        final SimOrder created = new SimOrder();
        created.orderId = idPrefix + orderCount;
        created.clientOrderId = "demo-" + orderCount;
        created.tradeId = tradeId;
        return created;
    }

    private long stopDistance(final long referenceTicks)
    {
        return Math.max(1, referenceTicks * STOP_LOSS_BPS / 10_000);
    }

    private void emitOrder(final SimOrder emitted, final long nowMs)
    {
        sink.orderUpdate(instrument, emitted, nowMs);
        events++;
    }

    private void emitTrade(final long nowMs)
    {
        sink.tradeUpdate(instrument, trade, nowMs);
        events++;
    }

    private void emitBalance(final long nowMs)
    {
        final long used = null != order && !order.isDone() && !order.entry && !instrument.isFutures() ?
            order.remaining() : 0;
        sink.balanceUpdate(instrument, position - used, used, position, nowMs);
        events++;
    }
}
