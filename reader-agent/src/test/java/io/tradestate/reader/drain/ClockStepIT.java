package io.tradestate.reader.drain;

import io.tradestate.codecs.OrderStatus;
import io.tradestate.codecs.OrderType;
import io.tradestate.codecs.Side;
import io.tradestate.reader.AgentTestEnvironment;
import io.tradestate.reader.ReaderConfiguration;
import io.tradestate.reader.ReaderContext;
import io.tradestate.reader.state.StatePublisherAgent;
import io.tradestate.writer.TradeJournal;
import org.agrona.concurrent.EpochClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The host's clock stepped back (NTP correcting a clock that ran ahead, an operator's {@code date -s}, a VM restored
 * from a snapshot) does not stop the agents' schedules: a journal that appears after the step is discovered, drained
 * and published within the discovery interval, as before it. The schedules run on a monotonic clock; the wall clock
 * is only what is written (heartbeats, snapshot times, the ages of journal files).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClockStepIT
{
    private static final long STEP_MS = TimeUnit.DAYS.toMillis(1);
    private static final long WAIT_MS = 10_000;

    @RegisterExtension
    final AgentTestEnvironment environment = new AgentTestEnvironment("clock_step").migrated();

    private final SteppingClock clock = new SteppingClock();

    @Test
    void shouldDiscoverAndDrainAJournalThatAppearsAfterTheClockSteppedBack() throws Exception
    {
        final long lastA = append("a");
        final DrainAgent agent = new DrainAgent(context(), new PostgresBatchWriter(environment.agentPool()), clock);
        try
        {
            runUntil(agent, () -> checkpoint("a") == lastA, "a drained");

            clock.stepBack(STEP_MS);
            final long lastB = append("b");
            runUntil(agent, () -> checkpoint("b") == lastB, "b, appeared after the clock stepped back a day, drained");
        }
        finally
        {
            agent.onClose();
        }
    }

    @Test
    void shouldDiscoverAndPublishAJournalThatAppearsAfterTheClockSteppedBack()
    {
        append("a");
        final StatePublisherAgent publisher = new StatePublisherAgent(context(), clock);
        publisher.onStart();
        try
        {
            runUntil(publisher, () -> publisher.publishedGeneration() > 0 && publisher.eventsApplied() == 10,
                "a's 10 orders published");

            clock.stepBack(STEP_MS);
            append("b");
            runUntil(publisher, () -> publisher.eventsApplied() == 20,
                "b's 10 orders, appended after the clock stepped back a day, published");
        }
        finally
        {
            publisher.onClose();
        }
    }

    private ReaderContext context()
    {
        return environment.context()
            .set(ReaderConfiguration.DISCOVERY_INTERVAL_MS, "10")
            .set(ReaderConfiguration.BATCH_LINGER_MS, "0")
            .set(ReaderConfiguration.METRICS_PORT, "-1")
            .conclude();
    }

    private long append(final String source)
    {
        long index = -1;
        try (TradeJournal journal = environment.journal(source))
        {
            for (int i = 0; i < 10; i++)
            {
                index = journal.orderUpdate()
                    .exchange("binance").symbol("BTC/USDT").orderId(source + "-" + i).side(Side.BUY)
                    .orderType(OrderType.LIMIT).status(OrderStatus.OPEN).price(6412350, -2).amount(15, -3)
                    .commit();
            }
        }
        return index;
    }

    private static void runUntil(
        final org.agrona.concurrent.Agent agent, final BooleanSupplier done, final String what)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
        try
        {
            while (!done.getAsBoolean())
            {
                assertTrue(System.nanoTime() - deadlineNs < 0, what + ": not within " + WAIT_MS + " ms");
                agent.doWork();
                Thread.sleep(1);
            }
        }
        catch (final Exception ex)
        {
            throw new AssertionError(what, ex);
        }
    }

    private long checkpoint(final String source)
    {
        try (Connection connection = environment.agentPool().getConnection();
            Statement statement = connection.createStatement();
            ResultSet resultSet = statement.executeQuery(
                "SELECT last_index FROM source_checkpoints WHERE source_id = '" + source + "'"))
        {
            final long index = resultSet.next() ? resultSet.getLong(1) : -1;
            connection.commit();
            return index;
        }
        catch (final SQLException ex)
        {
            throw new AssertionError(ex);
        }
    }

    /**
     * The system's wall clock, less what it has been stepped back by.
     */
    private static final class SteppingClock implements EpochClock
    {
        private volatile long offsetMs;

        void stepBack(final long ms)
        {
            offsetMs -= ms;
        }

        public long time()
        {
            return System.currentTimeMillis() + offsetMs;
        }
    }
}
