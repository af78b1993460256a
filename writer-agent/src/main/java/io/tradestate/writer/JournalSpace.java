package io.tradestate.writer;

import net.openhft.posix.PosixAPI;
import net.openhft.posix.internal.noop.NoOpPosixAPI;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Disk space for the current cycle file, reserved ahead of the write position, so that a full file system fails an
 * append with a {@link JournalFullException} instead of a {@code SIGBUS}.
 * <p>
 * <b>Why.</b> Chronicle writes through a memory mapping of a sparse file. The file system allocates a page only when
 * it is first written; when it has none left the kernel sends {@code SIGBUS}, which HotSpot turns into an
 * {@link InternalError} ("a fault occurred in a recent unsafe memory access operation"), delivered in compiled code
 * some instructions after the faulting store: the store is skipped and a commit can return normally although its
 * bytes never reached the file. Measured on an 8 MiB tmpfs: after 25,852 appends the error surfaced inside
 * Chronicle's {@code writingDocument()}, not in the append that faulted.
 * <p>
 * <b>How.</b> {@code fallocate(2)} with {@code FALLOC_FL_KEEP_SIZE} allocates the blocks of a range without writing
 * or changing a byte, so it never races the appenders or the pretoucher, and reports {@code ENOSPC} as a return code.
 * The range before {@link #reservedTo()} is backed; an appender, holding the queue's write lock, checks that its
 * excerpt ends at least {@link #HEADROOM_BYTES} before it (room for the next excerpt's header and for an index array
 * Chronicle may place there) and otherwise reserves {@link #CHUNK_BYTES} more, once per MiB of journal: one compare
 * on the hot path. The pretoucher reserves before it touches. When the file system has no chunk left, the last
 * bytes are reserved exactly, and when not even those, the append fails naming the file and the usable space. Once
 * space is freed, the next append reserves and goes on.
 * <p>
 * Where {@code fallocate} is not available (no native POSIX binding), reservation falls back to checking the file
 * system's usable space, which narrows the window but cannot close it.
 */
final class JournalSpace
{
    /**
     * Bytes reserved at a time.
     */
    static final long CHUNK_BYTES = 1024 * 1024;

    /**
     * Reserved bytes an append leaves after its excerpt: the next header, and an index array Chronicle may allocate.
     */
    static final long HEADROOM_BYTES = 256 * 1024;

    private static final int O_RDWR = 2;
    private static final int FALLOC_FL_KEEP_SIZE = 1;
    private static final int NO_FD = -1;

    private final PosixAPI posix;
    private final boolean fallocate;
    private volatile int reservedCycle = Integer.MIN_VALUE;
    private volatile long reservedTo;
    private File file;
    private int fd = NO_FD;
    private long failures;

    JournalSpace()
    {
        PosixAPI api = null;
        try
        {
            api = PosixAPI.posix();
        }
        catch (final RuntimeException | LinkageError ex)
        {
            api = null;
        }
        this.posix = api;
        this.fallocate = null != api && !(api instanceof NoOpPosixAPI);
    }

    /**
     * Whether an excerpt of the given cycle may end at {@code endPosition} without reserving more: the hot path.
     *
     * @param cycle       of the appender.
     * @param endPosition of the excerpt in the cycle file.
     * @return true when the range up to {@code endPosition} plus the headroom is backed.
     */
    boolean covers(final int cycle, final long endPosition)
    {
        return cycle == reservedCycle && endPosition + HEADROOM_BYTES <= reservedTo;
    }

    /**
     * Reserve the cycle file up to {@code endPosition} plus the headroom, and a chunk more if the file system has it.
     *
     * @param cycle       of the file.
     * @param cycleFile   the file.
     * @param endPosition of the excerpt about to be written.
     * @throws JournalFullException if the file system has not even the bytes up to {@code endPosition} plus the
     *                              headroom.
     */
    synchronized void reserve(final int cycle, final File cycleFile, final long endPosition)
    {
        if (covers(cycle, endPosition))
        {
            return;
        }

        final long neededTo = endPosition + HEADROOM_BYTES;
        if (cycle != reservedCycle || !cycleFile.equals(file))
        {
            switchFile(cycleFile);
            reservedCycle = cycle;
            reservedTo = 0;
        }

        final long from = reservedTo;
        if (allocate(from, neededTo + CHUNK_BYTES))
        {
            reservedTo = neededTo + CHUNK_BYTES;
        }
        else if (allocate(from, neededTo))
        {
            reservedTo = neededTo;
        }
        else
        {
            failures++;
            throw new JournalFullException(file.toPath(), neededTo - from, usableBytes(file.toPath()));
        }
    }

    /**
     * Where the backed range of the current cycle file ends.
     *
     * @return the position, 0 before the first reservation.
     */
    long reservedTo()
    {
        return reservedTo;
    }

    /**
     * Reservations refused for want of space, for tests and metrics.
     *
     * @return the count.
     */
    synchronized long failures()
    {
        return failures;
    }

    synchronized void close()
    {
        closeFd();
        file = null;
        reservedCycle = Integer.MIN_VALUE;
        reservedTo = 0;
    }

    /**
     * Usable bytes on the file system of a path, -1 if it cannot be read.
     */
    static long usableBytes(final Path path)
    {
        try
        {
            return Files.getFileStore(path).getUsableSpace();
        }
        catch (final IOException | RuntimeException ex)
        {
            return -1;
        }
    }

    private boolean allocate(final long from, final long to)
    {
        if (to <= from)
        {
            return true;
        }
        if (fallocate && NO_FD != fd)
        {
            return 0 == posix.fallocate(fd, FALLOC_FL_KEEP_SIZE, from, to - from);
        }
        final long usable = usableBytes(file.toPath());
        return usable < 0 || usable >= to - from;
    }

    private void switchFile(final File cycleFile)
    {
        closeFd();
        file = cycleFile;
        if (fallocate)
        {
            fd = posix.open(cycleFile.getAbsolutePath(), O_RDWR, 0);
        }
    }

    private void closeFd()
    {
        if (NO_FD != fd)
        {
            posix.close(fd);
            fd = NO_FD;
        }
    }
}
