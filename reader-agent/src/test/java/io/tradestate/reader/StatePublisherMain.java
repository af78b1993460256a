package io.tradestate.reader;

import io.tradestate.reader.state.StatePublisherAgent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.YieldingIdleStrategy;

import java.util.Map;

/**
 * A child JVM running only the state publisher, with no database: {@code <journal-root> <state-dir>}. Prints
 * {@code PUBLISHED <generation>} once its generation is published, then runs until killed.
 */
final class StatePublisherMain
{
    private StatePublisherMain()
    {
    }

    public static void main(final String[] args) throws InterruptedException
    {
        final ReaderContext context = ReaderContext.load(null, Map.of())
            .set(ReaderConfiguration.JOURNAL_ROOT, args[0])
            .set(ReaderConfiguration.STATE_DIR, args[1])
            .set(ReaderConfiguration.DISCOVERY_INTERVAL_MS, "50")
            .set(ReaderConfiguration.STATE_ORDERS_ENTRIES, "10000")
            .set(ReaderConfiguration.STATE_TRADES_ENTRIES, "1000")
            .set(ReaderConfiguration.STATE_PAIR_LOCKS_ENTRIES, "1000")
            .set(ReaderConfiguration.STATE_BALANCES_ENTRIES, "1000")
            .set(ReaderConfiguration.STATE_LOCK_TIMEOUT_MS, "200")
            .conclude();
        final StatePublisherAgent publisher = new StatePublisherAgent(context, SystemEpochClock.INSTANCE);
        final AgentRunner runner = new AgentRunner(new YieldingIdleStrategy(), Throwable::printStackTrace, null,
            publisher);
        AgentRunner.startOnThread(runner);
        while (0 == publisher.publishedGeneration())
        {
            Thread.sleep(5);
        }
        System.out.println("PUBLISHED " + publisher.publishedGeneration());
        System.out.flush();
        Thread.currentThread().join();
    }
}
