package io.tradestate.bench;

import io.tradestate.codecs.OrderStatus;
import io.tradestate.codecs.OrderType;
import io.tradestate.codecs.Side;
import io.tradestate.writer.JournalContext;
import io.tradestate.writer.TradeJournal;
import net.openhft.chronicle.queue.RollCycle;
import org.HdrHistogram.Histogram;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * One measured stretch of {@code OrderUpdate} appends to a fresh journal, in one configuration (pretouch on or off,
 * one roll cycle), driven open loop by a schedule of intended send times.
 * <p>
 * Open loop: event {@code i} is due at {@code start + schedule[i]}; the thread spins until then and appends, and if
 * an append overran it appends the ones now due at once, without waiting. The response time is measured from the
 * intended send time, so a stall is charged to every event it delayed and not only to the one that stalled
 * (coordinated omission); the service time is that of {@code commit()} alone.
 * <p>
 * A roll is seen when the cycle of the returned index changes. For the first append of each new cycle the run keeps
 * how long after the cycle boundary it started, what it cost, and whether another excerpt (the background thread's
 * heartbeat) came first in the cycle. That excerpt may still have been in progress when this append began, so a
 * later excerpt does not prove that the roll was paid off this thread; the cost does.
 * <p>
 * Nothing on the measured path allocates: order ids are built up front and histograms are sized for the run.
 */
final class AppendLatencyRun
{
    private static final long HIGHEST_TRACKABLE_NS = TimeUnit.SECONDS.toNanos(60);
    private static final int SIGNIFICANT_DIGITS = 3;
    private static final int ORDER_ID_COUNT = 1024;
    private static final long SETTLE_MS = 500;
    private static final int NO_CYCLE = Integer.MIN_VALUE;

    private static final String[] ORDER_IDS = new String[ORDER_ID_COUNT];

    static
    {
        for (int i = 0; i < ORDER_ID_COUNT; i++)
        {
            ORDER_IDS[i] = Long.toString(8_389_765_000L + i);
        }
    }

    private final String name;
    private final boolean pretouch;
    private final RollCycle rollCycle;
    private final long[] scheduleNs;
    private final Histogram responseNs = new Histogram(HIGHEST_TRACKABLE_NS, SIGNIFICANT_DIGITS);
    private final Histogram serviceNs = new Histogram(HIGHEST_TRACKABLE_NS, SIGNIFICANT_DIGITS);
    private final Histogram rollResponseNs = new Histogram(HIGHEST_TRACKABLE_NS, SIGNIFICANT_DIGITS);
    private final Histogram rollServiceNs = new Histogram(HIGHEST_TRACKABLE_NS, SIGNIFICANT_DIGITS);
    private final long[] rollDelayNs;
    private final long[] rollCostNs;
    private final boolean[] rollAhead;
    private int rolls;
    private long threadMinorFaults;
    private long processMinorFaults;
    private long otherProcessesCpuTicks;
    private long stealTicks;
    private long gcCount;
    private long gcTimeMs;
    private long elapsedNs;

    /**
     * A run, not yet started.
     *
     * @param name       of the run, used in file names.
     * @param pretouch   whether the journal's background thread pretouches and rolls ahead.
     * @param rollCycle  of the journal's queue.
     * @param scheduleNs intended send time of each event, in nanoseconds from the start, ascending.
     */
    AppendLatencyRun(final String name, final boolean pretouch, final RollCycle rollCycle, final long[] scheduleNs)
    {
        this.name = name;
        this.pretouch = pretouch;
        this.rollCycle = rollCycle;
        this.scheduleNs = scheduleNs;
        final int maxRolls = (int)(scheduleNs[scheduleNs.length - 1] / TimeUnit.MILLISECONDS.toNanos(
            rollCycle.lengthInMillis())) + 2;
        this.rollDelayNs = new long[maxRolls];
        this.rollCostNs = new long[maxRolls];
        this.rollAhead = new boolean[maxRolls];
    }

