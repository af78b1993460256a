package io.tradestate.reader;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
 * {@code deploy/install.sh} into a temporary root: what it installs, with which modes, that a second run changes
 * nothing and that an operator's edits survive; the installed launcher's command line; and the unit through
 * {@code systemd-analyze verify} and {@code systemd-analyze security}. The two {@code systemd-analyze} tests are
 * skipped where it is missing (a machine with only a JDK and Maven); owners are checked only when the test runs as
 * root with {@code systemd-sysusers} and {@code systemd-tmpfiles}, as install.sh only then creates them.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DeploymentIT
{
    /**
     * Highest {@code systemd-analyze security} exposure accepted for the unit; it measured 1.6 with systemd 252.
     */
    private static final double MAX_EXPOSURE = 2.0;

    private static final Path REPOSITORY = Paths.get("..").toAbsolutePath().normalize();
    private static final Path INSTALL = REPOSITORY.resolve("deploy/install.sh");
    private static final String UNIT = "tradestate-reader-agent.service";
    private static final Pattern EXPOSURE = Pattern.compile("Overall exposure level for \\S+: ([0-9.]+)");
    private static final Pattern VERSION_GATED = Pattern.compile("(\\d+)(-(\\d*))?:(.+)");

    @TempDir
    Path root;

    @Test
    void shouldInstallEveryFileWithItsModeAndChangeNothingTheSecondTime() throws Exception
    {
        final Result first = install();
        assertEquals(0, first.status, first.output);

        assertMode("rwxr-xr-x", "opt/tradestate/deploy/bin/tradestate-reader-agent");
        assertMode("rwxr-xr-x", "opt/tradestate/deploy/bin/tradestate-jvm-flags");
        assertMode("rw-r--r--", "opt/tradestate/deploy/jvm.options");
        assertMode("rw-r--r--", "usr/local/lib/systemd/system/" + UNIT);
        assertMode("rw-r--r--", "usr/local/lib/sysusers.d/tradestate.conf");
        assertMode("rw-r--r--", "usr/local/lib/tmpfiles.d/tradestate.conf");
        assertMode("rw-r-----", "etc/tradestate/reader-agent.properties");
        assertMode("rw-r-----", "etc/tradestate/reader-agent.jvm.options");
        assertMode("rw-r-----", "etc/tradestate/reader-agent.env");
        assertEquals(1, list("opt/tradestate/reader-agent", "tradestate-reader-agent-.*-runnable\\.jar").size());
        assertEquals(list(REPOSITORY.resolve("reader-agent/target/lib"), ".*\\.jar"),
            list("opt/tradestate/reader-agent/lib", ".*\\.jar"));
        assertEquals(Files.readString(REPOSITORY.resolve("deploy/config/reader-agent.properties")),
            Files.readString(root.resolve("etc/tradestate/reader-agent.properties")));
        assertTrue(first.output.contains("installed " + root.resolve("usr/local/lib/systemd/system/" + UNIT)),
            first.output);
        assertFalse(first.output.contains("systemctl"), "no systemctl outside /: " + first.output);

        final Map<String, String> before = snapshot();
        final Result second = install();
        assertEquals(0, second.status, second.output);
        assertTrue(second.output.contains("install.sh: 0 changes under " + root), second.output);
        assertEquals(before, snapshot());
    }

    @Test
    void shouldCreateTheFoldersWithTheirOwnersAndModesWhenRoot() throws Exception
    {
        assumeTrue(runsAsRoot() && onPath("systemd-sysusers") && onPath("systemd-tmpfiles"),
            "needs root, systemd-sysusers and systemd-tmpfiles");
        final Result result = install();
        assertEquals(0, result.status, result.output);

        final int id = tradestateId();
        assertOwner(0750, 0, id, "var/lib/tradestate");
        assertOwner(02770, id, id, "var/lib/tradestate/journal");
        assertOwner(02750, id, id, "var/lib/tradestate/state");
        assertOwner(0700, id, id, "var/lib/tradestate/state/postgres");
        assertOwner(0750, 0, id, "etc/tradestate");
        assertOwner(0640, 0, id, "etc/tradestate/reader-agent.env");
        assertTrue(install().output.contains("install.sh: 0 changes"));
    }

    @Test
    void shouldKeepAnEditedConfigurationAndPutTheShippedOneNextToIt() throws Exception
    {
        assertEquals(0, install().status);
        final Path properties = root.resolve("etc/tradestate/reader-agent.properties");
        final String edited = Files.readString(properties).replace("batch.max.events=10000", "batch.max.events=500");
        Files.writeString(properties, edited);

        final Result second = install();
        assertTrue(second.output.contains("kept your " + properties), second.output);
        assertEquals(edited, Files.readString(properties));
        assertEquals(Files.readString(REPOSITORY.resolve("deploy/config/reader-agent.properties")),
            Files.readString(root.resolve("etc/tradestate/reader-agent.properties.example")));
        assertTrue(install().output.contains("install.sh: 0 changes"));
    }

    @Test
    void shouldUpdateAConfigurationNobodyEditedWhenTheShippedOneChanges() throws Exception
    {
        assertEquals(0, install().status);
        // As if installed by an older version: the file in /etc is that version's, unedited.
        final String older = "# an older version\n";
        Files.writeString(root.resolve("etc/tradestate/reader-agent.env"), older);
        Files.writeString(root.resolve("opt/tradestate/deploy/systemd/reader-agent.env"), older);

        final Result result = install();
        assertTrue(result.output.contains("updated " + root.resolve("etc/tradestate/reader-agent.env")),
            result.output);
        assertEquals(Files.readString(REPOSITORY.resolve("deploy/systemd/reader-agent.env")),
            Files.readString(root.resolve("etc/tradestate/reader-agent.env")));
        assertFalse(Files.exists(root.resolve("etc/tradestate/reader-agent.env.example")));
    }

    @Test
    void shouldStartTheInstalledJarWithTheChronicleFlagsForItsJavaThenTheHeapAndGcSettings() throws Exception
    {
        assertEquals(0, install().status);
        final Path fakeJava = root.resolve("fake-java");
        Files.writeString(fakeJava, "#!/bin/sh\n" +
            "if [ \"$1\" = -version ]; then\n" +
            "    echo \"openjdk version \\\"$FAKE_JAVA_VERSION\\\" 2026-04-21\" >&2; exit 0\n" +
            "fi\n" +
            "for a in \"$@\"; do echo \"$a\"; done\n");
        Files.setPosixFilePermissions(fakeJava, PosixFilePermissions.fromString("rwxr-xr-x"));
        final String unitOptions = unitValue("Environment=TRADESTATE_JVM_OPTIONS=");
        final String optionFiles = Stream.of(unitOptions.split(":"))
            .map((file) -> root.resolve(file.substring(1)).toString()).collect(Collectors.joining(":"));

        for (final int feature : new int[]{ 17, 25 })
        {
            final Result result = run(
                List.of(root.resolve("opt/tradestate/deploy/bin/tradestate-reader-agent").toString(),
                "/etc/tradestate/reader-agent.properties"),
                Map.of("JAVA", fakeJava.toString(), "TRADESTATE_JVM_OPTIONS", optionFiles,
                "FAKE_JAVA_VERSION", feature + ".0.3"));

            assertEquals(0, result.status, result.output);
            final List<String> arguments = List.of(result.output.split("\n"));
            final List<String> chronicleFlags = options(REPOSITORY.resolve("deploy/jvm.options"), feature);
            final List<String> heapAndGc =
                options(REPOSITORY.resolve("deploy/systemd/reader-agent.jvm.options"), feature);
            final List<String> expected = new ArrayList<>(chronicleFlags);
            expected.addAll(heapAndGc);
            assertEquals(expected, arguments.subList(0, expected.size()), "Java " + feature);
            assertTrue(chronicleFlags.contains("--enable-native-access=ALL-UNNAMED"), chronicleFlags.toString());
            assertEquals(feature >= 23, chronicleFlags.contains("--sun-misc-unsafe-memory-access=allow"),
                "Java " + feature + ": " + chronicleFlags);
            assertTrue(heapAndGc.contains("-Xmx1g") && heapAndGc.contains("-XX:+UseG1GC"), heapAndGc.toString());
            assertTrue(heapAndGc.stream().noneMatch((option) -> option.startsWith("--add-")), heapAndGc.toString());
            assertEquals("-jar", arguments.get(expected.size()));
            assertTrue(arguments.get(expected.size() + 1).startsWith(
                root.resolve("opt/tradestate/reader-agent/tradestate-reader-agent-").toString()), result.output);
            assertEquals("/etc/tradestate/reader-agent.properties", arguments.get(arguments.size() - 1));
        }
    }

    @Test
    void shouldPassSystemdAnalyzeVerify() throws Exception
    {
        assumeTrue(onPath("systemd-analyze"), "systemd-analyze is not installed");
        assertEquals(0, install().status);
        // verify wants ExecStart= to exist: point it at the launcher installed under the temporary root.
        final Path unit = Files.createDirectories(root.resolve("verify")).resolve(UNIT);
        Files.writeString(unit, Files.readString(root.resolve("usr/local/lib/systemd/system/" + UNIT))
            .replace("ExecStart=/opt/tradestate/", "ExecStart=" + root + "/opt/tradestate/"));

        final Result result = run(List.of("systemd-analyze", "verify", unit.toString()), Map.of());

        assertEquals(0, result.status, result.output);
        assertEquals("", result.output.trim(), "warnings about the unit");
    }

    @Test
    void shouldScoreAnExposureOfAtMostTwoInSystemdAnalyzeSecurity() throws Exception
    {
        assumeTrue(onPath("systemd-analyze"), "systemd-analyze is not installed");
        assertEquals(0, install().status);

        final Result result = run(List.of("systemd-analyze", "security", "--offline=true",
            "--threshold=" + Math.round(MAX_EXPOSURE * 10),
            root.resolve("usr/local/lib/systemd/system/" + UNIT).toString()), Map.of());

        final Matcher matcher = EXPOSURE.matcher(result.output);
        assertTrue(matcher.find(), result.output);
        final double exposure = Double.parseDouble(matcher.group(1));
        assertTrue(exposure <= MAX_EXPOSURE, "exposure " + exposure + "\n" + result.output);
        assertEquals(0, result.status, result.output);
        for (final String mustStayOff : List.of("MemoryDenyWriteExecute=", "PrivateNetwork="))
        {
            assertTrue(result.output.lines().anyMatch((line) -> line.startsWith("✗ " + mustStayOff)), mustStayOff);
        }
    }

    private Result install() throws IOException, InterruptedException
    {
        return run(List.of(INSTALL.toString(), root.toString()), Map.of());
    }

    private static Result run(final List<String> command, final Map<String, String> environment)
        throws IOException, InterruptedException
    {
        final ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        final Process process = builder.start();
        process.getOutputStream().close();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), String.join(" ", command));
        return new Result(process.exitValue(), output);
    }

    private void assertMode(final String mode, final String path) throws IOException
    {
        final Path file = root.resolve(path);
        assertTrue(Files.exists(file), path);
        assertEquals(mode, PosixFilePermissions.toString(Files.getPosixFilePermissions(file)), path);
    }

    private void assertOwner(final int mode, final int uid, final int gid, final String path) throws IOException
    {
        final Path file = root.resolve(path);
        assertEquals(Integer.toOctalString(mode),
            Integer.toOctalString((Integer)Files.getAttribute(file, "unix:mode") & 07777), path + " mode");
        assertEquals(uid, (int)(Integer)Files.getAttribute(file, "unix:uid"), path + " owner");
        assertEquals(gid, (int)(Integer)Files.getAttribute(file, "unix:gid"), path + " group");
    }

    private int tradestateId() throws IOException
    {
        for (final String line : Files.readAllLines(root.resolve("etc/passwd")))
        {
            final String[] fields = line.split(":");
            if ("tradestate".equals(fields[0]))
            {
                assertEquals(fields[2], fields[3], "user and group ids");
                return Integer.parseInt(fields[2]);
            }
        }
        throw new AssertionError("no tradestate user in " + root.resolve("etc/passwd"));
    }

    private List<String> list(final String folder, final String regex) throws IOException
    {
        return list(root.resolve(folder), regex);
    }

    private static List<String> list(final Path folder, final String regex) throws IOException
    {
        try (Stream<Path> files = Files.list(folder))
        {
            return files.map((file) -> file.getFileName().toString()).filter((name) -> name.matches(regex)).sorted()
                .collect(Collectors.toList());
        }
    }

    private Map<String, String> snapshot() throws IOException
    {
        final Map<String, String> files = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root))
        {
            for (final Path path : (Iterable<Path>)paths::iterator)
            {
                final long size = Files.isRegularFile(path) ? Files.size(path) : 0;
                files.put(root.relativize(path).toString(), Files.getAttribute(path, "unix:mode") + " " +
                    Files.getAttribute(path, "unix:uid") + ":" + Files.getAttribute(path, "unix:gid") + " " +
                    Files.getLastModifiedTime(path).toMillis() + " " + size);
            }
        }
        return files;
    }

    private String unitValue(final String prefix) throws IOException
    {
        return Files.readAllLines(root.resolve("usr/local/lib/systemd/system/" + UNIT)).stream()
            .filter((line) -> line.startsWith(prefix)).map((line) -> line.substring(prefix.length()))
            .findFirst().orElseThrow(() -> new AssertionError("no " + prefix + " in the unit"));
    }

    /**
     * The flags of an options file for a Java feature version: comments and blank lines out, a line {@code N-:flag},
     * {@code N-M:flag} or {@code N:flag} kept only when the version is in its range (the launcher's rule, written
     * again here as the test's own reading of the format).
     */
    private static List<String> options(final Path file, final int feature) throws IOException
    {
        final List<String> flags = new ArrayList<>();
        for (final String line : Files.readAllLines(file))
        {
            final String flag = line.trim();
            if (flag.isEmpty() || flag.startsWith("#"))
            {
                continue;
            }
            final Matcher gated = VERSION_GATED.matcher(flag);
            if (!gated.matches())
            {
                flags.add(flag);
                continue;
            }
            final int lowest = Integer.parseInt(gated.group(1));
            final int highest = null == gated.group(2) ? lowest :
                gated.group(3).isEmpty() ? Integer.MAX_VALUE : Integer.parseInt(gated.group(3));
            if (lowest <= feature && feature <= highest)
            {
                flags.add(gated.group(4));
            }
        }
        return flags;
    }

    private static boolean runsAsRoot()
    {
        return "root".equals(System.getProperty("user.name"));
    }

    private static boolean onPath(final String command)
    {
        for (final String folder : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
        {
            if (!folder.isEmpty() && Files.isExecutable(Paths.get(folder, command)))
            {
                return true;
            }
        }
        return false;
    }

    private static final class Result
    {
        final int status;
        final String output;

        Result(final int status, final String output)
        {
            this.status = status;
            this.output = output;
        }
    }
}
