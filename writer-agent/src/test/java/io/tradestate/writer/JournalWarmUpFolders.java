package io.tradestate.writer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The warm-up's scratch folders in a folder, for tests here and in other modules.
 */
public final class JournalWarmUpFolders
{
    private JournalWarmUpFolders()
    {
    }

    /**
     * The scratch folders the warm-up made in a folder and has not deleted (yet).
     *
     * @param warmUpDirectory the journal's {@link JournalContext#warmUpDirectory()}.
     * @return their paths.
     * @throws IOException if the folder cannot be listed.
     */
    public static List<Path> list(final Path warmUpDirectory) throws IOException
    {
        try (Stream<Path> folders = Files.list(warmUpDirectory))
        {
            return folders.filter((path) -> path.getFileName().toString().startsWith(JournalWarmUp.FOLDER_PREFIX))
                .toList();
        }
    }
}
