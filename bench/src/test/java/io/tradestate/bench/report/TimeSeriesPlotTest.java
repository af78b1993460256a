package io.tradestate.bench.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The load campaign's time-series plot draws series with gaps and markers into a PNG, and picks round axis steps.
 */
class TimeSeriesPlotTest
{
    @TempDir
    Path folder;

    @Test
    void shouldWriteAReadablePngWhenSeriesHaveGapsAndMarkers() throws Exception
    {
        final double[] x = {0, 1, 2, 3, 4, 5};
        final Path file = folder.resolve("lag.png");
        new TimeSeriesPlot("lag", "events", (value) -> String.format("%.0f", value))
            .series("all sources", x, new double[] {0, 1_000, Double.NaN, 3_000, 1_500, 0})
            .series("empty, left out", x, new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                Double.NaN, Double.NaN})
            .marker("burst ends", 2.5)
            .marker("never", Double.NaN)
            .write(file);

        final BufferedImage image = ImageIO.read(file.toFile());
        assertNotNull(image);
        assertEquals(1200, image.getWidth());
    }

    @Test
    void shouldRefuseASeriesWhenItsLengthsDiffer()
    {
        assertThrows(IllegalArgumentException.class, () -> new TimeSeriesPlot("t", "y", String::valueOf)
            .series("bad", new double[] {0, 1}, new double[] {0}));
    }

    @Test
    void shouldPickStepsOfOneTwoOrFiveTimesAPowerOfTen()
    {
        assertEquals(1.0, TimeSeriesPlot.niceStep(8, 8));
        assertEquals(20.0, TimeSeriesPlot.niceStep(130, 8));
        assertEquals(500_000.0, TimeSeriesPlot.niceStep(2_374_001, 6));
        assertEquals(0.5, TimeSeriesPlot.niceStep(3.2, 8));
    }
}