    /**
     * A schedule of evenly spaced events.
     *
     * @param events          how many.
     * @param eventsPerSecond rate.
     * @return intended send times in nanoseconds from the start.
     */
    static long[] fixedRate(final int events, final long eventsPerSecond)
    {
        final long intervalNs = TimeUnit.SECONDS.toNanos(1) / eventsPerSecond;
        final long[] schedule = new long[events];
        for (int i = 0; i < events; i++)
        {
            schedule[i] = i * intervalNs;
        }

        return schedule;
    }

    /**
     * A schedule of Poisson arrivals, so that the first event after a cycle boundary comes at a random delay from it.
     *
     * @param events          how many.
     * @param eventsPerSecond mean rate.
     * @param seed            of the random intervals, the same for the runs being compared.
     * @return intended send times in nanoseconds from the start.
     */
    static long[] poisson(final int events, final long eventsPerSecond, final long seed)
    {
        final Random random = new Random(seed);
        final double meanIntervalNs = TimeUnit.SECONDS.toNanos(1) / (double)eventsPerSecond;
        final long[] schedule = new long[events];
        double timeNs = 0;
        for (int i = 0; i < events; i++)
        {
            schedule[i] = (long)timeNs;
            timeNs -= meanIntervalNs * Math.log(1.0 - random.nextDouble());
        }

        return schedule;
    }

    /**
     * Open a journal under {@code journalRoot}, append the schedule's events and close it.
     *
     * @param journalRoot fresh folder for this run's queue.
     * @throws InterruptedException if interrupted while settling.
     */
    void run(final Path journalRoot) throws InterruptedException
    {
        final JournalContext context = new JournalContext()
            .journalRoot(journalRoot)
            .sourceId(name)
            .rollCycle(rollCycle)
            .pretouchEnabled(pretouch)
            .heartbeatIntervalMs(0);
        try (TradeJournal journal = TradeJournal.open(context))
        {
            // Off the clock: this thread's first append creates its writer and appender.
            append(journal, 0);
            // As in a process that has been up a while, give the background thread time to touch its lookahead.
            Thread.sleep(SETTLE_MS);

            final long threadFaultsBefore = ProcStat.thisThreadMinorFaults();
            final long processFaultsBefore = ProcStat.processMinorFaults();
            final long othersTicksBefore = ProcStat.machineBusyTicks() - ProcStat.processCpuTicks();
            final long stealTicksBefore = ProcStat.machineStealTicks();
            final long gcCountBefore = totalGcCount();
            final long gcTimeBefore = totalGcTimeMs();
            final long startNs = System.nanoTime();

            measure(journal, startNs);

            elapsedNs = System.nanoTime() - startNs;
            threadMinorFaults = ProcStat.thisThreadMinorFaults() - threadFaultsBefore;
            processMinorFaults = ProcStat.processMinorFaults() - processFaultsBefore;
            otherProcessesCpuTicks = ProcStat.machineBusyTicks() - ProcStat.processCpuTicks() - othersTicksBefore;
            stealTicks = ProcStat.machineStealTicks() - stealTicksBefore;
            gcCount = totalGcCount() - gcCountBefore;
            gcTimeMs = totalGcTimeMs() - gcTimeBefore;
        }
    }

    private void measure(final TradeJournal journal, final long startNs)
    {
        final long[] schedule = this.scheduleNs;
        final RollCycle rollCycle = this.rollCycle;
        final long cycleLengthNs = TimeUnit.MILLISECONDS.toNanos(rollCycle.lengthInMillis());
        final long epochNs = TimeUnit.MILLISECONDS.toNanos(rollCycle.defaultEpoch());
        final long nanoTimeToEpochNs = nanoTimeToEpochNs();
        int lastCycle = NO_CYCLE;

        for (int i = 0; i < schedule.length; i++)
        {
            final long intendedNs = startNs + schedule[i];
            long beginNs;
            while ((beginNs = System.nanoTime()) < intendedNs)
            {
                Thread.onSpinWait();
            }

            final long index = append(journal, i);
            final long endNs = System.nanoTime();
            responseNs.recordValue(endNs - intendedNs);
            serviceNs.recordValue(endNs - beginNs);

            final int cycle = rollCycle.toCycle(index);
            if (cycle != lastCycle)
            {
                if (NO_CYCLE != lastCycle && rolls < rollDelayNs.length)
                {
                    rollResponseNs.recordValue(endNs - intendedNs);
                    rollServiceNs.recordValue(endNs - beginNs);
                    rollDelayNs[rolls] = beginNs + nanoTimeToEpochNs - (epochNs + cycle * cycleLengthNs);
                    rollCostNs[rolls] = endNs - beginNs;
                    rollAhead[rolls] = rollCycle.toSequenceNumber(index) > 0;
                    rolls++;
                }
                lastCycle = cycle;
            }
        }
    }

