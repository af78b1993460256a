package io.tradestate.reader.postgres;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Finds and stops what earlier runs left of the embedded server's processes, so that a start after any crash just
 * works; also the state folder's lock, which makes that safe, and the waits for a postmaster to exit.
 * <p>
 * <b>Design note.</b> Two leftovers would make PostgreSQL refuse to start:
 * <ul>
 *     <li><b>A previous agent was killed</b>: its server is still running on the data folder. The server's
 *     processes are found by their working directory (PostgreSQL changes into the data folder) and executable; the
 *     postmaster gets a fast shutdown (SIGINT), then SIGKILL if it is not gone within the stop timeout.</li>
 *     <li><b>The server itself was killed</b>: {@code postmaster.pid} names a dead process. PostgreSQL replaces
 *     such a file by itself, but refuses while children of the dead postmaster still hold its shared memory; those
 *     children exit when they notice, and are waited for (and killed if they linger). If the recorded pid is still
 *     taken, by an unrelated process (pid reuse after a reboot or in a container) or by the dead postmaster's
 *     zombie (a container's pid 1 may reap late or never), PostgreSQL would refuse to start, so the stale file is
 *     removed. For the same reason a zombie counts as stopped wherever this class waits for a process.</li>
 * </ul>
 * A lock on {@code <state>/postgres/agent.lock}, taken before any of this and held while the server runs, keeps a
 * second agent on the same state folder from killing the first one's server.
 */
final class PostgresProcessReaper
{
    /**
     * The file in the data folder whose first line is the running postmaster's pid.
     */
    static final String PID_FILE = "postmaster.pid";

    private static final Logger LOG = LoggerFactory.getLogger(PostgresProcessReaper.class);
    private static final String LOCK_FILE = "agent.lock";
    private static final String SERVER_EXECUTABLE = "postgres";
    private static final long LINGERING_CHILDREN_TIMEOUT_MS = 10_000;
    private static final long KILL_TIMEOUT_MS = 5_000;
    private static final long POLL_INTERVAL_MS = 10;
    private static final Path PROC = Paths.get("/proc");

    private PostgresProcessReaper()
    {
    }

    /**
     * Lock the state folder for this agent; closing the lock's channel releases it.
     *
     * @param postgresDir the {@code <state>/postgres} folder.
     * @return the lock.
     * @throws IOException           if the lock file cannot be opened.
     * @throws IllegalStateException if another agent, in this JVM or another, holds the lock.
     */
    static FileLock lockStateFolder(final Path postgresDir) throws IOException
    {
        final FileChannel channel = FileChannel.open(
            postgresDir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = null;
        try
        {
            lock = channel.tryLock();
        }
        catch (final OverlappingFileLockException ex)
        {
            // held by this JVM: the same error as for another process
        }
        catch (final IOException | RuntimeException ex)
        {
            channel.close();
            throw ex;
        }
        if (null == lock)
        {
            channel.close();
            throw new IllegalStateException("The state folder " + postgresDir.getParent() + " is in use by another " +
                "reader agent (lock on " + postgresDir.resolve(LOCK_FILE) + ")");
        }
        return lock;
    }

    /**
     * Make sure no process of an earlier server runs on the data folder, and that no stale pid file would stop
     * PostgreSQL from starting; see the design note.
     *
     * @param dataDir       the cluster's data folder.
     * @param stopTimeoutMs time allowed for a leftover postmaster's fast shutdown before it is killed.
     * @throws IOException           if the pid file cannot be read or removed.
     * @throws IllegalStateException if a server process survives SIGKILL.
     */
    static void stopLeftoverServer(final Path dataDir, final long stopTimeoutMs) throws IOException
    {
        final Path pidFile = dataDir.resolve(PID_FILE);
        if (!Files.exists(pidFile) || !Files.isDirectory(PROC))
        {
            return; // a clean shutdown removes the file; without /proc, PostgreSQL's own checks decide
        }
        final long recordedPid = readPid(pidFile);

        List<Long> leftovers = serverProcesses(dataDir);
        if (!leftovers.isEmpty())
        {
            final long timeoutMs;
            if (leftovers.contains(recordedPid))
            {
                LOG.warn("PostgreSQL (pid {}) left running on {} by an earlier agent: stopping it (fast shutdown)",
                    recordedPid, dataDir);
                signal(recordedPid, "INT");
                timeoutMs = stopTimeoutMs;
            }
            else
            {
                LOG.warn("PostgreSQL processes {} of a killed postmaster (pid {}) still run on {}: waiting for them " +
                    "to exit", leftovers, recordedPid, dataDir);
                timeoutMs = LINGERING_CHILDREN_TIMEOUT_MS;
            }

            if (!awaitExit(leftovers, timeoutMs))
            {
                leftovers = serverProcesses(dataDir);
                LOG.warn("Killing PostgreSQL processes {} still running on {} after {} ms", leftovers, dataDir,
                    timeoutMs);
                leftovers.forEach((pid) -> signal(pid, "KILL"));
                if (!awaitExit(leftovers, KILL_TIMEOUT_MS))
                {
                    throw new IllegalStateException("PostgreSQL processes " + serverProcesses(dataDir) +
                        " still run on " + dataDir + " after SIGKILL: stop them, then start the agent again");
                }
            }
        }

        // No server process is left on the folder. PostgreSQL replaces a pid file naming a vanished process, but
        // refuses one it cannot read, or whose pid kill(pid, 0) still finds: an unrelated process or a zombie.
        if (!Files.exists(pidFile))
        {
            return;
        }
        if (recordedPid <= 0)
        {
            LOG.warn("Removing {}: it holds no pid", pidFile);
            Files.delete(pidFile);
        }
        else if (Files.exists(PROC.resolve(Long.toString(recordedPid))))
        {
            LOG.warn("Removing {}: pid {} is now {}", pidFile, recordedPid,
                isRunning(recordedPid) ? "an unrelated process" : "the unreaped zombie of the dead postmaster");
            Files.delete(pidFile);
        }
        else
        {
            LOG.info("{} is stale (pid {} is gone); PostgreSQL replaces it", pidFile, recordedPid);
        }
    }

    /**
     * Whether the process runs. Unlike {@link ProcessHandle#isAlive()}, a zombie counts as gone: a postmaster
     * outlives its parent pg_ctl, so it is reaped by pid 1, which in a container may take seconds or never happen.
     *
     * @param pid process id.
     * @return true if the process exists and is not a zombie.
     */
    static boolean isRunning(final long pid)
    {
        if (!Files.isDirectory(PROC))
        {
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        }
        try
        {
            // "pid (command) state ...", where the command may itself hold spaces and parentheses
            final String stat = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"),
                StandardCharsets.ISO_8859_1);
            final int stateIndex = stat.lastIndexOf(')') + 2;
            final char state = stateIndex < stat.length() ? stat.charAt(stateIndex) : 'X';
            return 'Z' != state && 'X' != state;
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    /**
     * Wait until none of the processes runs, as {@link #isRunning(long)} sees it.
     *
     * @param pids      process ids.
     * @param timeoutMs longest wait.
     * @return true if all are gone, false on timeout or interrupt.
     */
    static boolean awaitExit(final List<Long> pids, final long timeoutMs)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (pids.stream().anyMatch(PostgresProcessReaper::isRunning))
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                return false;
            }
            try
            {
                Thread.sleep(POLL_INTERVAL_MS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /**
     * The first line of {@code postmaster.pid} is the postmaster's pid.
     *
     * @param pidFile the {@code postmaster.pid} of a data folder.
     * @return the pid, or -1 if the file holds none.
     * @throws IOException if the file cannot be read.
     */
    static long readPid(final Path pidFile) throws IOException
    {
        try (BufferedReader reader = Files.newBufferedReader(pidFile, StandardCharsets.US_ASCII))
        {
            final String line = reader.readLine();
            return null == line ? -1 : Long.parseLong(line.trim());
        }
        catch (final NumberFormatException ex)
        {
            return -1;
        }
    }

    private static List<Long> serverProcesses(final Path dataDir) throws IOException
    {
        final Path realDataDir = dataDir.toRealPath();
        final long self = ProcessHandle.current().pid();
        try (Stream<ProcessHandle> processes = ProcessHandle.allProcesses())
        {
            return processes
                .map(ProcessHandle::pid)
                .filter((pid) -> pid != self && isServerOn(pid, realDataDir))
                .collect(Collectors.toList());
        }
    }

    /**
     * PostgreSQL changes into its data folder and its children inherit that, so a process running the
     * {@code postgres} executable with the data folder as working directory belongs to that cluster. A zombie has
     * neither, so it never counts.
     */
    private static boolean isServerOn(final long pid, final Path realDataDir)
    {
        final Path proc = PROC.resolve(Long.toString(pid));
        try
        {
            return realDataDir.equals(Files.readSymbolicLink(proc.resolve("cwd"))) &&
                SERVER_EXECUTABLE.equals(String.valueOf(Files.readSymbolicLink(proc.resolve("exe")).getFileName()));
        }
        catch (final IOException | SecurityException | UnsupportedOperationException ex)
        {
            return false; // gone meanwhile, or not ours to inspect
        }
    }

    /**
     * Sends a signal with the shell's {@code kill} builtin (Java sends only SIGTERM and SIGKILL); falls back to
     * {@link ProcessHandle#destroy()}: SIGTERM, a smart shutdown, which also ends once the dead agent's connections
     * are gone.
     */
    private static void signal(final long pid, final String signal)
    {
        try
        {
            final Process kill = new ProcessBuilder("sh", "-c", "kill -" + signal + " " + pid)
                .redirectErrorStream(true)
                .start();
            if (kill.waitFor(KILL_TIMEOUT_MS, TimeUnit.MILLISECONDS) && 0 == kill.exitValue())
            {
                return;
            }
            LOG.warn("kill -{} {} failed; sending SIGTERM", signal, pid);
        }
        catch (final IOException ex)
        {
            LOG.warn("kill -{} {} failed; sending SIGTERM", signal, pid, ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
    }
}
