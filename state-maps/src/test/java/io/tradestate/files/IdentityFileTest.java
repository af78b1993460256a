package io.tradestate.files;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdentityFileTest
{
    @TempDir
    Path folder;

    @Test
    void shouldMakeTheIdentityOnceAndReadItBackAfterwards() throws IOException
    {
        final Path file = folder.resolve(IdentityFile.JOURNAL_ID);
        assertNull(IdentityFile.read(file));

        final UUID made = IdentityFile.readOrCreate(file);
        assertEquals(made, IdentityFile.readOrCreate(file));
        assertEquals(made, IdentityFile.read(file));
        assertEquals(made + "\n", Files.readString(file, StandardCharsets.US_ASCII));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)),
            "readable by the group from the start, whatever the umask; nothing for others");
        try (Stream<Path> files = Files.list(folder))
        {
            assertEquals(List.of(file), files.toList(), "no temporary file left");
        }
    }

    @Test
    void shouldGiveEveryoneTheSameIdentityWhenManyMakeItAtOnce() throws Exception
    {
        final Path file = folder.resolve(IdentityFile.AGENT_ID);
        final int threads = 8;
        final CountDownLatch start = new CountDownLatch(1);
        final ExecutorService executor = Executors.newFixedThreadPool(threads);
        try
        {
            final List<Future<UUID>> made = new ArrayList<>();
            for (int i = 0; i < threads; i++)
            {
                final Callable<UUID> make = () ->
                {
                    start.await();
                    return IdentityFile.readOrCreate(file);
                };
                made.add(executor.submit(make));
            }
            start.countDown();
            final Set<UUID> identities = new HashSet<>();
            for (final Future<UUID> each : made)
            {
                identities.add(each.get());
            }
            assertEquals(Set.of(IdentityFile.read(file)), identities);
        }
        finally
        {
            executor.shutdownNow();
        }
    }

    @Test
    void shouldRefuseAFileThatDoesNotHoldAnIdentity() throws IOException
    {
        final Path file = folder.resolve(IdentityFile.JOURNAL_ID);
        Files.writeString(file, "not an id\n");

        final IOException refused = assertThrows(IOException.class, () -> IdentityFile.readOrCreate(file));
        assertTrue(refused.getMessage().contains(file.toString()) && refused.getMessage().contains("not an id"),
            refused.getMessage());
    }
}
