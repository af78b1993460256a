package io.tradestate.demo;

import io.tradestate.codecs.LockSide;
import io.tradestate.writer.state.PairLockEntry;
import io.tradestate.writer.state.TradeStateView;

/**
 * The entry check a strategy makes with {@link TradeStateView#pairLockStatus}: its own locks and those any strategy
 * took for all sources, as the reader agent has published them, with no allocation. While the maps are unavailable
 * (not published yet) nothing is held back: the workload goes on as without the check.
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
        return TradeStateView.LOCKED == view.pairLockStatus(sourceId, pair, side, nowMs, scratch);
    }
}
