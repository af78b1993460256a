package io.tradestate.tools;

import io.tradestate.reader.AgentTestEnvironment;
import io.tradestate.reader.ReaderAgent;
import io.tradestate.reader.ReaderConfiguration;
import io.tradestate.writer.DiskFillingAppender;
import io.tradestate.writer.SmallFileSystem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The journal's file system fills up under a strategy while a reader agent drains the journal. While it is full the
 * strategy's appends fail (a {@code JournalFullException} each) and the agent drains every event committed before,
 * stays healthy (its agents keep cycling) and stores nothing else; when space returns the strategy appends on, and
 * once it has stopped {@code tradestate verify} finds every committed event exactly once in PostgreSQL, no dead
 * letter, and the state maps equal to the current-state tables.
 * <p>
 * The journal lives on a {@link SmallFileSystem} (a tmpfs of {@value #FILE_SYSTEM_SIZE}, mounting needs root or
 * {@code CAP_SYS_ADMIN}, skipped elsewhere); the strategy is a {@link DiskFillingAppender} child JVM; the agent runs
 * in this JVM with its state maps on the ordinary disk, as on a host whose journal has its own file system. System
 * property {@code tradestate.diskfull.rounds} (default {@value #DEFAULT_ROUNDS}) sets the outages.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class JournalDiskFullDrainIT
{
    private static final String FILE_SYSTEM_SIZE = "8m";
    private static final int DEFAULT_ROUNDS = 2;
    private static final int SPARE_BYTES = 1024 * 1024;
    private static final long EVENTS_AFTER = 2_000;
    private static final int STREAM = 5;
    private static final String SOURCE_ID = "disk-full";
    private static final long HELD_FULL_MS = 500;
    private static final long DRAIN_TIMEOUT_MS = 60_000;
    private static final long STALL_LIMIT_NS = TimeUnit.SECONDS.toNanos(5);

    @RegisterExtension
    final AgentTestEnvironment environment = new AgentTestEnvironment("diskfull");

    private SmallFileSystem fileSystem;
    private DiskFillingAppender appender;

    @AfterEach
    void cleanUp() throws Exception
    {
        if (null != appender)
        {
            appender.close();
        }
        environment.stopAgent(); // before the journal's file system goes
        if (null != fileSystem)
        {
            fileSystem.close();
        }
    }

    @Test
    void shouldDrainWhatIsCommittedWhileTheJournalIsFullThenVerifyEveryEventOnce() throws Exception
    {
        final int rounds = Integer.getInteger("tradestate.diskfull.rounds", DEFAULT_ROUNDS);
        final String size = rounds <= 4 ? FILE_SYSTEM_SIZE : (4 + 2 * rounds) + "m";
        fileSystem = SmallFileSystem.mount(environment.root().resolve("tmpfs"), size);
        assumeTrue(null != fileSystem, "mount -t tmpfs is not permitted here (needs root or CAP_SYS_ADMIN)");
        fileSystem.addSpares(rounds, SPARE_BYTES);
        final Path journalRoot = Files.createDirectories(fileSystem.root().resolve("journal"));
        final Path stateDir = environment.stateDir();

        final ReaderAgent agent =
            environment.launch(environment.context().set(ReaderConfiguration.JOURNAL_ROOT, journalRoot.toString()));
        appender = DiskFillingAppender.start(environment.root(), journalRoot, SOURCE_ID, STREAM, rounds, EVENTS_AFTER);

        final long[] drainedWhileFullMs = new long[rounds];
        for (int round = 1; round <= rounds; round++)
        {
            final Properties full = appender.await("full." + round + ".message");
            final long fullNs = System.nanoTime();
            final long committedBeforeFull = Long.parseLong(full.getProperty("full." + round + ".sequence"));
            awaitRows(committedBeforeFull);
            drainedWhileFullMs[round - 1] = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - fullNs);

            Thread.sleep(HELD_FULL_MS);
            assertFalse(appender.report().containsKey("recovered." + round + ".ms"),
                "the file system was still full: " + appender.report());
            assertNull(agent.stalledAgent(System.nanoTime(), STALL_LIMIT_NS), "an agent stalled while full");
            assertEquals(committedBeforeFull, rows(), "rows after " + HELD_FULL_MS + " ms full");
            System.out.printf("round %d: full after %d events, all of them in PostgreSQL %d ms after the strategy " +
                "saw the file system full%n", round, committedBeforeFull, drainedWhileFullMs[round - 1]);

            fileSystem.freeSpare();
            appender.await("recovered." + round + ".ms");
        }

        final Properties done = appender.awaitDone();
        final long committed = Long.parseLong(done.getProperty("committed"));
        final long lastIndex = Long.parseLong(done.getProperty("last.index"));
        awaitRows(committed);
        assertTrue(checkpointIndex() >= lastIndex, "the checkpoint reached the last event");
        StateMapsQuiet.await(agent, DRAIN_TIMEOUT_MS);
        assertNull(agent.stalledAgent(System.nanoTime(), STALL_LIMIT_NS), "an agent stalled");
        environment.stopAgent();

        final VerifyRun verify = VerifyRun.of(journalRoot, environment, "--state", stateDir.toString());
        assertEquals(JournalVerifyTool.EXIT_CLEAN, verify.exitCode, verify.out + verify.err);
        assertTrue(verify.out.contains("source " + SOURCE_ID + ": clean\n"), verify.out);
        assertTrue(verify.out.contains(" entries: " + committed + " events, "), verify.out);
        assertTrue(verify.out.contains(" 0 undecodable; 0 after the checkpoint"), verify.out);
        assertTrue(verify.out.contains(" rows (" + committed + " equal to their event), 0 dead letters (0 expected)"),
            verify.out);
        assertTrue(verify.out.contains("equal to the current-state tables\n"), verify.out);
        assertTrue(verify.out.endsWith("verify clean\n"), verify.out);
        System.out.printf("%d events committed over %d outages, %d rows verified, state maps equal; drained while " +
            "full in %s ms%n", committed, rounds, committed, Arrays.toString(drainedWhileFullMs));
    }

    private void awaitRows(final long expected) throws Exception
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DRAIN_TIMEOUT_MS);
        long rows = rows();
        while (rows < expected)
        {
            assertTrue(System.nanoTime() - deadlineNs < 0, rows + " of " + expected + " events in PostgreSQL after " +
                DRAIN_TIMEOUT_MS + " ms; the strategy's log:\n" + appender.logTail());
            Thread.sleep(20);
            rows = rows();
        }
        assertEquals(expected, rows, "rows in PostgreSQL");
    }

    private long rows() throws SQLException
    {
        return queryLong("SELECT (SELECT count(*) FROM order_events WHERE source_id = ?) + " +
            "(SELECT count(*) FROM fills WHERE source_id = ?) + " +
            "(SELECT count(*) FROM trade_events WHERE source_id = ?)", 3);
    }

    private long checkpointIndex() throws SQLException
    {
        return queryLong("SELECT coalesce(max(last_index), -1) FROM source_checkpoints WHERE source_id = ?", 1);
    }

    /**
     * A number from a query whose every parameter is the source id.
     */
    private long queryLong(final String sql, final int parameters) throws SQLException
    {
        try (Connection connection = environment.dataSource().getConnection();
            PreparedStatement statement = connection.prepareStatement(sql))
        {
            for (int i = 1; i <= parameters; i++)
            {
                statement.setString(i, SOURCE_ID);
            }
            try (ResultSet rows = statement.executeQuery())
            {
                rows.next();
                return rows.getLong(1);
            }
        }
    }
}