    /**
     * Append the benchmark's {@code OrderUpdate} number {@code i}: one of 1,024 order ids,
     * {@link io.tradestate.bench.jmh.SampleEvents#ORDER_UPDATE_LENGTH} bytes encoded.
     *
     * @param journal where.
     * @param i       the event's number.
     * @return the queue index.
     */
    static long append(final TradeJournal journal, final int i)
    {
        return journal.orderUpdate()
            .exchange("binance")
            .symbol("BTC/USDT")
            .orderId(ORDER_IDS[i & (ORDER_ID_COUNT - 1)])
            .clientOrderId("bench-1")
            .side(Side.BUY)
            .orderType(OrderType.LIMIT)
            .status(OrderStatus.OPEN)
            .price(6_412_350 + (i & 0xFF), -2)
            .amount(15, -3)
            .filled(0, 0)
            .remaining(15, -3)
            .commit();
    }

    /**
     * The offset from {@link System#nanoTime()} to the wall clock the queue rolls by, taken at the edge of a
     * millisecond of {@link System#currentTimeMillis()} so that it is good to a microsecond, not a millisecond.
     */
    private static long nanoTimeToEpochNs()
    {
        long lastMs = System.currentTimeMillis();
        long lastNs = System.nanoTime();
        while (true)
        {
            final long ms = System.currentTimeMillis();
            final long ns = System.nanoTime();
            if (ms != lastMs)
            {
                return TimeUnit.MILLISECONDS.toNanos(ms) - (lastNs + ns) / 2;
            }
            lastMs = ms;
            lastNs = ns;
        }
    }

    private static long totalGcCount()
    {
        long count = 0;
        for (final GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans())
        {
            count += Math.max(0, gc.getCollectionCount());
        }

        return count;
    }

    private static long totalGcTimeMs()
    {
        long timeMs = 0;
        for (final GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans())
        {
            timeMs += Math.max(0, gc.getCollectionTime());
        }

        return timeMs;
    }

    String name()
    {
        return name;
    }

    boolean pretouch()
    {
        return pretouch;
    }

    int events()
    {
        return scheduleNs.length;
    }

    Histogram responseNs()
    {
        return responseNs;
    }

    Histogram serviceNs()
    {
        return serviceNs;
    }

    Histogram rollResponseNs()
    {
        return rollResponseNs;
    }

    Histogram rollServiceNs()
    {
        return rollServiceNs;
    }

    int rolls()
    {
        return rolls;
    }

    long rollDelayNs(final int roll)
    {
        return rollDelayNs[roll];
    }

    long rollCostNs(final int roll)
    {
        return rollCostNs[roll];
    }

    boolean rollAhead(final int roll)
    {
        return rollAhead[roll];
    }

    long threadMinorFaults()
    {
        return threadMinorFaults;
    }

    long processMinorFaults()
    {
        return processMinorFaults;
    }

    long otherProcessesCpuTicks()
    {
        return otherProcessesCpuTicks;
    }

    long stealTicks()
    {
        return stealTicks;
    }

    long gcCount()
    {
        return gcCount;
    }

    long gcTimeMs()
    {
        return gcTimeMs;
    }

    long elapsedNs()
    {
        return elapsedNs;
    }
}
