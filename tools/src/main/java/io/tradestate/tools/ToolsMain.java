package io.tradestate.tools;

import io.tradestate.reader.cli.CommandLines;
import io.tradestate.reader.cli.VersionProvider;
import io.tradestate.reader.logging.LogConfiguration;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The {@code tradestate} command of an installed host: {@code dump}, {@code state}, {@code verify},
 * {@code partitions}, {@code report} and {@code reconcile}, each with {@code --help} and {@code --version}: a picocli
 * command whose subcommands are the tools' options classes ({@link ToolCommand}). {@code install.sh} puts this
 * module's runnable jar under {@code /opt/tradestate/tools/}; the demo's jar, run from a repository, takes the same
 * commands and {@code demo}. The build writes the bash completion of this command (picocli's {@code AutoComplete})
 * into {@code target/completion/tradestate}.
 * Exit codes: those of each tool, 2 for an unknown command or option.
 */
@Command(
    name = "tradestate",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    subcommands =
    {
        DumpOptions.class, StateOptions.class, VerifyOptions.class, PartitionsOptions.class, ReportOptions.class,
        ReconcileOptions.class,
    },
    synopsisHeading = "usage: ",
    customSynopsis = "tradestate dump|state|verify|partitions|report|reconcile|demo ... [--help] [--version]",
    description =
    {
        "",
        "TradeState's operator tools; `tradestate <command> --help` tells more of each, and its exit codes.",
        "  dump <queue-dir> [options]                    a journal as JSON lines",
        "  state <state-dir> [options]                   the live state from the state maps",
        "  verify <journal-root> --db <url> [options]    the journals against the database",
        "  partitions list|expire --db <url> [options]   the history's monthly partitions",
        "  report --db <url> --starting-balance N ...    performance of the closed trades",
        "  reconcile <source> --exchange-dump <file> --exchange <id> (--db <url> | --state <dir>)",
        "                                                the journal against the exchange's CCXT dump",
        "  demo [options]                                the demo, from a repository checkout",
        "",
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList =
    {
        "0:done, or clean (verify, reconcile)",
        "1:differences found (verify, reconcile), or the demo's check failed",
        ToolsMain.EXIT_USAGE + ":invalid arguments: an unknown command or option, a bad value",
        "3:a journal, the state maps or the database cannot be read (or changed)",
    })
public final class ToolsMain
{
    /**
     * Exit code: an unknown command or option, or an invalid value.
     */
    public static final int EXIT_USAGE = CommandLines.EXIT_USAGE;

    private ToolsMain()
    {
    }

    /**
     * Entry point.
     *
     * @param args the command and its options.
     */
    public static void main(final String[] args)
    {
        System.exit(run(args));
    }

    /**
     * Run a command on stdout and stderr, with the process's environment.
     *
     * @param args the command and its options.
     * @return the command's exit code; 0 for {@code --help} and {@code --version}, 2 for an unknown command.
     */
    public static int run(final String[] args)
    {
        final PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        return run(commandLine(out, System.err), args, out, System.err, System.getenv());
    }

    /**
     * Run a command on the given streams.
     *
     * @param args        the command and its options.
     * @param out         where the output, the help and the version go.
     * @param err         where errors go.
     * @param environment where {@value VerifyOptions#PASSWORD_ENV} is looked up.
     * @return the command's exit code.
     */
    public static int run(
        final String[] args, final PrintStream out, final PrintStream err, final Map<String, String> environment)
    {
        return run(commandLine(out, err), args, out, err, environment);
    }

    /**
     * The command line of {@code tradestate}, to which the demo adds its own subcommand. The description lists the
     * commands with their arguments: picocli's list of their bare names would repeat it.
     *
     * @param out where the help and the version go.
     * @param err where errors go.
     * @return the command line.
     */
    public static CommandLine commandLine(final PrintStream out, final PrintStream err)
    {
        return CommandLines.withoutCommandList(CommandLines.create(new ToolsMain(), out, err));
    }

    /**
     * What {@code tradestate --help} prints.
     *
     * @return the help text.
     */
    public static String usage()
    {
        return CommandLines.withoutCommandList(new CommandLine(new ToolsMain()))
            .setUsageHelpWidth(CommandLines.USAGE_WIDTH).getUsageMessage(CommandLine.Help.Ansi.OFF);
    }

    /**
     * Run a command of a {@code tradestate} command line: the subcommand named, which is a {@link ToolCommand}.
     *
     * @param commandLine from {@link #commandLine}, perhaps with more subcommands.
     * @param args        the command and its options.
     * @param out         where the output goes.
     * @param err         where errors go.
     * @param environment where {@value VerifyOptions#PASSWORD_ENV} is looked up.
     * @return the command's exit code.
     */
    public static int run(
        final CommandLine commandLine,
        final String[] args,
        final PrintStream out,
        final PrintStream err,
        final Map<String, String> environment)
    {
        if (args.length > 0 && "demo".equals(args[0]) && !commandLine.getSubcommands().containsKey("demo"))
        {
            err.println("tradestate: the demo runs from a repository checkout (deploy/bin/tradestate demo builds " +
                "it); this installation has the tools only");
            return EXIT_USAGE;
        }
        return CommandLines.run(commandLine, args, (result) ->
        {
            final Object command = CommandLines.leaf(result).commandSpec().userObject();
            if (command instanceof ToolCommand)
            {
                final ToolCommand tool = (ToolCommand)command;
                if (!tool.verbose())
                {
                    // Before the first logger exists: Chronicle's INFO lines on stderr are noise to an operator.
                    LogConfiguration.defaultLevelUnlessSet("warn");
                }
                return tool.run(out, err, environment);
            }
            err.println("tradestate: a command is missing");
            commandLine.usage(commandLine.getErr());
            return EXIT_USAGE;
        });
    }

    /**
     * The arguments of a subcommand as {@code tradestate} takes them.
     *
     * @param name such as {@code dump}.
     * @param args the arguments after it.
     * @return {@code name} then {@code args}.
     */
    static String[] subcommand(final String name, final String[] args)
    {
        final String[] all = new String[args.length + 1];
        all[0] = name;
        System.arraycopy(args, 0, all, 1, args.length);
        return all;
    }
}
