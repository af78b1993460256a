package io.tradestate.demo;

import java.util.List;
import java.util.SplittableRandom;

/**
 * The demo's dynamic risk management, run by one strategy process: now and then a volatility shock on some market
 * of the whole universe, any strategy's, and the desk locks that pair for all sources ({@code lockPairForAllSources},
 * on every side) for {@value #LOCK_MS} ms. The strategy trading it holds its entries back while the lock is in force
 * ({@link EntryGate}), as every strategy the agent drains would. At most one pair in {@value #UNIVERSE_PER_LOCK} of
 * the universe (at least one pair) is locked at a time, whatever the speed: a shock while that many locks are in
 * force is let pass. A random stream of its own, from the seed, so the markets' events stay what they are without the
 * desk.
 */
final class RiskDesk
{
    static final String LOCK_REASON = "demo: volatility";
    static final long LOCK_MS = 2 * 60_000L;
    static final int SHOCK_ONE_IN_STEPS = 150;
    static final int UNIVERSE_PER_LOCK = 20;

    private final List<Instrument> universe;
    private final EventSink sink;
    private final SplittableRandom random;
    private final long[] lockEndsMs;
    private long locks;

    /**
     * @param universe every market of the run.
     * @param seed     the run's seed.
     * @param sink     where the locks go.
     */
    RiskDesk(final List<Instrument> universe, final long seed, final EventSink sink)
    {
        this.universe = universe;
        this.sink = sink;
        this.random = new SplittableRandom(InstrumentUniverse.mix(seed ^ 0x7F4A7C159E3779B9L, universe.size()));
        this.lockEndsMs = new long[Math.max(1, universe.size() / UNIVERSE_PER_LOCK)];
    }

    /**
     * One market step seen by the desk: perhaps a shock, and a lock.
     *
     * @param nowMs the time.
     * @return the events emitted: 1 for a lock, else 0.
     */
    int step(final long nowMs)
    {
        if (random.nextInt(SHOCK_ONE_IN_STEPS) != 0)
        {
            return 0;
        }
        final Instrument shocked = universe.get(random.nextInt(universe.size()));
        for (int i = 0; i < lockEndsMs.length; i++)
        {
            if (lockEndsMs[i] <= nowMs)
            {
                lockEndsMs[i] = nowMs + LOCK_MS;
                sink.riskLock(shocked.symbol(), nowMs, nowMs + LOCK_MS, LOCK_REASON);
                locks++;
                return 1;
            }
        }
        return 0;
    }

    /**
     * The locks taken.
     *
     * @return their number.
     */
    long locks()
    {
        return locks;
    }
}
