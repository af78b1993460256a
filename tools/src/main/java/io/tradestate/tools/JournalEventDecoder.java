package io.tradestate.tools;

import io.tradestate.codecs.event.FieldKind;
import io.tradestate.codecs.event.JournalEventReader;
import io.tradestate.codecs.event.JournalEventVisitor;
import io.tradestate.codecs.event.JournalField;
import io.tradestate.codecs.event.JournalMessage;
import org.agrona.DirectBuffer;

/**
 * Checks one journal excerpt and writes every field of it to a {@link JsonEventWriter}; an excerpt that fails a
 * check is not written and {@link #decode} says why.
 * <p>
 * Design: the checks are {@link JournalEventReader}'s, the drainer's own, so an entry the drainer dead-letters shows
 * here as undecodable, for the same reason. This class is its visitor: each field becomes a member named as in the
 * schema, a time also as ISO-8601 beside it ({@code exchangeTimeMs} and {@code exchangeTime}), a null or an empty
 * free text as {@code null}, an enum as its stored name, a decimal as an exact string.
 * <p>
 * The values the dump filters on (message name, symbol or pair, order ids, append time) are kept after a decode.
 */
final class JournalEventDecoder implements JournalEventVisitor
{
    static final String UNDECODABLE = "undecodable";

    private final JournalEventReader reader = new JournalEventReader();
    private final StringBuilder symbol = new StringBuilder(32);
    private final StringBuilder orderId = new StringBuilder(64);
    private final StringBuilder clientOrderId = new StringBuilder(64);
    private final JsonEventWriter json;
    private String message = UNDECODABLE;
    private long appendTimeNs = Long.MIN_VALUE;

    JournalEventDecoder(final JsonEventWriter json)
    {
        this.json = json;
    }

    /**
     * Check and write one excerpt as a JSON object.
     *
     * @param index  the excerpt's queue index.
     * @param buffer the excerpt's bytes.
     * @param offset of the excerpt in the buffer.
     * @param length of the excerpt.
     * @return null if the JSON writer holds the event, else why the excerpt cannot be decoded.
     */
    String decode(final long index, final DirectBuffer buffer, final int offset, final int length)
    {
        abort();
        final String failure = reader.read(index, buffer, offset, length, this);
        if (null == failure)
        {
            message = reader.message().messageName();
            appendTimeNs = reader.appendTimeNs();
        }
        return failure;
    }

    /**
     * Forget the last entry: it is undecodable, with no symbol, order id or append time. For a caller whose
     * {@link #decode} call threw.
     */
    void abort()
    {
        message = UNDECODABLE;
        appendTimeNs = Long.MIN_VALUE;
        symbol.setLength(0);
        orderId.setLength(0);
        clientOrderId.setLength(0);
    }

    /**
     * Message name of the last excerpt decoded, {@code undecodable} if it failed.
     *
     * @return the name, as in the schema.
     */
    String messageName()
    {
        return message;
    }

    /**
     * The symbol or pair of the last event decoded.
     *
     * @return the text, empty if the event has none.
     */
    CharSequence symbol()
    {
        return symbol;
    }

    /**
     * The order id of the last event decoded.
     *
     * @return the text, empty if the event has none.
     */
    CharSequence orderId()
    {
        return orderId;
    }

    /**
     * The client order id of the last event decoded.
     *
     * @return the text, empty if the event has none.
     */
    CharSequence clientOrderId()
    {
        return clientOrderId;
    }

    /**
     * The append time of the last event decoded.
     *
     * @return nanoseconds since the epoch, {@link Long#MIN_VALUE} if the excerpt failed.
     */
    long appendTimeNs()
    {
        return appendTimeNs;
    }

    public void onEventStart(final JournalMessage message, final long index, final long appendTimeNs)
    {
        json.begin()
            .number("index", index)
            .string("indexHex", "0x" + Long.toHexString(index))
            .string("type", message.messageName())
            .number("appendTimeNs", appendTimeNs)
            .timeNs("appendTime", appendTimeNs);
    }

    public void onNull(final JournalField field)
    {
        if (0 != field.position())
        {
            json.nullValue(field.name());
            if (null != field.isoName())
            {
                json.nullValue(field.isoName());
            }
        }
    }

    public void onTimeNs(final JournalField field, final long epochNs)
    {
        // The append time, the first field, opened the object.
        if (0 != field.position())
        {
            json.number(field.name(), epochNs).timeNs(field.isoName(), epochNs);
        }
    }

    public void onTimeMs(final JournalField field, final long epochMs)
    {
        json.number(field.name(), epochMs).timeMs(field.isoName(), epochMs);
    }

    public void onNumber(final JournalField field, final long value)
    {
        json.number(field.name(), value);
    }

    public void onText(final JournalField field, final DirectBuffer buffer, final int offset, final int length)
    {
        if (0 == length)
        {
            json.nullValue(field.name());
        }
        else if (FieldKind.ASCII == field.kind())
        {
            json.asciiString(field.name(), buffer, offset, length);
            final StringBuilder capture = captureOf(field);
            if (null != capture)
            {
                for (int i = 0; i < length; i++)
                {
                    capture.append((char)buffer.getByte(offset + i));
                }
            }
        }
        else
        {
            json.utf8String(field.name(), buffer, offset, length);
        }
    }

    public void onEnum(final JournalField field, final int ordinal)
    {
        json.string(field.name(), field.enumName(ordinal));
    }

    public void onBoolean(final JournalField field, final boolean value)
    {
        json.bool(field.name(), value);
    }

    public void onDecimal(final JournalField field, final long mantissa, final int exponent)
    {
        json.decimal(field.name(), mantissa, exponent);
    }

    public void onEventEnd()
    {
        json.end();
    }

    private StringBuilder captureOf(final JournalField field)
    {
        switch (field.name())
        {
            case "symbol":
            case "pair":
                return symbol;
            case "orderId":
                return orderId;
            case "clientOrderId":
                return clientOrderId;
            default:
                return null;
        }
    }
}
