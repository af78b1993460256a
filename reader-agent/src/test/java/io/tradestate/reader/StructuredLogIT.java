package io.tradestate.reader;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tradestate.reader.logging.LogConfiguration;
import io.tradestate.reader.logging.LogfmtParser;
import io.tradestate.writer.JournalContext;
import io.tradestate.writer.TradeJournal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reader agent's log as systemd runs it: the unit selects JSON lines, every line the agent writes parses as one
 * JSON object with the documented fields (key-value context included), and neither the log, nor an exception
 * message in it, nor the command line of any process ({@code ps}) ever holds the database password, whether the
 * agent runs its embedded PostgreSQL or is refused by an external one.
 * <p>
 * Not on {@link AgentTestEnvironment}: the agent runs its own embedded PostgreSQL (its password is the secret
 * looked for), and the refused login needs no database of the test's.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class StructuredLogIT
{
    private static final Path UNIT = Paths.get("..").toAbsolutePath().normalize()
        .resolve("deploy/systemd/tradestate-reader-agent.service");
    private static final List<String> FIELDS = List.of("ts", "level", "logger", "thread", "msg");
    private static final String SOURCE_ID = "log-strategy";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path root;

    @Test
    void shouldSelectJsonLinesInTheSystemdUnit() throws IOException
    {
        assertEquals("json", unitEnvironment().get(LogConfiguration.FORMAT_ENV));
    }

    @Test
    void shouldLogJsonLinesWithoutTheEmbeddedDatabasePasswordUnderTheUnitsEnvironment() throws Exception
    {
        final Path journalRoot = Files.createDirectories(root.resolve("journal"));
        final Map<String, String> settings = settings(journalRoot);
        try (ReaderAgentProcess agent = new ReaderAgentProcess(root.resolve("agent"), settings, null,
            Map.of(LogConfiguration.FORMAT_ENV, unitEnvironment().get(LogConfiguration.FORMAT_ENV))))
        {
            agent.start();
            try (TradeJournal journal = TradeJournal.open(new JournalContext()
                .journalRoot(journalRoot).sourceId(SOURCE_ID)))
            {
                final MixedEvents events = new MixedEvents();
                for (long sequence = 0; sequence < 20; sequence++)
                {
                    events.prepare(journal, 1, sequence).commit();
                }
            }
            awaitLog(agent, "\"source\":\"" + SOURCE_ID + "\"");

            final String password = Files.readString(root.resolve("state/postgres/password")).trim();
            assertTrue(password.length() >= 32, "the embedded server's password");
            assertNoSecretInProcesses(password);
            agent.stop();

            final List<JsonNode> lines = jsonLines(agent);
            assertNoSecretInLog(agent, password);
            assertTrue(lines.stream().anyMatch((line) -> line.get("msg").textValue()
                .startsWith(ReaderAgentProcess.RUNNING_LINE)), "the running line");
            final JsonNode draining = lines.stream().filter((line) -> line.has("source")).findFirst().orElseThrow();
            assertEquals("io.tradestate.reader.drain.DrainAgent", draining.get("logger").textValue());
            assertEquals("draining source " + SOURCE_ID + " from its start", draining.get("msg").textValue());
            assertEquals("stopped", lines.get(lines.size() - 1).get("msg").textValue());
        }
    }

    @Test
    void shouldKeepARefusedPasswordOutOfTheLogAndTheCommandLines() throws Exception
    {
        final String password = "Wr0ng \"secret\" " + UUID.randomUUID();
        final Map<String, String> settings = settings(Files.createDirectories(root.resolve("journal")));
        settings.put(ReaderConfiguration.DB_URL, TestDatabase.jdbcUrl());
        settings.put(ReaderConfiguration.DB_USER, TestDatabase.user());
        try (ReaderAgentProcess agent = new ReaderAgentProcess(root.resolve("agent"), settings, password,
            Map.of(LogConfiguration.FORMAT_ENV, "logfmt")))
        {
            agent.start();
            assertNoSecretInProcesses(password);
            final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (agent.isAlive() && System.nanoTime() - deadlineNs < 0)
            {
                Thread.sleep(100);
            }
            assertFalse(agent.isAlive(), "a refused password stops the agent:\n" + agent.logTail());

            final List<Map<String, String>> lines = new ArrayList<>();
            for (final String line : agent.logLines())
            {
                lines.add(LogfmtParser.parse(line));
            }
            assertNoSecretInLog(agent, password);
            final Map<String, String> failure = lines.get(lines.size() - 1);
            assertEquals("error", failure.get("level"), agent.logTail());
            assertTrue(failure.get("error_stack").contains("password authentication failed"), agent.logTail());
        }
    }

    private static Map<String, String> unitEnvironment() throws IOException
    {
        final Map<String, String> environment = new HashMap<>();
        for (final String line : Files.readAllLines(UNIT, StandardCharsets.UTF_8))
        {
            if (line.startsWith("Environment="))
            {
                final String assignment = line.substring("Environment=".length());
                final int equals = assignment.indexOf('=');
                environment.put(assignment.substring(0, equals), assignment.substring(equals + 1));
            }
        }
        return environment;
    }

    private Map<String, String> settings(final Path journalRoot)
    {
        final Map<String, String> settings = new HashMap<>();
        settings.put(ReaderConfiguration.JOURNAL_ROOT, journalRoot.toString());
        settings.put(ReaderConfiguration.STATE_DIR, root.resolve("state").toString());
        settings.put(ReaderConfiguration.DISCOVERY_INTERVAL_MS, "50");
        settings.put(ReaderConfiguration.METRICS_PORT, "0");
        return settings;
    }

    private static void awaitLog(final ReaderAgentProcess agent, final String text) throws Exception
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(150);
        while (!agent.currentLogContains(text))
        {
            agent.checkAlive();
            assertTrue(System.nanoTime() - deadlineNs < 0, "no " + text + " in the log:\n" + agent.logTail());
            Thread.sleep(100);
        }
    }

    private static List<JsonNode> jsonLines(final ReaderAgentProcess agent) throws IOException
    {
        final List<JsonNode> nodes = new ArrayList<>();
        for (final String line : agent.logLines())
        {
            final JsonNode node;
            try
            {
                node = JSON.readTree(line);
            }
            catch (final IOException ex)
            {
                throw new AssertionError("not a JSON line: " + line, ex);
            }
            final List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            assertTrue(names.size() >= FIELDS.size(), "not a log record: " + line);
            assertEquals(FIELDS, names.subList(0, FIELDS.size()), line);
            assertTrue(node.get("ts").textValue().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"), line);
            assertTrue(List.of("error", "warn", "info", "debug", "trace").contains(node.get("level").textValue()),
                line);
            nodes.add(node);
        }
        assertFalse(nodes.isEmpty(), "no log");
        return nodes;
    }

    private static void assertNoSecretInLog(final ReaderAgentProcess agent, final String password) throws IOException
    {
        for (final String line : agent.logLines())
        {
            assertFalse(line.contains(password), "the password is in the log: " + line);
        }
    }

    /**
     * Neither {@code ps} nor any {@code /proc/<pid>/cmdline} this user can read shows the password: the agent, its
     * PostgreSQL and anything they started.
     */
    private static void assertNoSecretInProcesses(final String password) throws Exception
    {
        final Process ps = new ProcessBuilder("ps", "-eww", "-o", "pid,args").redirectErrorStream(true).start();
        final String output = new String(ps.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(ps.waitFor(10, TimeUnit.SECONDS) && 0 == ps.exitValue(), output);
        assertTrue(output.contains(ReaderAgentMain.class.getName()), "ps lists the agent:\n" + output);
        assertFalse(output.contains(password), "the password is on a command line:\n" + output);
        try (Stream<Path> processes = Files.list(Paths.get("/proc")))
        {
            for (final Path process : (Iterable<Path>)processes::iterator)
            {
                final Path cmdline = process.resolve("cmdline");
                if (process.getFileName().toString().matches("\\d+") && Files.isReadable(cmdline))
                {
                    final String arguments;
                    try
                    {
                        arguments = new String(Files.readAllBytes(cmdline), StandardCharsets.UTF_8);
                    }
                    catch (final IOException ex)
                    {
                        continue;
                    }
                    assertFalse(arguments.contains(password), "the password is in " + cmdline);
                }
            }
        }
    }
}
