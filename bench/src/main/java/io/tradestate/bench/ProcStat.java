package io.tradestate.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

/**
 * Counters the Linux kernel keeps in {@code /proc} that tell how far a latency measurement can be trusted: minor
 * page faults of the calling thread and of this process, and CPU time used by this process, by the whole machine
 * and stolen by the hypervisor.
 * <p>
 * A pretoucher does not make page faults go away, it moves them to its own thread; counting the appending thread's
 * faults beside the process's shows whether it did. On two virtual cores, any CPU another process uses during a run
 * competes with the appending thread and the pretoucher, so the run reports it. Reading allocates: call these around
 * a measurement, never in one. Each returns -1 where {@code /proc} cannot be read.
 */
final class ProcStat
{
    private static final Path THREAD_STAT = Paths.get("/proc/thread-self/stat");
    private static final Path PROCESS_STAT = Paths.get("/proc/self/stat");
    private static final Path MACHINE_STAT = Paths.get("/proc/stat");
    private static final int MINFLT_AFTER_COMM = 7;
    private static final int UTIME_AFTER_COMM = 11;
    private static final int STIME_AFTER_COMM = 12;
    private static final int USER = 1;
    private static final int SOFTIRQ = 7;
    private static final int IDLE = 4;
    private static final int IOWAIT = 5;
    private static final int STEAL = 8;

    private ProcStat()
    {
    }

    /**
     * Minor faults of the calling thread.
     *
     * @return the count.
     */
    static long thisThreadMinorFaults()
    {
        return afterComm(THREAD_STAT, MINFLT_AFTER_COMM);
    }

    /**
     * Minor faults of every thread of this process.
     *
     * @return the count.
     */
    static long processMinorFaults()
    {
        return afterComm(PROCESS_STAT, MINFLT_AFTER_COMM);
    }

    /**
     * CPU time used by this process, user and system.
     *
     * @return clock ticks (normally 100 a second).
     */
    static long processCpuTicks()
    {
        final long user = afterComm(PROCESS_STAT, UTIME_AFTER_COMM);
        final long system = afterComm(PROCESS_STAT, STIME_AFTER_COMM);
        return user < 0 || system < 0 ? -1 : user + system;
    }

    /**
     * CPU time used on all cores of the machine: user, nice, system, irq and softirq, not idle, iowait or steal.
     *
     * @return clock ticks.
     */
    static long machineBusyTicks()
    {
        final String[] cpu = machineCpu();
        if (null == cpu)
        {
            return -1;
        }

        long ticks = 0;
        for (int i = USER; i <= SOFTIRQ; i++)
        {
            if (IDLE != i && IOWAIT != i)
            {
                ticks += Long.parseLong(cpu[i]);
            }
        }

        return ticks;
    }

    /**
     * CPU time the hypervisor gave to other guests while this machine wanted it, on all cores.
     *
     * @return clock ticks.
     */
    static long machineStealTicks()
    {
        final String[] cpu = machineCpu();
        return null == cpu || cpu.length <= STEAL ? -1 : Long.parseLong(cpu[STEAL]);
    }

    private static String[] machineCpu()
    {
        try
        {
            final List<String> lines = Files.readAllLines(MACHINE_STAT);
            return lines.get(0).trim().split("\\s+");
        }
        catch (final IOException | RuntimeException ex)
        {
            return null;
        }
    }

    private static long afterComm(final Path stat, final int field)
    {
        try
        {
            // The command name in parentheses may hold spaces: count fields from the closing one.
            final String line = Files.readString(stat);
            final String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[field]);
        }
        catch (final IOException | RuntimeException ex)
        {
            return -1;
        }
    }
}
