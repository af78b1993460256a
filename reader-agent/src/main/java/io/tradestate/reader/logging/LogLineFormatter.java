package io.tradestate.reader.logging;

/**
 * Writes one {@link LogRecord} as text, ending with a newline.
 */
public interface LogLineFormatter
{
    /**
     * Append the event and the final newline.
     *
     * @param record to write.
     * @param out    receives the text.
     */
    void format(LogRecord record, StringBuilder out);
}
