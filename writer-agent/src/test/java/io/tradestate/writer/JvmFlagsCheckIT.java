package io.tradestate.writer;

import io.tradestate.test.ChildJvm;
import io.tradestate.writer.state.TradeStateView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A strategy JVM started without the JVM flags is refused by {@code TradeJournal.open} and
 * {@code TradeStateView.open} at once, with an {@link IllegalStateException} naming the flags it lacks and
 * {@code tradestate-jvm-flags}, before Chronicle creates a file or fails in its own way; one that lacks a single flag
 * is told that one; one started with the flags opens both.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class JvmFlagsCheckIT
{
    private static final String JAVA_LANG = "--add-opens=java.base/java.lang=ALL-UNNAMED";
    private static final String SUN_NIO_CH = "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED";
    private static final String JAVAC_FILE = "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED";

    @TempDir
    Path tempDir;

    @Test
    void shouldRefuseToOpenNamingTheFlagsWhenStartedWithoutThem() throws Exception
    {
        final String output = openInChildJvm(List.of());

        final String journal = line(output, "journal refused: ");
        assertTrue(journal.startsWith("journal refused: TradeJournal.open: "), output);
        assertTrue(journal.contains(SUN_NIO_CH) && journal.contains(JAVA_LANG), journal);
        assertTrue(journal.contains("deploy/bin/tradestate-jvm-flags"), journal);
        assertFalse(journal.contains("jdk.compiler"), "the journal needs no compiler: " + journal);
        final String view = line(output, "view refused: ");
        assertTrue(view.contains(SUN_NIO_CH) && view.contains(JAVAC_FILE), view);
        assertFalse(output.contains("AssertionError") || output.contains("IllegalAccessException"), output);
        assertFalse(Files.exists(tempDir.resolve("journal")), "nothing created before the check");
    }

    @Test
    void shouldNameOnlyTheFlagsThatAreMissing() throws Exception
    {
        final List<String> flags = new ArrayList<>(buildFlags());
        assertTrue(flags.remove(JAVA_LANG) && flags.remove(JAVAC_FILE), flags.toString());

        final String output = openInChildJvm(flags);

        final String journal = line(output, "journal refused: ");
        assertTrue(journal.contains(": " + JAVA_LANG + ". "), journal);
        assertTrue(line(output, "view refused: ").contains(": " + JAVA_LANG + " " + JAVAC_FILE + ". "), output);
    }

    @Test
    void shouldOpenBothWhenStartedWithTheFlags() throws Exception
    {
        final String output = openInChildJvm(buildFlags());

        assertTrue(output.contains("journal opened") && output.contains("view opened"), output);
        assertTrue(Files.isDirectory(tempDir.resolve("journal").resolve("flags-check")), output);
    }

    private String openInChildJvm(final List<String> flags) throws IOException, InterruptedException
    {
        try (ChildJvm child = ChildJvm.builder(OpenBothMain.class).jvmFlags(flags).heap("-Xmx128m")
            .systemProperty("tradestate.journal.warmup.appends", "0")
            .arguments(tempDir.resolve("journal").toString(), tempDir.resolve("state").toString())
            .log(tempDir.resolve("child.log")).start())
        {
            final boolean ended = child.awaitExit(60_000);
            final String output = child.output();
            assertTrue(ended, "the child JVM ends: " + output);
            assertEquals(0, child.exitValue(), output);
            return output;
        }
    }

    private static List<String> buildFlags()
    {
        return ChildJvm.projectFlags();
    }

    private static String line(final String output, final String prefix)
    {
        return output.lines().filter((line) -> line.startsWith(prefix)).findFirst()
            .orElseThrow(() -> new AssertionError("no line '" + prefix + "' in: " + output));
    }

    /**
     * The child JVM: opens a journal and a state view, saying for each whether it was refused and why.
     */
    static final class OpenBothMain
    {
        public static void main(final String[] args)
        {
            try (TradeJournal journal = TradeJournal.open(new JournalContext().journalRoot(Path.of(args[0]))
                .sourceId("flags-check")))
            {
                System.out.println("journal opened: " + journal.sourceId());
            }
            catch (final IllegalStateException ex)
            {
                System.out.println("journal refused: " + ex.getMessage());
            }

            try (TradeStateView view = TradeStateView.open(Path.of(args[1])))
            {
                System.out.println("view opened: generation " + view.generation());
            }
            catch (final IllegalStateException ex)
            {
                System.out.println("view refused: " + ex.getMessage());
            }
        }
    }
}
