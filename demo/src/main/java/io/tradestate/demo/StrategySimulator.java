package io.tradestate.demo;

import io.tradestate.codecs.LockSide;

import java.util.List;
import java.util.SplittableRandom;

/**
 * The workload of one strategy process: its instruments, each a Poisson process of {@code rate} market events per
 * simulated second, and the strategy-wide lock. Independent Poisson processes of one rate add up to a single one of
 * {@code n x rate} whose arrivals each pick an instrument uniformly, which is how they are drawn here: one random
 * stream for the arrivals, one per instrument for its life cycle, all from the seed.
 * <p>
 * Now and then the strategy pauses itself (a {@code *} lock on both sides, freqtrade's global lock) and later
 * unlocks by reason; while paused no instrument places a new entry. One process also runs the risk desk
 * ({@link RiskDesk}), which locks some pair now and then for every strategy; each entry first asks the
 * {@link EntryGate}.
 */
final class StrategySimulator
{
    static final String GLOBAL_LOCK_REASON = "demo: global pause";
    static final long GLOBAL_LOCK_MS = 15 * 60_000L;

    private final InstrumentSimulator[] instruments;
    private final SplittableRandom random;
    private final double arrivalsPerNs;
    private final EventSink sink;
    private final RiskDesk riskDesk;
    private long nextArrivalNs;
    private boolean globalLock;
    private long steps;
    private long events;

    /**
     * @param instruments the markets of this process.
     * @param ratePerSecond average market events per simulated second per instrument.
     * @param seed          the run's seed.
     * @param processIndex  which process this is, to give it its own arrival stream.
     * @param runId         makes ids unique across runs.
     * @param sink          receives the events.
     * @param gate          asked before each entry, or null for none.
     * @param riskDesk      the risk desk this process runs, or null.
     */
    StrategySimulator(
        final List<Instrument> instruments,
        final double ratePerSecond,
        final long seed,
        final int processIndex,
        final long runId,
        final EventSink sink,
        final EntryGate gate,
        final RiskDesk riskDesk)
    {
        if (instruments.isEmpty())
        {
            throw new IllegalArgumentException("a strategy needs at least one instrument");
        }
        if (!(ratePerSecond > 0))
        {
            throw new IllegalArgumentException("rate must be positive: " + ratePerSecond);
        }
        this.instruments = new InstrumentSimulator[instruments.size()];
        for (int i = 0; i < this.instruments.length; i++)
        {
            this.instruments[i] = new InstrumentSimulator(instruments.get(i), seed, runId, sink, gate);
        }
        this.random = new SplittableRandom(InstrumentUniverse.mix(seed ^ 0x2545F4914F6CDD1DL, processIndex));
        this.arrivalsPerNs = ratePerSecond * instruments.size() / 1e9;
        this.sink = sink;
        this.riskDesk = riskDesk;
        this.nextArrivalNs = nextGapNs();
    }

    /**
     * When the next market event is due.
     *
     * @return simulated nanoseconds since the start.
     */
    long nextArrivalNs()
    {
        return nextArrivalNs;
    }

    /**
     * Process every market event due by {@code simulatedNowNs}.
     *
     * @param simulatedNowNs simulated nanoseconds since the start.
     * @param nowMs          time stamp of the events.
     * @param limit          most market events to process in this call.
     * @return the number of journal events emitted.
     */
    int runDue(final long simulatedNowNs, final long nowMs, final int limit)
    {
        int emitted = 0;
        for (int i = 0; i < limit && nextArrivalNs <= simulatedNowNs; i++)
        {
            emitted += step(nowMs);
            nextArrivalNs += nextGapNs();
        }
        return emitted;
    }

    /**
     * One market event on a randomly chosen instrument, and perhaps a change of the strategy-wide lock.
     *
     * @param nowMs time stamp of the events.
     * @return the number of journal events emitted.
     */
    int step(final long nowMs)
    {
        int emitted = 0;
        if (!globalLock && random.nextInt(1_000) == 0)
        {
            sink.pairLock("*", LockSide.ANY, nowMs, nowMs + GLOBAL_LOCK_MS, GLOBAL_LOCK_REASON);
            globalLock = true;
            emitted++;
        }
        else if (globalLock && random.nextInt(200) == 0)
        {
            sink.pairUnlockReason(GLOBAL_LOCK_REASON, nowMs);
            globalLock = false;
            emitted++;
        }

        if (null != riskDesk)
        {
            emitted += riskDesk.step(nowMs);
        }

        emitted += instruments[random.nextInt(instruments.length)].step(nowMs, !globalLock);
        steps++;
        events += emitted;
        return emitted;
    }

    long steps()
    {
        return steps;
    }

    long events()
    {
        return events;
    }

    /**
     * Entries the instruments held back because the entry gate said the pair was locked.
     *
     * @return their number.
     */
    long entriesHeldBack()
    {
        long heldBack = 0;
        for (final InstrumentSimulator instrument : instruments)
        {
            heldBack += instrument.entriesHeldBack();
        }
        return heldBack;
    }

    /**
     * Locks for all sources this process's risk desk took.
     *
     * @return their number, 0 without a desk.
     */
    long riskLocks()
    {
        return null == riskDesk ? 0 : riskDesk.locks();
    }

    InstrumentSimulator[] instruments()
    {
        return instruments;
    }

    private long nextGapNs()
    {
        // Exponential gaps of mean 1 / (n x rate); doubles are fine for time, never for money.
        return Math.max(1, (long)(-Math.log(1.0 - random.nextDouble()) / arrivalsPerNs));
    }
}
