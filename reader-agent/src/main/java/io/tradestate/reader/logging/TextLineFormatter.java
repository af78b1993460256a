package io.tradestate.reader.logging;

import org.slf4j.event.KeyValuePair;

/**
 * Human text, as slf4j-simple printed it for this project (the tests and operators' habits rely on it):
 * {@code 2026-05-01T12:00:00.123Z [thread] [INFO] ShortLoggerName - message}, then the key-value pairs as
 * {@code  key=value} (logfmt values), then the stack trace on the following lines. Not one event per line: for
 * people, not for parsers.
 */
public final class TextLineFormatter implements LogLineFormatter
{
    /**
     * {@inheritDoc}
     */
    public void format(final LogRecord record, final StringBuilder out)
    {
        final String loggerName = record.loggerName();
        out.append(StructuredLineFormatter.timestamp(record.timestampMs()))
            .append(" [").append(record.threadName()).append("] [").append(record.level().name()).append("] ")
            .append(loggerName.substring(loggerName.lastIndexOf('.') + 1)).append(" - ").append(record.message());
        for (final KeyValuePair pair : record.keyValues())
        {
            out.append(' ').append(StructuredLineFormatter.key(pair.key)).append('=');
            LogfmtLineFormatter.value(out, null == pair.value ? null : String.valueOf(pair.value));
        }
        out.append('\n');
        if (null != record.error())
        {
            out.append(StructuredLineFormatter.stackTrace(record.error())).append('\n');
        }
    }
}
