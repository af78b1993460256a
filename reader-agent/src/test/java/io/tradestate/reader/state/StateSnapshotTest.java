package io.tradestate.reader.state;

import io.tradestate.state.StateGeneration;
import io.tradestate.state.StateLayout;
import io.tradestate.state.StateRecord;
import net.openhft.chronicle.map.ChronicleMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The snapshot file on real Chronicle Map files: what is written is read back and seeds an empty generation entry for
 * entry; a damaged or cut file is refused with a reason, never half read; and reading it takes memory for its marks,
 * not for its entries (issue 16, item 6: held whole, the entries of maps at their default capacities needed hundreds
 * of megabytes of heap at every start).
 */
class StateSnapshotTest
{
    @TempDir
    Path stateDir;

    @Test
    void shouldSeedAnEmptyGenerationWithEveryEntryAndMarkWritten() throws IOException
    {
        final Map<String, StateSnapshot.SourceMark> marks = new LinkedHashMap<>();
        marks.put("alpha", new StateSnapshot.SourceMark(0x4a00000005L, 0x12345678));
        marks.put("beta", new StateSnapshot.SourceMark(7, -1));
        try (StateGeneration source = generation(1);
            StateGeneration target = generation(2))
        {
            fill(source.orders(), StateLayout.ORDER_KEY_LENGTH, StateLayout.ORDER_VALUE_LENGTH, 300);
            fill(source.trades(), StateLayout.TRADE_KEY_LENGTH, StateLayout.TRADE_VALUE_LENGTH, 20);
            fill(source.pairLocks(), StateLayout.LOCK_KEY_LENGTH, StateLayout.LOCK_VALUE_LENGTH, 5);
            fill(source.balances(), StateLayout.BALANCE_KEY_LENGTH, StateLayout.BALANCE_VALUE_LENGTH, 3);

            assertEquals(328, StateSnapshot.write(stateDir, source, marks, 1_700_000_000_123L));
            final StateSnapshot snapshot = StateSnapshot.read(stateDir);

            assertEquals(1_700_000_000_123L, snapshot.takenAtMs());
            assertEquals(328, snapshot.entries());
            assertEquals(marks.keySet(), snapshot.sources().keySet());
            assertEquals(0x4a00000005L, snapshot.sources().get("alpha").lastIndex());
            assertEquals(0x12345678, snapshot.sources().get("alpha").excerptChecksum());
            assertEquals(-1, snapshot.sources().get("beta").excerptChecksum());
            snapshot.seed(target);
            assertSameEntries(source.orders(), target.orders());
            assertSameEntries(source.trades(), target.trades());
            assertSameEntries(source.pairLocks(), target.pairLocks());
            assertSameEntries(source.balances(), target.balances());
        }
    }

    @Test
    void shouldRefuseADamagedOrCutFileAndAnswerNullWithoutOne() throws IOException
    {
        assertNull(StateSnapshot.read(stateDir));
        try (StateGeneration source = generation(1))
        {
            fill(source.orders(), StateLayout.ORDER_KEY_LENGTH, StateLayout.ORDER_VALUE_LENGTH, 10);
            StateSnapshot.write(stateDir, source, Map.of("alpha", new StateSnapshot.SourceMark(3, 4)), 1L);
        }
        final Path file = stateDir.resolve(StateSnapshot.FILE_NAME);
        final byte[] good = Files.readAllBytes(file);

        final byte[] flipped = good.clone();
        flipped[good.length / 2] ^= 0x10;
        Files.write(file, flipped);
        assertTrue(assertThrows(IOException.class, () -> StateSnapshot.read(stateDir)).getMessage()
            .endsWith("fails its checksum: the file is damaged"));

        Files.write(file, Arrays.copyOf(good, good.length - 3));
        assertTrue(assertThrows(IOException.class, () -> StateSnapshot.read(stateDir)).getMessage()
            .endsWith("is cut short"));

        Files.write(file, good);
        assertEquals(10, StateSnapshot.read(stateDir).entries());
    }

    @Test
    void shouldCheckASnapshotWithoutHoldingItsEntries() throws IOException
    {
        final int orders = 20_000;
        try (StateGeneration source = StateGeneration.create(stateDir.resolve("maps"), 1, 30_000, 1_000, 1_000, 1_000);
            StateGeneration target = StateGeneration.create(stateDir.resolve("maps"), 2, 30_000, 1_000, 1_000, 1_000))
        {
            fill(source.orders(), StateLayout.ORDER_KEY_LENGTH, StateLayout.ORDER_VALUE_LENGTH, orders);
            StateSnapshot.write(stateDir, source, Map.of("alpha", new StateSnapshot.SourceMark(3, 4)), 1L);
            final long fileBytes = Files.size(stateDir.resolve(StateSnapshot.FILE_NAME));
            assertTrue(fileBytes > 8_000_000, fileBytes + " bytes");

            final com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
            StateSnapshot.read(stateDir); // warm-up
            final long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
            final StateSnapshot snapshot = StateSnapshot.read(stateDir);
            final long allocated = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
            assertTrue(allocated < 1 << 20, "reading a snapshot of " + fileBytes + " bytes allocated " + allocated);

            assertEquals(orders, snapshot.entries());
            snapshot.seed(target);
            assertSameEntries(source.orders(), target.orders());
        }
    }

    private StateGeneration generation(final long number)
    {
        return StateGeneration.create(stateDir.resolve("maps"), number, 1_000, 1_000, 1_000, 1_000);
    }

    private static void fill(
        final ChronicleMap<StateRecord, StateRecord> map, final int keyLength, final int valueLength, final int count)
    {
        final StateRecord key = new StateRecord(keyLength);
        final StateRecord value = new StateRecord(valueLength);
        for (int i = 0; i < count; i++)
        {
            key.buffer().putInt(0, i);
            key.buffer().putByte(keyLength - 1, (byte)i);
            value.buffer().setMemory(0, valueLength, (byte)(i * 31 + 7));
            value.buffer().putInt(valueLength - 4, i);
            map.put(key, value);
        }
    }

    private static void assertSameEntries(
        final ChronicleMap<StateRecord, StateRecord> expected, final ChronicleMap<StateRecord, StateRecord> actual)
    {
        assertEquals(expected.size(), actual.size());
        for (final Map.Entry<StateRecord, StateRecord> entry : expected.entrySet())
        {
            final StateRecord found = actual.get(entry.getKey());
            final byte[] want = new byte[entry.getValue().capacity()];
            final byte[] got = new byte[found.capacity()];
            entry.getValue().buffer().getBytes(0, want);
            found.buffer().getBytes(0, got);
            assertArrayEquals(want, got);
        }
    }
}
