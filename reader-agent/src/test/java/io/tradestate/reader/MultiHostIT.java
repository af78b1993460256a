package io.tradestate.reader;

import io.tradestate.reader.drain.SourceOwnership;
import io.tradestate.test.ChildJvm;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Two hosts, one database: each "host" is a journal root and a state folder of its own, with its own reader agent (a
 * child JVM, as the daemon runs) and two strategy JVMs appending {@link MixedEvents} to sources of distinct ids, and
 * both agents drain into the same PostgreSQL database at the same time. One agent, then the other, is killed with
 * {@code SIGKILL} mid-stream and started again while the other keeps draining. In the end every event of every source
 * is stored exactly once ({@link DrainedEventsVerifier}), each checkpoint is its queue's last index, neither agent
 * logged an error, and each agent's {@code /metrics} names its own sources only.
 * <p>
 * The second test is the misconfiguration: one source id on both hosts. The agent that claims it first drains it;
 * the other refuses its own queue of that id, logs it once as an error, exports {@code tradestate_sources_refused},
 * and drains its other sources as usual (see {@link SourceOwnership}).
 * <p>
 * System properties: {@code tradestate.multihost.events} per writer (default {@value #DEFAULT_EVENTS}) and
 * {@code tradestate.multihost.write.ms} (default {@value #DEFAULT_WRITE_MS}). The database and the folders are
 * {@link AgentTestEnvironment}'s.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class MultiHostIT
{
    private static final int DEFAULT_EVENTS = 15_000;
    private static final long DEFAULT_WRITE_MS = 30_000;
    private static final int SMALL_EVENTS = 2_000;
    private static final long SMALL_WRITE_MS = 1_000;
    private static final String DRAINING_LINE = "DrainAgent - draining source";
    private static final String REFUSED_LINE = "source shared is not drained";
    private static final Pattern METRICS_LINE = Pattern.compile("metrics on http://([^:/]+):(\\d+)/metrics");
    private static final Pattern SOURCE_LABEL = Pattern.compile("^(tradestate_source_[a-z_]+)\\{source=\"([^\"]+)\"}");
    private static final long START_TIMEOUT_MS = 60_000;
    private static final long DRAIN_TIMEOUT_MS = 90_000;
    private static final long WRITER_EXIT_GRACE_MS = 60_000;
    private static final long POLL_MS = 100;

    @RegisterExtension
    final AgentTestEnvironment environment = new AgentTestEnvironment("multi_host");

    private final List<Process> writers = new ArrayList<>();
    private final List<ReaderAgentProcess> agents = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /**
     * One host: a journal root, a reader agent with its own state folder, and the strategies appending there.
     */
    private final class Host
    {
        final String name;
        final Path journalRoot;
        final ReaderAgentProcess agent;
        final Map<String, Integer> streams = new TreeMap<>();
        final Map<String, Process> writerOf = new HashMap<>();
        final Map<String, Path> indexFileOf = new HashMap<>();

        Host(final String name) throws IOException
        {
            this.name = name;
            this.journalRoot = hostRoot().resolve("journal");
            Files.createDirectories(journalRoot);
            agent = environment.process(hostRoot().resolve("agent"),
                environment.processSettings(journalRoot, hostRoot().resolve("state")), Map.of());
            agents.add(agent);
        }

        void startWriter(final String sourceId, final int stream, final int events, final long writeMs)
            throws IOException
        {
            final Path indexFile = hostRoot().resolve("indexes-" + sourceId);
            Files.write(indexFile, new byte[MixedEventsAppenderMain.indexFileLength(events)]);
            final Process writer = ChildJvm.builder(MixedEventsAppenderMain.class).arguments(journalRoot.toString(),
                sourceId, Integer.toString(stream), Integer.toString(events), Long.toString(writeMs),
                Long.toString(31L * stream + events), indexFile.toString()).workingDirectory(environment.root())
                .appendLog(hostRoot().resolve("writer-" + sourceId + ".log")).start().process();
            writers.add(writer);
            streams.put(sourceId, stream);
            writerOf.put(sourceId, writer);
            indexFileOf.put(sourceId, indexFile);
        }

        DrainedEventsVerifier.Source finishedSource(final String sourceId, final int events, final long writeMs)
            throws IOException, InterruptedException
        {
            final Process writer = writerOf.get(sourceId);
            assertTrue(writer.waitFor(writeMs + WRITER_EXIT_GRACE_MS, TimeUnit.MILLISECONDS),
                name + ": writer of " + sourceId + " did not finish");
            assertEquals(0, writer.exitValue(), name + ": writer of " + sourceId + " failed:\n" +
                Files.readString(hostRoot().resolve("writer-" + sourceId + ".log")));
            return new DrainedEventsVerifier.Source(sourceId, streams.get(sourceId),
                readIndexes(indexFileOf.get(sourceId), events), QueueSummary.of(journalRoot.resolve(sourceId)),
                writer.pid());
        }

        Path hostRoot()
        {
            return environment.root().resolve(name);
        }

        String agentName()
        {
            return SourceOwnership.agentName(journalRoot);
        }
    }

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
    void shouldDrainTwoHostsIntoOneDatabaseWithoutInterferenceWhenEachAgentIsKilled() throws Exception
    {
        final int events = Integer.getInteger("tradestate.multihost.events", DEFAULT_EVENTS);
        final long writeMs = Long.getLong("tradestate.multihost.write.ms", DEFAULT_WRITE_MS);
        final long appendFromNs = TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis() - 1_000);
        final long testStartNs = System.nanoTime();
        final Host hostA = new Host("host-a");
        final Host hostB = new Host("host-b");

        hostA.agent.start();
        hostB.agent.start();
        hostA.startWriter("a-1", 1, events, writeMs);
        hostA.startWriter("a-2", 2, events, writeMs);
        hostB.startWriter("b-1", 3, events, writeMs);
        hostB.startWriter("b-2", 4, events, writeMs);
        awaitDraining(hostA);
        awaitDraining(hostB);

        final boolean writingAtFirstKill = killWhileTheOtherDrains(hostA, hostB, testStartNs);
        final boolean writingAtSecondKill = killWhileTheOtherDrains(hostB, hostA, testStartNs);
        assertTrue(writingAtFirstKill && writingAtSecondKill,
            "the writers finished before a kill: raise tradestate.multihost.write.ms");

        final List<DrainedEventsVerifier.Source> sources = new ArrayList<>();
        for (final Host host : List.of(hostA, hostB))
        {
            for (final String sourceId : host.streams.keySet())
            {
                sources.add(host.finishedSource(sourceId, events, writeMs));
            }
        }
        final long appendToNs = TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis() + 1_000);
        final long writersDoneNs = System.nanoTime();
        awaitCheckpoints(sources);
        final long drainedNs = System.nanoTime();

        assertEquals(Set.of("a-1", "a-2"), sourcesNamedByMetrics(hostA), "host A's /metrics");
        assertEquals(Set.of("b-1", "b-2"), sourcesNamedByMetrics(hostB), "host B's /metrics");
        final Set<String> missing = new TreeSet<>(GrafanaDashboardTest.dashboardMetricNames());
        missing.removeAll(metricNames(scrape(hostA)));
        assertEquals(Set.of(), missing, "metrics the dashboard uses that a running agent does not export");
        assertEquals(Map.of("a-1", hostA.agentName(), "a-2", hostA.agentName(), "b-1", hostB.agentName(),
            "b-2", hostB.agentName()), owners());

        hostA.agent.stop();
        hostB.agent.stop();
        final DrainedEventsVerifier verifier = new DrainedEventsVerifier(environment.dataSource(), sources);
        final List<String> problems = verifier.verify(appendFromNs, appendToNs);
        System.out.print(verifier.storedCounts());
        System.out.printf("MultiHostIT: 4 writers x %,d events over %,d ms on 2 hosts; writers done after %,d ms, " +
            "drained %,d ms later; %,d rows compared; agent lives: A %d, B %d%n", events, writeMs,
            TimeUnit.NANOSECONDS.toMillis(writersDoneNs - testStartNs),
            TimeUnit.NANOSECONDS.toMillis(drainedNs - writersDoneNs), verifier.rowsCompared(),
            hostA.agent.lives(), hostB.agent.lives());
        if (!problems.isEmpty())
        {
            fail("the drained database differs from what was appended:\n" + String.join("\n", problems));
        }
        assertEquals(List.of(), errorLines(hostA.agent), "host A's agent logged errors");
        assertEquals(List.of(), errorLines(hostB.agent), "host B's agent logged errors");
    }

    @Test
    void shouldRefuseASourceIdAnotherHostDrainsAndKeepDrainingTheRest() throws Exception
    {
        final long appendFromNs = TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis() - 1_000);
        final Host hostA = new Host("host-a");
        final Host hostB = new Host("host-b");
        hostA.startWriter("shared", 1, SMALL_EVENTS, SMALL_WRITE_MS);
        hostB.startWriter("shared", 2, SMALL_EVENTS, SMALL_WRITE_MS);
        hostB.startWriter("b-own", 3, SMALL_EVENTS, SMALL_WRITE_MS);
        final DrainedEventsVerifier.Source sharedOfA = hostA.finishedSource("shared", SMALL_EVENTS, SMALL_WRITE_MS);
        final DrainedEventsVerifier.Source sharedOfB = hostB.finishedSource("shared", SMALL_EVENTS, SMALL_WRITE_MS);
        final DrainedEventsVerifier.Source ownOfB = hostB.finishedSource("b-own", SMALL_EVENTS, SMALL_WRITE_MS);
        final long appendToNs = TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis() + 1_000);

        hostA.agent.start();
        awaitCheckpoints(List.of(sharedOfA));
        hostB.agent.start();
        awaitCheckpoints(List.of(sharedOfA, ownOfB));
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MS);
        while (!hostB.agent.currentLogContains(REFUSED_LINE) && System.nanoTime() - deadlineNs < 0)
        {
            Thread.sleep(POLL_MS);
        }
        Thread.sleep(1_000); // twenty discovery intervals: the refusal must stay logged once

        final String metricsOfB = scrape(hostB);
        assertTrue(metricsOfB.contains("\ntradestate_sources_refused 1\n"), metricsOfB);
        assertTrue(metricsOfB.contains("\ntradestate_source_lag_events{source=\"shared\"} " + sharedOfB.queue.excerpts +
            "\n"), "host B's events of its source shared are all undrained:\n" + metricsOfB);
        assertTrue(metricsOfB.contains("\ntradestate_source_last_committed_index{source=\"shared\"} -1\n"),
            "host B must not report host A's checkpoint as its own:\n" + metricsOfB);
        assertEquals(Set.of("shared"), sourcesNamedByMetrics(hostA), "host A's /metrics");
        assertEquals(Map.of("shared", hostA.agentName(), "b-own", hostB.agentName()), owners());

        final List<String> errorsOfB = errorLines(hostB.agent);
        assertEquals(1, errorsOfB.size(), "host B logs the refusal once: " + errorsOfB);
        assertTrue(errorsOfB.get(0).contains(REFUSED_LINE) && errorsOfB.get(0).contains(hostA.agentName()),
            errorsOfB.get(0));
        assertEquals(List.of(), errorLines(hostA.agent), "host A's agent logged errors");

        hostA.agent.stop();
        hostB.agent.stop();
        final List<String> problems = new DrainedEventsVerifier(environment.dataSource(),
            List.of(sharedOfA, ownOfB)).verify(appendFromNs, appendToNs);
        assertEquals(List.of(), problems, "the database holds host A's shared and host B's b-own, exactly once");
    }

    /**
     * Kill one host's agent once it has committed events in this life, keep it down for two seconds while the other
     * host's agent drains, and start it again.
     *
     * @return whether every writer was still appending at the kill.
     */
    private boolean killWhileTheOtherDrains(final Host victim, final Host other, final long testStartNs)
        throws Exception
    {
        final long committedBefore = committedEvents(victim.streams.keySet());
        while (committedEvents(victim.streams.keySet()) == committedBefore)
        {
            victim.agent.checkAlive();
            Thread.sleep(10);
        }
        final boolean writing = writers.stream().allMatch(Process::isAlive);
        victim.agent.kill();
        final long killedAtMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - testStartNs);
        final long committedAtKill = committedEvents(victim.streams.keySet());
        final long committedByOther = committedEvents(other.streams.keySet());
        Thread.sleep(2_000);
        assertEquals(committedAtKill, committedEvents(victim.streams.keySet()), victim.name + " drained while dead");
        final long committedByOtherMeanwhile = committedEvents(other.streams.keySet()) - committedByOther;
        assertTrue(committedByOtherMeanwhile > 0, other.name + " stopped draining while " + victim.name + " was " +
            "down");
        System.out.printf("%s killed %,d ms into the test with %,d events committed, writers %s; %s committed %,d " +
            "events in the next 2 s%n", victim.name, killedAtMs, committedAtKill, writing ? "appending" : "done",
            other.name, committedByOtherMeanwhile);
        victim.agent.start();
        awaitDraining(victim);
        return writing;
    }

    private void awaitDraining(final Host host) throws IOException, InterruptedException
    {
        while (!host.agent.currentLogContains(DRAINING_LINE))
        {
            if (host.agent.uptimeMs() > START_TIMEOUT_MS)
            {
                fail(host.name + ": the agent did not start draining:\n" + host.agent.logTail());
            }
            host.agent.checkAlive();
            Thread.sleep(10);
        }
    }

    private void awaitCheckpoints(final List<DrainedEventsVerifier.Source> sources) throws Exception
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DRAIN_TIMEOUT_MS);
        Map<String, Long> checkpoints = Map.of();
        while (System.nanoTime() - deadlineNs < 0)
        {
            for (final ReaderAgentProcess agent : agents)
            {
                if (agent.lives() > 0)
                {
                    agent.checkAlive();
                }
            }
            try
            {
                checkpoints = query("SELECT source_id, last_index FROM source_checkpoints");
            }
            catch (final SQLException ex)
            {
                if (!"42P01".equals(ex.getSQLState()))
                {
                    throw ex; // else: the agent has not migrated the schema yet
                }
            }
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
        fail("not drained within " + DRAIN_TIMEOUT_MS + " ms: checkpoints " + checkpoints);
    }

    private long committedEvents(final Set<String> sourceIds) throws SQLException
    {
        long committed = 0;
        try
        {
            final Map<String, Long> events = query("SELECT source_id, events FROM source_checkpoints");
            for (final String sourceId : sourceIds)
            {
                committed += events.getOrDefault(sourceId, 0L);
            }
        }
        catch (final SQLException ex)
        {
            if (!"42P01".equals(ex.getSQLState()))
            {
                throw ex; // else: no agent has migrated the schema yet
            }
        }
        return committed;
    }

    private Map<String, String> owners() throws SQLException
    {
        final Map<String, String> owners = new HashMap<>();
        try (Connection connection = environment.dataSource().getConnection();
            Statement statement = connection.createStatement();
            ResultSet rows = statement.executeQuery("SELECT source_id, agent FROM source_owners"))
        {
            while (rows.next())
            {
                owners.put(rows.getString(1), rows.getString(2));
            }
        }
        return owners;
    }

    private Map<String, Long> query(final String sql) throws SQLException
    {
        final Map<String, Long> values = new HashMap<>();
        try (Connection connection = environment.dataSource().getConnection();
            Statement statement = connection.createStatement();
            ResultSet rows = statement.executeQuery(sql))
        {
            while (rows.next())
            {
                values.put(rows.getString(1), rows.getLong(2));
            }
        }
        return values;
    }

    private String scrape(final Host host) throws IOException, InterruptedException
    {
        String url = null;
        for (final String line : host.agent.logLines())
        {
            final Matcher matcher = METRICS_LINE.matcher(line);
            if (matcher.find())
            {
                url = "http://" + matcher.group(1) + ":" + matcher.group(2) + "/metrics"; // the last life's wins
            }
        }
        assertTrue(null != url, host.name + ": the agent did not log its metrics address");
        final HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body())
        {
            assertEquals(200, response.statusCode(), url);
            return new String(body.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private Set<String> sourcesNamedByMetrics(final Host host) throws IOException, InterruptedException
    {
        final Set<String> sources = new TreeSet<>();
        for (final String line : scrape(host).split("\n"))
        {
            final Matcher matcher = SOURCE_LABEL.matcher(line);
            if (matcher.find())
            {
                sources.add(matcher.group(2));
            }
        }
        return sources;
    }

    /**
     * The names a scrape declares ({@code # TYPE}) and those of its samples: a histogram's {@code _bucket},
     * {@code _sum} and {@code _count}, a summary's {@code _sum} and {@code _count}, which the dashboard queries.
     */
    private static Set<String> metricNames(final String scrape)
    {
        final Set<String> names = new TreeSet<>(ExpositionParser.types(scrape).keySet());
        for (final ExpositionParser.Sample sample : ExpositionParser.parse(scrape))
        {
            names.add(sample.name());
        }
        return names;
    }

    private static List<String> errorLines(final ReaderAgentProcess agent) throws IOException
    {
        final List<String> errors = new ArrayList<>();
        final List<String> lines = agent.logLines();
        for (int i = 0; i < lines.size(); i++)
        {
            final String line = lines.get(i);
            if (line.contains("[ERROR]") || line.contains("database write failed"))
            {
                // with the exception's own line, which names the cause
                errors.add(i + 1 < lines.size() ? line + " / " + lines.get(i + 1) : line);
            }
        }
        return errors;
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
}
