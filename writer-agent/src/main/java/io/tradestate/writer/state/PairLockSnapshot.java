package io.tradestate.writer.state;

import io.tradestate.codecs.LockSide;

/**
 * A pair lock that holds, as a restarted strategy gets it back ({@link TradeContinuity}).
 *
 * @param pair          the pair, or {@code *}.
 * @param side          the side; {@link LockSide#ANY} is freqtrade's {@code *}.
 * @param lockTimeMs    when it was taken, ms since the epoch.
 * @param lockEndTimeMs when it ends, ms since the epoch.
 * @param reason        its reason, empty if none (from the state maps, at most the first 60 bytes).
 * @param queueIndex    queue index of the {@code PairLock} event.
 * @param sourceId      the journal that took the lock: the strategy's own, or another for a lock for all sources.
 * @param allSources    whether every source honours the lock (a risk lock across strategies).
 */
public record PairLockSnapshot(
    String pair, LockSide side, long lockTimeMs, long lockEndTimeMs, String reason, long queueIndex, String sourceId,
    boolean allSources)
{
}
