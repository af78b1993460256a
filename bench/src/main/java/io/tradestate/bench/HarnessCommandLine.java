package io.tradestate.bench;

import io.tradestate.reader.cli.CommandLines;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

import java.io.PrintStream;
import java.util.Arrays;

/**
 * How a harness of bench reads its command line: a picocli {@code @Command} (the harness itself, its options its
 * fields) with the conventions of every command of TradeState ({@link CommandLines}): {@code --help} listing the
 * options with their defaults and the exit codes, {@code --version}, and bad usage (an unknown option, a value that
 * is not of the option's kind or out of its range) refused with a message naming the option, exit code
 * {@value CommandLines#EXIT_USAGE} and nothing run. Options are {@code --key=value} or {@code --key value}; an
 * option given twice counts as given last, so that {@code -D<harness>.args} can replace an option {@code bench/pom.xml}
 * passes before it, such as {@code --results}.
 */
public final class HarnessCommandLine
{
    /**
     * What {@link #parse(Command, String[], PrintStream, PrintStream)} returns when the harness is to run.
     */
    public static final int RUN = -1;

    private HarnessCommandLine()
    {
    }

    /**
     * A harness as a command: picocli fills its option fields in, then {@link #conclude()} validates them once.
     */
    public interface Command
    {
        /**
         * Validate the options picocli filled in, and work out what follows from them.
         *
         * @throws IllegalArgumentException naming the first invalid option.
         */
        void conclude();
    }

    /**
     * Parse and validate the command line of a harness's {@code main}: print the help or the version if asked for,
     * else print what is wrong and exit {@value CommandLines#EXIT_USAGE} if anything is.
     *
     * @param harness the harness, its options not yet parsed.
     * @param args    as {@code main} got them.
     * @return true if the harness is to run; false after the help or the version.
     */
    public static boolean parseOrExit(final Command harness, final String[] args)
    {
        final int exit = parse(harness, args, System.out, System.err);
        if (RUN != exit && 0 != exit)
        {
            System.exit(exit);
        }
        return RUN == exit;
    }

    /**
     * Parse and validate a command line, printing the help, the version or what is wrong.
     *
     * @param harness the harness, its options not yet parsed.
     * @param args    the arguments.
     * @param out     where the help and the version go.
     * @param err     where errors go.
     * @return {@link #RUN} if the harness is to run, 0 after the help or the version,
     *         {@value CommandLines#EXIT_USAGE} for bad usage.
     */
    public static int parse(final Command harness, final String[] args, final PrintStream out, final PrintStream err)
    {
        final CommandLine commandLine = commandLine(CommandLines.create(harness, out, err));
        return CommandLines.run(commandLine, args, (result) ->
        {
            try
            {
                harness.conclude();
                return RUN;
            }
            catch (final IllegalArgumentException ex)
            {
                commandLine.getErr().println(CommandLines.name(commandLine) + ": " + ex.getMessage() + "; see --help");
                commandLine.getErr().flush();
                return CommandLines.EXIT_USAGE;
            }
        });
    }

    /**
     * Parse and validate a command line without printing anything: for the tests, which run harnesses in their JVM.
     *
     * @param harness the harness, its options not yet parsed.
     * @param args    the arguments.
     * @return the parse result, which holds the options' values; not validated when it asks for {@code --help} or
     *         {@code --version}.
     * @throws IllegalArgumentException naming the first unknown or invalid option.
     */
    public static ParseResult parse(final Command harness, final String... args)
    {
        final ParseResult result;
        try
        {
            result = commandLine(new CommandLine(harness)).parseArgs(args);
        }
        catch (final CommandLine.ParameterException ex)
        {
            throw new IllegalArgumentException(ex.getMessage(), ex);
        }
        if (!CommandLines.helpRequested(result))
        {
            harness.conclude();
        }
        return result;
    }

    /**
     * The help text of a harness, as {@code --help} prints it.
     *
     * @param harness the harness.
     * @return the text.
     */
    public static String usage(final Command harness)
    {
        return commandLine(new CommandLine(harness)).getUsageMessage(CommandLine.Help.Ansi.OFF);
    }

    /**
     * A list of whole numbers, such as {@code --rates=1000,100000}.
     *
     * @param option the option's name, for the message.
     * @param list   its value: numbers separated by commas.
     * @return the numbers, in the order given.
     * @throws IllegalArgumentException naming the option if an element is not a whole number.
     */
    static long[] numbers(final String option, final String list)
    {
        try
        {
            return Arrays.stream(list.split(",")).mapToLong((number) -> Long.parseLong(number.trim())).toArray();
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(option + " takes whole numbers separated by commas, not '" + list +
                "'", ex);
        }
    }

    /**
     * The settings of the harnesses' command lines beyond {@link CommandLines}': an option given twice counts as
     * given last.
     */
    private static CommandLine commandLine(final CommandLine commandLine)
    {
        commandLine.setUsageHelpWidth(CommandLines.USAGE_WIDTH);
        commandLine.setExpandAtFiles(false);
        commandLine.setOverwrittenOptionsAllowed(true);
        return commandLine;
    }
}
