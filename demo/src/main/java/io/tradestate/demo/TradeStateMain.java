package io.tradestate.demo;

/**
 * The {@code tradestate} command of a repository checkout: {@code tradestate demo [options]} runs the demo; every
 * other command ({@code dump}, {@code state}, {@code verify}, {@code partitions}, {@code report}, {@code reconcile},
 * {@code --help}) goes to {@link io.tradestate.tools.ToolsMain}, the command an installed host has. Exit codes: 0
 * success, 1 the demo's check failed or verify found differences, 2 invalid arguments, 3 the demo could not run, or a
 * journal, the state or the database could not be read.
 */
public final class TradeStateMain
{
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
        if (args.length == 0 || !"demo".equals(args[0]))
        {
            return io.tradestate.tools.ToolsMain.run(args);
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
