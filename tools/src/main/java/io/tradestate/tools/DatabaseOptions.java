package io.tradestate.tools;

import io.tradestate.reader.postgres.PasswordFile;
import picocli.CommandLine.Option;

import java.util.Map;

/**
 * The database options of {@code verify}, {@code partitions}, {@code report} and {@code reconcile}, a picocli
 * mixin: {@code --db}, {@code --user} and {@code --password-file}, the password otherwise from
 * {@value VerifyOptions#PASSWORD_ENV}, the reader agent's own variable.
 */
public final class DatabaseOptions
{
    @Option(names = "--db", paramLabel = "URL",
        description = "JDBC URL of the agent's database (jdbc:postgresql://host:port/database)")
    private String jdbcUrl;

    @Option(names = "--user", paramLabel = "U",
        description = "database user (default: the URL's, or the driver's)")
    private String user;

    @Option(names = "--password-file", paramLabel = "F",
        description = "file whose first line is the password, readable by its owner and group only (default: $" +
            VerifyOptions.PASSWORD_ENV + ")")
    private String passwordFile;

    /**
     * Whether {@code --db} was given.
     *
     * @return true if so.
     */
    boolean hasJdbcUrl()
    {
        return null != jdbcUrl;
    }

    /**
     * Whether {@code --user} or {@code --password-file} was given.
     *
     * @return true if so.
     */
    boolean hasCredentials()
    {
        return null != user || null != passwordFile;
    }

    /**
     * The {@code --db} option, required, a PostgreSQL JDBC URL.
     *
     * @return the URL.
     * @throws IllegalArgumentException if missing or not a PostgreSQL URL.
     */
    String jdbcUrl()
    {
        final String url = OptionValues.text("--db", jdbcUrl);
        if (null == url)
        {
            throw new IllegalArgumentException("--db is missing: the JDBC URL of the agent's database, such as " +
                "jdbc:postgresql://127.0.0.1:5432/tradestate");
        }
        if (!url.startsWith("jdbc:postgresql:"))
        {
            throw new IllegalArgumentException("--db must be a jdbc:postgresql: URL, was: '" + url + "'");
        }
        return url;
    }

    /**
     * The database user.
     *
     * @return the user, null for the URL's or the driver's.
     * @throws IllegalArgumentException if given empty.
     */
    String user()
    {
        return OptionValues.text("--user", user);
    }

    /**
     * The password: the first line of {@code --password-file}, else {@value VerifyOptions#PASSWORD_ENV}.
     *
     * @param environment where {@value VerifyOptions#PASSWORD_ENV} is looked up.
     * @return the password, null if none.
     * @throws IllegalArgumentException if the file cannot be read, or others can read or write it.
     */
    String password(final Map<String, String> environment)
    {
        final String file = OptionValues.text("--password-file", passwordFile);
        return null != file ? PasswordFile.read("--password-file", file) : environment.get(VerifyOptions.PASSWORD_ENV);
    }
}
