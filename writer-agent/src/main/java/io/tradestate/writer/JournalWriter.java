package io.tradestate.writer;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.bytes.MappedBytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.ExcerptContext;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.File;

/**
 * One thread's way into the journal: its own Chronicle appender, one reusable flyweight per event type and the
 * buffer that wraps the queue's mapped memory.
 * <p>
 * Why one per thread: Chronicle appenders are single-threaded, and the queue's write lock already makes each
 * excerpt atomic across appenders, so a per-thread writer gives thread safety with no lock of ours and no shared
 * mutable state on the append path. The cost is one appender (and its mapping of the current block) per appending
 * thread, created on the thread's first append.
 * <p>
 * The append: open an excerpt, reserve the event's exact length, wrap the reserved address with an Agrona
 * {@link UnsafeBuffer}, let the SBE encoder write straight into it, close the excerpt. Any failure while the excerpt
 * is open rolls it back, so a reader never sees a partial event. Before writing, the excerpt's range must lie in
 * the disk space {@link JournalSpace} has reserved: one compare, and a reservation once per MiB when the
 * background thread has not made it already, so that a full file system fails the append cleanly.
 */
final class JournalWriter
{
    final OrderUpdateEvent orderUpdate = new OrderUpdateEvent(this);
    final FillEvent fill = new FillEvent(this);
    final TradeUpdateEvent tradeUpdate = new TradeUpdateEvent(this);
    final PairLockEvent pairLock = new PairLockEvent(this);
    final PairUnlockEvent pairUnlock = new PairUnlockEvent(this);
    final BalanceUpdateEvent balanceUpdate = new BalanceUpdateEvent(this);
    final SourceStatusEvent sourceStatus;

    private final TradeJournal journal;
    private final JournalSpace space;
    private final ExcerptAppender appender;
    private final EpochNanoClock clock;
    private final UnsafeBuffer buffer = new UnsafeBuffer(0, 0);
    private final SyncPolicy syncPolicy;
    private final int syncEveryAppends;
    private final long keepWarmIntervalNs;
    private final JournalEvent[] events;
    private int appendsSinceSync;
    private long lastActivityNs;
    private int lastRehearsedIndex;
    private int rehearsals;
    private boolean rehearsing;

    JournalWriter(final TradeJournal journal, final ExcerptAppender appender, final JournalContext context)
    {
        this.journal = journal;
        this.space = journal.space();
        this.appender = appender;
        this.clock = context.epochNanoClock();
        this.syncPolicy = context.syncPolicy();
        this.syncEveryAppends = SyncPolicy.EVERY_APPEND == syncPolicy ? 1 : context.syncEveryAppends();
        this.keepWarmIntervalNs = context.keepWarmIntervalUs() * 1000L;
        this.sourceStatus = new SourceStatusEvent(
            this, context.sourceId(), context.host(), ProcessHandle.current().pid(), journal.startTimeNs());
        this.events = new JournalEvent[]{orderUpdate, fill, tradeUpdate, pairLock, pairUnlock, balanceUpdate};
    }

    long append(final JournalEvent event)
    {
        if (rehearsing)
        {
            write(event, true);
            return JournalEvent.REHEARSED;
        }

        write(event, false);

        if (SyncPolicy.EVERY_APPEND == syncPolicy || SyncPolicy.EVERY_N_APPENDS == syncPolicy)
        {
            syncIfDue();
        }

        return appender.lastIndexAppended();
    }

    /**
     * Everything {@link #append} does, up to encoding the event into the queue's next excerpt, then roll the excerpt
     * back. The header of an excerpt is written when it is closed, so no reader ever sees it, and the rollback zeroes
     * the bytes again; a kill in between leaves what a kill in the middle of a real append leaves, which Chronicle's
     * next appender writes over. Where the disk space ahead is not reserved yet, the event is not encoded: the next
     * append reserves it, and a rehearsal never fails for want of space.
     */
    void rehearse(final JournalEvent event)
    {
        write(event, true);
    }

