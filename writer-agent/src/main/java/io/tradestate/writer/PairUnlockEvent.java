package io.tradestate.writer;

import io.tradestate.codecs.LockSide;
import io.tradestate.codecs.MessageHeaderEncoder;
import io.tradestate.codecs.PairUnlockEncoder;
import io.tradestate.codecs.UnlockScope;
import org.agrona.MutableDirectBuffer;

/**
 * Ends active pair locks, as freqtrade's {@code unlock_pair(pair, side)} when a {@code pair} is set, or its
 * {@code unlock_reason(reason)} when a {@code reason} is set instead. Locks are kept as history, inactive. Started by
 * {@link TradeJournal#pairUnlock()}.
 * <p>
 * Exactly one of {@code pair} and {@code reason} is required.
 */
public final class PairUnlockEvent extends JournalEvent
{
    private static final int UNLOCK_TIME_MS = 0;
    private static final int PAIR = 1;
    private static final int SIDE = 2;
    private static final int REASON = 3;

    private static final String[] FIELD_NAMES =
    {
        "unlockTimeMs", "pair", "side", "reason",
    };

    private static final long REQUIRED = 0;

    private final PairUnlockEncoder encoder = new PairUnlockEncoder();
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final AsciiField pair = new AsciiField("PairUnlock.pair", PairUnlockEncoder.pairLength());
    private final Utf8Field reason = new Utf8Field("PairUnlock.reason", MAX_TEXT_BYTES);
    private long unlockTimeMs;
    private LockSide side;

    PairUnlockEvent(final JournalWriter writer)
    {
        super(writer, "PairUnlock", FIELD_NAMES, REQUIRED);
    }

    /**
     * When the locks end; the append time unless set.
     *
     * @param unlockTimeMs since the epoch, from 0 to {@link #MAX_EPOCH_MS}.
     * @return this for a fluent API.
     */
    public PairUnlockEvent unlockTimeMs(final long unlockTimeMs)
    {
        this.unlockTimeMs = epochMs(UNLOCK_TIME_MS, unlockTimeMs);
        return this;
    }

    /**
     * Pair whose locks end, or {@code *}: printable ASCII, at most 32 characters.
     *
     * @param pair value.
     * @return this for a fluent API.
     */
    public PairUnlockEvent pair(final CharSequence pair)
    {
        ascii(PAIR, this.pair, pair);
        return this;
    }

    /**
     * Side whose locks end; any unless set.
     *
     * @param side value.
     * @return this for a fluent API.
     */
    public PairUnlockEvent side(final LockSide side)
    {
        this.side = enumValue(SIDE, side, LockSide.NULL_VAL);
        return this;
    }

    /**
     * End every active lock with exactly this reason instead of a pair's: UTF-8, at most 1024 bytes.
     *
     * @param reason text.
     * @return this for a fluent API.
     */
    public PairUnlockEvent reason(final CharSequence reason)
    {
        utf8(REASON, this.reason, reason);
        return this;
    }


    void clear()
    {
        unlockTimeMs = PairUnlockEncoder.unlockTimeMsNullValue();
        pair.clear();
        side = LockSide.ANY;
        reason.clear();
    }

    void checkConsistency()
    {
        check(isSet(PAIR) != isSet(REASON), "pair and PairUnlock.reason: set exactly one of them");
        check(!isSet(REASON) || reason.length() > 0, "reason must not be empty when unlocking by reason");
    }

    int encodedLength()
    {
        return MessageHeaderEncoder.ENCODED_LENGTH + PairUnlockEncoder.BLOCK_LENGTH +
            PairUnlockEncoder.reasonHeaderLength() + reason.length();
    }

    void encode(final MutableDirectBuffer buffer, final long appendTimeNs)
    {
        final PairUnlockEncoder encoder = this.encoder.wrapAndApplyHeader(buffer, 0, headerEncoder);
        encoder.appendTimeNs(appendTimeNs);
        encoder.unlockTimeMs(isSet(UNLOCK_TIME_MS) ? unlockTimeMs : appendTimeNs / 1_000_000L);
        encoder.scope(isSet(PAIR) ? UnlockScope.PAIR : UnlockScope.REASON);
        encoder.putPair(pair.bytes(), 0);
        encoder.side(side);
        encoder.putReason(reason.bytes(), 0, reason.length());
    }
}
