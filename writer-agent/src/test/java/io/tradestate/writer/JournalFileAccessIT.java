package io.tradestate.writer;

import io.tradestate.files.FileAccess;
import io.tradestate.test.ChildJvm;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Whatever the umask of the strategy's JVM, the journal it creates is for its owner and group only: a strategy JVM
 * started under umask {@code 0000} (everything world-writable by default) and one under {@code 0077} (nothing for the
 * group, so the reader agent could not drain) both leave the journal root and queue folder {@code 2770} and every
 * file {@code 0660}: the metadata file and each cycle file, those the background thread creates at the roll and
 * those an appending thread creates when there is no background thread.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class JournalFileAccessIT
{
    @TempDir
    Path tempDir;

    @ParameterizedTest(name = "umask {0}, roll by the {1}")
    @CsvSource({ "0000, background", "0077, background", "0000, appender", "0077, appender" })
    void shouldGiveOwnerAndGroupOnlyWhateverTheUmask(final String umask, final String roller) throws Exception
    {
        final Path root = tempDir.resolve("journal");
        final String output = runUnderUmask(umask, root, roller);
        assertTrue(output.contains("done 4"), "four cycle files, the three rolls included: " + output);

        final List<String> wrong = new ArrayList<>();
        int files = 0;
        try (Stream<Path> paths = Files.walk(root))
        {
            for (final Path path : paths.collect(Collectors.toList()))
            {
                final int mode = FileAccess.mode(path);
                final int expected = Files.isDirectory(path) ? 02770 : 0660;
                files += Files.isDirectory(path) ? 0 : 1;
                if (mode != expected)
                {
                    wrong.add(path + " " + FileAccess.octal(mode) + " instead of " + FileAccess.octal(expected));
                }
            }
        }
        assertTrue(wrong.isEmpty(), "modes under umask " + umask + ": " + wrong);
        assertTrue(files >= 5, "the metadata file and four cycle files, found " + files);
    }

    private String runUnderUmask(final String umask, final Path root, final String roller)
        throws IOException, InterruptedException
    {
        try (ChildJvm child = ChildJvm.builder(UmaskAppenderMain.class)
            .launcher(List.of("/bin/sh", "-c", "umask " + umask + "; exec \"$@\"", "sh"))
            .arguments(root.toString(), "umask-" + umask, roller).log(tempDir.resolve("child.log")).start())
        {
            assertTrue(child.awaitExit(TimeUnit.MINUTES.toMillis(2)), "child ends");
            final String output = child.output();
            assertEquals(0, child.exitValue(), output);
            return output;
        }
    }
}
