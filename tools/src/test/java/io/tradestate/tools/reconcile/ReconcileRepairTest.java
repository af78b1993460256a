package io.tradestate.tools.reconcile;

import io.tradestate.codecs.EventOrigin;
import io.tradestate.codecs.OrderStatus;
import io.tradestate.codecs.OrderType;
import io.tradestate.codecs.Side;
import io.tradestate.writer.JournalContext;
import io.tradestate.writer.TradeJournal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link ReconcileRepair} plans against what the database holds and what the journal holds after the agent's
 * checkpoint ({@link JournalTail}, a real journal): a repair already appended and not yet drained is not planned
 * again; a value the journal cannot hold refuses the plan, naming where and the field.
 */
class ReconcileRepairTest
{
    private static final long T0_MS = 1_767_225_600_000L;

    @TempDir
    Path root;

    @Test
    void shouldNotPlanAgainWhatTheUndrainedJournalTailAlreadyHolds() throws Exception
    {
        final ExchangeView exchange = exchange();
        final LocalRecords database = new Held();
        final ReconcileReport report = Reconciler.reconcile(exchange, database, "alpha", null, null);
        assertEquals(List.of("MISSING_FILL f-1", "MISSING_FILL f-2", "CLOSED_ON_EXCHANGE o-1",
            "UNKNOWN_TO_EXCHANGE o-9", "DIFFERING_BALANCE USDT"), report.differences().stream()
            .map((d) -> d.kind() + " " + d.id()).toList());

        final long reconcileTimeMs = T0_MS + 60_000;
        final ReconcileRepair.Plan whole = ReconcileRepair.plan(exchange, report, database, JournalTail.empty(),
            reconcileTimeMs);
        assertEquals(List.of("Fill f-1", "Fill f-2", "OrderUpdate o-1", "BalanceUpdate USDT"), names(whole.appends()));
        assertEquals(List.of("unknown to exchange o-9"), names(whole.skipped()));

        // The first run appended f-1, o-1 and USDT, then stopped; the agent has drained none of it (checkpoint -1).
        final long checkpoint;
        try (TradeJournal journal = TradeJournal.open(new JournalContext().journalRoot(root).sourceId("alpha")
            .heartbeatIntervalMs(0).warmUpAppends(0)))
        {
            checkpoint = journal.orderUpdate().exchange("binance").symbol("BTC/USDT").orderId("o-9").side(Side.BUY)
                .orderType(OrderType.LIMIT).status(OrderStatus.OPEN).amount(1, 0).commit();
            journal.fill().exchange("binance").symbol("BTC/USDT").fillId("f-1").orderId("o-1").side(Side.BUY)
                .price(64000, 0).amount(4, -3).origin(EventOrigin.RECONCILIATION).reconcileTimeMs(T0_MS).commit();
            journal.fill().exchange("okx").symbol("BTC/USDT").fillId("f-2").orderId("o-1").side(Side.BUY)
                .price(64000, 0).amount(6, -3).commit();
            journal.orderUpdate().exchange("binance").symbol("BTC/USDT").orderId("o-1").side(Side.BUY)
                .orderType(OrderType.LIMIT).status(OrderStatus.CLOSED).amount(10, -3).filled(10, -3)
                .average(64000, 0).origin(EventOrigin.RECONCILIATION).reconcileTimeMs(T0_MS).commit();
            journal.balanceUpdate().exchange("binance").asset("USDT").total(9995, -1).free(9995, -1).used(0, 0)
                .origin(EventOrigin.RECONCILIATION).reconcileTimeMs(T0_MS).commit();
        }
        final JournalTail tail = JournalTail.read(root.resolve("alpha"), checkpoint, "binance");
        assertEquals(4, tail.entries());

        final ReconcileRepair.Plan second = ReconcileRepair.plan(exchange, report, database, tail, reconcileTimeMs);
        assertEquals(List.of("Fill f-2"), names(second.appends()), "f-2 of another exchange is not this one's");
        assertEquals(List.of("missing fill f-1", "closed on exchange o-1", "unknown to exchange o-9",
            "differing balance USDT"), names(second.skipped()));
        assertEquals("already in the journal after the checkpoint", second.skipped().get(0).detail());

        // Appended through a journal, the plan is what a third run finds in the tail.
        try (TradeJournal journal = TradeJournal.open(new JournalContext().journalRoot(root).sourceId("alpha")
            .heartbeatIntervalMs(0).warmUpAppends(0)))
        {
            assertEquals(1, second.appendTo(journal));
        }
        final ReconcileRepair.Plan third = ReconcileRepair.plan(exchange, report, database,
            JournalTail.read(root.resolve("alpha"), checkpoint, "binance"), reconcileTimeMs);
        assertEquals(List.of(), third.appends());
    }

