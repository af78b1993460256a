package io.tradestate.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.Locale;

/**
 * The reading side of {@link EndToEndLatencyHarness}, run in a JVM of its own as a real reader would be:
 * <ul>
 * <li>{@code tailer <queueDir> <skip> <epochOffsetNs> <resultsDir> <name> <idle>}: a Chronicle tailer on one
 * strategy's queue ({@link TailerLatencyProbe});</li>
 * <li>{@code agent <workDir> <epochOffsetNs> <resultsDir>}: the reader agent, its state publisher and its embedded
 * PostgreSQL ({@link AgentLatencyProbe}).</li>
 * </ul>
 * It talks to the harness through {@link ReaderProcess}'s line protocol.
 */
public final class EndToEndReaderMain
{
    private EndToEndReaderMain()
    {
    }

    /**
     * Run one mode until the harness is done with it.
     *
     * @param args the mode, then its arguments.
     * @throws Exception if the mode fails: the harness sees the exit and the log.
     */
    public static void main(final String[] args) throws Exception
    {
        final BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        switch (args[0])
        {
            case "tailer" -> new TailerLatencyProbe(Paths.get(args[1]), Long.parseLong(args[2]),
                Long.parseLong(args[3]), Paths.get(args[4]), args[5], args[6]).run(commands);
            case "agent" -> new AgentLatencyProbe(Paths.get(args[1]), Long.parseLong(args[2]),
                Paths.get(args[3])).run(commands);
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
        System.exit(0);
    }

    /**
     * Print one protocol line.
     *
     * @param format as {@link String#format(Locale, String, Object...)}.
     * @param args   of the format.
     */
    static void reply(final String format, final Object... args)
    {
        System.out.println(ReaderProcess.PREFIX + String.format(Locale.ROOT, format, args));
        System.out.flush();
    }
}
