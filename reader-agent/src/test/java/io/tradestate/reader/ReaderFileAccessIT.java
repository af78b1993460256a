package io.tradestate.reader;

import io.tradestate.files.FileAccess;
import io.tradestate.reader.state.StateSnapshot;
import io.tradestate.writer.JournalContext;
import io.tradestate.writer.TradeJournal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the reader agent creates on disk is for its owner and group only, in the group of {@code files.group}: the
 * journal root it creates ({@code 2770}, strategies make their queue folders in it), {@code state.dir} and the maps
 * folders ({@code 2750}), the state maps and their pointer ({@code 0660}: a strategy's reader locks in the file), the
 * state snapshot ({@code 0600}, the agent's alone) and the embedded PostgreSQL's folder ({@code 0700}). Nothing under
 * the journal root or {@code state.dir} is readable, writable or searchable by others.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ReaderFileAccessIT
{
    @TempDir
    Path root;

    @Test
    void shouldCreateEverythingForOwnerAndGroupOnlyInTheConfiguredGroup() throws Exception
    {
        final String group = groupOtherThanTheProcessOne();
        final Path journalRoot = root.resolve("journal");
        final Path stateDir = root.resolve("state");
        final ReaderContext context = ReaderContext.load(null, Map.of())
            .set(ReaderConfiguration.JOURNAL_ROOT, journalRoot.toString())
            .set(ReaderConfiguration.STATE_DIR, stateDir.toString())
            .set(ReaderConfiguration.FILES_GROUP, group)
            .set(ReaderConfiguration.DB_EMBEDDED_PORT, "0")
            .set(ReaderConfiguration.METRICS_PORT, "0")
            .set(ReaderConfiguration.STATE_SNAPSHOT_INTERVAL_MS, "200")
            .conclude();

        try (ReaderAgent agent = ReaderAgent.launch(context))
        {
            assertTrue(agent.metricsAddress().getAddress().isLoopbackAddress(), agent.metricsAddress().toString());
            try (TradeJournal journal = TradeJournal.open(new JournalContext()
                .journalRoot(journalRoot).sourceId("files-strategy").heartbeatIntervalMs(0)))
            {
                final MixedEvents events = new MixedEvents();
                for (long sequence = 0; sequence < 32; sequence++)
                {
                    events.prepare(journal, 1, sequence).commit();
                }
            }
            final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while ((agent.stateEventsApplied() < 20 || agent.eventsCommitted() < 32 ||
                !Files.exists(stateDir.resolve(StateSnapshot.FILE_NAME))) && System.nanoTime() - deadlineNs < 0)
            {
                Thread.sleep(20);
            }
            assertTrue(agent.stateEventsApplied() >= 20 && agent.eventsCommitted() >= 32,
                "drained " + agent.eventsCommitted() + ", applied " + agent.stateEventsApplied());
        }

        assertEquals("2770", octal(journalRoot));
        assertEquals(group, groupOf(journalRoot));
        assertEquals("2750", octal(stateDir));
        assertEquals(group, groupOf(stateDir));
        assertEquals("0600", octal(stateDir.resolve(StateSnapshot.FILE_NAME)));
        assertEquals("0700", octal(stateDir.resolve("postgres")));

        final List<String> wrong = new ArrayList<>();
        int mapFiles = 0;
        for (final Path path : walk(stateDir.resolve("maps")))
        {
            final boolean directory = Files.isDirectory(path);
            mapFiles += directory ? 0 : 1;
            if (!(directory ? "2750" : "0660").equals(octal(path)) || !group.equals(groupOf(path)))
            {
                wrong.add(path + " " + octal(path) + " " + groupOf(path));
            }
        }
        assertTrue(wrong.isEmpty(), "maps: " + wrong);
        assertTrue(mapFiles >= 5, "the pointer and four maps");

        for (final Path top : List.of(journalRoot, stateDir))
        {
            for (final Path path : walk(top))
            {
                if (!path.startsWith(stateDir.resolve("postgres")) && 0 != (FileAccess.mode(path) & 07))
                {
                    wrong.add(path + " " + octal(path));
                }
            }
        }
        assertTrue(wrong.isEmpty(), "others may access: " + wrong);
    }

    private static List<Path> walk(final Path top) throws IOException
    {
        try (Stream<Path> paths = Files.walk(top))
        {
            return paths.collect(Collectors.toList());
        }
    }

    private static String octal(final Path path)
    {
        return FileAccess.octal(FileAccess.mode(path));
    }

    private static String groupOf(final Path path) throws IOException
    {
        return Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS).group().getName();
    }

    /**
     * As root, a group the process would not give its files by itself; otherwise the process's own group.
     */
    private String groupOtherThanTheProcessOne() throws IOException
    {
        final String own = groupOf(Files.createFile(root.resolve("probe")));
        if ("root".equals(System.getProperty("user.name")))
        {
            return "root".equals(own) ? "daemon" : "root";
        }
        return own;
    }
}
