package io.tradestate.reader.journal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;

/**
 * The sources one reader of the journals (the drain, or the state publisher) has stopped reading because reading them
 * threw: a damaged cycle file whose length word points past the end of the file (the mapped read faults, an
 * {@link InternalError}), an excerpt longer than any event ({@link JournalDamage}), a tailer that cannot be placed.
 * Whatever it is, it belongs to that source: the source is parked, the other sources go on.
 * <p>
 * A parked source is logged once at ERROR with the cause and what the operator can do, tried again after a delay
 * that doubles from {@link #FIRST_RETRY_MS} up to {@link #MAX_RETRY_MS} (a cause that changes is logged again), and
 * logged at INFO when it reads again. Used by its reader's thread only; {@link #count()} from any thread.
 */
public final class SourceParking
{
    /**
     * Delay before the first retry of a parked source.
     */
    public static final long FIRST_RETRY_MS = 1_000;

    /**
     * Longest delay between two retries.
     */
    static final long MAX_RETRY_MS = 60_000;

    private static final Logger LOGGER = LoggerFactory.getLogger(SourceParking.class);

    private final String reader;
    private final Map<String, Parked> parked = new HashMap<>();
    private volatile int count;

    /**
     * @param reader what reads the sources, for the log: "drain" or "state publisher".
     */
    public SourceParking(final String reader)
    {
        this.reader = reader;
    }

    /**
     * Whether a source is parked and its next retry is not due.
     *
     * @param sourceId the source.
     * @param nowMs    the reader's monotonic time.
     * @return true to skip the source now.
     */
    public boolean isWaiting(final String sourceId, final long nowMs)
    {
        if (parked.isEmpty())
        {
            return false;
        }
        final Parked source = parked.get(sourceId);
        return null != source && nowMs < source.retryAtMs;
    }

    /**
     * Whether a source is parked, waiting or due for a retry.
     *
     * @param sourceId the source.
     * @return true if parked.
     */
    public boolean isParked(final String sourceId)
    {
        return !parked.isEmpty() && parked.containsKey(sourceId);
    }

    /**
     * Reading a source threw: park it, or keep it parked with a longer delay.
     *
     * @param sourceId the source.
     * @param nowMs    the reader's monotonic time.
     * @param cause    what was thrown.
     */
    public void park(final String sourceId, final long nowMs, final Throwable cause)
    {
        final String reason = cause.toString();
        Parked source = parked.get(sourceId);
        if (null == source)
        {
            source = new Parked();
            parked.put(sourceId, source);
            count = parked.size();
        }
        else
        {
            source.delayMs = Math.min(source.delayMs * 2, MAX_RETRY_MS);
        }
        source.retryAtMs = nowMs + source.delayMs;
        source.failures++;
        if (!reason.equals(source.reason))
        {
            source.reason = reason;
            LOGGER.atError().addKeyValue("source", sourceId).setCause(cause).log("the {} stopped reading source {}: " +
                "{}; its queue is damaged or unreadable from there. The other sources go on; this one is retried, " +
                "first after {} ms, then at most every {} s. Inspect it with tradestate dump {}; once its writer " +
                "is stopped, moving the folder out of the journal root releases it", reader, sourceId, reason,
                FIRST_RETRY_MS, MAX_RETRY_MS / 1_000, sourceId);
        }
    }

    /**
     * A source was read without an exception: if it was parked, it is no longer.
     *
     * @param sourceId the source.
     */
    public void onRead(final String sourceId)
    {
        if (!parked.isEmpty())
        {
            final Parked source = parked.remove(sourceId);
            if (null != source)
            {
                count = parked.size();
                LOGGER.atInfo().addKeyValue("source", sourceId).log("the {} reads source {} again, after {} failed " +
                    "attempts", reader, sourceId, source.failures);
            }
        }
    }

    /**
     * A source is no longer read at all (its folder is gone).
     *
     * @param sourceId the source.
     */
    public void forget(final String sourceId)
    {
        if (null != parked.remove(sourceId))
        {
            count = parked.size();
        }
    }

    /**
     * Sources parked now.
     *
     * @return the count, from any thread.
     */
    public int count()
    {
        return count;
    }

    private static final class Parked
    {
        private long delayMs = FIRST_RETRY_MS;
        private long retryAtMs;
        private int failures;
        private String reason;
    }
}
