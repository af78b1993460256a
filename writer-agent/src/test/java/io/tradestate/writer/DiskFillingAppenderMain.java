package io.tradestate.writer;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A strategy process for {@link JournalDiskFullIT}: appends {@link NumberedEvents} of one stream to a journal on a
 * small file system until the journal is full, keeps retrying the same event every few milliseconds (each retry must
 * fail cleanly while the file system is full), and carries on as soon as one succeeds; after {@code rounds} such
 * outages it appends {@code eventsAfter} more events and exits.
 * <p>
 * Run in a child JVM because a full file system under a memory mapping can raise {@code SIGBUS}, which must never
 * take the test JVM down. What it saw is written to a properties file outside the full file system, replaced
 * atomically after each outage starts and ends: {@code full.<round>.message}, {@code full.<round>.sequence},
 * {@code recovered.<round>.ms} (epoch ms of the first append that succeeded again), {@code failed.<round>} (appends
 * refused), and at the end {@code committed} (events whose commit returned), {@code last.index} and {@code done}.
 * Any other exception ends it with the stack trace in its log and exit code 1.
 * <p>
 * Arguments: journal root, source id, report file, stream, rounds, events after the last outage.
 */
final class DiskFillingAppenderMain
{
    private static final long RETRY_NS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final long MAX_RUN_MS = 120_000;

    private DiskFillingAppenderMain()
    {
    }

    public static void main(final String[] args) throws IOException
    {
        final Path journalRoot = Path.of(args[0]);
        final String sourceId = args[1];
        final Path reportFile = Path.of(args[2]);
        final int stream = Integer.parseInt(args[3]);
        final int rounds = Integer.parseInt(args[4]);
        final long eventsAfter = Long.parseLong(args[5]);
        final Properties report = new Properties();
        final NumberedEvents events = new NumberedEvents();
        final long deadlineMs = System.currentTimeMillis() + MAX_RUN_MS;

        long sequence = 0;
        long lastIndex = -1;
        int round = 0;
        boolean full = false;
        long failed = 0;
        long stopAt = Long.MAX_VALUE;
        try (TradeJournal journal = TradeJournal.open(new JournalContext()
            .journalRoot(journalRoot)
            .sourceId(sourceId)
            .blockSizeBytes(1024 * 1024)
            .pretouchAheadBytes(512 * 1024)
            .heartbeatIntervalMs(0)))
        {
            while (sequence < stopAt && System.currentTimeMillis() < deadlineMs)
            {
                try
                {
                    lastIndex = events.append(journal, stream, sequence);
                    sequence++;
                    if (full)
                    {
                        full = false;
                        report.setProperty("recovered." + round + ".ms", Long.toString(System.currentTimeMillis()));
                        report.setProperty("failed." + round, Long.toString(failed));
                        write(report, reportFile);
                        if (round == rounds)
                        {
                            stopAt = sequence + eventsAfter;
                        }
                    }
                }
                catch (final JournalFullException ex)
                {
                    if (!full)
                    {
                        full = true;
                        failed = 0;
                        round++;
                        report.setProperty("full." + round + ".message", ex.getMessage());
                        report.setProperty("full." + round + ".sequence", Long.toString(sequence));
                        report.setProperty("full." + round + ".usable", Long.toString(ex.usableBytes()));
                        write(report, reportFile);
                    }
                    failed++;
                    LockSupport.parkNanos(RETRY_NS);
                }
            }
        }

        report.setProperty("committed", Long.toString(sequence));
        report.setProperty("last.index", Long.toString(lastIndex));
        report.setProperty("done", Boolean.toString(sequence >= stopAt));
        write(report, reportFile);
    }

    private static void write(final Properties report, final Path reportFile) throws IOException
    {
        final Path scratch = reportFile.resolveSibling(reportFile.getFileName() + ".tmp");
        try (Writer writer = Files.newBufferedWriter(scratch, StandardCharsets.UTF_8))
        {
            report.store(writer, null);
        }
        Files.move(scratch, reportFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