    private void write(final JournalEvent event, final boolean rehearsal)
    {
        journal.checkNotClosed();

        final int length = event.encodedLength();
        final long appendTimeNs = clock.nanoTime();
        lastActivityNs = appendTimeNs;
        final DocumentContext context = appender.writingDocument();
        try
        {
            final Bytes<?> bytes = context.wire().bytes();
            final long position = bytes.writePosition();
            final int cycle = appender.cycle();
            final boolean covered = space.covers(cycle, position + length);
            if (!covered && !rehearsal)
            {
                reserve(bytes, cycle, position + length);
            }
            if (covered || !rehearsal)
            {
                bytes.writeSkip(length);
                buffer.wrap(bytes.addressForWrite(position), length);
                event.encode(buffer, appendTimeNs);
            }
            if (rehearsal)
            {
                context.rollbackOnClose();
            }
        }
        catch (final RuntimeException | Error ex)
        {
            context.rollbackOnClose();
            throw ex;
        }
        finally
        {
            context.close();
        }
    }

    /**
     * Rehearse one of the event types this thread has committed, in turn ({@code OrderUpdate} before any), if the
     * keep-warm interval has passed since this thread's last append or rehearsal.
     *
     * @return 1 if it rehearsed, else 0.
     */
    int keepWarm()
    {
        if (clock.nanoTime() - lastActivityNs < keepWarmIntervalNs)
        {
            return 0;
        }

        final int count = events.length;
        for (int i = 1; i <= count; i++)
        {
            final int index = (lastRehearsedIndex + i) % count;
            final JournalEvent event = events[index];
            if (event.wasCommitted() && !event.isOpen())
            {
                lastRehearsedIndex = index;
                rehearse(index, RehearsalEvents.keepWarmVariant(++rehearsals));
                return 1;
            }
        }

        if (orderUpdate.wasCommitted() || orderUpdate.isOpen())
        {
            return 0;
        }

        rehearse(0, RehearsalEvents.keepWarmVariant(++rehearsals));
        return 1;
    }

    /**
     * Run the strategy's own append code with every commit on this thread rehearsed, if the keep-warm interval has
     * passed since this thread's last append or rehearsal.
     *
     * @param appendCode what the strategy runs to append, on this thread.
     * @return 1 if it ran, else 0.
     */
    int rehearse(final Runnable appendCode)
    {
        if (rehearsing)
        {
            throw new IllegalStateException("TradeJournal.rehearse called inside a rehearsal on this thread");
        }
        if (clock.nanoTime() - lastActivityNs < keepWarmIntervalNs)
        {
            return 0;
        }

        rehearsing = true;
        try
        {
            appendCode.run();
        }
        finally
        {
            rehearsing = false;
        }
        return 1;
    }

    /**
     * Fill this thread's event of a type with rehearsal values through its setters and rehearse it.
     *
     * @param index   of the event type in {@link #events}.
     * @param variant of the values, see {@link RehearsalEvents}.
     */
    void rehearse(final int index, final int variant)
    {
        final JournalEvent event = events[index];
        event.begin();
        switch (index)
        {
            case 0 -> RehearsalEvents.orderUpdate(orderUpdate, variant);
            case 1 -> RehearsalEvents.fill(fill, variant);
            case 2 -> RehearsalEvents.tradeUpdate(tradeUpdate, variant);
            case 3 -> RehearsalEvents.pairLock(pairLock, variant, nowMs());
            case 4 -> RehearsalEvents.pairUnlock(pairUnlock, variant);
            default -> RehearsalEvents.balanceUpdate(balanceUpdate, variant);
        }
        event.rehearse();
    }

    /**
     * The appender's data bytes, for tests that watch which block it has mapped.
     */
    Bytes<?> appenderBytes()
    {
        return null == appender.wire() ? null : appender.wire().bytes();
    }

    /**
     * The appender's index bytes, for tests that watch which block it has mapped.
     */
    Bytes<?> indexBytes()
    {
        return ((ExcerptContext)appender).wireForIndex().bytes();
    }

    int cycle()
    {
        return appender.cycle();
    }

    long nowMs()
    {
        return clock.nanoTime() / 1_000_000L;
    }

    void close()
    {
        appender.close();
    }

    private void reserve(final Bytes<?> bytes, final int cycle, final long endPosition)
    {
        final File file = bytes instanceof MappedBytes ? ((MappedBytes)bytes).mappedFile().file() : null;
        if (null != file)
        {
            space.reserve(cycle, file, endPosition);
        }
    }

    private void syncIfDue()
    {
        if (++appendsSinceSync >= syncEveryAppends)
        {
            appendsSinceSync = 0;
            appender.sync();
        }
    }
}
