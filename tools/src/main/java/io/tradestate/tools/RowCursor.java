package io.tradestate.tools;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * One source's rows of one table, streamed in queue order: the query's first column is {@code queue_index}, and
 * {@link #index()} is that of the current row, {@link Long#MAX_VALUE} once they are all read. The rows come in pages
 * of {@value #FETCH_SIZE} through a server-side cursor (pgjdbc does that inside a transaction with a fetch size),
 * so a source of any size takes the memory of one page per table.
 */
final class RowCursor implements AutoCloseable
{
    static final int FETCH_SIZE = 2_000;

    private final PreparedStatement statement;
    private final ResultSet rows;
    private long index = Long.MIN_VALUE;

    RowCursor(final Connection connection, final String sql, final String sourceId) throws SQLException
    {
        statement = connection.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
        try
        {
            statement.setFetchSize(FETCH_SIZE);
            statement.setString(1, sourceId);
            rows = statement.executeQuery();
        }
        catch (final SQLException | RuntimeException ex)
        {
            statement.close();
            throw ex;
        }
        advance();
    }

    /**
     * Queue index of the current row.
     *
     * @return the index, {@link Long#MAX_VALUE} after the last row.
     */
    long index()
    {
        return index;
    }

    /**
     * Move to the next row.
     *
     * @throws SQLException if the rows cannot be read.
     */
    void advance() throws SQLException
    {
        index = rows.next() ? rows.getLong(1) : Long.MAX_VALUE;
    }

    /**
     * A column of the current row as text.
     *
     * @param column from 0, after {@code queue_index}.
     * @return the text, null for SQL NULL.
     * @throws SQLException if it cannot be read.
     */
    String text(final int column) throws SQLException
    {
        return rows.getString(column + 2);
    }

    /**
     * A column of the current row as bytes.
     *
     * @param column from 0, after {@code queue_index}.
     * @return the bytes, null for SQL NULL.
     * @throws SQLException if it cannot be read.
     */
    byte[] bytes(final int column) throws SQLException
    {
        return rows.getBytes(column + 2);
    }

    public void close() throws SQLException
    {
        try
        {
            rows.close();
        }
        finally
        {
            statement.close();
        }
    }
}
