package io.tradestate.writer;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The flags check in this JVM, which runs with the build's flags: nothing missing, the list checked is the list of
 * exports and opens in {@code deploy/jvm.options}, and a module the flags do not name is found wanting. The child
 * JVMs started without the flags are in {@link JvmFlagsCheckIT}.
 */
class JvmFlagsCheckTest
{
    private static final Path JVM_OPTIONS = Paths.get("..", "deploy", "jvm.options").toAbsolutePath().normalize();

    @Test
    void shouldPassInAJvmStartedWithTheFlags()
    {
        assertEquals(List.of(), JvmFlagsCheck.missingFlags(JvmFlagsCheck.class.getModule(), true));
        JvmFlagsCheck.verifyForJournal();
        JvmFlagsCheck.verifyForStateView();
    }

    @Test
    void shouldCheckEveryExportAndOpenOfTheJvmOptionsFile() throws Exception
    {
        final List<String> written = Files.readAllLines(JVM_OPTIONS).stream().map(String::trim)
            .filter((line) -> line.startsWith("--add-exports=") || line.startsWith("--add-opens="))
            .sorted().collect(Collectors.toList());
        assertEquals(written, JvmFlagsCheck.checkedFlags().stream().sorted().collect(Collectors.toList()));
    }

    @Test
    void shouldFindTheFlagsMissingForAModuleTheyDoNotName()
    {
        // The flags open java.base to ALL-UNNAMED: a named module such as java.sql gets none of it.
        final List<String> missing = JvmFlagsCheck.missingFlags(ModuleLayer.boot().findModule("java.sql")
            .orElseThrow(), false);
        assertTrue(missing.contains("--add-exports=java.base/sun.nio.ch=ALL-UNNAMED"), missing.toString());
        assertTrue(missing.contains("--add-opens=java.base/java.lang=ALL-UNNAMED"), missing.toString());
        assertFalse(missing.contains("--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED"), "exported to all");
        assertFalse(missing.stream().anyMatch((flag) -> flag.contains("jdk.compiler")), "journal: " + missing);
    }

    @Test
    void shouldNameTheMissingFlagsTheScriptAndAFullJdkInTheMessage()
    {
        final String message = JvmFlagsCheck.message("TradeStateView.open",
            List.of("--add-exports=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED"),
            true);
        assertTrue(message.startsWith("TradeStateView.open: "), message);
        assertTrue(message.contains(
            "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.lang=ALL-UNNAMED"), message);
        assertTrue(message.contains("deploy/bin/tradestate-jvm-flags"), message);
        assertTrue(message.contains("full JDK"), message);
        assertFalse(JvmFlagsCheck.message("TradeJournal.open", List.of("x"), false).contains("JDK"));
    }
}
