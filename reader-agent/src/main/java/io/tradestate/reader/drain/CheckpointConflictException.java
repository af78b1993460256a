package io.tradestate.reader.drain;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * A batch's checkpoint did not match the one in the database: the checkpoint was not where the batch started from,
 * or belongs to another journal. Someone else drains the source (a second agent with this source id, a stale reader)
 * or the source's folder is not the journal its checkpoint was written for. The batch is rolled back; the drain stops
 * reading the source and says why, since a retry would either write the same events twice or move the checkpoint
 * backwards.
 */
final class CheckpointConflictException extends SQLException
{
    private static final long serialVersionUID = 1L;
    private static final String SELECT_CHECKPOINT =
        "SELECT last_index, journal_id FROM source_checkpoints WHERE source_id = ?";

    private final String sourceId;

    CheckpointConflictException(final String sourceId, final String message)
    {
        super(message);
        this.sourceId = sourceId;
    }

    /**
     * The source whose checkpoint did not match.
     *
     * @return its id.
     */
    String sourceId()
    {
        return sourceId;
    }

    /**
     * The conflict of a source's batch, with the checkpoint the database holds, read in the batch's transaction.
     *
     * @param connection the batch's connection, its transaction still open.
     * @param source     the source whose checkpoint did not move.
     * @return the exception to throw.
     * @throws SQLException if the checkpoint cannot be read.
     */
    static CheckpointConflictException of(final Connection connection, final BatchSource source) throws SQLException
    {
        String stored = "no checkpoint";
        try (PreparedStatement statement = connection.prepareStatement(SELECT_CHECKPOINT))
        {
            statement.setString(1, source.sourceId());
            try (ResultSet row = statement.executeQuery())
            {
                if (row.next())
                {
                    stored = "0x" + Long.toHexString(row.getLong(1)) + " of journal " + row.getString(2);
                }
            }
        }
        final String expected = SourcePoller.NO_INDEX == source.afterIndex() ? "no checkpoint" :
            "0x" + Long.toHexString(source.afterIndex());
        return new CheckpointConflictException(source.sourceId(), "source " + source.sourceId() + ": checkpoint " +
            "compare-and-set failed, the batch is not committed: it continues after expected " + expected +
            " of journal " + source.journalId() + " up to 0x" + Long.toHexString(source.lastIndex()) +
            ", the database holds " + stored + ". Another reader drains this source (a second agent claiming the " +
            "same source id or agent id, a cloned host?) or its folder is not the journal of the checkpoint; the " +
            "source is not drained by this agent until it restarts");
    }
}
