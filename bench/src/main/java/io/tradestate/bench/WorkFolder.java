package io.tradestate.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The scratch folders the harnesses run in (journals, an embedded PostgreSQL, state maps), deleted after a run unless
 * {@code --keep}.
 */
final class WorkFolder
{
    private WorkFolder()
    {
    }

    /**
     * Delete a folder and everything under it, symbolic links as links; nothing if it does not exist.
     *
     * @param root the folder.
     * @throws IOException if a file cannot be deleted.
     */
    static void delete(final Path root) throws IOException
    {
        if (!Files.exists(root))
        {
            return;
        }
        try (Stream<Path> paths = Files.walk(root))
        {
            for (final Path path : (Iterable<Path>)paths.sorted(Comparator.reverseOrder())::iterator)
            {
                Files.deleteIfExists(path);
            }
        }
    }
}
