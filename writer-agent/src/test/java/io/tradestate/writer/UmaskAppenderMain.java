package io.tradestate.writer;

import net.openhft.chronicle.core.time.SetTimeProvider;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A strategy JVM for {@link JournalFileAccessIT}, started under a chosen umask: opens a journal under a journal root
 * it creates, then crosses three daily rolls on a set clock, each new cycle file created by the background thread
 * ({@code background}) or by the appending thread (no background thread at all). Prints {@code done} at the end.
 * <p>
 * Arguments: journal root, source id, {@code background} or {@code appender}.
 */
final class UmaskAppenderMain
{
    private static final long DAY_MS = TimeUnit.DAYS.toMillis(1);

    private UmaskAppenderMain()
    {
    }

    public static void main(final String[] args) throws IOException, InterruptedException
    {
        final Path root = Paths.get(args[0]);
        final boolean background = "background".equals(args[2]);
        final SetTimeProvider time = new SetTimeProvider(System.currentTimeMillis() * 1_000_000L);
        final JournalContext context = new JournalContext().journalRoot(root).sourceId(args[1]).timeProvider(time);
        if (!background)
        {
            context.pretouchEnabled(false).heartbeatIntervalMs(0).syncPolicy(SyncPolicy.NONE);
        }

        try (TradeJournal journal = TradeJournal.open(context))
        {
            for (int roll = 1; roll <= 3; roll++)
            {
                journal.heartbeat();
                time.advanceMillis(DAY_MS);
                if (background)
                {
                    final long deadlineMs = System.currentTimeMillis() + 10_000;
                    while (cycleFiles(journal.queueDirectory()) < roll + 1 && System.currentTimeMillis() < deadlineMs)
                    {
                        Thread.sleep(5);
                    }
                }
                else
                {
                    journal.heartbeat();
                }
            }
            // Chronicle reports the last roll to the listener on its resource releaser thread.
            Thread.sleep(500);
        }
        System.out.println("done " + cycleFiles(root.resolve(args[1])));
    }

    private static long cycleFiles(final Path queueDirectory) throws IOException
    {
        try (Stream<Path> files = Files.list(queueDirectory))
        {
            return files.filter((file) -> file.getFileName().toString().endsWith(".cq4")).count();
        }
    }
}
