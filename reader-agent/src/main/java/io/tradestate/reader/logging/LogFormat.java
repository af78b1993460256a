package io.tradestate.reader.logging;


import java.util.Locale;

/**
 * How each log event is written: one line per event in {@link #LOGFMT} and {@link #JSON}, whose field set is
 * stable (see {@link StructuredLineFormatter}); human text, with a stack trace on the following lines, in
 * {@link #TEXT}.
 */
public enum LogFormat
{
    /**
     * {@code 2026-05-01T12:00:00.123Z [main] [INFO] ReaderAgentMain - message}, as slf4j-simple printed it.
     */
    TEXT,

    /**
     * {@code ts=2026-05-01T12:00:00.123Z level=info logger=... thread=main msg="message"}.
     */
    LOGFMT,

    /**
     * {@code {"ts":"2026-05-01T12:00:00.123Z","level":"info","logger":"...","thread":"main","msg":"message"}}.
     */
    JSON;

    /**
     * The format of this name, in any case.
     *
     * @param name {@code text}, {@code logfmt} or {@code json}.
     * @return the format, or null if the name is none of them.
     */
    public static LogFormat of(final String name)
    {
        if (null == name)
        {
            return null;
        }
        for (final LogFormat format : values())
        {
            if (format.name().equals(name.trim().toUpperCase(Locale.ROOT)))
            {
                return format;
            }
        }
        return null;
    }

    /**
     * The formatter writing this format.
     *
     * @return a new formatter; formatters are stateless.
     */
    public LogLineFormatter newFormatter()
    {
        switch (this)
        {
            case LOGFMT:
                return new LogfmtLineFormatter();
            case JSON:
                return new JsonLineFormatter();
            default:
                return new TextLineFormatter();
        }
    }
}
