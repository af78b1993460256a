package io.tradestate.tools;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * How the tools connect to the agent's database: the user and password given, if any, a name that shows in
 * {@code pg_stat_activity}, a connect timeout and TCP keep-alive.
 */
final class ToolDatabase
{
    private ToolDatabase()
    {
    }

    /**
     * Open one connection.
     *
     * @param jdbcUrl         a {@code jdbc:postgresql:} URL.
     * @param user            the user, null for the URL's or the driver's.
     * @param password        the password, null for none; never printed.
     * @param applicationName such as {@code tradestate-verify}.
     * @return the open connection, in auto-commit mode.
     * @throws SQLException if it cannot be opened.
     */
    static Connection connect(final String jdbcUrl, final String user, final String password,
        final String applicationName) throws SQLException
    {
        final Properties properties = new Properties();
        if (null != user)
        {
            properties.setProperty("user", user);
        }
        if (null != password)
        {
            properties.setProperty("password", password);
        }
        properties.setProperty("ApplicationName", applicationName);
        properties.setProperty("connectTimeout", "10");
        properties.setProperty("tcpKeepAlive", "true");
        return DriverManager.getConnection(jdbcUrl, properties);
    }
}
