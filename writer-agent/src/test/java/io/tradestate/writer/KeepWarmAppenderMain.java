package io.tradestate.writer;

import io.tradestate.codecs.OrderStatus;
import io.tradestate.codecs.OrderType;
import io.tradestate.codecs.Side;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;

/**
 * A strategy JVM for the tests of the warm-up and keep-warm: opens its journal with the warm-up on (the default),
 * then either appends numbered orders with {@link TradeJournal#keepWarm()} before and
 * {@link TradeJournal#rehearse(Runnable)} of an order after each, or does nothing but rehearse both ways until it is
 * killed. Its status file (one line, replaced atomically) says where it is:
 * {@code opening} before {@link TradeJournal#open}, {@code open} after it, {@code rehearsing} once rehearsing,
 * {@code done <count>} at the end.
 * <pre>
 * KeepWarmAppenderMain journalRoot sourceId statusFile orderIdPrefix orders|rehearse [count]
 * </pre>
 */
public final class KeepWarmAppenderMain
{
    private KeepWarmAppenderMain()
    {
    }

    /**
     * Run it.
     *
     * @param args journal root, source id, status file, order id prefix, mode and count.
     * @throws IOException if the status file cannot be written.
     */
    public static void main(final String[] args) throws IOException
    {
        final Path statusFile = Paths.get(args[2]);
        final String orderIdPrefix = args[3];
        final boolean orders = "orders".equals(args[4]);
        final int count = orders ? Integer.parseInt(args[5]) : 0;

        status(statusFile, "opening");
        try (TradeJournal journal = TradeJournal.open(new JournalContext()
            .journalRoot(Paths.get(args[0])).sourceId(args[1]).keepWarmIntervalUs(0)))
        {
            status(statusFile, "open");
            final Runnable rehearsedOrder = () -> appendOrder(journal, orderIdPrefix + "rehearsed", 0);
            if (!orders)
            {
                journal.keepWarm();
                status(statusFile, "rehearsing");
                while (true)
                {
                    journal.keepWarm();
                    journal.rehearse(rehearsedOrder);
                }
            }

            for (int i = 0; i < count; i++)
            {
                journal.keepWarm();
                appendOrder(journal, orderIdPrefix + i, i);
                journal.rehearse(rehearsedOrder);
            }
            status(statusFile, "done " + count);
        }
    }

    private static void appendOrder(final TradeJournal journal, final String orderId, final int i)
    {
        journal.orderUpdate().exchange("binance").symbol("BTC/USDT").orderId(orderId).side(Side.BUY)
            .orderType(OrderType.LIMIT).status(OrderStatus.OPEN).price(6_412_350 + i, -2).amount(15, -3).commit();
    }

    private static void status(final Path statusFile, final String status) throws IOException
    {
        final Path next = statusFile.resolveSibling(statusFile.getFileName() + ".next");
        Files.writeString(next, status);
        Files.move(next, statusFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
