package io.tradestate.reader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * This process's memory mappings of the files in a folder, as {@code /proc/self/maps} lists them: how the tests see
 * that a queue was closed, or that a deleted cycle file is still mapped (its line ends in {@code (deleted)}, and its
 * disk space is not freed while it is).
 */
public final class ProcessMappings
{
    private ProcessMappings()
    {
    }

    /**
     * How many mappings are of files in the folder: one per mapping, so a file mapped by two open queues counts twice.
     *
     * @param folder the folder.
     * @return the count.
     * @throws IOException if the mappings cannot be read.
     */
    static int count(final Path folder) throws IOException
    {
        final String prefix = folder.toAbsolutePath() + "/";
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/maps")))
        {
            return (int)lines.filter((line) -> line.contains(prefix)).count();
        }
    }

    /**
     * The files in the folder that are mapped, each once, as the mappings name them.
     *
     * @param folder the folder.
     * @return the paths, with {@code (deleted)} after those no longer in the folder.
     * @throws IOException if the mappings cannot be read.
     */
    public static List<String> files(final Path folder) throws IOException
    {
        final String prefix = folder.toAbsolutePath() + "/";
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/maps")))
        {
            return lines.filter((line) -> line.contains(prefix)).map((line) -> line.substring(line.indexOf('/')))
                .distinct().collect(Collectors.toList());
        }
    }
}
