package io.tradestate.bench;

import io.tradestate.bench.report.BenchReportMain;
import io.tradestate.reader.cli.CommandLines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every harness's command line ({@link HarnessCommandLine}), and the report's that runs them: the options and
 * defaults each had when it parsed them by hand, every one in {@code --help}, and bad usage refused naming the
 * option, with exit code 2 and nothing run.
 */
class HarnessCommandLinesTest
{
    private static final Path TMP = Paths.get(System.getProperty("java.io.tmpdir"));
    private static final Path RESULTS = Paths.get("bench", "results");

    /**
     * A harness, by its class name under {@code io.tradestate.bench}: how to make one with its options not parsed
     * yet, the defaults of its work folder and options in {@code --help}'s order, and values of its options that it
     * must refuse.
     */
    record Harness(String name, Supplier<HarnessCommandLine.Command> create, Map<String, Object> defaults,
        List<String> badValues)
    {
        @Override
        public String toString()
        {
            return name;
        }

        String command()
        {
            return name.substring(name.lastIndexOf('.') + 1);
        }
    }

    static Stream<Harness> harnesses()
    {
        return Stream.of(
            new Harness("PretouchLatencyHarness", PretouchLatencyHarness::new, defaults(TMP,
                "--results", RESULTS, "--events", 1_500_000, "--rate", 50_000L, "--roll-seconds", 15,
                "--quiet-rate", 200L, "--warmup-events", 200_000, "--await-quiet", 0, "--keep", false),
                List.of("--events=many", "--rate=1.5", "--await-quiet=-1", "--roll-seconds=0")),
            new Harness("EndToEndLatencyHarness", () -> new EndToEndLatencyHarness(new String[0]), defaults(TMP,
                "--results", RESULTS, "--rates", "1000,100000,1000000", "--commit-rate", 200L, "--seconds", 10.0,
                "--low-rate-seconds", 60.0, "--warmup-events", 100_000, "--tailer-idle", "busy-spin",
                "--no-probe", false, "--drain-timeout", 300L, "--keep", false),
                List.of("--seconds=ten", "--rates=1000,lots", "--rates=0,1000", "--drain-timeout=0")),
            new Harness("LoadCampaign", () -> new LoadCampaign(new String[0]), defaults(TMP,
                "--results", RESULTS, "--writers", 1, "--burst-seconds", 60.0, "--burst-rate", "max",
                "--catchup-rate", 250L, "--tail-seconds", 10.0, "--catchup-timeout", 1800L,
                "--agent-heap", "-Xms1g -Xmx1g -XX:+AlwaysPreTouch -XX:+UseG1GC -XX:MaxGCPauseMillis=50 " +
                "-XX:+ExitOnOutOfMemoryError", "--agent-nice", 10, "--no-baseline", false, "--keep", false),
                List.of("--writers=two", "--burst-rate=fast", "--agent-nice=20", "--catchup-rate=0")),
            new Harness("DrainThroughputHarness", () -> new DrainThroughputHarness(new String[0]), defaults(TMP,
                "--results", RESULTS, "--sources", 4, "--events-per-source", 250_000, "--batch", 10_000,
                "--rounds", 3, "--state-publisher", false, "--keep", false),
                List.of("--batch=big", "--sources=0", "--rounds=0", "--keep=sure")),
            new Harness("ExchangeExperiment", () -> new ExchangeExperiment(new String[0]), defaults(TMP,
                "--results", RESULTS, "--exchanges", 5, "--messages", 1000, "--mean-gap-ms", 2.0,
                "--persist-share", 0.5, "--seed", 42L, "--variants", String.join(",", ExchangeVariant.NAMES),
                "--journal-sync", "none", "--keep", false),
                List.of("--messages=1e3", "--mean-gap-ms=two", "--persist-share=2", "--journal-sync=sometimes",
                    "--variants=noop,sqlite", "--variants=noop,noop")),
            new Harness("SparseAppendHarness", () -> new SparseAppendHarness(new String[0]), defaults(TMP,
                "--results", RESULTS, "--rates", "1,2,10,100",
                "--variants", "TS,TS-keepwarm,TS-rehearse,TS-nowarmup,B1,B0", "--jvms", 2,
                "--fresh-events", 2_000, "--phase-seconds", 120.0, "--burst", 50_000,
                "--settle-ms", 1_000L, "--spin-us", 200L, "--seed", 42L, "--keep", false),
                List.of("--rates=1,x", "--variants=TS,B9", "--jvms=0", "--spin-us=soon")),
            new Harness("SparseAppendMain", SparseAppendMain::new, defaults(TMP,
                "--variant", "TS", "--rate", 1L, "--seed", 0L, "--events", 1, "--burst", 0, "--spin-ns", 0L,
                "--histograms", TMP, "--name", "ts"),
                List.of("--variant=B9", "--rate=fast", "--events=1.5")),
            new Harness("report.BenchReportMain", BenchReportMain::new, defaults(TMP,
                "--profile", "quick", "--results", RESULTS, "--skip", List.of(),
                "--jmh-args", "-f 1 -wi 1 -i 2 -w 1s -r 1s",
                "--latency-args", "--seconds=2.5 --low-rate-seconds=5 --warmup-events=20000 --drain-timeout=120",
                "--drain-args", "--sources=2 --events-per-source=50000",
                "--sparse-args", "--rates=10,100 --phase-seconds=15"),
                List.of("--profile=medium", "--skip=jmh,latncy")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("harnesses")
    void shouldHaveTheDefaultsItHadWhenItParsedByHand(final Harness harness)
    {
        final ParseResult result = HarnessCommandLine.parse(harness.create().get());

        final Map<String, Object> defaults = new LinkedHashMap<>();
        defaults.put("", result.commandSpec().positionalParameters().get(0).getValue());
        for (final OptionSpec option : result.commandSpec().options())
        {
            if (!option.usageHelp() && !option.versionHelp())
            {
                defaults.put(option.longestName(), option.getValue());
            }
        }
        assertEquals(harness.defaults(), defaults);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("harnesses")
    void shouldListEveryOptionAndTheExitCodesInTheHelp(final Harness harness)
    {
        final Output output = new Output();
        assertEquals(0, output.parse(harness, "--help"));

        final String help = output.out();
        assertTrue(help.startsWith("usage: java ... io.tradestate.bench." + harness.name() + " ["), help);
        for (final String option : harness.defaults().keySet())
        {
            assertTrue(option.isEmpty() || help.contains(option), option + " missing from\n" + help);
        }
        assertTrue(help.contains("--help") && help.contains("--version"), help);
        assertTrue(help.contains("Exit codes:") && help.contains("invalid arguments"), help);
        for (final String line : help.split("\n"))
        {
            assertTrue(line.length() <= CommandLines.USAGE_WIDTH, line);
        }
        assertEquals("", output.err());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("harnesses")
    void shouldPrintTheVersion(final Harness harness)
    {
        final Output output = new Output();
        assertEquals(0, output.parse(harness, "--version"));
        assertTrue(output.out().startsWith("tradestate "), output.out());
        assertTrue(output.out().contains("Java " + System.getProperty("java.version")), output.out());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("harnesses")
    void shouldRefuseAnOptionItDoesNotKnowNamingIt(final Harness harness)
    {
        for (final String unknown : List.of("--no-such-option=1", "--no-such-flag", "-x"))
        {
            final Output output = new Output();
            assertEquals(CommandLines.EXIT_USAGE, output.parse(harness, unknown));
            assertEquals("tradestate " + harness.command() + ": Unknown option: '" + unknown + "'; see --help\n",
                output.err());
            assertEquals("", output.out());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("harnesses")
    void shouldRefuseABadValueNamingTheOption(final Harness harness)
    {
        for (final String bad : harness.badValues())
        {
            final String option = bad.substring(0, bad.indexOf('='));
            final Output output = new Output();
            assertEquals(CommandLines.EXIT_USAGE, output.parse(harness, bad), bad);
            assertTrue(output.err().startsWith("tradestate " + harness.command() + ": "), output.err());
            assertTrue(output.err().contains(option), bad + ": " + output.err());
            assertTrue(output.err().endsWith("; see --help\n"), output.err());
            assertEquals("", output.out());

            final IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
                () -> HarnessCommandLine.parse(harness.create().get(), bad), bad);
            assertTrue(thrown.getMessage().contains(option), thrown.getMessage());
        }
    }

    @Test
    void shouldTakeTheWorkFolderAndBothOptionSyntaxesAndCountTheLastOfARepeatedOption()
    {
        final Output output = new Output();
        final HarnessCommandLine.Command harness = new DrainThroughputHarness(new String[0]);
        assertEquals(HarnessCommandLine.RUN, HarnessCommandLine.parse(harness, new String[] {"--sources", "2",
            "/work", "--results=/r1", "--results=/r2", "--keep"}, output.outStream, output.errStream));
        final ParseResult result = HarnessCommandLine.parse(new DrainThroughputHarness(new String[0]),
            "--sources", "2", "/work", "--results=/r1", "--results=/r2", "--keep");
        assertEquals(Paths.get("/work"), result.commandSpec().positionalParameters().get(0).getValue());
        assertEquals(2, (int)result.commandSpec().findOption("--sources").getValue());
        assertEquals(Paths.get("/r2"), result.commandSpec().findOption("--results").getValue());
        assertTrue((boolean)result.commandSpec().findOption("--keep").getValue());
        assertEquals("", output.err());
    }

    @Test
    void shouldTakeFlagsAndValuesThatLookLikeOptions()
    {
        final LoadCampaign campaign = LoadCampaign.parse("--agent-heap=-Xms256m  -Xmx256m", "--burst-rate=5000",
            "--no-baseline");
        assertEquals(List.of("-Xms256m", "-Xmx256m"), campaign.agentHeap());
        assertEquals(5000, campaign.burstRate());
        assertEquals(0, LoadCampaign.parse().burstRate());
        assertEquals(List.of(LoadCampaign.AGENT_HEAP.split(" ")), LoadCampaign.parse().agentHeap());
    }

    @Test
    void shouldRunTheFullProfileWithTheHarnessesDefaultsUnlessAPartsOptionsAreGiven()
    {
        final ParseResult result = HarnessCommandLine.parse(new BenchReportMain(), "--profile=full",
            "--jmh-args=", "--drain-args= --sources=2 ", "--skip=jmh", "--skip=sparse");
        assertEquals("", result.commandSpec().findOption("--jmh-args").getValue());
        assertEquals("", result.commandSpec().findOption("--latency-args").getValue());
        assertEquals("--sources=2", result.commandSpec().findOption("--drain-args").getValue());
        assertEquals(List.of("jmh", "sparse"), result.commandSpec().findOption("--skip").getValue());
    }

    @Test
    void shouldRefuseASecondWorkFolder()
    {
        final Output output = new Output();
        assertEquals(CommandLines.EXIT_USAGE, output.parse(harnesses().findFirst().orElseThrow(), "/a", "/b"));
        assertTrue(output.err().contains("'/b'"), output.err());
    }

    @Test
    void shouldReadAListOfNumbersNamingTheOptionIfOneIsNot()
    {
        assertArrayEquals(new long[] {100_000, 1000}, HarnessCommandLine.numbers("--rates", "100000, 1000"));
        assertEquals("--rates takes whole numbers separated by commas, not '1,,2'", assertThrows(
            IllegalArgumentException.class, () -> HarnessCommandLine.numbers("--rates", "1,,2")).getMessage());
    }

    private static Map<String, Object> defaults(final Path workParent, final Object... options)
    {
        final Map<String, Object> defaults = new LinkedHashMap<>();
        defaults.put("", workParent);
        for (int i = 0; i < options.length; i += 2)
        {
            defaults.put((String)options[i], options[i + 1]);
        }
        return defaults;
    }

    /**
     * What a parse printed.
     */
    private static final class Output
    {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final ByteArrayOutputStream err = new ByteArrayOutputStream();
        private final PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
        private final PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);

        int parse(final Harness harness, final String... args)
        {
            return HarnessCommandLine.parse(harness.create().get(), args, outStream, errStream);
        }

        String out()
        {
            return out.toString(StandardCharsets.UTF_8);
        }

        String err()
        {
            return err.toString(StandardCharsets.UTF_8);
        }
    }
}
