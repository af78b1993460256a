package io.tradestate.bench;

import io.tradestate.bench.jmh.SampleEvents;
import io.tradestate.writer.JournalContext;
import io.tradestate.writer.TradeJournal;

import java.nio.file.Path;

/**
 * TradeState's variants of {@link SparseAppendHarness}: a {@link TradeJournal} with its default settings (warm-up at
 * open, pretoucher, heartbeats) appending {@code journal.orderUpdate()...commit()}, or the same with the warm-up at
 * open turned off. The one place that calls the journal's warm-up API ({@code warmUpAppends}, {@code warmUpNs},
 * {@code keepWarm}), so that a rename touches only this class.
 */
final class JournalSparseAppender implements SparseAppender
{
    private final TradeJournal journal;
    private final boolean rehearseOwnCode;
    private final Runnable rehearsedOrder = () -> append(0);

    /**
     * Open the journal, {@code <journalRoot>/<sourceId>/}, on the calling thread: the thread that will append.
     *
     * @param journalRoot folder of the journal.
     * @param sourceId    its source id.
     * @param warmUp          false to turn the warm-up at open off ({@code warmUpAppends(0)}).
     * @param rehearseOwnCode true for {@link #keepWarm()} to rehearse {@link #append(int)} itself with
     *                        {@code journal.rehearse(Runnable)}, false for {@code journal.keepWarm()}.
     */
    JournalSparseAppender(
        final Path journalRoot, final String sourceId, final boolean warmUp, final boolean rehearseOwnCode)
    {
        this.rehearseOwnCode = rehearseOwnCode;
        final JournalContext context = new JournalContext().journalRoot(journalRoot).sourceId(sourceId);
        if (!warmUp)
        {
            context.warmUpAppends(0);
        }
        this.journal = TradeJournal.open(context);
    }

    /**
     * {@inheritDoc}
     */
    public void append(final int event)
    {
        final int order = SparseOrders.order(event);
        SampleEvents.appendOrderUpdate(journal, SparseOrders.orderId(order), SparseOrders.priceMantissa(order));
    }

    /**
     * {@inheritDoc}
     */
    public int keepWarm()
    {
        return rehearseOwnCode ? journal.rehearse(rehearsedOrder) : journal.keepWarm();
    }

    /**
     * {@inheritDoc}
     */
    public long warmUpNs()
    {
        return journal.warmUpNs();
    }

    /**
     * {@inheritDoc}
     */
    public void close()
    {
        journal.close();
    }
}
