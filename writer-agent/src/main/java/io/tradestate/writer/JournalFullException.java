package io.tradestate.writer;

import java.nio.file.Path;

/**
 * The journal's file system has no room for the event: nothing was appended, and nothing already committed is
 * affected. Appends succeed again once space is freed; a strategy may retry, or stop trading.
 */
public final class JournalFullException extends IllegalStateException
{
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final long neededBytes;
    private final long usableBytes;

    /**
     * An append refused for want of space.
     *
     * @param file        the cycle file the event was for.
     * @param neededBytes bytes that could not be reserved in it.
     * @param usableBytes usable bytes left on its file system, -1 if unknown.
     */
    public JournalFullException(final Path file, final long neededBytes, final long usableBytes)
    {
        super("journal file system full: cannot reserve " + neededBytes + " bytes in " + file + " (" +
            usableBytes + " bytes usable on its file system); the event was not appended");
        this.file = file;
        this.neededBytes = neededBytes;
        this.usableBytes = usableBytes;
    }

    /**
     * The cycle file the event was for.
     *
     * @return its path.
     */
    public Path file()
    {
        return file;
    }

    /**
     * Bytes that could not be reserved.
     *
     * @return the count.
     */
    public long neededBytes()
    {
        return neededBytes;
    }

    /**
     * Usable bytes left on the file system when the append failed.
     *
     * @return the count, -1 if it could not be read.
     */
    public long usableBytes()
    {
        return usableBytes;
    }
}
