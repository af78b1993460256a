package io.tradestate.tools;

/**
 * The checks of option values that picocli leaves to the tools, each failing with an
 * {@link IllegalArgumentException} that names the option and quotes the value.
 */
final class OptionValues
{
    private OptionValues()
    {
    }

    /**
     * A text option that must not be empty.
     *
     * @param name  such as {@code --source}.
     * @param value as given, null if not.
     * @return the value, null if not given.
     * @throws IllegalArgumentException if given empty.
     */
    static String text(final String name, final String value)
    {
        if (null != value && value.isEmpty())
        {
            throw new IllegalArgumentException(name + " must not be empty");
        }
        return value;
    }

    /**
     * A whole-number option.
     *
     * @param name         such as {@code --wait-ms}.
     * @param value        as given, null if not.
     * @param defaultValue when not given.
     * @param min          smallest value allowed.
     * @return the value.
     * @throws IllegalArgumentException if it is not a number of at least {@code min}.
     */
    static long number(final String name, final String value, final long defaultValue, final long min)
    {
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
