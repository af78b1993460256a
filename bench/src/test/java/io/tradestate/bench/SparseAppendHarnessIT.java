package io.tradestate.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import javax.imageio.ImageIO;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sparse append harness with one rate, a few events and one JVM per variant, so that it cannot rot: every
 * variant's JVM runs both phases, reports its counts and writes its histograms, and the harness merges them into
 * every file it promises. Its latencies mean nothing and are not checked.
 */
class SparseAppendHarnessIT
{
    private static final int EVENTS = 40;
    private static final int BURST = 2_000;
    private static final String[] VARIANTS = {"TS", "TS-keepwarm", "TS-rehearse", "TS-nowarmup", "B1", "B0"};

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void shouldRunEveryVariantInBothPhasesAndWriteEveryResult() throws Exception
    {
        final Path target = Files.createDirectories(Paths.get("target", "sparse-append-smoke"));

        final Path results = SparseAppendHarness.parse(target.toString(), "--results=" + target.resolve("results"),
            "--rates=50", "--fresh-events=" + EVENTS, "--phase-seconds=2", "--jvms=1", "--burst=" + BURST).run();

        final List<String> csv = Files.readAllLines(results.resolve(SparseAppendReport.CSV));
        assertEquals(SparseAppendReport.CSV_HEADER, csv.get(0));
        final List<String> measured = new ArrayList<>();
        for (final String line : csv.subList(1, csv.size()))
        {
            final String[] fields = line.split(",", -1);
            assertEquals(EVENTS, Long.parseLong(fields[5]), line);
            assertEquals(EVENTS, HistogramFiles.read(results.resolve(fields[13])).getTotalCount(), line);
            assertTrue(Files.size(results.resolve(fields[13].replace(HistogramFiles.LOG_EXTENSION,
                HistogramFiles.PERCENTILES_EXTENSION))) > 0, line);
            assertTrue("B1".equals(fields[0]) ? "1.00".equals(fields[11]) : !fields[11].isEmpty(), line);
            measured.add(fields[0] + " " + fields[2] + " " + fields[3]);
        }
        final List<String> expected = new ArrayList<>();
        for (final String phase : new String[]{SparseAppendMain.FRESH, SparseAppendMain.WARM})
        {
            for (final String variant : VARIANTS)
            {
                expected.add(variant + " " + phase + " response");
                expected.add(variant + " " + phase + " service");
            }
        }
        assertEquals(expected, measured);

        final List<String> jvms = Files.readAllLines(results.resolve(SparseAppendReport.JVMS_CSV));
        assertEquals(SparseAppendReport.JVMS_HEADER, jvms.get(0));
        assertEquals(VARIANTS.length + 1, jvms.size(), String.join("\n", jvms));
        for (final String line : jvms.subList(1, jvms.size()))
        {
            final String[] fields = line.split(",", -1);
            assertEquals(BURST, Long.parseLong(fields[7]), line);
            assertEquals(EVENTS, Long.parseLong(fields[9]), line);
            assertEquals(EVENTS, Long.parseLong(fields[14]), line);
            if ("TS".equals(fields[0]) || "TS-keepwarm".equals(fields[0]) || "TS-rehearse".equals(fields[0]))
            {
                assertTrue(Long.parseLong(fields[6]) > 0, "the warm-up at open is on by default: " + line);
            }
            else
            {
                assertEquals(0, Long.parseLong(fields[6]), line);
            }
        }

        final String summary = Files.readString(results.resolve("summary.txt"));
        assertTrue(summary.contains("load average: "), summary);
        for (final String phase : new String[]{SparseAppendMain.FRESH, SparseAppendMain.WARM})
        {
            assertNotNull(ImageIO.read(results.resolve("sparse-50-" + phase + ".png").toFile()), phase);
        }
    }
}
