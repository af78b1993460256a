package io.tradestate.bench;

import io.tradestate.writer.JournalContext;
import io.tradestate.writer.TradeJournal;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;
import org.HdrHistogram.Histogram;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * One run of {@link EndToEndLatencyHarness}: a strategy's journal in this JVM, {@code OrderUpdate} events appended
 * open loop at a fixed rate, and what the reading JVM reported about the same events.
 * <p>
 * <b>Open loop.</b> Event {@code i} is due at {@code start + i / rate}. The thread waits until then
 * ({@link OpenLoop#awaitIntended(long)}: spinning, or parking until a millisecond before when the gap is over 2 ms)
 * and appends; an append that overran is followed at once by the ones now due. Each event's {@code appendTimeNs} is
 * its intended time ({@link IntendedTimeClock}), so every latency, here and downstream, runs from when the event was
 * due and a stall is charged to every event it delayed (no coordinated omission). The append's own <b>response</b>
 * time runs from the intended time to the return of {@code commit()}; its <b>service</b> time is {@code commit()}
 * alone.
 * <p>
 * <b>Roll.</b> The journal rolls every second ({@code TEST_SECONDLY}), so any run longer than a second crosses a
 * roll, and its cost lands in the histograms; the journal's other settings are its defaults (pretoucher on).
 * <p>
 * <b>Sustained.</b> A stage (the append, the tailer, the state maps, the commit) sustained the rate if it had the last
 * event within {@value #SUSTAINED_LAG_MS} ms, or 5% of the run's length if longer, of that event's intended time:
 * a stage that cannot keep up falls further behind with every event, and its latency grows with the run's length.
 */
final class EndToEndRun
{
    static final long SUSTAINED_LAG_MS = 250;
    static final String TAILER = "tailer";
    static final String AGENT = "agent";

    private static final long HIGHEST_TRACKABLE_NS = TimeUnit.MINUTES.toNanos(10);
    private static final double CLOCK_TICKS_PER_SECOND = 100.0;

    private final String name;
    private final String mode;
    private final long rate;
    private final int events;
    private final Histogram appendNs = new Histogram(HIGHEST_TRACKABLE_NS, 3);
    private final Histogram appendServiceNs = new Histogram(HIGHEST_TRACKABLE_NS, 3);
    private long startNs;
    private long lastIntendedNs;
    private long lastEndNs;
    private long epochOffsetNs;
    private long readDoneEpochNs;
    private long stateDoneEpochNs;
    private long commitDoneEpochNs;
    private boolean complete = true;
    private double machineBusyCores = Double.NaN;
    private double thisJvmCores = Double.NaN;
    private String loadAverage = "";

    EndToEndRun(final String name, final String mode, final long rate, final int events)
    {
        this.name = name;
        this.mode = mode;
        this.rate = rate;
        this.events = events;
    }

    /**
     * A journal for this run under {@code journalRoot}, its source id the run's name.
     *
     * @param journalRoot folder of the journals.
     * @param clock       its {@code appendTimeNs} clock.
     * @return the open journal.
     */
    TradeJournal openJournal(final Path journalRoot, final IntendedTimeClock clock)
    {
        return TradeJournal.open(new JournalContext()
            .journalRoot(journalRoot)
            .sourceId(name)
            .rollCycle(TestRollCycles.TEST_SECONDLY)
            .epochNanoClock(clock));
    }

    /**
     * Append {@code count} events as fast as they go, stamped with the time now: the warm-up.
     *
     * @param journal the run's journal.
     * @param count   how many.
     */
    static void warmUp(final TradeJournal journal, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            AppendLatencyRun.append(journal, i);
        }
    }

    /**
     * Append the run's events open loop, starting a little after now.
     *
     * @param journal the run's journal.
     * @param clock   its clock, on this thread.
     * @return the intended time of the first event, in epoch nanoseconds.
     */
    long measure(final TradeJournal journal, final IntendedTimeClock clock)
    {
        epochOffsetNs = clock.epochOffsetNs();
        final long rate = this.rate;
        final int events = this.events;
        final Histogram appendNs = this.appendNs;
        final Histogram appendServiceNs = this.appendServiceNs;
        final long machineTicksBefore = ProcStat.machineBusyTicks();
        final long processTicksBefore = ProcStat.processCpuTicks();
        final long startNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1);
        long intendedNs = startNs;
        long endNs = startNs;
        for (int i = 0; i < events; i++)
        {
            intendedNs = startNs + i * 1_000_000_000L / rate;
            final long beginNs = OpenLoop.awaitIntended(intendedNs);

            clock.intended(intendedNs);
            AppendLatencyRun.append(journal, i);
            endNs = System.nanoTime();
            appendNs.recordValue(Math.min(HIGHEST_TRACKABLE_NS, endNs - intendedNs));
            appendServiceNs.recordValue(Math.min(HIGHEST_TRACKABLE_NS, endNs - beginNs));
        }
        clock.clearIntended();
        final double elapsedTicks = (System.nanoTime() - startNs) / 1e9 * CLOCK_TICKS_PER_SECOND;
        machineBusyCores = (ProcStat.machineBusyTicks() - machineTicksBefore) / elapsedTicks;
        thisJvmCores = (ProcStat.processCpuTicks() - processTicksBefore) / elapsedTicks;
        loadAverage = DrainCpu.loadAverage();

        this.startNs = startNs;
        this.lastIntendedNs = intendedNs;
        this.lastEndNs = endNs;
        return startNs + epochOffsetNs;
    }

    String name()
    {
        return name;
    }

    String mode()
    {
        return mode;
    }

    long rate()
    {
        return rate;
    }

    int events()
    {
        return events;
    }

    Histogram appendNs()
    {
        return appendNs;
    }

    Histogram appendServiceNs()
    {
        return appendServiceNs;
    }

    double seconds()
    {
        return (lastIntendedNs - startNs) / 1e9 + 1.0 / rate;
    }

    void readDoneEpochNs(final long epochNs)
    {
        readDoneEpochNs = epochNs;
    }

    void stateDoneEpochNs(final long epochNs)
    {
        stateDoneEpochNs = epochNs;
    }

    void commitDoneEpochNs(final long epochNs)
    {
        commitDoneEpochNs = epochNs;
    }

    void incomplete()
    {
        complete = false;
    }

    boolean complete()
    {
        return complete;
    }

    /**
     * Events per second the appending thread achieved: the events over the time from the first intended send to
     * the end of the last append.
     *
     * @return the rate.
     */
    double appendRate()
    {
        return rateTo(lastEndNs);
    }

    boolean appendSustained()
    {
        return sustained(lastEndNs);
    }

    double readRate()
    {
        return 0 == readDoneEpochNs ? Double.NaN : rateTo(readDoneEpochNs - epochOffsetNs);
    }

    boolean readSustained()
    {
        return 0 != readDoneEpochNs && sustained(readDoneEpochNs - epochOffsetNs);
    }

    double stateRate()
    {
        return 0 == stateDoneEpochNs ? Double.NaN : rateTo(stateDoneEpochNs - epochOffsetNs);
    }

    boolean stateSustained()
    {
        return 0 != stateDoneEpochNs && sustained(stateDoneEpochNs - epochOffsetNs);
    }

    double commitRate()
    {
        return 0 == commitDoneEpochNs ? Double.NaN : rateTo(commitDoneEpochNs - epochOffsetNs);
    }

    boolean commitSustained()
    {
        return 0 != commitDoneEpochNs && sustained(commitDoneEpochNs - epochOffsetNs);
    }

    /**
     * How far the stage that finished at {@code doneNs} ({@code nanoTime}) was behind the last event's intended time.
     *
     * @param doneNs when the stage had the last event.
     * @return milliseconds behind.
     */
    double lagAtEndMs(final long doneNs)
    {
        return (doneNs - lastIntendedNs) / 1e6;
    }

    /**
     * Cores the whole machine used while the events were appended (ticks are sampled: a short run is rough).
     *
     * @return cores, of {@link Runtime#availableProcessors()}.
     */
    double machineBusyCores()
    {
        return machineBusyCores;
    }

    /**
     * Cores this JVM (the strategy: the appending thread spins between events) used meanwhile.
     *
     * @return cores.
     */
    double thisJvmCores()
    {
        return thisJvmCores;
    }

    /**
     * The load average when the last event had been appended.
     *
     * @return three figures.
     */
    String loadAverage()
    {
        return loadAverage;
    }

    String describe()
    {
        return String.format(Locale.ROOT, "%s: %,d events at %,d/s (%.1f s)", name, events, rate,
            events / (double)rate);
    }

    private double rateTo(final long doneNs)
    {
        return events * 1e9 / Math.max(1, doneNs - startNs);
    }

    private boolean sustained(final long doneNs)
    {
        final double allowedMs = Math.max(SUSTAINED_LAG_MS, 0.05 * seconds() * 1000);
        return lagAtEndMs(doneNs) <= allowedMs;
    }
}
