package io.tradestate.reader.drain;

/**
 * An excerpt that could not be stored: its source and index, a copy of its bytes, and why. Rare, so it is an
 * ordinary object.
 */
final class DeadLetter
{
    final String sourceId;
    final long index;
    final byte[] bytes;
    final String reason;

    DeadLetter(final String sourceId, final long index, final byte[] bytes, final String reason)
    {
        this.sourceId = sourceId;
        this.index = index;
        this.bytes = bytes;
        this.reason = reason;
    }
}
