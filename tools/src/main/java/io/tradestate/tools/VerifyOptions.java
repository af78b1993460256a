package io.tradestate.tools;

import io.tradestate.reader.PasswordFile;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.Set;

/**
 * The options of {@code tradestate verify}, parsed and validated once; an invalid value fails with an
 * {@link IllegalArgumentException} naming the option. {@link #usage()} lists them.
 */
public final class VerifyOptions
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

    private Path journalRoot;
    private String jdbcUrl;
    private String user;
    private String password;
    private Path stateDir;
    private String sourceId;
    private long closedRetentionMs = DEFAULT_CLOSED_RETENTION_MS;
    private long waitMs = DEFAULT_WAIT_MS;
    private int maxDetails = DEFAULT_MAX_DETAILS;
    private boolean help;

    private VerifyOptions()
    {
    }

    /**
     * Parse the arguments after {@code verify}.
     *
     * @param args        the journal root and options.
     * @param environment where {@value #PASSWORD_ENV} is looked up.
     * @return the validated options.
     * @throws IllegalArgumentException naming the first invalid option or missing argument.
     */
    public static VerifyOptions parse(final String[] args, final Map<String, String> environment)
    {
        final ToolArguments arguments = ToolArguments.parse(args, Set.of("--help", "-h"), Set.of(
            "--db", "--user", "--password-file", "--state", "--closed-retention-ms", "--source", "--wait-ms",
            "--max-details"));
        final VerifyOptions options = new VerifyOptions();
        options.help = arguments.has("--help") || arguments.has("-h");
        if (options.help)
        {
            return options;
        }

        if (arguments.positional().size() != 1)
        {
            throw new IllegalArgumentException(arguments.positional().isEmpty() ?
                "<journal-root> is missing: the folder holding one journal folder per source" :
                "unexpected argument '" + arguments.positional().get(1) + "': one <journal-root> only; see --help");
        }
        options.journalRoot = Paths.get(arguments.positional().get(0));
        options.jdbcUrl = jdbcUrl(arguments);
        options.user = arguments.text("--user");
        options.password = password(arguments, environment);
        final String state = arguments.text("--state");
        options.stateDir = null == state ? null : Paths.get(state);
        options.sourceId = arguments.text("--source");
        options.closedRetentionMs = arguments.number("--closed-retention-ms", DEFAULT_CLOSED_RETENTION_MS, 0);
        options.waitMs = arguments.number("--wait-ms", DEFAULT_WAIT_MS, 0);
        options.maxDetails = (int)Math.min(Integer.MAX_VALUE,
            arguments.number("--max-details", DEFAULT_MAX_DETAILS, 0));
        if (null == options.stateDir && (arguments.has("--closed-retention-ms") || arguments.has("--wait-ms")))
        {
            throw new IllegalArgumentException("--closed-retention-ms and --wait-ms go with --state");
        }
        return options;
    }

    /**
     * The {@code --db} option, required, a PostgreSQL JDBC URL.
     *
     * @param arguments the command line.
     * @return the URL.
     * @throws IllegalArgumentException if missing or not a PostgreSQL URL.
     */
    static String jdbcUrl(final ToolArguments arguments)
    {
        final String jdbcUrl = arguments.text("--db");
        if (null == jdbcUrl)
        {
            throw new IllegalArgumentException("--db is missing: the JDBC URL of the agent's database, such as " +
                "jdbc:postgresql://127.0.0.1:5432/tradestate");
        }
        if (!jdbcUrl.startsWith("jdbc:postgresql:"))
        {
            throw new IllegalArgumentException("--db must be a jdbc:postgresql: URL, was: '" + jdbcUrl + "'");
        }
        return jdbcUrl;
    }

    /**
     * The password: the first line of {@code --password-file}, else {@value #PASSWORD_ENV}.
     *
     * @param arguments   the command line.
     * @param environment where {@value #PASSWORD_ENV} is looked up.
     * @return the password, null if none.
     * @throws IllegalArgumentException if the file cannot be read.
     */
    static String password(final ToolArguments arguments, final Map<String, String> environment)
    {
        final String passwordFile = arguments.text("--password-file");
        return null != passwordFile ? readPassword(passwordFile) : environment.get(PASSWORD_ENV);
    }

    /**
     * The help text: every option and its meaning.
     *
     * @return lines for {@code --help}.
     */
    public static String usage()
    {
        return String.join(System.lineSeparator(),
            "usage: tradestate verify <journal-root> --db <jdbc-url> [options]",
            "",
            "Compares every journal under <journal-root> (one folder per source) with the reader agent's database:",
            "each event up to the source's checkpoint must have its history row, equal column for column; every",
            "undecodable entry its dead letter with the same bytes; and no other row or dead letter may exist.",
            "Events after the checkpoint are reported as not drained yet. Journals are opened read-only; the",
            "database is read in one read-only snapshot per source.",
            "",
            "  --db URL                  JDBC URL of the agent's database (jdbc:postgresql://host:port/database)",
            "  --user U                  database user (default: the URL's, or the driver's)",
            "  --password-file F         file whose first line is the password (default: $" + PASSWORD_ENV + ")",
            "  --source ID               only this source",
            "  --state DIR               also compare the state maps under the agent's state.dir with the",
            "                            current-state tables (orders, trades, pair_locks, balances)",
            "  --closed-retention-ms N   the agent's state.closed.retention.ms, with --state (default " +
                DEFAULT_CLOSED_RETENTION_MS + ")",
            "  --wait-ms N               how long to wait for published state maps, with --state (default " +
                DEFAULT_WAIT_MS + ")",
            "  --max-details N           differences listed per kind and source (default " + DEFAULT_MAX_DETAILS +
                "); all are counted",
            "  --help, -h                this text",
            "",
            "Exit codes: 0 clean, 1 differences found, 2 invalid arguments, 3 a journal, the database or the state",
            "maps cannot be read.");
    }

    /**
     * The folder holding one journal folder per source.
     *
     * @return the path as given, null only with {@code --help}.
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
     * Whether {@code --help} was asked for.
     *
     * @return true with {@code --help}.
     */
    public boolean help()
    {
        return help;
    }

    private static String readPassword(final String file)
    {
        return PasswordFile.read("--password-file", file);
    }
}
