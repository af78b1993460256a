package io.tradestate.writer;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The jars a strategy puts on its module path name their modules (issue 20: {@code Automatic-Module-Name} in each
 * jar's manifest), so that a modular strategy can {@code requires io.tradestate.writer;} under a name that will not
 * change with the file name; and each comes with its sources and javadoc jars, for the strategy's IDE. Read from the
 * jars this build packaged, after the package phase.
 */
class ModuleNamesIT
{
    private static final Map<String, String> MODULES = Map.of(
        "codecs", "io.tradestate.codecs",
        "state-maps", "io.tradestate.state",
        "writer-agent", "io.tradestate.writer");

    @Test
    void shouldNameTheModuleOfEveryJarAStrategyLinks() throws IOException
    {
        for (final Map.Entry<String, String> module : MODULES.entrySet())
        {
            final Path jar = jar(Path.of("..", module.getKey(), "target"), "tradestate-" + module.getKey() + "-");
            try (JarFile file = new JarFile(jar.toFile()))
            {
                assertEquals(module.getValue(), file.getManifest().getMainAttributes().getValue(
                    "Automatic-Module-Name"), jar.toString());
            }
        }
    }

    @Test
    void shouldShipSourcesAndJavadocBesideEveryJarAStrategyLinks() throws IOException
    {
        final Map<String, String> classes = Map.of(
            "codecs", "io/tradestate/codecs/event/JournalEventReader",
            "state-maps", "io/tradestate/state/StateLayout",
            "writer-agent", "io/tradestate/writer/TradeJournal");
        for (final Map.Entry<String, String> module : classes.entrySet())
        {
            final Path target = Path.of("..", module.getKey(), "target");
            final String name = "tradestate-" + module.getKey() + "-";
            final Path sources = attached(target, name, "-sources.jar");
            try (JarFile file = new JarFile(sources.toFile()))
            {
                assertNotNull(file.getEntry(module.getValue() + ".java"), sources + " holds the sources");
            }
            final Path javadoc = attached(target, name, "-javadoc.jar");
            try (JarFile file = new JarFile(javadoc.toFile()))
            {
                // javadoc lays the pages out under the module's name, as the manifest names it.
                assertTrue(file.stream().anyMatch((entry) -> entry.getName().endsWith(module.getValue() + ".html")),
                    javadoc + " holds the javadoc");
            }
        }
    }

    private static Path attached(final Path target, final String prefix, final String suffix) throws IOException
    {
        try (Stream<Path> files = Files.list(target))
        {
            final List<Path> jars = files.filter((file) ->
                file.getFileName().toString().startsWith(prefix) && file.getFileName().toString().endsWith(suffix))
                .collect(Collectors.toList());
            assertEquals(1, jars.size(), "one " + suffix + " in " + target + ": " + jars);
            return jars.get(0);
        }
    }

    /**
     * The module's main jar: not its tests, sources or runnable variant.
     */
    private static Path jar(final Path target, final String prefix) throws IOException
    {
        try (Stream<Path> files = Files.list(target))
        {
            final List<Path> jars = files.filter((file) ->
            {
                final String name = file.getFileName().toString();
                return name.startsWith(prefix) && name.endsWith(".jar") && !name.endsWith("-tests.jar") &&
                    !name.endsWith("-sources.jar") && !name.endsWith("-javadoc.jar") && !name.endsWith("-runnable.jar");
            }).collect(Collectors.toList());
            assertEquals(1, jars.size(), "one main jar in " + target + ": " + jars);
            return jars.get(0);
        }
    }
}
