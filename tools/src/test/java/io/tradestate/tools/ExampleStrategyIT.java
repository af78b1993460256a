package io.tradestate.tools;

import io.tradestate.reader.StatePublisherRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The example strategy ({@code examples/strategy/}, a Maven project outside the reactor that imports
 * {@code tradestate-bom}) builds and runs against this build's artifacts as a strategy's own build would: it appends
 * an order, a fill and a trade, reads them back through the state view while the reader agent's state publisher runs
 * in this JVM, and restores its open trade and order. The Chronicle and Agrona versions it resolves must be the ones
 * this build tests with (those on this JVM's class path).
 * <p>
 * <b>How the artifacts are made resolvable.</b> {@code mvn verify} installs nothing, and the real local repository
 * must not be touched: its {@code io.tradestate} SNAPSHOTs are what other builds on the machine see. So the example
 * builds with a local repository of its own in a temporary folder, into which this test lays out the BOM, the parent
 * pom and the codecs, state-maps and writer-agent poms and jars just built (the files {@code mvn install} would
 * copy: the poms as the flatten plugin writes them, with the version in place of {@code ${revision}}). Everything
 * else (Chronicle, the plugins) comes from the build's own local repository, declared to the example's Maven as a
 * read-only {@code file://} repository with SNAPSHOTs off, so that no stale
 * {@code io.tradestate} SNAPSHOT there can be picked up, and Maven Central stays behind it for what is not there. An
 * offline build stays offline except for that {@code file://} repository.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ExampleStrategyIT
{
    private static final Path REPOSITORY = Paths.get("..").toAbsolutePath().normalize();
    private static final Path EXAMPLE = REPOSITORY.resolve("examples/strategy");
    private static final Pattern RESOLVED = Pattern.compile(
        "^\\s*([\\w.-]+):([\\w.-]+):[\\w-]+(?::[\\w.-]+)?:([\\w.-]+):(?:compile|runtime)\\b.*$");
    private static final List<String> MATCHED_GROUPS = List.of("net.openhft", "org.agrona");

    @TempDir
    Path tempDir;

    @Test
    void shouldBuildAndRunTheExampleAgainstThisBuildWithTheTestedChronicleVersions() throws Exception
    {
        final String version = property("tradestate.version");
        final Path localRepository = tempDir.resolve("repository");
        installThisBuild(version, localRepository);
        final Path settings = writeSettings(localRepository);
        final Path example = tempDir.resolve("example");
        copyTree(EXAMPLE.resolve("src"), example.resolve("src"));
        Files.copy(EXAMPLE.resolve("pom.xml"), example.resolve("pom.xml"));

        final Path journalRoot = Files.createDirectories(tempDir.resolve("journal"));
        final Path stateDir = tempDir.resolve("state");
        final Path resolved = tempDir.resolve("resolved.txt");
        final String output;
        final BackgroundPublisher publisher = new BackgroundPublisher(journalRoot, stateDir);
        try
        {
            output = maven(example, settings, List.of("-Dtradestate.version=" + version,
                "-Djournal.root=" + journalRoot, "-Dstate.dir=" + stateDir, "-DoutputFile=" + resolved,
                "compile", "dependency:list", "exec:exec"));
        }
        finally
        {
            publisher.stop();
        }

        assertTrue(output.contains("appended an order, a fill and a trade"), output);
        assertTrue(output.contains("read back order 8389765: OPEN, open true"), output);
        assertTrue(output.contains("restored 1 open trade(s), 1 open order(s), 0 pair lock(s)"), output);
        assertTrue(output.contains("trade 1 BTC/USDT 0.015 at 64123.50"), output);
        assertTrue(output.contains("order 8389765 OPEN 0.020 of 0.020"), output);

        final Map<String, String> exampleVersions = versions(Files.readAllLines(resolved));
        final Map<String, String> testedVersions = classPathVersions();
        for (final String artifact : List.of("net.openhft:chronicle-queue", "net.openhft:chronicle-map",
            "net.openhft:chronicle-wire", "net.openhft:chronicle-bytes", "net.openhft:chronicle-core",
            "org.agrona:agrona"))
        {
            assertTrue(exampleVersions.containsKey(artifact), artifact + " not resolved: " + exampleVersions);
        }
        final Map<String, String> expected = new TreeMap<>();
        exampleVersions.keySet().forEach((artifact) -> expected.put(artifact, testedVersions.get(artifact)));
        assertEquals(expected, exampleVersions, "the example resolves other versions than this build tests with");
    }

    @Test
    void shouldGiveTheExampleAndTheReadmeTheFlagsOfThisBuild() throws IOException
    {
        final Flags tested = new Flags(property("tradestate.jvm.args"));
        final Flags java23 = new Flags("--sun-misc-unsafe-memory-access=allow");
        if (Runtime.version().feature() >= 23)
        {
            tested.removeAll(java23);
        }
        final String pom = Files.readString(EXAMPLE.resolve("pom.xml"), StandardCharsets.UTF_8);
        assertEquals(tested, new Flags(element(pom, "tradestate.jvm.flags")), "examples/strategy/pom.xml");
        assertEquals(java23, new Flags(element(pom.substring(pom.indexOf("<id>java23</id>")),
            "tradestate.jvm.flags.java23")), "examples/strategy/pom.xml, Java 23+");

        final String readme = Files.readString(REPOSITORY.resolve("README.md"), StandardCharsets.UTF_8);
        assertEquals(tested, new Flags(element(readme, "tradestate.jvm.flags")), "README.md, Maven");
        final Matcher gradle = Pattern.compile("val tradestateJvmFlags = listOf\\(([^)]*)\\)").matcher(readme);
        assertTrue(gradle.find(), "README.md: no tradestateJvmFlags");
        assertEquals(tested, new Flags(gradle.group(1).replaceAll("[\",]", " ")), "README.md, Gradle");
    }

    private static void installThisBuild(final String version, final Path localRepository) throws IOException
    {
        final Path writerJar = REPOSITORY.resolve("writer-agent/target/tradestate-writer-agent-" + version + ".jar");
        final Path codecsJar = REPOSITORY.resolve("codecs/target/tradestate-codecs-" + version + ".jar");
        final Path stateMapsJar = REPOSITORY.resolve("state-maps/target/tradestate-state-maps-" + version + ".jar");
        assumeTrue(Files.isRegularFile(writerJar) && Files.isRegularFile(codecsJar) &&
            Files.isRegularFile(stateMapsJar),
            "the example needs the codecs, state-maps and writer-agent jars: package them first");

        install(localRepository, "tradestate-bom", version, installedPom("bom"), null);
        install(localRepository, "tradestate-parent", version, installedPom("."), null);
        install(localRepository, "tradestate-codecs", version, installedPom("codecs"), codecsJar);
        install(localRepository, "tradestate-state-maps", version, installedPom("state-maps"), stateMapsJar);
        install(localRepository, "tradestate-writer-agent", version, installedPom("writer-agent"), writerJar);
    }

    /**
     * The pom {@code mvn install} copies for a module: the flatten plugin's {@code target/.flattened-pom.xml}, the
     * module's pom with the CI-friendly {@code ${revision}} resolved, which a strategy's build could not resolve.
     */
    private static Path installedPom(final String module) throws IOException
    {
        final Path pom = REPOSITORY.resolve(module).resolve("target/.flattened-pom.xml").normalize();
        assumeTrue(Files.isRegularFile(pom), pom + " not written: build the module first");
        final String text = Files.readString(pom, StandardCharsets.UTF_8);
        assertFalse(text.contains("${revision}"), pom + " still names ${revision}");
        return pom;
    }

    /**
     * As {@code mvn install} would: a local repository takes a file without a {@code _remote.repositories} record as
     * installed there, whatever repository asks for it.
     */
    private static void install(
        final Path localRepository, final String artifactId, final String version, final Path pom, final Path jar)
        throws IOException
    {
        final Path folder = Files.createDirectories(localRepository.resolve("io/tradestate").resolve(artifactId)
            .resolve(version));
        Files.copy(pom, folder.resolve(artifactId + "-" + version + ".pom"));
        if (null != jar)
        {
            Files.copy(jar, folder.resolve(artifactId + "-" + version + ".jar"));
        }
    }

    private Path writeSettings(final Path localRepository) throws IOException
    {
        final String buildRepository = Paths.get(property("maven.repo.local")).toUri().toString();
        final String repository = "<id>build-local</id><url>" + buildRepository + "</url>" +
            "<releases><enabled>true</enabled></releases><snapshots><enabled>false</enabled></snapshots>";
        final String settings = "<settings><localRepository>" + localRepository + "</localRepository>" +
            "<profiles><profile><id>build-local</id>" +
            "<repositories><repository>" + repository + "</repository></repositories>" +
            "<pluginRepositories><pluginRepository>" + repository + "</pluginRepository></pluginRepositories>" +
            "</profile></profiles><activeProfiles><activeProfile>build-local</activeProfile></activeProfiles>" +
            "</settings>\n";
        return Files.writeString(tempDir.resolve("settings.xml"), settings, StandardCharsets.UTF_8);
    }

    private String maven(final Path project, final Path settings, final List<String> arguments)
        throws IOException, InterruptedException
    {
        final String mavenHome = System.getProperty("maven.home", "");
        final List<String> command = new ArrayList<>(List.of(
            mavenHome.isBlank() ? "mvn" : Paths.get(mavenHome, "bin", "mvn").toString(),
            "-B", "-q", "-s", settings.toString(), "-f", project.resolve("pom.xml").toString()));
        if (property("maven.offline").equals("offline true"))
        {
            command.addAll(List.of("-o", "-Daether.offline.protocols=file"));
        }
        command.addAll(arguments);

        final Path log = tempDir.resolve("example-build.log");
        final ProcessBuilder builder = new ProcessBuilder(command).directory(project.toFile())
            .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().remove("MAVEN_ARGS");
        final Process process = builder.start();
        process.getOutputStream().close();
        final boolean ended = process.waitFor(4, TimeUnit.MINUTES);
        if (!ended)
        {
            process.destroyForcibly().waitFor();
        }
        final String output = Files.readString(log, StandardCharsets.UTF_8);
        assertTrue(ended, "the example's build did not end: " + output);
        assertEquals(0, process.exitValue(), String.join(" ", command) + "\n" + output);
        return output;
    }

    private static Map<String, String> versions(final List<String> dependencyList)
    {
        final Map<String, String> versions = new TreeMap<>();
        for (final String line : dependencyList)
        {
            final Matcher matcher = RESOLVED.matcher(line);
            if (matcher.matches() && MATCHED_GROUPS.contains(matcher.group(1)))
            {
                versions.put(matcher.group(1) + ":" + matcher.group(2), matcher.group(3));
            }
        }
        return versions;
    }

    /**
     * The versions this test runs with, read off the local repository's layout of this JVM's class path entries:
     * {@code <repo>/net/openhft/chronicle-wire/2026.7/chronicle-wire-2026.7.jar}.
     */
    private static Map<String, String> classPathVersions()
    {
        final Path buildRepository = Paths.get(property("maven.repo.local")).toAbsolutePath().normalize();
        final Map<String, String> versions = new TreeMap<>();
        for (final String entry : property("java.class.path").split(File.pathSeparator))
        {
            final Path jar = Paths.get(entry).toAbsolutePath().normalize();
            if (jar.startsWith(buildRepository) && buildRepository.relativize(jar).getNameCount() >= 4)
            {
                final Path relative = buildRepository.relativize(jar);
                final int count = relative.getNameCount();
                final String group = relative.subpath(0, count - 3).toString().replace('/', '.');
                versions.put(group + ":" + relative.getName(count - 3), relative.getName(count - 2).toString());
            }
        }
        assertFalse(versions.isEmpty(), "no jar of " + buildRepository + " on the class path");
        return versions;
    }

    private static String property(final String name)
    {
        final String value = System.getProperty(name);
        assertTrue(null != value && !value.isBlank(), "failsafe must pass the system property " + name);
        return value;
    }

    private static String element(final String xml, final String name)
    {
        final Matcher matcher = Pattern.compile("<" + Pattern.quote(name) + ">([^<]*)</").matcher(xml);
        assertTrue(matcher.find(), "no <" + name + ">");
        return matcher.group(1);
    }

    private static void copyTree(final Path from, final Path to) throws IOException
    {
        try (Stream<Path> paths = Files.walk(from))
        {
            for (final Path path : paths.collect(Collectors.toList()))
            {
                final Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path))
                {
                    Files.createDirectories(target);
                }
                else
                {
                    Files.copy(path, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /**
     * A set of whitespace-separated flags.
     */
    private static final class Flags extends TreeSet<String>
    {
        private static final long serialVersionUID = 1L;

        Flags(final String flags)
        {
            super(Arrays.asList(flags.trim().split("\\s+")));
        }
    }

    /**
     * The reader agent's state publisher, publishing every 50 ms on a thread of its own while the example runs (the
     * runner's clock moves two seconds a round: nothing the example appends is old enough to leave the maps).
     */
    private static final class BackgroundPublisher
    {
        private final Thread thread;
        private volatile boolean running = true;
        private volatile Throwable failure;

        BackgroundPublisher(final Path journalRoot, final Path stateDir) throws InterruptedException
        {
            final StatePublisherRunner runner = new StatePublisherRunner(journalRoot, stateDir,
                System.currentTimeMillis());
            final CountDownLatch published = new CountDownLatch(1);
            thread = new Thread(() ->
            {
                try (runner)
                {
                    runner.publish();
                    published.countDown();
                    while (running)
                    {
                        runner.drain();
                        Thread.sleep(50);
                    }
                }
                catch (final Throwable ex)
                {
                    failure = ex;
                    published.countDown();
                }
            }, "example-state-publisher");
            thread.start();
            assertTrue(published.await(60, TimeUnit.SECONDS), "no generation published");
            assertEquals(null, failure, "the publisher failed");
        }

        void stop() throws InterruptedException
        {
            running = false;
            thread.join(TimeUnit.SECONDS.toMillis(30));
            assertEquals(null, failure, "the publisher failed");
        }
    }
}
