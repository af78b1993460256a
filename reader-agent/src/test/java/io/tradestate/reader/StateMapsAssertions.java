package io.tradestate.reader;

import io.tradestate.reader.state.StateMapsVerifier;
import io.tradestate.writer.state.TradeStateView;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checks, from a strategy's side, that the state maps an agent published equal its database's current-state tables,
 * giving the publisher time to catch up (it runs beside the drain, not in step with it).
 */
public final class StateMapsAssertions
{
    private static final long CATCH_UP_TIMEOUT_MS = 60_000;

    private StateMapsAssertions()
    {
    }

    /**
     * Fail unless the maps under {@code stateDir} come to equal the tables within a minute.
     *
     * @return the number of comparisons it took.
     */
    public static int assertMapsEqualTables(final Path stateDir, final DataSource dataSource) throws Exception
    {
        try (TradeStateView view = TradeStateView.open(stateDir);
            Connection connection = dataSource.getConnection())
        {
            assertTrue(view.awaitAvailable(CATCH_UP_TIMEOUT_MS), "the state maps are never published");
            final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CATCH_UP_TIMEOUT_MS);
            int attempts = 0;
            while (true)
            {
                attempts++;
                final List<String> differences = StateMapsVerifier.differences(view, connection,
                    TimeUnit.HOURS.toMillis(1), System.currentTimeMillis());
                if (differences.isEmpty())
                {
                    return attempts;
                }
                if (System.nanoTime() - deadlineNs > 0)
                {
                    assertEquals(List.of(), differences, "the state maps differ from the tables");
                }
                Thread.sleep(100);
            }
        }
    }
}
