package io.tradestate.reader;

import io.tradestate.codecs.OrderStatus;
import io.tradestate.codecs.OrderType;
import io.tradestate.codecs.Side;
import io.tradestate.writer.JournalContext;
import io.tradestate.writer.TradeJournal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Issue 16, "two agents with the same host name": two hosts whose agents see the same host name (cloned VMs,
 * {@code HOSTNAME} unset under systemd, containers) and the same journal root path, each with its own queue of source
 * {@code x}, drain into one database. Here each host is a reader agent JVM with {@code HOSTNAME=twin}, a state folder
 * of its own and {@code journal.root} set to one path, a symbolic link that points at host A's journals while A runs
 * and at host B's while B runs. Before the persistent agent id the two agents had one owner name, so B took A's
 * source {@code x} for its own and drained its own {@code x} from A's checkpoint: B's first events skipped, the rest
 * stored among A's. Now each agent has its own id: B refuses its {@code x}, logging it once, and drains its other
 * source; A's checkpoint and events are untouched.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SameHostNameIT
{
    private static final long TIMEOUT_MS = 60_000;
    private static final long POLL_MS = 50;
    private static final String REFUSED_LINE = "source x is not drained";

    @RegisterExtension
    final AgentTestEnvironment environment = new AgentTestEnvironment("same_host_name");

    @Test
    void shouldNotShareSourcesBetweenAgentsOfOneHostNameAndJournalRootPath() throws Exception
    {
        final Path journalsOfA = Files.createDirectories(environment.root().resolve("host-a").resolve("journal"));
        final Path journalsOfB = Files.createDirectories(environment.root().resolve("host-b").resolve("journal"));
        final long lastOfA = append(journalsOfA, "x", "a-", 10);
        final long lastOfB = append(journalsOfB, "x", "b-", 25);
        final long lastOfOwn = append(journalsOfB, "b-own", "own-", 5);
        final Path journalRoot = environment.journalRoot();

        Files.createSymbolicLink(journalRoot, journalsOfA);
        final ReaderAgentProcess agentA = agent("host-a", journalRoot);
        agentA.start();
        awaitCheckpoint(agentA, "x", lastOfA);
        agentA.stop();

        Files.delete(journalRoot);
        Files.createSymbolicLink(journalRoot, journalsOfB);
        final ReaderAgentProcess agentB = agent("host-b", journalRoot);
        agentB.start();
        awaitCheckpoint(agentB, "b-own", lastOfOwn);
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
        while (!agentB.currentLogContains(REFUSED_LINE) && System.nanoTime() - deadlineNs < 0)
        {
            agentB.checkAlive();
            Thread.sleep(POLL_MS);
        }
        Thread.sleep(20 * POLL_MS); // twenty discoveries: the refusal must stay logged once
        agentB.stop();

        final Map<String, Long> checkpoints = longs("SELECT source_id, last_index FROM source_checkpoints");
        assertEquals(lastOfA, checkpoints.get("x"), "A's checkpoint of x, untouched by B (B's last index: 0x" +
            Long.toHexString(lastOfB) + ")");
        assertEquals(Map.of("x", 10L, "b-own", 5L),
            longs("SELECT source_id, count(*) FROM order_events GROUP BY source_id"));
        assertEquals(Map.of("x", 10L), longs("SELECT source_id, count(*) FROM order_events WHERE order_id LIKE " +
            "'a-%' GROUP BY source_id"), "x holds A's events only");
        final Map<String, String> owners = strings("SELECT source_id, agent_id::text FROM source_owners");
        assertNotEquals(owners.get("x"), owners.get("b-own"), "two agents, two owners: " + owners);

        final List<String> errorsOfB = errorLines(agentB);
        assertEquals(1, errorsOfB.size(), "B logs the refusal once: " + errorsOfB);
        assertTrue(errorsOfB.get(0).contains(REFUSED_LINE), errorsOfB.get(0));
        assertEquals(List.of(), errorLines(agentA), "A logged errors");
    }

    private ReaderAgentProcess agent(final String host, final Path journalRoot) throws IOException
    {
        final Map<String, String> settings =
            environment.processSettings(journalRoot, environment.root().resolve(host).resolve("state"));
        settings.put(ReaderConfiguration.DISCOVERY_INTERVAL_MS, Long.toString(POLL_MS));
        settings.put(ReaderConfiguration.METRICS_PORT, "-1");
        settings.put(ReaderConfiguration.STATE_ENABLED, "false");
        return environment.process(environment.root().resolve(host).resolve("agent"), settings,
            Map.of("HOSTNAME", "twin"));
    }

    private void awaitCheckpoint(final ReaderAgentProcess agent, final String sourceId, final long index)
        throws Exception
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
        while (System.nanoTime() - deadlineNs < 0)
        {
            agent.checkAlive();
            try
            {
                if (Long.valueOf(index).equals(
                    longs("SELECT source_id, last_index FROM source_checkpoints").get(sourceId)))
                {
                    return;
                }
            }
            catch (final SQLException ex)
            {
                if (!"42P01".equals(ex.getSQLState()))
                {
                    throw ex; // else: the agent has not migrated the schema yet
                }
            }
            Thread.sleep(POLL_MS);
        }
        fail(sourceId + " not drained to 0x" + Long.toHexString(index) + ":\n" + agent.logTail());
    }

    private static long append(final Path journalRoot, final String sourceId, final String orderPrefix,
        final int orders)
    {
        long lastIndex = -1;
        try (TradeJournal journal = TradeJournal.open(new JournalContext().journalRoot(journalRoot)
            .sourceId(sourceId).heartbeatIntervalMs(0).warmUpAppends(0)))
        {
            for (int i = 0; i < orders; i++)
            {
                lastIndex = journal.orderUpdate().exchange("binance").symbol("BTC/USDT").orderId(orderPrefix + i)
                    .side(Side.BUY).orderType(OrderType.LIMIT).status(OrderStatus.OPEN).amount(1, 0).price(100, 0)
                    .commit();
            }
        }
        return lastIndex;
    }

    private Map<String, Long> longs(final String sql) throws SQLException
    {
        final Map<String, Long> values = new HashMap<>();
        for (final Map.Entry<String, String> entry : strings(sql).entrySet())
        {
            values.put(entry.getKey(), Long.parseLong(entry.getValue()));
        }
        return values;
    }

    private Map<String, String> strings(final String sql) throws SQLException
    {
        final Map<String, String> values = new HashMap<>();
        try (Connection connection = environment.dataSource().getConnection();
            Statement statement = connection.createStatement();
            ResultSet rows = statement.executeQuery(sql))
        {
            while (rows.next())
            {
                values.put(rows.getString(1), rows.getString(2));
            }
        }
        return values;
    }

    private static List<String> errorLines(final ReaderAgentProcess agent) throws IOException
    {
        final List<String> errors = new ArrayList<>();
        for (final String line : agent.logLines())
        {
            if (line.contains("[ERROR]") || line.contains("database write failed"))
            {
                errors.add(line);
            }
        }
        return errors;
    }
}
