package io.tradestate.writer;

import io.tradestate.files.FileAccess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The journal's folder and files, on disk, get the modes and group of {@link JournalContext#fileAccess()}: the
 * default (group may write), group read-only, a configured group, a group that does not exist, and a queue left
 * with lax modes by an older version, repaired on open.
 */
class JournalFileAccessTest
{
    @TempDir
    Path tempDir;

    @Test
    void shouldCreateFoldersAndFilesForOwnerAndGroupByDefault() throws IOException
    {
        final Path root = tempDir.resolve("var").resolve("journal");
        try (TradeJournal journal = TradeJournal.open(context(root)))
        {
            journal.heartbeat();
            assertModes(root, 02770, 0660);
            assertEquals(02770, FileAccess.mode(root.getParent()), "parents created for the journal too");
            assertTrue(Files.exists(journal.queueDirectory().resolve("metadata.cq4t")));
        }
    }

    @Test
    void shouldGiveTheGroupReadOnlyWhenGroupWriteIsOff() throws IOException
    {
        final Path root = tempDir.resolve("journal");
        try (TradeJournal journal = TradeJournal.open(context(root).groupWrite(false)))
        {
            journal.heartbeat();
        }
        assertModes(root.resolve("files"), 02750, 0640);
    }

    @Test
    void shouldGiveTheConfiguredGroupToTheQueueFolderAndFiles() throws IOException
    {
        final String group = otherGroupThanTheProcess();
        final Path root = tempDir.resolve("journal");
        try (TradeJournal journal = TradeJournal.open(context(root).fileGroup(group)))
        {
            journal.heartbeat();
            try (Stream<Path> paths = Files.walk(journal.queueDirectory()))
            {
                for (final Path path : paths.collect(Collectors.toList()))
                {
                    assertEquals(group, groupOf(path).getName(), path.toString());
                }
            }
        }
    }

    @Test
    void shouldRefuseAGroupThatDoesNotExistNamingTheProperty()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> TradeJournal.open(context(tempDir).fileGroup("no-such-group-ts")));
        assertTrue(ex.getMessage().contains(JournalConfiguration.FILE_GROUP_PROP_NAME), ex.getMessage());
        assertTrue(ex.getMessage().contains("no-such-group-ts"), ex.getMessage());
        assertFalse(Files.exists(tempDir.resolve("files")), "nothing created");
    }

    @Test
    void shouldRepairLaxModesLeftByAnEarlierRunOnOpen() throws IOException
    {
        final Path root = tempDir.resolve("journal");
        try (TradeJournal journal = TradeJournal.open(context(root)))
        {
            journal.heartbeat();
        }
        try (Stream<Path> paths = Files.walk(root.resolve("files")))
        {
            for (final Path path : paths.collect(Collectors.toList()))
            {
                Files.setAttribute(path, "unix:mode", Files.isDirectory(path) ? 0777 : 0666);
            }
        }

        TradeJournal.open(context(root)).close();
        assertModes(root.resolve("files"), 02770, 0660);
    }

    @Test
    void shouldReadTheSettingsFromSystemProperties()
    {
        System.setProperty(JournalConfiguration.GROUP_WRITE_PROP_NAME, "false");
        System.setProperty(JournalConfiguration.FILE_GROUP_PROP_NAME, "some-group");
        try
        {
            final JournalContext context = new JournalContext();
            assertFalse(context.groupWrite());
            assertEquals("some-group", context.fileGroup());
            System.setProperty(JournalConfiguration.GROUP_WRITE_PROP_NAME, "maybe");
            final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, JournalContext::new);
            assertTrue(ex.getMessage().contains(JournalConfiguration.GROUP_WRITE_PROP_NAME), ex.getMessage());
        }
        finally
        {
            System.clearProperty(JournalConfiguration.GROUP_WRITE_PROP_NAME);
            System.clearProperty(JournalConfiguration.FILE_GROUP_PROP_NAME);
        }
    }

    private static JournalContext context(final Path root)
    {
        return new JournalContext().journalRoot(root).sourceId("files").heartbeatIntervalMs(0);
    }

    private static void assertModes(final Path top, final int directoryMode, final int fileMode) throws IOException
    {
        final List<Path> paths;
        try (Stream<Path> walk = Files.walk(top))
        {
            paths = walk.collect(Collectors.toList());
        }
        int files = 0;
        for (final Path path : paths)
        {
            final boolean directory = Files.isDirectory(path);
            files += directory ? 0 : 1;
            final int expected = directory ? directoryMode : fileMode;
            assertEquals(FileAccess.octal(expected), FileAccess.octal(FileAccess.mode(path)), path.toString());
        }
        assertTrue(files >= 2, "the metadata file and a cycle file under " + top + ": " + paths);
    }

    private static GroupPrincipal groupOf(final Path path) throws IOException
    {
        return Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS).group();
    }

    /**
     * A group the process may give files to, other than the one they get anyway: any group as root, else one of
     * the user's supplementary groups, else its own (the test then shows only that nothing fails).
     */
    private String otherGroupThanTheProcess() throws IOException
    {
        final Path probe = Files.createFile(tempDir.resolve("probe"));
        final String own = groupOf(probe).getName();
        if ("root".equals(System.getProperty("user.name")))
        {
            return "root".equals(own) ? "daemon" : "root";
        }
        return own;
    }
}
