package io.tradestate.reader;

import java.io.File;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The agent's process and disk figures for {@link MetricsExposition}: heap and garbage collection from the JVM's
 * standard MXBeans, and the journal root's size on disk. Read at each scrape, on a metrics worker thread.
 * <p>
 * Journal sizes are the apparent sizes of the queue files: Chronicle's cycle files are sparse (a fresh one is 80 MiB
 * long with a few KiB written), so they bound the disk used from above; the file system's free space is the figure
 * to alert on when a disk fills.
 */
final class RuntimeMetrics
{
    private RuntimeMetrics()
    {
    }

    /**
     * Append the JVM's heap and garbage collection figures.
     *
     * @param text the scrape being built.
     */
    static void appendJvm(final StringBuilder text)
    {
        final MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        header(text, "tradestate_jvm_heap_used_bytes", "gauge", "heap in use");
        text.append("tradestate_jvm_heap_used_bytes ").append(heap.getUsed()).append('\n');
        header(text, "tradestate_jvm_heap_committed_bytes", "gauge", "heap committed by the JVM");
        text.append("tradestate_jvm_heap_committed_bytes ").append(heap.getCommitted()).append('\n');
        header(text, "tradestate_jvm_heap_max_bytes", "gauge", "largest heap the JVM may use, -1 if unbounded");
        text.append("tradestate_jvm_heap_max_bytes ").append(heap.getMax()).append('\n');

        final List<GarbageCollectorMXBean> collectors = ManagementFactory.getGarbageCollectorMXBeans();
        header(text, "tradestate_jvm_gc_collections_total", "counter", "collections per collector since start");
        for (final GarbageCollectorMXBean collector : collectors)
        {
            MetricsExposition.appendLabelled(text, "tradestate_jvm_gc_collections_total", "gc", collector.getName())
                .append(Math.max(0, collector.getCollectionCount())).append('\n');
        }
        header(text, "tradestate_jvm_gc_collection_seconds_total", "counter",
            "time per collector since start; pauses for G1's young and old collectors");
        for (final GarbageCollectorMXBean collector : collectors)
        {
            MetricsExposition.appendLabelled(text, "tradestate_jvm_gc_collection_seconds_total", "gc",
                collector.getName()).append(Math.max(0, collector.getCollectionTime()) / 1000.0).append('\n');
        }
    }

    /**
     * Append the journal root's figures: the bytes of each source's queue files and the file system's space.
     *
     * @param text        the scrape being built.
     * @param journalRoot the agent's journal root.
     * @param lags        this agent's sources, as the scrape collected them.
     */
    static void appendJournal(final StringBuilder text, final Path journalRoot, final List<SourceLag> lags)
    {
        header(text, "tradestate_source_journal_bytes", "gauge", "apparent size of the source's queue files");
        for (final SourceLag lag : lags)
        {
            final File[] files = journalRoot.resolve(lag.sourceId()).toFile().listFiles(File::isFile);
            if (null != files)
            {
                long bytes = 0;
                for (final File file : files)
                {
                    bytes += file.length();
                }
                MetricsExposition.appendLabelled(text, "tradestate_source_journal_bytes", "source", lag.sourceId())
                    .append(bytes).append('\n');
            }
        }
        try
        {
            final FileStore store = Files.getFileStore(journalRoot);
            header(text, "tradestate_journal_filesystem_free_bytes", "gauge",
                "space left to unprivileged users on the journal root's file system");
            text.append("tradestate_journal_filesystem_free_bytes ").append(store.getUsableSpace()).append('\n');
            header(text, "tradestate_journal_filesystem_size_bytes", "gauge", "size of the journal root's file system");
            text.append("tradestate_journal_filesystem_size_bytes ").append(store.getTotalSpace()).append('\n');
        }
        catch (final IOException ex)
        {
            // the root is gone or unreadable: the per-source figures above already say so by their absence
        }
    }

    private static void header(final StringBuilder text, final String name, final String type, final String help)
    {
        MetricsExposition.header(text, name, type, help);
    }
}
