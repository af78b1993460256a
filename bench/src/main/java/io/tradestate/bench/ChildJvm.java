package io.tradestate.bench;

import io.tradestate.writer.JournalConfiguration;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of a JVM started by a harness: the same {@code java}, the same class path, and this JVM's
 * Chronicle flags and system properties ({@code tradestate.jvm.args} reach the parent through Maven or the test
 * plug-ins), with a heap of its own. A child JVM never inherits a debugger, an agent or this JVM's heap size, nor the
 * test JVMs' {@code -Dtradestate.journal.warmup.appends=0} (the parent pom turns the journal's warm-up at open off
 * where tests open hundreds of journals): a child's journals keep the default, as a strategy's do.
 */
public final class ChildJvm
{
    private static final String TEST_ONLY_PROPERTY = "-D" + JournalConfiguration.WARM_UP_APPENDS_PROP_NAME + "=";

    private ChildJvm()
    {
    }

    /**
     * The command that runs a main class in a new JVM.
     *
     * @param heapArgs  heap and GC options of the child, e.g. {@code -Xms512m -Xmx512m}.
     * @param mainClass the class to run.
     * @param args      its arguments.
     * @return the command, for {@link ProcessBuilder}.
     */
    public static List<String> command(final List<String> heapArgs, final String mainClass, final List<String> args)
    {
        final List<String> command = bareCommand(heapArgs, mainClass, args);
        command.addAll(1, inheritedFlags());
        return command;
    }

    /**
     * The command that runs a main class in a new JVM without this JVM's flags: for a launcher that passes them on
     * itself (JMH's runner gives its forks its own flags, and {@code -jvmArgsAppend} after them).
     *
     * @param heapArgs  heap and GC options of the child.
     * @param mainClass the class to run.
     * @param args      its arguments.
     * @return the command, for {@link ProcessBuilder}.
     */
    public static List<String> bareCommand(
        final List<String> heapArgs, final String mainClass, final List<String> args)
    {
        final List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(heapArgs);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(args);
        return command;
    }

    /**
     * The flags of this JVM that a child needs: module exports and opens, native access, and system properties.
     *
     * @return the flags, in order.
     */
    public static List<String> inheritedFlags()
    {
        final List<String> flags = new ArrayList<>();
        for (final String argument : ManagementFactory.getRuntimeMXBean().getInputArguments())
        {
            if (argument.startsWith("--add-") || argument.startsWith("--enable-native-access") ||
                argument.startsWith("--sun-misc-unsafe-memory-access") ||
                (argument.startsWith("-D") && !argument.startsWith("-Dmaven.") &&
                !argument.startsWith("-Dsurefire.") && !argument.startsWith("-Dbasedir") &&
                !argument.startsWith(TEST_ONLY_PROPERTY)))
            {
                flags.add(argument);
            }
        }

        return flags;
    }

    /**
     * The last 30 lines of a child's log, for the message of an exception about it.
     *
     * @param log the file its output and errors go to.
     * @return {@code "; its log <file> ends with:"} and the lines, or {@code "; no log at <file>"}.
     */
    public static String logTail(final Path log)
    {
        try
        {
            final List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return "; its log " + log + " ends with:" + System.lineSeparator() +
                String.join(System.lineSeparator(), lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        }
        catch (final IOException ex)
        {
            return "; no log at " + log;
        }
    }
}
