package io.tradestate.writer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The warm-up at open: the whole append path of every event type run and compiled before
 * {@link TradeJournal#open(JournalContext)} returns, so that a strategy's first event is as fast as its thousandth.
 * <p>
 * <b>Why.</b> A strategy appends once or twice a second. At that rate the JIT compiles the append path after an hour
 * or more: until then every append runs in the interpreter, some 200 us where compiled code takes a few. The warm-up
 * pays for the compilation at open instead, where a strategy is not trading yet.
 * <p>
 * <b>How.</b> It opens a scratch journal (same roll cycle, block size and clocks, no background thread) in a fresh
 * folder under {@link JournalContext#warmUpDirectory()}, and on the opening thread appends
 * {@link JournalContext#warmUpAppends()} events of each type through the public API with {@link RehearsalEvents}'
 * values, and rehearses every fourth one, so that {@link TradeJournal#keepWarm()}'s rolled-back excerpt is compiled
 * as well and never deoptimises the append path the first time it runs; a second thread appends a sixth as many at
 * the same time, for the path of a thread other than the opening one. The JIT compiles the same code whichever
 * queue it writes to; nothing reaches the strategy's own journal. Then it closes the scratch journal and deletes
 * its folder. A folder left by a process killed during its warm-up is deleted by the next warm-up in the same
 * folder. Journals with a sync policy that syncs on appends get a scratch journal that syncs every thousandth
 * append, so that the sync branch is compiled without paying for thousands of syncs.
 * <p>
 * The JIT compiles on its own threads; the last appends run while it finishes, and the compiled code is in use
 * once the warm-up returns in the cases measured (bench/results/README.md has the figures). The warm-up allocates
 * (opening a queue does); the appends after it do not.
 */
final class JournalWarmUp
{
    /**
     * Prefix of the scratch folders, followed by the pid of the process that made one.
     */
    static final String FOLDER_PREFIX = "tradestate-warmup-";

    private static final Logger LOGGER = LoggerFactory.getLogger(JournalWarmUp.class);
    private static final int REHEARSE_EVERY = 4;
    private static final int SCRATCH_SYNC_EVERY_APPENDS = 1_000;
    private static final long SCRATCH_HEARTBEAT_INTERVAL_MS = 1;
    private static final long MAX_SETTLE_NS = 1_000_000_000L;
    private static final int SETTLE_ROUND = 100;
    private static final int QUIET_CHECKS = 2;
    private static final int SECOND_THREAD_SHARE = 6;
    private static final int RESERVE_EVERY = 16;

    /**
     * A strategy's own append code, for {@link TradeJournal#rehearse(Runnable)}: one per warming thread.
     */
    private static final ThreadLocal<RehearsedAppend> REHEARSED_APPEND = ThreadLocal.withInitial(RehearsedAppend::new);

    private JournalWarmUp()
    {
    }

    /**
     * Check, before a journal creates anything, that the warm-up can make its scratch journal.
     *
     * @param context of the journal, concluded.
     * @throws IllegalArgumentException naming {@link JournalConfiguration#WARM_UP_DIR_PROP_NAME} if the folder is not
     *                                  a writable folder.
     */
    static void checkDirectory(final JournalContext context)
    {
        final Path folder = context.warmUpDirectory();
        if (!Files.isDirectory(folder) || !Files.isWritable(folder))
        {
            throw new IllegalArgumentException(JournalConfiguration.WARM_UP_DIR_PROP_NAME + " " + folder +
                " is not a writable folder: the warm-up makes its scratch journal there; set another folder, or 0 " +
                "in " + JournalConfiguration.WARM_UP_APPENDS_PROP_NAME + " to turn the warm-up off");
        }
    }

    /**
     * Run the warm-up for a journal that has just opened, on the calling thread. The journal has made its first append
     * (its {@code SourceStarted}) already, interpreted: the paths a journal takes once (a new appender, a new cycle
     * file) are then behind it and never deoptimise the compiled code.
     *
     * @param context of the journal, concluded, with {@link JournalContext#warmUpAppends()} above 0.
     * @return how long it took, in nanoseconds.
     */
    static long run(final JournalContext context)
    {
        final long startNs = System.nanoTime();
        final Path parent = context.warmUpDirectory();
        deleteAbandoned(parent);

        final Path folder;
        try
        {
            folder = Files.createTempDirectory(parent, FOLDER_PREFIX + ProcessHandle.current().pid() + "-");
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(
                JournalConfiguration.WARM_UP_DIR_PROP_NAME + " " + parent + " has no room for the warm-up's scratch " +
                "journal (" + ex + "); set another folder, or 0 in " + JournalConfiguration.WARM_UP_APPENDS_PROP_NAME +
                " to turn the warm-up off", ex);
        }

        final int appends;
        try (TradeJournal scratch = TradeJournal.open(scratchContext(context, folder)))
        {
            appends = appendAll(scratch, context.warmUpAppends());
        }
        finally
        {
            delete(folder);
        }

        final long durationNs = System.nanoTime() - startNs;
        LOGGER.info("journal {} warmed up in {} ms: {} events of each type ({} until the JIT settled)",
            context.queueDirectory(), durationNs / 1_000_000L, appends, appends - context.warmUpAppends());
        return durationNs;
    }

    private static JournalContext scratchContext(final JournalContext context, final Path folder)
    {
        final boolean syncsOnAppends = SyncPolicy.EVERY_APPEND == context.syncPolicy() ||
            SyncPolicy.EVERY_N_APPENDS == context.syncPolicy();

        return new JournalContext()
            .journalRoot(folder)
            .sourceId(context.sourceId())
            .rollCycle(context.rollCycle())
            .blockSizeBytes(context.blockSizeBytes())
            .syncPolicy(syncsOnAppends ? SyncPolicy.EVERY_N_APPENDS : SyncPolicy.NONE)
            .syncEveryAppends(SCRATCH_SYNC_EVERY_APPENDS)
            .pretouchEnabled(false)
            .heartbeatIntervalMs(SCRATCH_HEARTBEAT_INTERVAL_MS)
            .warmUpAppends(0)
            .keepWarmIntervalUs(0)
            .epochNanoClock(context.epochNanoClock())
            .timeProvider(context.timeProvider())
            .host(context.host())
            .groupWrite(false);
    }

    /**
     * Append and rehearse {@code appends} events of each type, then more until the JIT has finished compiling.
     *
     * @return events of each type appended or rehearsed in all.
     */
    private static int appendAll(final TradeJournal scratch, final int appends)
    {
        // A share of the events from a second thread, at the same time: the path of a thread other than the opening
        // one (its writer from the thread-local map) and of two threads taking turns at the queue's write lock get
        // compiled as well, instead of deoptimising the first time a strategy's second thread appends.
        final Throwable[] secondThreadFailure = new Throwable[1];
        final Thread secondThread = new Thread(() ->
        {
            try
            {
                for (int k = 0; k < appends / SECOND_THREAD_SHARE; k++)
                {
                    appendEach(scratch, k);
                }
            }
            catch (final RuntimeException | Error ex)
            {
                secondThreadFailure[0] = ex;
            }
        }, "tradestate-warmup");
        secondThread.setDaemon(true);
        secondThread.start();

        int i = 0;
        while (i < appends)
        {
            appendEach(scratch, i++);
        }
        join(secondThread, secondThreadFailure);

        final JitCompileQueue jit = JitCompileQueue.open();
        if (null == jit)
        {
            return i;
        }

        // The JIT compiles on its own threads: go on until it is compiling nothing of the append path.
        final long settleStartNs = System.nanoTime();
        int quietChecks = 0;
        while (quietChecks < QUIET_CHECKS && System.nanoTime() - settleStartNs < MAX_SETTLE_NS)
        {
            for (int k = 0; k < SETTLE_ROUND; k++)
            {
                appendEach(scratch, i++);
            }
            quietChecks = jit.compilingAppendPath() ? 0 : quietChecks + 1;
        }

        return i;
    }

    private static void join(final Thread thread, final Throwable[] failure)
    {
        try
        {
            thread.join();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while warming up", ex);
        }

        if (failure[0] instanceof RuntimeException)
        {
            throw (RuntimeException)failure[0];
        }
        if (failure[0] instanceof Error)
        {
            throw (Error)failure[0];
        }
    }

    private static void appendEach(final TradeJournal scratch, final int i)
    {
        if (0 == i % RESERVE_EVERY)
        {
            // The next append reserves disk space, as a journal does once a MiB: a branch the JIT must see taken.
            scratch.space().close();
        }
        final JournalWriter writer = scratch.writerOfThisThread();
        if (REHEARSE_EVERY - 1 == i % REHEARSE_EVERY)
        {
            for (int type = 0; type < RehearsalEvents.TYPES; type++)
            {
                writer.rehearse(type, i);
            }
            scratch.keepWarm();
            REHEARSED_APPEND.get().rehearse(scratch, i);
        }
        else
        {
            final OrderUpdateEvent orderUpdate = scratch.orderUpdate();
            RehearsalEvents.orderUpdate(orderUpdate, i);
            orderUpdate.commit();
            final FillEvent fill = scratch.fill();
            RehearsalEvents.fill(fill, i);
            fill.commit();
            final TradeUpdateEvent tradeUpdate = scratch.tradeUpdate();
            RehearsalEvents.tradeUpdate(tradeUpdate, i);
            tradeUpdate.commit();
            final PairLockEvent pairLock = scratch.pairLock();
            RehearsalEvents.pairLock(pairLock, i, writer.nowMs());
            pairLock.commit();
            final PairUnlockEvent pairUnlock = scratch.pairUnlock();
            RehearsalEvents.pairUnlock(pairUnlock, i);
            pairUnlock.commit();
            final BalanceUpdateEvent balanceUpdate = scratch.balanceUpdate();
            RehearsalEvents.balanceUpdate(balanceUpdate, i);
            balanceUpdate.commit();
        }
    }

    /**
     * Delete the scratch folders of processes that no longer run: a process killed during its warm-up leaves one.
     */
    private static void deleteAbandoned(final Path parent)
    {
        try (DirectoryStream<Path> folders = Files.newDirectoryStream(parent, FOLDER_PREFIX + "*"))
        {
            for (final Path folder : folders)
            {
                final String name = folder.getFileName().toString();
                final int end = name.indexOf('-', FOLDER_PREFIX.length());
                if (end > FOLDER_PREFIX.length())
                {
                    final long pid = parsePid(name.substring(FOLDER_PREFIX.length(), end));
                    if (pid > 0 && ProcessHandle.of(pid).isEmpty())
                    {
                        delete(folder);
                    }
                }
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            LOGGER.warn("could not look for abandoned warm-up folders in {}: {}", parent, ex.toString());
        }
    }

    private static long parsePid(final String text)
    {
        try
        {
            return Long.parseLong(text);
        }
        catch (final NumberFormatException ex)
        {
            return -1;
        }
    }

    private static void delete(final Path folder)
    {
        try
        {
            Files.walkFileTree(folder, new SimpleFileVisitor<>()
            {
                public FileVisitResult visitFile(final Path file, final BasicFileAttributes attributes)
                    throws IOException
                {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                public FileVisitResult postVisitDirectory(final Path dir, final IOException ex) throws IOException
                {
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        }
        catch (final IOException ex)
        {
            LOGGER.warn("could not delete the warm-up folder {}: {}", folder, ex.toString());
        }
    }

    /**
     * An order appended through the public API, run inside {@link TradeJournal#rehearse(Runnable)}, so that the
     * rehearsed commit is compiled too.
     */
    private static final class RehearsedAppend implements Runnable
    {
        private TradeJournal journal;
        private int variant;

        void rehearse(final TradeJournal journal, final int variant)
        {
            this.journal = journal;
            this.variant = variant;
            journal.rehearse(this);
        }

        public void run()
        {
            final OrderUpdateEvent orderUpdate = journal.orderUpdate();
            RehearsalEvents.orderUpdate(orderUpdate, variant);
            orderUpdate.commit();
        }
    }
}
