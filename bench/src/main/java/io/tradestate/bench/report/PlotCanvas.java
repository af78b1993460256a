package io.tradestate.bench.report;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

/**
 * What the report's charts share: a white, anti-aliased headless Java2D canvas written as a PNG, the title's and the
 * labels' fonts, the grid's colour and one palette, so that a series has the same colour in every chart.
 */
final class PlotCanvas
{
    /**
     * Colours of the curves, bars or series, in order.
     */
    static final Color[] COLORS =
    {
        new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e), new Color(0x9467bd),
        new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf),
    };

    /**
     * Colour of grid lines.
     */
    static final Color GRID = new Color(0xdddddd);

    private static final Font TITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 16);
    private static final Font LABEL_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);

    /**
     * What draws a chart on the canvas.
     */
    @FunctionalInterface
    interface Drawing
    {
        /**
         * Draw, with the label font set.
         *
         * @param g the canvas, white.
         */
        void draw(Graphics2D g);
    }

    private PlotCanvas()
    {
    }

    /**
     * Draw a chart with a title at {@code (titleX, titleY)} and write it as a PNG file.
     *
     * @param width   in pixels.
     * @param height  in pixels.
     * @param title   the chart's title.
     * @param titleX  left of the title.
     * @param titleY  baseline of the title.
     * @param drawing the rest of the chart.
     * @param file    where.
     * @throws IOException if it cannot be written.
     */
    static void write(
        final int width,
        final int height,
        final String title,
        final int titleX,
        final int titleY,
        final Drawing drawing,
        final Path file) throws IOException
    {
        final BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        final Graphics2D g = image.createGraphics();
        try
        {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setColor(Color.BLACK);
            g.setFont(TITLE_FONT);
            g.drawString(title, titleX, titleY);
            g.setFont(LABEL_FONT);
            drawing.draw(g);
        }
        finally
        {
            g.dispose();
        }
        ImageIO.write(image, "png", file.toFile());
    }

    /**
     * A vertical axis label, written bottom to top, centred on {@code centreY}.
     *
     * @param g       the canvas.
     * @param label   the text.
     * @param x       baseline of the rotated text.
     * @param centreY its middle.
     */
    static void verticalLabel(final Graphics2D g, final String label, final int x, final int centreY)
    {
        final Graphics2D rotated = (Graphics2D)g.create();
        rotated.rotate(-Math.PI / 2);
        rotated.drawString(label, -(centreY + g.getFontMetrics().stringWidth(label) / 2), x);
        rotated.dispose();
    }
}
