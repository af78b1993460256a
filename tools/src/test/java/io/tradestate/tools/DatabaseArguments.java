package io.tradestate.tools;

import io.tradestate.reader.TestDatabase;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The options a tool takes to reach a test database: {@code --db}, and {@code --user} and {@code --password-file}
 * (written, mode 0600, into a work folder) when the test server needs them.
 */
final class DatabaseArguments
{
    private DatabaseArguments()
    {
    }

    /**
     * The options for a database of the test server.
     *
     * @param database the database's name.
     * @param workDir  where the password file goes.
     * @return {@code --db <url>}, then the user and the password file if any.
     * @throws IOException if the password file cannot be written.
     */
    static List<String> of(final String database, final Path workDir) throws IOException
    {
        final List<String> args = new ArrayList<>(List.of("--db", TestDatabase.jdbcUrl(database)));
        if (null != TestDatabase.user())
        {
            args.add("--user");
            args.add(TestDatabase.user());
        }
        if (null != TestDatabase.password())
        {
            final Path passwordFile = workDir.resolve("password");
            Files.writeString(passwordFile, TestDatabase.password() + "\n");
            Files.setAttribute(passwordFile, "unix:mode", 0600);
            args.add("--password-file");
            args.add(passwordFile.toString());
        }
        return args;
    }
}
