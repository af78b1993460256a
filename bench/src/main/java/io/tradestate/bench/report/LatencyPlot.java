package io.tradestate.bench.report;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Path2D;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A latency percentile plot as HdrHistogram's plotter draws one, with Java2D (headless): the x axis is the percentile
 * on a log scale of {@code 1 / (1 - percentile)}, so that 90%, 99%, 99.9% ... are evenly spaced and the tail gets the
 * room; the y axis is the latency, on a log scale too because the curves of one plot span microseconds to seconds.
 * One curve per histogram, drawn up to its own maximum.
 */
public final class LatencyPlot
{
    private static final int WIDTH = 1200;
    private static final int HEIGHT = 620;
    private static final int LEFT = 90;
    private static final int RIGHT = 330;
    private static final int TOP = 50;
    private static final int BOTTOM = 60;
    private static final int PERCENTILE_TICKS_PER_HALF_DISTANCE = 5;
    private static final String[] PERCENTILE_LABELS = {"0%", "90%", "99%", "99.9%", "99.99%", "99.999%", "99.9999%"};

    private final String title;
    private final List<String> names = new ArrayList<>();
    private final List<Histogram> histograms = new ArrayList<>();

    /**
     * A plot without curves.
     *
     * @param title at the top.
     */
    public LatencyPlot(final String title)
    {
        this.title = title;
    }

    /**
     * Add a curve.
     *
     * @param name      its legend.
     * @param histogram values in nanoseconds; an empty one is left out.
     * @return this.
     */
    public LatencyPlot curve(final String name, final Histogram histogram)
    {
        if (histogram.getTotalCount() > 0)
        {
            names.add(name);
            histograms.add(histogram);
        }
        return this;
    }

    /**
     * Draw the plot into a PNG file.
     *
     * @param file where.
     * @throws IOException if it cannot be written.
     */
    public void write(final Path file) throws IOException
    {
        PlotCanvas.write(WIDTH, HEIGHT, title, LEFT, TOP - 20, this::draw, file);
    }

    private void draw(final Graphics2D g)
    {
        long maxCount = 1;
        long minValue = Long.MAX_VALUE;
        long maxValue = 1;
        for (final Histogram histogram : histograms)
        {
            maxCount = Math.max(maxCount, histogram.getTotalCount());
            minValue = Math.min(minValue, Math.max(1, histogram.getMinNonZeroValue()));
            maxValue = Math.max(maxValue, histogram.getMaxValue());
        }
        // Percentile axis: up to the decade of nines the largest histogram can resolve, at least 99.99%.
        final double maxX = Math.min(PERCENTILE_LABELS.length - 1, Math.max(4, Math.ceil(Math.log10(maxCount))));
        final double minY = Math.floor(Math.log10(Long.MAX_VALUE == minValue ? 1 : minValue));
        final double maxY = Math.max(minY + 1, Math.ceil(Math.log10(maxValue)));
        final int plotWidth = WIDTH - LEFT - RIGHT;
        final int plotHeight = HEIGHT - TOP - BOTTOM;

        // Grid and axis labels.
        for (int decade = (int)minY; decade <= (int)maxY; decade++)
        {
            final int y = TOP + plotHeight - (int)Math.round((decade - minY) / (maxY - minY) * plotHeight);
            g.setColor(PlotCanvas.GRID);
            g.drawLine(LEFT, y, LEFT + plotWidth, y);
            g.setColor(Color.DARK_GRAY);
            final String label = nanosLabel(Math.pow(10, decade));
            g.drawString(label, LEFT - 10 - g.getFontMetrics().stringWidth(label), y + 4);
        }
        for (int tick = 0; tick <= (int)maxX; tick++)
        {
            final int x = LEFT + (int)Math.round(tick / maxX * plotWidth);
            g.setColor(PlotCanvas.GRID);
            g.drawLine(x, TOP, x, TOP + plotHeight);
            g.setColor(Color.DARK_GRAY);
            final String label = PERCENTILE_LABELS[tick];
            g.drawString(label, x - g.getFontMetrics().stringWidth(label) / 2, TOP + plotHeight + 18);
        }
        g.setColor(Color.BLACK);
        g.drawRect(LEFT, TOP, plotWidth, plotHeight);
        g.drawString("percentile", LEFT + plotWidth / 2 - 25, HEIGHT - 15);
        PlotCanvas.verticalLabel(g, "latency (log scale)", 20, TOP + plotHeight / 2);

        // Curves, and the legend with each curve's p99 and max.
        g.setStroke(new BasicStroke(2.2f));
        for (int i = 0; i < histograms.size(); i++)
        {
            final Histogram histogram = histograms.get(i);
            final Path2D.Double curve = new Path2D.Double();
            boolean first = true;
            for (final HistogramIterationValue value : histogram.percentiles(PERCENTILE_TICKS_PER_HALF_DISTANCE))
            {
                final double percentile = value.getPercentileLevelIteratedTo();
                final double xValue = percentile >= 100.0 ? maxX : Math.min(maxX, Math.log10(100.0 / (100.0 -
                    percentile)));
                final double yValue = Math.log10(Math.max(1, value.getValueIteratedTo()));
                final double x = LEFT + xValue / maxX * plotWidth;
                final double y = TOP + plotHeight - (yValue - minY) / (maxY - minY) * plotHeight;
                if (first)
                {
                    curve.moveTo(x, y);
                    first = false;
                }
                else
                {
                    curve.lineTo(x, y);
                }
            }
            final Color color = PlotCanvas.COLORS[i % PlotCanvas.COLORS.length];
            g.setColor(color);
            g.draw(curve);

            final int legendY = TOP + 10 + i * 36;
            g.fillRect(LEFT + plotWidth + 15, legendY, 18, 4);
            g.setColor(Color.BLACK);
            g.drawString(names.get(i), LEFT + plotWidth + 40, legendY + 6);
            g.setColor(Color.DARK_GRAY);
            g.drawString(String.format(Locale.ROOT, "p50 %s  p99 %s  max %s",
                nanosLabel(histogram.getValueAtPercentile(50)), nanosLabel(histogram.getValueAtPercentile(99)),
                nanosLabel(histogram.getMaxValue())), LEFT + plotWidth + 40, legendY + 22);
        }
    }

    /**
     * A duration for a label: {@code 850 ns}, {@code 12.5 us}, {@code 3.2 ms}, {@code 1.5 s}.
     *
     * @param nanos the duration.
     * @return the label.
     */
    static String nanosLabel(final double nanos)
    {
        if (nanos < 1_000)
        {
            return String.format(Locale.ROOT, "%.0f ns", nanos);
        }
        if (nanos < 1_000_000)
        {
            return trim(nanos / 1_000) + " us";
        }
        if (nanos < 1_000_000_000)
        {
            return trim(nanos / 1_000_000) + " ms";
        }
        return trim(nanos / 1_000_000_000) + " s";
    }

    private static String trim(final double value)
    {
        return value >= 100 ? String.format(Locale.ROOT, "%.0f", value) : String.format(Locale.ROOT, "%.3g", value)
            .replaceAll("\\.?0+$", "");
    }
}
