package io.tradestate.reader.drain;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

/**
 * Which journal each source's checkpoint belongs to: the {@code journal_id} of {@code source_checkpoints}, the
 * identity a journal's writer keeps in the queue folder ({@code journal.id}), checked when a folder is discovered.
 * <p>
 * Design: a source id is a folder's name, and a name is not an identity. A journal folder renamed ({@code a} to
 * {@code a.old}) would be drained again from its start under the new name, every event stored twice; a folder deleted
 * and made again would be drained from the checkpoint of the queue it replaced, its first events skipped. The
 * identity moves with the folder and dies with it, so a folder is drained only when its journal is recorded under its
 * own id or nowhere. Otherwise it is refused, with what the operator can do; nothing of it is read. The identity is
 * recorded with the source's first checkpoint, in the batch's transaction; a checkpoint written before identities
 * takes the identity of the folder found under its id, here. The check is one indexed query per folder found, never
 * on the batch path.
 */
final class JournalIdentities
{
    private static final String LOOKUP = "SELECT source_id, journal_id, last_index FROM source_checkpoints " +
        "WHERE source_id = ? OR journal_id = ?::uuid";
    private static final String RECORD = "UPDATE source_checkpoints SET journal_id = ?::uuid " +
        "WHERE source_id = ? AND journal_id IS NULL";

    private final DataSource dataSource;

    JournalIdentities(final DataSource dataSource)
    {
        this.dataSource = dataSource;
    }

    /**
     * Whether a folder found under the journal root may be drained as the source it is named after.
     *
     * @param sourceId       the source, the folder's name.
     * @param queueDirectory the folder.
     * @param journalId      the identity of the journal in it.
     * @return the checkpoint to resume after, or the refusal.
     * @throws SQLException if the database cannot be read or written.
     */
    Verdict check(final String sourceId, final Path queueDirectory, final UUID journalId) throws SQLException
    {
        try (Connection connection = dataSource.getConnection())
        {
            connection.setAutoCommit(true);
            try
            {
                return check(connection, sourceId, queueDirectory, journalId);
            }
            finally
            {
                connection.setAutoCommit(false);
            }
        }
    }

    private static Verdict check(
        final Connection connection, final String sourceId, final Path queueDirectory, final UUID journalId)
        throws SQLException
    {
        boolean known = false;
        String recorded = null;
        long checkpoint = SourcePoller.NO_INDEX;
        String drainedAs = null;
        long drainedTo = SourcePoller.NO_INDEX;
        try (PreparedStatement statement = connection.prepareStatement(LOOKUP))
        {
            statement.setString(1, sourceId);
            statement.setString(2, journalId.toString());
            try (ResultSet rows = statement.executeQuery())
            {
                while (rows.next())
                {
                    if (sourceId.equals(rows.getString(1)))
                    {
                        known = true;
                        recorded = rows.getString(2);
                        checkpoint = rows.getLong(3);
                    }
                    else
                    {
                        drainedAs = rows.getString(1);
                        drainedTo = rows.getLong(3);
                    }
                }
            }
        }

        if (null != drainedAs)
        {
            return Verdict.refused("source " + sourceId + " is not drained: its folder " + queueDirectory +
                " holds journal " + journalId + ", drained so far as source " + drainedAs + " (checkpoint 0x" +
                Long.toHexString(drainedTo) + "): the folder was renamed or copied from " +
                queueDirectory.resolveSibling(drainedAs) + ". None of its events are stored again. If it was " +
                "renamed on purpose, move the checkpoint to the new name: SELECT accept_journal_rename(" +
                literal(drainedAs) + ", " + literal(sourceId) + "); if it is a copy, remove it");
        }
        if (null != recorded && !recorded.equals(journalId.toString()))
        {
            return Verdict.refused("source " + sourceId + " is not drained: its folder " + queueDirectory +
                " holds journal " + journalId + ", but the checkpoint of source " + sourceId + " (0x" +
                Long.toHexString(checkpoint) + ") belongs to journal " + recorded + ": the folder was replaced " +
                "(deleted and made again, or another journal moved in), and nothing is drained from another " +
                "queue's checkpoint. If journal " + recorded + " lives on in a folder of another name, move its " +
                "checkpoint there: SELECT accept_journal_rename(" + literal(sourceId) + ", '<that name>'); if this " +
                "is a new journal, give it a source id of its own");
        }
        if (known && null == recorded)
        {
            // A checkpoint written before journal identities: it belongs to the journal found under its id.
            try (PreparedStatement statement = connection.prepareStatement(RECORD))
            {
                statement.setString(1, journalId.toString());
                statement.setString(2, sourceId);
                statement.executeUpdate();
            }
        }
        return Verdict.accepted(checkpoint);
    }

    private static String literal(final String text)
    {
        return "'" + text.replace("'", "''") + "'";
    }

    /**
     * Whether a folder is drained: the checkpoint to resume after, or why not.
     */
    static final class Verdict
    {
        private final long checkpoint;
        private final String refusal;

        private Verdict(final long checkpoint, final String refusal)
        {
            this.checkpoint = checkpoint;
            this.refusal = refusal;
        }

        static Verdict accepted(final long checkpoint)
        {
            return new Verdict(checkpoint, null);
        }

        static Verdict refused(final String refusal)
        {
            return new Verdict(SourcePoller.NO_INDEX, refusal);
        }

        /**
         * The checkpoint of the source, when it is drained.
         *
         * @return the index to resume after, {@link SourcePoller#NO_INDEX} for the start of the queue.
         */
        long checkpoint()
        {
            return checkpoint;
        }

        /**
         * Why the folder is not drained.
         *
         * @return the message to log, naming what the operator can do; null when it is drained.
         */
        String refusal()
        {
            return refusal;
        }
    }
}
