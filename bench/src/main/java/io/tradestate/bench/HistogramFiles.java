package io.tradestate.bench;

import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.HdrHistogram.HistogramLogWriter;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The latency harnesses' histogram files, in nanoseconds recorded: {@code <name>.hgrm}, HdrHistogram's percentile
 * distribution in microseconds for people and plotters, and {@code <name>.hlog}, the same histogram losslessly
 * (HdrHistogram's log format, one interval) for the report generator.
 */
public final class HistogramFiles
{
    /**
     * Extension of the lossless file.
     */
    public static final String LOG_EXTENSION = ".hlog";

    /**
     * Extension of the percentile distribution.
     */
    public static final String PERCENTILES_EXTENSION = ".hgrm";

    private static final double NANOS_PER_MICRO = 1000.0;

    private HistogramFiles()
    {
    }

    /**
     * Write both files of a histogram.
     *
     * @param folder    where.
     * @param name      file name without extension.
     * @param histogram values in nanoseconds.
     * @throws IOException if a file cannot be written.
     */
    public static void write(final Path folder, final String name, final Histogram histogram) throws IOException
    {
        try (PrintStream out = new PrintStream(
            Files.newOutputStream(folder.resolve(name + PERCENTILES_EXTENSION)), false, StandardCharsets.UTF_8))
        {
            histogram.outputPercentileDistribution(out, NANOS_PER_MICRO);
        }

        try (PrintStream out = new PrintStream(
            Files.newOutputStream(folder.resolve(name + LOG_EXTENSION)), false, StandardCharsets.UTF_8))
        {
            final HistogramLogWriter writer = new HistogramLogWriter(out);
            writer.outputComment("TradeState latency histogram " + name + ", values in nanoseconds");
            writer.outputLogFormatVersion();
            writer.outputLegend();
            final Histogram copy = histogram.copy();
            copy.setStartTimeStamp(0);
            copy.setEndTimeStamp(0);
            writer.outputIntervalHistogram(copy);
        }
    }

    /**
     * Read the histogram of a {@code .hlog} file, all its intervals added.
     *
     * @param file the file.
     * @return the histogram, empty if the file holds none.
     * @throws IOException if it cannot be read.
     */
    public static Histogram read(final Path file) throws IOException
    {
        final Histogram total = new Histogram(3);
        try
        {
            final HistogramLogReader reader = new HistogramLogReader(file.toFile());
            EncodableHistogram interval;
            while (null != (interval = reader.nextIntervalHistogram()))
            {
                total.add((Histogram)interval);
            }
        }
        catch (final FileNotFoundException ex)
        {
            throw new IOException("cannot read " + file, ex);
        }

        return total;
    }
}
