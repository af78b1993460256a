package io.tradestate.reader.logging;

import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.event.LoggingEvent;
import org.slf4j.helpers.FormattingTuple;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.spi.LoggingEventAware;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * A logger writing each event as one {@link LogLineFormatter} line to the standard error stream of the moment
 * (systemd's journal under the unit; a test may have replaced {@link System#err}). The line is built first and
 * written as UTF-8 bytes in one call, so lines of different threads never interleave and the locale's charset never
 * turns a character into {@code ?}. Markers are ignored. Being {@link LoggingEventAware}, it receives the fluent
 * API's key-value pairs apart from the message.
 * <p>
 * Off the hot path by design: each event allocates its line.
 */
final class LineLogger extends LegacyAbstractLogger implements LoggingEventAware
{
    private static final long serialVersionUID = 1L;

    private final transient LogLineFormatter formatter;
    private final int threshold;

    LineLogger(final String name, final LogLineFormatter formatter, final int threshold)
    {
        this.name = name;
        this.formatter = formatter;
        this.threshold = threshold;
    }

    public boolean isTraceEnabled()
    {
        return Level.TRACE.toInt() >= threshold;
    }

    public boolean isDebugEnabled()
    {
        return Level.DEBUG.toInt() >= threshold;
    }

    public boolean isInfoEnabled()
    {
        return Level.INFO.toInt() >= threshold;
    }

    public boolean isWarnEnabled()
    {
        return Level.WARN.toInt() >= threshold;
    }

    public boolean isErrorEnabled()
    {
        return Level.ERROR.toInt() >= threshold;
    }

    public void log(final LoggingEvent event)
    {
        if (event.getLevel().toInt() < threshold)
        {
            return;
        }
        final Object[] arguments = event.getArgumentArray();
        Throwable error = event.getThrowable();
        String message = event.getMessage();
        if (null != arguments && arguments.length > 0)
        {
            if (null == error)
            {
                // As the classic API does: a Throwable last argument is the cause, not a message argument.
                final FormattingTuple tuple = MessageFormatter.arrayFormat(message, arguments);
                message = tuple.getMessage();
                error = tuple.getThrowable();
            }
            else
            {
                message = MessageFormatter.basicArrayFormat(message, arguments);
            }
        }
        final long timestampMs = 0 == event.getTimeStamp() ? System.currentTimeMillis() : event.getTimeStamp();
        write(new LogRecord(timestampMs, event.getLevel(), name, threadName(event), message,
            event.getKeyValuePairs(), error));
    }

    protected String getFullyQualifiedCallerName()
    {
        return null;
    }

    protected void handleNormalizedLoggingCall(
        final Level level,
        final Marker marker,
        final String messagePattern,
        final Object[] arguments,
        final Throwable throwable)
    {
        final String message = null == arguments || arguments.length == 0 ? messagePattern :
            MessageFormatter.basicArrayFormat(messagePattern, arguments);
        write(new LogRecord(System.currentTimeMillis(), level, name, Thread.currentThread().getName(), message,
            null, throwable));
    }

    private void write(final LogRecord record)
    {
        final StringBuilder line = new StringBuilder(256);
        formatter.format(record, line);
        final byte[] bytes = line.toString().getBytes(StandardCharsets.UTF_8);
        final PrintStream err = System.err;
        err.write(bytes, 0, bytes.length);
        err.flush();
    }

    private static String threadName(final LoggingEvent event)
    {
        final String threadName = event.getThreadName();
        return null == threadName ? Thread.currentThread().getName() : threadName;
    }
}
