package io.tradestate.demo;

import io.tradestate.codecs.LockSide;

/**
 * What a strategy asks before it enters a pair on a side: whether a lock in force keeps it out, its own or one another
 * strategy took for all sources (a risk lock). In a strategy process, the state maps answer
 * ({@link StateMapsEntryGate}); the workload model alone, in tests, has none.
 */
interface EntryGate
{
    /**
     * Whether the pair is locked for this strategy on the side.
     *
     * @param pair  the pair.
     * @param side  {@code LONG} or {@code SHORT}.
     * @param nowMs the time.
     * @return true if an entry must wait.
     */
    boolean isLocked(String pair, LockSide side, long nowMs);
}
