package io.tradestate.writer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A tmpfs of a fixed size mounted for a test, with spare files written in full beforehand so that the test can fill
 * the file system and then give space back one spare at a time. Mounting needs root (or {@code CAP_SYS_ADMIN}):
 * {@link #mount(Path, String)} returns null where {@code mount} is refused, for the test to skip.
 */
public final class SmallFileSystem implements AutoCloseable
{
    private final Path mountPoint;
    private final List<Path> spares = new ArrayList<>();

    private SmallFileSystem(final Path mountPoint)
    {
        this.mountPoint = mountPoint;
    }

    /**
     * Mount a tmpfs on a folder, created if missing.
     *
     * @param folder to mount on.
     * @param size   as {@code mount -o size=} takes it, for example {@code 8m}.
     * @return the file system, or null if this process may not mount.
     * @throws IOException          if the folder cannot be created.
     * @throws InterruptedException if interrupted waiting for {@code mount}.
     */
    public static SmallFileSystem mount(final Path folder, final String size) throws IOException, InterruptedException
    {
        final Path mountPoint = Files.createDirectories(folder);
        if (0 != run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", mountPoint.toString()))
        {
            return null;
        }
        return new SmallFileSystem(mountPoint);
    }

    /**
     * The folder the file system is mounted on.
     *
     * @return the mount point.
     */
    public Path root()
    {
        return mountPoint;
    }

    /**
     * Write spare files filled with ones (tmpfs has no holes to leave: every byte takes space).
     *
     * @param count how many.
     * @param bytes the size of each.
     * @throws IOException if the file system is already too full for them.
     */
    public void addSpares(final int count, final int bytes) throws IOException
    {
        final byte[] ones = new byte[bytes];
        Arrays.fill(ones, (byte)1);
        for (int i = 0; i < count; i++)
        {
            spares.add(Files.write(mountPoint.resolve("spare-" + spares.size()), ones));
        }
    }

    /**
     * Delete the next spare file, giving its space back.
     *
     * @throws IOException if there is none left or it cannot be deleted.
     */
    public void freeSpare() throws IOException
    {
        if (spares.isEmpty())
        {
            throw new IOException("no spare file left on " + mountPoint);
        }
        Files.delete(spares.remove(0));
    }

    /**
     * Unmount, lazily if the file system is still busy.
     *
     * @throws IOException if {@code umount} cannot be started or the wait for it is interrupted.
     */
    public void close() throws IOException
    {
        try
        {
            if (0 != run("umount", mountPoint.toString()))
            {
                run("umount", "-l", mountPoint.toString());
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted unmounting " + mountPoint, ex);
        }
    }

    private static int run(final String... command) throws IOException, InterruptedException
    {
        final Process process = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!process.waitFor(30, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }
}
