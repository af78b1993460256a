package io.tradestate.tools;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Writes journal times as ISO-8601 in UTC with a fixed number of fraction digits: milliseconds as
 * {@code 2026-05-01T12:00:00.123Z}, nanoseconds as {@code 2026-05-01T12:00:00.123456789Z}. Fixed widths keep the
 * text sortable and tell the reader which unit the journal holds.
 */
final class TimestampText
{
    private static final DateTimeFormatter MILLIS =
        DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter NANOS =
        DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

    private TimestampText()
    {
    }

    /**
     * Append a time given in milliseconds since the epoch.
     *
     * @param out     to append to.
     * @param epochMs milliseconds since 1970-01-01T00:00:00Z.
     * @return {@code out}.
     */
    public static StringBuilder appendMillis(final StringBuilder out, final long epochMs)
    {
        MILLIS.formatTo(Instant.ofEpochMilli(epochMs), out);
        return out;
    }

    /**
     * Append a time given in nanoseconds since the epoch.
     *
     * @param out     to append to.
     * @param epochNs nanoseconds since 1970-01-01T00:00:00Z.
     * @return {@code out}.
     */
    public static StringBuilder appendNanos(final StringBuilder out, final long epochNs)
    {
        NANOS.formatTo(Instant.ofEpochSecond(Math.floorDiv(epochNs, 1_000_000_000L),
            Math.floorMod(epochNs, 1_000_000_000L)), out);
        return out;
    }
}
