package io.tradestate.bench.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Path2D;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;

/**
 * A time-series line plot beside {@link LatencyPlot}, on the same canvas ({@link PlotCanvas}): seconds on a linear x
 * axis, one linear y axis from 0 shared by every series (lag, memory, batch sizes over a load run), a gap where a
 * value is NaN, and vertical markers for the run's phases. The legend gives each series' largest value.
 */
public final class TimeSeriesPlot
{
    private static final int WIDTH = 1200;
    private static final int HEIGHT = 560;
    private static final int LEFT = 90;
    private static final int RIGHT = 300;
    private static final int TOP = 50;
    private static final int BOTTOM = 60;
    private static final int TARGET_TICKS = 8;
    private static final float[] DASH = {6f, 5f};

    private final String title;
    private final String yLabel;
    private final DoubleFunction<String> yFormat;
    private final List<String> names = new ArrayList<>();
    private final List<double[]> xs = new ArrayList<>();
    private final List<double[]> ys = new ArrayList<>();
    private final List<String> markerLabels = new ArrayList<>();
    private final List<Double> markerXs = new ArrayList<>();

    /**
     * A plot without series.
     *
     * @param title   at the top.
     * @param yLabel  the y axis' name and unit.
     * @param yFormat of a y value on the axis and in the legend.
     */
    public TimeSeriesPlot(final String title, final String yLabel, final DoubleFunction<String> yFormat)
    {
        this.title = title;
        this.yLabel = yLabel;
        this.yFormat = yFormat;
    }

    /**
     * Add a series; one with no number in it is left out.
     *
     * @param name its legend.
     * @param x    seconds.
     * @param y    values, NaN for none, as many as {@code x}.
     * @return this.
     */
    public TimeSeriesPlot series(final String name, final double[] x, final double[] y)
    {
        if (x.length != y.length)
        {
            throw new IllegalArgumentException("series " + name + ": " + x.length + " x values, " + y.length + " y");
        }
        for (final double value : y)
        {
            if (!Double.isNaN(value))
            {
                names.add(name);
                xs.add(x);
                ys.add(y);
                return this;
            }
        }
        return this;
    }

