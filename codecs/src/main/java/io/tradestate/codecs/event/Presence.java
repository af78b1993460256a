package io.tradestate.codecs.event;

/**
 * Whether a field of a journal event may be null.
 */
public enum Presence
{
    /**
     * May be null.
     */
    OPTIONAL,

    /**
     * Must not be null: an event without it is refused.
     */
    REQUIRED,

    /**
     * Required when the event's {@code scope} is {@code pair}, optional otherwise ({@code PairUnlock.pair}).
     */
    REQUIRED_FOR_PAIR_SCOPE,

    /**
     * Has no null value: every encoding is a value ({@code pid}, {@code schemaVersion}, booleans).
     */
    ALWAYS
}
