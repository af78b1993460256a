package io.tradestate.reader.state;

import io.tradestate.files.FileAccess;
import io.tradestate.reader.ReaderConfiguration;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One reader agent per state folder, whatever the database: an exclusive lock on {@code <state>/reader-agent.lock},
 * taken before anything is written to the folder and held for the agent's life.
 * <p>
 * Design note: the state folder holds the state maps' generations, the pointer strategies read them through, the
 * snapshot and, with the embedded database, the cluster. A second agent on the same folder would build a generation
 * of its own, publish it and delete the first one's live generation under the strategies reading it. The embedded
 * database always had a lock of its own ({@code postgres/agent.lock}), but with {@code db.url} set nothing stopped
 * the second agent. This lock is the folder's. It is an OS file lock ({@code fcntl}), so the kernel drops it when
 * the holder dies, even of {@code SIGKILL}: a stale file never blocks a restart. The file holds the holder's pid, for
 * the refusal's message. Such locks belong to the process, not to the channel, and closing any channel on the file
 * drops them all (POSIX semantics, seen on Linux here; so does setting the file's mode, which the JDK does through a
 * file descriptor of its own): once locked, this process must never open the file again. So the file gets its mode
 * before it is locked, and the folders this JVM holds are kept in a set, checked first: a second agent in the same
 * JVM is refused from it, with the same message, without touching the file. The lock is host-local, as the state
 * folder is: a state folder on a network file system shared by two hosts is not supported.
 */
public final class StateFolderLock implements AutoCloseable
{
    /**
     * Name of the lock file in the state folder.
     */
    static final String FILE_NAME = "reader-agent.lock";

    private static final int HOLDER_MAX_BYTES = 256;
    private static final Set<Path> HELD_BY_THIS_PROCESS = ConcurrentHashMap.newKeySet();

    private final Path folder;
    private final FileChannel channel;
    private final FileLock lock;

    private StateFolderLock(final Path folder, final FileChannel channel, final FileLock lock)
    {
        this.folder = folder;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Take the state folder for this agent, or fail at once if another agent holds it.
     *
     * @param stateDir the agent's state folder, existing.
     * @param access   the group to give the lock file (its mode is {@code 0600}), applied before it is locked.
     * @return the lock, to close when the agent stops.
     * @throws IllegalStateException if another agent, in this process or another, holds the folder; the message names
     *                               the folder and the holder's pid.
     * @throws UncheckedIOException  if the lock file cannot be opened or written.
     */
    public static StateFolderLock acquire(final Path stateDir, final FileAccess access)
    {
        final Path file = stateDir.resolve(FILE_NAME);
        final Path folder;
        try
        {
            folder = stateDir.toRealPath();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot lock the state folder " + stateDir, ex);
        }
        // First: past this point files are opened and closed, which would drop a lock this process holds.
        if (!HELD_BY_THIS_PROCESS.add(folder))
        {
            throw refused(stateDir, file, "pid " + ProcessHandle.current().pid() + ", this process");
        }

        FileChannel channel = null;
        try
        {
            if (!Files.exists(file))
            {
                try
                {
                    Files.createFile(file);
                }
                catch (final FileAlreadyExistsException ex)
                {
                    // another agent made it meanwhile: the lock decides
                }
            }
            // Owner only, or a strategy of the group could hold a shared lock on it and keep the agent from starting.
            // Before the lock: setting the mode opens and closes the file.
            access.file(file, FileAccess.OWNER_ONLY_FILE_MODE);
            channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock = null;
            try
            {
                lock = channel.tryLock();
            }
            catch (final OverlappingFileLockException ex)
            {
                // locked by other code of this JVM, not through this class: refused as by another process
            }
            if (null == lock)
            {
                throw refused(stateDir, file, holder(channel));
            }
            final byte[] pid = ("pid " + ProcessHandle.current().pid() + " since " + Instant.now() + "\n")
                .getBytes(StandardCharsets.US_ASCII);
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(pid), 0);
            return new StateFolderLock(folder, channel, lock);
        }
        catch (final IOException ex)
        {
            closeQuietly(channel);
            HELD_BY_THIS_PROCESS.remove(folder);
            throw new UncheckedIOException("cannot lock the state folder " + stateDir + " (" + file + ")", ex);
        }
        catch (final RuntimeException ex)
        {
            closeQuietly(channel);
            HELD_BY_THIS_PROCESS.remove(folder);
            throw ex;
        }
    }

    /**
     * Release the folder.
     */
    public void close()
    {
        try
        {
            lock.release();
        }
        catch (final IOException ex)
        {
            // closing the channel below releases it as well
        }
        closeQuietly(channel);
        HELD_BY_THIS_PROCESS.remove(folder);
    }

    private static IllegalStateException refused(final Path stateDir, final Path file, final String holder)
    {
        return new IllegalStateException("the state folder " + stateDir + " is in use by another reader agent (" +
            holder + ", lock on " + file + "): one agent per state folder, whatever the database. Stop that agent, " +
            "or give this one a " + ReaderConfiguration.STATE_DIR + " of its own");
    }

    private static String holder(final FileChannel channel)
    {
        try
        {
            final ByteBuffer buffer = ByteBuffer.allocate(HOLDER_MAX_BYTES);
            channel.read(buffer, 0);
            final String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII).trim();
            return text.startsWith("pid ") ? text : "holder unknown";
        }
        catch (final IOException ex)
        {
            return "holder unknown: " + ex.getMessage();
        }
    }

    private static void closeQuietly(final FileChannel channel)
    {
        if (null != channel)
        {
            try
            {
                channel.close();
            }
            catch (final IOException ex)
            {
                // nothing held through it any more
            }
        }
    }
}
