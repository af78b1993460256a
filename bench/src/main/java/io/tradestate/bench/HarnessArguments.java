package io.tradestate.bench;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The command line every harness takes: an optional work folder (the one argument without {@code --}; the last wins)
 * and options {@code --key=value} or {@code --flag}, in the order given. Each harness gives the options their
 * meaning and refuses the ones it does not know: by going through {@link #options()}, or by asking for each option with
 * its default ({@link #value}, {@link #intValue}, {@link #flag} ...) and then {@link #refuseUnasked()}.
 */
final class HarnessArguments
{
    private final Path workParent;
    private final List<Option> options;
    private final Set<String> asked = new HashSet<>();

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
     * The value of an option, the last one given.
     *
     * @param key          the option's key, with the dashes.
     * @param defaultValue its value when it is not given.
     * @return the value.
     */
    String value(final String key, final String defaultValue)
    {
        asked.add(key);
        String value = defaultValue;
        for (final Option option : options)
        {
            if (option.key().equals(key))
            {
                value = option.value();
            }
        }
        return value;
    }

    /**
     * The value of a whole-number option.
     *
     * @param key          the option's key, with the dashes.
     * @param defaultValue its value when it is not given.
     * @return the value.
     * @throws IllegalArgumentException naming the option if its value is not a number.
     */
    long longValue(final String key, final long defaultValue)
    {
        return number(key, defaultValue, Long::valueOf, "a whole number");
    }

    /**
     * The value of a whole-number option that fits an {@code int}.
     *
     * @param key          the option's key, with the dashes.
     * @param defaultValue its value when it is not given.
     * @return the value.
     * @throws IllegalArgumentException naming the option if its value is not such a number.
     */
    int intValue(final String key, final int defaultValue)
    {
        return number(key, defaultValue, Integer::valueOf, "a whole number up to " + Integer.MAX_VALUE);
    }

    /**
     * The value of a decimal option.
     *
     * @param key          the option's key, with the dashes.
     * @param defaultValue its value when it is not given.
     * @return the value.
     * @throws IllegalArgumentException naming the option if its value is not a number.
     */
    double doubleValue(final String key, final double defaultValue)
    {
        return number(key, defaultValue, Double::valueOf, "a number");
    }

    /**
     * Whether a flag was given.
     *
     * @param key the flag's key, with the dashes.
     * @return true if it was.
     */
    boolean flag(final String key)
    {
        asked.add(key);
        return options.stream().anyMatch((option) -> option.key().equals(key));
    }

    /**
     * Refuse the options the harness did not ask for: those it does not know.
     *
     * @throws IllegalArgumentException naming the first.
     */
    void refuseUnasked()
    {
        for (final Option option : options)
        {
            if (!asked.contains(option.key()))
            {
                throw option.unknown();
            }
        }
    }

    private <T extends Number> T number(
        final String key, final T defaultValue, final Function<String, T> parser, final String kind)
    {
        final String value = value(key, null);
        try
        {
            return null == value ? defaultValue : parser.apply(value);
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(key + " takes " + kind + ", not '" + value + "'", ex);
        }
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
