package io.tradestate.bench;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One strategy JVM of {@link SparseAppendHarness} seen from the harness: its process ({@link SparseAppendMain} behind
 * {@link ReaderProcess}'s line protocol) and what it reported: open and warm-up times, the burst, each phase's counts,
 * and its histograms once it has quit.
 *
 * @param variant         what it appends with.
 * @param jvm             its number among the variant's JVMs, from 0.
 * @param name            its name, in file names: {@code <variant>-<rate>-<jvm>}.
 * @param seed            of its Poisson schedule.
 * @param histogramFolder where it writes its histograms.
 * @param process         the JVM.
 * @param replies         its replies so far, by command or phase.
 */
record SparseStrategy(
    SparseVariant variant,
    int jvm,
    String name,
    long seed,
    Path histogramFolder,
    ReaderProcess process,
    Map<String, Map<String, String>> replies) implements AutoCloseable
{
    /**
     * Longest wait for a JVM to start and open its variant (several start at once on few cores, and the journal
     * warms up), or to finish its burst.
     */
    private static final long START_TIMEOUT_MS = 300_000;

    /**
     * Longest wait for a reply beyond the time the work it answers should take.
     */
    private static final long REPLY_MARGIN_MS = 120_000;

    /**
     * Start the JVM; it opens its variant and answers {@code READY} ({@link #awaitReady(long)}).
     *
     * @param heapArgs        its heap options.
     * @param variant         what it appends with.
     * @param jvm             its number among the variant's JVMs, from 0.
     * @param rate            mean events per second.
     * @param seed            of its Poisson schedule.
     * @param events          per phase.
     * @param burst           events of the unmeasured burst between the phases.
     * @param spinNs          how long before each intended time it stops parking and spins.
     * @param workFolder      where its journal, queue or mapping goes.
     * @param histogramFolder where it writes its histograms.
     * @return the running strategy.
     * @throws IOException if the JVM cannot be started.
     */
    static SparseStrategy start(
        final List<String> heapArgs,
        final SparseVariant variant,
        final int jvm,
        final long rate,
        final long seed,
        final int events,
        final int burst,
        final long spinNs,
        final Path workFolder,
        final Path histogramFolder) throws IOException
    {
        final String name = variant.fileLabel() + "-" + rate + "-" + jvm;
        final ReaderProcess process = ReaderProcess.start(heapArgs, SparseAppendMain.class, List.of(
            workFolder.toString(), "--variant=" + variant.label(), "--rate=" + rate, "--seed=" + seed,
            "--events=" + events, "--burst=" + burst, "--spin-ns=" + spinNs, "--histograms=" + histogramFolder,
            "--name=" + name), workFolder.resolve(name + ".log"));
        return new SparseStrategy(variant, jvm, name, seed, histogramFolder, process, new HashMap<>());
    }

    void awaitReady() throws IOException, InterruptedException
    {
        replies.put("READY", process.await("READY", START_TIMEOUT_MS));
    }

    void run(final String phase, final long startNanoTime) throws IOException
    {
        process.send("RUN " + phase + " " + startNanoTime);
    }

    void awaitDone(final String phase, final long phaseNs) throws IOException, InterruptedException
    {
        replies.put(phase, process.await("DONE", TimeUnit.NANOSECONDS.toMillis(phaseNs) + REPLY_MARGIN_MS));
    }

    void burst() throws IOException
    {
        process.send("BURST");
    }

    void awaitBurst() throws IOException, InterruptedException
    {
        replies.put("BURST", process.await("BURST_DONE", START_TIMEOUT_MS));
    }

    /**
     * Tell it to write its histograms and exit, and wait until it has.
     *
     * @throws IOException if it failed.
     * @throws InterruptedException if interrupted.
     */
    void quit() throws IOException, InterruptedException
    {
        process.send("QUIT");
        process.await("BYE", REPLY_MARGIN_MS);
    }

    /**
     * A number the JVM reported: {@code READY}'s ({@code openNs}, {@code warmUpNs}, {@code scheduleNs}),
     * {@code BURST}'s ({@code events}, {@code ns}) or a phase's ({@code events}, {@code lateStarts},
     * {@code rehearsals}, {@code allocatedBytes}, {@code minorFaults}).
     *
     * @param reply {@code READY}, {@code BURST} or the phase.
     * @param key   the value's name.
     * @return the value.
     */
    long value(final String reply, final String key)
    {
        final Map<String, String> values = replies.get(reply);
        final String value = null == values ? null : values.get(key);
        if (null == value)
        {
            throw new IllegalStateException(name + " reported no " + key + " in " + reply);
        }
        return Long.parseLong(value);
    }

    /**
     * A histogram it wrote when it quit.
     *
     * @param phase       {@link SparseAppendMain#FRESH} or {@link SparseAppendMain#WARM}.
     * @param measurement {@code response} or {@code service}.
     * @return the histogram, nanoseconds.
     * @throws IOException if it cannot be read.
     */
    Histogram histogram(final String phase, final String measurement) throws IOException
    {
        return HistogramFiles.read(histogramFolder.resolve(name + "-" + phase + "-" + measurement +
            HistogramFiles.LOG_EXTENSION));
    }

    /**
     * Wait for the JVM to exit, closing its input first; kill it if it does not.
     */
    public void close()
    {
        process.close();
    }
}
