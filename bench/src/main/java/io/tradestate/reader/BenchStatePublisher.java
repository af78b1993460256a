package io.tradestate.reader;

import io.tradestate.reader.state.StatePublisherAgent;
import org.agrona.concurrent.SystemEpochClock;

import java.nio.file.Path;
import java.util.Map;

/**
 * The reader agent's real state publisher, driven step by step, for the benchmarks that read the state maps through
 * {@code TradeStateView}. It lives in the {@code bench} module, in the publisher's package, because the publisher is
 * package-private: the reader agent's main code has no test-support entry point.
 * <p>
 * {@link #publish(Path, Path, int)} replays every journal under the journal root into a new generation of maps
 * under the state folder and publishes it, exactly as the agent does at start; the publisher then stays idle (no
 * thread) until {@link #close()}, so that the benchmarks measure lookups alone.
 */
public final class BenchStatePublisher implements AutoCloseable
{
    private static final int MAX_STEPS = 10_000;

    private final StatePublisherAgent agent;

    private BenchStatePublisher(final StatePublisherAgent agent)
    {
        this.agent = agent;
    }

    /**
     * Replay the journals into new maps and publish them.
     *
     * @param journalRoot     folder of the journals, one per source.
     * @param stateDir        the agent's state folder; the maps go to {@code maps/} in it.
     * @param expectedEvents  events the journals hold (excerpts other than heartbeats), to wait for.
     * @return the publisher, idle, holding the maps open.
     * @throws IllegalStateException if the maps were not published with every event within the step limit.
     */
    public static BenchStatePublisher publish(final Path journalRoot, final Path stateDir, final int expectedEvents)
    {
        final ReaderContext context = ReaderContext.load(null, Map.of())
            .set(ReaderConfiguration.JOURNAL_ROOT, journalRoot.toString())
            .set(ReaderConfiguration.STATE_DIR, stateDir.toString())
            .set(ReaderConfiguration.STATE_ORDERS_ENTRIES, "50000")
            .set(ReaderConfiguration.STATE_TRADES_ENTRIES, "1000")
            .set(ReaderConfiguration.STATE_PAIR_LOCKS_ENTRIES, "1000")
            .set(ReaderConfiguration.STATE_BALANCES_ENTRIES, "1000")
            .conclude();
        final StatePublisherAgent agent = new StatePublisherAgent(context, SystemEpochClock.INSTANCE);
        agent.onStart();
        try
        {
            for (int i = 0; i < MAX_STEPS && (0 == agent.publishedGeneration() || agent.eventsApplied() <
                expectedEvents); i++)
            {
                if (0 == agent.doWork())
                {
                    Thread.onSpinWait();
                }
            }
            if (0 == agent.publishedGeneration() || agent.eventsApplied() < expectedEvents)
            {
                throw new IllegalStateException("the state was not published: generation " +
                    agent.publishedGeneration() + ", " + agent.eventsApplied() + " of " + expectedEvents +
                    " events applied");
            }
        }
        catch (final RuntimeException ex)
        {
            agent.onClose();
            throw ex;
        }

        return new BenchStatePublisher(agent);
    }

    /**
     * Events applied to the maps so far.
     *
     * @return the count.
     */
    public long eventsApplied()
    {
        return agent.eventsApplied();
    }

    /**
     * Close the publisher's tailers and maps.
     */
    public void close()
    {
        agent.onClose();
    }
}
