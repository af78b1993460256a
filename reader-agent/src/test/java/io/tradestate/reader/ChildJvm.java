package io.tradestate.reader;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Starts a {@code main} class of this test class path in a child JVM, with the flags every JVM touching Chronicle
 * needs (the build passes them in the system property {@code tradestate.jvm.args}), its output and errors in one
 * log file, and its working folder set so that no stray {@code system.properties} is picked up. Inherited
 * {@code TRADESTATE_*} variables are dropped, so that only the settings a test passes apply.
 */
final class ChildJvm
{
    private static final String JVM_ARGS_PROPERTY = "tradestate.jvm.args";
    private static final String HEAP = "-Xmx256m";

    private ChildJvm()
    {
    }

    /**
     * Start the child.
     *
     * @param mainClass   whose {@code main} runs.
     * @param arguments   of {@code main}.
     * @param workingDir  working folder of the child.
     * @param log         file receiving its standard output and error (appended to).
     * @param environment variables added to this JVM's, whose own {@code TRADESTATE_*} ones are dropped.
     * @return the running process.
     * @throws IOException if it cannot be started.
     */
    static Process start(
        final Class<?> mainClass,
        final List<String> arguments,
        final Path workingDir,
        final Path log,
        final Map<String, String> environment) throws IOException
    {
        final String jvmArgs = System.getProperty(JVM_ARGS_PROPERTY);
        if (null == jvmArgs || jvmArgs.isBlank())
        {
            throw new IllegalStateException("system property " + JVM_ARGS_PROPERTY + " must be set (the build does)");
        }

        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(Arrays.asList(jvmArgs.trim().split("\\s+")));
        command.add(HEAP);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(arguments);

        final ProcessBuilder builder = new ProcessBuilder(command)
            .directory(workingDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().keySet().removeIf((name) -> name.startsWith("TRADESTATE_"));
        builder.environment().putAll(environment);
        return builder.start();
    }
}
