package io.tradestate.tools;

import io.tradestate.reader.cli.VersionProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code deploy/install.sh} puts the tools on a host: this module's runnable jar and its {@code lib/} under
 * {@code opt/tradestate/tools/}, the {@code tradestate} launcher under {@code opt/tradestate/deploy/bin/}. The
 * installed launcher runs each tool on this JVM's Java with the flags of the installed {@code jvm.options}, prints the
 * version of the build with {@code --version} (as the repository's launcher does), says the demo is not part of an
 * installation, and a second install changes nothing.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ToolsInstallIT
{
    private static final Path REPOSITORY = Paths.get("..").toAbsolutePath().normalize();

    @TempDir
    Path root;

    @Test
    void shouldInstallTheToolsAndRunThemFromTheInstalledTree() throws Exception
    {
        assumeTrue(!list(REPOSITORY.resolve("reader-agent/target"), "tradestate-reader-agent-.*-runnable\\.jar")
            .isEmpty(), "install.sh needs the reader agent's jar: build reader-agent first");
        final Result first = run(List.of(REPOSITORY.resolve("deploy/install.sh").toString(), root.toString()));
        assertEquals(0, first.status, first.output);

        final Path home = root.resolve("opt/tradestate");
        assertEquals(1, list(home.resolve("tools"), "tradestate-tools-.*-runnable\\.jar").size(), first.output);
        assertEquals(list(REPOSITORY.resolve("tools/target/lib"), ".*\\.jar"), list(home.resolve("tools/lib"),
            ".*\\.jar"));
        final Path launcher = home.resolve("deploy/bin/tradestate");
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(launcher)));

        final Result usage = run(List.of(launcher.toString(), "--help"));
        assertEquals(0, usage.status, usage.output);
        assertTrue(usage.output.startsWith(ToolsMain.usage()), usage.output);
        for (final String tool : List.of("dump", "state", "verify", "partitions", "report", "reconcile"))
        {
            final Result help = run(List.of(launcher.toString(), tool, "--help"));
            assertEquals(0, help.status, tool + ": " + help.output);
            assertTrue(help.output.contains("usage: tradestate " + tool), tool + ": " + help.output);
        }
        // The same version line from the installed launcher, each subcommand and the repository's own launcher.
        final String version = VersionProvider.version() + System.lineSeparator();
        for (final List<String> command : List.of(List.of(launcher.toString(), "--version"),
            List.of(launcher.toString(), "dump", "--version"), List.of(launcher.toString(), "partitions", "-V"),
            List.of(REPOSITORY.resolve("deploy/bin/tradestate").toString(), "--version")))
        {
            final Result printed = run(command);
            assertEquals(0, printed.status, command + ": " + printed.output);
            assertEquals(version, printed.output, command.toString());
        }
        final Result missing = run(List.of(launcher.toString(), "verify", root.resolve("no-journal").toString(),
            "--db", "jdbc:postgresql://127.0.0.1:1/none"));
        assertEquals(JournalVerifyTool.EXIT_CANNOT_READ, missing.status, missing.output);

        final Result demo = run(List.of(launcher.toString(), "demo"));
        assertEquals(2, demo.status, demo.output);
        assertTrue(demo.output.contains("the demo runs from a repository checkout"), demo.output);

        final Result second = run(List.of(REPOSITORY.resolve("deploy/install.sh").toString(), root.toString()));
        assertEquals(0, second.status, second.output);
        assertTrue(second.output.contains("install.sh: 0 changes"), second.output);
    }

    private static Result run(final List<String> command) throws IOException, InterruptedException
    {
        final ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(Map.of("JAVA", Paths.get(System.getProperty("java.home"), "bin", "java")
            .toString()));
        final Process process = builder.start();
        process.getOutputStream().close();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), String.join(" ", command));
        return new Result(process.exitValue(), output);
    }

    private static List<String> list(final Path folder, final String regex) throws IOException
    {
        if (!Files.isDirectory(folder))
        {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder))
        {
            return files.map((file) -> file.getFileName().toString()).filter((name) -> name.matches(regex)).sorted()
                .collect(Collectors.toList());
        }
    }

    private record Result(int status, String output)
    {
    }
}
