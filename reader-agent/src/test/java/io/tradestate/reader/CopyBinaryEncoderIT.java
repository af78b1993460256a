package io.tradestate.reader;

import io.tradestate.reader.drain.CopyBinaryEncoder;
import io.tradestate.reader.drain.CopyTextEncoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Every value the drain writes lands the same through {@link CopyBinaryEncoder} as through {@link CopyTextEncoder},
 * on a real PostgreSQL: the same rows, compared as the server prints them (a numeric's scale included), for decimals
 * at every exponent the journal allows and at the mantissa's bounds, times across the history's range, hostile and
 * non-ASCII text, NUL bytes, fixed-length ASCII fields, booleans, 64-bit integers and NULLs.
 */
class CopyBinaryEncoderIT
{
    private static final String COLUMNS = "id, amount, at, note, code, flag, number";
    private static final String TABLE = "(id bigint, amount numeric, at timestamptz, note text, code text, " +
        "flag boolean, number bigint)";

    @RegisterExtension
    static final AgentTestEnvironment ENVIRONMENT = new AgentTestEnvironment(CopyBinaryEncoderIT.class.getSimpleName());

    @Test
    void shouldStoreEveryValueAsCopyTextDoes() throws SQLException
    {
        final CopyTextEncoder text = new CopyTextEncoder();
        final CopyBinaryEncoder binary = new CopyBinaryEncoder(7);
        final SplittableRandom random = new SplittableRandom(20261205L);
        final List<String> texts = List.of("", "plain", "tab\there", "new\nline", "back\\slash", "\\N", "\\.",
            "quote'\"", "caf\u00e9 \u20ac \ud83d\ude80", "nul\u0000inside", "\u2028\ufeff", "x".repeat(1_024));
        final long[] mantissas = { 0, 1, -1, 9, 10, 9_999, 10_000, 123_456_789, -987_654_321_012L,
            Long.MAX_VALUE, Long.MIN_VALUE + 1, CopyBinaryEncoder.NULL_LONG };
        final long[] times = { 946_684_800_000_000L, 946_684_800_000_001L, 946_684_799_999_999L, 0L,
            1_780_000_000_123_456L, 7_258_118_399_999_999L, CopyBinaryEncoder.NULL_LONG };
        final UnsafeBuffer ascii = new UnsafeBuffer(new byte[16]);

        int id = 0;
        for (int exponent = -18; exponent <= 18; exponent++)
        {
            for (final long mantissa : mantissas)
            {
                final String note = texts.get(random.nextInt(texts.size()));
                final long time = times[random.nextInt(times.length)];
                ascii.setMemory(0, ascii.capacity(), (byte)0);
                final int asciiLength = random.nextInt(ascii.capacity() + 1);
                for (int i = 0; i < asciiLength; i++)
                {
                    ascii.putByte(i, (byte)('A' + random.nextInt(26)));
                }
                final byte[] noteBytes = note.getBytes(StandardCharsets.UTF_8);
                final UnsafeBuffer noteBuffer = new UnsafeBuffer(noteBytes);
                final boolean flag = random.nextBoolean();
                final long number = random.nextLong();
                final boolean nullNote = 0 == random.nextInt(9);

                text.bigint(id).decimal(mantissa, exponent).timestampFromEpochMicros(time);
                binary.bigint(id).decimal(mantissa, exponent).timestampFromEpochMicros(time);
                if (nullNote)
                {
                    text.text(null);
                    binary.text(null);
                }
                else if (random.nextBoolean())
                {
                    text.utf8Text(noteBuffer, 0, noteBytes.length);
                    binary.utf8Text(noteBuffer, 0, noteBytes.length);
                }
                else
                {
                    text.text(note);
                    binary.text(note);
                }
                text.asciiText(ascii, 0, ascii.capacity()).bool(flag).bigint(number).endRow();
                binary.asciiText(ascii, 0, ascii.capacity()).bool(flag).bigint(number).endRow();
                id++;
            }
        }

        try (Connection connection = ENVIRONMENT.dataSource().getConnection();
            Statement statement = connection.createStatement())
        {
            statement.execute("CREATE TABLE from_text " + TABLE);
            statement.execute("CREATE TABLE from_binary " + TABLE);
            final CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
            final CopyIn textIn = copy.copyIn("COPY from_text (" + COLUMNS + ") FROM STDIN");
            textIn.writeToCopy(text.buffer(), 0, text.length());
            textIn.endCopy();
            final CopyIn binaryIn = copy.copyIn("COPY from_binary (" + COLUMNS + ") FROM STDIN (FORMAT binary)");
            binaryIn.writeToCopy(CopyBinaryEncoder.HEADER, 0, CopyBinaryEncoder.HEADER.length);
            binaryIn.writeToCopy(binary.buffer(), 0, binary.length());
            binaryIn.writeToCopy(CopyBinaryEncoder.TRAILER, 0, CopyBinaryEncoder.TRAILER.length);
            binaryIn.endCopy();

            assertEquals(id, count(statement, "SELECT count(*) FROM from_binary"));
            final List<String> differences = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery("SELECT t.id, t.amount::text, b.amount::text, t.at, b.at, " +
                "t.note, b.note, t.code, b.code FROM from_text t FULL JOIN from_binary b USING (id) " +
                "WHERE (t.amount::text, t.at, t.note, t.code, t.flag, t.number) IS DISTINCT FROM " +
                "(b.amount::text, b.at, b.note, b.code, b.flag, b.number) LIMIT 20"))
            {
                while (rows.next())
                {
                    differences.add(rows.getString(1) + ": " + rows.getString(2) + " / " + rows.getString(3) + ", " +
                        rows.getString(4) + " / " + rows.getString(5) + ", " + rows.getString(6) + " / " +
                        rows.getString(7) + ", " + rows.getString(8) + " / " + rows.getString(9));
                }
            }
            assertEquals(List.of(), differences);
            // The comparison sees the values: scales survive (1 x 10^-2 is 0.01, 10 x 10^-18 keeps 18 places).
            assertEquals(1, count(statement, "SELECT count(*) FROM from_binary WHERE amount::text = " +
                "'0.000000000000000010'"));
        }
    }

    @Test
    void shouldLeaveNothingOfARowItAborts()
    {
        final CopyBinaryEncoder binary = new CopyBinaryEncoder(2);
        binary.bigint(1).text("kept").endRow();
        final int length = binary.length();
        binary.bigint(2);
        assertThrows(IllegalArgumentException.class, () -> binary.text("unpaired \ud800 surrogate"));
        assertEquals(1, binary.columns());
        binary.abortRow();
        assertEquals(length, binary.length());
        assertEquals(0, binary.columns());
        assertThrows(IllegalStateException.class, () -> binary.bigint(3).endRow());
        assertEquals(1, binary.rows());
    }

    private static long count(final Statement statement, final String sql) throws SQLException
    {
        try (ResultSet resultSet = statement.executeQuery(sql))
        {
            resultSet.next();
            return resultSet.getLong(1);
        }
    }
}
