package io.tradestate.writer;

import io.tradestate.codecs.BooleanType;
import io.tradestate.codecs.LockSide;
import io.tradestate.codecs.MessageHeaderEncoder;
import io.tradestate.codecs.PairLockEncoder;
import org.agrona.MutableDirectBuffer;

/**
 * A pair lock, as freqtrade's {@code PairLock}: no new entries on the pair and side until {@code lockEndTimeMs}.
 * Started by {@link TradeJournal#pairLock()}.
 * <p>
 * Required: {@code pair} and {@code lockEndTimeMs}, which must be after {@code lockTimeMs}.
 * <p>
 * A lock holds for the source that took it, as freqtrade's, unless {@link #allSources(boolean)} makes it a risk lock
 * that every source drained by the same agent honours: the state maps' {@code pairLockStatus} and the database's
 * {@code is_pair_locked} answer it for any source. Either kind is ended by an unlock of the source that took it.
 */
public final class PairLockEvent extends JournalEvent
{
    private static final int LOCK_TIME_MS = 0;
    private static final int LOCK_END_TIME_MS = 1;
    private static final int PAIR = 2;
    private static final int SIDE = 3;
    private static final int REASON = 4;
    private static final int ALL_SOURCES = 5;

    private static final String[] FIELD_NAMES =
    {
        "lockTimeMs", "lockEndTimeMs", "pair", "side", "reason", "allSources",
    };

    private static final long REQUIRED = 1L << PAIR | 1L << LOCK_END_TIME_MS;

    private final PairLockEncoder encoder = new PairLockEncoder();
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final AsciiField pair = new AsciiField("PairLock.pair", PairLockEncoder.pairLength());
    private final Utf8Field reason = new Utf8Field("PairLock.reason", MAX_TEXT_BYTES);
    private long lockTimeMs;
    private long lockEndTimeMs;
    private LockSide side;
    private boolean allSources;

    PairLockEvent(final JournalWriter writer)
    {
        super(writer, "PairLock", FIELD_NAMES, REQUIRED);
    }

    /**
     * When the lock starts; the append time unless set.
     *
     * @param lockTimeMs since the epoch, from 0 to {@link #MAX_EPOCH_MS}.
     * @return this for a fluent API.
     */
    public PairLockEvent lockTimeMs(final long lockTimeMs)
    {
        this.lockTimeMs = epochMs(LOCK_TIME_MS, lockTimeMs);
        return this;
    }

    /**
     * When the lock ends.
     *
     * @param lockEndTimeMs since the epoch, from 0 to {@link #MAX_EPOCH_MS}.
     * @return this for a fluent API.
     */
    public PairLockEvent lockEndTimeMs(final long lockEndTimeMs)
    {
        this.lockEndTimeMs = epochMs(LOCK_END_TIME_MS, lockEndTimeMs);
        return this;
    }

    /**
     * Pair to lock, or {@code *} for every pair: printable ASCII, at most 32 characters.
     *
     * @param pair value.
     * @return this for a fluent API.
     */
    public PairLockEvent pair(final CharSequence pair)
    {
        ascii(PAIR, this.pair, pair);
        return this;
    }

    /**
     * Side to lock: long, short or {@code ANY} (freqtrade's {@code *}); any unless set.
     *
     * @param side value.
     * @return this for a fluent API.
     */
    public PairLockEvent side(final LockSide side)
    {
        this.side = enumValue(SIDE, side, LockSide.NULL_VAL);
        return this;
    }

    /**
     * Whether every source honours the lock, not only this one: a risk lock across strategies. False unless set.
     * Needs a reader agent of schema version 2 or later; an older one stores the lock as this source's own.
     *
     * @param allSources true for a lock every source honours.
     * @return this for a fluent API.
     */
    public PairLockEvent allSources(final boolean allSources)
    {
        flag(ALL_SOURCES);
        this.allSources = allSources;
        return this;
    }

    /**
     * Why the pair is locked: UTF-8, at most 1024 bytes.
     *
     * @param reason text.
     * @return this for a fluent API.
     */
    public PairLockEvent reason(final CharSequence reason)
    {
        utf8(REASON, this.reason, reason);
        return this;
    }


    void clear()
    {
        lockTimeMs = PairLockEncoder.lockTimeMsNullValue();
        lockEndTimeMs = PairLockEncoder.lockEndTimeMsNullValue();
        pair.clear();
        side = LockSide.ANY;
        allSources = false;
        reason.clear();
    }

    void checkConsistency()
    {
        check(lockEndTimeMs > (isSet(LOCK_TIME_MS) ? lockTimeMs : nowMs()),
            "lockEndTimeMs must be after lockTimeMs (the append time unless set)");
    }

    int encodedLength()
    {
        return MessageHeaderEncoder.ENCODED_LENGTH + PairLockEncoder.BLOCK_LENGTH +
            PairLockEncoder.reasonHeaderLength() + reason.length();
    }

    void encode(final MutableDirectBuffer buffer, final long appendTimeNs)
    {
        final PairLockEncoder encoder = this.encoder.wrapAndApplyHeader(buffer, 0, headerEncoder);
        encoder.appendTimeNs(appendTimeNs);
        encoder.lockTimeMs(isSet(LOCK_TIME_MS) ? lockTimeMs : appendTimeNs / 1_000_000L);
        encoder.lockEndTimeMs(lockEndTimeMs);
        encoder.putPair(pair.bytes(), 0);
        encoder.side(side);
        encoder.allSources(allSources ? BooleanType.TRUE : BooleanType.FALSE);
        encoder.putReason(reason.bytes(), 0, reason.length());
    }
}
