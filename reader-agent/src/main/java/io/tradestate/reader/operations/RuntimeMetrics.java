package io.tradestate.reader.operations;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The agent's process and disk figures for {@link MetricsExposition}: the JVM and process metrics of the Prometheus
 * Java client's JVM instrumentation, and the journal root's size on disk. Read at each scrape, on a metrics worker
 * thread.
 * <p>
 * The JVM and process figures ({@code jvm_memory_used_bytes{area="heap"}}, {@code jvm_gc_collection_seconds},
 * {@code jvm_threads_current}, {@code jvm_classes_currently_loaded}, {@code process_cpu_seconds_total},
 * {@code process_open_fds}, {@code process_resident_memory_bytes} and the rest) are the client's own, registered once
 * per JVM in a registry of their own and written by the client's text format writer, so that their names, types and
 * help are what every JVM dashboard and alert expects. Of the client only a listener the JVM calls after each
 * collection (the allocation per memory pool) runs outside a scrape, on the JVM's notification thread.
 * <p>
 * Journal sizes are the apparent sizes of the queue files: Chronicle's cycle files are sparse (a fresh one is 80 MiB
 * long with a few KiB written), so they bound the disk used from above; the file system's free space is the figure
 * to alert on when a disk fills.
 */
public final class RuntimeMetrics
{
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    /**
     * Append the JVM's and the process's standard figures, as the Prometheus Java client exposes them.
     *
     * @param text the scrape being built.
     */
    public void appendJvm(final StringBuilder text)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        try
        {
            writer.write(out, JvmRegistry.REGISTRY.scrape());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex); // a ByteArrayOutputStream does not throw
        }
        text.append(out.toString(StandardCharsets.UTF_8));
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

    /**
     * The JVM's figures are the JVM's, whatever the number of agents in it (tests start many): registered once, at the
     * first scrape, as the client's memory pool allocation figures add a collector listener that stays.
     */
    private static final class JvmRegistry
    {
        static final PrometheusRegistry REGISTRY = new PrometheusRegistry();

        static
        {
            JvmMetrics.builder().register(REGISTRY);
        }
    }

    private static void header(final StringBuilder text, final String name, final String type, final String help)
    {
        MetricsExposition.header(text, name, type, help);
    }
}
