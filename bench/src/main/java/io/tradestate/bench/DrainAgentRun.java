package io.tradestate.bench;

import io.tradestate.reader.ReaderAgent;
import io.tradestate.reader.ReaderConfiguration;
import io.tradestate.reader.ReaderContext;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The reader agent draining the pre-filled journals: {@link ReaderAgent#launch} in this JVM, from a cold start (no
 * checkpoint, a fresh database that has the schema already), until every source's checkpoint equals its queue's last
 * index. Progress is read from {@link ReaderAgent#eventsCommitted()} every millisecond, which costs the agent nothing;
 * the end is confirmed from {@code source_checkpoints}. The drain's threads (the agent's {@code tradestate-drain},
 * which reads and encodes the journals, {@code tradestate-drain-copy-0} and {@code -1}, which copy batches' history
 * rows, and {@code tradestate-drain-commit}, which finishes and commits the batches; found by name) are measured
 * through {@link com.sun.management.ThreadMXBean}: their allocated bytes and CPU time, summed.
 */
final class DrainAgentRun
{
    private static final String DRAIN_THREAD = "tradestate-drain";
    private static final String COMMIT_THREAD = "tradestate-drain-commit";
    private static final String COPY_THREAD_PREFIX = "tradestate-drain-copy-";
    private static final long POLL_NS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long TIMEOUT_NS = TimeUnit.MINUTES.toNanos(30);

    private final com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
    private DrainProgress progress;
    private long allocatedBytes;
    private long allocatedBytesAfterFirstSecond = -1;
    private long cpuNs;
    private long copyNs;
    private long finishNs;
    private long launchNs;
    private long gcCount;
    private long gcMs;

    /**
     * Drain the journals into the database.
     *
     * @param journalRoot  folder of the journals.
     * @param stateDir     the agent's state folder (no embedded server is started in it).
     * @param databases    the server.
     * @param database     a fresh database with the schema.
     * @param lastIndexes  each source's last queue index.
     * @param events       events appended, in all.
     * @param batchSize    the agent's {@code batch.max.events}.
     * @param statePublisher whether the agent also publishes the live state maps ({@code state.enabled}).
     * @throws Exception if the agent fails or does not drain within 30 minutes.
     */
    void run(
        final Path journalRoot,
        final Path stateDir,
        final DrainDatabases databases,
        final String database,
        final Map<String, Long> lastIndexes,
        final long events,
        final int batchSize,
        final boolean statePublisher) throws Exception
    {
        final ReaderContext context = ReaderContext.load(null, Map.of())
            .set(ReaderConfiguration.JOURNAL_ROOT, journalRoot.toString())
            .set(ReaderConfiguration.STATE_DIR, stateDir.toString())
            .set(ReaderConfiguration.DB_URL, databases.jdbcUrl(database))
            .set(ReaderConfiguration.BATCH_MAX_EVENTS, Integer.toString(batchSize))
            .set(ReaderConfiguration.METRICS_PORT, "-1")
            .set(ReaderConfiguration.STATE_ENABLED, Boolean.toString(statePublisher));
        if (null != databases.password())
        {
            context.dbPassword(databases.password());
        }
        context.conclude();

        final long gcCountBefore = totalGcCount();
        final long gcMsBefore = totalGcMs();
        try (Connection connection = databases.connect(database, false))
        {
            final long startNs = System.nanoTime();
            progress = new DrainProgress(startNs);
            try (ReaderAgent agent = ReaderAgent.launch(context))
            {
                launchNs = System.nanoTime() - startNs;
                threadId(DRAIN_THREAD);
                while (true)
                {
                    final long nowNs = System.nanoTime();
                    final long committed = agent.eventsCommitted();
                    if (progress.onProgress(nowNs, Math.min(committed, events)))
                    {
                        allocatedBytesAfterFirstSecond = allocatedBytes(drainThreadIds());
                    }
                    if (committed >= events && drained(connection, lastIndexes))
                    {
                        copyNs = agent.batchCopyNanos();
                        finishNs = agent.batchFinishNanos();
                        final long[] drainThreads = drainThreadIds();
                        allocatedBytes = allocatedBytes(drainThreads);
                        for (final long thread : drainThreads)
                        {
                            cpuNs += threads.getThreadCpuTime(thread);
                        }
                        break;
                    }
                    if (nowNs - startNs > TIMEOUT_NS)
                    {
                        throw new IllegalStateException("not drained in 30 minutes: " + committed + " of " + events);
                    }
                    TimeUnit.NANOSECONDS.sleep(POLL_NS);
                }
            }
        }
        gcCount = totalGcCount() - gcCountBefore;
        gcMs = totalGcMs() - gcMsBefore;
    }

