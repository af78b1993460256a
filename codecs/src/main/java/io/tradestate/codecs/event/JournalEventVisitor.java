package io.tradestate.codecs.event;

import org.agrona.DirectBuffer;

/**
 * Receives the fields of one journal event that {@link JournalEventReader} has checked, in schema order, each once:
 * a visitor never sees an event that fails a check, nor part of one. Text is handed over as bytes in the excerpt,
 * valid for the duration of the call.
 */
public interface JournalEventVisitor
{
    /**
     * An event begins.
     *
     * @param message      its message.
     * @param index        its queue index.
     * @param appendTimeNs its append time, also visited as the field {@code appendTimeNs}.
     */
    void onEventStart(JournalMessage message, long index, long appendTimeNs);

    /**
     * A field is null (absent).
     *
     * @param field the field.
     */
    void onNull(JournalField field);

    /**
     * A time field of kind {@link FieldKind#TIME_NS}.
     *
     * @param field   the field.
     * @param epochNs nanoseconds since the epoch.
     */
    void onTimeNs(JournalField field, long epochNs);

    /**
     * A time field of kind {@link FieldKind#TIME_MS}.
     *
     * @param field   the field.
     * @param epochMs milliseconds since the epoch, from 0 to {@link EventRules#MAX_EPOCH_MS}.
     */
    void onTimeMs(JournalField field, long epochMs);

    /**
     * A number field of kind {@link FieldKind#INT64} or {@link FieldKind#UINT16}.
     *
     * @param field the field.
     * @param value the number.
     */
    void onNumber(JournalField field, long value);

    /**
     * A text field: printable ASCII ({@link FieldKind#ASCII}, never empty: empty is null) or UTF-8 without NUL
     * ({@link FieldKind#UTF8}, may be empty: var-data has no null).
     *
     * @param field  the field.
     * @param buffer holding the bytes.
     * @param offset of the first byte.
     * @param length in bytes.
     */
    void onText(JournalField field, DirectBuffer buffer, int offset, int length);

    /**
     * An enum field.
     *
     * @param field   the field.
     * @param ordinal the encoded value; {@link JournalField#enumName(int)} names it.
     */
    void onEnum(JournalField field, int ordinal);

    /**
     * A boolean field.
     *
     * @param field the field.
     * @param value the truth.
     */
    void onBoolean(JournalField field, boolean value);

    /**
     * A decimal field: {@code mantissa x 10^exponent}.
     *
     * @param field    the field.
     * @param mantissa the digits.
     * @param exponent in [{@link EventRules#MIN_EXPONENT}, {@link EventRules#MAX_EXPONENT}].
     */
    void onDecimal(JournalField field, long mantissa, int exponent);

    /**
     * The event's last field has been visited.
     */
    void onEventEnd();
}
