package io.tradestate.bench;

/**
 * How an exchange thread of {@link ExchangeExperiment} persists an order message it chose: one variant's code path,
 * called on that thread.
 */
@FunctionalInterface
interface ExchangePersister
{
    /**
     * Persist the message, returning when the variant considers it persisted.
     *
     * @param orderIndex    the message's key, unique across the exchanges of a round.
     * @param receiveTimeNs when the strategy got it, epoch nanoseconds.
     * @throws Exception if persisting failed; the round fails.
     */
    void persist(long orderIndex, long receiveTimeNs) throws Exception;

    /**
     * Called once on the exchange's thread before the round starts: what the variant's documentation tells a
     * strategy to do on each thread that will persist. Nothing by default.
     */
    default void prepareThread()
    {
    }
}
