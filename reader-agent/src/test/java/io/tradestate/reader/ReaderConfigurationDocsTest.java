package io.tradestate.reader;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The settings table in the code, the README and the example configuration in {@code deploy/} say the same thing.
 */
class ReaderConfigurationDocsTest
{
    @Test
    void shouldDocumentEveryKeyWithItsDefaultInTheReadme() throws IOException
    {
        final String readme = Files.readString(Paths.get("README.md"), StandardCharsets.UTF_8);
        for (final ReaderConfiguration.Setting setting : ReaderConfiguration.settings().values())
        {
            final String shownDefault = setting.defaultValue().isEmpty() ? "(empty)" : "`" +
                setting.defaultValue() + "`";
            final String row = "| `" + setting.key() + "` | " + shownDefault + " | " + setting.meaning() + " |";
            assertTrue(readme.contains(row), "README.md lacks the row: " + row);
        }
    }

    @Test
    void shouldListEveryKeyWithItsDefaultInTheExampleConfiguration() throws IOException
    {
        final Path example = Paths.get("..", "deploy", "config", "reader-agent.properties");
        final Properties properties = new Properties();
        try (var reader = Files.newBufferedReader(example, StandardCharsets.UTF_8))
        {
            properties.load(reader);
        }
        assertEquals(ReaderConfiguration.settings().keySet(), properties.stringPropertyNames());
        for (final Map.Entry<String, ReaderConfiguration.Setting> entry : ReaderConfiguration.settings().entrySet())
        {
            assertEquals(entry.getValue().defaultValue(), properties.getProperty(entry.getKey()), entry.getKey());
        }
    }

    @Test
    void shouldLoadTheExampleConfigurationAsTheDefaults()
    {
        final ReaderContext fromFile = ReaderContext.load(
            Paths.get("..", "deploy", "config", "reader-agent.properties"), Map.of()).conclude();
        final ReaderContext defaults = ReaderContext.load(null, Map.of()).conclude();
        assertEquals(defaults.toString(), fromFile.toString());
    }
}
