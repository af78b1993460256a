package io.tradestate.reader;

import io.tradestate.reader.postgres.SchemaMigrations;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SchemaMigrationsTest
{
    private static final Pattern SCRIPT = Pattern.compile("V(\\d+)__[a-z0-9_]+\\.sql");

    @Test
    void shouldKnowTheNewestMigrationScriptAsItsLatestVersion() throws IOException
    {
        int newest = 0;
        int scripts = 0;
        try (Stream<Path> files = Files.list(Path.of("src/main/resources/db/migration")))
        {
            for (final Path file : (Iterable<Path>)files::iterator)
            {
                final Matcher matcher = SCRIPT.matcher(file.getFileName().toString());
                assertTrue(matcher.matches(), "not a migration script name: " + file.getFileName());
                newest = Math.max(newest, Integer.parseInt(matcher.group(1)));
                scripts++;
            }
        }
        assertEquals(newest, SchemaMigrations.LATEST_VERSION);
        assertEquals(newest, scripts, "one script per version, none missing");
    }
}
