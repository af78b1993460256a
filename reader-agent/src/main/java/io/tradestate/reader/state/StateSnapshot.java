package io.tradestate.reader.state;

import io.tradestate.state.StateGeneration;
import io.tradestate.state.StateLayout;
import io.tradestate.state.StateRecord;
import net.openhft.chronicle.map.ChronicleMap;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * The state maps at one point of every journal, in one file: for each source the index of the last excerpt applied
 * (and a checksum of that excerpt, which ties the file to the very journal it was taken from), then every entry of
 * the four maps, key and value bytes as stored. The publisher writes it between two polls, when the maps reflect
 * exactly the excerpts up to those indexes; a new generation is seeded from it and replays each journal from the
 * next excerpt, instead of from the first one. That is what lets journal retention delete the cycle files behind it.
 * <p>
 * The file is written to a temporary name, forced to disk and renamed over the previous one, so a crash leaves the
 * old snapshot or the new one, whole. A CRC-32C over the content guards against the rest.
 * <p>
 * Reading takes memory for the source marks only, whatever the maps' capacities: {@link #read} checks the whole
 * file (its checksum, its length) in one pass, and {@link #seed} reads it again, entry by entry, into the maps. Held
 * whole, the entries of maps at their default capacities needed hundreds of megabytes of heap at every start.
 */
public final class StateSnapshot
{
    /**
     * File name under {@code state.dir}.
     */
    public static final String FILE_NAME = "state.snapshot";

    private static final long MAGIC = 0x5453_534E_4150_0001L; // "TSSNAP" and format version 1
    private static final int[] LAYOUT = {
        StateLayout.ORDER_KEY_LENGTH, StateLayout.ORDER_VALUE_LENGTH,
        StateLayout.TRADE_KEY_LENGTH, StateLayout.TRADE_VALUE_LENGTH,
        StateLayout.LOCK_KEY_LENGTH, StateLayout.LOCK_VALUE_LENGTH,
        StateLayout.BALANCE_KEY_LENGTH, StateLayout.BALANCE_VALUE_LENGTH };
    private static final int MAPS = 4;

    private static final int BUFFER_BYTES = 1 << 16;

    private final Path file;
    private final Map<String, SourceMark> sources;
    private final long takenAtMs;
    private final long[] counts;
    private final long checksum;

    private StateSnapshot(
        final Path file, final Map<String, SourceMark> sources, final long takenAtMs, final long[] counts,
        final long checksum)
    {
        this.file = file;
        this.sources = sources;
        this.takenAtMs = takenAtMs;
        this.counts = counts;
        this.checksum = checksum;
    }

    /**
     * Where one source's journal stood when the snapshot was taken.
     */
    static final class SourceMark
    {
        private final long lastIndex;
        private final int excerptChecksum;

        SourceMark(final long lastIndex, final int excerptChecksum)
        {
            this.lastIndex = lastIndex;
            this.excerptChecksum = excerptChecksum;
        }

        /**
         * Index of the last excerpt applied.
         */
        long lastIndex()
        {
            return lastIndex;
        }

        /**
         * CRC-32C of that excerpt's bytes.
         */
        int excerptChecksum()
        {
            return excerptChecksum;
        }
    }

    /**
     * Write the snapshot of a generation.
     *
     * @param stateDir   the agent's state folder.
     * @param generation the maps, not written to meanwhile (the caller is their only writer).
     * @param sources    each source with a last applied excerpt, in any order.
     * @param nowMs      wall-clock time of the snapshot.
     * @return the entries written.
     * @throws IOException if the file cannot be written; the previous snapshot is then left as it was.
     */
    static long write(
        final Path stateDir, final StateGeneration generation, final Map<String, SourceMark> sources, final long nowMs)
        throws IOException
    {
        final Path file = stateDir.resolve(FILE_NAME);
        final Path temporary = stateDir.resolve(FILE_NAME + ".tmp");
        long written = 0;
        final CRC32C checksum = new CRC32C();
        Files.deleteIfExists(temporary);
        // Created for the agent alone, whatever the umask, before a byte of state is written into it.
        Files.createFile(temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-------"));
        try (OutputStream stream = Files.newOutputStream(temporary);
            DataOutputStream out = new DataOutputStream(
                new CheckedOutputStream(new BufferedOutputStream(stream, 1 << 16), checksum)))
        {
            out.writeLong(MAGIC);
            for (final int length : LAYOUT)
            {
                out.writeInt(length);
            }
            out.writeLong(nowMs);
            out.writeInt(sources.size());
            for (final Map.Entry<String, SourceMark> source : sources.entrySet())
            {
                out.writeUTF(source.getKey());
                out.writeLong(source.getValue().lastIndex());
                out.writeInt(source.getValue().excerptChecksum());
            }
            written += writeMap(out, generation.orders(), LAYOUT[0], LAYOUT[1]);
            written += writeMap(out, generation.trades(), LAYOUT[2], LAYOUT[3]);
            written += writeMap(out, generation.pairLocks(), LAYOUT[4], LAYOUT[5]);
            written += writeMap(out, generation.balances(), LAYOUT[6], LAYOUT[7]);
            out.flush();
            final long crc = checksum.getValue();
            out.writeLong(crc);
        }
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE))
        {
            channel.force(true);
        }
        try
        {
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        catch (final AtomicMoveNotSupportedException ex)
        {
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
        }
        forceDirectory(stateDir);
        return written;
    }

    /**
     * Check the snapshot under a state folder, whole, and read where it left each journal; its entries stay in the
     * file until {@link #seed}.
     *
     * @param stateDir the agent's state folder.
     * @return the snapshot, or null if there is none.
     * @throws IOException if it cannot be read, is cut short, fails its checksum or has another layout.
     */
    static StateSnapshot read(final Path stateDir) throws IOException
    {
        final Path file = stateDir.resolve(FILE_NAME);
        final CRC32C checksum = new CRC32C();
        try (DataInputStream in = open(file, checksum))
        {
            final long takenAtMs = readHeader(file, in);
            final int sourceCount = in.readInt();
            final Map<String, SourceMark> sources = new LinkedHashMap<>();
            for (int i = 0; i < sourceCount; i++)
            {
                final String sourceId = in.readUTF();
                sources.put(sourceId, new SourceMark(in.readLong(), in.readInt()));
            }
            final long[] counts = new long[MAPS];
            final byte[] skipped = new byte[BUFFER_BYTES];
            for (int map = 0; map < MAPS; map++)
            {
                counts[map] = readCount(file, in, map);
                long remaining = counts[map] * entryLength(map);
                while (remaining > 0)
                {
                    final int chunk = (int)Math.min(remaining, skipped.length);
                    in.readFully(skipped, 0, chunk);
                    remaining -= chunk;
                }
            }
            final long expected = checksum.getValue();
            checkEnd(file, in, expected);
            return new StateSnapshot(file, Collections.unmodifiableMap(sources), takenAtMs, counts, expected);
        }
        catch (final NoSuchFileException ex)
        {
            return null;
        }
        catch (final EOFException ex)
        {
            throw new IOException(file + " is cut short", ex);
        }
    }

    /**
     * Each source in the snapshot, with where its journal stood.
     *
     * @return unmodifiable, in the order written.
     */
    Map<String, SourceMark> sources()
    {
        return sources;
    }

    /**
     * Wall-clock time the snapshot was taken.
     *
     * @return epoch milliseconds.
     */
    long takenAtMs()
    {
        return takenAtMs;
    }

    /**
     * Entries in the snapshot, all maps together.
     *
     * @return the count.
     */
    long entries()
    {
        long total = 0;
        for (final long count : counts)
        {
            total += count;
        }
        return total;
    }

    /**
     * Put every entry into the maps of a new, empty generation, read from the file one entry at a time.
     *
     * @param generation to seed.
     * @throws UncheckedIOException if the file cannot be read again, or is not the one {@link #read} checked: the
     *                              generation then holds part of it, and must be made afresh.
     */
    void seed(final StateGeneration generation)
    {
        final CRC32C crc = new CRC32C();
        try (DataInputStream in = open(file, crc))
        {
            readHeader(file, in);
            final int sourceCount = in.readInt();
            for (int i = 0; i < sourceCount; i++)
            {
                in.readUTF();
                in.readLong();
                in.readInt();
            }
            seedMap(in, generation.orders(), 0);
            seedMap(in, generation.trades(), 1);
            seedMap(in, generation.pairLocks(), 2);
            seedMap(in, generation.balances(), 3);
            final long expected = crc.getValue();
            if (expected != checksum)
            {
                throw new IOException(file + " changed since it was checked");
            }
            checkEnd(file, in, expected);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private void seedMap(final DataInputStream in, final ChronicleMap<StateRecord, StateRecord> map, final int index)
        throws IOException
    {
        if (readCount(file, in, index) != counts[index])
        {
            throw new IOException(file + " changed since it was checked");
        }
        final int keyLength = LAYOUT[2 * index];
        final int valueLength = LAYOUT[2 * index + 1];
        final StateRecord key = new StateRecord(keyLength);
        final StateRecord value = new StateRecord(valueLength);
        final byte[] entry = new byte[keyLength + valueLength];
        for (long i = 0; i < counts[index]; i++)
        {
            in.readFully(entry);
            key.buffer().putBytes(0, entry, 0, keyLength);
            value.buffer().putBytes(0, entry, keyLength, valueLength);
            map.put(key, value);
        }
    }

    private static DataInputStream open(final Path file, final CRC32C checksum) throws IOException
    {
        final InputStream stream = Files.newInputStream(file);
        return new DataInputStream(new CheckedInputStream(new BufferedInputStream(stream, BUFFER_BYTES), checksum));
    }

    /**
     * The magic and the layout, checked; returns the time the snapshot was taken.
     */
    private static long readHeader(final Path file, final DataInputStream in) throws IOException
    {
        if (in.readLong() != MAGIC)
        {
            throw new IOException(file + " is not a state snapshot of this version");
        }
        for (final int length : LAYOUT)
        {
            final int read = in.readInt();
            if (read != length)
            {
                throw new IOException(file + " was written with another map layout (a length " + read +
                    " where this agent has " + length + ")");
            }
        }
        return in.readLong();
    }

    private static long readCount(final Path file, final DataInputStream in, final int map) throws IOException
    {
        final long count = in.readLong();
        if (count < 0 || count > Long.MAX_VALUE / entryLength(map))
        {
            throw new IOException(file + " is damaged: " + count + " entries in map " + map);
        }
        return count;
    }

    private static int entryLength(final int map)
    {
        return LAYOUT[2 * map] + LAYOUT[2 * map + 1];
    }

    /**
     * The stored checksum equals the one computed so far, and nothing follows it.
     */
    private static void checkEnd(final Path file, final DataInputStream in, final long expected) throws IOException
    {
        final long stored = in.readLong();
        if (stored != expected)
        {
            throw new IOException(file + " fails its checksum: the file is damaged");
        }
        if (in.read() >= 0)
        {
            throw new IOException(file + " has bytes after its checksum");
        }
    }

    private static long writeMap(
        final DataOutputStream out,
        final ChronicleMap<StateRecord, StateRecord> map,
        final int keyLength,
        final int valueLength) throws IOException
    {
        final byte[] key = new byte[keyLength];
        final byte[] value = new byte[valueLength];
        final long size = map.longSize(); // stable: the caller is the only writer
        out.writeLong(size);
        long written = 0;
        for (final Map.Entry<StateRecord, StateRecord> entry : map.entrySet())
        {
            entry.getKey().buffer().getBytes(0, key);
            entry.getValue().buffer().getBytes(0, value);
            out.write(key);
            out.write(value);
            written++;
        }
        if (written != size)
        {
            throw new IOException("the map changed while its snapshot was written: " + written + " of " + size);
        }
        return written;
    }

    private static void forceDirectory(final Path directory)
    {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ))
        {
            channel.force(true);
        }
        catch (final IOException ex)
        {
            // some file systems cannot open a folder for reading; the rename is then as durable as they make it
        }
    }
}
