package io.tradestate.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Locale;

/**
 * Who used the machine's cores while one variant of {@link DrainThroughputHarness} ran: this JVM (the agent or the
 * bare JDBC program), the PostgreSQL server (embedded only), every other process, and the hypervisor's steal; with the
 * load averages at the start and the end. On two cores, other processes' share is what decides whether a run
 * measured TradeState or the neighbours' builds.
 */
final class DrainCpu
{
    private static final double CLOCK_TICKS_PER_SECOND = 100.0;
    private static final long SERVER_SETTLE_MS = 1_000;

    private final DrainDatabases databases;
    private final long startNs;
    private final long machineTicks;
    private final long processTicks;
    private final long serverTicks;
    private final long stealTicks;
    private final String loadBefore;
    private double otherCores = Double.NaN;

    private DrainCpu(final DrainDatabases databases)
    {
        this.databases = databases;
        // A connection the harness closed just before would otherwise add its backend's time to this variant's.
        awaitExitedBackends();
        loadBefore = loadAverage();
        startNs = System.nanoTime();
        machineTicks = ProcStat.machineBusyTicks();
        processTicks = ProcStat.processCpuTicks();
        serverTicks = databases.serverCpuTicks();
        stealTicks = ProcStat.machineStealTicks();
    }

    /**
     * Take the counters at the start of a variant.
     *
     * @param databases whose server's CPU is counted apart.
     * @return the start.
     */
    static DrainCpu start(final DrainDatabases databases)
    {
        return new DrainCpu(databases);
    }

    /**
     * The load averages over 1, 5 and 15 minutes.
     *
     * @return e.g. {@code 0.52 0.61 0.70}, or {@code n/a}.
     */
    static String loadAverage()
    {
        try
        {
            final String[] fields = Files.readString(Paths.get("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        }
        catch (final IOException | RuntimeException ex)
        {
            return "n/a";
        }
    }

    /**
     * Take the counters at the end and describe the shares.
     *
     * @return e.g. {@code cores: this JVM 0.91, PostgreSQL 0.84, other processes 0.03, steal 0.00; load average
     *         0.52 0.61 0.70 -> 1.80 0.90 0.75}.
     */
    String stop()
    {
        final double seconds = (System.nanoTime() - startNs) / 1e9;
        final long machine = ProcStat.machineBusyTicks() - machineTicks;
        final long process = ProcStat.processCpuTicks() - processTicks;
        final long steal = ProcStat.machineStealTicks() - stealTicks;
        final String loadAfter = loadAverage();
        final long server = serverTicks < 0 ? -1 : settledServerTicks() - serverTicks;
        final double processCores = cores(process, seconds);
        if (server >= 0)
        {
            otherCores = cores(machine - process - server, seconds);
            return String.format(Locale.ROOT, "cores used: this JVM %.2f, PostgreSQL %.2f, other processes %.2f, " +
                "steal %.2f; load average %s -> %s", processCores, cores(server, seconds), otherCores,
                cores(steal, seconds), loadBefore, loadAfter);
        }
        otherCores = cores(machine - process, seconds);
        return String.format(Locale.ROOT, "cores used: this JVM %.2f, other processes (PostgreSQL included) %.2f, " +
            "steal %.2f; load average %s -> %s", processCores, otherCores, cores(steal, seconds), loadBefore,
            loadAfter);
    }

    /**
     * The server's CPU ticks once the backends that just exited show in them. A backend whose connection a variant
     * closed right before {@link #stop()} leaves the server's live children before its time reaches the postmaster's
     * waited-for children's time: read at once, its whole run went missing from PostgreSQL's share and showed as
     * other processes' (measured: 4 s of a backend's CPU appeared in the postmaster's {@code cutime} between 0 and
     * 300 ms after the close). The start waits the same way for a connection closed just before it.
     */
    private long settledServerTicks()
    {
        awaitExitedBackends();
        return databases.serverCpuTicks();
    }

    private static void awaitExitedBackends()
    {
        try
        {
            Thread.sleep(SERVER_SETTLE_MS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Cores other processes used, after {@link #stop()}.
     *
     * @return cores, NaN before.
     */
    double otherCores()
    {
        return otherCores;
    }

    /**
     * Cores from clock ticks; never below 0, which the machine's and the processes' counters, sampled at slightly
     * different moments, can give over a short variant.
     */
    private static double cores(final long ticks, final double seconds)
    {
        return seconds <= 0 ? 0 : Math.max(0, ticks / CLOCK_TICKS_PER_SECOND / seconds);
    }
}
