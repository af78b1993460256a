package io.tradestate.reader;

import io.tradestate.codecs.LockSide;
import io.tradestate.writer.JournalContext;
import io.tradestate.writer.TradeJournal;
import io.tradestate.writer.state.PairLockEntry;
import io.tradestate.writer.state.TradeStateView;
import org.agrona.concurrent.SystemEpochNanoClock;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A strategy JVM that honours the locks taken for all sources, as {@link CrossStrategyRiskLockIT} starts it:
 * {@code <journal-root> <state-dir> <source> <own-pair> <watched-pair>}. It opens its journal and locks its own pair
 * for itself (a lock no other strategy must see), opens the state view and prints {@code READY} once the view answers
 * that the watched pair is not locked for it. Then it asks every 100 microseconds, as a strategy asks before an
 * entry, whether the watched pair is locked for a long entry, prints {@code LOCKED <epoch-ns> <taken-by>} when the
 * answer turns to locked and {@code UNLOCKED <epoch-ns>} when it turns back, and exits 0. It exits 1 if that does
 * not happen within two minutes.
 */
final class RiskLockStrategyMain
{
    private static final long GIVE_UP_NS = TimeUnit.MINUTES.toNanos(2);

    private RiskLockStrategyMain()
    {
    }

    public static void main(final String[] args)
    {
        final String sourceId = args[2];
        final String watchedPair = args[4];
        final SystemEpochNanoClock clock = new SystemEpochNanoClock();
        try (TradeJournal journal = TradeJournal.open(new JournalContext()
            .journalRoot(Path.of(args[0])).sourceId(sourceId));
            TradeStateView view = TradeStateView.open(Path.of(args[1])))
        {
            journal.lockPair(args[3], System.currentTimeMillis() + 600_000, "own", LockSide.LONG);
            if (!view.awaitAvailable(90_000))
            {
                System.out.println("the state maps are not available");
                System.exit(1);
            }
            final PairLockEntry scratch = new PairLockEntry();
            if (TradeStateView.UNLOCKED !=
                view.pairLockStatus(sourceId, watchedPair, LockSide.LONG, System.currentTimeMillis(), scratch))
            {
                System.out.println("the watched pair is locked (or unavailable) before the test locked it");
                System.exit(1);
            }
            System.out.println("READY");
            System.out.flush();

            boolean locked = false;
            final long giveUpNs = System.nanoTime() + GIVE_UP_NS;
            while (System.nanoTime() < giveUpNs)
            {
                final int status =
                    view.pairLockStatus(sourceId, watchedPair, LockSide.LONG, System.currentTimeMillis(), scratch);
                if (!locked && TradeStateView.LOCKED == status)
                {
                    locked = true;
                    final long seenNs = clock.nanoTime();
                    System.out.println("LOCKED " + seenNs + " " + scratch.lockSourceId(0, new StringBuilder()));
                    System.out.flush();
                }
                else if (locked && TradeStateView.UNLOCKED == status)
                {
                    System.out.println("UNLOCKED " + clock.nanoTime());
                    System.out.flush();
                    return;
                }
                LockSupport.parkNanos(100_000);
            }
            System.out.println("gave up: locked " + locked);
            System.exit(1);
        }
    }
}
