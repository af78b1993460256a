package io.tradestate.tools;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --password-file} of {@code tradestate verify} and {@code tradestate partitions}, on real files: read when
 * only its owner and group can read it, refused, naming the option, the file and its mode but never the password,
 * when others can read it or write it.
 */
class PasswordFileOptionsTest
{
    private static final String URL = "jdbc:postgresql://127.0.0.1:5432/tradestate";
    private static final String SECRET = "s3cr3t-tools";

    @TempDir
    Path tempDir;

    @Test
    void shouldReadAPasswordFileOnlyOwnerAndGroupCanRead() throws IOException
    {
        final Path file = passwordFile(0640);

        assertEquals(SECRET, verify(file).password());
        assertEquals(SECRET, partitions(file).password());
    }

    @Test
    void shouldRefuseAPasswordFileOthersCanRead() throws IOException
    {
        final Path file = passwordFile(0644);

        assertRefused(assertThrows(IllegalArgumentException.class, () -> verify(file)), file, "0644", "read");
        assertRefused(assertThrows(IllegalArgumentException.class, () -> partitions(file)), file, "0644", "read");
    }

    @Test
    void shouldRefuseAPasswordFileOthersCanWrite() throws IOException
    {
        final Path file = passwordFile(0602);

        assertRefused(assertThrows(IllegalArgumentException.class, () -> verify(file)), file, "0602", "write");
        assertRefused(assertThrows(IllegalArgumentException.class, () -> partitions(file)), file, "0602", "write");
    }

    private Path passwordFile(final int mode) throws IOException
    {
        final Path file = tempDir.resolve("password");
        Files.writeString(file, SECRET + "\n", StandardCharsets.UTF_8);
        Files.setAttribute(file, "unix:mode", mode);
        return file;
    }

    private VerifyOptions verify(final Path file)
    {
        return VerifyOptions.parse(
            new String[]{ tempDir.toString(), "--db", URL, "--password-file", file.toString() }, Map.of());
    }

    private PartitionsOptions partitions(final Path file)
    {
        return PartitionsOptions.parse(new String[]{ "list", "--db", URL, "--password-file", file.toString() },
            Map.of(), LocalDate.of(2026, 11, 21));
    }

    private static void assertRefused(
        final IllegalArgumentException ex, final Path file, final String mode, final String access)
    {
        final String message = ex.getMessage();
        assertTrue(message.startsWith("--password-file " + file + " has mode " + mode + ": others can " + access),
            message);
        assertFalse(message.contains(SECRET), message);
    }
}
