package io.tradestate.reader.journal;

import io.tradestate.codecs.event.EventRules;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.FilenameFilter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds the source queues under the journal root: every folder holding a Chronicle Queue metadata file is a source
 * named after the folder. A queue is reported once; the scan runs every {@code discovery.interval.ms}, so a strategy
 * started while the agent runs is picked up within that interval.
 * <p>
 * A folder whose name is not a source id ({@link EventRules#SOURCE_ID_RULE}, the writer's rule) is never reported:
 * no writer of ours made it, and its name would not fit the state maps' keys nor a metrics label. It is refused, once
 * per run, with an ERROR naming the folder and the rule when this discovery is the one that reports refusals (the
 * drain's; the state publisher's skips such folders silently, so that the log says it once).
 */
public final class JournalDiscovery
{
    private static final Logger LOGGER = LoggerFactory.getLogger(JournalDiscovery.class);
    private static final String QUEUE_METADATA = "metadata.cq4t";
    private static final FilenameFilter CYCLE_FILES = (folder, name) -> name.endsWith(".cq4");

    private final File root;
    private final boolean reportRefused;
    private final Set<String> known = new HashSet<>();
    private final Set<String> refused = new HashSet<>();

    /**
     * A discovery that skips refused folders without logging them (the state publisher's).
     *
     * @param root the journal root.
     */
    public JournalDiscovery(final Path root)
    {
        this(root, false);
    }

    /**
     * @param root          the journal root.
     * @param reportRefused whether to log each folder refused for its name.
     */
    public JournalDiscovery(final Path root, final boolean reportRefused)
    {
        this.root = root.toFile();
        this.reportRefused = reportRefused;
    }

    /**
     * Whether a folder under the journal root holds a queue with something in it: its metadata file and a cycle
     * file. A writer opening a new queue makes the metadata file first and fills it in before its first append makes
     * a cycle file; a folder with the metadata alone may be one still being made, which Chronicle Queue would open
     * read-only with a warning and a stack trace, and then fail.
     *
     * @param folder the folder.
     * @return true if it holds a Chronicle Queue metadata file and a cycle file.
     */
    public static boolean isQueueFolder(final File folder)
    {
        if (!new File(folder, QUEUE_METADATA).isFile())
        {
            return false;
        }
        final String[] cycles = folder.list(CYCLE_FILES);
        return null != cycles && cycles.length > 0;
    }

    /**
     * Scan the root once.
     *
     * @return the queues not reported before, by source id; empty if none.
     */
    public List<String> scan()
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
            if (!known.contains(sourceId) && isQueueFolder(folder))
            {
                if (!EventRules.isValidSourceId(sourceId))
                {
                    refuse(folder);
                    continue;
                }
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
    public void forget(final String sourceId)
    {
        known.remove(sourceId);
    }

    private void refuse(final File folder)
    {
        if (refused.add(folder.getName()) && reportRefused)
        {
            LOGGER.atError().addKeyValue("folder", folder.getPath())
                .log("journal folder {} is not drained nor published: its name is not a source id ({}); no " +
                "TradeJournal writes there. Every other source goes on. Rename the folder to a source id, or move " +
                "it out of the journal root", folder, EventRules.SOURCE_ID_RULE);
        }
    }
}
