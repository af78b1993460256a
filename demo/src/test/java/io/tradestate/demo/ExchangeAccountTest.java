package io.tradestate.demo;

import io.tradestate.codecs.OrderStatus;
import io.tradestate.codecs.OrderType;
import io.tradestate.codecs.Side;
import io.tradestate.codecs.TradingMode;
import io.tradestate.tools.reconcile.ExchangeFill;
import io.tradestate.tools.reconcile.ExchangeOrder;
import io.tradestate.tools.reconcile.ExchangeView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The simulated exchange's record of an account: what one process records, another reads back after a kill (a last
 * line cut short included), exact decimals, and the trading it does while the strategy is down.
 */
class ExchangeAccountTest
{
    private static final long T_MS = 1_780_000_000_000L;
    private static final Instrument BTC = new Instrument(0, "binance", "BTC", TradingMode.SPOT, -2, 6_412_350, -5,
        1_500);
    private static final Instrument ETH = new Instrument(1, "kraken", "ETH", TradingMode.FUTURES, -2, 312_050, -4,
        2_000);

    @TempDir
    Path root;

    @Test
    void shouldReadBackWhatWasRecordedAfterAKillCutTheLastLineShort() throws Exception
    {
        final Path file = root.resolve("account");
        final SimOrder order = order("o-1", Side.BUY, 6_412_350, 1_500);
        try (ExchangeAccount account = ExchangeAccount.open(file))
        {
            account.order(BTC, order, T_MS);
            order.filled = 500;
            order.status = OrderStatus.PARTIALLY_FILLED;
            order.feeMantissa = 6_412_350L * 500 * 2;
            account.fill(BTC, order, "f-1", 500, true, order.feeMantissa, T_MS + 10);
            account.order(BTC, order, T_MS + 10);
            account.order(ETH, order("o-2", Side.SELL, 312_050, 2_000), T_MS + 20);
        }
        Files.writeString(file, "O\tbinance\to-3\t-\tBTC/US", StandardCharsets.UTF_8, StandardOpenOption.APPEND);

        try (ExchangeAccount account = ExchangeAccount.open(file))
        {
            assertEquals(List.of("binance", "kraken"), account.exchanges());
            final ExchangeView binance = account.view("binance", T_MS);
            assertEquals(1, binance.orders().size(), "the latest state of each order, the cut line ignored");
            final ExchangeOrder o1 = binance.orders().get(0);
            assertEquals("open", o1.status());
            assertEquals(T_MS, o1.timestampMs(), "placed when first recorded");
            assertEquals(T_MS + 10, o1.lastUpdateMs());
            assertEquals(new BigDecimal("64123.50"), o1.price());
            assertEquals(new BigDecimal("0.01500"), o1.amount());
            assertEquals(new BigDecimal("0.00500"), o1.filled());
            assertEquals(new BigDecimal("64123.50"), o1.average());
            final ExchangeFill f1 = binance.fills().get(0);
            assertEquals("f-1", f1.id());
            assertEquals("o-1", f1.orderId());
            assertEquals("maker", f1.takerOrMaker());
            assertEquals(0, new BigDecimal("0.0641235").compareTo(f1.feeCost()), "price x amount x 2 bp, exact");
            assertEquals("sell", account.view("kraken", T_MS).orders().get(0).side());
            assertTrue(account.isOpen("binance", "o-1"));
            assertFalse(account.isOpen("binance", "o-3"));
        }
    }

    @Test
    void shouldFillTheFirstWorkingOrderAndSomeOthersWhileTheStrategyIsDown()
    {
        final Path file = root.resolve("account");
        final ExchangeView before;
        try (ExchangeAccount account = ExchangeAccount.open(file))
        {
            for (int i = 0; i < 20; i++)
            {
                final SimOrder order = order("w-" + i, Side.BUY, 6_412_350 + i, 1_500);
                account.order(BTC, order, T_MS);
                if (i % 5 == 4)
                {
                    order.status = OrderStatus.CANCELED;
                    account.order(BTC, order, T_MS + 1);
                }
            }
            final int filled = account.fillWhileDown(new Random(7), T_MS + 100, T_MS + 600);
            assertTrue(filled >= 1 && filled < 16, "the first of the 16 working orders and about half the others: " +
                filled);

            final ExchangeView view = account.view("binance", T_MS);
            assertEquals(filled, view.fills().size());
            int closed = 0;
            for (final ExchangeOrder order : view.orders())
            {
                if ("closed".equals(order.status()))
                {
                    closed++;
                    assertEquals(0, order.amount().compareTo(order.filled()), "filled for what remained");
                    final ExchangeFill fill = view.fills().stream()
                        .filter((candidate) -> order.id().equals(candidate.orderId())).findFirst().orElseThrow();
                    assertTrue(fill.timestampMs() >= T_MS + 100 && fill.timestampMs() < T_MS + 600);
                    assertEquals(0, order.price().multiply(order.amount()).multiply(BigDecimal.valueOf(2))
                        .movePointLeft(4).compareTo(fill.feeCost()), "maker fee, exact");
                    assertEquals(order.lastUpdateMs(), fill.timestampMs());
                }
            }
            assertEquals(filled, closed);
            assertEquals("closed", view.orders().get(0).status(), "the first working order is always filled");
            assertTrue(account.fillWhileDown(new Random(7), T_MS + 700, T_MS + 800) >= 1,
                "a second outage fills the first order left working");

            account.cancel("binance", "w-0", T_MS + 900);
            assertEquals("closed", account.view("binance", T_MS).orders().get(0).status(), "a filled order stays so");
            account.cancel("binance", "w-4", T_MS + 900);
            assertEquals("canceled", account.view("binance", T_MS).orders().get(4).status());
            before = account.view("binance", T_MS);
        }
        try (ExchangeAccount account = ExchangeAccount.open(file))
        {
            final ExchangeView after = account.view("binance", T_MS);
            assertEquals(before.orders(), after.orders(), "read back as recorded, decimals with their scale");
            assertEquals(before.fills(), after.fills());
            assertEquals(0, account.view("binance", T_MS + 10_000).fills().size(), "fills before the window left out");
        }
    }

    private static SimOrder order(final String id, final Side side, final long priceTicks, final long amount)
    {
        final SimOrder order = new SimOrder();
        order.orderId = id;
        order.clientOrderId = "c-" + id;
        order.side = side;
        order.orderType = OrderType.LIMIT;
        order.status = OrderStatus.OPEN;
        order.priceTicks = priceTicks;
        order.amount = amount;
        return order;
    }
}
