package io.tradestate.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Counters the Linux kernel keeps in {@code /proc} that tell how far a latency measurement can be trusted: minor
 * page faults of the calling thread and of this process, and CPU time used by this process, by the whole machine
 * and stolen by the hypervisor; and, for the harnesses that watch other processes (a reader agent, its PostgreSQL),
 * their CPU time and memory.
 * <p>
 * A pretoucher does not make page faults go away, it moves them to its own thread; counting the appending thread's
 * faults beside the process's shows whether it did. On two virtual cores, any CPU another process uses during a run
 * competes with the appending thread and the pretoucher, so the run reports it. Reading allocates: call these around
 * a measurement, never in one. Each returns -1 where {@code /proc} cannot be read.
 */
final class ProcStat
{
    private static final double CLOCK_TICKS_PER_SECOND = 100.0;
    private static final Path THREAD_STAT = Paths.get("/proc/thread-self/stat");
    private static final Path PROCESS_STAT = Paths.get("/proc/self/stat");
    private static final Path MACHINE_STAT = Paths.get("/proc/stat");
    private static final int MINFLT_AFTER_COMM = 7;
    private static final int UTIME_AFTER_COMM = 11;
    private static final int STIME_AFTER_COMM = 12;
    private static final int PPID_AFTER_COMM = 1;
    private static final int CUTIME_AFTER_COMM = 13;
    private static final int CSTIME_AFTER_COMM = 14;
    private static final int PPID = 0;
    private static final int UTIME = 1;
    private static final int STIME = 2;
    private static final int CUTIME = 3;
    private static final int CSTIME = 4;
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
     * Cores busy on average: CPU time in clock ticks over a stretch of time.
     *
     * @param ticks     clock ticks used, e.g. a difference of {@link #machineBusyTicks()}.
     * @param elapsedNs how long the stretch was.
     * @return cores, 0 for an empty stretch.
     */
    static double cores(final long ticks, final long elapsedNs)
    {
        return elapsedNs <= 0 ? 0 : ticks * (1e9 / CLOCK_TICKS_PER_SECOND) / elapsedNs;
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

    /**
     * CPU time used by another process of this machine, user and system.
     *
     * @param pid its process id.
     * @return clock ticks.
     */
    static long processCpuTicks(final long pid)
    {
        final long[] stat = stat(pid);
        return null == stat ? -1 : stat[UTIME] + stat[STIME];
    }

    /**
     * A field of a process's {@code /proc/<pid>/status} given in kB, such as {@code VmRSS} (resident memory),
     * {@code RssAnon} (its anonymous part: heap, stacks, malloc), {@code RssFile} (mapped files: the journals and the
     * state maps, page cache the kernel can take back) or {@code VmHWM} (the peak of {@code VmRSS}).
     *
     * @param pid   the process.
     * @param field the field's name, without the colon.
     * @return kB.
     */
    static long statusKb(final long pid, final String field)
    {
        try
        {
            for (final String line : Files.readAllLines(Paths.get("/proc", Long.toString(pid), "status")))
            {
                if (line.startsWith(field) && ':' == line.charAt(field.length()))
                {
                    return Long.parseLong(line.substring(field.length() + 1).trim().split("\\s+")[0]);
                }
            }
            return -1;
        }
        catch (final IOException | RuntimeException ex)
        {
            return -1;
        }
    }

    /**
     * CPU time used by a PostgreSQL server: its postmaster, the children it waited for, and every live child (the
     * backends, the checkpointer, the WAL writer ...).
     *
     * @param postmasterPid the server's postmaster.
     * @return clock ticks.
     */
    static long serverCpuTicks(final long postmasterPid)
    {
        final long[] own = stat(postmasterPid);
        if (null == own)
        {
            return -1;
        }

        long ticks = own[UTIME] + own[STIME] + own[CUTIME] + own[CSTIME];
        final List<Long> children = childPids(postmasterPid);
        if (null == children)
        {
            return -1;
        }
        for (final long child : children)
        {
            final long[] stat = stat(child);
            if (null != stat)
            {
                ticks += stat[UTIME] + stat[STIME];
            }
        }

        return ticks;
    }

    /**
     * Memory of a PostgreSQL server, its postmaster and every child, as the sum of their proportional set sizes
     * ({@code Pss} of {@code /proc/<pid>/smaps_rollup}): shared buffers, which every backend maps, count once, not
     * once per process as in a sum of {@code VmRSS}.
     *
     * @param postmasterPid the server's postmaster.
     * @return kB, or -1 if it cannot be read.
     */
    static long serverPssKb(final long postmasterPid)
    {
        final long own = pssKb(postmasterPid);
        final List<Long> children = childPids(postmasterPid);
        if (own < 0 || null == children)
        {
            return -1;
        }

        long kb = own;
        for (final long child : children)
        {
            kb += Math.max(0, pssKb(child));
        }

        return kb;
    }

    private static long pssKb(final long pid)
    {
        try
        {
            for (final String line : Files.readAllLines(Paths.get("/proc", Long.toString(pid), "smaps_rollup")))
            {
                if (line.startsWith("Pss:"))
                {
                    return Long.parseLong(line.substring(4).trim().split("\\s+")[0]);
                }
            }
            return -1;
        }
        catch (final IOException | RuntimeException ex)
        {
            return -1;
        }
    }

    private static List<Long> childPids(final long parentPid)
    {
        final List<Long> children = new ArrayList<>();
        try (Stream<Path> processes = Files.list(Paths.get("/proc")))
        {
            for (final Path process : (Iterable<Path>)processes::iterator)
            {
                final String name = process.getFileName().toString();
                if (!name.isEmpty() && Character.isDigit(name.charAt(0)))
                {
                    final long pid = Long.parseLong(name);
                    final long[] stat = stat(pid);
                    if (null != stat && stat[PPID] == parentPid)
                    {
                        children.add(pid);
                    }
                }
            }
        }
        catch (final IOException | UncheckedIOException | NumberFormatException ex)
        {
            return null;
        }

        return children;
    }

    /**
     * The fields of {@code /proc/<pid>/stat} this class uses: parent, user, system, waited-for children's user and
     * system time.
     */
    private static long[] stat(final long pid)
    {
        try
        {
            final String line = Files.readString(Paths.get("/proc", Long.toString(pid), "stat"));
            final String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
            return new long[] { Long.parseLong(fields[PPID_AFTER_COMM]), Long.parseLong(fields[UTIME_AFTER_COMM]),
                Long.parseLong(fields[STIME_AFTER_COMM]), Long.parseLong(fields[CUTIME_AFTER_COMM]),
                Long.parseLong(fields[CSTIME_AFTER_COMM]) };
        }
        catch (final IOException | RuntimeException ex)
        {
            return null;
        }
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
