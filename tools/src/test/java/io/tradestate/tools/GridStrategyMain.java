package io.tradestate.tools;

import io.tradestate.files.ChronicleDefaults;
import io.tradestate.writer.JournalContext;
import io.tradestate.writer.TradeJournal;

import java.nio.file.Paths;

/**
 * A strategy JVM for {@link ReconcileApplyIT}: journals {@link GridExchange#events()} in order, one every
 * {@code delayMs}, as a strategy hearing of its exchange would, then waits to be killed. Arguments: journal root,
 * source id, delay in ms.
 */
public final class GridStrategyMain
{
    static
    {
        ChronicleDefaults.apply();
    }

    private GridStrategyMain()
    {
    }

    /**
     * Run.
     *
     * @param args journal root, source id, delay between events in ms.
     * @throws InterruptedException if interrupted.
     */
    public static void main(final String[] args) throws InterruptedException
    {
        final long delayMs = Long.parseLong(args[2]);
        final GridExchange exchange = new GridExchange();
        try (TradeJournal journal = TradeJournal.open(new JournalContext().journalRoot(Paths.get(args[0]))
            .sourceId(args[1]).heartbeatIntervalMs(0).warmUpAppends(0)))
        {
            for (final GridExchange.Event event : exchange.events())
            {
                GridExchange.append(journal, event);
                System.out.println("journaled " + event.kind() + " " + event.id());
                Thread.sleep(delayMs);
            }
            System.out.println("all journaled");
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
