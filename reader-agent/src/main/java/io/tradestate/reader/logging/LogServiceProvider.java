package io.tradestate.reader.logging;

import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The slf4j 2 backend of TradeState's JVMs (reader agent, demo, tools), found by slf4j through
 * {@code META-INF/services/org.slf4j.spi.SLF4JServiceProvider}: one line per event on stderr, as human text,
 * logfmt or JSON lines ({@link LogConfiguration}).
 * <p>
 * <b>Design note.</b> slf4j-simple, the backend before, has a fixed text layout and no structured output; logback
 * with a JSON encoder would bring about 1 MB of jars, an XML configuration and a slower start for what is a few
 * hundred lines here, with no dependency beyond slf4j-api. Logging is off the hot path (start, stop, state changes,
 * failures), so simplicity wins over throughput: no queue, no background thread, one write per event. No MDC: no
 * code of TradeState uses it; context goes into key-value pairs ({@code LOGGER.atWarn().addKeyValue(...)}).
 */
public final class LogServiceProvider implements SLF4JServiceProvider
{
    /**
     * The slf4j API version this provider is built for.
     */
    public static final String REQUESTED_API_VERSION = "2.0.99";

    private final IMarkerFactory markerFactory = new BasicMarkerFactory();
    private final MDCAdapter mdcAdapter = new NOPMDCAdapter();
    private ILoggerFactory loggerFactory;

    public ILoggerFactory getLoggerFactory()
    {
        return loggerFactory;
    }

    public IMarkerFactory getMarkerFactory()
    {
        return markerFactory;
    }

    public MDCAdapter getMDCAdapter()
    {
        return mdcAdapter;
    }

    public String getRequestedApiVersion()
    {
        return REQUESTED_API_VERSION;
    }

    /**
     * Read the {@link LogConfiguration} from the system properties and the environment; slf4j calls it once.
     */
    public void initialize()
    {
        loggerFactory = new LineLoggerFactory(LogConfiguration.load(System.getProperties(), System.getenv(),
            System.err));
    }
}
