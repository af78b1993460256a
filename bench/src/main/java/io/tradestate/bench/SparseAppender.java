package io.tradestate.bench;

/**
 * One way of appending an order in {@link SparseAppendHarness}'s strategy JVM ({@link SparseAppendMain}): the
 * journal, the bare Chronicle appender or a store into a mapping ({@link SparseVariant}). Opened before any
 * measurement; {@link #append(int)} is what the service time covers and allocates nothing.
 */
interface SparseAppender extends AutoCloseable
{
    /**
     * Append event number {@code event}: order {@link SparseOrders#order(int)}.
     *
     * @param event the event's number in this JVM, from 0, over every phase.
     */
    void append(int event);

    /**
     * Work between events, for a variant that keeps its path warm: called about every millisecond while the
     * strategy waits for its next event.
     *
     * @return 1 if it did some, 0 if not.
     */
    default int keepWarm()
    {
        return 0;
    }

    /**
     * How long opening spent warming the append path up, as the journal reports it.
     *
     * @return nanoseconds, 0 for none.
     */
    default long warmUpNs()
    {
        return 0;
    }

    /**
     * Close what it opened, quietly.
     */
    void close();
}
