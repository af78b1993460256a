package io.tradestate.writer;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The flags Chronicle needs are written twice: in the parent pom for test JVMs and in {@code deploy/jvm.options}
 * for production JVMs. They must not drift apart, and this JVM must be running with them.
 */
class JvmOptionsConsistencyTest
{
    @Test
    void shouldUseTheSameChronicleFlagsInTestsAndInDeployment() throws IOException
    {
        final Path jvmOptions = Paths.get("..", "deploy", "jvm.options");
        final Set<String> deployed = Files.readAllLines(jvmOptions).stream()
            .map(String::trim)
            .filter((line) -> !line.isEmpty() && !line.startsWith("#"))
            .collect(Collectors.toCollection(TreeSet::new));
        final String testArgs = System.getProperty("tradestate.jvm.args");
        assertTrue(null != testArgs && !testArgs.isBlank(), "surefire must pass tradestate.jvm.args");
        final Set<String> tested = Arrays.stream(testArgs.trim().split("\\s+"))
            .collect(Collectors.toCollection(TreeSet::new));

        assertEquals(tested, deployed);
    }

    @Test
    void shouldRunThisJvmWithChronicleAnalyticsOff()
    {
        assertEquals("true", System.getProperty("chronicle.analytics.disable"));
    }
}
