package io.tradestate.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The load campaign, small, so that it cannot rot: two strategy JVMs, a 3 s burst at 5,000 events/s, the reader agent
 * (its own JVM, embedded PostgreSQL) catching up, then the same without it. Checks behaviour only: every file is
 * written, every appended event is stored once, the lag returns to 0. Its timings mean nothing and are not checked.
 */
class LoadCampaignIT
{
    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void shouldStoreEveryEventOnceAndWriteTheReportWhenTheAgentCatchesUpAfterABurst() throws Exception
    {
        final Path target = Files.createDirectories(Paths.get("target", "load-smoke"));
        final LoadCampaign campaign = LoadCampaign.parse(target.toString(), "--results=" + target.resolve("results"),
            "--writers=2", "--burst-seconds=3", "--burst-rate=5000", "--catchup-rate=200", "--tail-seconds=2",
            "--catchup-timeout=120", "--agent-heap=-Xms256m -Xmx256m");

        final Path results = campaign.run();

        final LoadRun drained = campaign.drained();
        final LoadVerification verification = drained.verification();
        assertTrue(verification.clean(), () -> "lost or duplicated: verify " + verification.verifyLast() +
            ", appended " + verification.appended() + ", stored " + verification.stored());
        assertEquals(2, verification.appended().size());
        assertTrue(verification.appendedTotal() >= 2 * 3 * 2_500, "the burst appended " +
            verification.appendedTotal());
        assertTrue(verification.stateChecked(), "nothing should be dropped from the maps at this size");
        assertEquals(0, drained.agentExit(), "the agent did not stop cleanly");

        final List<LoadSample> samples = drained.samples();
        assertTrue(samples.size() >= 5, "samples: " + samples.size());
        final LoadSample last = samples.get(samples.size() - 1);
        assertEquals(0.0, last.lagEvents(), "the lag did not return to 0: " + last);
        assertTrue(samples.stream().anyMatch((s) -> s.lagEvents() > 0), "the burst left no lag to catch up");
        assertFalse(Double.isNaN(drained.caughtUpS()));

        final List<String> csv = Files.readAllLines(results.resolve(LoadReport.CSV_FILE));
        assertEquals(LoadSample.csvHeader(List.of("load-1", "load-2")), csv.get(0));
        assertEquals(samples.size() + 1, csv.size());
        for (final String file : List.of(LoadReport.REPORT_FILE, LoadReport.VERIFY_FILE, "lag.png", "memory.png",
            "batches.png", "throughput.png", "append-latency.png", "drainer-catchup.hgrm", "drainer-burst-service.hgrm",
            "no-drainer-catchup.hgrm", "no-drainer-burst-service.hgrm", "agent.log"))
        {
            assertTrue(Files.size(results.resolve(file)) > 0, file);
        }
        assertEquals(campaign.undrained().catchupNs().getTotalCount(), HistogramFiles.read(
            results.resolve("no-drainer-catchup" + HistogramFiles.LOG_EXTENSION)).getTotalCount());
        assertTrue(campaign.undrained().catchupNs().getTotalCount() > 0);
        final String report = Files.readString(results.resolve(LoadReport.REPORT_FILE));
        assertTrue(report.contains("Every event stored once"), report);
    }
}
