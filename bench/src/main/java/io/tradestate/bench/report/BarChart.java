package io.tradestate.bench.report;

import java.awt.Color;
import java.awt.Graphics2D;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;

/**
 * A horizontal bar chart with Java2D (headless): one row per item, one bar per series in each row, the value written
 * at the end of each bar; a linear or a log axis (the JMH suite spans 15 ns to 500 us).
 */
final class BarChart
{
    private static final int WIDTH = 1100;
    private static final int LEFT = 380;
    private static final int RIGHT = 140;
    private static final int TOP = 60;
    private static final int BOTTOM = 50;
    private static final int BAR_HEIGHT = 18;
    private static final int ROW_GAP = 14;
    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xaec7e8), new Color(0xff7f0e)};

    private final String title;
    private final List<String> series;
    private final boolean logScale;
    private final DoubleFunction<String> format;
    private final List<String> labels = new ArrayList<>();
    private final List<double[]> values = new ArrayList<>();
    private final List<Color> highlights = new ArrayList<>();

    /**
     * A chart, empty.
     *
     * @param title    at the top.
     * @param series   names of the bars of each row, in order.
     * @param logScale whether the value axis is logarithmic.
     * @param format   of a value at the end of a bar.
     */
    BarChart(final String title, final List<String> series, final boolean logScale,
        final DoubleFunction<String> format)
    {
        this.title = title;
        this.series = series;
        this.logScale = logScale;
        this.format = format;
    }

    /**
     * Add a row.
     *
     * @param label     its label, left of the bars.
     * @param rowValues one per series; NaN draws no bar.
     * @param highlight colour of the row's first bar instead of the series colour, or null.
     * @return this.
     */
    BarChart row(final String label, final double[] rowValues, final Color highlight)
    {
        labels.add(label);
        values.add(rowValues);
        highlights.add(highlight);
        return this;
    }

    /**
     * Draw the chart into a PNG file.
     *
     * @param file where.
     * @throws IOException if it cannot be written.
     */
    void write(final Path file) throws IOException
    {
        final int rowHeight = series.size() * BAR_HEIGHT + ROW_GAP;
        final int height = TOP + BOTTOM + labels.size() * rowHeight + (series.size() > 1 ? 30 : 0);
        PlotCanvas.write(WIDTH, height, title, 20, 30, (g) -> draw(g, rowHeight), file);
    }

    private void draw(final Graphics2D g, final int rowHeight)
    {
        double max = 0;
        double min = Double.MAX_VALUE;
        for (final double[] row : values)
        {
            for (final double value : row)
            {
                if (!Double.isNaN(value) && value > 0)
                {
                    max = Math.max(max, value);
                    min = Math.min(min, value);
                }
            }
        }
        final double lowDecade = logScale ? Math.floor(Math.log10(Math.min(min, max))) : 0;
        final double highDecade = logScale ? Math.max(lowDecade + 1, Math.ceil(Math.log10(max))) : 0;
        final int plotWidth = WIDTH - LEFT - RIGHT;
        final int plotBottom = TOP + labels.size() * rowHeight;

        if (logScale)
        {
            for (int decade = (int)lowDecade; decade <= (int)highDecade; decade++)
            {
                final int x = LEFT + (int)Math.round((decade - lowDecade) / (highDecade - lowDecade) * plotWidth);
                g.setColor(PlotCanvas.GRID);
                g.drawLine(x, TOP - 5, x, plotBottom);
                g.setColor(Color.DARK_GRAY);
                final String label = format.apply(Math.pow(10, decade));
                g.drawString(label, x - g.getFontMetrics().stringWidth(label) / 2, plotBottom + 16);
            }
        }

        for (int row = 0; row < labels.size(); row++)
        {
            final int rowTop = TOP + row * rowHeight;
            g.setColor(Color.BLACK);
            final String label = labels.get(row);
            g.drawString(label, LEFT - 10 - g.getFontMetrics().stringWidth(label),
                rowTop + series.size() * BAR_HEIGHT / 2 + 4);
            for (int s = 0; s < series.size(); s++)
            {
                final double value = values.get(row)[s];
                if (Double.isNaN(value) || value <= 0)
                {
                    continue;
                }
                final double share = logScale ? (Math.log10(value) - lowDecade) / (highDecade - lowDecade) :
                    value / max;
                final int width = Math.max(1, (int)Math.round(share * plotWidth));
                final Color highlight = highlights.get(row);
                g.setColor(0 == s && null != highlight ? highlight : COLORS[s % COLORS.length]);
                g.fillRect(LEFT, rowTop + s * BAR_HEIGHT, width, BAR_HEIGHT - 2);
                g.setColor(Color.BLACK);
                g.drawString(format.apply(value), LEFT + width + 6, rowTop + s * BAR_HEIGHT + BAR_HEIGHT - 5);
            }
        }
        g.setColor(Color.GRAY);
        g.drawLine(LEFT, TOP - 5, LEFT, plotBottom);

        if (series.size() > 1)
        {
            int x = LEFT;
            for (int s = 0; s < series.size(); s++)
            {
                g.setColor(COLORS[s % COLORS.length]);
                g.fillRect(x, plotBottom + 26, 14, 10);
                g.setColor(Color.BLACK);
                g.drawString(series.get(s), x + 20, plotBottom + 36);
                x += 40 + g.getFontMetrics().stringWidth(series.get(s));
            }
        }
    }

    /**
     * A rate for a bar: {@code 49,285/s}.
     *
     * @param perSecond the rate.
     * @return the label.
     */
    static String rate(final double perSecond)
    {
        return String.format(Locale.ROOT, "%,.0f/s", perSecond);
    }
}
