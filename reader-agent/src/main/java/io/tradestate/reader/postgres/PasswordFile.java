package io.tradestate.reader.postgres;

import io.tradestate.files.FileAccess;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Reads a password from the first line of a file that others cannot read or write: a password file readable by
 * every user of the host is a leaked password, and one they can write lets them choose the password the agent
 * sends, so both are refused before the file is read, with a message naming the setting, the file and its mode
 * (never the content). Owner and group may read it ({@code 0640 root:tradestate} is the deployment's choice).
 */
public final class PasswordFile
{
    private static final int OTHERS_READ = 04;
    private static final int OTHERS_WRITE = 02;
    private static final boolean UNIX = FileSystems.getDefault().supportedFileAttributeViews().contains("unix");

    private PasswordFile()
    {
    }

    /**
     * Read the password.
     *
     * @param settingName the key or option that named the file, for messages.
     * @param file        the file's path.
     * @return its first line, trimmed.
     * @throws IllegalArgumentException naming the setting if the file cannot be read, or others may read or write it.
     */
    public static String read(final String settingName, final String file)
    {
        final Path path;
        try
        {
            path = Paths.get(file);
        }
        catch (final RuntimeException ex)
        {
            throw new IllegalArgumentException(settingName + " is not a valid path: " + file);
        }

        if (UNIX && Files.exists(path))
        {
            final int mode = modeOfTarget(settingName, path);
            if (0 != (mode & (OTHERS_READ | OTHERS_WRITE)))
            {
                throw new IllegalArgumentException(settingName + " " + path + " has mode " + FileAccess.octal(mode) +
                    ": others can " + (0 != (mode & OTHERS_READ) ? "read" : "write") + " it; refused (make it " +
                    "readable by its owner and group only: chmod o-rwx " + path + ")");
            }
        }

        try
        {
            final String content = Files.readString(path, StandardCharsets.UTF_8);
            final int newline = content.indexOf('\n');
            return (newline < 0 ? content : content.substring(0, newline)).trim();
        }
        catch (final IOException | RuntimeException ex)
        {
            throw new IllegalArgumentException(settingName + " cannot be read: " + ex.getMessage());
        }
    }

    /**
     * The mode of the file itself, through symbolic links (a mounted secret is often one).
     */
    private static int modeOfTarget(final String settingName, final Path path)
    {
        try
        {
            return FileAccess.mode(path.toRealPath());
        }
        catch (final IOException | RuntimeException ex)
        {
            throw new IllegalArgumentException(
                settingName + ": cannot read the mode of " + path + ": " + ex.getMessage());
        }
    }
}
