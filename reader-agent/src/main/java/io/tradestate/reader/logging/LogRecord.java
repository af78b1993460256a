package io.tradestate.reader.logging;

import org.slf4j.event.KeyValuePair;
import org.slf4j.event.Level;

import java.util.List;

/**
 * One log event, its message already formatted: what a {@link LogLineFormatter} writes.
 */
public final class LogRecord
{
    private final long timestampMs;
    private final Level level;
    private final String loggerName;
    private final String threadName;
    private final String message;
    private final List<KeyValuePair> keyValues;
    private final Throwable error;

    /**
     * An event.
     *
     * @param timestampMs epoch milliseconds.
     * @param level       of the event.
     * @param loggerName  full name of the logger.
     * @param threadName  of the thread that logged.
     * @param message     with its arguments in place; may be null.
     * @param keyValues   from the fluent API ({@code addKeyValue}), in order; empty for none.
     * @param error       the cause, or null.
     */
    public LogRecord(
        final long timestampMs,
        final Level level,
        final String loggerName,
        final String threadName,
        final String message,
        final List<KeyValuePair> keyValues,
        final Throwable error)
    {
        this.timestampMs = timestampMs;
        this.level = level;
        this.loggerName = loggerName;
        this.threadName = threadName;
        this.message = message;
        this.keyValues = null == keyValues ? List.of() : keyValues;
        this.error = error;
    }

    /**
     * When it happened.
     *
     * @return epoch milliseconds.
     */
    public long timestampMs()
    {
        return timestampMs;
    }

    /**
     * Its level.
     *
     * @return the level.
     */
    public Level level()
    {
        return level;
    }

    /**
     * The logger's full name.
     *
     * @return e.g. {@code io.tradestate.reader.DrainAgent}.
     */
    public String loggerName()
    {
        return loggerName;
    }

    /**
     * The thread that logged.
     *
     * @return its name.
     */
    public String threadName()
    {
        return threadName;
    }

    /**
     * The message, arguments in place.
     *
     * @return the message; may be null.
     */
    public String message()
    {
        return message;
    }

    /**
     * Context added with {@code addKeyValue}.
     *
     * @return the pairs, in order.
     */
    public List<KeyValuePair> keyValues()
    {
        return keyValues;
    }

    /**
     * The cause.
     *
     * @return the throwable, or null.
     */
    public Throwable error()
    {
        return error;
    }
}
