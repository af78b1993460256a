package io.tradestate.files;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.stream.Stream;

/**
 * Owner-and-group-only access to the folders and files TradeState creates, whatever the process umask: never
 * readable, writable or searchable by others.
 * <p>
 * <b>Design note.</b> Chronicle Queue and Map create their files with {@code 0666} less the umask, so a strategy
 * started with the common {@code 0022} would leave its journal readable by every user of the host, and one started
 * with {@code 0077} would hide it from the reader agent. Creation cannot be wrapped, so modes are set right after it:
 * the folder first, at once, so that nothing created inside it is ever reachable by others (a path lookup needs
 * search permission on every folder, whatever the file's own mode), then each file when it appears. Folders get the
 * setgid bit, so that what is created inside belongs to the folder's group, the readers' group, without a
 * {@code chown} per file; {@link java.nio.file.attribute.PosixFilePermission} cannot express that bit, hence the
 * {@code unix:mode} attribute. A path owned by another user is left alone: only its owner may change it.
 * <p>
 * None of this runs on an appending thread's hot path: on open, on a roll, and on background threads.
 */
public final class FileAccess
{
    /**
     * Folder mode when the group may write: setgid, {@code rwxrwx---}.
     */
    public static final int GROUP_WRITE_DIRECTORY_MODE = 02770;

    /**
     * Folder mode when the group may only read: setgid, {@code rwxr-x---}.
     */
    public static final int GROUP_READ_DIRECTORY_MODE = 02750;

    /**
     * File mode when the group may write: {@code rw-rw----}.
     */
    public static final int GROUP_WRITE_FILE_MODE = 0660;

    /**
     * File mode when the group may only read: {@code rw-r-----}.
     */
    public static final int GROUP_READ_FILE_MODE = 0640;

    /**
     * Mode of a file for its owner alone: {@code rw-------}.
     */
    public static final int OWNER_ONLY_FILE_MODE = 0600;

    private static final int PERMISSION_BITS = 07777;
    private static final int UNKNOWN_UID = -1;
    private static final boolean UNIX = FileSystems.getDefault().supportedFileAttributeViews().contains("unix");
    private static final int PROCESS_UID = processUid();

    private final String settingName;
    private final String groupName;
    private final GroupPrincipal group;
    private final int directoryMode;
    private final int fileMode;

    private FileAccess(
        final String settingName, final String groupName, final GroupPrincipal group, final int directoryMode,
        final int fileMode)
    {
        this.settingName = settingName;
        this.groupName = groupName;
        this.group = group;
        this.directoryMode = directoryMode;
        this.fileMode = fileMode;
    }

    /**
     * Access for a group of readers.
     *
     * @param settingName   the setting that named the group, for messages.
     * @param groupName     the group given to folders and files, or null or empty to keep the group they inherit
     *                      (the setgid folder's, else the process's).
     * @param directoryMode mode of folders, such as {@link #GROUP_WRITE_DIRECTORY_MODE}; nothing for others.
     * @param fileMode      mode of files, such as {@link #GROUP_READ_FILE_MODE}; nothing for others.
     * @return the access.
     * @throws IllegalArgumentException naming the setting if the group does not exist, or a mode lets others in.
     */
    public static FileAccess of(
        final String settingName, final String groupName, final int directoryMode, final int fileMode)
    {
        if (0 != (directoryMode & 07) || 0 != (fileMode & 07))
        {
            throw new IllegalArgumentException(settingName + ": modes " + octal(directoryMode) + " and " +
                octal(fileMode) + " must give others nothing");
        }

        GroupPrincipal group = null;
        final String name = null == groupName || groupName.isBlank() ? null : groupName.trim();
        if (null != name && UNIX)
        {
            try
            {
                group = FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByGroupName(name);
            }
            catch (final UserPrincipalNotFoundException ex)
            {
                throw new IllegalArgumentException(settingName + " names the group '" + name +
                    "', which does not exist on this host");
            }
            catch (final IOException ex)
            {
                throw new IllegalArgumentException(settingName + ": cannot look up the group '" + name + "': " + ex);
            }
        }

        return new FileAccess(settingName, name, group, directoryMode, fileMode);
    }

    /**
     * The group given to folders and files.
     *
     * @return its name, or null to keep the inherited group.
     */
    public String groupName()
    {
        return groupName;
    }

    /**
     * Mode given to folders.
     *
     * @return the mode, setgid included.
     */
    public int directoryMode()
    {
        return directoryMode;
    }

    /**
     * Mode given to files.
     *
     * @return the mode.
     */
    public int fileMode()
    {
        return fileMode;
    }

