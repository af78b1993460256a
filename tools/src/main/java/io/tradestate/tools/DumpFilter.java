package io.tradestate.tools;

import java.util.Set;

/**
 * Decides whether a decoded entry is printed: its type, symbol or pair, order id and append time against the
 * options. Every filter given must match. The index bounds are the {@link JournalDumpAgent}'s, which can stop at the
 * upper one.
 * <p>
 * An undecodable entry has type {@code undecodable}, no symbol and no order id, so it passes only when neither
 * {@code --symbol} nor {@code --order-id} is given and {@code --type}, if given, names {@code undecodable}. For a
 * time range its append time is read where every message of the schema keeps it, right after the header, if the
 * entry is long enough; otherwise it has none and a time range leaves it out.
 */
final class DumpFilter
{
    private final Set<String> types;
    private final String symbol;
    private final String orderId;
    private final boolean timeRange;
    private final long fromTimeNs;
    private final long toTimeNs;

    DumpFilter(final DumpOptions options)
    {
        this.types = options.types();
        this.symbol = options.symbol();
        this.orderId = options.orderId();
        this.timeRange = options.hasTimeRange();
        this.fromTimeNs = options.fromTimeNs();
        this.toTimeNs = options.toTimeNs();
    }

    /**
     * Whether the entry the decoder last decoded is printed.
     *
     * @param decoder      after {@link JournalEventDecoder#decode}.
     * @param appendTimeNs the entry's append time, {@link Long#MIN_VALUE} if it has none.
     * @return true to print it.
     */
    boolean matches(final JournalEventDecoder decoder, final long appendTimeNs)
    {
        if (!types.isEmpty() && !types.contains(decoder.messageName()))
        {
            return false;
        }
        if (null != symbol && !symbol.contentEquals(decoder.symbol()))
        {
            return false;
        }
        if (null != orderId && !orderId.contentEquals(decoder.orderId()) &&
            !orderId.contentEquals(decoder.clientOrderId()))
        {
            return false;
        }
        if (timeRange && (Long.MIN_VALUE == appendTimeNs || appendTimeNs < fromTimeNs || appendTimeNs >= toTimeNs))
        {
            return false;
        }
        return true;
    }
}
