package io.tradestate.tools;

import java.util.Arrays;

/**
 * The {@code tradestate} command of an installed host: {@code dump}, {@code state}, {@code verify},
 * {@code partitions}, {@code report} and {@code reconcile}, each with {@code --help}. {@code install.sh} puts this
 * module's runnable jar under {@code /opt/tradestate/tools/}; the demo's jar, run from a repository, takes the same
 * commands and {@code demo}.
 * Exit codes: those of each tool, 2 for an unknown command.
 */
public final class ToolsMain
{
    /**
     * What {@code tradestate --help} prints.
     */
    public static final String USAGE = String.join(System.lineSeparator(),
        "usage: tradestate dump|state|verify|partitions|report|reconcile|demo ...",
        "  tradestate dump <queue-dir> [options]                  a journal as JSON lines (tradestate dump --help)",
        "  tradestate state <state-dir> [options]                 the live state (tradestate state --help)",
        "  tradestate verify <journal-root> --db <url> [options]  the journals against the database (--help)",
        "  tradestate partitions list|expire --db <url> [options] the history's monthly partitions (--help)",
        "  tradestate report --db <url> --starting-balance N ...  performance of the closed trades (--help)",
        "  tradestate reconcile <source> --exchange-dump <file> --exchange <id> (--db <url> | --state <dir>)",
        "                                                         the journal against the exchange's CCXT dump",
        "  tradestate demo [options]                              the demo, from a repository (--help)");

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
     * Run a command.
     *
     * @param args the command and its options.
     * @return the command's exit code; 0 for {@code --help}, 2 for an unknown command.
     */
    public static int run(final String[] args)
    {
        final String command = args.length > 0 ? args[0] : "";
        final String[] options = args.length > 0 ? Arrays.copyOfRange(args, 1, args.length) : args;
        switch (command)
        {
            case "dump":
                return JournalDumpTool.run(options);
            case "state":
                return StateViewTool.run(options);
            case "verify":
                return JournalVerifyTool.run(options);
            case "partitions":
                return PartitionsTool.run(options);
            case "report":
                return ReportTool.run(options);
            case "reconcile":
                return ReconcileTool.run(options);
            case "--help":
            case "-h":
                System.out.println(USAGE);
                return 0;
            case "demo":
                System.err.println("tradestate: the demo runs from a repository checkout (deploy/bin/tradestate " +
                    "demo builds it); this installation has the tools only");
                return 2;
            default:
                System.err.println(USAGE);
                return 2;
        }
    }
}