    /**
     * Create a folder and its missing parents, giving each one created here the group and folder mode.
     *
     * @param directory to create.
     * @return the folder.
     * @throws UncheckedIOException if it cannot be created.
     * @throws IllegalStateException if the group cannot be given (the user is not a member of it).
     */
    public Path createDirectories(final Path directory)
    {
        final Path absolute = directory.toAbsolutePath();
        Path existing = absolute;
        while (null != existing && !Files.isDirectory(existing))
        {
            existing = existing.getParent();
        }

        try
        {
            Files.createDirectories(absolute);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot create the folder " + absolute, ex);
        }

        final int firstCreated = null == existing ? 0 : existing.getNameCount();
        for (int i = firstCreated; i < absolute.getNameCount(); i++)
        {
            directory(absolute.getRoot().resolve(absolute.subpath(0, i + 1)));
        }
        return directory;
    }

    /**
     * Give a folder the group and folder mode, if this process owns it.
     *
     * @param directory an existing folder.
     */
    public void directory(final Path directory)
    {
        apply(directory, directoryMode);
    }

    /**
     * Give a file the group and file mode, if this process owns it; a file deleted meanwhile is skipped.
     *
     * @param file an existing file.
     */
    public void file(final Path file)
    {
        apply(file, fileMode);
    }

    /**
     * Give a file the group and a mode of its own, such as {@link #OWNER_ONLY_FILE_MODE}, if this process owns it.
     *
     * @param file an existing file.
     * @param mode its mode; nothing for others.
     */
    public void file(final Path file, final int mode)
    {
        if (0 != (mode & 07))
        {
            throw new IllegalArgumentException("mode " + octal(mode) + " must give others nothing");
        }
        apply(file, mode);
    }

    /**
     * Give a folder, and every folder and file under it that this process owns, the group and modes.
     *
     * @param directory an existing folder.
     */
    public void tree(final Path directory)
    {
        if (!UNIX)
        {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory))
        {
            paths.forEach((path) ->
            {
                if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS))
                {
                    directory(path);
                }
                else if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS))
                {
                    file(path);
                }
            });
        }
        catch (final NoSuchFileException ex)
        {
            // deleted meanwhile (a retention pass, a generation replaced): nothing left to protect
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot list " + directory, ex);
        }
        catch (final UncheckedIOException ex)
        {
            if (!(ex.getCause() instanceof NoSuchFileException))
            {
                throw ex;
            }
        }
    }

    /**
     * The mode of a path.
     *
     * @param path an existing path.
     * @return its permission bits, setgid included.
     * @throws UncheckedIOException if it cannot be read.
     */
    public static int mode(final Path path)
    {
        try
        {
            return (Integer)Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS) & PERMISSION_BITS;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read the mode of " + path, ex);
        }
    }

    /**
     * A mode in octal, as {@code ls} and {@code chmod} write it.
     *
     * @param mode permission bits.
     * @return such as {@code 0640}.
     */
    public static String octal(final int mode)
    {
        final String digits = Integer.toOctalString(mode & PERMISSION_BITS);
        return "0000".substring(Math.min(4, digits.length())) + digits;
    }

    private void apply(final Path path, final int mode)
    {
        if (!UNIX)
        {
            return;
        }
        try
        {
            if (UNKNOWN_UID != PROCESS_UID &&
                PROCESS_UID != (Integer)Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS))
            {
                return;
            }
            if (null != group)
            {
                try
                {
                    Files.setAttribute(path, "posix:group", group, LinkOption.NOFOLLOW_LINKS);
                }
                catch (final NoSuchFileException ex)
                {
                    throw ex;
                }
                catch (final FileSystemException ex)
                {
                    throw new IllegalStateException(settingName + ": cannot give " + path + " to the group '" +
                        groupName + "': the user " + System.getProperty("user.name") + " must be a member of it (" +
                        ex.getReason() + ")", ex);
                }
            }
            Files.setAttribute(path, "unix:mode", mode, LinkOption.NOFOLLOW_LINKS);
        }
        catch (final NoSuchFileException ex)
        {
            // deleted meanwhile: nothing to protect
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot set the mode " + octal(mode) + " of " + path, ex);
        }
    }

    private static int processUid()
    {
        try
        {
            return UNIX ? (Integer)Files.getAttribute(Paths.get("/proc/self"), "unix:uid") : UNKNOWN_UID;
        }
        catch (final IOException | RuntimeException ex)
        {
            return UNKNOWN_UID;
        }
    }
}
