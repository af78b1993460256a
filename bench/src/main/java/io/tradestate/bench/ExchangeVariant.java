package io.tradestate.bench;

import io.tradestate.bench.jmh.ExchangeBaselines;
import io.tradestate.codecs.MessageHeaderDecoder;
import io.tradestate.codecs.OrderUpdateDecoder;
import io.tradestate.writer.JournalContext;
import io.tradestate.writer.SyncPolicy;
import io.tradestate.writer.TradeJournal;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * A way {@link ExchangeExperiment} persists the messages its exchanges choose, one per round: nothing, a shared
 * {@link TradeJournal}, an insert and a commit on the exchange thread, or a hand-off to one insert thread. Each
 * persists the JMH baselines' sample order ({@link ExchangeBaselines}), so that only the way differs. Opened before
 * the round (journal, connections and insert thread off the clock), drained and counted after it.
 */
abstract class ExchangeVariant implements AutoCloseable
{
    static final String NOOP = "noop";
    static final String TRADESTATE = "tradestate";
    static final String JDBC = "jdbc";
    static final String EXECUTOR = "executor";

    /**
     * Every variant, in the order they run by default.
     */
    static final List<String> NAMES = List.of(NOOP, TRADESTATE, JDBC, EXECUTOR);

    /**
     * What {@link #stored()} returns for a variant that stores nothing.
     */
    static final long NOT_STORED = -1;

    /**
     * The journal's source id, its folder under the journal root.
     */
    static final String SOURCE_ID = "exchange-experiment";

    private static final long DRAIN_TIMEOUT_MS = 300_000;

    private final String name;

    private ExchangeVariant(final String name)
    {
        this.name = name;
    }

    /**
     * Whether a variant writes to the database.
     *
     * @param name the variant.
     * @return true for {@value #JDBC} and {@value #EXECUTOR}.
     */
    static boolean needsDatabase(final String name)
    {
        return JDBC.equals(name) || EXECUTOR.equals(name);
    }

    /**
     * Open a variant for a round: the journal, or fresh tables and the insert thread.
     *
     * @param name        one of {@link #NAMES}.
     * @param journalRoot where the journal goes, a fresh folder.
     * @param journalSync the journal's sync policy.
     * @param database    the database, for {@value #JDBC} and {@value #EXECUTOR}.
     * @param orders      how many orders the round persists at most: the insert thread's queue capacity.
     * @return the open variant.
     * @throws SQLException if the database refuses.
     */
    static ExchangeVariant open(
        final String name,
        final Path journalRoot,
        final SyncPolicy journalSync,
        final ExchangeBaselines.Database database,
        final int orders) throws SQLException
    {
        return switch (name)
        {
            case NOOP -> new NoOp();
            case TRADESTATE -> new Journal(journalRoot, journalSync);
            case JDBC -> new Insert(database);
            case EXECUTOR -> new HandOff(database, orders);
            default -> throw new IllegalArgumentException("unknown variant " + name + ", not one of " + NAMES);
        };
    }

    String name()
    {
        return name;
    }

    /**
     * The persister of one exchange's thread, made before the round starts.
     *
     * @param exchange the exchange's number.
     * @return the persister.
     * @throws SQLException if the database refuses.
     */
    abstract ExchangePersister persister(int exchange) throws SQLException;

    /**
     * What it persists to and how, for the summary.
     *
     * @return one line.
     */
    abstract String description();

    /**
     * After every exchange's last message: wait until every order handed over is stored.
     *
     * @throws InterruptedException if interrupted while waiting.
     */
    void drain() throws InterruptedException
    {
    }

    /**
     * Stop writing, then count the orders stored, read back from where they went.
     *
     * @return how many, or {@link #NOT_STORED}.
     * @throws SQLException if the database refuses.
     */
    abstract long stored() throws SQLException;

    /**
     * Release what the variant holds, quietly; again is harmless.
     */
    public abstract void close();

