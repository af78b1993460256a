package io.tradestate.tools;

import io.tradestate.reader.AgentTestEnvironment;
import io.tradestate.test.ChildJvm;
import io.tradestate.writer.JournalWarmUpFolders;
import io.tradestate.writer.KeepWarmAppenderMain;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Nothing of the warm-up at open, {@link io.tradestate.writer.TradeJournal#keepWarm()} or
 * {@link io.tradestate.writer.TradeJournal#rehearse(Runnable)} reaches a reader, also when the strategy is killed with
 * {@code SIGKILL} in the middle of one. One source, four strategy JVMs one after
 * the other ({@link KeepWarmAppenderMain}), a reader agent in this JVM draining all along:
 * <ol>
 * <li>appends {@value #ORDERS} orders, rehearsing before and after each, and exits;</li>
 * <li>is killed during its warm-up at open, before its journal is opened (its scratch journal is left behind);</li>
 * <li>opens (deleting the scratch journal of the killed one) and rehearses flat out until it is killed;</li>
 * <li>appends {@value #ORDERS} more orders the same way and exits.</li>
 * </ol>
 * Then: a tailer reads the journal from its start and finds every sequence of each cycle contiguous from 0; the
 * database holds exactly the {@code 2 x} {@value #ORDERS} orders and no dead letter; {@code tradestate verify
 * --state} is clean.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class WarmUpInvisibleIT
{
    private static final String SOURCE_ID = "warm-up";
    private static final int ORDERS = 300;
    private static final long STEP_TIMEOUT_MS = 120_000;
    private static final long DRAIN_TIMEOUT_MS = 60_000;
    private static final int KILL_ATTEMPTS = 5;

    @RegisterExtension
    final AgentTestEnvironment environment = new AgentTestEnvironment("warmup");

    private final List<Process> children = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception
    {
        for (final Process child : children)
        {
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void shouldShowReadersOnlyCommittedEventsWhenStrategiesAreKilledWhileWarmingUpOrRehearsing() throws Exception
    {
        final long seed = Long.getLong("tradestate.warmup.seed", System.nanoTime());
        System.out.println("WarmUpInvisibleIT seed " + seed + " (rerun with -Dtradestate.warmup.seed=" + seed + ")");
        final Random random = new Random(seed);
        final Path journalRoot = Files.createDirectories(environment.journalRoot());
        final Path warmUpDir = Files.createDirectories(environment.root().resolve("warm-up"));
        final Path stateDir = environment.stateDir();
        final DataSource dataSource = environment.dataSource();
        environment.launch();

        run(journalRoot, warmUpDir, "first", "orders");

        killDuringWarmUp(journalRoot, warmUpDir, random);
        assertEquals(1, JournalWarmUpFolders.list(warmUpDir).size(), "the killed warm-up left its scratch journal");

        final Process rehearsing = start(journalRoot, warmUpDir, "rehearsing", "rehearse");
        awaitStatus(rehearsing, "rehearsing", "rehearsing");
        assertEquals(List.of(), JournalWarmUpFolders.list(warmUpDir), "the next warm-up deleted it");
        Thread.sleep(100 + random.nextInt(400));
        kill(rehearsing);

        run(journalRoot, warmUpDir, "last", "orders");

        awaitOrders(dataSource, 2L * ORDERS);
        StateMapsQuiet.await(environment.agent(), DRAIN_TIMEOUT_MS);
        assertEquals(0, count(dataSource, "SELECT count(*) FROM dead_letters"), "dead letters");
        environment.stopAgent();

        final long excerpts = assertContiguous(journalRoot.resolve(SOURCE_ID));
        final VerifyRun verify = VerifyRun.of(journalRoot, environment, "--state", stateDir.toString());
        assertEquals(JournalVerifyTool.EXIT_CLEAN, verify.exitCode, verify.out + verify.err);
        assertTrue(verify.out.contains("source " + SOURCE_ID + ": clean\n"), verify.out);
        assertTrue(verify.out.contains(" 0 undecodable; 0 after the checkpoint"), verify.out);
        assertTrue(verify.out.endsWith("verify clean\n"), verify.out);
        System.out.printf("%d excerpts, every sequence contiguous; %d orders in PostgreSQL; verify clean%n",
            excerpts, 2 * ORDERS);
    }

    private void run(final Path journalRoot, final Path warmUpDir, final String name, final String mode)
        throws Exception
    {
        final Process process = start(journalRoot, warmUpDir, name, mode);
        awaitStatus(process, name, "done " + ORDERS);
        assertTrue(process.waitFor(STEP_TIMEOUT_MS, TimeUnit.MILLISECONDS), name + " did not exit");
        assertEquals(0, process.exitValue(), name + " failed: " + log(name));
    }

    /**
     * Kill a strategy at a random moment of its warm-up; retried with a shorter delay if it had finished it (its
     * journal open, or its scratch journal already deleted).
     */
    private void killDuringWarmUp(final Path journalRoot, final Path warmUpDir, final Random random)
        throws Exception
    {
        int maxDelayMs = 600;
        for (int attempt = 1; attempt <= KILL_ATTEMPTS; attempt++)
        {
            final String name = "killed-warming-up-" + attempt;
            final Process process = start(journalRoot, warmUpDir, name, "rehearse");
            awaitStatus(process, name, "opening");
            awaitScratchJournal(warmUpDir, process, name);
            Thread.sleep(random.nextInt(maxDelayMs));
            kill(process);
            if ("opening".equals(status(name)) && !JournalWarmUpFolders.list(warmUpDir).isEmpty())
            {
                System.out.printf("killed during its warm-up at attempt %d%n", attempt);
                return;
            }
            maxDelayMs = Math.max(1, maxDelayMs / 3);
        }
        fail("no kill landed inside a warm-up in " + KILL_ATTEMPTS + " attempts");
    }

    private Process start(final Path journalRoot, final Path warmUpDir, final String name, final String mode)
        throws IOException
    {
        final Process process = ChildJvm.builder(KeepWarmAppenderMain.class)
            .systemProperty("tradestate.journal.warmup.dir", warmUpDir.toString())
            .arguments(journalRoot.toString(), SOURCE_ID, statusFile(name).toString(), name + "-", mode,
                Integer.toString(ORDERS))
            .workingDirectory(environment.root()).log(environment.root().resolve(name + ".log")).start().process();
        children.add(process);
        return process;
    }

    private void awaitStatus(final Process process, final String name, final String expected) throws Exception
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STEP_TIMEOUT_MS);
        while (!expected.equals(status(name)))
        {
            assertTrue(process.isAlive() || expected.equals(status(name)),
                name + " exited with " + (process.isAlive() ? "-" : process.exitValue()) + ": " + log(name));
            assertTrue(System.nanoTime() - deadlineNs < 0, name + " never reached " + expected + ": " + log(name));
            Thread.sleep(5);
        }
    }

    private void awaitScratchJournal(final Path warmUpDir, final Process process, final String name)
        throws Exception
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STEP_TIMEOUT_MS);
        while (JournalWarmUpFolders.list(warmUpDir).isEmpty())
        {
            assertTrue(process.isAlive(), name + " exited: " + log(name));
            assertTrue(System.nanoTime() - deadlineNs < 0, name + " made no scratch journal: " + log(name));
            Thread.sleep(1);
        }
    }

    private static void kill(final Process process) throws InterruptedException
    {
        process.destroyForcibly();
        assertTrue(process.waitFor(10, TimeUnit.SECONDS), "the killed strategy did not exit");
    }

    /**
     * Read the journal from its start with a tailer: within each cycle the sequences go 0, 1, 2... with no gap.
     *
     * @return the excerpts read.
     */
    private static long assertContiguous(final Path queueDirectory)
    {
        long excerpts = 0;
        try (SingleChronicleQueue queue = SingleChronicleQueueBuilder.single(queueDirectory.toFile())
            .readOnly(true).build();
            ExcerptTailer tailer = queue.createTailer())
        {
            int cycle = Integer.MIN_VALUE;
            long expectedSequence = 0;
            while (true)
            {
                try (DocumentContext context = tailer.readingDocument())
                {
                    if (!context.isPresent())
                    {
                        break;
                    }
                    final long index = context.index();
                    final int indexCycle = RollCycles.FAST_DAILY.toCycle(index);
                    if (indexCycle != cycle)
                    {
                        cycle = indexCycle;
                        expectedSequence = 0;
                    }
                    assertEquals(expectedSequence, RollCycles.FAST_DAILY.toSequenceNumber(index),
                        "sequence of excerpt " + excerpts + " in cycle " + cycle);
                    expectedSequence++;
                    excerpts++;
                }
            }
        }
        return excerpts;
    }

    private void awaitOrders(final DataSource dataSource, final long expected) throws Exception
    {
        final String sql = "SELECT count(*) FROM order_events WHERE source_id = '" + SOURCE_ID + "'";
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DRAIN_TIMEOUT_MS);
        long orders = count(dataSource, sql);
        while (orders < expected && System.nanoTime() - deadlineNs < 0)
        {
            Thread.sleep(20);
            orders = count(dataSource, sql);
        }
        assertEquals(expected, orders, "orders in PostgreSQL");
    }

    private static long count(final DataSource dataSource, final String sql) throws SQLException
    {
        try (Connection connection = dataSource.getConnection();
            PreparedStatement statement = connection.prepareStatement(sql);
            ResultSet rows = statement.executeQuery())
        {
            rows.next();
            return rows.getLong(1);
        }
    }

    private Path statusFile(final String name)
    {
        return environment.root().resolve(name + ".status");
    }

    private String status(final String name) throws IOException
    {
        final Path file = statusFile(name);
        return Files.exists(file) ? Files.readString(file) : "";
    }

    private String log(final String name) throws IOException
    {
        final Path file = environment.root().resolve(name + ".log");
        return Files.exists(file) ? Files.readString(file) : "(no log)";
    }
}
