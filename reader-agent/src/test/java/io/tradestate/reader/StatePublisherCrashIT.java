package io.tradestate.reader;

import io.tradestate.codecs.OrderStatus;
import io.tradestate.codecs.OrderType;
import io.tradestate.codecs.OrderUpdateDecoder;
import io.tradestate.codecs.Side;
import io.tradestate.reader.state.StatePublisherAgent;
import io.tradestate.test.ChildJvm;
import io.tradestate.writer.JournalContext;
import io.tradestate.writer.TradeJournal;
import io.tradestate.writer.state.OrderEntry;
import io.tradestate.writer.state.TradeStateView;
import org.agrona.concurrent.SystemEpochClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A strategy reading the state maps while the agent that writes them dies: its lookups never wait beyond the stated
 * bound (the view's lock wait, 250 ms by default, plus scheduling) and never see a torn entry, and a lock left held
 * by a dead process is answered as unavailable until the restarted publisher's new generation takes over.
 */
class StatePublisherCrashIT
{
    private static final int ORDERS = 64;
    private static final long AMOUNT = 1_000_000_000L;
    private static final int KILL_ROUNDS = 12;
    private static final long STATED_BOUND_MS = 1_000;

    @TempDir
    Path root;

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void shouldNeverStallALookupBeyondTheBoundNorShowATornEntryWhenThePublisherIsKilled() throws Exception
    {
        final Path journalRoot = root.resolve("journal");
        final Path stateDir = root.resolve("state");
        final long[] lastSequence = new long[ORDERS];
        final AtomicReference<String> writerFailure = new AtomicReference<>();
        final Thread writer;
        try (TradeJournal journal = TradeJournal.open(new JournalContext()
            .journalRoot(journalRoot).sourceId("crash-writer").heartbeatIntervalMs(0)))
        {
            for (int k = 0; k < ORDERS; k++)
            {
                appendOrder(journal, k, 1);
                lastSequence[k] = 1;
            }
            writer = new Thread(() ->
            {
                try
                {
                    long sequence = 1;
                    while (!Thread.currentThread().isInterrupted())
                    {
                        sequence++;
                        for (int k = 0; k < ORDERS; k++)
                        {
                            appendOrder(journal, k, sequence);
                            lastSequence[k] = sequence;
                        }
                        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
                    }
                }
                catch (final RuntimeException ex)
                {
                    writerFailure.set(ex.toString());
                }
            }, "crash-writer");
            writer.start();

            final Process first = startPublisher(journalRoot, stateDir, 0);
            awaitLine(root.resolve("publisher-0.log"), "PUBLISHED", first);
            try (TradeStateView view = TradeStateView.open(stateDir))
            {
                assertTrue(view.awaitAvailable(60_000));
                final LookupLoop lookups = new LookupLoop(view);
                final Thread reader = new Thread(lookups, "state-reader");
                reader.start();

                final Random random = new Random(42);
                Process publisher = first;
                for (int round = 1; round <= KILL_ROUNDS; round++)
                {
                    Thread.sleep(100 + random.nextInt(900));
                    publisher.destroyForcibly().waitFor();
                    Thread.sleep(random.nextInt(300));
                    publisher = startPublisher(journalRoot, stateDir, round);
                    awaitLine(root.resolve("publisher-" + round + ".log"), "PUBLISHED", publisher);
                }

                writer.interrupt();
                writer.join();
                assertNull(writerFailure.get());

                final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                final OrderEntry order = new OrderEntry();
                for (int k = 0; k < ORDERS; k++)
                {
                    while (TradeStateView.FOUND != view.order("binance", "o-" + k, order) ||
                        order.decoder().filled().mantissa() != lastSequence[k])
                    {
                        assertTrue(System.nanoTime() < deadlineNs, "order o-" + k + " never reached its last update");
                        Thread.sleep(10);
                    }
                }

                lookups.stop = true;
                reader.join();
                publisher.destroyForcibly().waitFor();
                System.out.printf("state publisher killed %d times: %d lookups, %d unavailable, longest %.3f ms, " +
                    "%d generations%n", KILL_ROUNDS, lookups.lookups, lookups.unavailable.get(),
                    lookups.longestNs / 1e6, view.generation());
                assertNull(lookups.tornEntry, "an entry read while the publisher died was torn");
                assertTrue(lookups.longestNs < TimeUnit.MILLISECONDS.toNanos(STATED_BOUND_MS),
                    "longest lookup " + lookups.longestNs / 1e6 + " ms");
                assertTrue(lookups.lookups > 10_000, "the reader ran: " + lookups.lookups);
            }
        }
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void shouldAnswerUnavailableWithinTheBoundAndRecoverWhenAProcessDiesHoldingALock() throws Exception
    {
        final Path journalRoot = root.resolve("journal");
        final Path stateDir = root.resolve("state");
        try (TradeJournal journal = TradeJournal.open(new JournalContext()
            .journalRoot(journalRoot).sourceId("held-writer").heartbeatIntervalMs(0)))
        {
            for (int k = 0; k < ORDERS; k++)
            {
                appendOrder(journal, k, 1);
            }
            final ReaderContext context = ReaderContext.load(null, Map.of())
                .set(ReaderConfiguration.JOURNAL_ROOT, journalRoot.toString())
                .set(ReaderConfiguration.STATE_DIR, stateDir.toString())
                .set(ReaderConfiguration.STATE_ORDERS_ENTRIES, "10000")
                .set(ReaderConfiguration.STATE_TRADES_ENTRIES, "1000")
                .set(ReaderConfiguration.STATE_PAIR_LOCKS_ENTRIES, "1000")
                .set(ReaderConfiguration.STATE_BALANCES_ENTRIES, "1000")
                .set(ReaderConfiguration.STATE_LOCK_TIMEOUT_MS, "200")
                .conclude();
            final StatePublisherAgent publisher = new StatePublisherAgent(context, SystemEpochClock.INSTANCE);
            publisher.onStart();
            try (TradeStateView view = TradeStateView.open(stateDir, 100))
            {
                while (0 == publisher.publishedGeneration())
                {
                    publisher.doWork();
                }
                assertTrue(view.awaitAvailable(60_000));
                final OrderEntry order = new OrderEntry();
                assertEquals(TradeStateView.FOUND, view.order("binance", "o-7", order));

                final Path log = root.resolve("holder.log");
                final Process holder = ChildJvm.builder(StateLockHolderMain.class)
                    .arguments(stateDir.toString(), "binance", "o-7").workingDirectory(root).appendLog(log).start()
                    .process();
                awaitLine(log, "HOLDING", holder);
                holder.destroyForcibly().waitFor();

                long startNs = System.nanoTime();
                assertEquals(TradeStateView.UNAVAILABLE, view.order("binance", "o-7", order));
                final long stalledNs = System.nanoTime() - startNs;
                assertTrue(stalledNs >= TimeUnit.MILLISECONDS.toNanos(100), "waited the bound: " + stalledNs);
                assertTrue(stalledNs < TimeUnit.MILLISECONDS.toNanos(STATED_BOUND_MS), "stalled " + stalledNs);
                assertFalse(view.isAvailable());
                startNs = System.nanoTime();
                assertEquals(TradeStateView.UNAVAILABLE, view.order("binance", "o-8", order));
                assertTrue(System.nanoTime() - startNs < TimeUnit.MILLISECONDS.toNanos(50),
                    "later lookups on the dead generation answer at once");

                appendOrder(journal, 7, 2);
                final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (publisher.publishedGeneration() < 2)
                {
                    assertTrue(System.nanoTime() < deadlineNs, "the publisher never rebuilt");
                    publisher.doWork();
                }
                assertEquals(1, publisher.rebuilds());
                while (view.generation() < 2 || !view.isAvailable())
                {
                    assertTrue(System.nanoTime() < deadlineNs, "the view never switched");
                    Thread.sleep(5);
                }
                assertEquals(TradeStateView.FOUND, view.order("binance", "o-7", order));
                assertEquals(2, order.decoder().filled().mantissa());
                assertEquals(TradeStateView.FOUND, view.order("binance", "o-8", order));
            }
            finally
            {
                publisher.onClose();
            }
        }
    }

    private Process startPublisher(final Path journalRoot, final Path stateDir, final int life) throws IOException
    {
        return ChildJvm.builder(StatePublisherMain.class).arguments(journalRoot.toString(), stateDir.toString())
            .workingDirectory(root).appendLog(root.resolve("publisher-" + life + ".log")).start().process();
    }

    private static void awaitLine(final Path log, final String prefix, final Process process) throws Exception
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadlineNs)
        {
            if (Files.exists(log))
            {
                for (final String line : Files.readAllLines(log, StandardCharsets.UTF_8))
                {
                    if (line.startsWith(prefix))
                    {
                        return;
                    }
                }
            }
            if (!process.isAlive())
            {
                throw new AssertionError("child exited with " + process.exitValue() + ": " +
                    Files.readString(log, StandardCharsets.UTF_8));
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no line starting with " + prefix + " in " + log);
    }

    /**
     * Every update of order {@code o-k} carries its sequence in three fields that must agree, so an entry mixing
     * two updates is caught.
     */
    private static void appendOrder(final TradeJournal journal, final int k, final long sequence)
    {
        journal.orderUpdate()
            .exchange("binance").symbol("BTC/USDT").orderId("o-" + k).clientOrderId("c-" + sequence).tradeId(k)
            .side(Side.BUY).orderType(OrderType.LIMIT).status(OrderStatus.PARTIALLY_FILLED).price(sequence, -2)
            .amount(AMOUNT, -3).filled(sequence, -3).remaining(AMOUNT - sequence, -3)
            .commit();
    }

    private static final class LookupLoop implements Runnable
    {
        private final TradeStateView view;
        private final OrderEntry order = new OrderEntry();
        private final AtomicLong unavailable = new AtomicLong();
        private volatile boolean stop;
        private volatile long lookups;
        private volatile long longestNs;
        private volatile String tornEntry;

        LookupLoop(final TradeStateView view)
        {
            this.view = view;
        }

        public void run()
        {
            long count = 0;
            while (!stop)
            {
                final String orderId = "o-" + (count % ORDERS);
                final long startNs = System.nanoTime();
                final int result = view.order("binance", orderId, order);
                final long elapsedNs = System.nanoTime() - startNs;
                if (elapsedNs > longestNs)
                {
                    longestNs = elapsedNs;
                }
                if (TradeStateView.UNAVAILABLE == result)
                {
                    unavailable.incrementAndGet();
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                }
                else if (TradeStateView.FOUND == result)
                {
                    final OrderUpdateDecoder decoder = order.decoder();
                    final long filled = decoder.filled().mantissa();
                    final boolean consistent = decoder.price().mantissa() == filled &&
                        decoder.remaining().mantissa() == AMOUNT - filled &&
                        decoder.clientOrderId().equals("c-" + filled);
                    if (!consistent && null == tornEntry)
                    {
                        tornEntry = orderId + " filled " + filled + " price " + decoder.price().mantissa();
                    }
                }
                count++;
                lookups = count;
            }
        }
    }
}
