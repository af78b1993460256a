package io.tradestate.bench;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line every harness takes: an optional work folder (the one argument without {@code --}; the last wins)
 * and options {@code --key=value} or {@code --flag}, in the order given. Each harness gives the options their
 * meaning and refuses the ones it does not know.
 */
final class HarnessArguments
{
    private final Path workParent;
    private final List<Option> options;

    private HarnessArguments(final Path workParent, final List<Option> options)
    {
        this.workParent = workParent;
        this.options = options;
    }

    /**
     * Split a command line.
     *
     * @param args        as {@code main} got them.
     * @param defaultWork the work folder when none is given.
     * @return the work folder and the options.
     */
    static HarnessArguments parse(final String[] args, final Path defaultWork)
    {
        Path workParent = defaultWork;
        final List<Option> options = new ArrayList<>();
        for (final String arg : args)
        {
            if (!arg.startsWith("--"))
            {
                workParent = Paths.get(arg);
                continue;
            }
            final int equals = arg.indexOf('=');
            options.add(new Option(equals < 0 ? arg : arg.substring(0, equals),
                equals < 0 ? "" : arg.substring(equals + 1)));
        }
        return new HarnessArguments(workParent, options);
    }

    Path workParent()
    {
        return workParent;
    }

    List<Option> options()
    {
        return options;
    }

    /**
     * One option: its key with the dashes ({@code --rates}) and its value, empty for a flag.
     */
    record Option(String key, String value)
    {
        IllegalArgumentException unknown()
        {
            return new IllegalArgumentException("unknown option " + key);
        }
    }
}
