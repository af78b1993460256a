package io.tradestate.reader;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds the source queues under the journal root: every folder holding a Chronicle Queue metadata file is a source
 * named after the folder. A queue is reported once; the scan runs every {@code discovery.interval.ms}, so a strategy
 * started while the agent runs is picked up within that interval.
 */
final class JournalDiscovery
{
    private static final String QUEUE_METADATA = "metadata.cq4t";

    private final File root;
    private final Set<String> known = new HashSet<>();

    JournalDiscovery(final Path root)
    {
        this.root = root.toFile();
    }

    /**
     * Scan the root once.
     *
     * @return the queues not reported before, by source id; empty if none.
     */
    List<String> scan()
    {
        final File[] folders = root.listFiles(File::isDirectory);
        if (null == folders)
        {
            return List.of();
        }

        List<String> found = null;
        for (final File folder : folders)
        {
            final String sourceId = folder.getName();
            if (!known.contains(sourceId) && new File(folder, QUEUE_METADATA).isFile())
            {
                known.add(sourceId);
                if (null == found)
                {
                    found = new ArrayList<>();
                }
                found.add(sourceId);
            }
        }

        return null == found ? List.of() : found;
    }

    /**
     * Report a source again at the next scan, after it could not be opened.
     *
     * @param sourceId to forget.
     */
    void forget(final String sourceId)
    {
        known.remove(sourceId);
    }
}
