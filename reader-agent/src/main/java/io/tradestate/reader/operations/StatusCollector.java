package io.tradestate.reader.operations;

import io.tradestate.codecs.event.EventRules;
import io.tradestate.reader.drain.SourceOwnership;
import io.tradestate.reader.drain.SourcePoller;
import io.tradestate.reader.journal.JournalDiscovery;

import javax.sql.DataSource;
import java.io.File;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Gathers each source's lag from the two places that know it: the database (checkpoint, events, dead letters) and
 * the source's queue (last index, the excerpts after the checkpoint and the append time of the oldest). Independent
 * of the drain thread, so the figures stay true when the drain is stuck. Only this agent's sources are reported:
 * those under its journal root, and those the database knows that no other agent has claimed. A source under the
 * root whose id another agent holds is reported without that agent's checkpoint: none of its events are stored. A
 * queue folder whose name is not a source id is no source: it is listed apart ({@link #refusedFolders()}).
 */
public final class StatusCollector implements AutoCloseable
{
    /**
     * The checkpoints of this agent's sources: those it claimed (by its id, or by its name before agent ids), and
     * those no agent claimed (drained before schema version 5). Other hosts' sources in the same database are theirs
     * to report.
     */
    private static final String CHECKPOINTS = "SELECT c.source_id, c.last_index, c.events, " +
        "(SELECT count(*) FROM dead_letters d WHERE d.source_id = c.source_id) FROM source_checkpoints c " +
        "LEFT JOIN source_owners o ON o.source_id = c.source_id WHERE o.agent IS NULL OR o.agent_id = ?::uuid OR " +
        "((o.agent_id IS NULL OR ?::uuid IS NULL) AND o.agent = ?)";

    private final Path journalRoot;
    private final DataSource dataSource;
    private final String agent;
    private final UUID agentId;
    private final Map<String, QueueInspector> inspectors = new HashMap<>();
    private volatile List<String> refusedFolders = List.of();

    /**
     * @param journalRoot the agent's journal root.
     * @param dataSource  its database.
     * @param agentId     the agent's id ({@link SourceOwnership#agentId}); null if unknown, to go by its name alone.
     */
    public StatusCollector(final Path journalRoot, final DataSource dataSource, final UUID agentId)
    {
        this.journalRoot = journalRoot;
        this.dataSource = dataSource;
        this.agent = SourceOwnership.agentName(journalRoot);
        this.agentId = agentId;
    }

    /**
     * The journal root whose sources this collector reports.
     *
     * @return the folder.
     */
    Path journalRoot()
    {
        return journalRoot;
    }

    /**
     * Read every source's lag now.
     *
     * @param nowMs the wall clock, for the age of the oldest undrained event.
     * @return one line per source known to the database or found under the journal root, by source id.
     * @throws SQLException if the database cannot be read.
     */
    synchronized List<SourceLag> collect(final long nowMs) throws SQLException
    {
        final Map<String, long[]> committed = new HashMap<>();
        try (Connection connection = dataSource.getConnection();
            PreparedStatement statement = connection.prepareStatement(CHECKPOINTS))
        {
            final String id = null == agentId ? null : agentId.toString();
            statement.setString(1, id);
            statement.setString(2, id);
            statement.setString(3, agent);
            try (ResultSet resultSet = statement.executeQuery())
            {
                while (resultSet.next())
                {
                    committed.put(resultSet.getString(1),
                        new long[] { resultSet.getLong(2), resultSet.getLong(3), resultSet.getLong(4) });
                }
            }
            if (!connection.getAutoCommit())
            {
                connection.commit();
            }
        }

        final TreeSet<String> sources = new TreeSet<>(committed.keySet());
        final File[] folders = journalRoot.toFile().listFiles(JournalDiscovery::isQueueFolder);
        final TreeSet<String> refused = new TreeSet<>();
        if (null != folders)
        {
            for (final File folder : folders)
            {
                (EventRules.isValidSourceId(folder.getName()) ? sources : refused).add(folder.getName());
            }
        }
        refusedFolders = List.copyOf(refused);

        final List<SourceLag> lines = new ArrayList<>(sources.size());
        for (final String sourceId : sources)
        {
            final long[] checkpoint = committed.getOrDefault(sourceId, new long[] { SourcePoller.NO_INDEX, 0, 0 });
            final QueueInspector inspector = inspector(sourceId);
            long lastAppended = SourcePoller.NO_INDEX;
            long lagEvents = 0;
            long lagMs = 0;
            if (null != inspector)
            {
                lastAppended = inspector.lastIndex();
                lagEvents = inspector.excerptsAfter(checkpoint[0]);
                if (lagEvents > 0)
                {
                    final long appendTimeNs = inspector.appendTimeNsAfter(checkpoint[0]);
                    lagMs = appendTimeNs > 0 ? Math.max(0, nowMs - appendTimeNs / 1_000_000L) : 0;
                }
            }
            lines.add(new SourceLag(sourceId, lastAppended, checkpoint[0], checkpoint[1], lagEvents, lagMs,
                checkpoint[2]));
        }
        return lines;
    }

    /**
     * The queue folders under the journal root that are not drained because their name is not a source id
     * ({@link EventRules#SOURCE_ID_RULE}), as the last {@link #collect(long)} found them.
     *
     * @return the folder names, sorted.
     */
    List<String> refusedFolders()
    {
        return refusedFolders;
    }

    public synchronized void close()
    {
        for (final QueueInspector inspector : inspectors.values())
        {
            inspector.close();
        }
        inspectors.clear();
    }

    private QueueInspector inspector(final String sourceId)
    {
        final Path queueDirectory = journalRoot.resolve(sourceId);
        final boolean present = new File(queueDirectory.toFile(), "metadata.cq4t").isFile();
        QueueInspector inspector = inspectors.get(sourceId);
        if (null != inspector && !present)
        {
            // The folder is gone: close its queue, so the cycle files it mapped free their disk space.
            inspectors.remove(sourceId);
            inspector.close();
            return null;
        }
        if (null == inspector)
        {
            if (!present)
            {
                return null;
            }
            inspector = new QueueInspector(queueDirectory);
            inspectors.put(sourceId, inspector);
        }
        return inspector;
    }
}