    /**
     * Add a vertical marker, such as the end of a phase.
     *
     * @param label beside it, at the top.
     * @param x     seconds.
     * @return this.
     */
    public TimeSeriesPlot marker(final String label, final double x)
    {
        if (!Double.isNaN(x))
        {
            markerLabels.add(label);
            markerXs.add(x);
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

    /**
     * A step of 1, 2 or 5 times a power of ten that cuts {@code range} into about {@code ticks} parts.
     *
     * @param range the axis' length.
     * @param ticks parts wanted.
     * @return the step, positive.
     */
    static double niceStep(final double range, final int ticks)
    {
        final double raw = Math.max(range, 1e-9) / ticks;
        final double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        final double fraction = raw / magnitude;
        return (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * magnitude;
    }

    private void draw(final Graphics2D g)
    {
        double minX = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY;
        double maxY = 0;
        for (int i = 0; i < xs.size(); i++)
        {
            for (int j = 0; j < xs.get(i).length; j++)
            {
                if (!Double.isNaN(ys.get(i)[j]))
                {
                    minX = Math.min(minX, xs.get(i)[j]);
                    maxX = Math.max(maxX, xs.get(i)[j]);
                    maxY = Math.max(maxY, ys.get(i)[j]);
                }
            }
        }
        if (minX > maxX)
        {
            minX = 0;
            maxX = 1;
        }
        final double xStep = niceStep(maxX - minX, TARGET_TICKS);
        final double x0 = Math.floor(minX / xStep) * xStep;
        final double x1 = Math.max(x0 + xStep, Math.ceil(maxX / xStep) * xStep);
        final double yStep = niceStep(maxY > 0 ? maxY : 1, TARGET_TICKS - 2);
        final double y1 = Math.max(yStep, Math.ceil(maxY / yStep) * yStep);
        final int plotWidth = WIDTH - LEFT - RIGHT;
        final int plotHeight = HEIGHT - TOP - BOTTOM;

        for (double y = 0; y <= y1 + yStep / 2; y += yStep)
        {
            final int py = TOP + plotHeight - (int)Math.round(y / y1 * plotHeight);
            g.setColor(PlotCanvas.GRID);
            g.drawLine(LEFT, py, LEFT + plotWidth, py);
            g.setColor(Color.DARK_GRAY);
            final String label = yFormat.apply(y);
            g.drawString(label, LEFT - 10 - g.getFontMetrics().stringWidth(label), py + 4);
        }
        for (double x = x0; x <= x1 + xStep / 2; x += xStep)
        {
            final int px = LEFT + (int)Math.round((x - x0) / (x1 - x0) * plotWidth);
            g.setColor(PlotCanvas.GRID);
            g.drawLine(px, TOP, px, TOP + plotHeight);
            g.setColor(Color.DARK_GRAY);
            final String label = String.format(Locale.ROOT, "%.0f", x);
            g.drawString(label, px - g.getFontMetrics().stringWidth(label) / 2, TOP + plotHeight + 18);
        }
        g.setColor(Color.BLACK);
        g.drawRect(LEFT, TOP, plotWidth, plotHeight);
        g.drawString("seconds", LEFT + plotWidth / 2 - 20, HEIGHT - 15);
        PlotCanvas.verticalLabel(g, yLabel, 20, TOP + plotHeight / 2);

        final Graphics2D dashed = (Graphics2D)g.create();
        dashed.setStroke(new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, DASH, 0f));
        for (int i = 0; i < markerXs.size(); i++)
        {
            final double x = markerXs.get(i);
            if (x >= x0 && x <= x1)
            {
                final int px = LEFT + (int)Math.round((x - x0) / (x1 - x0) * plotWidth);
                dashed.setColor(Color.GRAY);
                dashed.drawLine(px, TOP, px, TOP + plotHeight);
                dashed.setColor(Color.DARK_GRAY);
                // Right of the line, or left of it near the right edge, so that it stays off the legend.
                final String label = markerLabels.get(i);
                final int width = dashed.getFontMetrics().stringWidth(label);
                final int labelX = px + 4 + width > LEFT + plotWidth ? px - 4 - width : px + 4;
                dashed.drawString(label, labelX, TOP + 14 + 14 * (i % 3));
            }
        }
        dashed.dispose();

        g.setStroke(new BasicStroke(1.8f));
        for (int i = 0; i < xs.size(); i++)
        {
            final double[] x = xs.get(i);
            final double[] y = ys.get(i);
            final Path2D.Double line = new Path2D.Double();
            boolean penDown = false;
            double seriesMax = 0;
            for (int j = 0; j < x.length; j++)
            {
                if (Double.isNaN(y[j]))
                {
                    penDown = false;
                    continue;
                }
                seriesMax = Math.max(seriesMax, y[j]);
                final double px = LEFT + (x[j] - x0) / (x1 - x0) * plotWidth;
                final double py = TOP + plotHeight - y[j] / y1 * plotHeight;
                if (penDown)
                {
                    line.lineTo(px, py);
                }
                else
                {
                    line.moveTo(px, py);
                    penDown = true;
                }
            }
            final Color color = PlotCanvas.COLORS[i % PlotCanvas.COLORS.length];
            g.setColor(color);
            g.draw(line);

            final int legendY = TOP + 10 + i * 36;
            g.fillRect(LEFT + plotWidth + 15, legendY, 18, 4);
            g.setColor(Color.BLACK);
            g.drawString(names.get(i), LEFT + plotWidth + 40, legendY + 6);
            g.setColor(Color.DARK_GRAY);
            g.drawString("max " + yFormat.apply(seriesMax), LEFT + plotWidth + 40, legendY + 22);
        }
    }
}
