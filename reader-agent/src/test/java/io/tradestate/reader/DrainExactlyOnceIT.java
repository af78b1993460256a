package io.tradestate.reader;

import io.tradestate.test.ChildJvm;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The drain is exactly once with real processes: three strategy JVMs append mixed events to their own sources
 * while the reader agent, a JVM of its own draining into PostgreSQL, is killed with {@code SIGKILL} at random moments
 * and started again each time. In the end every history table holds exactly the events appended, each once and
 * field for field; {@code orders}, {@code trades}, {@code balances} and {@code pair_locks} hold the latest state;
 * each checkpoint is its queue's last index; nothing is dead-lettered. See {@link DrainedEventsVerifier}.
 * <p>
 * The writers ({@link MixedEventsAppenderMain}) pace their appends over {@value #DEFAULT_WRITE_MS} ms at a steady
 * rate with bursts, and keep appending through the kills (the twenty lives of the agent take about 90 s here).
 * Every {@value #STARTUP_KILL_EVERY}th kill lands at a random moment of the agent's first
 * {@value #STARTUP_KILL_WINDOW_MS} ms, during start-up (JVM, pool, Flyway, discovery); the others at a random moment
 * up to twice {@value #DEFAULT_MEAN_DRAINING_MS} ms after it started draining, while it reads, commits and catches up
 * with the backlog of its downtime. Each kill is printed with its phase and the events committed in that life.
 * <p>
 * System properties: {@code tradestate.drain.events} per writer (default {@value #DEFAULT_EVENTS}),
 * {@code tradestate.drain.kills} (default {@value #DEFAULT_KILLS}), {@code tradestate.drain.write.ms} (default
 * {@value #DEFAULT_WRITE_MS}), {@code tradestate.drain.mean.draining.ms} (default
 * {@value #DEFAULT_MEAN_DRAINING_MS}) and {@code tradestate.drain.seed} (default: the clock; printed, so that a run
 * can be repeated). The database and the agent's folders are {@link AgentTestEnvironment}'s.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class DrainExactlyOnceIT
{
    private static final int DEFAULT_EVENTS = 100_000;
    private static final int DEFAULT_KILLS = 20;
    private static final long DEFAULT_WRITE_MS = 110_000;
    private static final long DEFAULT_MEAN_DRAINING_MS = 1_500;
    private static final int STARTUP_KILL_EVERY = 4;
    private static final int STARTUP_KILL_WINDOW_MS = 4_000;
    private static final long DRAINING_TIMEOUT_MS = 60_000;
    private static final String DRAINING_LINE = "DrainAgent - draining source";
    private static final int WRITERS = 3;
    private static final long WRITER_EXIT_GRACE_MS = 120_000;
    private static final long DRAIN_TIMEOUT_MS = 120_000;
    private static final long POLL_MS = 100;

    @RegisterExtension
    final AgentTestEnvironment environment = new AgentTestEnvironment("drain_exactly_once");

    private final List<Process> writers = new ArrayList<>();
    private ReaderAgentProcess agent;

    @AfterEach
    void stopWriters() throws InterruptedException
    {
        for (final Process writer : writers)
        {
            writer.destroyForcibly();
            writer.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void shouldStoreEveryEventExactlyOnceWhenTheAgentIsKilledRepeatedly() throws Exception
    {
        final long seed = Long.getLong("tradestate.drain.seed", System.nanoTime());
        final int events = Integer.getInteger("tradestate.drain.events", DEFAULT_EVENTS);
        final int kills = Integer.getInteger("tradestate.drain.kills", DEFAULT_KILLS);
        final long writeMs = Long.getLong("tradestate.drain.write.ms", DEFAULT_WRITE_MS);
        final long meanDrainingMs = Long.getLong("tradestate.drain.mean.draining.ms", DEFAULT_MEAN_DRAINING_MS);
        System.out.printf("DrainExactlyOnceIT seed %d (rerun with -Dtradestate.drain.seed=%d): %d writers x %,d " +
            "events over %d ms, %d kills%n", seed, seed, WRITERS, events, writeMs, kills);
        final Random random = new Random(seed);
        final long testStartNs = System.nanoTime();
        final long appendFromNs = TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis() - 1_000);
        final Path journalRoot = environment.journalRoot();
        Files.createDirectories(journalRoot);

        agent = environment.process(environment.root().resolve("agent"),
            environment.processSettings(journalRoot, environment.stateDir()), Map.of());
        agent.start();

        final Path[] indexFiles = new Path[WRITERS];
        for (int stream = 1; stream <= WRITERS; stream++)
        {
            indexFiles[stream - 1] = environment.root().resolve("indexes-" + stream);
            Files.write(indexFiles[stream - 1], new byte[MixedEventsAppenderMain.indexFileLength(events)]);
            writers.add(ChildJvm.builder(MixedEventsAppenderMain.class).arguments(journalRoot.toString(),
                sourceId(stream), Integer.toString(stream), Integer.toString(events), Long.toString(writeMs),
                Long.toString(seed ^ stream), indexFiles[stream - 1].toString()).workingDirectory(environment.root())
                .appendLog(environment.root().resolve("writer-" + stream + ".log")).start().process());
        }

        int killsWhileWriting = 0;
        int killsWhileDraining = 0;
        for (int kill = 1; kill <= kills; kill++)
        {
            final long committedAtStart = committedEvents();
            final boolean duringStartUp = 0 == kill % STARTUP_KILL_EVERY;
            if (duringStartUp)
            {
                awaitUptime(random.nextInt(STARTUP_KILL_WINDOW_MS));
            }
            else
            {
                awaitDraining();
                awaitUptime(agent.uptimeMs() + random.nextInt((int)(2 * meanDrainingMs)));
            }
            final String phase = agent.currentLogContains(DRAINING_LINE) ? "draining" :
                agent.currentLogContains(ReaderAgentProcess.RUNNING_LINE) ? "discovering" : "starting";
            final long uptimeMs = agent.uptimeMs();
            agent.kill();
            final long committed = committedEvents() - committedAtStart;
            final boolean writing = writers.stream().anyMatch(Process::isAlive);
            killsWhileWriting += writing ? 1 : 0;
            killsWhileDraining += "draining".equals(phase) ? 1 : 0;
            System.out.printf("kill %2d: after %,6d ms, agent %-11s %,7d events committed in this life, writers %s%n",
                kill, uptimeMs, phase, committed, writing ? "appending" : "done");
            agent.start();
        }
        System.out.printf("%d of %d kills while the writers appended, %d while the agent was draining%n",
            killsWhileWriting, kills, killsWhileDraining);
        assertTrue(killsWhileWriting >= kills / 2, "the writers finished before most kills: raise " +
            "tradestate.drain.write.ms");

        final List<DrainedEventsVerifier.Source> sources = new ArrayList<>();
        for (int stream = 1; stream <= WRITERS; stream++)
        {
            final Process writer = writers.get(stream - 1);
            assertTrue(writer.waitFor(writeMs + WRITER_EXIT_GRACE_MS, TimeUnit.MILLISECONDS), "writer " + stream +
                " did not finish");
            assertEquals(0, writer.exitValue(), "writer " + stream + " failed:\n" +
                Files.readString(environment.root().resolve("writer-" + stream + ".log")));
            sources.add(new DrainedEventsVerifier.Source(sourceId(stream), stream,
                readIndexes(indexFiles[stream - 1], events), QueueSummary.of(journalRoot.resolve(sourceId(stream))),
                writer.pid()));
        }
        final long appendToNs = TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis() + 1_000);
        final long writersDoneNs = System.nanoTime();

        awaitDrained(sources);
        final long drainedNs = System.nanoTime();
        final int comparisons =
            StateMapsAssertions.assertMapsEqualTables(environment.stateDir(), environment.dataSource());
        System.out.printf("state maps equal the current-state tables (after %d comparisons, %,d ms)%n", comparisons,
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - drainedNs));
        agent.stop();

        final DrainedEventsVerifier verifier = new DrainedEventsVerifier(environment.dataSource(), sources);
        final List<String> problems = verifier.verify(appendFromNs, appendToNs);
        System.out.print(verifier.storedCounts());
        System.out.printf("writers done after %,d ms; drained %,d ms later; %,d rows compared field for field in " +
            "%,d ms; %d agent lives%n",
            TimeUnit.NANOSECONDS.toMillis(writersDoneNs - testStartNs),
            TimeUnit.NANOSECONDS.toMillis(drainedNs - writersDoneNs), verifier.rowsCompared(),
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - drainedNs), agent.lives());
        if (!problems.isEmpty())
        {
            fail("the drained database differs from what was appended (seed " + seed + "):\n" +
                String.join("\n", problems));
        }

        final List<String> errors = new ArrayList<>();
        for (final String line : agent.logLines())
        {
            if (line.contains("[ERROR]") || line.contains("database write failed"))
            {
                errors.add(line);
            }
        }
        assertEquals(List.of(), errors, "no agent life may log an error or a failed database write");
    }

    private void awaitUptime(final long uptimeMs) throws IOException, InterruptedException
    {
        while (agent.uptimeMs() < uptimeMs)
        {
            checkWriters();
            agent.checkAlive();
            Thread.sleep(Math.min(POLL_MS, Math.max(1, uptimeMs - agent.uptimeMs())));
        }
    }

    private void awaitDraining() throws IOException, InterruptedException
    {
        while (!agent.currentLogContains(DRAINING_LINE))
        {
            if (agent.uptimeMs() > DRAINING_TIMEOUT_MS)
            {
                fail("the agent did not start draining within " + DRAINING_TIMEOUT_MS + " ms:\n" + agent.logTail());
            }
            checkWriters();
            agent.checkAlive();
            Thread.sleep(10);
        }
    }

    private void checkWriters() throws IOException
    {
        for (int i = 0; i < writers.size(); i++)
        {
            final Process writer = writers.get(i);
            if (!writer.isAlive() && 0 != writer.exitValue())
            {
                fail("writer " + (i + 1) + " failed with exit code " + writer.exitValue() + ":\n" +
                    Files.readString(environment.root().resolve("writer-" + (i + 1) + ".log")));
            }
        }
    }

    private long committedEvents() throws SQLException
    {
        try (Connection connection = environment.dataSource().getConnection();
            Statement statement = connection.createStatement();
            ResultSet rows = statement.executeQuery("SELECT coalesce(sum(events), 0) FROM source_checkpoints"))
        {
            rows.next();
            return rows.getLong(1);
        }
        catch (final SQLException ex)
        {
            if ("42P01".equals(ex.getSQLState()))
            {
                return 0; // the first agent has not migrated the schema yet
            }
            throw ex;
        }
    }

    private void awaitDrained(final List<DrainedEventsVerifier.Source> sources) throws Exception
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DRAIN_TIMEOUT_MS);
        Map<String, Long> checkpoints = Map.of();
        while (System.nanoTime() - deadlineNs < 0)
        {
            agent.checkAlive();
            checkpoints = checkpoints();
            boolean drained = true;
            for (final DrainedEventsVerifier.Source source : sources)
            {
                drained &= Long.valueOf(source.queue.lastIndex).equals(checkpoints.get(source.sourceId));
            }
            if (drained)
            {
                return;
            }
            Thread.sleep(POLL_MS);
        }
        final StringBuilder expected = new StringBuilder();
        for (final DrainedEventsVerifier.Source source : sources)
        {
            expected.append(source.sourceId).append(": ").append(source.queue).append("; ");
        }
        fail("not drained within " + DRAIN_TIMEOUT_MS + " ms: checkpoints " + checkpoints + ", queues " + expected +
            "\n" + agent.logTail());
    }

    private Map<String, Long> checkpoints() throws SQLException
    {
        final Map<String, Long> checkpoints = new HashMap<>();
        try (Connection connection = environment.dataSource().getConnection();
            Statement statement = connection.createStatement();
            ResultSet rows = statement.executeQuery("SELECT source_id, last_index FROM source_checkpoints"))
        {
            while (rows.next())
            {
                checkpoints.put(rows.getString(1), rows.getLong(2));
            }
        }
        return checkpoints;
    }

    private static long[] readIndexes(final Path indexFile, final int events) throws IOException
    {
        final MappedByteBuffer mapped;
        try (FileChannel channel = FileChannel.open(indexFile, StandardOpenOption.READ))
        {
            mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, MixedEventsAppenderMain.indexFileLength(events));
        }
        final UnsafeBuffer buffer = new UnsafeBuffer(mapped);
        assertEquals(events, buffer.getLongVolatile(MixedEventsAppenderMain.COMMITTED_OFFSET),
            "events committed by " + indexFile);
        final long[] indexes = new long[events];
        for (int sequence = 0; sequence < events; sequence++)
        {
            indexes[sequence] = buffer.getLong(MixedEventsAppenderMain.indexOffset(sequence));
        }
        return indexes;
    }

    private static String sourceId(final int stream)
    {
        return "writer-" + stream;
    }
}