    @Test
    void shouldRefuseAValueTheJournalCannotHoldNamingWhereAndTheField()
    {
        final ExchangeInputException tooLarge = assertThrows(ExchangeInputException.class,
            () -> ReconcileRepair.decimal("line 3 [1]", "price", new BigDecimal("1e40")));
        assertEquals("line 3 [1]: price 10000000000000000000000000000000000000000 is outside the journal's range " +
            "(a 64-bit mantissa, an exponent in [-18, 18])", tooLarge.getMessage());
        assertThrows(ExchangeInputException.class,
            () -> ReconcileRepair.decimal("line 4", "amount", new BigDecimal("0.0000000000000000001")));
        assertThrows(ExchangeInputException.class,
            () -> ReconcileRepair.decimal("line 4", "amount", new BigDecimal("9223372036854775808")));
        assertEquals(List.of(150L, -2L), asList(ReconcileRepair.decimal("x", "amount", new BigDecimal("1.50"))));
        assertEquals(List.of(1L, 18L), asList(ReconcileRepair.decimal("x", "total", new BigDecimal("1e18"))));
        assertEquals(List.of(5L, -18L), asList(ReconcileRepair.decimal("x", "fee",
            new BigDecimal("0.00000000000000000500"))));
    }

    private static List<Long> asList(final long[] value)
    {
        return List.of(value[0], value[1]);
    }

    private static List<String> names(final List<ReconcileRepair.Action> actions)
    {
        return actions.stream().map((a) -> a.kind() + " " + a.id()).toList();
    }

    private static ExchangeView exchange()
    {
        return ExchangeView.of("binance",
            List.of(new ExchangeOrder("o-1", null, "BTC/USDT", "buy", "limit", "closed", T0_MS, T0_MS + 7000,
                new BigDecimal("64000"), new BigDecimal("0.010"), new BigDecimal("0.010"), new BigDecimal("64000"),
                null, null, null)),
            List.of(
                new ExchangeFill("f-1", "o-1", "BTC/USDT", "buy", "maker", T0_MS + 2000, new BigDecimal("64000"),
                    new BigDecimal("0.004"), null, null, null),
                new ExchangeFill("f-2", "o-1", "BTC/USDT", "buy", "maker", T0_MS + 7000, new BigDecimal("64000"),
                    new BigDecimal("0.006"), null, null, null)),
            List.of(new ExchangeBalance("USDT", new BigDecimal("999.5"), BigDecimal.ZERO, new BigDecimal("999.5"),
                null)));
    }

    /**
     * What the database holds: o-1 open with nothing filled, o-9 open (the exchange does not know it), no fills,
     * USDT 1000.
     */
    private static final class Held implements LocalRecords
    {
        private final Map<String, LocalOrder> orders = new HashMap<>();

        Held()
        {
            orders.put("o-1", new LocalOrder("o-1", "alpha", "BTC/USDT", "buy", "open", new BigDecimal("0.010"),
                BigDecimal.ZERO, null, T0_MS + 1000, "limit", "GTC", 7L, new BigDecimal("64000")));
            orders.put("o-9", new LocalOrder("o-9", "alpha", "BTC/USDT", "buy", "open", BigDecimal.ONE, null, null,
                T0_MS + 1000, "limit", null, null, null));
        }

        public String description()
        {
            return "held";
        }

        public Map<String, LocalOrder> orders(final String exchange, final Collection<String> orderIds)
        {
            final Map<String, LocalOrder> found = new HashMap<>();
            orderIds.stream().filter(orders::containsKey).forEach((id) -> found.put(id, orders.get(id)));
            return found;
        }

        public List<LocalOrder> openOrders(final String sourceId, final String exchange)
        {
            return List.of(orders.get("o-1"), orders.get("o-9"));
        }

        public boolean holdsClosedOrders()
        {
            return true;
        }

        public boolean holdsFills()
        {
            return true;
        }

        public Map<String, LocalFill> fills(final String exchange, final Collection<String> fillIds)
        {
            return Map.of();
        }

        public Map<String, LocalBalance> balances(final String exchange)
        {
            return Map.of("USDT", new LocalBalance("USDT", "alpha", new BigDecimal("1000.00"), BigDecimal.ZERO,
                new BigDecimal("1000.00")));
        }
    }
}
