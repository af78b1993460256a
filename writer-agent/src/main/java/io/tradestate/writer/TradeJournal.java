package io.tradestate.writer;

import io.tradestate.codecs.LockSide;
import io.tradestate.files.ChronicleDefaults;
import io.tradestate.files.FileAccess;
import io.tradestate.files.IdentityFile;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.bytes.SyncMode;
import org.agrona.CloseHelper;
import org.agrona.concurrent.AgentRunner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * A strategy's journal: the append side of TradeState. Every event a strategy records (order updates, fills,
 * trades, pair locks, balances) is encoded with SBE straight into a memory-mapped Chronicle Queue that this process
 * alone writes, under {@code <journalRoot>/<sourceId>/}. The reader agent drains it into PostgreSQL.
 * <pre>{@code
 * try (TradeJournal journal = TradeJournal.open(new JournalContext()
 *     .journalRoot(Path.of("/var/lib/tradestate/journal"))
 *     .sourceId("momentum-1")))
 * {
 *     journal.orderUpdate()
 *         .exchange("binance").symbol("BTC/USDT").orderId("8389765").clientOrderId("mom1-42")
 *         .side(Side.BUY).orderType(OrderType.LIMIT).status(OrderStatus.OPEN)
 *         .price(6412350, -2).amount(15, -3).filled(0, 0).remaining(15, -3)
 *         .commit();
 * }
 * }</pre>
 * <p>
 * <b>Threads.</b> Any thread may append; each has its own {@link JournalWriter} (its own appender and flyweights),
 * created on its first append, and each event is atomic. Threads contend only on the queue's write lock, held for the
 * encoding of one event (tens of nanoseconds).
 * <p>
 * <b>Allocation.</b> After a thread's first append, starting, filling and committing an event allocates nothing,
 * except when Chronicle maps a new block or rolls the cycle, which the background thread does ahead of the
 * appenders when pretouching is on.
 * <p>
 * <b>Durability.</b> When {@link JournalEvent#commit()} returns the event is in the mapped file and survives the
 * process being killed. Surviving a power loss takes a {@link SyncPolicy}. When the journal's file system is full,
 * {@link JournalEvent#commit()} throws {@link JournalFullException}, naming the file and the usable space, and
 * appends nothing; it succeeds again once space is freed.
 * <p>
 * <b>Files.</b> The queue folder and its files, cycle files created at each roll included, are given the group and
 * modes of {@link JournalContext#fileGroup()} and {@link JournalContext#groupWrite()} ({@code 2770} and {@code 0660}
 * by default): never accessible by others, whatever the umask, and in the group of the reader agent. The folder also
 * holds {@code journal.id}, the journal's identity, made with the queue: the reader agent records it with the
 * checkpoint, so a renamed or replaced folder is recognised instead of drained again.
 * <p>
 * <b>Background thread.</b> Unless pretouching, heartbeats and interval syncs are all off, one daemon thread per
 * journal touches the pages ahead of the write position, rolls the cycle file at the cycle boundary, appends a
 * {@code Heartbeat} every {@code heartbeatIntervalMs} and syncs with {@link SyncPolicy#INTERVAL}.
 * <p>
 * <b>Sparse appends.</b> At one or two events a second every append runs cold. {@link #open} warms the append path
 * up first (about a second, {@link JournalContext#warmUpAppends(int)}; {@link #warmUpNs()} says how long), so that the
 * first event runs compiled code; {@link #keepWarm()} and {@link #rehearse(Runnable)} keep it warm between events,
 * for a strategy with idle time. None of them leaves anything in the journal. writer-agent/README.md has the figures.
 */
public final class TradeJournal implements AutoCloseable
{
    static
    {
        ChronicleDefaults.apply();
    }

    private final JournalContext context;
    private final JournalSpace space = new JournalSpace();
    private final SingleChronicleQueue queue;
    private final long startTimeNs;
    private final Queue<JournalWriter> writers = new ConcurrentLinkedQueue<>();
    private final ThreadLocal<JournalWriter> threadWriter = ThreadLocal.withInitial(this::newWriter);
    private final AgentRunner maintenanceRunner;
    private final JournalMaintenanceAgent maintenanceAgent;
    private final Thread openingThread;
    private final JournalWriter openingWriter;
    private final long warmUpNs;
    private volatile boolean closed;

    private TradeJournal(final JournalContext context)
    {
        this.context = context;
        if (context.warmUpAppends() > 0)
        {
            // Before anything of this journal exists: a warm-up that cannot run leaves nothing behind.
            JournalWarmUp.checkDirectory(context);
        }

        final Path queueDirectory = context.queueDirectory();
        final FileAccess fileAccess = context.fileAccess();
        // The folder first and at once: whatever Chronicle then creates in it is out of reach of others.
        fileAccess.createDirectories(queueDirectory);
        fileAccess.directory(queueDirectory);
        try
        {
            // Before the queue's metadata file, which is what the reader agent looks for: it never sees the queue
            // without the identity that tells it apart from a renamed or replaced one.
            IdentityFile.readOrCreate(queueDirectory.resolve(IdentityFile.JOURNAL_ID));
            fileAccess.file(queueDirectory.resolve(IdentityFile.JOURNAL_ID));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot make the journal's identity file in " + queueDirectory, ex);
        }

        final SingleChronicleQueueBuilder builder = SingleChronicleQueueBuilder.single(queueDirectory.toFile())
            .rollCycle(context.rollCycle())
            .blockSize(context.blockSizeBytes())
            .timeProvider(context.timeProvider())
            .storeFileListener(new JournalFileListener(fileAccess));
        if (SyncPolicy.EVERY_APPEND == context.syncPolicy() || SyncPolicy.EVERY_N_APPENDS == context.syncPolicy())
        {
            builder.syncMode(SyncMode.SYNC);
        }

        this.queue = builder.build();
        this.startTimeNs = context.epochNanoClock().nanoTime();

        AgentRunner runner = null;
        JournalMaintenanceAgent agent = null;
        this.openingThread = Thread.currentThread();
        long warmUpDurationNs = 0;
        try
        {
            this.openingWriter = threadWriter.get();
            openingWriter.sourceStatus.started(true).begin();
            openingWriter.sourceStatus.commit();
            // The metadata file, the cycle file just written and any left by an earlier run, before open returns.
            fileAccess.tree(queueDirectory);

            if (context.pretouchEnabled() || context.heartbeatIntervalMs() > 0 ||
                SyncPolicy.INTERVAL == context.syncPolicy())
            {
                agent = new JournalMaintenanceAgent(this, queue, context);
                runner = new AgentRunner(
                    new JournalMaintenanceAgent.Idle(agent, context.maintenanceIdleMs()),
                    JournalMaintenanceAgent::logError,
                    null,
                    agent);
                AgentRunner.startOnThread(runner, (task) ->
                {
                    final Thread thread = new Thread(task);
                    thread.setDaemon(true);
                    return thread;
                });
            }

            if (context.warmUpAppends() > 0)
            {
                // After this journal's first append: what a new appender and a new file take once (the cycle file,
                // the first disk reservation) then runs before the JIT compiles, and never deoptimises its code.
                warmUpDurationNs = JournalWarmUp.run(context);
                // The scratch journal compiled the code; one rehearsal here brings this queue's own path in.
                openingWriter.keepWarm();
            }
        }
        catch (final RuntimeException | Error ex)
        {
            CloseHelper.quietClose(runner);
            CloseHelper.quietClose(queue);
            space.close();
            throw ex;
        }

        this.maintenanceRunner = runner;
        this.maintenanceAgent = agent;
        this.warmUpNs = warmUpDurationNs;
    }

    /**
     * Conclude the context and open the journal of its source, creating the queue folder if needed, and append a
     * {@code SourceStarted} event.
     *
     * @param context settings; concluded here.
     * @return the open journal.
     */
    public static TradeJournal open(final JournalContext context)
    {
        JvmFlagsCheck.verifyForJournal();
        return new TradeJournal(context.conclude());
    }

    /**
     * Start this thread's {@code OrderUpdate}: set its fields, then {@link JournalEvent#commit()}.
     *
     * @return the calling thread's reusable event, cleared.
     */
    public OrderUpdateEvent orderUpdate()
    {
        final OrderUpdateEvent event = writer().orderUpdate;
        event.begin();
        return event;
    }

    /**
     * Start this thread's {@code Fill}: set its fields, then {@link JournalEvent#commit()}.
     *
     * @return the calling thread's reusable event, cleared.
     */
    public FillEvent fill()
    {
        final FillEvent event = writer().fill;
        event.begin();
        return event;
    }

    /**
     * Start this thread's {@code TradeUpdate}: set its fields, then {@link JournalEvent#commit()}.
     *
     * @return the calling thread's reusable event, cleared.
     */
    public TradeUpdateEvent tradeUpdate()
    {
        final TradeUpdateEvent event = writer().tradeUpdate;
        event.begin();
        return event;
    }

    /**
     * Start this thread's {@code PairLock}: set its fields, then {@link JournalEvent#commit()}.
     *
     * @return the calling thread's reusable event, cleared.
     */
    public PairLockEvent pairLock()
    {
        final PairLockEvent event = writer().pairLock;
        event.begin();
        return event;
    }

    /**
     * Start this thread's {@code PairUnlock}: set its fields, then {@link JournalEvent#commit()}.
     *
     * @return the calling thread's reusable event, cleared.
     */
    public PairUnlockEvent pairUnlock()
    {
        final PairUnlockEvent event = writer().pairUnlock;
        event.begin();
        return event;
    }

    /**
     * freqtrade's {@code PairLocks.lock_pair}: lock a pair (or {@code *}, every pair) for a side until a time, now.
     *
     * @param pair    the pair, or {@code *}.
     * @param untilMs lock end time, ms since the epoch, after now.
     * @param reason  why, or null.
     * @param side    {@code LONG}, {@code SHORT} or {@code ANY} (freqtrade's {@code *}).
     * @return the queue index of the {@code PairLock} event.
     * @throws IllegalArgumentException naming the field if an argument is invalid; nothing is appended then.
     */
    public long lockPair(final CharSequence pair, final long untilMs, final CharSequence reason, final LockSide side)
    {
        final PairLockEvent event = pairLock().pair(pair).lockEndTimeMs(untilMs).side(side);
        if (null != reason)
        {
            event.reason(reason);
        }
        return event.commit();
    }

    /**
     * A risk lock across strategies: as {@link #lockPair}, but every source drained by the same agent honours it
     * (their {@code pairLockStatus} and {@code is_pair_locked} answer it), until it ends or this source unlocks it.
     *
     * @param pair    the pair, or {@code *}.
     * @param untilMs lock end time, ms since the epoch, after now.
     * @param reason  why, or null.
     * @param side    {@code LONG}, {@code SHORT} or {@code ANY} (freqtrade's {@code *}).
     * @return the queue index of the {@code PairLock} event.
     * @throws IllegalArgumentException naming the field if an argument is invalid; nothing is appended then.
     */
    public long lockPairForAllSources(
        final CharSequence pair, final long untilMs, final CharSequence reason, final LockSide side)
    {
        final PairLockEvent event = pairLock().pair(pair).lockEndTimeMs(untilMs).side(side).allSources(true);
        if (null != reason)
        {
            event.reason(reason);
        }
        return event.commit();
    }

    /**
     * freqtrade's {@code PairLocks.unlock_pair}: end the running locks of a pair on a side ({@code ANY}: every
     * side) that this source took, its own and those it took for all sources; the locks stay in the history,
     * inactive.
     *
     * @param pair the pair, or {@code *} for the locks taken on {@code *}.
     * @param side {@code LONG}, {@code SHORT} or {@code ANY}.
     * @return the queue index of the {@code PairUnlock} event.
     * @throws IllegalArgumentException naming the field if an argument is invalid; nothing is appended then.
     */
    public long unlockPair(final CharSequence pair, final LockSide side)
    {
        return pairUnlock().pair(pair).side(side).commit();
    }

    /**
     * freqtrade's {@code PairLocks.unlock_reason}: end every running lock this source took with a reason (its own
     * and those it took for all sources).
     *
     * @param reason the reason, exactly as given to {@link #lockPair}.
     * @return the queue index of the {@code PairUnlock} event.
     * @throws IllegalArgumentException naming the field if the reason is invalid; nothing is appended then.
     */
    public long unlockReason(final CharSequence reason)
    {
        return pairUnlock().reason(reason).commit();
    }

    /**
     * Start this thread's {@code BalanceUpdate}: set its fields, then {@link JournalEvent#commit()}.
     *
     * @return the calling thread's reusable event, cleared.
     */
    public BalanceUpdateEvent balanceUpdate()
    {
        final BalanceUpdateEvent event = writer().balanceUpdate;
        event.begin();
        return event;
    }

    /**
     * Append a {@code Heartbeat} now. The background thread does this every {@code heartbeatIntervalMs}.
     *
     * @return the queue index of the heartbeat.
     */
    public long heartbeat()
    {
        final SourceStatusEvent event = writer().sourceStatus;
        event.started(false).begin();
        return event.commit();
    }

    /**
     * Keep the calling thread's append path warm between sparse events: rehearse an append without appending
     * anything, if the keep-warm interval ({@link JournalContext#keepWarmIntervalUs()}, 1 ms by default) has passed
     * since this thread's last append or rehearsal, else return at once. Opt-in, for a strategy whose event loop has
     * idle time: call it from the loop's idle step, as often as you like.
     * <p>
     * <b>Why.</b> Between two events a second apart the caches and the TLB of the core have been taken by other work,
     * and an append that finds its code and data cold takes tens of microseconds where a warm one takes one. A
     * rehearsal runs the whole append (the thread's event flyweights filled through their setters, the queue's write
     * lock, the excerpt, the encoding into the mapped file) and rolls the excerpt back: the header of an excerpt is
     * written only when it is committed, so no reader ever sees a rehearsal, no index is taken and a process killed
     * during one leaves what a kill in the middle of an append leaves, which the next appender writes over. It
     * rehearses the event types this thread has committed, one a call, in turn ({@code OrderUpdate} before any), and
     * never one the thread has open. bench/results/README.md has what it buys.
     * <p>
     * On a thread other than the one that opened the journal, the first call also creates the thread's appender,
     * which its first append would otherwise pay for. Allocation-free after that first call. The write lock is held
     * for about a microsecond, which another thread appending at that moment waits for.
     *
     * @return 1 if it rehearsed, 0 if the interval had not passed (or every type is open on this thread).
     */
    public int keepWarm()
    {
        return writer().keepWarm();
    }

    /**
     * Keep the strategy's own append code warm: run it with every {@link JournalEvent#commit()} on this thread
     * rehearsed (encoded into the journal's next excerpt and rolled back, returning {@link JournalEvent#REHEARSED}),
     * if the keep-warm interval has passed since this thread's last append or rehearsal, else return at once.
     * Opt-in, for an event loop with idle time, like {@link #keepWarm()}, which rehearses sample events instead.
     * <pre>{@code
     * private final Runnable rehearseOrder = () -> recordOrder(sampleOrder);   // made once: no allocation per call
     * ...
     * journal.rehearse(rehearseOrder);                                         // in the loop's idle step
     * }</pre>
     * <p>
     * <b>Why, beside {@link #keepWarm()}.</b> The JIT compiles the strategy's method that fills and commits an event
     * with the journal's setters and commit inlined: a copy of the append path of its own, which rehearsals through
     * other code leave cold. Rehearsing the method itself keeps that copy, the event's data and the queue's pages
     * warm (measured on this project's 2-core machine, an order every 30 ms: p50 2.5 us with it, 11 us with
     * {@code keepWarm()}, 23 us for a bare Chronicle append; bench/results/README.md has the harness's figures).
     * <p>
     * Only this journal, on this thread, is rehearsed: a commit on another journal, or by another thread, inside
     * {@code appendCode} is real. Nothing reaches a reader, as with {@link #keepWarm()}. Whatever else
     * {@code appendCode} does (counters, ids, its own state) it does: give it a sample event to record.
     *
     * @param appendCode the strategy's code that starts, fills and commits events on this journal.
     * @return 1 if it ran, 0 if the interval had not passed.
     * @throws IllegalStateException if called from inside {@code appendCode}.
     */
    public int rehearse(final Runnable appendCode)
    {
        return writer().rehearse(appendCode);
    }

    /**
     * How long the warm-up at open took ({@link JournalContext#warmUpAppends()}).
     *
     * @return nanoseconds, 0 when the warm-up was off.
     */
    public long warmUpNs()
    {
        return warmUpNs;
    }

    /**
     * The id of this journal's source.
     *
     * @return the source id.
     */
    public String sourceId()
    {
        return context.sourceId();
    }

    /**
     * The folder of this journal's queue.
     *
     * @return {@code journalRoot/sourceId}.
     */
    public Path queueDirectory()
    {
        return context.queueDirectory();
    }

    /**
     * The concluded settings of this journal.
     *
     * @return the context.
     */
    public JournalContext context()
    {
        return context;
    }

    /**
     * When this journal was opened, as written in its {@code SourceStarted} and {@code Heartbeat} events.
     *
     * @return nanoseconds since the epoch.
     */
    public long startTimeNs()
    {
        return startTimeNs;
    }

    /**
     * Whether {@link #close()} has been called.
     *
     * @return true once closed.
     */
    public boolean isClosed()
    {
        return closed;
    }

    /**
     * Stop the background thread and close the queue. Call it once every appending thread has stopped appending:
     * an append racing with close may fail with {@link IllegalStateException}, never with a partial event.
     */
    public void close()
    {
        if (!closed)
        {
            closed = true;
            if (null != maintenanceRunner && null != maintenanceRunner.thread())
            {
                // Out of its idle sleep (up to maintenanceIdleMs) at once, so that close does not wait for it.
                LockSupport.unpark(maintenanceRunner.thread());
            }
            CloseHelper.quietClose(maintenanceRunner);
            JournalWriter writer;
            while (null != (writer = writers.poll()))
            {
                CloseHelper.quietClose(writer::close);
            }
            CloseHelper.quietClose(queue);
            space.close();
        }
    }

    void checkNotClosed()
    {
        if (closed)
        {
            throw new IllegalStateException("journal " + context.queueDirectory() + " is closed");
        }
    }

    /**
     * The background thread's interval syncs so far, for tests.
     *
     * @return the count, 0 without a background thread.
     */
    long intervalSyncs()
    {
        return null == maintenanceAgent ? 0 : maintenanceAgent.syncs();
    }

    /**
     * The background thread's agent, for tests.
     *
     * @return the agent, null without a background thread.
     */
    JournalMaintenanceAgent maintenanceAgent()
    {
        return maintenanceAgent;
    }

    /**
     * The disk space reserved ahead of the writers, shared by every thread's writer and the background thread.
     */
    JournalSpace space()
    {
        return space;
    }

    JournalWriter writerOfThisThread()
    {
        return threadWriter.get();
    }

    private JournalWriter writer()
    {
        // The opening thread, usually the only one, skips the thread-local map: fewer cache lines on a cold append.
        return Thread.currentThread() == openingThread ? openingWriter : threadWriter.get();
    }

    private JournalWriter newWriter()
    {
        checkNotClosed();
        final JournalWriter writer = new JournalWriter(this, queue.createAppender(), context);
        writers.add(writer);
        return writer;
    }
}
