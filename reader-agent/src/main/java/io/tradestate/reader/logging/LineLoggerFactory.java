package io.tradestate.reader.logging;

import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Makes one {@link LineLogger} per name, with the format and the level the {@link LogConfiguration} gives it.
 */
final class LineLoggerFactory implements ILoggerFactory
{
    private final ConcurrentMap<String, Logger> loggers = new ConcurrentHashMap<>();
    private final LogConfiguration configuration;
    private final LogLineFormatter formatter;

    LineLoggerFactory(final LogConfiguration configuration)
    {
        this.configuration = configuration;
        this.formatter = configuration.format().newFormatter();
    }

    public Logger getLogger(final String name)
    {
        return loggers.computeIfAbsent(name,
            (loggerName) -> new LineLogger(loggerName, formatter, configuration.threshold(loggerName)));
    }
}
