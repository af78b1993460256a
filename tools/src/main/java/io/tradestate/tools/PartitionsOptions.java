package io.tradestate.tools;

import io.tradestate.reader.cli.CommandLines;
import io.tradestate.reader.cli.VersionProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The options of {@code tradestate partitions list|expire}, a picocli command: picocli fills the fields in,
 * {@link #conclude} validates them once; an invalid value fails with an {@link IllegalArgumentException} naming the
 * option. {@code --help} lists them.
 */
@Command(
    name = "partitions",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    synopsisHeading = "usage: ",
    customSynopsis =
    {
        "tradestate partitions list --db <jdbc-url> [options]",
        "       tradestate partitions expire --db <jdbc-url> (--before DATE | --keep-months N) [--drop] [--dry-run]",
    },
    description =
    {
        "",
        "list: every monthly partition of the history tables (order_events, fills, trade_events, pair_lock_events,",
        "balance_events), attached or detached, with its estimated rows and size on disk.",
        "expire: detaches the monthly partitions that end on or before the cutoff; with --drop, drops them. The",
        "cutoff is moved back to the start of the previous month at the latest (the agent may still write there)",
        "and to the month the oldest open trade opened in (its ledger needs every fill). Detached partitions",
        "stay as plain tables for an archive (pg_dump -t) until dropped; the journals are not touched.",
        "expire needs the owner of the history tables as --user.",
        "",
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList =
    {
        PartitionsTool.EXIT_DONE + ":done",
        PartitionsTool.EXIT_INVALID_ARGUMENTS + ":invalid arguments",
        PartitionsTool.EXIT_DATABASE_FAILED + ":the database cannot be read or changed",
    })
public final class PartitionsOptions implements ToolCommand
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

    @Parameters(paramLabel = "list|expire", arity = "0..*", description = "what to do")
    private List<String> positional = new ArrayList<>();

    @Mixin
    private DatabaseOptions database = new DatabaseOptions();

    @Option(names = "--before", paramLabel = "DATE",
        description = "expire the months that end on or before DATE (UTC, such as 2025-01-01)")
    private String beforeText;

    @Option(names = "--keep-months", paramLabel = "N",
        description = "keep the current month and the N-1 before it (N >= 1; 2 at the least in effect)")
    private String keepMonthsText;

    @Option(names = "--drop", description = "drop the expired partitions instead of detaching them")
    private boolean drop;

    @Option(names = "--dry-run", description = "print what would be expired and change nothing")
    private boolean dryRun;

    @Option(names = "--json", description = "one JSON object instead of text: the partitions (list, --dry-run) or " +
        "those expired, with the cutoff")
    private boolean json;

    private Action action;
    private String jdbcUrl;
    private String user;
    private String password;
    private OffsetDateTime before;

    PartitionsOptions()
    {
    }

    /**
     * Parse and validate the arguments after {@code partitions}.
     *
     * @param args        the action and options.
     * @param environment where {@value VerifyOptions#PASSWORD_ENV} is looked up.
     * @param today       the current UTC date, from which {@code --keep-months} counts back.
     * @return the validated options; not validated when {@code --help} or {@code --version} is among them.
     * @throws IllegalArgumentException naming the first invalid option or missing argument.
     */
    public static PartitionsOptions parse(
        final String[] args, final Map<String, String> environment, final LocalDate today)
    {
        final PartitionsOptions options = new PartitionsOptions();
        if (!CommandLines.helpRequested(CommandLines.parse(options, args)))
        {
            options.conclude(environment, today);
        }
        return options;
    }

    /**
     * Validate the options picocli filled in.
     *
     * @param environment where {@value VerifyOptions#PASSWORD_ENV} is looked up.
     * @param today       the current UTC date, from which {@code --keep-months} counts back.
     * @return this.
     * @throws IllegalArgumentException naming the first invalid option or missing argument.
     */
    public PartitionsOptions conclude(final Map<String, String> environment, final LocalDate today)
    {
        if (positional.size() != 1)
        {
            throw new IllegalArgumentException(positional.isEmpty() ?
                "the action is missing: list or expire" :
                "unexpected argument '" + positional.get(1) + "': one action only; see --help");
        }
        final String name = positional.get(0);
        if ("list".equals(name))
        {
            action = Action.LIST;
        }
        else if ("expire".equals(name))
        {
            action = Action.EXPIRE;
        }
        else
        {
            throw new IllegalArgumentException("unknown action '" + name + "': list or expire");
        }

        jdbcUrl = database.jdbcUrl();
        user = database.user();
        password = database.password(environment);
        if (Action.LIST == action)
        {
            if (null != beforeText || null != keepMonthsText || drop || dryRun)
            {
                throw new IllegalArgumentException("--before, --keep-months, --drop and --dry-run go with expire");
            }
            return this;
        }

        if ((null != beforeText) == (null != keepMonthsText))
        {
            throw new IllegalArgumentException("expire needs either --before or --keep-months");
        }
        if (null != beforeText)
        {
            final String date = OptionValues.text("--before", beforeText);
            try
            {
                before = LocalDate.parse(date).atStartOfDay().atOffset(ZoneOffset.UTC);
            }
            catch (final DateTimeParseException ex)
            {
                throw new IllegalArgumentException("--before must be a date such as 2025-01-01, was: '" + date + "'");
            }
        }
        else
        {
            final long keepMonths = OptionValues.number("--keep-months", keepMonthsText, 0, 1);
            before = today.withDayOfMonth(1).minusMonths(keepMonths - 1).atStartOfDay().atOffset(ZoneOffset.UTC);
        }
        return this;
    }

    /**
     * Validate, then list or expire.
     *
     * @param out         where the listing goes.
     * @param err         where errors go.
     * @param environment where {@value VerifyOptions#PASSWORD_ENV} is looked up.
     * @return the exit code.
     */
    public int run(final PrintStream out, final PrintStream err, final Map<String, String> environment)
    {
        try
        {
            conclude(environment, LocalDate.now(ZoneOffset.UTC));
        }
        catch (final IllegalArgumentException ex)
        {
            err.println("tradestate partitions: " + ex.getMessage());
            return PartitionsTool.EXIT_INVALID_ARGUMENTS;
        }
        return new PartitionsTool(this, out, err).run();
    }

    /**
     * The help text: every option and its meaning.
     *
     * @return what {@code --help} prints.
     */
    public static String usage()
    {
        return CommandLines.usage(new PartitionsOptions());
    }

    /**
     * What to do.
     *
     * @return list or expire.
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
     * Whether the output is JSON.
     *
     * @return true with {@code --json}.
     */
    public boolean json()
    {
        return json;
    }
}
