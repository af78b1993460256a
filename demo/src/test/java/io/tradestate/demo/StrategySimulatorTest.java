package io.tradestate.demo;

import io.tradestate.codecs.LockSide;
import io.tradestate.codecs.OrderStatus;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StrategySimulatorTest
{
    private static final long NOW_MS = 1_763_700_000_000L;
    private static final int STEPS = 50_000;

    @Test
    void shouldReplayTheSameEventsWhenTheSeedIsTheSame()
    {
        final RecordingSink first = run(42, STEPS);
        final RecordingSink second = run(42, STEPS);
        final RecordingSink other = run(43, STEPS);

        assertTrue(first.events.size() > STEPS / 2, "events: " + first.events.size());
        assertEquals(first.events, second.events);
        assertNotEquals(first.events, other.events);
    }

    @Test
    void shouldDeriveTheSameMarketsFromTheSeedWhateverTheNumberOfProcesses()
    {
        final List<Instrument> universe = InstrumentUniverse.create(100, 5, 7);
        assertEquals(universe.toString(), InstrumentUniverse.create(100, 5, 7).toString());
        int owned = 0;
        final Set<Integer> seen = new HashSet<>();
        for (int process = 0; process < 3; process++)
        {
            for (final Instrument instrument : InstrumentUniverse.ofProcess(universe, process, 3))
            {
                assertTrue(seen.add(instrument.index()), "owned twice: " + instrument);
                owned++;
            }
        }
        assertEquals(100, owned);
    }

    @Test
    void shouldKeepEveryOrderLifeCycleValid()
    {
        final RecordingSink sink = run(7, STEPS);
        final Map<String, RecordingSink.OrderRecord> last = new HashMap<>();
        final Map<String, BigDecimal> filledByFills = new HashMap<>();
        final Set<OrderStatus> seenStatuses = new HashSet<>();
        for (final Object event : sink.events)
        {
            if (event instanceof RecordingSink.FillRecord)
            {
                final RecordingSink.FillRecord fill = (RecordingSink.FillRecord)event;
                final RecordingSink.OrderRecord order = last.get(fill.orderId());
                assertNotNull(order, "fill of an unknown order: " + fill);
                assertTrue(OrderStatus.OPEN == order.status() || OrderStatus.PARTIALLY_FILLED == order.status(),
                    "fill of an order that is not open: " + order);
                assertEquals(order.price(), fill.price(), "a limit order fills at its price");
                assertTrue(fill.amount().signum() > 0, "fill amount must be positive: " + fill);
                filledByFills.merge(fill.orderId(), fill.amount(), BigDecimal::add);
            }
            else if (event instanceof RecordingSink.OrderRecord)
            {
                final RecordingSink.OrderRecord order = (RecordingSink.OrderRecord)event;
                seenStatuses.add(order.status());
                final RecordingSink.OrderRecord previous = last.get(order.orderId());
                if (null == previous)
                {
                    assertTrue(OrderStatus.OPEN == order.status() || OrderStatus.REJECTED == order.status(),
                        "an order starts open or rejected: " + order);
                }
                else
                {
                    assertTrue(rank(order.status()) >= rank(previous.status()), previous + " -> " + order);
                    assertFalse(isTerminal(previous.status()), "update after a final state: " + order);
                    assertTrue(order.filled().compareTo(previous.filled()) >= 0, "filled went down: " + order);
                }
                assertTrue(order.filled().compareTo(order.amount()) <= 0, "overfilled: " + order);
                assertEquals(0, order.filled().compareTo(filledByFills.getOrDefault(order.orderId(), BigDecimal.ZERO)),
                    "filled must be the sum of the fills: " + order);
                if (OrderStatus.CLOSED == order.status())
                {
                    assertEquals(0, order.filled().compareTo(order.amount()), "closed but not filled: " + order);
                }
                last.put(order.orderId(), order);
            }
        }
        assertTrue(seenStatuses.containsAll(Set.of(OrderStatus.OPEN, OrderStatus.PARTIALLY_FILLED,
            OrderStatus.CLOSED, OrderStatus.CANCELED, OrderStatus.REJECTED)), "statuses seen: " + seenStatuses);
    }

    @Test
    void shouldComputeFeesAndProfitsExactly()
    {
        final RecordingSink sink = run(11, STEPS);
        final Map<Long, BigDecimal> feesByTrade = new HashMap<>();
        for (final RecordingSink.FillRecord fill : sink.ofType(RecordingSink.FillRecord.class))
        {
            final BigDecimal rate = fill.maker() ? new BigDecimal("0.0002") : new BigDecimal("0.0010");
            assertEquals(0, fill.price().multiply(fill.amount()).multiply(rate).compareTo(fill.fee()),
                "fee must be price x amount x rate exactly: " + fill);
            feesByTrade.merge(fill.tradeId(), fill.fee(), BigDecimal::add);
        }

        int closed = 0;
        boolean sawShort = false;
        for (final RecordingSink.TradeRecord trade : sink.ofType(RecordingSink.TradeRecord.class))
        {
            if (trade.isShort())
            {
                assertTrue(trade.futures(), "only futures go short: " + trade);
                sawShort = true;
            }
            assertTrue(trade.futures() ? trade.leverage() >= 2 && trade.leverage() <= 10 : trade.leverage() == 1,
                "leverage: " + trade);
            assertTrue(trade.maxRate().compareTo(trade.minRate()) >= 0, "max below min: " + trade);
            if (!trade.open())
            {
                closed++;
                final BigDecimal gross = trade.closeRate().subtract(trade.openRate()).multiply(trade.amount())
                    .multiply(BigDecimal.valueOf(trade.isShort() ? -1 : 1));
                final BigDecimal expected = gross.subtract(feesByTrade.get(trade.tradeId()));
                assertEquals(0, expected.compareTo(trade.realizedProfit()), "realized profit of " + trade);
            }
        }
        assertTrue(closed > 100, "closed trades: " + closed);
        assertTrue(sawShort, "no short trade");
    }

    @Test
    void shouldLockAndUnlockPairsAndTheWholeStrategy()
    {
        final RecordingSink sink = run(5, STEPS);
        final List<RecordingSink.LockRecord> locks = sink.ofType(RecordingSink.LockRecord.class);
        assertTrue(locks.stream().anyMatch((lock) -> "*".equals(lock.pair()) && LockSide.ANY == lock.side()));
        assertTrue(locks.stream().anyMatch((lock) -> !"*".equals(lock.pair()) && LockSide.ANY != lock.side()));
        for (final RecordingSink.LockRecord lock : locks)
        {
            assertTrue(lock.lockEndTimeMs() > lock.lockTimeMs(), "lock must end after it starts: " + lock);
        }
        final List<RecordingSink.UnlockRecord> unlocks = sink.ofType(RecordingSink.UnlockRecord.class);
        assertTrue(unlocks.stream().anyMatch((unlock) -> null != unlock.reason()));
        assertTrue(unlocks.stream().anyMatch((unlock) -> null != unlock.pair()));
        assertFalse(sink.ofType(RecordingSink.BalanceRecord.class).isEmpty());
        for (final RecordingSink.BalanceRecord balance : sink.ofType(RecordingSink.BalanceRecord.class))
        {
            assertTrue(balance.free().signum() >= 0 && balance.used().signum() >= 0, "balance: " + balance);
            assertEquals(0, balance.free().add(balance.used()).compareTo(balance.total()), "balance: " + balance);
        }
    }

    @Test
    void shouldLockPairsOfTheWholeUniverseFromTheRiskDeskWithoutChangingTheMarkets()
    {
        final List<Instrument> universe = InstrumentUniverse.create(12, 3, 9);
        final List<Instrument> own = InstrumentUniverse.ofProcess(universe, 0, 3);
        final RecordingSink withDesk = new RecordingSink();
        final StrategySimulator simulator = new StrategySimulator(own, 1.5, 9, 0, 1, withDesk, null,
            new RiskDesk(universe, 9, withDesk));
        final RecordingSink withoutDesk = new RecordingSink();
        final StrategySimulator plain = new StrategySimulator(own, 1.5, 9, 0, 1, withoutDesk, null, null);
        for (int i = 0; i < STEPS; i++)
        {
            simulator.step(NOW_MS + 10L * i);
            plain.step(NOW_MS + 10L * i);
        }

        final List<RecordingSink.LockRecord> riskLocks = withDesk.ofType(RecordingSink.LockRecord.class).stream()
            .filter(RecordingSink.LockRecord::allSources).toList();
        assertEquals(simulator.riskLocks(), riskLocks.size());
        assertTrue(riskLocks.size() > 1, "locks: " + riskLocks.size());
        for (int i = 1; i < riskLocks.size(); i++)
        {
            assertTrue(riskLocks.get(i).lockTimeMs() >= riskLocks.get(i - 1).lockEndTimeMs(),
                "one lock at a time for a universe of 12: " + riskLocks.get(i));
        }
        final Set<String> others = new HashSet<>();
        for (final RecordingSink.LockRecord lock : riskLocks)
        {
            assertEquals(LockSide.ANY, lock.side());
            assertEquals(RiskDesk.LOCK_REASON, lock.reason());
            assertEquals(RiskDesk.LOCK_MS, lock.lockEndTimeMs() - lock.lockTimeMs());
            if (own.stream().noneMatch((instrument) -> instrument.symbol().equals(lock.pair())))
            {
                others.add(lock.pair());
            }
        }
        assertFalse(others.isEmpty(), "the desk locks other strategies' pairs too");
        final List<Object> marketEvents = new ArrayList<>(withDesk.events);
        marketEvents.removeAll(riskLocks);
        assertEquals(withoutDesk.events, marketEvents, "the desk draws from a random stream of its own");
    }

    @Test
    void shouldHoldEntriesBackWhileTheGateSaysThePairIsLocked()
    {
        final List<Instrument> instruments = InstrumentUniverse.create(6, 2, 11);
        final String lockedPair = instruments.get(0).symbol();
        final int[] askedLocked = new int[1];
        final EntryGate gate = (pair, side, nowMs) ->
        {
            final boolean locked = lockedPair.equals(pair) && nowMs < NOW_MS + STEPS / 2;
            askedLocked[0] += locked ? 1 : 0;
            return locked;
        };
        final RecordingSink sink = new RecordingSink();
        final StrategySimulator simulator = new StrategySimulator(instruments, 1.5, 11, 0, 1, sink, gate, null);
        for (int i = 0; i < STEPS; i++)
        {
            simulator.step(NOW_MS + i);
        }
        assertTrue(simulator.entriesHeldBack() > 0);
        assertEquals(askedLocked[0], simulator.entriesHeldBack());
        assertFalse(sink.ofType(RecordingSink.OrderRecord.class).isEmpty(), "the other pairs trade on");
    }

    @Test
    void shouldAverageTheRequestedRateOfMarketEvents()
    {
        final List<Instrument> instruments = InstrumentUniverse.create(10, 2, 3);
        final StrategySimulator simulator = new StrategySimulator(instruments, 1.5, 3, 0, 1, new RecordingSink(), null,
            null);
        final long simulatedNs = 1_000_000_000_000L;
        simulator.runDue(simulatedNs, NOW_MS, Integer.MAX_VALUE);
        final double perSecondPerInstrument = simulator.steps() / 1_000.0 / instruments.size();
        assertEquals(1.5, perSecondPerInstrument, 0.05);
    }

    private static RecordingSink run(final long seed, final int steps)
    {
        final RecordingSink sink = new RecordingSink();
        final StrategySimulator simulator = new StrategySimulator(
            InstrumentUniverse.create(12, 3, seed), 1.5, seed, 0, 1_763_700_000L, sink, null, null);
        for (int i = 0; i < steps; i++)
        {
            simulator.step(NOW_MS + i);
        }
        return sink;
    }

    private static int rank(final OrderStatus status)
    {
        return OrderStatus.OPEN == status ? 0 : (OrderStatus.PARTIALLY_FILLED == status ? 1 : 2);
    }

    private static boolean isTerminal(final OrderStatus status)
    {
        return rank(status) == 2;
    }
}