    DrainProgress progress()
    {
        return progress;
    }

    /**
     * Time {@code tradestate-drain-copy} spent on the batches, the history rows' COPY above all.
     *
     * @return nanoseconds.
     */
    long copyNs()
    {
        return copyNs;
    }

    /**
     * Time {@code tradestate-drain-commit} spent on the batches: upserts, checkpoints, commits.
     *
     * @return nanoseconds.
     */
    long finishNs()
    {
        return finishNs;
    }

    /**
     * Bytes the drain's threads allocated from their start to the end of the drain, per event.
     *
     * @return bytes per event.
     */
    double allocatedBytesPerEvent()
    {
        return allocatedBytes / (double)progress.events();
    }

    /**
     * Bytes the drain's threads allocated after the first second, per event stored after it.
     *
     * @return bytes per event, NaN when the drain ended within about a second.
     */
    double steadyAllocatedBytesPerEvent()
    {
        final long eventsAfter = progress.events() - progress.eventsAtFirstSecond();
        return allocatedBytesAfterFirstSecond < 0 || progress.eventsAtFirstSecond() < 0 || eventsAfter <= 0 ?
            Double.NaN : (allocatedBytes - allocatedBytesAfterFirstSecond) / (double)eventsAfter;
    }

    /**
     * CPU time of the drain's threads per event.
     *
     * @return microseconds per event.
     */
    double cpuMicrosPerEvent()
    {
        return cpuNs / 1e3 / progress.events();
    }

    long launchNs()
    {
        return launchNs;
    }

    /**
     * Garbage collections in this JVM while the agent ran.
     *
     * @return the count.
     */
    long gcCount()
    {
        return gcCount;
    }

    /**
     * Time spent in garbage collections in this JVM while the agent ran.
     *
     * @return milliseconds.
     */
    long gcMs()
    {
        return gcMs;
    }

    static long totalGcCount()
    {
        long count = 0;
        for (final GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans())
        {
            count += Math.max(0, collector.getCollectionCount());
        }
        return count;
    }

    static long totalGcMs()
    {
        long ms = 0;
        for (final GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans())
        {
            ms += Math.max(0, collector.getCollectionTime());
        }
        return ms;
    }

    /**
     * The drain's threads: its own, and those the first batch starts: the copying threads
     * ({@code tradestate-drain-copy-0}, {@code -1}) and the committing one.
     */
    private static long[] drainThreadIds()
    {
        final List<Long> ids = new ArrayList<>();
        for (final Thread thread : Thread.getAllStackTraces().keySet())
        {
            final String name = thread.getName();
            if (DRAIN_THREAD.equals(name) || COMMIT_THREAD.equals(name) || name.startsWith(COPY_THREAD_PREFIX))
            {
                ids.add(thread.getId());
            }
        }
        final long[] array = new long[ids.size()];
        for (int i = 0; i < array.length; i++)
        {
            array[i] = ids.get(i);
        }
        return array;
    }

    private long allocatedBytes(final long[] threadIds)
    {
        long bytes = 0;
        for (final long thread : threadIds)
        {
            bytes += threads.getThreadAllocatedBytes(thread);
        }
        return bytes;
    }

    private static long threadId(final String name)
    {
        for (final Thread thread : Thread.getAllStackTraces().keySet())
        {
            if (name.equals(thread.getName()))
            {
                return thread.getId();
            }
        }
        if (DRAIN_THREAD.equals(name))
        {
            throw new IllegalStateException("no thread named " + DRAIN_THREAD + " after ReaderAgent.launch");
        }
        return -1;
    }

    private static boolean drained(final Connection connection, final Map<String, Long> lastIndexes)
        throws SQLException
    {
        final Map<String, Long> checkpoints = new HashMap<>();
        try (Statement statement = connection.createStatement();
            ResultSet result = statement.executeQuery("SELECT source_id, last_index FROM source_checkpoints"))
        {
            while (result.next())
            {
                checkpoints.put(result.getString(1), result.getLong(2));
            }
        }
        connection.commit();
        return checkpoints.equals(lastIndexes);
    }
}
