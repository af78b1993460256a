package io.tradestate.demo;

/**
 * The {@code tradestate} command: {@code tradestate demo [options]} runs the demo, {@code tradestate dump
 * <queue-dir> [options]} prints a journal as JSON lines ({@link io.tradestate.tools.JournalDumpTool}),
 * {@code tradestate state <state-dir>} the live state ({@link io.tradestate.tools.StateViewTool}) and
 * {@code tradestate verify <journal-root> --db <jdbc-url>} compares the journals with the database
 * ({@link io.tradestate.tools.JournalVerifyTool}), {@code tradestate partitions list|expire --db <jdbc-url>} lists
 * or expires the history's monthly partitions ({@link io.tradestate.tools.PartitionsTool}); each takes
 * {@code --help}. Exit codes: 0 success, 1 the demo's
 * check failed or verify found differences, 2 invalid arguments, 3 the demo could not run, or a journal, the state
 * or the database could not be read.
 */
public final class TradeStateMain
{
    private static final String USAGE = String.join(System.lineSeparator(),
        "usage: tradestate demo|dump|state|verify|partitions ...",
        "  tradestate demo [options]                              the demo (tradestate demo --help for the options)",
        "  tradestate dump <queue-dir> [options]                  a journal as JSON lines (tradestate dump --help)",
        "  tradestate state <state-dir> [options]                 the live state (tradestate state --help)",
        "  tradestate verify <journal-root> --db <url> [options]  the journals against the database (--help)",
        "  tradestate partitions list|expire --db <url> [options] the history's monthly partitions (--help)");

    private TradeStateMain()
    {
    }

    /**
     * Entry point.
     *
     * @param args the subcommand and its options.
     */
    public static void main(final String[] args)
    {
        System.exit(run(args));
    }

    private static int run(final String[] args)
    {
        if (args.length > 0 && "dump".equals(args[0]))
        {
            return io.tradestate.tools.JournalDumpTool.run(java.util.Arrays.copyOfRange(args, 1, args.length));
        }
        if (args.length > 0 && "state".equals(args[0]))
        {
            return io.tradestate.tools.StateViewTool.run(java.util.Arrays.copyOfRange(args, 1, args.length));
        }
        if (args.length > 0 && "verify".equals(args[0]))
        {
            return io.tradestate.tools.JournalVerifyTool.run(java.util.Arrays.copyOfRange(args, 1, args.length));
        }
        if (args.length > 0 && "partitions".equals(args[0]))
        {
            return io.tradestate.tools.PartitionsTool.run(java.util.Arrays.copyOfRange(args, 1, args.length));
        }
        if (args.length == 0 || !"demo".equals(args[0]))
        {
            if (args.length > 0 && ("--help".equals(args[0]) || "-h".equals(args[0])))
            {
                System.out.println(USAGE);
                return 0;
            }
            System.err.println(USAGE);
            return 2;
        }

        final DemoOptions options;
        try
        {
            options = DemoOptions.parse(java.util.Arrays.copyOfRange(args, 1, args.length));
        }
        catch (final IllegalArgumentException ex)
        {
            System.err.println("tradestate demo: " + ex.getMessage());
            return 2;
        }
        if (options.help())
        {
            System.out.println(DemoOptions.usage());
            return 0;
        }
        if (!options.verbose())
        {
            // Before the first logger exists: the reader agent's INFO lines would drown the progress lines.
            io.tradestate.reader.logging.LogConfiguration.defaultLevelUnlessSet("warn");
            if (options.chaos())
            {
                // The demo reports each fault itself; the embedded server's failed stop after its SIGKILL (zonky)
                // and the pool's broken connections (HikariCP) would repeat them as stack traces.
                setUnlessSet(io.tradestate.reader.logging.LogConfiguration.LEVEL_PROPERTY + ".io.zonky", "off");
                setUnlessSet(io.tradestate.reader.logging.LogConfiguration.LEVEL_PROPERTY + ".com.zaxxer.hikari",
                    "error");
            }
        }

        final DemoRunner runner = new DemoRunner(options, System.out);
        sun.misc.Signal.handle(new sun.misc.Signal("INT"), (signal) -> runner.requestStop());
        sun.misc.Signal.handle(new sun.misc.Signal("TERM"), (signal) -> runner.requestStop());
        try
        {
            return runner.run();
        }
        catch (final Exception ex)
        {
            System.err.println("tradestate demo: " + ex);
            ex.printStackTrace();
            return 3;
        }
    }

    private static void setUnlessSet(final String property, final String value)
    {
        if (null == System.getProperty(property))
        {
            System.setProperty(property, value);
        }
    }
}
