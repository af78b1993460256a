package io.tradestate.state;

import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ChronicleMapBuilder;
import net.openhft.chronicle.map.ExternalMapQueryContext;
import net.openhft.chronicle.map.MapEntry;
import net.openhft.chronicle.map.MapSegmentContext;
import org.agrona.CloseHelper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * One generation of the state maps: four persisted Chronicle Map files in {@code maps/gen-<n>/}. The publisher
 * creates a fresh generation at every start and never opens an old one for writing, so a lock left held by a
 * killed process can only ever be met in a generation nobody writes to any more.
 * <p>
 * {@link #read} is the one lookup primitive: it takes the entry's segment read lock with a bounded wait, copies the
 * value, and lets go. A wait that runs out means the lock is held by a dead process (or by a publisher stalled far
 * beyond any update's length): the generation is marked dead, and every lookup on it answers {@link #UNAVAILABLE}
 * at once, until a newer generation is published or the lock is seen free again. {@link #forEachEntry} is the
 * listing primitive, with the same rule.
 * <p>
 * Internal: the writer agent's {@code TradeStateView} reads through it and the reader agent's publisher creates and
 * writes it; the view's lookup answers are these constants, so the two can never disagree.
 */
public final class StateGeneration implements AutoCloseable
{
    /**
     * A lookup found the entry and copied its value.
     */
    public static final int FOUND = 1;

    /**
     * A lookup found no such entry.
     */
    public static final int NOT_FOUND = 0;

    /**
     * No answer: the generation has a lock held by a dead process.
     */
    public static final int UNAVAILABLE = -1;

    /**
     * Chronicle Map's bound on its own lock waits (iterations take locks with it), in seconds: set to 1 in every
     * process that uses the state maps, unless the property is given. Chronicle's default is 60.
     */
    public static final String LOCK_TIMEOUT_PROPERTY = "net.openhft.chronicle.map.lockTimeoutSeconds";

    static
    {
        if (null == System.getProperty(LOCK_TIMEOUT_PROPERTY))
        {
            net.openhft.chronicle.hash.impl.BigSegmentHeader.LOCK_TIMEOUT_SECONDS = 1;
        }
    }

    /**
     * File of the orders map.
     */
    public static final String ORDERS_FILE = "orders.dat";

    /**
     * File of the trades map.
     */
    public static final String TRADES_FILE = "trades.dat";

    /**
     * File of the pair locks map.
     */
    public static final String PAIR_LOCKS_FILE = "pair-locks.dat";

    /**
     * File of the balances map.
     */
    public static final String BALANCES_FILE = "balances.dat";

    private static final String PREFIX = "gen-";

    private final long number;
    private final Path directory;
    private final ChronicleMap<StateRecord, StateRecord> orders;
    private final ChronicleMap<StateRecord, StateRecord> trades;
    private final ChronicleMap<StateRecord, StateRecord> pairLocks;
    private final ChronicleMap<StateRecord, StateRecord> balances;
    private volatile boolean dead;
    private ChronicleMap<StateRecord, StateRecord> probeMap;
    private StateRecord probeKey;
    private int probeSegment;

    private StateGeneration(
        final long number,
        final Path directory,
        final ChronicleMap<StateRecord, StateRecord> orders,
        final ChronicleMap<StateRecord, StateRecord> trades,
        final ChronicleMap<StateRecord, StateRecord> pairLocks,
        final ChronicleMap<StateRecord, StateRecord> balances)
    {
        this.number = number;
        this.directory = directory;
        this.orders = orders;
        this.trades = trades;
        this.pairLocks = pairLocks;
        this.balances = balances;
    }

    /**
     * Folder of a generation.
     *
     * @param mapsDir    the maps folder.
     * @param generation number.
     * @return {@code mapsDir/gen-<n>}.
     */
    public static Path directory(final Path mapsDir, final long generation)
    {
        return mapsDir.resolve(PREFIX + generation);
    }

    /**
     * Generation number of a folder name.
     *
     * @param name of a folder in the maps folder.
     * @return its number, or -1 if it is not a generation folder.
     */
    public static long parseNumber(final String name)
    {
        if (!name.startsWith(PREFIX))
        {
            return -1;
        }
        try
        {
            return Long.parseLong(name.substring(PREFIX.length()));
        }
        catch (final NumberFormatException ex)
        {
            return -1;
        }
    }

    /**
     * Create a new, empty generation, replacing any leftover folder of that number.
     *
     * @param mapsDir         the maps folder.
     * @param generation      number.
     * @param ordersEntries   capacity of the orders map.
     * @param tradesEntries   capacity of the trades map.
     * @param locksEntries    capacity of the pair locks map.
     * @param balancesEntries capacity of the balances map.
     * @return the open generation.
     */
    public static StateGeneration create(
        final Path mapsDir,
        final long generation,
        final long ordersEntries,
        final long tradesEntries,
        final long locksEntries,
        final long balancesEntries)
    {
        final Path directory = directory(mapsDir, generation);
        delete(directory);
        try
        {
            Files.createDirectories(directory);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot create " + directory, ex);
        }
        return open(generation, directory, ordersEntries, tradesEntries, locksEntries, balancesEntries);
    }

    /**
     * Open a published generation for reading.
     *
     * @param mapsDir    the maps folder.
     * @param generation number.
     * @return the open generation.
     * @throws IllegalStateException if one of its files is missing.
     */
    public static StateGeneration openExisting(final Path mapsDir, final long generation)
    {
        final Path directory = directory(mapsDir, generation);
        for (final String file : new String[]{ ORDERS_FILE, TRADES_FILE, PAIR_LOCKS_FILE, BALANCES_FILE })
        {
            if (!Files.isRegularFile(directory.resolve(file)))
            {
                throw new IllegalStateException("state map " + directory.resolve(file) + " does not exist");
            }
        }
        // The capacities are read from each file's header; these only matter when a file is created.
        return open(generation, directory, 1, 1, 1, 1);
    }

    /**
     * Delete a generation's folder; files still mapped by other processes stay valid for them until unmapped.
     *
     * @param directory of the generation.
     */
    public static void delete(final Path directory)
    {
        if (!Files.exists(directory))
        {
            return;
        }
        try (Stream<Path> files = Files.walk(directory))
        {
            files.sorted(Comparator.reverseOrder()).forEach(StateGeneration::deleteFile);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot delete " + directory, ex);
        }
    }

    /**
     * Look up one entry and copy its value, waiting a bounded time for the segment's read lock.
     *
     * @param map       one of this generation's maps.
     * @param key       encoded key.
     * @param value     receives the value.
     * @param timeoutNs longest wait for the lock.
     * @return {@link #FOUND}, {@link #NOT_FOUND} or {@link #UNAVAILABLE}.
     */
    public int read(
        final ChronicleMap<StateRecord, StateRecord> map, final StateRecord key, final StateRecord value,
        final long timeoutNs)
    {
        if (dead)
        {
            return UNAVAILABLE;
        }
        try (ExternalMapQueryContext<StateRecord, StateRecord, ?> context = map.queryContext(key))
        {
            if (!context.readLock().tryLock(timeoutNs, TimeUnit.NANOSECONDS))
            {
                markDead(map, key);
                return UNAVAILABLE;
            }
            final MapEntry<StateRecord, StateRecord> entry = context.entry();
            if (null == entry)
            {
                return NOT_FOUND;
            }
            entry.value().getUsing(value);
            return FOUND;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return UNAVAILABLE;
        }
        catch (final RuntimeException ex)
        {
            // Chronicle Map's own lock wait (InterProcessDeadLockException) or a map closed under us.
            markDead(map, key);
            return UNAVAILABLE;
        }
    }

    /**
     * Hand every entry of a map to an action, segment by segment, each under its segment's read lock taken with
     * Chronicle Map's own bounded wait ({@link #LOCK_TIMEOUT_PROPERTY}). The action copies what it keeps: the entry is
     * only valid while the segment is locked.
     *
     * @param map    one of this generation's maps.
     * @param action called for each entry; returning false stops the walk of that segment.
     * @return true if every segment was visited, false if the generation is (now) dead: what the action saw before
     * is incomplete.
     */
    public boolean forEachEntry(
        final ChronicleMap<StateRecord, StateRecord> map,
        final Predicate<? super MapEntry<StateRecord, StateRecord>> action)
    {
        if (dead)
        {
            return false;
        }
        for (int i = 0, segments = map.segments(); i < segments; i++)
        {
            try (MapSegmentContext<StateRecord, StateRecord, ?> context = map.segmentContext(i))
            {
                context.forEachSegmentEntryWhile(action);
            }
            catch (final RuntimeException ex)
            {
                markDead(map, i);
                return false;
            }
        }
        return true;
    }

    /**
     * Whether a lookup found a lock it could not get.
     *
     * @return true if the generation is considered dead.
     */
    public boolean isDead()
    {
        return dead;
    }

    /**
     * Mark the generation dead or alive.
     *
     * @param dead true when a lock wait ran out.
     */
    public synchronized void dead(final boolean dead)
    {
        this.dead = dead;
        if (!dead)
        {
            probeMap = null;
            probeKey = null;
        }
    }

    /**
     * Whether the lock that made the generation dead can be taken now: a holder that was slow, not dead, brings the
     * generation back to life.
     *
     * @param timeoutNs longest wait for the lock.
     * @return true if the lock was taken and released.
     */
    public synchronized boolean probe(final long timeoutNs)
    {
        if (null == probeMap)
        {
            return true;
        }
        if (null != probeKey)
        {
            try (ExternalMapQueryContext<StateRecord, StateRecord, ?> context = probeMap.queryContext(probeKey))
            {
                return context.readLock().tryLock(timeoutNs, TimeUnit.NANOSECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                return false;
            }
            catch (final RuntimeException ex)
            {
                return false;
            }
        }
        try (MapSegmentContext<StateRecord, StateRecord, ?> context = probeMap.segmentContext(probeSegment))
        {
            context.forEachSegmentEntryWhile((entry) -> false);
            return true;
        }
        catch (final RuntimeException ex)
        {
            return false;
        }
    }

    /**
     * The generation's number.
     *
     * @return the number.
     */
    public long number()
    {
        return number;
    }

    /**
     * The generation's folder.
     *
     * @return the folder.
     */
    public Path directory()
    {
        return directory;
    }

    /**
     * Orders by exchange and order id.
     *
     * @return the map.
     */
    public ChronicleMap<StateRecord, StateRecord> orders()
    {
        return orders;
    }

    /**
     * Trades by source and trade id.
     *
     * @return the map.
     */
    public ChronicleMap<StateRecord, StateRecord> trades()
    {
        return trades;
    }

    /**
     * Active pair locks by source, pair and side.
     *
     * @return the map.
     */
    public ChronicleMap<StateRecord, StateRecord> pairLocks()
    {
        return pairLocks;
    }

    /**
     * Balances by exchange and asset.
     *
     * @return the map.
     */
    public ChronicleMap<StateRecord, StateRecord> balances()
    {
        return balances;
    }

    /**
     * Close the four maps.
     */
    public void close()
    {
        CloseHelper.quietCloseAll(orders, trades, pairLocks, balances);
    }

    private synchronized void markDead(final ChronicleMap<StateRecord, StateRecord> map, final StateRecord key)
    {
        if (!dead)
        {
            probeMap = map;
            probeKey = new StateRecord(key.capacity());
            probeKey.copyFrom(key);
            dead = true;
        }
    }

    private synchronized void markDead(final ChronicleMap<StateRecord, StateRecord> map, final int segment)
    {
        if (!dead)
        {
            probeMap = map;
            probeKey = null;
            probeSegment = segment;
            dead = true;
        }
    }

    private static StateGeneration open(
        final long generation,
        final Path directory,
        final long ordersEntries,
        final long tradesEntries,
        final long locksEntries,
        final long balancesEntries)
    {
        ChronicleMap<StateRecord, StateRecord> orders = null;
        ChronicleMap<StateRecord, StateRecord> trades = null;
        ChronicleMap<StateRecord, StateRecord> pairLocks = null;
        ChronicleMap<StateRecord, StateRecord> balances = null;
        try
        {
            orders = map(directory.resolve(ORDERS_FILE), "orders", ordersEntries,
                StateLayout.ORDER_KEY_LENGTH, StateLayout.ORDER_VALUE_LENGTH);
            trades = map(directory.resolve(TRADES_FILE), "trades", tradesEntries,
                StateLayout.TRADE_KEY_LENGTH, StateLayout.TRADE_VALUE_LENGTH);
            pairLocks = map(directory.resolve(PAIR_LOCKS_FILE), "pair-locks", locksEntries,
                StateLayout.LOCK_KEY_LENGTH, StateLayout.LOCK_VALUE_LENGTH);
            balances = map(directory.resolve(BALANCES_FILE), "balances", balancesEntries,
                StateLayout.BALANCE_KEY_LENGTH, StateLayout.BALANCE_VALUE_LENGTH);
            return new StateGeneration(generation, directory, orders, trades, pairLocks, balances);
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietCloseAll(orders, trades, pairLocks, balances);
            throw ex;
        }
    }

    private static ChronicleMap<StateRecord, StateRecord> map(
        final Path file, final String name, final long entries, final int keyLength, final int valueLength)
    {
        try
        {
            return ChronicleMapBuilder.of(StateRecord.class, StateRecord.class)
                .name(name)
                .entries(entries)
                .keyMarshallers(StateRecordMarshaller.INSTANCE, StateRecordMarshaller.INSTANCE)
                .valueMarshallers(StateRecordMarshaller.INSTANCE, StateRecordMarshaller.INSTANCE)
                .constantKeySizeBySample(new StateRecord(keyLength))
                .constantValueSizeBySample(new StateRecord(valueLength))
                .checksumEntries(true)
                .createPersistedTo(file.toFile());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot open the state map " + file, ex);
        }
    }

    private static void deleteFile(final Path path)
    {
        try
        {
            Files.deleteIfExists(path);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot delete " + path, ex);
        }
    }
}
