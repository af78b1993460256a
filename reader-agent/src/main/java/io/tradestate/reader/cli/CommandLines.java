package io.tradestate.reader.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.UsageMessageSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * How every command of TradeState reads its command line, with picocli: {@code --help} and {@code --version}
 * ({@link VersionProvider}) on each, exit code 2 with a message naming the option for bad usage, the rest the
 * command's own. The commands are picocli {@code @Command} classes holding their options; a command validates what
 * picocli cannot (ranges, options that go together) once parsed, failing with an {@link IllegalArgumentException}
 * naming the option, which also exits 2.
 */
public final class CommandLines
{
    /**
     * Exit code of every command for bad usage: an unknown option, a missing or invalid value.
     */
    public static final int EXIT_USAGE = 2;

    /**
     * Width of the help text.
     */
    public static final int USAGE_WIDTH = 110;

    private CommandLines()
    {
    }

    /**
     * A command line whose help, version and errors go to the given streams.
     *
     * @param command a picocli {@code @Command} object.
     * @param out     where the help and the version go.
     * @param err     where errors go.
     * @return the command line.
     */
    public static CommandLine create(final Object command, final PrintStream out, final PrintStream err)
    {
        return create(command, new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true),
            new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true));
    }

    /**
     * A command line whose help, version and errors go to the given writers.
     *
     * @param command a picocli {@code @Command} object.
     * @param out     where the help and the version go.
     * @param err     where errors go.
     * @return the command line.
     */
    public static CommandLine create(final Object command, final PrintWriter out, final PrintWriter err)
    {
        final CommandLine commandLine = commandLine(command);
        commandLine.setOut(out);
        commandLine.setErr(err);
        return commandLine;
    }

    /**
     * Parse, print the help or the version if asked for (by any command of the line), else run the action.
     *
     * @param commandLine from {@link #create}, with its subcommands.
     * @param args        as {@code main} got them.
     * @param action      runs the parsed command; returns its exit code.
     * @return the exit code: 0 after the help or the version, {@value #EXIT_USAGE} for bad usage.
     */
    public static int run(final CommandLine commandLine, final String[] args, final ToIntFunction<ParseResult> action)
    {
        final ParseResult result;
        try
        {
            result = commandLine.parseArgs(args);
        }
        catch (final ParameterException ex)
        {
            final CommandLine failed = null == ex.getCommandLine() ? commandLine : ex.getCommandLine();
            failed.getErr().println(name(failed) + ": " + ex.getMessage() + "; see --help");
            failed.getErr().flush();
            return EXIT_USAGE;
        }
        if (CommandLine.printHelpIfRequested(result))
        {
            return 0;
        }
        return action.applyAsInt(result);
    }

    /**
     * Parse a command line into its command's fields, without running anything: for commands that validate their
     * options in a method of their own, and their tests.
     *
     * @param command a picocli {@code @Command} object.
     * @param args    the arguments.
     * @return the parse result, which tells whether {@code --help} or {@code --version} was asked for.
     * @throws IllegalArgumentException with picocli's message, naming the option, for bad usage.
     */
    public static ParseResult parse(final Object command, final String... args)
    {
        try
        {
            return commandLine(command).parseArgs(args);
        }
        catch (final ParameterException ex)
        {
            throw new IllegalArgumentException(ex.getMessage(), ex);
        }
    }

    /**
     * Whether {@code --help} or {@code --version} was asked for.
     *
     * @param result of a parse.
     * @return true if so: nothing else is to run.
     */
    public static boolean helpRequested(final ParseResult result)
    {
        return result.isUsageHelpRequested() || result.isVersionHelpRequested();
    }

    /**
     * The deepest subcommand of a parse: the command to run.
     *
     * @param result of a parse.
     * @return the result of the last subcommand given, or {@code result} itself.
     */
    public static ParseResult leaf(final ParseResult result)
    {
        ParseResult leaf = result;
        while (leaf.hasSubcommand())
        {
            leaf = leaf.subcommand();
        }
        return leaf;
    }

    /**
     * The help text of a command, as {@code --help} prints it.
     *
     * @param command a picocli {@code @Command} object.
     * @return the text.
     */
    public static String usage(final Object command)
    {
        return commandLine(command).getUsageMessage(CommandLine.Help.Ansi.OFF);
    }

    /**
     * A command line whose help does not list the subcommands by name, for a command whose synopsis or description
     * lists them with their arguments.
     *
     * @param commandLine the command line.
     * @return it.
     */
    public static CommandLine withoutCommandList(final CommandLine commandLine)
    {
        final List<String> sections = new ArrayList<>(commandLine.getHelpSectionKeys());
        sections.remove(UsageMessageSpec.SECTION_KEY_COMMAND_LIST_HEADING);
        sections.remove(UsageMessageSpec.SECTION_KEY_COMMAND_LIST);
        commandLine.setHelpSectionKeys(sections);
        return commandLine;
    }

    /**
     * The settings every command line shares: the help's width, and no {@code @file} expansion (an argument is
     * what it says).
     */
    private static CommandLine commandLine(final Object command)
    {
        final CommandLine commandLine = new CommandLine(command);
        commandLine.setUsageHelpWidth(USAGE_WIDTH);
        commandLine.setExpandAtFiles(false);
        return commandLine;
    }

    /**
     * The name a command's messages start with: {@code tradestate dump}, {@code tradestate-reader-agent}.
     *
     * @param commandLine the command.
     * @return its name, qualified by {@code tradestate} when it runs on its own.
     */
    public static String name(final CommandLine commandLine)
    {
        final String name = commandLine.getCommandSpec().qualifiedName();
        return name.startsWith("tradestate") ? name : "tradestate " + name;
    }
}
