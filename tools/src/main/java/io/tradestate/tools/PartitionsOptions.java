package io.tradestate.tools;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Set;

/**
 * The options of {@code tradestate partitions list|expire}, parsed and validated once; an invalid value fails with an
 * {@link IllegalArgumentException} naming the option. {@link #usage()} lists them.
 */
public final class PartitionsOptions
{
    /**
     * What the command does.
     */
    public enum Action
    {
        /**
         * List the history partitions, attached and detached.
         */
        LIST,

        /**
         * Detach (or drop) the partitions before a cutoff.
         */
        EXPIRE
    }

    private Action action;
    private String jdbcUrl;
    private String user;
    private String password;
    private OffsetDateTime before;
    private boolean drop;
    private boolean dryRun;
    private boolean help;

    private PartitionsOptions()
    {
    }

    /**
     * Parse the arguments after {@code partitions}.
     *
     * @param args        the action and options.
     * @param environment where {@value VerifyOptions#PASSWORD_ENV} is looked up.
     * @param today       the current UTC date, from which {@code --keep-months} counts back.
     * @return the validated options.
     * @throws IllegalArgumentException naming the first invalid option or missing argument.
     */
    public static PartitionsOptions parse(
        final String[] args, final Map<String, String> environment, final LocalDate today)
    {
        final ToolArguments arguments = ToolArguments.parse(args, Set.of("--help", "-h", "--drop", "--dry-run"),
            Set.of("--db", "--user", "--password-file", "--before", "--keep-months"));
        final PartitionsOptions options = new PartitionsOptions();
        options.help = arguments.has("--help") || arguments.has("-h");
        if (options.help)
        {
            return options;
        }

        if (arguments.positional().size() != 1)
        {
            throw new IllegalArgumentException(arguments.positional().isEmpty() ?
                "the action is missing: list or expire" :
                "unexpected argument '" + arguments.positional().get(1) + "': one action only; see --help");
        }
        final String action = arguments.positional().get(0);
        if ("list".equals(action))
        {
            options.action = Action.LIST;
        }
        else if ("expire".equals(action))
        {
            options.action = Action.EXPIRE;
        }
        else
        {
            throw new IllegalArgumentException("unknown action '" + action + "': list or expire");
        }

        options.jdbcUrl = VerifyOptions.jdbcUrl(arguments);
        options.user = arguments.text("--user");
        options.password = VerifyOptions.password(arguments, environment);
        options.drop = arguments.has("--drop");
        options.dryRun = arguments.has("--dry-run");
        if (Action.LIST == options.action)
        {
            if (arguments.has("--before") || arguments.has("--keep-months") || options.drop || options.dryRun)
            {
                throw new IllegalArgumentException("--before, --keep-months, --drop and --dry-run go with expire");
            }
            return options;
        }

        if (arguments.has("--before") == arguments.has("--keep-months"))
        {
            throw new IllegalArgumentException("expire needs either --before or --keep-months");
        }
        if (arguments.has("--before"))
        {
            final String before = arguments.text("--before");
            try
            {
                options.before = LocalDate.parse(before).atStartOfDay().atOffset(ZoneOffset.UTC);
            }
            catch (final DateTimeParseException ex)
            {
                throw new IllegalArgumentException("--before must be a date such as 2025-01-01, was: '" + before + "'");
            }
        }
        else
        {
            final long keepMonths = arguments.number("--keep-months", 0, 1);
            options.before = today.withDayOfMonth(1).minusMonths(keepMonths - 1).atStartOfDay()
                .atOffset(ZoneOffset.UTC);
        }
        return options;
    }

    /**
     * The help text: every option and its meaning.
     *
     * @return lines for {@code --help}.
     */
    public static String usage()
    {
        return String.join(System.lineSeparator(),
            "usage: tradestate partitions list --db <jdbc-url> [options]",
            "       tradestate partitions expire --db <jdbc-url> (--before DATE | --keep-months N) [--drop]",
            "                                    [--dry-run]",
            "",
            "list: every monthly partition of the history tables (order_events, fills, trade_events, pair_lock_events,",
            "balance_events), attached or detached, with its estimated rows and size on disk.",
            "expire: detaches the monthly partitions that end on or before the cutoff; with --drop, drops them. The",
            "cutoff is moved back to the start of the previous month at the latest (the agent may still write there)",
            "and to the month the oldest open trade opened in (its ledger needs every fill). Detached partitions",
            "stay as plain tables for an archive (pg_dump -t) until dropped; the journals are not touched.",
            "",
            "  --db URL                  JDBC URL of the agent's database (jdbc:postgresql://host:port/database)",
            "  --user U                  database user (default: the URL's, or the driver's); expire needs the",
            "                            owner of the history tables",
            "  --password-file F         file whose first line is the password (default: $" +
                VerifyOptions.PASSWORD_ENV + ")",
            "  --before DATE             expire the months that end on or before DATE (UTC, such as 2025-01-01)",
            "  --keep-months N           keep the current month and the N-1 before it (N >= 1; 2 at the least",
            "                            in effect)",
            "  --drop                    drop the expired partitions instead of detaching them",
            "  --dry-run                 print what would be expired and change nothing",
            "  --help, -h                this text",
            "",
            "Exit codes: 0 done, 2 invalid arguments, 3 the database cannot be read or changed.");
    }

    /**
     * What to do.
     *
     * @return list or expire, null only with {@code --help}.
     */
    public Action action()
    {
        return action;
    }

    /**
     * The database's JDBC URL.
     *
     * @return the URL.
     */
    public String jdbcUrl()
    {
        return jdbcUrl;
    }

    /**
     * The database user.
     *
     * @return the user, null to use the URL's or the driver's.
     */
    public String user()
    {
        return user;
    }

    /**
     * The database password; never printed.
     *
     * @return the password, null if none was given.
     */
    public String password()
    {
        return password;
    }

    /**
     * The requested cutoff, before the database moves it back.
     *
     * @return the start of a UTC day, null unless expiring.
     */
    public OffsetDateTime before()
    {
        return before;
    }

    /**
     * Whether expired partitions are dropped rather than detached.
     *
     * @return true with {@code --drop}.
     */
    public boolean drop()
    {
        return drop;
    }

    /**
     * Whether to change nothing.
     *
     * @return true with {@code --dry-run}.
     */
    public boolean dryRun()
    {
        return dryRun;
    }

    /**
     * Whether only the help text was asked for.
     *
     * @return true with {@code --help}.
     */
    public boolean help()
    {
        return help;
    }
}
