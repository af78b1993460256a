package io.tradestate.bench;

import io.tradestate.codecs.event.HistoryRowSink;
import io.tradestate.codecs.event.HistoryTable;
import org.agrona.DirectBuffer;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collections;

/**
 * Binds history rows to one prepared {@code INSERT} per history table and adds them to its JDBC batch, as a JDBC
 * program would: {@code setString}, {@code setLong}, {@code setBoolean}, {@code setBigDecimal} and
 * {@code setObject(OffsetDateTime)}, and {@code setNull} with the column's type. With pgjdbc's
 * {@code reWriteBatchedInserts=true} each {@link #executeBatches()} sends multi-row {@code INSERT}s.
 */
final class BatchedInsertSink implements HistoryRowSink, AutoCloseable
{
    private final PreparedStatement[] inserts = new PreparedStatement[HistoryTable.values().length];
    private final int[][] columnTypes = new int[inserts.length][];
    private final int[] rows = new int[inserts.length];
    private PreparedStatement insert;
    private int[] types;
    private int parameter;

    /**
     * Prepare the inserts on the connection, and learn each column's SQL type from the database.
     *
     * @param connection to insert with.
     * @throws SQLException if a statement cannot be prepared.
     */
    BatchedInsertSink(final Connection connection) throws SQLException
    {
        for (int table = 0; table < inserts.length; table++)
        {
            final String[] columns = HistoryTable.values()[table].columnList().split(", ");
            columnTypes[table] = new int[columns.length];
            for (int i = 0; i < columns.length; i++)
            {
                columnTypes[table][i] = sqlType(connection, HistoryTable.values()[table].tableName(), columns[i]);
            }
            inserts[table] = connection.prepareStatement("INSERT INTO " + HistoryTable.values()[table].tableName() +
                " (" + HistoryTable.values()[table].columnList() + ") VALUES (" +
                String.join(", ", Collections.nCopies(columns.length, "?")) + ")");
        }
    }

    /**
     * Send every table's batch.
     *
     * @return the rows inserted.
     * @throws SQLException if an insert fails.
     */
    int executeBatches() throws SQLException
    {
        int inserted = 0;
        for (int table = 0; table < inserts.length; table++)
        {
            if (rows[table] > 0)
            {
                inserts[table].executeBatch();
                inserted += rows[table];
                rows[table] = 0;
            }
        }
        return inserted;
    }

    public void close() throws SQLException
    {
        for (final PreparedStatement statement : inserts)
        {
            if (null != statement)
            {
                statement.close();
            }
        }
    }

    public void beginRow(final HistoryTable history)
    {
        final int table = history.ordinal();
        insert = inserts[table];
        types = columnTypes[table];
        parameter = 0;
        rows[table]++;
    }

    public void textColumn(final int column, final CharSequence value)
    {
        try
        {
            insert.setString(++parameter, value.toString());
        }
        catch (final SQLException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    public void asciiColumn(final int column, final DirectBuffer buffer, final int offset, final int length)
    {
        utf8Column(column, buffer, offset, length);
    }

    public void utf8Column(final int column, final DirectBuffer buffer, final int offset, final int length)
    {
        textColumn(column, buffer.getStringWithoutLengthUtf8(offset, length));
    }

    public void bigintColumn(final int column, final long value)
    {
        try
        {
            insert.setLong(++parameter, value);
        }
        catch (final SQLException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    public void booleanColumn(final int column, final boolean value)
    {
        try
        {
            insert.setBoolean(++parameter, value);
        }
        catch (final SQLException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    public void timestampColumn(final int column, final long epochUs)
    {
        final Instant instant = Instant.ofEpochSecond(
            Math.floorDiv(epochUs, 1_000_000L), Math.floorMod(epochUs, 1_000_000L) * 1_000L);
        try
        {
            insert.setObject(++parameter, OffsetDateTime.ofInstant(instant, ZoneOffset.UTC),
                Types.TIMESTAMP_WITH_TIMEZONE);
        }
        catch (final SQLException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    public void decimalColumn(final int column, final long mantissa, final int exponent)
    {
        try
        {
            insert.setBigDecimal(++parameter, BigDecimal.valueOf(mantissa, -exponent));
        }
        catch (final SQLException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    public void nullColumn(final int column)
    {
        try
        {
            insert.setNull(parameter + 1, types[parameter]);
            parameter++;
        }
        catch (final SQLException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    public void endRow()
    {
        try
        {
            insert.addBatch();
        }
        catch (final SQLException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private static int sqlType(final Connection connection, final String table, final String column)
        throws SQLException
    {
        try (PreparedStatement query = connection.prepareStatement(
            "SELECT data_type FROM information_schema.columns WHERE table_name = ? AND column_name = ?"))
        {
            query.setString(1, table);
            query.setString(2, column);
            try (ResultSet result = query.executeQuery())
            {
                if (!result.next())
                {
                    throw new IllegalStateException("no column " + table + "." + column);
                }
                switch (result.getString(1))
                {
                    case "text":
                        return Types.VARCHAR;
                    case "bigint":
                        return Types.BIGINT;
                    case "boolean":
                        return Types.BOOLEAN;
                    case "numeric":
                        return Types.NUMERIC;
                    case "timestamp with time zone":
                        return Types.TIMESTAMP_WITH_TIMEZONE;
                    default:
                        throw new IllegalStateException(table + "." + column + " has an unexpected type " +
                            result.getString(1));
                }
            }
        }
    }
}
