package io.tradestate.tools;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A command line split into positional arguments and options, each option {@code --name value},
 * {@code --name=value} or, for a flag, {@code --name}; an unknown option, a flag given a value, an option without
 * one or an option given twice fails with an {@link IllegalArgumentException} naming it. The option classes of
 * {@code tradestate state} and {@code tradestate verify} validate the values.
 */
final class ToolArguments
{
    private final List<String> positional = new ArrayList<>();
    private final Map<String, String> options = new HashMap<>();

    private ToolArguments()
    {
    }

    /**
     * Split a command line.
     *
     * @param args        the arguments after the subcommand.
     * @param flags       options that take no value, such as {@code --json}.
     * @param valueNames  options that take a value.
     * @return the arguments.
     * @throws IllegalArgumentException naming the first option that does not fit.
     */
    static ToolArguments parse(final String[] args, final Set<String> flags, final Set<String> valueNames)
    {
        final ToolArguments arguments = new ToolArguments();
        for (int i = 0; i < args.length; i++)
        {
            String name = args[i];
            if (!name.startsWith("-") || "-".equals(name))
            {
                arguments.positional.add(name);
                continue;
            }

            String value = null;
            final int equals = name.indexOf('=');
            if (name.startsWith("--") && equals > 0)
            {
                value = name.substring(equals + 1);
                name = name.substring(0, equals);
            }
            if (flags.contains(name))
            {
                if (null != value)
                {
                    throw new IllegalArgumentException(name + " takes no value, was: '" + value + "'");
                }
                value = "";
            }
            else if (valueNames.contains(name))
            {
                if (null == value)
                {
                    if (i + 1 >= args.length)
                    {
                        throw new IllegalArgumentException(name + " needs a value; see --help");
                    }
                    value = args[++i];
                }
            }
            else
            {
                throw new IllegalArgumentException("unknown option " + name + "; see --help");
            }
            if (null != arguments.options.put(name, value))
            {
                throw new IllegalArgumentException(name + " is given twice");
            }
        }
        return arguments;
    }

    /**
     * The arguments that are not options, in order.
     *
     * @return the list.
     */
    List<String> positional()
    {
        return positional;
    }

    /**
     * Whether an option or flag was given.
     *
     * @param name such as {@code --json}.
     * @return true if given.
     */
    boolean has(final String name)
    {
        return options.containsKey(name);
    }

    /**
     * The value of an option.
     *
     * @param name such as {@code --source}.
     * @return the value, null if not given.
     */
    String value(final String name)
    {
        return options.get(name);
    }

    /**
     * The value of an option that must not be empty.
     *
     * @param name such as {@code --source}.
     * @return the value, null if not given.
     * @throws IllegalArgumentException if given empty.
     */
    String text(final String name)
    {
        final String value = options.get(name);
        if (null != value && value.isEmpty())
        {
            throw new IllegalArgumentException(name + " must not be empty");
        }
        return value;
    }

    /**
     * The value of a whole-number option.
     *
     * @param name         such as {@code --wait-ms}.
     * @param defaultValue when not given.
     * @param min          smallest value allowed.
     * @return the value.
     * @throws IllegalArgumentException if it is not a number of at least {@code min}.
     */
    long number(final String name, final long defaultValue, final long min)
    {
        final String value = options.get(name);
        if (null == value)
        {
            return defaultValue;
        }
        final long number;
        try
        {
            number = Long.parseLong(value.trim());
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(name + " must be a whole number, was: '" + value + "'");
        }
        if (number < min)
        {
            throw new IllegalArgumentException(name + " must be at least " + min + ", was: '" + value + "'");
        }
        return number;
    }
}
