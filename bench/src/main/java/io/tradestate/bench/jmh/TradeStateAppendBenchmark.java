package io.tradestate.bench.jmh;

import io.tradestate.writer.JournalContext;
import io.tradestate.writer.TradeJournal;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * TradeState's append: one event of each type through the real {@link TradeJournal} API (validation, staging, SBE
 * encoding straight into the mapped queue file, the excerpt closed), with the journal's defaults: {@code FAST_DAILY},
 * 64 MiB blocks, the pretoucher on; heartbeats off, so that every excerpt is the benchmark's.
 * <p>
 * <b>A fresh journal per iteration.</b> A closed loop appends the better part of a gigabyte a second. Each iteration
 * therefore appends to its own journal, closed and deleted when the iteration ends: a file deleted before the
 * kernel writes it back never reaches the disk, so the disk's bandwidth and the other users of the machine stay out
 * of the score. The pages are new in every iteration, as they are for a strategy's journal, so page faults (taken by
 * the pretoucher, or by the appending thread when it overtakes the pretoucher at this rate) are part of the cost.
 * The journals are all opened in the trial's setup, each with its first append of every type made, because JMH's gc
 * profiler counts an iteration's setup and teardown: opening a journal allocates some 40 KB, closing and deleting one
 * some 3 KB (counted, spread over the iteration's appends), and the trial's teardown lands in the last iteration.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
@State(Scope.Thread)
public class TradeStateAppendBenchmark
{
    private Path root;
    private TradeJournal[] journals;
    private TradeJournal journal;
    private int iteration;

    /**
     * Open one journal for each iteration and make the first append of each type in it, off the clock.
     *
     * @param params the run's parameters: how many iterations.
     */
    @Setup(Level.Trial)
    public void openJournals(final BenchmarkParams params)
    {
        root = BenchFiles.newFolder("append");
        journals = new TradeJournal[params.getWarmup().getCount() + params.getMeasurement().getCount()];
        for (int i = 0; i < journals.length; i++)
        {
            journals[i] = TradeJournal.open(new JournalContext()
                .journalRoot(root.resolve("iteration-" + i)).sourceId(SampleEvents.SOURCE_ID).heartbeatIntervalMs(0));
            SampleEvents.appendOrderUpdate(journals[i]);
            SampleEvents.appendFill(journals[i]);
            SampleEvents.appendTradeUpdate(journals[i]);
            SampleEvents.appendPairLock(journals[i]);
            SampleEvents.appendBalanceUpdate(journals[i]);
        }
        journal = journals[0];
    }

    /**
     * Close and delete this iteration's journal, and move on to the next one.
     */
    @TearDown(Level.Iteration)
    public void closeJournal()
    {
        journals[iteration].close();
        BenchFiles.deleteSmall(root.resolve("iteration-" + iteration));
        iteration++;
        journal = journals[Math.min(iteration, journals.length - 1)];
    }

    /**
     * Close what is left and delete the folder.
     */
    @TearDown(Level.Trial)
    public void closeAll()
    {
        for (final TradeJournal open : journals)
        {
            if (null != open && !open.isClosed())
            {
                open.close();
            }
        }
        BenchFiles.delete(root);
    }

    /**
     * Append an {@code OrderUpdate}: the event every baseline writes.
     *
     * @return the queue index.
     */
    @Benchmark
    public long appendOrderUpdate()
    {
        return SampleEvents.appendOrderUpdate(journal);
    }

    /**
     * Append a {@code Fill}.
     *
     * @return the queue index.
     */
    @Benchmark
    public long appendFill()
    {
        return SampleEvents.appendFill(journal);
    }

    /**
     * Append a {@code TradeUpdate}, the largest event, with its enter tag.
     *
     * @return the queue index.
     */
    @Benchmark
    public long appendTradeUpdate()
    {
        return SampleEvents.appendTradeUpdate(journal);
    }

    /**
     * Append a {@code PairLock} with its reason.
     *
     * @return the queue index.
     */
    @Benchmark
    public long appendPairLock()
    {
        return SampleEvents.appendPairLock(journal);
    }

    /**
     * Append a {@code BalanceUpdate}.
     *
     * @return the queue index.
     */
    @Benchmark
    public long appendBalanceUpdate()
    {
        return SampleEvents.appendBalanceUpdate(journal);
    }
}
