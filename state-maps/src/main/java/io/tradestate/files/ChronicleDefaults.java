package io.tradestate.files;

/**
 * Chronicle's system properties that a trading host needs, set before any Chronicle class loads.
 * <p>
 * Chronicle Queue and Map otherwise try to reach an analytics service on the internet, print a banner and run a
 * disk monitor. {@code deploy/jvm.options} sets these on the command line; this class sets them too, from the
 * static initialiser of the entry points, for the strategy JVM that forgot. A value already given is left alone.
 */
public final class ChronicleDefaults
{
    private static final String[][] PROPERTIES =
    {
        { "chronicle.analytics.disable", "true" },
        { "chronicle.announcer.disable", "true" },
        { "disable.perf.info", "true" },
        { "chronicle.disk.monitor.disable", "true" },
    };

    static
    {
        for (final String[] property : PROPERTIES)
        {
            if (null == System.getProperty(property[0]))
            {
                System.setProperty(property[0], property[1]);
            }
        }
    }

    private ChronicleDefaults()
    {
    }

    /**
     * Make sure the properties are set; the work is done once, by the class initialiser.
     */
    public static void apply()
    {
    }
}
