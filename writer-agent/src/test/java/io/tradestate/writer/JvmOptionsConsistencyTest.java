package io.tradestate.writer;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The flags Chronicle needs are written twice: in the parent pom for test JVMs and in {@code deploy/jvm.options}
 * for production JVMs. They must not drift apart on the Java this test runs on (the file's version-gated lines as
 * {@code deploy/bin/tradestate-jvm-flags} picks them for this Java, the pom's through its {@code java23} profile),
 * and this JVM must be running with them.
 */
class JvmOptionsConsistencyTest
{
    private static final Path DEPLOY = Paths.get("..", "deploy").toAbsolutePath().normalize();

    @Test
    void shouldUseTheSameChronicleFlagsInTestsAndInDeploymentOnThisJava() throws Exception
    {
        final Set<String> deployed = new TreeSet<>(deployedFlags());
        final String testArgs = System.getProperty("tradestate.jvm.args");
        assertTrue(null != testArgs && !testArgs.isBlank(), "surefire must pass tradestate.jvm.args");
        final Set<String> tested = Arrays.stream(testArgs.trim().split("\\s+"))
            .collect(Collectors.toCollection(TreeSet::new));

        assertEquals(tested, deployed);
        assertTrue(deployed.contains("--enable-native-access=ALL-UNNAMED"), deployed.toString());
        assertEquals(Runtime.version().feature() >= 23, deployed.contains("--sun-misc-unsafe-memory-access=allow"),
            deployed.toString());
    }

    @Test
    void shouldRunThisJvmWithChronicleAnalyticsOff()
    {
        assertEquals("true", System.getProperty("chronicle.analytics.disable"));
    }

    private static List<String> deployedFlags() throws IOException, InterruptedException
    {
        final ProcessBuilder builder = new ProcessBuilder(
            DEPLOY.resolve("bin/tradestate-jvm-flags").toString(), DEPLOY.resolve("jvm.options").toString());
        builder.environment().put("JAVA", Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        final Process process = builder.redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "tradestate-jvm-flags did not finish");
        assertEquals(0, process.exitValue(), output);

        return output.lines().collect(Collectors.toList());
    }
}
