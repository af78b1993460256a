package io.tradestate.reader.operations;

/**
 * How far the database is behind one source, as the {@code status} command prints it and the metrics endpoint
 * exports it.
 *
 * @param sourceId           the source.
 * @param lastAppendedIndex  the queue's last index, or -1 when empty or unreadable.
 * @param lastCommittedIndex the database's checkpoint, or -1 when none.
 * @param eventsCommitted    excerpts committed so far by the checkpoint.
 * @param lagEvents          excerpts appended after the checkpoint.
 * @param lagMs              how long the oldest of them has waited, 0 when none.
 * @param deadLetters        dead letters of the source in the database.
 */
public record SourceLag(
    String sourceId,
    long lastAppendedIndex,
    long lastCommittedIndex,
    long eventsCommitted,
    long lagEvents,
    long lagMs,
    long deadLetters)
{
}
