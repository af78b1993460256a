package io.tradestate.writer;

import io.tradestate.codecs.HeartbeatDecoder;
import io.tradestate.codecs.SourceStartedDecoder;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Tails a journal of {@link NumberedEvents} written by a succession of writers, in a read-only queue instance of its
 * own, as the reader agent will, and checks every excerpt it can read, in place in the mapped file.
 * <p>
 * Why not {@link JournalExcerpts}: a crash test appends millions of events, and a copy of each on the heap would
 * not fit a test JVM. This reads them where they are and keeps a few counters per stream.
 * <p>
 * What it requires: every excerpt decodes completely to exactly its length ({@link NumberedEvents#decode}); each
 * writer's section starts with its {@code SourceStarted}, and holds only its own heartbeats and the events of its
 * own stream; each stream's sequences follow 0, 1, 2... with no gap and no duplicate; and the event a writer last
 * published as committed is at the queue index its commit returned. It can be polled again as writers come and go:
 * the tailer carries on from where it stopped.
 * <p>
 * The queue is opened at the first use, which must come after a writer created it: a read-only queue opened
 * before its metadata file exists never sees the write lock.
 */
final class JournalVerifier implements AutoCloseable
{
    private static final int MAX_STREAMS = 64;
    private static final String WRITE_LOCK_KEY = "chronicle.write.lock";

    private final Path queueDirectory;
    private SingleChronicleQueue queue;
    private ExcerptTailer tailer;
    private final NumberedEvents events = new NumberedEvents();
    private final UnsafeBuffer buffer = new UnsafeBuffer(0, 0);
    private final Map<Long, Integer> streamByPid = new HashMap<>();
    private final long[] nextSequence = new long[MAX_STREAMS];
    private final long[] committed = new long[MAX_STREAMS];
    private final long[] committedIndex = new long[MAX_STREAMS];
    private final boolean[] committedIndexChecked = new boolean[MAX_STREAMS];
    private long currentPid = -1;
    private int currentStream = -1;
    private long excerpts;
    private long lastIndex = -1;

    JournalVerifier(final Path queueDirectory)
    {
        this.queueDirectory = queueDirectory;
        Arrays.fill(committed, -1);
    }

    /**
     * Declare a writer before its excerpts are polled.
     *
     * @param pid    of the writing process, as in its {@code SourceStarted}.
     * @param stream of the events it appends.
     */
    void writer(final long pid, final int stream)
    {
        streamByPid.put(pid, stream);
    }

    /**
     * Declare what a writer published as committed before it died, before the event it names is polled.
     *
     * @param stream    of the writer.
     * @param count     of events whose commit had returned: sequences 0 to count - 1.
     * @param lastIndex the queue index the commit of sequence count - 1 returned.
     */
    void committed(final int stream, final long count, final long lastIndex)
    {
        committed[stream] = count;
        committedIndex[stream] = lastIndex;
    }

    /**
     * Read and check every excerpt readable now.
     *
     * @return how many were read.
     * @throws AssertionError at the first excerpt that is not as it should be.
     */
    long poll()
    {
        open();
        long read = 0;
        while (true)
        {
            try (DocumentContext context = tailer.readingDocument())
            {
                if (!context.isPresent())
                {
                    break;
                }

                final long index = context.index();
                final Bytes<?> bytes = context.wire().bytes();
                final int length = (int)bytes.readRemaining();
                buffer.wrap(bytes.addressForRead(bytes.readPosition()), length);
                try
                {
                    check(index, events.decode(buffer, 0, length));
                }
                catch (final AssertionError ex)
                {
                    throw new AssertionError("excerpt at index 0x" + Long.toHexString(index) + " (" + length +
                        " bytes, excerpt " + excerpts + " of the queue): " + ex.getMessage(), ex);
                }

                lastIndex = index;
                excerpts++;
                read++;
            }
        }

        return read;
    }

    /**
     * Events of a stream read so far; as they are contiguous from 0, also the next sequence expected.
     *
     * @param stream of a writer.
     * @return the count.
     */
    long found(final int stream)
    {
        return nextSequence[stream];
    }

    /**
     * Whether the event a writer last published as committed was read, at the index its commit returned.
     *
     * @param stream of a writer.
     * @return true once checked.
     */
    boolean committedIndexChecked(final int stream)
    {
        return committedIndexChecked[stream];
    }

    /**
     * Excerpts read so far, all types.
     *
     * @return the count.
     */
    long excerpts()
    {
        return excerpts;
    }

    /**
     * Queue index of the last excerpt read.
     *
     * @return the index, -1 before the first.
     */
    long lastIndex()
    {
        return lastIndex;
    }

    /**
     * Who holds the queue's write lock now, read from its metadata file.
     *
     * @return the pid of the holder, or a negative value when nobody holds it.
     */
    long writeLockHolder()
    {
        open();
        return queue.tableStoreGet(WRITE_LOCK_KEY);
    }

    public void close()
    {
        if (null != queue)
        {
            tailer.close();
            queue.close();
        }
    }

    private void open()
    {
        if (null == queue)
        {
            queue = SingleChronicleQueueBuilder.single(queueDirectory.toFile()).readOnly(true).build();
            tailer = queue.createTailer();
        }
    }

    private void check(final long index, final int templateId)
    {
        if (SourceStartedDecoder.TEMPLATE_ID == templateId)
        {
            final Integer stream = streamByPid.get(events.pid());
            if (null == stream)
            {
                throw new AssertionError("SourceStarted of an unknown writer, pid " + events.pid());
            }
            currentPid = events.pid();
            currentStream = stream;
        }
        else if (HeartbeatDecoder.TEMPLATE_ID == templateId)
        {
            if (events.pid() != currentPid)
            {
                throw new AssertionError("Heartbeat of pid " + events.pid() + " in the section of pid " + currentPid);
            }
        }
        else
        {
            final int stream = events.stream();
            final long sequence = events.sequence();
            if (stream != currentStream)
            {
                throw new AssertionError("event of stream " + stream + " sequence " + sequence +
                    " in the section of the writer of stream " + currentStream + " (pid " + currentPid + ")");
            }

            if (sequence != nextSequence[stream])
            {
                throw new AssertionError("stream " + stream + ": sequence " + sequence + " follows " +
                    (nextSequence[stream] - 1) + (sequence < nextSequence[stream] ? " (a duplicate)" : " (a gap)"));
            }

            if (sequence == committed[stream] - 1)
            {
                if (index != committedIndex[stream])
                {
                    throw new AssertionError("stream " + stream + " sequence " + sequence + " is at index 0x" +
                        Long.toHexString(index) + " but its commit returned 0x" +
                        Long.toHexString(committedIndex[stream]));
                }
                committedIndexChecked[stream] = true;
            }

            nextSequence[stream]++;
        }
    }
}
