package io.tradestate.bench.jmh;

import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.ProfilerConfig;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs the JMH suite and writes its results: {@code jmh.json} (JMH's JSON), {@code report.md} (see
 * {@link JmhReport}) in a new folder {@code jmh-<UTC time>} under the results folder. Exits with 1 if no benchmark
 * ran or TradeState's appends or lookups broke the allocation rule.
 * <pre>
 * java -cp ... io.tradestate.bench.jmh.JmhSuiteMain [--results=dir] [JMH options and benchmark patterns]
 * </pre>
 * Every JMH command-line option works and overrides the benchmarks' annotations (3 forks, 5 warm-up and 5 measured
 * iterations of 1 s). The runner adds what the report needs: {@code -prof gc} unless given, JSON output, and the
 * whole suite if no pattern is given, and stops at the first benchmark that fails ({@code -foe true}) unless told
 * otherwise. The Chronicle flags reach the forks by {@code -jvmArgsAppend}, from the
 * parent pom's {@code tradestate.jvm.args} in {@code bench/pom.xml}'s {@code jmh} execution; without it the forks
 * inherit this JVM's own flags.
 */
public final class JmhSuiteMain
{
    /**
     * Every benchmark of the suite.
     */
    public static final String SUITE = "io\\.tradestate\\.bench\\.jmh\\..*";

    private JmhSuiteMain()
    {
    }

    /**
     * Run the suite.
     *
     * @param args {@code --results=dir}, then JMH options.
     * @throws IOException if the results cannot be written.
     * @throws RunnerException if JMH fails.
     */
    public static void main(final String[] args) throws IOException, RunnerException
    {
        Path resultsRoot = Paths.get("bench", "results");
        final List<String> jmhArgs = new ArrayList<>();
        for (final String arg : args)
        {
            if (arg.startsWith("--results="))
            {
                resultsRoot = Paths.get(arg.substring("--results=".length()));
            }
            else if (!arg.isBlank())
            {
                jmhArgs.add(arg);
            }
        }

        final CommandLineOptions commandLine;
        try
        {
            commandLine = new CommandLineOptions(jmhArgs.toArray(new String[0]));
        }
        catch (final CommandLineOptionException ex)
        {
            System.err.println("Error parsing the JMH options: " + ex.getMessage());
            System.exit(2);
            return;
        }
        if (commandLine.shouldHelp())
        {
            commandLine.showHelp();
            return;
        }

        final String time = OffsetDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        final Path folder = resultsRoot.resolve("jmh-" + time);
        Files.createDirectories(folder);
        final Path json = folder.resolve("jmh.json");
        final String loadBefore = loadAverage();

        final ChainedOptionsBuilder options = new OptionsBuilder()
            .parent(commandLine)
            .resultFormat(ResultFormatType.JSON)
            .result(json.toString());
        if (commandLine.getIncludes().isEmpty())
        {
            options.include(SUITE);
        }
        if (!hasGcProfiler(commandLine.getProfilers()))
        {
            options.addProfiler(GCProfiler.class);
        }
        if (!commandLine.shouldFailOnError().hasValue())
        {
            options.shouldFailOnError(true);
        }
        new Runner(options.build()).run();

        final JmhReport report = JmhReport.read(json);
        final String environment = String.format(Locale.ROOT,
            "Run `%s`, %s on %s %s (%s), %d CPUs; load average before %s, after %s. Command: `JmhSuiteMain %s`.",
            folder.getFileName(), time, System.getProperty("os.name"), System.getProperty("os.version"),
            System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors(), loadBefore, loadAverage(),
            String.join(" ", jmhArgs).replaceAll("--add-\\S+ ?", ""));
        final String markdown = report.markdown(environment);
        Files.writeString(folder.resolve("report.md"), markdown, StandardCharsets.UTF_8);
        System.out.println();
        System.out.print(markdown);
        System.out.println("Results in " + folder.toAbsolutePath());
        if (report.benchmarks().isEmpty() || !report.allocationFailures().isEmpty())
        {
            System.exit(1);
        }
    }

    private static boolean hasGcProfiler(final List<ProfilerConfig> profilers)
    {
        for (final ProfilerConfig profiler : profilers)
        {
            if ("gc".equals(profiler.getKlass()) || GCProfiler.class.getName().equals(profiler.getKlass()))
            {
                return true;
            }
        }
        return false;
    }

    private static String loadAverage()
    {
        try
        {
            final String[] fields = Files.readString(Paths.get("/proc/loadavg")).trim().split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        }
        catch (final IOException | RuntimeException ex)
        {
            return "unknown";
        }
    }
}
