package io.tradestate.demo;

import io.tradestate.codecs.LockSide;
import io.tradestate.writer.state.PairLockEntry;
import io.tradestate.writer.state.TradeStateView;

/**
 * The entry check a strategy makes with {@link TradeStateView#pairLockStatus} for the locks taken for all sources
 * (risk locks), as the reader agent has published them, with no allocation. The strategy's own locks are the workload
 * model's to follow, as before the check (a restarted strategy's simulator starts afresh and does not honour the
 * locks of its last life): a lookup that matches one of them (it answers with the first lock it finds) does not hold
 * the entry back. While the maps are unavailable (not published yet) nothing is held back.
 */
final class StateMapsEntryGate implements EntryGate
{
    private final TradeStateView view;
    private final String sourceId;
    private final PairLockEntry scratch = new PairLockEntry();

    /**
     * @param view     the state maps, open.
     * @param sourceId the strategy asking.
     */
    StateMapsEntryGate(final TradeStateView view, final String sourceId)
    {
        this.view = view;
        this.sourceId = sourceId;
    }

    public boolean isLocked(final String pair, final LockSide side, final long nowMs)
    {
        return TradeStateView.LOCKED == view.pairLockStatus(sourceId, pair, side, nowMs, scratch) &&
            scratch.isForAllSources();
    }
}
