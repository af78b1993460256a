package io.tradestate.reader.drain;

import io.tradestate.files.IdentityFile;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

/**
 * Which reader agent drains a source: the {@code source_owners} table, one row per source, claimed by the first
 * agent that discovers the source and kept across its restarts.
 * <p>
 * Design: several hosts, each with its own journal root and agent, drain into one database, and a source id is the
 * key of a checkpoint and half the key of every history row. The same id on two hosts (a copied configuration)
 * would make two queues share one checkpoint: one agent resumes from the other's index, skipping or replaying
 * events, or fails every batch on a duplicate key and stops draining its other sources too. So an agent claims a
 * source before it reads it, and refuses one that another agent holds: the misconfiguration is logged once and
 * shown as a metric, the refused queue is left untouched, and every other source keeps draining. An agent is known
 * by its id, a UUID made once in its state folder ({@code agent.id}), so a restarted agent (or one killed and started
 * again) is the same agent, and any other agent is another, even with the same host name and journal root path
 * (cloned VMs, {@code HOSTNAME} unset under systemd, containers: issue 16). Its name, {@code <host>:<journal root>},
 * is kept beside the id for people to read; a row claimed before agent ids (schema version 10) carries the name only,
 * and is taken over by the agent of that name at its next claim. The key makes concurrent claims safe: the first
 * insert wins and the other sees its row.
 */
public final class SourceOwnership
{
    private static final String CLAIM = "WITH claimed AS (INSERT INTO source_owners (source_id, agent, agent_id) " +
        "VALUES (?, ?, ?::uuid) ON CONFLICT (source_id) DO UPDATE SET agent = excluded.agent, " +
        "agent_id = excluded.agent_id WHERE source_owners.agent_id = excluded.agent_id OR " +
        "(source_owners.agent_id IS NULL AND source_owners.agent = excluded.agent) RETURNING agent, agent_id) " +
        "SELECT agent, agent_id FROM claimed UNION ALL SELECT agent, agent_id FROM source_owners WHERE source_id = ?";

    private final DataSource dataSource;
    private final String agent;
    private final UUID agentId;

    SourceOwnership(final DataSource dataSource, final String agent, final UUID agentId)
    {
        this.dataSource = dataSource;
        this.agent = agent;
        this.agentId = agentId;
    }

    /**
     * The id of the agent whose state folder this is, made there on first use.
     *
     * @param stateDir the agent's {@code state.dir}.
     * @return the id kept in {@code state.dir/agent.id}.
     * @throws UncheckedIOException if the file can neither be read nor made.
     */
    public static UUID agentId(final Path stateDir)
    {
        final Path file = stateDir.resolve(IdentityFile.AGENT_ID);
        try
        {
            Files.createDirectories(stateDir);
            return IdentityFile.readOrCreate(file);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read or make the agent's identity " + file, ex);
        }
    }

    /**
     * The name of the agent draining a journal root on this host: {@code <host name>:<absolute journal root>}.
     *
     * @param journalRoot the agent's {@code journal.root}.
     * @return the name stored in {@code source_owners.agent}.
     */
    public static String agentName(final Path journalRoot)
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
     * This agent's name and id, as the log names an agent.
     *
     * @return the name.
     */
    String agent()
    {
        return describe(agent, agentId);
    }

    /**
     * Claim a source for this agent, unless another agent holds it.
     *
     * @param sourceId the source.
     * @return null when the source is this agent's (now or before), else the name and id of the agent that holds it.
     * @throws SQLException if the database cannot be read or written.
     */
    String claim(final String sourceId) throws SQLException
    {
        try (Connection connection = dataSource.getConnection())
        {
            // One statement, its own transaction: a claim is never part of a batch, nor a commit of the batch path.
            connection.setAutoCommit(true);
            String owner = null;
            String ownerId = null;
            try (PreparedStatement statement = connection.prepareStatement(CLAIM))
            {
                statement.setString(1, sourceId);
                statement.setString(2, agent);
                statement.setString(3, agentId.toString());
                statement.setString(4, sourceId);
                // Empty only when a concurrent claim committed after this statement's snapshot: the next sees it.
                for (int attempt = 0; attempt < 2 && null == owner; attempt++)
                {
                    try (ResultSet rows = statement.executeQuery())
                    {
                        if (rows.next())
                        {
                            owner = rows.getString(1);
                            ownerId = rows.getString(2);
                        }
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
            return agentId.toString().equals(ownerId) ? null : describe(owner, ownerId);
        }
    }

    private static String describe(final String name, final Object id)
    {
        return name + " (agent id " + (null == id ? "none, claimed before agent ids" : id) + ")";
    }
}
