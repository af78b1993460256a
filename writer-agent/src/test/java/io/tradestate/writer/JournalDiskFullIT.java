package io.tradestate.writer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The journal's file system fills up: appends fail with a {@link JournalFullException} naming the file and the
 * usable space, no event whose commit returned is lost, none is appended twice, and appends succeed again as soon
 * as space is freed.
 * <p>
 * The journal lives on a {@link SmallFileSystem} of {@value #FILE_SYSTEM_SIZE}, which also holds spare files of
 * {@value #SPARE_BYTES} bytes written in full beforehand. A {@link DiskFillingAppender} child JVM (a {@code SIGBUS}
 * must never kill the test JVM) appends until the journal is full and retries every 5 ms; the test checks the error,
 * deletes one spare file, and measures how long the child takes to append again. After the last
 * round the child appends {@value #EVENTS_AFTER} more events and exits; a {@link JournalVerifier} then reads the
 * queue from the start: every committed sequence once, in order, intact, the last at the index its commit returned.
 * <p>
 * Mounting needs root (or {@code CAP_SYS_ADMIN}): where {@code mount} is refused the test is skipped. System
 * property {@code tradestate.diskfull.rounds} (default {@value #DEFAULT_ROUNDS}) sets the outages; the spare files
 * and the file system grow with it.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class JournalDiskFullIT
{
    private static final String FILE_SYSTEM_SIZE = "8m";
    private static final int DEFAULT_ROUNDS = 2;
    private static final int SPARE_BYTES = 1024 * 1024;
    private static final long EVENTS_AFTER = 2_000;
    private static final int STREAM = 3;
    private static final String SOURCE_ID = "disk-full";
    private static final long FAILING_MS = 300;

    @TempDir
    Path root;

    private SmallFileSystem fileSystem;
    private DiskFillingAppender appender;

    @AfterEach
    void unmount() throws Exception
    {
        if (null != appender)
        {
            appender.close();
        }
        if (null != fileSystem)
        {
            fileSystem.close();
        }
    }

    @Test
    void shouldFailAppendsCleanlyWhenTheFileSystemIsFullAndRecoverWhenSpaceReturns() throws Exception
    {
        final int rounds = Integer.getInteger("tradestate.diskfull.rounds", DEFAULT_ROUNDS);
        final String size = rounds <= 4 ? FILE_SYSTEM_SIZE : (4 + 2 * rounds) + "m";
        fileSystem = SmallFileSystem.mount(root.resolve("tmpfs"), size);
        assumeTrue(null != fileSystem, "mount -t tmpfs is not permitted here (needs root or CAP_SYS_ADMIN)");
        fileSystem.addSpares(rounds, SPARE_BYTES);

        final Path journalRoot = fileSystem.root().resolve("journal");
        final Path queueDirectory = journalRoot.resolve(SOURCE_ID);
        appender = DiskFillingAppender.start(root, journalRoot, SOURCE_ID, STREAM, rounds, EVENTS_AFTER);

        final long[] recoveryMs = new long[rounds];
        for (int round = 1; round <= rounds; round++)
        {
            final Properties full = appender.await("full." + round + ".message");
            final String message = full.getProperty("full." + round + ".message");
            assertTrue(message.contains(queueDirectory.toString()), "the error names the journal file: " + message);
            assertTrue(message.matches(".*\\(\\d+ bytes usable on its file system\\).*"),
                "the error gives the usable space: " + message);
            System.out.printf("round %d: full after sequence %s: %s%n", round,
                full.getProperty("full." + round + ".sequence"), message);

            Thread.sleep(FAILING_MS);
            final long freedMs = System.currentTimeMillis();
            fileSystem.freeSpare();
            final Properties recovered = appender.await("recovered." + round + ".ms");
            recoveryMs[round - 1] = Long.parseLong(recovered.getProperty("recovered." + round + ".ms")) - freedMs;
            final long failed = Long.parseLong(recovered.getProperty("failed." + round));
            assertTrue(failed >= 2, "appends kept failing while the file system was full: " + failed);
            System.out.printf("round %d: %d appends refused while full; appending again %d ms after space was " +
                "freed%n", round, failed, recoveryMs[round - 1]);
        }

        final Properties done = appender.awaitDone();
        final long committed = Long.parseLong(done.getProperty("committed"));
        final long lastIndex = Long.parseLong(done.getProperty("last.index"));
        try (JournalVerifier verifier = new JournalVerifier(queueDirectory))
        {
            verifier.writer(appender.pid(), STREAM);
            verifier.committed(STREAM, committed, lastIndex);
            verifier.poll();
            assertEquals(committed, verifier.found(STREAM), "every committed event is read back once");
            assertTrue(verifier.committedIndexChecked(STREAM), "the last event is at the index commit returned");
            System.out.printf("%d events committed over %d outages, %d read back, recovery %s ms%n", committed,
                rounds, verifier.found(STREAM), Arrays.toString(recoveryMs));
        }
    }
}
