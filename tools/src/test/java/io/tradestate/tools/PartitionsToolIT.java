package io.tradestate.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tradestate.reader.AgentTestEnvironment;
import io.tradestate.reader.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code tradestate partitions} against a real PostgreSQL at the agent's schema.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PartitionsToolIT
{
    @RegisterExtension
    final AgentTestEnvironment environment = new AgentTestEnvironment("partitions").migrated();

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void fillPartitions() throws SQLException
    {
        execute("SELECT create_history_partitions('2024-01-01T00:00:00Z', 2)");
        execute("INSERT INTO balance_events (source_id, queue_index, append_time, append_time_ns, exchange, " +
            "asset, free, used, total) SELECT 's', i, timestamptz '2024-01-05T00:00:00Z' + i * interval '1 day', 0, " +
            "'binance', 'USDT', 1, 0, 1 FROM generate_series(0, 39) AS i"); // 27 in January, 13 in February
    }

    @Test
    void shouldListExpireWhatADryRunPromisedAndListTheDetachedPartitions() throws SQLException
    {
        assertEquals(0, run("list"), err.toString(StandardCharsets.UTF_8));
        final String listing = output();
        assertTrue(listing.contains("balance_events_y2024m01"), listing);
        assertTrue(listing.contains("fills_y2024m03"), listing);
        assertEquals(15, lines(listing, "attached").size(), listing);

        assertEquals(0, run("expire", "--before", "2024-03-01", "--dry-run"), err.toString(StandardCharsets.UTF_8));
        final String dryRun = output();
        assertTrue(dryRun.startsWith("cutoff 2024-03-01T00:00Z (asked for 2024-03-01T00:00Z); would detach:"), dryRun);
        assertEquals(10, lines(dryRun, "attached").size(), dryRun);
        assertEquals("40", query("SELECT count(*) FROM balance_events"), "a dry run changes nothing");

        assertEquals(0, run("expire", "--before", "2024-03-01"), err.toString(StandardCharsets.UTF_8));
        final String expired = output();
        assertEquals(10, lines(expired, "detached").size(), expired);
        assertTrue(words(expired).contains("balance_events_y2024m01 2024-01 detached 27 rows"), expired);
        assertTrue(expired.endsWith("10 partitions detached, 40 rows, cutoff 2024-03-01T00:00Z (asked for " +
            "2024-03-01T00:00Z)\n"), expired);
        assertEquals("0", query("SELECT count(*) FROM balance_events"));

        assertEquals(0, run("list"), err.toString(StandardCharsets.UTF_8));
        final String after = output();
        assertEquals(10, lines(after, "detached").size(), after);
        assertEquals(5, lines(after, "attached").size(), after);

        assertEquals(0, run("expire", "--keep-months", "1", "--drop"), err.toString(StandardCharsets.UTF_8));
        assertTrue(words(output()).contains("fills_y2024m03 2024-03 dropped 0 rows"), output());
        assertEquals("13", query("SELECT count(*) FROM balance_events_y2024m02"), "detached tables are not dropped");
    }

    @Test
    void shouldPrintOneJsonObjectForEachActionWithJson() throws Exception
    {
        final ObjectMapper mapper = new ObjectMapper();
        assertEquals(0, run("list", "--json"), err.toString(StandardCharsets.UTF_8));
        final JsonNode listing = mapper.readTree(output());
        assertEquals(15, listing.get("partitions").size(), output());
        final JsonNode january = find(listing.get("partitions"), "balance_events_y2024m01");
        assertEquals("2024-01", january.get("month").asText());
        assertEquals("attached", january.get("state").asText());
        assertTrue(january.get("bytes").asLong() > 0, output());
        assertTrue(january.get("rowsEstimate").isNull() || january.get("rowsEstimate").canConvertToLong(), output());

        assertEquals(0, run("expire", "--before", "2024-03-01", "--dry-run", "--json"),
            err.toString(StandardCharsets.UTF_8));
        final JsonNode dryRun = mapper.readTree(output());
        assertEquals("2024-03-01T00:00Z", dryRun.get("cutoff").asText());
        assertEquals("detach", dryRun.get("action").asText());
        assertTrue(dryRun.get("dryRun").asBoolean());
        assertEquals(10, dryRun.get("partitions").size(), output());

        assertEquals(0, run("expire", "--before", "2024-03-01", "--json"), err.toString(StandardCharsets.UTF_8));
        final JsonNode expired = mapper.readTree(output());
        assertFalse(expired.get("dryRun").asBoolean());
        assertEquals(10, expired.get("expired").asInt(), output());
        assertEquals(40, expired.get("rows").asLong());
        final JsonNode detached = find(expired.get("partitions"), "balance_events_y2024m01");
        assertEquals("detached", detached.get("action").asText());
        assertEquals(27, detached.get("rows").asLong());
    }

    @Test
    void shouldFailNamingTheProblemWhenTheDatabaseRefuses()
    {
        assertEquals(3, run("list", "--db", TestDatabase.jdbcUrl("absent_" + environment.database())));
        final String error = err.toString(StandardCharsets.UTF_8);
        assertTrue(error.startsWith("tradestate partitions: the database failed: "), error);
        assertFalse(out.toString(StandardCharsets.UTF_8).contains("attached"));
    }

    private int run(final String... args)
    {
        out.reset();
        final List<String> all = new ArrayList<>(List.of(args));
        if (!all.contains("--db"))
        {
            all.add("--db");
            all.add(TestDatabase.jdbcUrl(environment.database()));
        }
        if (null != TestDatabase.user())
        {
            all.add("--user");
            all.add(TestDatabase.user());
        }
        final Map<String, String> environment = null == TestDatabase.password() ? Map.of() :
            Map.of(VerifyOptions.PASSWORD_ENV, TestDatabase.password());
        return PartitionsTool.run(all.toArray(new String[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8), environment);
    }

    private static JsonNode find(final JsonNode partitions, final String name)
    {
        for (final JsonNode partition : partitions)
        {
            if (name.equals(partition.get("partition").asText()))
            {
                return partition;
            }
        }
        throw new AssertionError(name + " not in " + partitions);
    }

    private String output()
    {
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String words(final String text)
    {
        return text.replaceAll("[ ]+", " ");
    }

    private static List<String> lines(final String text, final String word)
    {
        final List<String> lines = new ArrayList<>();
        for (final String line : text.split("\n"))
        {
            if (line.contains(" " + word + " "))
            {
                lines.add(line);
            }
        }
        return lines;
    }

    private void execute(final String sql) throws SQLException
    {
        try (Connection connection = environment.dataSource().getConnection();
            Statement statement = connection.createStatement())
        {
            statement.execute(sql);
        }
    }

    private String query(final String sql) throws SQLException
    {
        try (Connection connection = environment.dataSource().getConnection();
            Statement statement = connection.createStatement();
            ResultSet rows = statement.executeQuery(sql))
        {
            rows.next();
            return rows.getString(1);
        }
    }
}
