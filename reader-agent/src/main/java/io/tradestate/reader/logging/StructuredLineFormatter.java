package io.tradestate.reader.logging;

import org.slf4j.event.KeyValuePair;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Set;

/**
 * The field set of the structured formats, in this order, one event per line:
 * <ol>
 *     <li>{@value #TS}: ISO-8601 in UTC with milliseconds, {@code 2026-05-01T12:00:00.123Z};</li>
 *     <li>{@value #LEVEL}: {@code error}, {@code warn}, {@code info}, {@code debug} or {@code trace};</li>
 *     <li>{@value #LOGGER}: the logger's full name, usually the class, {@code io.tradestate.reader.DrainAgent};</li>
 *     <li>{@value #THREAD}: the thread's name;</li>
 *     <li>{@value #MSG}: the message with its arguments in place (null if the code logged null);</li>
 *     <li>the key-value pairs the code added ({@code LOGGER.atWarn().addKeyValue("source", id)}), in order: keys
 *     are reduced to {@code [A-Za-z0-9_.-]} (anything else becomes {@code _}), and one named like a field of this
 *     list gets a {@code _} in front;</li>
 *     <li>with a cause only: {@value #ERROR_TYPE} (its class), {@value #ERROR_MESSAGE} (its message, may be null)
 *     and {@value #ERROR_STACK}, the whole stack trace with causes and suppressed exceptions, lines separated by
 *     {@code \n} inside the one escaped value.</li>
 * </ol>
 * Fields may be added at the end of this list in a later version; none is renamed or removed.
 */
public abstract class StructuredLineFormatter implements LogLineFormatter
{
    /**
     * When the event happened.
     */
    public static final String TS = "ts";

    /**
     * Its level, in lower case.
     */
    public static final String LEVEL = "level";

    /**
     * The logger's name.
     */
    public static final String LOGGER = "logger";

    /**
     * The thread's name.
     */
    public static final String THREAD = "thread";

    /**
     * The message.
     */
    public static final String MSG = "msg";

    /**
     * Class of the cause.
     */
    public static final String ERROR_TYPE = "error_type";

    /**
     * Message of the cause.
     */
    public static final String ERROR_MESSAGE = "error_message";

    /**
     * Stack trace of the cause.
     */
    public static final String ERROR_STACK = "error_stack";

    private static final Set<String> FIELDS = Set.of(TS, LEVEL, LOGGER, THREAD, MSG, ERROR_TYPE, ERROR_MESSAGE,
        ERROR_STACK);
    private static final DateTimeFormatter TIMESTAMP =
        DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    /**
     * {@inheritDoc}
     */
    public final void format(final LogRecord record, final StringBuilder out)
    {
        begin(out);
        field(out, TS, timestamp(record.timestampMs()), true);
        field(out, LEVEL, record.level().name().toLowerCase(Locale.ROOT), false);
        field(out, LOGGER, record.loggerName(), false);
        field(out, THREAD, record.threadName(), false);
        field(out, MSG, record.message(), false);
        for (final KeyValuePair pair : record.keyValues())
        {
            keyValue(out, key(pair.key), pair.value);
        }
        final Throwable error = record.error();
        if (null != error)
        {
            field(out, ERROR_TYPE, error.getClass().getName(), false);
            field(out, ERROR_MESSAGE, message(error), false);
            field(out, ERROR_STACK, stackTrace(error), false);
        }
        end(out);
    }

    /**
     * The time as the {@value #TS} field writes it.
     *
     * @param timestampMs epoch milliseconds.
     * @return e.g. {@code 2026-05-01T12:00:00.123Z}.
     */
    public static String timestamp(final long timestampMs)
    {
        return TIMESTAMP.format(Instant.ofEpochMilli(timestampMs));
    }

    /**
     * The full stack trace, as {@link Throwable#printStackTrace()} prints it, lines separated by {@code \n}, without
     * a final newline.
     *
     * @param error to print.
     * @return the text.
     */
    public static String stackTrace(final Throwable error)
    {
        final StringWriter text = new StringWriter();
        try (PrintWriter writer = new PrintWriter(text))
        {
            error.printStackTrace(writer);
        }
        catch (final RuntimeException ex)
        {
            text.append(error.getClass().getName()).append(" (its stack trace failed: ").append(ex.toString())
                .append(')');
        }
        String trace = text.toString().replace("\r\n", "\n");
        while (trace.endsWith("\n"))
        {
            trace = trace.substring(0, trace.length() - 1);
        }
        return trace;
    }

    /**
     * A key-value key as written: {@code [A-Za-z0-9_.-]} only, and never the name of a fixed field.
     *
     * @param key as the code gave it; may be null.
     * @return the key to write.
     */
    static String key(final String key)
    {
        if (null == key || key.isEmpty())
        {
            return "_";
        }
        final StringBuilder safe = new StringBuilder(key.length() + 1);
        for (int i = 0; i < key.length(); i++)
        {
            final char c = key.charAt(i);
            final boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '_' || c == '.' || c == '-';
            safe.append(allowed ? c : '_');
        }
        return FIELDS.contains(safe.toString()) ? "_" + safe : safe.toString();
    }

    /**
     * Start the line.
     *
     * @param out receives it.
     */
    protected abstract void begin(StringBuilder out);

    /**
     * Write one fixed field, a string or null.
     *
     * @param out   receives it.
     * @param name  of the field.
     * @param value its value; may be null.
     * @param first whether it is the first field of the line.
     */
    protected abstract void field(StringBuilder out, String name, String value, boolean first);

    /**
     * Write one key-value pair, never the first field; numbers and booleans may be written as such.
     *
     * @param out   receives it.
     * @param name  safe key.
     * @param value any object; may be null.
     */
    protected abstract void keyValue(StringBuilder out, String name, Object value);

    /**
     * End the line, newline included.
     *
     * @param out receives it.
     */
    protected abstract void end(StringBuilder out);

    /**
     * Whether a character must be escaped in any structured value: controls, DEL, the Unicode line and paragraph
     * separators and unpaired surrogates.
     *
     * @param text  the value.
     * @param index of the character.
     * @return true to escape it as {@code \}{@code uXXXX}.
     */
    static boolean mustEscape(final CharSequence text, final int index)
    {
        final char c = text.charAt(index);
        if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029')
        {
            return true;
        }
        if (Character.isHighSurrogate(c))
        {
            return index + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(index + 1));
        }
        if (Character.isLowSurrogate(c))
        {
            return index == 0 || !Character.isHighSurrogate(text.charAt(index - 1));
        }
        return false;
    }

    /**
     * Append {@code \}{@code uXXXX} for a character.
     *
     * @param out receives it.
     * @param c   the character.
     */
    static void unicodeEscape(final StringBuilder out, final char c)
    {
        final String hex = Integer.toHexString(c);
        out.append("\\u");
        for (int i = hex.length(); i < 4; i++)
        {
            out.append('0');
        }
        out.append(hex);
    }

    /**
     * The message of a cause, or null; never fails.
     *
     * @param error the cause.
     * @return its message.
     */
    private static String message(final Throwable error)
    {
        try
        {
            return error.getMessage();
        }
        catch (final RuntimeException ex)
        {
            return "(getMessage failed: " + ex + ")";
        }
    }
}
