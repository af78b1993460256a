package io.tradestate.tools;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code tradestate verify}'s arguments and the failures it meets before comparing anything; the comparison itself
 * is {@code JournalVerifyToolIT}'s, against a real PostgreSQL.
 */
class JournalVerifyToolTest
{
    private static final String UNREACHABLE = "jdbc:postgresql://127.0.0.1:1/tradestate";

    @TempDir
    Path root;

    @Test
    void shouldExitTwoNamingTheOptionWhenArgumentsAreInvalid()
    {
        assertInvalid("<journal-root> is missing", "--db", UNREACHABLE);
        assertInvalid("--db is missing", "journal");
        assertInvalid("--db must be a jdbc:postgresql: URL", "journal", "--db", "jdbc:mysql://db/x");
        assertInvalid("Unknown option: '--bogus'", "journal", "--db", UNREACHABLE, "--bogus");
        assertInvalid("--closed-retention-ms and --wait-ms go with --state", "journal", "--db", UNREACHABLE,
            "--closed-retention-ms", "10");
        assertInvalid("--closed-retention-ms must be a whole number", "journal", "--db", UNREACHABLE, "--state",
            "s", "--closed-retention-ms", "1h");
        assertInvalid("--password-file cannot be read", "journal", "--db", UNREACHABLE, "--password-file",
            root.resolve("none").toString());
        assertInvalid("option '--source' (ID) should be specified only once", "journal", "--db", UNREACHABLE,
            "--source", "a", "--source=b");
        assertInvalid("unexpected argument 'more'", "journal", "more", "--db", UNREACHABLE);
    }

    @Test
    void shouldPrintTheUsageWhenHelpIsAsked()
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(JournalVerifyTool.EXIT_CLEAN, run(out, new ByteArrayOutputStream(), "--help"));
        final String help = out.toString(StandardCharsets.UTF_8);
        assertTrue(help.startsWith("usage: tradestate verify <journal-root> --db <jdbc-url> [options]"), help);
        assertTrue(help.contains("Exit codes:\n  0   clean\n  1   differences found\n  2   invalid arguments\n" +
            "  3   a journal, the database or the state maps cannot be read"), help);
    }

    @Test
    void shouldReadThePasswordFromTheEnvironmentOrTheFirstLineOfTheFile() throws Exception
    {
        assertEquals("secret", VerifyOptions.parse(new String[] { "j", "--db", UNREACHABLE },
            Map.of(VerifyOptions.PASSWORD_ENV, "secret")).password());
        final Path file = Files.writeString(root.resolve("password"), " from-file \nsecond line\n");
        Files.setAttribute(file, "unix:mode", 0600);
        assertEquals("from-file", VerifyOptions.parse(new String[] { "j", "--db", UNREACHABLE, "--password-file",
            file.toString() }, Map.of(VerifyOptions.PASSWORD_ENV, "secret")).password());
    }

    @Test
    void shouldExitThreeWhenTheJournalRootOrTheDatabaseCannotBeRead() throws Exception
    {
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(JournalVerifyTool.EXIT_CANNOT_READ, run(new ByteArrayOutputStream(), err,
            root.resolve("missing").toString(), "--db", UNREACHABLE));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("is not a folder"), err.toString());

        err.reset();
        Files.createDirectories(root.resolve("journal"));
        assertEquals(JournalVerifyTool.EXIT_CANNOT_READ, run(new ByteArrayOutputStream(), err,
            root.resolve("journal").toString(), "--db", UNREACHABLE, "--source", "nobody"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("cannot read the journal of nobody"),
            err.toString());

        err.reset();
        assertEquals(JournalVerifyTool.EXIT_CANNOT_READ, run(new ByteArrayOutputStream(), err,
            root.resolve("journal").toString(), "--db", UNREACHABLE));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith(
            "tradestate verify: cannot read the database " + UNREACHABLE + ": "), err.toString());
    }

    @Test
    void shouldNeverPrintAPasswordGivenInTheUrl()
    {
        assertEquals("jdbc:postgresql://db/tradestate?user=ts&password=***&ssl=true",
            JournalVerifyTool.redacted("jdbc:postgresql://db/tradestate?user=ts&password=s3cret&ssl=true"));
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        run(new ByteArrayOutputStream(), err, root.toString(), "--db", UNREACHABLE + "?password=hunter2");
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("?password=***"), err.toString());
        assertFalse(err.toString(StandardCharsets.UTF_8).contains("hunter2"), err.toString());
    }

    private void assertInvalid(final String message, final String... args)
    {
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(JournalVerifyTool.EXIT_INVALID_ARGUMENTS, run(new ByteArrayOutputStream(), err, args));
        final String text = err.toString(StandardCharsets.UTF_8);
        assertTrue(text.startsWith("tradestate verify: " + message), text);
    }

    private static int run(final ByteArrayOutputStream out, final ByteArrayOutputStream err, final String... args)
    {
        try (PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
            PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8))
        {
            return JournalVerifyTool.run(args, outStream, errStream, Map.of());
        }
    }
}
