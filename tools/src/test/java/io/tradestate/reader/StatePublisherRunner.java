package io.tradestate.reader;

import io.tradestate.reader.state.StatePublisherAgent;
import org.agrona.concurrent.EpochClock;

import java.nio.file.Path;
import java.util.Map;

/**
 * Runs the reader agent's real state publisher in the test's thread, for the tools' tests: it lives here because
 * {@link StatePublisherAgent} is package-private. {@link #publish()} replays every journal under the root into a
 * new generation of maps; {@link #drain()} applies what was appended since. The clock is the test's.
 */
public final class StatePublisherRunner implements AutoCloseable
{
    private final ManualClock clock = new ManualClock();
    private final StatePublisherAgent publisher;

    /**
     * A publisher of the journals under a root into a state folder.
     *
     * @param journalRoot the journals, one folder per source.
     * @param stateDir    where the maps go.
     * @param nowMs       the publisher's clock to start with.
     */
    public StatePublisherRunner(final Path journalRoot, final Path stateDir, final long nowMs)
    {
        clock.timeMs = nowMs;
        publisher = new StatePublisherAgent(ReaderContext.load(null, Map.of())
            .set(ReaderConfiguration.JOURNAL_ROOT, journalRoot.toString())
            .set(ReaderConfiguration.STATE_DIR, stateDir.toString())
            .set(ReaderConfiguration.STATE_ORDERS_ENTRIES, "10000")
            .set(ReaderConfiguration.STATE_TRADES_ENTRIES, "1000")
            .set(ReaderConfiguration.STATE_PAIR_LOCKS_ENTRIES, "1000")
            .set(ReaderConfiguration.STATE_BALANCES_ENTRIES, "1000")
            .conclude(), clock);
    }

    /**
     * Start the publisher: a new generation with every journal replayed, then published.
     *
     * @return the generation published.
     */
    public long publish()
    {
        publisher.onStart();
        drain();
        if (publisher.publishedGeneration() <= 0)
        {
            throw new IllegalStateException("no generation published");
        }
        return publisher.publishedGeneration();
    }

    /**
     * Apply what was appended since, two seconds later by the publisher's clock.
     */
    public void drain()
    {
        clock.timeMs += 2_000;
        for (int i = 0; i < 20; i++)
        {
            publisher.doWork();
        }
    }

    public void close()
    {
        publisher.onClose();
    }

    private static final class ManualClock implements EpochClock
    {
        private long timeMs;

        public long time()
        {
            return timeMs;
        }
    }
}
