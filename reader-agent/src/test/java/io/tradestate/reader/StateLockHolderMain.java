package io.tradestate.reader;

import io.tradestate.state.StateGeneration;
import io.tradestate.state.StateLayout;
import io.tradestate.state.StatePointer;
import io.tradestate.state.StateRecord;
import net.openhft.chronicle.map.ExternalMapQueryContext;

import java.nio.file.Path;

/**
 * A child JVM that takes the write lock of one order's segment in the current state-maps generation and holds it
 * until it is killed: {@code <state-dir> <exchange> <order-id>}. Prints {@code HOLDING} once it holds the lock. A
 * SIGKILL then leaves the lock held by a dead process, as an agent killed inside an update would.
 */
final class StateLockHolderMain
{
    private StateLockHolderMain()
    {
    }

    public static void main(final String[] args) throws InterruptedException
    {
        final Path mapsDir = Path.of(args[0]).resolve("maps");
        final StatePointer pointer = StatePointer.openForRead(mapsDir);
        final StateGeneration generation = StateGeneration.openExisting(mapsDir, pointer.generation());
        final StateRecord key = new StateRecord(StateLayout.ORDER_KEY_LENGTH);
        StateLayout.orderKey(key, args[1], args[2]);
        final ExternalMapQueryContext<StateRecord, StateRecord, ?> context = generation.orders().queryContext(key);
        context.writeLock().lock();
        System.out.println("HOLDING");
        System.out.flush();
        Thread.currentThread().join();
    }
}
