package io.tradestate.reader.drain;

import org.agrona.DirectBuffer;

/**
 * The latest identity a source's writer announced in {@code SourceStarted} or {@code Heartbeat} within one batch:
 * reused, updated in place, and written to the {@code sources} table with the batch that read it.
 */
final class SourceStatus
{
    private final byte[] host = new byte[64];
    private int hostLength;
    private long pid;
    private int schemaVersion;
    private long startTimeNs;
    private long lastSeenNs;
    private boolean dirty;

    void update(
        final DirectBuffer buffer, final int hostOffset, final int hostLength, final long pid,
        final int schemaVersion, final long startTimeNs, final long appendTimeNs)
    {
        buffer.getBytes(hostOffset, host, 0, hostLength);
        this.hostLength = hostLength;
        this.pid = pid;
        this.schemaVersion = schemaVersion;
        this.startTimeNs = startTimeNs;
        this.lastSeenNs = Math.max(lastSeenNs, appendTimeNs);
        this.dirty = true;
    }

    boolean isDirty()
    {
        return dirty;
    }

    /**
     * Forget the identity, for a new batch.
     */
    void reset()
    {
        hostLength = 0;
        pid = 0;
        schemaVersion = 0;
        startTimeNs = 0;
        lastSeenNs = 0;
        dirty = false;
    }

    String host()
    {
        return new String(host, 0, hostLength, java.nio.charset.StandardCharsets.US_ASCII);
    }

    long pid()
    {
        return pid;
    }

    int schemaVersion()
    {
        return schemaVersion;
    }

    long startTimeNs()
    {
        return startTimeNs;
    }

    long lastSeenNs()
    {
        return lastSeenNs;
    }
}
