package io.tradestate.codecs.event;

/**
 * How a field of a journal event is encoded, and so how {@link JournalEventReader} checks it and which
 * {@link JournalEventVisitor} call hands it on.
 */
public enum FieldKind
{
    /**
     * Nanoseconds since the epoch, {@code int64}; {@link Long#MIN_VALUE} is null. A required one (the append time)
     * must lie in [{@link EventRules#MIN_APPEND_TIME_NS}, {@link EventRules#MAX_APPEND_TIME_NS}).
     */
    TIME_NS,

    /**
     * Milliseconds since the epoch, {@code int64}, from 0 to {@link EventRules#MAX_EPOCH_MS}; {@link Long#MIN_VALUE}
     * is null.
     */
    TIME_MS,

    /**
     * A signed {@code int64}; {@link Long#MIN_VALUE} is null unless the field is {@link Presence#ALWAYS} there.
     */
    INT64,

    /**
     * An unsigned {@code uint16}, always there.
     */
    UINT16,

    /**
     * Fixed-length printable ASCII, zero-padded; empty is null.
     */
    ASCII,

    /**
     * A {@code uint8} enum; 255 is null, every other value must name one of the field's {@link JournalField#enumName}.
     */
    ENUM,

    /**
     * A {@code uint8} of 0 or 1, always there.
     */
    BOOLEAN,

    /**
     * An exact decimal: an {@code int64} mantissa ({@link Long#MIN_VALUE} is null) and an {@code int8} exponent in
     * [{@link EventRules#MIN_EXPONENT}, {@link EventRules#MAX_EXPONENT}].
     */
    DECIMAL,

    /**
     * Var-data UTF-8 text after the block, a {@code uint16} length then the bytes: valid UTF-8 without NUL, at most
     * {@link EventRules#MAX_TEXT_BYTES}; may be empty.
     */
    UTF8
}
