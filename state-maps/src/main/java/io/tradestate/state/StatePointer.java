package io.tradestate.state;

import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The small mapped file, {@code maps/current}, through which the publisher tells every reader which generation of
 * the state maps is current, and that it is alive.
 * <pre>
 *   0  int64 current generation (0: none published yet)
 *   8  int64 pid of the publishing agent
 *   16 int64 publisher heartbeat, ms since the epoch (refreshed about every 100 ms while it runs)
 *   24 int64 flags: bit 0 set while a map is full and an entry could not be kept
 *   32 int64 the latest end, ms since the epoch, of any lock for all sources ever put into these maps (0: none)
 * </pre>
 * The generation is written last, with an ordered store, after every file of the generation is complete; readers
 * read it with a volatile load.
 * <p>
 * The end of the locks for all sources lets a lookup skip their keys while none can be in force, which is nearly
 * always: it only ever rises, and the publisher raises it before it puts such a lock into a map, so a reader that
 * reads it first and finds it in the past reads the maps as they were before any lock for all sources still in force
 * was put. An unlock does not lower it: lookups go on asking the keys of all sources until the end the lock had.
 */
public final class StatePointer implements AutoCloseable
{
    /**
     * Name of the pointer file in the maps folder.
     */
    public static final String FILE_NAME = "current";

    /**
     * Flag: a map reached its capacity and an entry was dropped.
     */
    public static final long FLAG_MAP_FULL = 1;

    private static final int LENGTH = 64;
    private static final int GENERATION_OFFSET = 0;
    private static final int PID_OFFSET = 8;
    private static final int HEARTBEAT_OFFSET = 16;
    private static final int FLAGS_OFFSET = 24;
    private static final int ALL_SOURCES_LOCK_END_OFFSET = 32;

    private final MappedByteBuffer mapped;
    private final UnsafeBuffer buffer;

    private StatePointer(final MappedByteBuffer mapped)
    {
        this.mapped = mapped;
        this.buffer = new UnsafeBuffer(mapped);
    }

    /**
     * Map the pointer file for writing, creating it (zeroed) if it does not exist.
     *
     * @param mapsDir the maps folder.
     * @return the pointer.
     */
    public static StatePointer openForWrite(final Path mapsDir)
    {
        final Path file = mapsDir.resolve(FILE_NAME);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
            StandardOpenOption.WRITE))
        {
            if (channel.size() < LENGTH)
            {
                channel.truncate(0);
                channel.write(java.nio.ByteBuffer.allocate(LENGTH), 0);
                channel.force(true);
            }
            return new StatePointer(channel.map(FileChannel.MapMode.READ_WRITE, 0, LENGTH));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot map " + file, ex);
        }
    }

    /**
     * Map the pointer file for reading.
     *
     * @param mapsDir the maps folder.
     * @return the pointer, or null if no publisher has created it yet.
     */
    public static StatePointer openForRead(final Path mapsDir)
    {
        final Path file = mapsDir.resolve(FILE_NAME);
        if (!Files.isRegularFile(file))
        {
            return null;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            if (channel.size() < LENGTH)
            {
                return null;
            }
            return new StatePointer(channel.map(FileChannel.MapMode.READ_ONLY, 0, LENGTH));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot map " + file, ex);
        }
    }

    /**
     * The current generation.
     *
     * @return its number, 0 if none is published.
     */
    public long generation()
    {
        return buffer.getLongVolatile(GENERATION_OFFSET);
    }

    /**
     * Pid of the process that published the current generation.
     *
     * @return the pid, 0 if none.
     */
    public long publisherPid()
    {
        return buffer.getLongVolatile(PID_OFFSET);
    }

    /**
     * Last heartbeat of the publisher.
     *
     * @return ms since the epoch, 0 if none.
     */
    public long heartbeatMs()
    {
        return buffer.getLongVolatile(HEARTBEAT_OFFSET);
    }

    /**
     * The publisher's flags.
     *
     * @return a bit set of {@code FLAG_} values.
     */
    public long flags()
    {
        return buffer.getLongVolatile(FLAGS_OFFSET);
    }

    /**
     * The latest end of any lock for all sources put into these maps: none is in force at or after it.
     *
     * @return ms since the epoch, 0 if there has been none.
     */
    public long allSourcesLockEndMs()
    {
        return buffer.getLongVolatile(ALL_SOURCES_LOCK_END_OFFSET);
    }

    /**
     * Raise the end of the locks for all sources, before a lock ending then is put into a map; a lower end changes
     * nothing. Only the publisher, the one writer, calls it.
     *
     * @param lockEndMs the lock's end, ms since the epoch.
     */
    public void raiseAllSourcesLockEnd(final long lockEndMs)
    {
        if (lockEndMs > buffer.getLong(ALL_SOURCES_LOCK_END_OFFSET))
        {
            buffer.putLongVolatile(ALL_SOURCES_LOCK_END_OFFSET, lockEndMs);
        }
    }

    /**
     * Publish a generation: every one of its files must be complete.
     *
     * @param generation  number.
     * @param pid         of the publisher.
     * @param heartbeatMs now.
     */
    public void publish(final long generation, final long pid, final long heartbeatMs)
    {
        buffer.putLongOrdered(PID_OFFSET, pid);
        buffer.putLongOrdered(HEARTBEAT_OFFSET, heartbeatMs);
        buffer.putLongOrdered(GENERATION_OFFSET, generation);
        mapped.force();
    }

    /**
     * Refresh the heartbeat and flags.
     *
     * @param heartbeatMs now.
     * @param flags       the current flags.
     */
    public void heartbeat(final long heartbeatMs, final long flags)
    {
        buffer.putLongOrdered(FLAGS_OFFSET, flags);
        buffer.putLongOrdered(HEARTBEAT_OFFSET, heartbeatMs);
    }

    /**
     * Unmap the file.
     */
    public void close()
    {
        IoUtil.unmap(mapped);
    }
}
