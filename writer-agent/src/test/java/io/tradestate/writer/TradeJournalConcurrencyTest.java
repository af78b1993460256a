package io.tradestate.writer;

import io.tradestate.codecs.HeartbeatDecoder;
import io.tradestate.codecs.SourceStartedDecoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Threads appending to one journal at once each get every event in, whole, once and in their own order: each
 * thread has its own appender and the queue's write lock makes each excerpt atomic. The background thread appends
 * heartbeats among them.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TradeJournalConcurrencyTest
{
    private static final int THREADS = 4;
    private static final int EVENTS_PER_THREAD = 50_000;
    private static final long HEARTBEAT_INTERVAL_MS = 1;
    private static final String SOURCE_ID = "concurrent";

    @TempDir
    Path root;

    @Test
    void shouldKeepEveryEventOnceAndInThreadOrderWhenThreadsAppendConcurrently() throws Exception
    {
        final long[][] indices = new long[THREADS][EVENTS_PER_THREAD];
        try (TradeJournal journal = TradeJournal.open(new JournalContext()
            .journalRoot(root)
            .sourceId(SOURCE_ID)
            .heartbeatIntervalMs(HEARTBEAT_INTERVAL_MS)))
        {
            final ExecutorService executor = Executors.newFixedThreadPool(THREADS);
            try
            {
                final CountDownLatch start = new CountDownLatch(1);
                final Future<?>[] appenders = new Future<?>[THREADS];
                for (int thread = 0; thread < THREADS; thread++)
                {
                    final int stream = thread;
                    appenders[thread] = executor.submit(() ->
                    {
                        final NumberedEvents events = new NumberedEvents();
                        start.await();
                        for (int sequence = 0; sequence < EVENTS_PER_THREAD; sequence++)
                        {
                            indices[stream][sequence] = events.append(journal, stream, sequence);
                        }
                        return null;
                    });
                }

                start.countDown();
                for (final Future<?> appender : appenders)
                {
                    appender.get(60, TimeUnit.SECONDS);
                }
            }
            finally
            {
                executor.shutdownNow();
                assertTrue(executor.awaitTermination(10, TimeUnit.SECONDS));
            }
        }

        final List<JournalExcerpts.Excerpt> excerpts = JournalExcerpts.readAll(root.resolve(SOURCE_ID));
        final NumberedEvents events = new NumberedEvents();
        final long[] nextSequence = new long[THREADS];
        final long pid = ProcessHandle.current().pid();
        int sourceStarted = 0;
        int heartbeats = 0;
        long previousIndex = Long.MIN_VALUE;
        int previousStream = -1;
        int streamSwitches = 0;
        for (final JournalExcerpts.Excerpt excerpt : excerpts)
        {
            final int templateId;
            try
            {
                templateId = events.decode(excerpt.buffer, 0, excerpt.bytes.length);
            }
            catch (final AssertionError ex)
            {
                throw new AssertionError("excerpt at index 0x" + Long.toHexString(excerpt.index) + ": " +
                    ex.getMessage(), ex);
            }

            assertTrue(excerpt.index > previousIndex, "indices must increase");
            previousIndex = excerpt.index;
            if (SourceStartedDecoder.TEMPLATE_ID == templateId)
            {
                sourceStarted++;
                assertEquals(pid, events.pid());
            }
            else if (HeartbeatDecoder.TEMPLATE_ID == templateId)
            {
                heartbeats++;
                assertEquals(pid, events.pid());
            }
            else
            {
                final int stream = events.stream();
                final long sequence = events.sequence();
                assertTrue(stream >= 0 && stream < THREADS, "stream " + stream);
                assertEquals(nextSequence[stream], sequence, "thread " + stream + " out of order or duplicated");
                assertEquals(indices[stream][(int)sequence], excerpt.index,
                    "thread " + stream + " sequence " + sequence + ": index returned by commit");
                nextSequence[stream]++;
                streamSwitches += stream != previousStream ? 1 : 0;
                previousStream = stream;
            }
        }

        assertEquals(1, sourceStarted, "SourceStarted");
        for (int thread = 0; thread < THREADS; thread++)
        {
            assertEquals(EVENTS_PER_THREAD, nextSequence[thread], "events of thread " + thread);
        }
        assertEquals(1 + heartbeats + THREADS * EVENTS_PER_THREAD, excerpts.size());
        assertTrue(streamSwitches > THREADS, "the threads never interleaved: nothing concurrent was tested");
        System.out.printf(
            "%,d events of %d threads (interleaved %,d times) and %d heartbeats read back whole, once, in order%n",
            THREADS * EVENTS_PER_THREAD, THREADS, streamSwitches, heartbeats);
    }
}
