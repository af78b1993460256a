package io.tradestate.tools;

import io.tradestate.reader.cli.CommandLines;
import io.tradestate.reader.cli.VersionProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The options of {@code tradestate verify}, a picocli command: picocli fills the fields in, {@link #conclude}
 * validates them once; an invalid value fails with an {@link IllegalArgumentException} naming the option.
 * {@code --help} lists them.
 */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    synopsisHeading = "usage: ",
    customSynopsis = "tradestate verify <journal-root> --db <jdbc-url> [options]",
    description =
    {
        "",
        "Compares every journal under <journal-root> (one folder per source) with the reader agent's database:",
        "each event up to the source's checkpoint must have its history row, equal column for column; every",
        "undecodable entry its dead letter with the same bytes; and no other row or dead letter may exist.",
        "Events after the checkpoint are reported as not drained yet. Journals are opened read-only; the",
        "database is read in one read-only snapshot per source.",
        "",
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList =
    {
        JournalVerifyTool.EXIT_CLEAN + ":clean",
        JournalVerifyTool.EXIT_DIFFERENCES + ":differences found",
        JournalVerifyTool.EXIT_INVALID_ARGUMENTS + ":invalid arguments",
        JournalVerifyTool.EXIT_CANNOT_READ + ":a journal, the database or the state maps cannot be read",
    })
public final class VerifyOptions implements ToolCommand
{
    /**
     * Environment variable holding the database password when {@code --password-file} is not given: the reader
     * agent's own.
     */
    public static final String PASSWORD_ENV = "TRADESTATE_DB_PASSWORD";

    /**
     * Default of {@code --closed-retention-ms}: the agent's default {@code state.closed.retention.ms}.
     */
    public static final long DEFAULT_CLOSED_RETENTION_MS = 3_600_000L;

    /**
     * Default of {@code --wait-ms}.
     */
    public static final long DEFAULT_WAIT_MS = 10_000L;

    /**
     * Default of {@code --max-details}.
     */
    public static final int DEFAULT_MAX_DETAILS = 20;

    @Parameters(paramLabel = "<journal-root>", arity = "0..*",
        description = "the folder holding one journal folder per source (the agent's journal.root)")
    private List<String> positional = new ArrayList<>();

    @Mixin
    private DatabaseOptions database = new DatabaseOptions();

    @Option(names = "--source", paramLabel = "ID", description = "only this source")
    private String sourceText;

    @Option(names = "--state", paramLabel = "DIR", description = "also compare the state maps under the agent's " +
        "state.dir with the current-state tables (orders, trades, pair_locks, balances)")
    private String stateText;

    @Option(names = "--closed-retention-ms", paramLabel = "N", description = "the agent's " +
        "state.closed.retention.ms, with --state (default " + DEFAULT_CLOSED_RETENTION_MS + ")")
    private String closedRetentionText;

    @Option(names = "--wait-ms", paramLabel = "N",
        description = "how long to wait for published state maps, with --state (default " + DEFAULT_WAIT_MS + ")")
    private String waitText;

    @Option(names = "--max-details", paramLabel = "N", description = "differences listed per kind and source " +
        "(default " + DEFAULT_MAX_DETAILS + "); all are counted")
    private String maxDetailsText;

    @Option(names = "--json", description = "one JSON object instead of text: each source's counts and " +
        "differences, the state maps', the total and the outcome (clean, differences or incomplete)")
    private boolean json;

    private Path journalRoot;
    private String jdbcUrl;
    private String user;
    private String password;
    private Path stateDir;
    private String sourceId;
    private long closedRetentionMs = DEFAULT_CLOSED_RETENTION_MS;
    private long waitMs = DEFAULT_WAIT_MS;
    private int maxDetails = DEFAULT_MAX_DETAILS;

    VerifyOptions()
    {
    }

    /**
     * Parse and validate the arguments after {@code verify}.
     *
     * @param args        the journal root and options.
     * @param environment where {@value #PASSWORD_ENV} is looked up.
     * @return the validated options; not validated when {@code --help} or {@code --version} is among them.
     * @throws IllegalArgumentException naming the first invalid option or missing argument.
     */
    public static VerifyOptions parse(final String[] args, final Map<String, String> environment)
    {
        final VerifyOptions options = new VerifyOptions();
        if (!CommandLines.helpRequested(CommandLines.parse(options, args)))
        {
            options.conclude(environment);
        }
        return options;
    }

    /**
     * Validate the options picocli filled in.
     *
     * @param environment where {@value #PASSWORD_ENV} is looked up.
     * @return this.
     * @throws IllegalArgumentException naming the first invalid option or missing argument.
     */
    public VerifyOptions conclude(final Map<String, String> environment)
    {
        if (positional.size() != 1)
        {
            throw new IllegalArgumentException(positional.isEmpty() ?
                "<journal-root> is missing: the folder holding one journal folder per source" :
                "unexpected argument '" + positional.get(1) + "': one <journal-root> only; see --help");
        }
        journalRoot = Paths.get(positional.get(0));
        jdbcUrl = database.jdbcUrl();
        user = database.user();
        password = database.password(environment);
        final String state = OptionValues.text("--state", stateText);
        stateDir = null == state ? null : Paths.get(state);
        sourceId = OptionValues.text("--source", sourceText);
        closedRetentionMs = OptionValues.number("--closed-retention-ms", closedRetentionText,
            DEFAULT_CLOSED_RETENTION_MS, 0);
        waitMs = OptionValues.number("--wait-ms", waitText, DEFAULT_WAIT_MS, 0);
        maxDetails = (int)Math.min(Integer.MAX_VALUE,
            OptionValues.number("--max-details", maxDetailsText, DEFAULT_MAX_DETAILS, 0));
        if (null == stateDir && (null != closedRetentionText || null != waitText))
        {
            throw new IllegalArgumentException("--closed-retention-ms and --wait-ms go with --state");
        }
        return this;
    }

    /**
     * Validate and verify.
     *
     * @param out         where the report goes.
     * @param err         where errors go.
     * @param environment where {@value #PASSWORD_ENV} is looked up.
     * @return the exit code.
     */
    public int run(final PrintStream out, final PrintStream err, final Map<String, String> environment)
    {
        try
        {
            conclude(environment);
        }
        catch (final IllegalArgumentException ex)
        {
            err.println("tradestate verify: " + ex.getMessage());
            return JournalVerifyTool.EXIT_INVALID_ARGUMENTS;
        }
        return new JournalVerifyTool(this, out, err).run();
    }

    /**
     * The help text: every option and its meaning.
     *
     * @return what {@code --help} prints.
     */
    public static String usage()
    {
        return CommandLines.usage(new VerifyOptions());
    }

    /**
     * The folder holding one journal folder per source.
     *
     * @return the path as given.
     */
    public Path journalRoot()
    {
        return journalRoot;
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
     * The agent's state folder, to compare the state maps as well.
     *
     * @return the folder, null without {@code --state}.
     */
    public Path stateDir()
    {
        return stateDir;
    }

    /**
     * The one source to verify.
     *
     * @return its id, null for every source.
     */
    public String sourceId()
    {
        return sourceId;
    }

    /**
     * The agent's retention of closed orders and trades in the state maps.
     *
     * @return milliseconds.
     */
    public long closedRetentionMs()
    {
        return closedRetentionMs;
    }

    /**
     * Longest wait for the state maps to be available.
     *
     * @return milliseconds.
     */
    public long waitMs()
    {
        return waitMs;
    }

    /**
     * Differences listed per kind and source.
     *
     * @return the count.
     */
    public int maxDetails()
    {
        return maxDetails;
    }

    /**
     * Whether the report is JSON.
     *
     * @return true with {@code --json}.
     */
    public boolean json()
    {
        return json;
    }
}
