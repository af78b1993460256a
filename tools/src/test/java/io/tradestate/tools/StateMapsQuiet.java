package io.tradestate.tools;

import io.tradestate.reader.ReaderAgent;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Waits until a reader agent's state publisher has read its journals to their end: it has applied no event for
 * {@value #QUIET_MS} ms and published a generation.
 */
final class StateMapsQuiet
{
    static final long QUIET_MS = 500;

    private StateMapsQuiet()
    {
    }

    /**
     * Wait, failing the test after {@code timeoutMs}.
     *
     * @param agent     the running agent.
     * @param timeoutMs how long the maps may keep changing.
     * @throws InterruptedException if interrupted.
     */
    static void await(final ReaderAgent agent, final long timeoutMs) throws InterruptedException
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        long applied = agent.stateEventsApplied();
        while (true)
        {
            Thread.sleep(QUIET_MS);
            final long now = agent.stateEventsApplied();
            if (now == applied && agent.stateGeneration() > 0)
            {
                return;
            }
            assertTrue(System.nanoTime() - deadlineNs < 0, "the state maps kept changing");
            applied = now;
        }
    }
}
