package io.tradestate.reader;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReaderContextTest
{
    @TempDir
    Path folder;

    @Test
    void shouldRefuseAnUnknownKeyNamingIt() throws IOException
    {
        final Path file = write("journal.root=/tmp/j\nbatch.max.event=5\n");
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> ReaderContext.load(file, Map.of()));
        assertTrue(ex.getMessage().contains("batch.max.event"), ex.getMessage());
    }

    @Test
    void shouldRefuseAnInvalidValueNamingTheKeyAndItsVariable() throws IOException
    {
        final Path file = write("batch.max.events=lots\n");
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> ReaderContext.load(file, Map.of()).conclude());
        assertTrue(ex.getMessage().contains("batch.max.events"), ex.getMessage());
        assertTrue(ex.getMessage().contains("TRADESTATE_BATCH_MAX_EVENTS"), ex.getMessage());
    }

    @Test
    void shouldRefuseAnUnknownIdleStrategyAndANonPostgresUrl()
    {
        assertThrows(IllegalArgumentException.class, () -> ReaderContext.load(null,
            Map.of("TRADESTATE_IDLE_STRATEGY", "nap")).conclude());
        assertThrows(IllegalArgumentException.class, () -> ReaderContext.load(null,
            Map.of("TRADESTATE_DB_URL", "jdbc:mysql://x/y")).conclude());
    }

    @Test
    void shouldTakeTheStatePublishersLongestParkInMicrosecondsWithinItsRange()
    {
        assertEquals(1_000, ReaderContext.load(null, Map.of()).conclude().stateIdleMaxParkUs());
        assertEquals(50, ReaderContext.load(null, Map.of("TRADESTATE_STATE_IDLE_MAX_PARK_US", "50")).conclude()
            .stateIdleMaxParkUs());
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> ReaderContext.load(null, Map.of("TRADESTATE_STATE_IDLE_MAX_PARK_US", "0")).conclude());
        assertTrue(ex.getMessage().startsWith("state.idle.max.park.us must be between 1 and 1000000, was: '0'"),
            ex.getMessage());
    }

    @Test
    void shouldLetTheEnvironmentOverrideTheFile() throws IOException
    {
        final Path file = write("batch.max.events=500\ndb.url=jdbc:postgresql://file/db\n");
        final ReaderContext context = ReaderContext.load(file,
            Map.of("TRADESTATE_BATCH_MAX_EVENTS", "700")).conclude();
        assertEquals(700, context.batchMaxEvents());
        assertEquals("jdbc:postgresql://file/db", context.dbUrl());
        assertFalse(context.embeddedDatabase());
    }

    @Test
    void shouldReadThePasswordFromTheEnvironmentOrAFileAndNeverPrintIt() throws IOException
    {
        final Path secret = folder.resolve("secret");
        Files.writeString(secret, "s3cr3t-from-file\nsecond line ignored\n");
        Files.setAttribute(secret, "unix:mode", 0640);
        final ReaderContext fromFile = ReaderContext.load(write("db.password.file=" + secret + "\n"), Map.of())
            .conclude();
        assertEquals("s3cr3t-from-file", fromFile.dbPassword());
        assertFalse(fromFile.toString().contains("s3cr3t"), fromFile.toString());

        final ReaderContext fromEnvironment = ReaderContext.load(write("db.password.file=" + secret + "\n"),
            Map.of(ReaderContext.DB_PASSWORD_ENV, "env-wins")).conclude();
        assertEquals("env-wins", fromEnvironment.dbPassword());
        assertFalse(fromEnvironment.toString().contains("env-wins"));
    }

    @Test
    void shouldRefuseAPasswordInTheUrlWithoutEchoingIt()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> ReaderContext.load(null, Map.of("TRADESTATE_DB_URL",
            "jdbc:postgresql://db:5432/tradestate?ssl=true&Password=url-s3cr3t")).conclude());
        assertTrue(ex.getMessage().startsWith("db.url must not carry the password"), ex.getMessage());
        assertFalse(ex.getMessage().contains("url-s3cr3t"), ex.getMessage());
    }

    @Test
    void shouldFailNamingThePasswordFileWhenItCannotBeRead()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> ReaderContext.load(null, Map.of("TRADESTATE_DB_PASSWORD_FILE", "/no/such/file")).conclude());
        assertTrue(ex.getMessage().contains("db.password.file"), ex.getMessage());
    }

    @Test
    void shouldRefuseAPasswordFileOthersCanReadOrWriteNamingTheKeyAndTheMode() throws IOException
    {
        final Path secret = folder.resolve("secret");
        Files.writeString(secret, "s3cr3t-lax\n");
        for (final int mode : new int[]{ 0644, 0604, 0602, 0666 })
        {
            Files.setAttribute(secret, "unix:mode", mode);
            for (final String key : new String[]{ "db.password.file", "db.migration.password.file" })
            {
                final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                    () -> ReaderContext.load(write("db.url=jdbc:postgresql://db/ts\ndb.migration.user=owner\n" +
                    key + "=" + secret + "\n"), Map.of()).conclude());
                assertTrue(ex.getMessage().startsWith(key + " " + secret + " has mode 0" +
                    Integer.toOctalString(mode) + ": others can"), ex.getMessage());
                assertFalse(ex.getMessage().contains("s3cr3t"), ex.getMessage());
            }
        }
    }

    @Test
    void shouldTakeTheMigrationRoleAndItsPasswordFromAFileOrTheEnvironment() throws IOException
    {
        final Path secret = folder.resolve("migration-secret");
        Files.writeString(secret, "owner-s3cr3t\n");
        Files.setAttribute(secret, "unix:mode", 0600);
        final Path config = write("db.url=jdbc:postgresql://db/ts\ndb.user=tradestate_agent\n" +
            "db.migration.user=tradestate_owner\ndb.migration.password.file=" + secret + "\n");

        final ReaderContext fromFile = ReaderContext.load(config, Map.of()).conclude();
        assertEquals("tradestate_owner", fromFile.dbMigrationUser());
        assertEquals("owner-s3cr3t", fromFile.dbMigrationPassword());
        assertFalse(fromFile.toString().contains("owner-s3cr3t"), fromFile.toString());

        final ReaderContext fromEnvironment = ReaderContext.load(config,
            Map.of(ReaderContext.DB_MIGRATION_PASSWORD_ENV, "env-owner")).conclude();
        assertEquals("env-owner", fromEnvironment.dbMigrationPassword());

        final IllegalArgumentException embedded = assertThrows(IllegalArgumentException.class,
            () -> ReaderContext.load(write("db.migration.user=owner\n"), Map.of()).conclude());
        assertTrue(embedded.getMessage().startsWith("db.migration.user needs db.url"), embedded.getMessage());
    }

    @Test
    void shouldRefuseAnSslKeyPasswordInTheUrl()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> ReaderContext.load(null, Map.of("TRADESTATE_DB_URL",
            "jdbc:postgresql://db:5432/tradestate?sslmode=verify-full&sslpassword=key-s3cr3t")).conclude());
        assertTrue(ex.getMessage().startsWith("db.url must not carry the password"), ex.getMessage());
        assertFalse(ex.getMessage().contains("key-s3cr3t"), ex.getMessage());
    }

    @Test
    void shouldRefuseAUserInTheUrlThatWouldSilentlyWinOverTheConfiguredOnes()
    {
        final String url = "jdbc:postgresql://db:5432/tradestate?sslmode=require&user=alice";
        final IllegalArgumentException otherUser = assertThrows(IllegalArgumentException.class,
            () -> ReaderContext.load(null, Map.of("TRADESTATE_DB_URL", url)).conclude());
        assertTrue(otherUser.getMessage().startsWith("db.url names the user 'alice', which would win over db.user " +
            "('postgres'): drop user= from the URL and set db.user"), otherUser.getMessage());

        final IllegalArgumentException migrationUser = assertThrows(IllegalArgumentException.class,
            () -> ReaderContext.load(null, Map.of("TRADESTATE_DB_URL", url, "TRADESTATE_DB_USER", "alice",
            "TRADESTATE_DB_MIGRATION_USER", "owner")).conclude());
        assertTrue(migrationUser.getMessage().startsWith("db.url names the user 'alice', which would win over " +
            "db.migration.user ('owner')"), migrationUser.getMessage());

        final ReaderContext sameUser = ReaderContext.load(null,
            Map.of("TRADESTATE_DB_URL", url, "TRADESTATE_DB_USER", "alice")).conclude();
        assertEquals("alice", sameUser.dbUser());
    }

    @Test
    void shouldRefuseAFilesGroupThatDoesNotExist()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> ReaderContext.load(null, Map.of("TRADESTATE_FILES_GROUP", "no-such-group-ts")).conclude());
        assertTrue(ex.getMessage().startsWith("files.group names the group 'no-such-group-ts'"), ex.getMessage());
    }

    private Path write(final String content) throws IOException
    {
        final Path file = Files.createTempFile(folder, "reader", ".properties");
        Files.writeString(file, content);
        return file;
    }
}
