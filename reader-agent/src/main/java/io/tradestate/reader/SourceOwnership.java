package io.tradestate.reader;

import javax.sql.DataSource;
import java.net.InetAddress;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Which reader agent drains a source: the {@code source_owners} table, one row per source, claimed by the first
 * agent that discovers the source and kept across its restarts.
 * <p>
 * Design: several hosts, each with its own journal root and agent, drain into one database, and a source id is the
 * key of a checkpoint and half the key of every history row. The same id on two hosts (a copied configuration)
 * would make two queues share one checkpoint: one agent resumes from the other's index, skipping or replaying
 * events, or fails every batch on a duplicate key and stops draining its other sources too. So an agent claims a
 * source before it reads it, and refuses one that another agent holds: the misconfiguration is logged once and
 * shown as a metric, the refused queue is left untouched, and every other source keeps draining. An agent is named
 * by its host and journal root, so a restarted agent (or one killed and started again) is the same agent, and a
 * second agent on the same host with another root is another. The key makes concurrent claims safe: the first
 * insert wins and the other sees its row.
 */
final class SourceOwnership
{
    private static final String CLAIM = "WITH claimed AS (INSERT INTO source_owners (source_id, agent) " +
        "VALUES (?, ?) ON CONFLICT (source_id) DO NOTHING RETURNING agent) " +
        "SELECT agent FROM claimed UNION ALL SELECT agent FROM source_owners WHERE source_id = ?";

    private final DataSource dataSource;
    private final String agent;

    SourceOwnership(final DataSource dataSource, final String agent)
    {
        this.dataSource = dataSource;
        this.agent = agent;
    }

    /**
     * The name of the agent draining a journal root on this host: {@code <host name>:<absolute journal root>}.
     *
     * @param journalRoot the agent's {@code journal.root}.
     * @return the name stored in {@code source_owners.agent}.
     */
    static String agentName(final Path journalRoot)
    {
        String host = System.getenv("HOSTNAME");
        if (null == host || host.isEmpty())
        {
            try
            {
                host = InetAddress.getLocalHost().getHostName();
            }
            catch (final Exception ex)
            {
                host = "unknown";
            }
        }
        return host + ":" + journalRoot.toAbsolutePath().normalize();
    }

    /**
     * This agent's name.
     *
     * @return the name.
     */
    String agent()
    {
        return agent;
    }

    /**
     * Claim a source for this agent, unless another agent holds it.
     *
     * @param sourceId the source.
     * @return null when the source is this agent's (now or before), else the name of the agent that holds it.
     * @throws SQLException if the database cannot be read or written.
     */
    String claim(final String sourceId) throws SQLException
    {
        try (Connection connection = dataSource.getConnection())
        {
            // One statement, its own transaction: a claim is never part of a batch, nor a commit of the batch path.
            connection.setAutoCommit(true);
            String owner = null;
            try (PreparedStatement statement = connection.prepareStatement(CLAIM))
            {
                statement.setString(1, sourceId);
                statement.setString(2, agent);
                statement.setString(3, sourceId);
                // Empty only when a concurrent claim committed after this statement's snapshot: the next sees it.
                for (int attempt = 0; attempt < 2 && null == owner; attempt++)
                {
                    try (ResultSet rows = statement.executeQuery())
                    {
                        owner = rows.next() ? rows.getString(1) : null;
                    }
                }
            }
            finally
            {
                connection.setAutoCommit(false);
            }
            if (null == owner)
            {
                throw new SQLException("source " + sourceId + ": no row in source_owners after a claim");
            }
            return agent.equals(owner) ? null : owner;
        }
    }
}
