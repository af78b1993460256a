package io.tradestate.bench.jmh;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Scratch folders of the benchmarks, under {@code java.io.tmpdir} (set it in {@code jmh.fork.args} to measure
 * another disk), deleted when a trial or an iteration ends.
 */
final class BenchFiles
{
    private BenchFiles()
    {
    }

    static Path newFolder(final String prefix)
    {
        try
        {
            return Files.createTempDirectory("tradestate-jmh-" + prefix + "-");
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot create a scratch folder in " +
                System.getProperty("java.io.tmpdir"), ex);
        }
    }

    /**
     * Delete a queue's folder and what it holds, two levels deep at most, allocating little: the benchmarks that use
     * a fresh queue per iteration call it inside the iteration, where JMH's gc profiler counts what it allocates.
     *
     * @param folder the folder.
     */
    static void deleteSmall(final Path folder)
    {
        deleteSmall(folder.toFile(), 2);
    }

    private static void deleteSmall(final File file, final int depth)
    {
        final File[] children = depth > 0 ? file.listFiles() : null;
        if (null != children)
        {
            for (final File child : children)
            {
                deleteSmall(child, depth - 1);
            }
        }
        if (!file.delete() && file.exists())
        {
            throw new UncheckedIOException(new IOException("cannot delete " + file));
        }
    }

    static void delete(final Path folder)
    {
        if (null == folder || !Files.exists(folder))
        {
            return;
        }
        final List<Path> paths = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(folder))
        {
            walk.sorted(Comparator.reverseOrder()).forEach(paths::add);
            for (final Path path : paths)
            {
                Files.deleteIfExists(path);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot delete " + folder, ex);
        }
    }
}
