package io.tradestate.files;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.UUID;

/**
 * An identity that outlives names: a random UUID kept in a one-line file, made once and never changed. A journal's
 * ({@value #JOURNAL_ID}, beside its queue files, made by the writer that creates the queue) moves with its folder
 * when the folder is renamed and is gone with it when the folder is deleted, so that the reader agent can tell a
 * renamed or replaced journal from the one it drained under that name. The reader agent's ({@value #AGENT_ID}, in its
 * state folder) tells two agents apart when their host names and journal roots are the same.
 * <p>
 * Design note: the file is written whole under a temporary name and then linked to its name, which fails if the name
 * exists, so that two processes making it at once (a strategy opening a journal the reader agent found without one)
 * both end up with the one that won, and nobody ever reads a half-written file. Plain text, so that an operator can
 * read it with {@code cat}.
 */
public final class IdentityFile
{
    /**
     * Name of a journal's identity file, in its queue folder.
     */
    public static final String JOURNAL_ID = "journal.id";

    /**
     * Name of the reader agent's identity file, in its state folder.
     */
    public static final String AGENT_ID = "agent.id";

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final Set<PosixFilePermission> OWNER_WRITE_GROUP_READ = PosixFilePermissions.fromString("rw-r-----");

    private IdentityFile()
    {
    }

    /**
     * The identity in a file, made now with a random UUID if the file does not exist.
     *
     * @param file the identity file; its folder must exist.
     * @return the identity.
     * @throws IOException if the file can neither be read nor made, or does not hold a UUID.
     */
    public static UUID readOrCreate(final Path file) throws IOException
    {
        final UUID existing = read(file);
        if (null != existing)
        {
            return existing;
        }

        final UUID created = UUID.randomUUID();
        final Path temporary = Files.createTempFile(file.getParent(), file.getFileName() + ".", ".tmp");
        try
        {
            Files.write(temporary, (created + "\n").getBytes(StandardCharsets.US_ASCII));
            if (POSIX)
            {
                // Readable by the group (the folder's, by its setgid bit) from the moment it has its name: the other
                // agent of a journal (the strategy, the reader agent) may read it at once. Others get nothing.
                Files.setPosixFilePermissions(temporary, OWNER_WRITE_GROUP_READ);
            }
            try
            {
                Files.createLink(file, temporary);
            }
            catch (final FileAlreadyExistsException ex)
            {
                return read(file);
            }
            catch (final UnsupportedOperationException | IOException ex)
            {
                // No hard links on this file system: a move that refuses to replace is the next best thing.
                try
                {
                    Files.move(temporary, file);
                }
                catch (final FileAlreadyExistsException raced)
                {
                    return read(file);
                }
            }
            return created;
        }
        finally
        {
            Files.deleteIfExists(temporary);
        }
    }

    /**
     * The identity in a file.
     *
     * @param file the identity file.
     * @return the identity, or null if the file does not exist.
     * @throws IOException if the file cannot be read or does not hold a UUID.
     */
    public static UUID read(final Path file) throws IOException
    {
        final String text;
        try
        {
            text = Files.readString(file, StandardCharsets.US_ASCII).trim();
        }
        catch (final NoSuchFileException ex)
        {
            return null;
        }

        try
        {
            return UUID.fromString(text);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IOException(file + " does not hold an identity (a UUID): '" + text + "'", ex);
        }
    }
}
