package io.tradestate.reader.cli;

import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * What {@code --version} prints, for every command of TradeState: {@code tradestate}, each of its subcommands, the
 * reader agent and the demo. One line: the project's version and git commit, which the build writes into
 * {@value #RESOURCE} beside this class ({@code reader-agent/pom.xml}: "unknown" when the build ran outside a git
 * checkout), and the Java that runs it.
 * <p>
 * It lives in the reader agent because that is the lowest module with a command line: the tools and the demo
 * depend on it already, while codecs and the writer agent end up in a strategy's JVM, which has no use for a
 * command-line library.
 */
public final class VersionProvider implements CommandLine.IVersionProvider
{
    /**
     * The resource, beside this class, holding {@code version} and {@code commit}.
     */
    public static final String RESOURCE = "version.properties";

    private static final String UNKNOWN = "unknown";

    /**
     * The version line.
     *
     * @return one line.
     */
    public String[] getVersion()
    {
        return new String[]{ version() };
    }

    /**
     * The version line, such as {@code tradestate 0.1.0 (commit a121138), Java 17.0.13 (Eclipse Adoptium)}.
     *
     * @return the line.
     */
    public static String version()
    {
        final Properties build = new Properties();
        try (InputStream in = VersionProvider.class.getResourceAsStream(RESOURCE))
        {
            if (null != in)
            {
                build.load(in);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read " + RESOURCE, ex);
        }
        return "tradestate " + build.getProperty("version", UNKNOWN) +
            " (commit " + build.getProperty("commit", UNKNOWN).trim() + "), Java " +
            System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")";
    }
}
