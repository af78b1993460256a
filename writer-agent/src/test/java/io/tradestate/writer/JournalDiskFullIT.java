package io.tradestate.writer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The journal's file system fills up: appends fail with a {@link JournalFullException} naming the file and the
 * usable space, no event whose commit returned is lost, none is appended twice, and appends succeed again as soon
 * as space is freed.
 * <p>
 * The journal lives on a tmpfs of {@value #FILE_SYSTEM_SIZE} mounted for the test, which also holds spare files of
 * {@value #SPARE_BYTES} bytes written in full beforehand. A {@link DiskFillingAppenderMain} child JVM (a
 * {@code SIGBUS} must never kill the test JVM) appends until the journal is full and retries every 5 ms; the test
 * checks the error, deletes one spare file, and measures how long the child takes to append again. After the last
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
    private static final long STEP_TIMEOUT_MS = 60_000;
    private static final long FAILING_MS = 300;

    @TempDir
    Path root;

    private Path mountPoint;
    private Process child;

    @AfterEach
    void unmount() throws Exception
    {
        if (null != child && child.isAlive())
        {
            child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        if (null != mountPoint)
        {
            if (0 != run("umount", mountPoint.toString()))
            {
                run("umount", "-l", mountPoint.toString());
            }
        }
    }

    @Test
    void shouldFailAppendsCleanlyWhenTheFileSystemIsFullAndRecoverWhenSpaceReturns() throws Exception
    {
        final int rounds = Integer.getInteger("tradestate.diskfull.rounds", DEFAULT_ROUNDS);
        final Path mount = Files.createDirectories(root.resolve("tmpfs"));
        final String size = rounds <= 4 ? FILE_SYSTEM_SIZE : (4 + 2 * rounds) + "m";
        assumeTrue(0 == run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", mount.toString()),
            "mount -t tmpfs is not permitted here (needs root or CAP_SYS_ADMIN)");
        mountPoint = mount;

        final List<Path> spares = new ArrayList<>();
        final byte[] ones = new byte[SPARE_BYTES];
        Arrays.fill(ones, (byte)1);
        for (int i = 0; i < rounds; i++)
        {
            spares.add(Files.write(mount.resolve("spare-" + i), ones));
        }

        final Path journalRoot = mount.resolve("journal");
        final Path queueDirectory = journalRoot.resolve(SOURCE_ID);
        final Path reportFile = root.resolve("report.properties");
        final Path log = root.resolve("child.log");
        child = startChild(log, journalRoot.toString(), SOURCE_ID, reportFile.toString(), Integer.toString(STREAM),
            Integer.toString(rounds), Long.toString(EVENTS_AFTER));

        final long[] recoveryMs = new long[rounds];
        for (int round = 1; round <= rounds; round++)
        {
            final Properties full = await(reportFile, "full." + round + ".message", log);
            final String message = full.getProperty("full." + round + ".message");
            assertTrue(message.contains(queueDirectory.toString()), "the error names the journal file: " + message);
            assertTrue(message.matches(".*\\(\\d+ bytes usable on its file system\\).*"),
                "the error gives the usable space: " + message);
            System.out.printf("round %d: full after sequence %s: %s%n", round,
                full.getProperty("full." + round + ".sequence"), message);

            Thread.sleep(FAILING_MS);
            final long freedMs = System.currentTimeMillis();
            Files.delete(spares.get(round - 1));
            final Properties recovered = await(reportFile, "recovered." + round + ".ms", log);
            recoveryMs[round - 1] = Long.parseLong(recovered.getProperty("recovered." + round + ".ms")) - freedMs;
            final long failed = Long.parseLong(recovered.getProperty("failed." + round));
            assertTrue(failed >= 2, "appends kept failing while the file system was full: " + failed);
            System.out.printf("round %d: %d appends refused while full; appending again %d ms after space was " +
                "freed%n", round, failed, recoveryMs[round - 1]);
        }

        assertTrue(child.waitFor(STEP_TIMEOUT_MS, TimeUnit.MILLISECONDS), "the child did not finish:\n" + tail(log));
        assertEquals(0, child.exitValue(), "the child failed:\n" + tail(log));
        final Properties done = read(reportFile);
        assertEquals("true", done.getProperty("done"), "the child ran out of time:\n" + tail(log));
        final String childLog = Files.readString(log);
        assertFalse(childLog.contains("InternalError") || childLog.contains("fault occurred"),
            "a mapped write faulted:\n" + childLog);

        final long committed = Long.parseLong(done.getProperty("committed"));
        final long lastIndex = Long.parseLong(done.getProperty("last.index"));
        try (JournalVerifier verifier = new JournalVerifier(queueDirectory))
        {
            verifier.writer(child.pid(), STREAM);
            verifier.committed(STREAM, committed, lastIndex);
            verifier.poll();
            assertEquals(committed, verifier.found(STREAM), "every committed event is read back once");
            assertTrue(verifier.committedIndexChecked(STREAM), "the last event is at the index commit returned");
            System.out.printf("%d events committed over %d outages, %d read back, recovery %s ms%n", committed,
                rounds, verifier.found(STREAM), Arrays.toString(recoveryMs));
        }
    }

    private Process startChild(final Path log, final String... arguments) throws IOException
    {
        final String jvmArgs = System.getProperty("tradestate.jvm.args");
        assertTrue(null != jvmArgs && !jvmArgs.isBlank(), "system property tradestate.jvm.args must be set");
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(Arrays.asList(jvmArgs.trim().split("\\s+")));
        command.add("-Xmx256m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(DiskFillingAppenderMain.class.getName());
        command.addAll(Arrays.asList(arguments));
        return new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true)
            .redirectOutput(log.toFile()).start();
    }

    private static Properties await(final Path reportFile, final String key, final Path log) throws Exception
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STEP_TIMEOUT_MS);
        while (System.nanoTime() - deadlineNs < 0)
        {
            if (Files.exists(reportFile))
            {
                final Properties report = read(reportFile);
                if (null != report.getProperty(key))
                {
                    return report;
                }
            }
            Thread.sleep(10);
        }
        fail("no " + key + " within " + STEP_TIMEOUT_MS + " ms:\n" + tail(log));
        return null;
    }

    private static Properties read(final Path file) throws IOException
    {
        final Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8))
        {
            properties.load(reader);
        }
        return properties;
    }

    private static String tail(final Path log) throws IOException
    {
        if (!Files.exists(log))
        {
            return "(no log)";
        }
        final List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    private static int run(final String... command) throws IOException, InterruptedException
    {
        final Process process = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!process.waitFor(30, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }
}
