package io.tradestate.writer;

import io.tradestate.files.FileAccess;
import net.openhft.chronicle.queue.impl.StoreFileListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;

/**
 * Gives each cycle file of a journal the group and file mode of its {@link FileAccess} as soon as Chronicle opens it,
 * whichever thread rolled to it: the background thread at the cycle boundary or, without one, the first appending
 * thread of the cycle. Chronicle calls it on its background resource releaser thread, so even then the appending
 * thread pays no system call. Until it has run the file is unreachable by others anyway: its folder admits nobody
 * but the owner and the group.
 */
final class JournalFileListener implements StoreFileListener
{
    private static final Logger LOGGER = LoggerFactory.getLogger(JournalFileListener.class);

    private final FileAccess fileAccess;
    private volatile int lastCycle = Integer.MIN_VALUE;

    JournalFileListener(final FileAccess fileAccess)
    {
        this.fileAccess = fileAccess;
    }

    public void onAcquired(final int cycle, final File file)
    {
        if (cycle > lastCycle)
        {
            lastCycle = cycle;
            try
            {
                fileAccess.file(file.toPath());
            }
            catch (final RuntimeException ex)
            {
                // Logged once per cycle file; meanwhile its folder keeps others out.
                LOGGER.warn("cannot set the group and mode of the journal file {}: {}", file, ex.toString());
            }
        }
    }

    public void onReleased(final int cycle, final File file)
    {
    }
}