    /**
     * The {@code OrderUpdate} excerpts of a journal, read back with a Chronicle tailer.
     *
     * @param queueDirectory the journal's queue folder.
     * @return how many.
     */
    static long orderUpdates(final Path queueDirectory)
    {
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final UnsafeBuffer buffer = new UnsafeBuffer(0, 0);
        long count = 0;
        try (ChronicleQueue queue = SingleChronicleQueueBuilder.single(queueDirectory.toFile()).readOnly(true).build();
            ExcerptTailer tailer = queue.createTailer())
        {
            while (true)
            {
                try (DocumentContext context = tailer.readingDocument())
                {
                    if (!context.isPresent())
                    {
                        return count;
                    }
                    final Bytes<?> bytes = context.wire().bytes();
                    buffer.wrap(bytes.addressForRead(bytes.readPosition()), (int)bytes.readRemaining());
                    if (buffer.capacity() >= MessageHeaderDecoder.ENCODED_LENGTH &&
                        OrderUpdateDecoder.TEMPLATE_ID == header.wrap(buffer, 0).templateId())
                    {
                        count++;
                    }
                }
            }
        }
    }

    private static final class NoOp extends ExchangeVariant
    {
        NoOp()
        {
            super(NOOP);
        }

        ExchangePersister persister(final int exchange)
        {
            return (orderIndex, receiveTimeNs) ->
            {
            };
        }

        String description()
        {
            return "persist does nothing";
        }

        long stored()
        {
            return NOT_STORED;
        }

        public void close()
        {
        }
    }

    private static final class Journal extends ExchangeVariant
    {
        private final TradeJournal journal;
        private final SyncPolicy syncPolicy;

        Journal(final Path journalRoot, final SyncPolicy syncPolicy)
        {
            super(TRADESTATE);
            this.syncPolicy = syncPolicy;
            this.journal = TradeJournal.open(new JournalContext()
                .journalRoot(journalRoot)
                .sourceId(SOURCE_ID)
                .syncPolicy(syncPolicy));
        }

        ExchangePersister persister(final int exchange)
        {
            final TradeJournal journal = this.journal;
            return new ExchangePersister()
            {
                public void persist(final long orderIndex, final long receiveTimeNs)
                {
                    ExchangeBaselines.appendOrder(journal);
                }

                public void prepareThread()
                {
                    journal.keepWarm();
                }
            };
        }

        String description()
        {
            return "journal.orderUpdate()...commit() on each exchange thread, one TradeJournal shared by them all " +
                "in " + journal.queueDirectory() + " (warm-up at open; each thread calls keepWarm() once before the " +
                "round, as the README says, which makes its writer), sync policy " + syncPolicy +
                ", defaults otherwise";
        }

        long stored()
        {
            journal.close();
            return orderUpdates(journal.queueDirectory());
        }

        public void close()
        {
            journal.close();
        }
    }

    private static final class Insert extends ExchangeVariant
    {
        private final ExchangeBaselines.Database database;
        private final List<ExchangeBaselines.Inserter> inserters = new ArrayList<>();

        Insert(final ExchangeBaselines.Database database) throws SQLException
        {
            super(JDBC);
            this.database = database;
            database.createTables();
        }

        ExchangePersister persister(final int exchange) throws SQLException
        {
            final ExchangeBaselines.Inserter inserter = database.inserter();
            inserters.add(inserter);
            return inserter::insertAndCommit;
        }

        String description()
        {
            return "an INSERT and a COMMIT per order on the exchange thread, one connection per exchange, into " +
                database.description() + " (fsync and synchronous_commit on)";
        }

        long stored() throws SQLException
        {
            close();
            return database.countOrders();
        }

        public void close()
        {
            for (final ExchangeBaselines.Inserter inserter : inserters)
            {
                CloseHelper.quietClose(inserter);
            }
            inserters.clear();
        }
    }

    private static final class HandOff extends ExchangeVariant
    {
        private final ExchangeBaselines.Database database;
        private final ExchangeBaselines.HandOff handOff;
        private final int queueCapacity;

        HandOff(final ExchangeBaselines.Database database, final int orders) throws SQLException
        {
            super(EXECUTOR);
            this.database = database;
            this.queueCapacity = Math.max(1, orders);
            database.createTables();
            this.handOff = database.handOff(queueCapacity);
        }

        ExchangePersister persister(final int exchange)
        {
            return handOff::submit;
        }

        String description()
        {
            return "the exchange thread builds a row object and hands it to a single-thread executor (queue of " +
                queueCapacity + ", never full), whose thread inserts and commits it, with the rows waiting behind " +
                "it in one batch, into " + database.description() + "; the round then waits for it to drain";
        }

        void drain() throws InterruptedException
        {
            handOff.drain(DRAIN_TIMEOUT_MS);
        }

        long stored() throws SQLException
        {
            handOff.close();
            return database.countOrders();
        }

        public void close()
        {
            handOff.close();
        }
    }
}
