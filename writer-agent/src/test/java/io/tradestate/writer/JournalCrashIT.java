package io.tradestate.writer;

import io.tradestate.test.ChildJvm;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A writer killed at any moment loses nothing it committed and leaves nothing half-written: the promise of
 * {@link JournalEvent#commit()}, checked against real processes and real signals.
 * <p>
 * Several rounds, each a fresh {@link CrashingAppenderMain} process appending flat out to the same queue, killed
 * with {@code SIGKILL} at a random moment (seeded, the seed printed; rerun one with
 * {@code -Dtradestate.crash.seed=...}). Each later round must take over the dead writer's lock. Then one round is
 * frozen with {@code SIGSTOP} until it is caught holding the queue's write lock, that is in the middle of an
 * excerpt, and killed there; an appender in this JVM must then take the lock over within seconds (Chronicle
 * unlocks a lock whose holder's pid is dead) and append.
 * <p>
 * After every kill, and once more from the start at the end, a {@link JournalVerifier} reads the queue: every event
 * whose commit had returned (by the child's counter file) is there, intact and at the index commit returned; each
 * round's sequences are contiguous from 0 with no duplicate, and at most one event more than the counter shows
 * (committed just before the kill, not yet counted); nothing partial or corrupt is ever readable.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JournalCrashIT
{
    private static final String SOURCE_ID = "crash";
    private static final int KILL_ROUNDS = 5;
    private static final int STOP_ROUND = KILL_ROUNDS + 1;
    private static final int RECOVERY_STREAM = STOP_ROUND + 1;
    private static final int RECOVERY_EVENTS = 10_000;
    private static final int MAX_KILL_DELAY_MS = 1_200;
    private static final int MAX_STOP_ATTEMPTS = 500;
    private static final long FIRST_COMMIT_TIMEOUT_MS = 30_000;
    private static final long EXIT_TIMEOUT_MS = 10_000;
    private static final long SIGNAL_TIMEOUT_MS = 5_000;
    private static final long FROZEN_CHECK_MS = 100;
    private static final long RECOVERY_TIMEOUT_MS = 20_000;
    private static final long MAX_LOCK_TAKEOVER_MS = 5_000;

    @TempDir
    Path root;

    private final List<Child> children = new ArrayList<>();

    @AfterEach
    void killLeftoverChildren() throws InterruptedException
    {
        for (final Child child : children)
        {
            child.process.destroyForcibly();
            child.process.waitFor(EXIT_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        }
    }

    @Test
    void shouldKeepEveryCommittedEventIntactWhenWritersAreKilled() throws Exception
    {
        final long seed = Long.getLong("tradestate.crash.seed", System.nanoTime());
        System.out.println("JournalCrashIT seed " + seed + " (rerun with -Dtradestate.crash.seed=" + seed + ")");
        final Random random = new Random(seed);
        final long testStartNs = System.nanoTime();
        final Path queueDirectory = root.resolve(SOURCE_ID);
        Files.createDirectories(queueDirectory);

        try (JournalVerifier verifier = new JournalVerifier(queueDirectory))
        {
            int diedHoldingLock = 0;
            for (int round = 1; round <= KILL_ROUNDS; round++)
            {
                diedHoldingLock += killRound(round, verifier, random) ? 1 : 0;
            }
            System.out.printf("%d of %d writers died holding the write lock%n", diedHoldingLock, KILL_ROUNDS);

            final Child frozen = start(STOP_ROUND, verifier);
            frozen.awaitFirstCommit();
            Thread.sleep(random.nextInt(MAX_KILL_DELAY_MS));
            final int attempts = freezeHoldingWriteLock(frozen, verifier, random);
            final long committedWhenFrozen = frozen.committedNow();
            Thread.sleep(FROZEN_CHECK_MS);
            assertEquals(committedWhenFrozen, frozen.committedNow(), "the stopped writer must not append");
            verifier.committed(STOP_ROUND, committedWhenFrozen, frozen.committedIndexNow());
            verifier.poll();
            assertTrue(verifier.found(STOP_ROUND) >= committedWhenFrozen && verifier.found(STOP_ROUND) <=
                committedWhenFrozen + 1, "a reader of a frozen writer's queue sees its committed events and no more");
            frozen.kill();
            frozen.publishCommitted(verifier);
            verifier.poll();
            assertCommittedPresent(verifier, frozen);
            System.out.printf(
                "stop round: pid %d frozen holding the write lock after %d attempt(s) with %,d committed, killed%n",
                frozen.pid, attempts, frozen.committed);

            final long[] recovery = appendInThisProcess(verifier);
            System.out.printf("a new appender took the dead writer's lock over and appended in %d ms%n",
                TimeUnit.NANOSECONDS.toMillis(recovery[0]));
            assertTrue(recovery[0] < TimeUnit.MILLISECONDS.toNanos(MAX_LOCK_TAKEOVER_MS),
                "taking over a dead writer's lock took " + TimeUnit.NANOSECONDS.toMillis(recovery[0]) + " ms");
            verifier.poll();
            assertEquals(RECOVERY_EVENTS, verifier.found(RECOVERY_STREAM));
            assertEquals(recovery[1], verifier.lastIndex(), "the tailer must reach the last excerpt appended");

            final long readStartNs = System.nanoTime();
            verifyFromStart(queueDirectory, verifier, recovery[1]);
            System.out.printf("read back %,d excerpts from the start in %d ms; whole test %d ms%n",
                verifier.excerpts(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - readStartNs),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - testStartNs));
        }
    }

    /**
     * Start a writer, kill it a random moment after its first commit, and check the queue as it left it.
     *
     * @return whether it died holding the queue's write lock, that is in the middle of an excerpt.
     */
    private boolean killRound(final int round, final JournalVerifier verifier, final Random random)
        throws IOException, InterruptedException
    {
        final Child child = start(round, verifier);
        child.awaitFirstCommit();
        final int delayMs = random.nextInt(MAX_KILL_DELAY_MS);
        Thread.sleep(delayMs);
        child.kill();
        final boolean lockHeld = verifier.writeLockHolder() == child.pid;
        child.publishCommitted(verifier);
        verifier.poll();
        assertCommittedPresent(verifier, child);
        System.out.printf(
            "round %d: pid %d, first commit after %d ms, killed %d ms later with %,d committed " +
            "(%,d readable), holding the write lock: %b%n",
            round, child.pid, child.startupMs(), delayMs, child.committed, verifier.found(round), lockHeld);

        return lockHeld;
    }

    /**
     * Read the whole queue again from the start in a fresh instance: the same excerpts, all checked, to the end.
     */
    private void verifyFromStart(final Path queueDirectory, final JournalVerifier verifier, final long lastIndex)
    {
        try (JournalVerifier fromStart = new JournalVerifier(queueDirectory))
        {
            fromStart.writer(ProcessHandle.current().pid(), RECOVERY_STREAM);
            for (final Child child : children)
            {
                fromStart.writer(child.pid, child.stream);
                fromStart.committed(child.stream, child.committed, child.committedIndex);
            }
            fromStart.poll();
            for (int stream = 1; stream <= RECOVERY_STREAM; stream++)
            {
                assertEquals(verifier.found(stream), fromStart.found(stream), "events of stream " + stream);
            }
            for (final Child child : children)
            {
                assertTrue(fromStart.committedIndexChecked(child.stream), "committed index of stream " + child.stream);
            }
            assertEquals(verifier.excerpts(), fromStart.excerpts());
            assertEquals(lastIndex, fromStart.lastIndex(), "the tailer must reach the last excerpt appended");
        }
    }

    private static void assertCommittedPresent(final JournalVerifier verifier, final Child child)
    {
        final long found = verifier.found(child.stream);
        assertTrue(found >= child.committed,
            "round " + child.stream + ": " + child.committed + " events committed but only " + found + " readable");
        assertTrue(found <= child.committed + 1,
            "round " + child.stream + ": " + found + " events readable but only " + child.committed +
            " committed (at most one more may have been committed but not counted)");
        assertTrue(verifier.committedIndexChecked(child.stream),
            "round " + child.stream + ": the last committed event was not checked at its index");
    }

    /**
     * Stop the child until it is caught holding the queue's write lock: each attempt stops it, waits until every
     * thread is stopped, and looks at the lock; if another process state was caught, continue it and try again a
     * moment later.
     */
    private int freezeHoldingWriteLock(final Child child, final JournalVerifier verifier, final Random random)
        throws IOException, InterruptedException
    {
        for (int attempt = 1; attempt <= MAX_STOP_ATTEMPTS; attempt++)
        {
            signal(child.pid, "-STOP");
            awaitStopped(child.pid);
            if (verifier.writeLockHolder() == child.pid)
            {
                return attempt;
            }

            signal(child.pid, "-CONT");
            Thread.sleep(random.nextInt(3));
        }

        return fail("the writer was never caught holding the write lock in " + MAX_STOP_ATTEMPTS + " attempts");
    }

    /**
     * Open the journal in this JVM after the frozen writer was killed holding the lock, and append. In a thread of
     * its own, bounded: a lock that is never taken over would otherwise block it for good.
     *
     * @return the nanoseconds until the journal was open (its {@code SourceStarted} appended) and the index of the
     * last event appended.
     */
    private long[] appendInThisProcess(final JournalVerifier verifier)
    {
        verifier.writer(ProcessHandle.current().pid(), RECOVERY_STREAM);
        return assertTimeoutPreemptively(Duration.ofMillis(RECOVERY_TIMEOUT_MS), () ->
        {
            final long startNs = System.nanoTime();
            try (TradeJournal journal = TradeJournal.open(
                new JournalContext().journalRoot(root).sourceId(SOURCE_ID).heartbeatIntervalMs(0)))
            {
                final long openNs = System.nanoTime() - startNs;
                final NumberedEvents events = new NumberedEvents();
                long lastIndex = -1;
                for (int sequence = 0; sequence < RECOVERY_EVENTS; sequence++)
                {
                    lastIndex = events.append(journal, RECOVERY_STREAM, sequence);
                }
                return new long[] { openNs, lastIndex };
            }
        });
    }

    private Child start(final int stream, final JournalVerifier verifier) throws IOException
    {
        final Path counterFile = root.resolve("committed-" + stream);
        Files.write(counterFile, new byte[CrashingAppenderMain.COUNTER_FILE_LENGTH]);
        final Path log = root.resolve("child-" + stream + ".log");

        final ChildJvm.Builder builder = ChildJvm.builder(CrashingAppenderMain.class)
            .arguments(root.toString(), SOURCE_ID, counterFile.toString(), Integer.toString(stream)).log(log);

        final long startNs = System.nanoTime();
        final Process process = builder.start().process();
        verifier.writer(process.pid(), stream);

        final Child child = new Child(stream, process, counterFile, log, startNs);
        children.add(child);
        return child;
    }

    private static void signal(final long pid, final String signal) throws IOException, InterruptedException
    {
        final Process kill = new ProcessBuilder("kill", signal, Long.toString(pid)).redirectErrorStream(true).start();
        assertTrue(kill.waitFor(SIGNAL_TIMEOUT_MS, TimeUnit.MILLISECONDS), "kill " + signal + " " + pid);
        assertEquals(0, kill.exitValue(), "kill " + signal + " " + pid);
    }

    /**
     * Wait until every thread of the process is stopped: the signal stops them one by one, and the lock must be
     * read only when none can move any more.
     */
    private static void awaitStopped(final long pid) throws IOException, InterruptedException
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SIGNAL_TIMEOUT_MS);
        while (!allThreadsStopped(pid))
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                fail("pid " + pid + " did not stop within " + SIGNAL_TIMEOUT_MS + " ms");
            }
            Thread.onSpinWait();
        }
    }

    private static boolean allThreadsStopped(final long pid) throws IOException
    {
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task")))
        {
            for (final Path task : tasks)
            {
                final String stat;
                try
                {
                    stat = Files.readString(task.resolve("stat"));
                }
                catch (final IOException ex)
                {
                    continue; // the thread has just ended
                }

                final char state = stat.substring(stat.lastIndexOf(')') + 1).trim().charAt(0);
                if ('T' != state && 't' != state)
                {
                    return false;
                }
            }
        }

        return true;
    }

    /**
     * A child writer process and its counter file.
     */
    private static final class Child
    {
        final int stream;
        final Process process;
        final long pid;
        final Path log;
        final long startNs;
        final UnsafeBuffer counters;
        long firstCommitNs;
        long committed;
        long committedIndex;

        Child(final int stream, final Process process, final Path counterFile, final Path log, final long startNs)
            throws IOException
        {
            this.stream = stream;
            this.process = process;
            this.pid = process.pid();
            this.log = log;
            this.startNs = startNs;
            final MappedByteBuffer mapped;
            try (FileChannel channel = FileChannel.open(counterFile, StandardOpenOption.READ))
            {
                mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, CrashingAppenderMain.COUNTER_FILE_LENGTH);
            }
            this.counters = new UnsafeBuffer(mapped);
        }

        void awaitFirstCommit() throws IOException, InterruptedException
        {
            final long deadlineNs = startNs + TimeUnit.MILLISECONDS.toNanos(FIRST_COMMIT_TIMEOUT_MS);
            while (0 == committedNow())
            {
                if (!process.isAlive())
                {
                    fail("writer " + stream + " exited with " + process.exitValue() + " before its first commit:\n" +
                        Files.readString(log));
                }
                if (System.nanoTime() - deadlineNs > 0)
                {
                    fail("writer " + stream + " made no commit within " + FIRST_COMMIT_TIMEOUT_MS + " ms:\n" +
                        Files.readString(log));
                }
                Thread.sleep(1);
            }
            firstCommitNs = System.nanoTime();
        }

        long startupMs()
        {
            return TimeUnit.NANOSECONDS.toMillis(firstCommitNs - startNs);
        }

        long committedNow()
        {
            return counters.getLongVolatile(CrashingAppenderMain.COMMITTED_OFFSET);
        }

        long committedIndexNow()
        {
            final long count = committedNow();
            return counters.getLongVolatile(CrashingAppenderMain.indexOffset(count - 1));
        }

        void kill() throws IOException, InterruptedException
        {
            if (!process.isAlive())
            {
                fail("writer " + stream + " ended before it was killed:\n" + Files.readString(log));
            }
            process.destroyForcibly();
            assertTrue(process.waitFor(EXIT_TIMEOUT_MS, TimeUnit.MILLISECONDS), "writer " + stream + " is not dead");
            assertEquals(137, process.exitValue(), "writer " + stream + " must die of SIGKILL");
        }

        void publishCommitted(final JournalVerifier verifier)
        {
            committed = committedNow();
            committedIndex = counters.getLongVolatile(CrashingAppenderMain.indexOffset(committed - 1));
            verifier.committed(stream, committed, committedIndex);
        }
    }
}
