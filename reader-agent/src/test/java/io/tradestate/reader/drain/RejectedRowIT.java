package io.tradestate.reader.drain;

import io.tradestate.codecs.FillDecoder;
import io.tradestate.codecs.Liquidity;
import io.tradestate.codecs.MessageHeaderDecoder;
import io.tradestate.codecs.OrderStatus;
import io.tradestate.codecs.OrderType;
import io.tradestate.codecs.Side;
import io.tradestate.codecs.TradingMode;
import io.tradestate.reader.AgentTestEnvironment;
import io.tradestate.reader.QueueSummary;
import io.tradestate.reader.ReaderConfiguration;
import io.tradestate.reader.ReaderContext;
import io.tradestate.writer.TradeJournal;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Rows PostgreSQL itself rejects, against a real server and real journals: constraints an operator added refuse one
 * fill, or one order in the current-state table, among thousands of good events. The rejected events go to
 * {@code dead_letters} with their bytes and PostgreSQL's reason, every other event is stored exactly once, the
 * checkpoints end at the queues' ends, and the drain goes on. A duplicate of the history key stays a failed batch.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class RejectedRowIT
{
    private static final long DRAIN_TIMEOUT_MS = 60_000;
    private static final String POISON_FILL = "poison-fill";
    private static final String POISON_ORDER = "poison-order";

    @RegisterExtension
    final AgentTestEnvironment environment = new AgentTestEnvironment("rejected_row").migrated();

    private DrainAgent agent;
    private final Map<String, int[]> counts = new HashMap<>();

    @AfterEach
    void closeAgent()
    {
        if (null != agent)
        {
            agent.onClose();
        }
    }

    @Test
    void shouldDeadLetterTheRowPostgresRejectsAndStoreEveryOtherEventOnce() throws Exception
    {
        execute("ALTER TABLE fills ADD CONSTRAINT no_poison_fill CHECK (fill_id <> '" + POISON_FILL + "')");
        final long poisonIndex = append("alpha", 0, 2_000, 1_234, -1);
        append("beta", 0, 1_000, -1, -1);

        agent = new DrainAgent(context(20_000), new PostgresBatchWriter(environment.agentPool()),
            SystemEpochClock.INSTANCE);
        drain("alpha", "beta");

        assertEquals(1, agent.rejectedEvents());
        assertEquals(1, agent.deadLetters());
        assertEquals(0, agent.failedAttempts());
        assertEquals("alpha|" + poisonIndex, query("SELECT source_id || '|' || queue_index FROM dead_letters"));
        final String reason = query("SELECT reason FROM dead_letters");
        assertTrue(reason.startsWith("rejected by PostgreSQL: new row for relation \"fills_"), reason);
        assertTrue(reason.contains("violates check constraint \"no_poison_fill\" (SQLState 23514, constraint " +
            "no_poison_fill)"), reason);
        assertPoisonFillBytes(queryBytes("SELECT raw_bytes FROM dead_letters"));
        assertStoredOnce("alpha", 1, 0);
        assertStoredOnce("beta", 0, 0);
        assertEquals("0", query("SELECT count(*) FROM fills WHERE fill_id = '" + POISON_FILL + "'"));
        assertEquals("closed", query("SELECT status FROM orders WHERE order_id = 'alpha-1234'"),
            "the order of the rejected fill is stored");

        append("alpha", 2_000, 2_300, 2_100, -1);
        drain("alpha", "beta");

        assertEquals(2, agent.rejectedEvents());
        assertEquals("2", query("SELECT count(*) FROM dead_letters WHERE source_id = 'alpha'"));
        assertStoredOnce("alpha", 2, 0);
    }

    @Test
    void shouldIsolateTwoRejectedRowsOfOneBatch() throws Exception
    {
        execute("ALTER TABLE fills ADD CONSTRAINT no_poison_fill CHECK (fill_id <> '" + POISON_FILL + "')");
        execute("ALTER TABLE orders ADD CONSTRAINT no_poison_order CHECK (order_id <> '" + POISON_ORDER + "')");
        final long fillIndex = append("alpha", 0, 2_000, 700, -1);
        final long orderIndex = append("alpha", 2_000, 2_600, -1, 2_313);
        append("beta", 0, 1_000, -1, -1);

        agent = new DrainAgent(context(20_000), new PostgresBatchWriter(environment.agentPool()),
            SystemEpochClock.INSTANCE);
        drain("alpha", "beta");

        assertEquals(2, agent.rejectedEvents());
        assertEquals(1, agent.batchesCommitted(), "both rejected rows sat in the one batch");
        assertEquals("alpha|" + fillIndex + "|23514|no_poison_fill,alpha|" + orderIndex + "|23514|no_poison_order",
            query("SELECT string_agg(source_id || '|' || queue_index || '|' || substring(reason FROM " +
            "'SQLState ([0-9A-Z]{5})') || '|' || substring(reason FROM 'constraint ([a-z_]+)\\)'), ',' " +
            "ORDER BY queue_index) FROM dead_letters"));
        assertStoredOnce("alpha", 1, 1);
        assertStoredOnce("beta", 0, 0);
        assertEquals("0", query("SELECT count(*) FROM order_events WHERE order_id = '" + POISON_ORDER + "'"),
            "the rejected order's history row went with it");
    }

    /**
     * The very first batch of a fresh agent, rejected by the current-state upsert (no COPY line to go by) for an
     * order near its start: the isolator's first slices fail under their savepoints, taking with them the session's
     * temporary candidates table made inside them; the slices after must make it again rather than fail for want of
     * it, and be taken for rejected rows.
     */
    @Test
    void shouldIsolateARowRejectedByTheUpsertInTheFirstBatchOfAFreshAgent() throws Exception
    {
        execute("ALTER TABLE orders ADD CONSTRAINT no_poison_order CHECK (order_id <> '" + POISON_ORDER + "')");
        final long orderIndex = append("alpha", 0, 400, -1, 3);

        agent = new DrainAgent(context(20_000), new PostgresBatchWriter(environment.agentPool()),
            SystemEpochClock.INSTANCE);
        drain("alpha");

        assertEquals(1, agent.rejectedEvents());
        assertEquals("alpha|" + orderIndex, query("SELECT string_agg(source_id || '|' || queue_index, ',') " +
            "FROM dead_letters"));
        assertStoredOnce("alpha", 0, 1);
    }

    @Test
    void shouldKeepADuplicateOfTheHistoryKeyAFailedBatch() throws Exception
    {
        append("alpha", 0, 200, -1, -1);
        agent = new DrainAgent(context(20_000), new PostgresBatchWriter(environment.agentPool()),
            SystemEpochClock.INSTANCE);
        drain("alpha");
        agent.onClose();
        final String rewound = query("SELECT min(queue_index) FROM fills");
        execute("UPDATE source_checkpoints SET last_index = " + rewound);

        agent = new DrainAgent(context(20_000), new PostgresBatchWriter(environment.agentPool()),
            SystemEpochClock.INSTANCE);
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (System.nanoTime() - deadlineNs < 0)
        {
            if (0 == agent.doWork())
            {
                Thread.sleep(1);
            }
        }

        assertTrue(agent.failedAttempts() > 0, "the replayed events hit the history key");
        assertEquals(0, agent.rejectedEvents());
        assertEquals("0", query("SELECT count(*) FROM dead_letters"));
        assertEquals(rewound, query("SELECT last_index FROM source_checkpoints"));
        assertEquals("400", query("SELECT count(*) FROM order_events"), "nothing stored twice");
        assertEquals("200", query("SELECT count(*) FROM fills"));
    }

    private ReaderContext context(final int batchMaxEvents)
    {
        final ReaderContext context = environment.context()
            .set(ReaderConfiguration.BATCH_MAX_EVENTS, String.valueOf(batchMaxEvents))
            .set(ReaderConfiguration.DISCOVERY_INTERVAL_MS, "10")
            .set(ReaderConfiguration.METRICS_PORT, "0")
            .set(ReaderConfiguration.RETRY_INITIAL_MS, "1")
            .set(ReaderConfiguration.RETRY_MAX_MS, "10");
        return context.conclude();
    }

    /**
     * Append iterations {@code [from, to)} of orders, fills, trades, balances and locks; the fill of iteration
     * {@code poisonFill} gets the fill id the test's constraint refuses, and the second order update of iteration
     * {@code poisonOrder} the order id; -1 for none.
     *
     * @return the index of the poisoned event, or of the last event when none.
     */
    private long append(final String source, final int from, final int to, final int poisonFill, final int poisonOrder)
    {
        final int[] count = counts.computeIfAbsent(source, (key) -> new int[5]);
        long poisonIndex = -1;
        long index = -1;
        try (TradeJournal journal = environment.journal(source))
        {
            for (int i = from; i < to; i++)
            {
                final String orderId = source + "-" + i;
                journal.orderUpdate()
                    .exchange("binance").symbol("BTC/USDT").orderId(orderId).tradeId(i).side(Side.BUY)
                    .orderType(OrderType.LIMIT).status(OrderStatus.OPEN).price(6412350, -2).amount(15, -3)
                    .commit();
                index = journal.fill()
                    .exchange("binance").symbol("BTC/USDT").fillId(i == poisonFill ? POISON_FILL : orderId + "-f")
                    .orderId(orderId).tradeId(i).side(Side.BUY).liquidity(Liquidity.MAKER).price(6412350, -2)
                    .amount(15, -3).commit();
                if (i == poisonFill)
                {
                    poisonIndex = index;
                }
                index = journal.orderUpdate()
                    .exchange("binance").symbol("BTC/USDT").orderId(i == poisonOrder ? POISON_ORDER : orderId)
                    .tradeId(i).side(Side.BUY).orderType(OrderType.LIMIT).status(OrderStatus.CLOSED)
                    .price(6412350, -2).amount(15, -3).filled(15, -3).commit();
                if (i == poisonOrder)
                {
                    poisonIndex = index;
                }
                journal.tradeUpdate()
                    .tradeId(i).openTimeMs(1_700_000_000_000L).strategy("momentum").exchange("binance")
                    .pair("BTC/USDT").tradingMode(TradingMode.SPOT).openRate(6412350, -2).amount(15, -3)
                    .stakeAmount(32061750, -5).isOpen(true).commit();
                index = journal.balanceUpdate()
                    .exchange("binance").asset(i % 2 == 0 ? "USDT" : "BTC").free(i, -2).total(i, -2).commit();
                count[0] += 2;
                count[1]++;
                count[2]++;
                count[4]++;
                if (i % 50 == 0)
                {
                    index = journal.pairLock().pair("BTC/USDT").side(io.tradestate.codecs.LockSide.LONG)
                        .lockEndTimeMs(System.currentTimeMillis() + 3_600_000).reason("cooldown").commit();
                    count[3]++;
                }
            }
        }
        return -1 == poisonIndex ? index : poisonIndex;
    }

    /**
     * Drive the agent until every named source's checkpoint is at the end of its queue.
     */
    private void drain(final String... sources) throws Exception
    {
        final Map<String, Long> lastIndexes = new HashMap<>();
        for (final String source : sources)
        {
            lastIndexes.put(source, QueueSummary.of(environment.journalRoot().resolve(source)).lastIndex);
        }

        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DRAIN_TIMEOUT_MS);
        while (true)
        {
            boolean drained = true;
            for (final Map.Entry<String, Long> entry : lastIndexes.entrySet())
            {
                drained &= String.valueOf(entry.getValue()).equals(query(
                    "SELECT last_index FROM source_checkpoints WHERE source_id = '" + entry.getKey() + "'"));
            }
            if (drained)
            {
                // The database has the last batch; the agent's counters have it once its outcome is collected.
                while (agent.isCommitting())
                {
                    agent.doWork();
                    Thread.sleep(1);
                }
                return;
            }
            if (System.nanoTime() - deadlineNs > 0)
            {
                fail("not drained within " + DRAIN_TIMEOUT_MS + " ms: expected " + lastIndexes + ", " +
                    agent.failedAttempts() + " failed attempts");
            }
            for (int i = 0; i < 100; i++)
            {
                if (0 == agent.doWork())
                {
                    Thread.sleep(1);
                }
            }
        }
    }

    /**
     * Every appended event of the source is stored once, less the rejected fills and orders; the checkpoint counts
     * every excerpt of the queue.
     */
    private void assertStoredOnce(final String source, final int rejectedFills, final int rejectedOrders)
        throws SQLException
    {
        final int[] expected = counts.get(source);
        final String where = " WHERE source_id = '" + source + "'";
        assertEquals(String.valueOf(expected[0] - rejectedOrders), query("SELECT count(*) FROM order_events" + where));
        assertEquals(String.valueOf(expected[1] - rejectedFills), query("SELECT count(*) FROM fills" + where));
        assertEquals(String.valueOf(expected[2]), query("SELECT count(*) FROM trade_events" + where));
        assertEquals(String.valueOf(expected[3]), query("SELECT count(*) FROM pair_lock_events" + where));
        assertEquals(String.valueOf(expected[4]), query("SELECT count(*) FROM balance_events" + where));
        for (final String table : new String[] { "order_events", "fills", "trade_events", "balance_events" })
        {
            assertEquals(query("SELECT count(*) FROM " + table + where),
                query("SELECT count(DISTINCT queue_index) FROM " + table + where), table + " holds no duplicate");
        }
        final QueueSummary queue = QueueSummary.of(environment.journalRoot().resolve(source));
        assertEquals(queue.lastIndex + "|" + queue.excerpts,
            query("SELECT last_index || '|' || events FROM source_checkpoints" + where));
        assertEquals(query("SELECT count(DISTINCT order_id) FROM order_events" + where),
            query("SELECT count(*) FROM orders" + where), "one current row per stored order");
    }

    private static void assertPoisonFillBytes(final byte[] bytes)
    {
        final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(new UnsafeBuffer(bytes), 0);
        assertEquals(FillDecoder.TEMPLATE_ID, header.templateId());
        final String text = new String(bytes, StandardCharsets.ISO_8859_1);
        assertTrue(text.contains(POISON_FILL), "the dead letter holds the excerpt's bytes");
        assertTrue(bytes.length >= MessageHeaderDecoder.ENCODED_LENGTH + FillDecoder.BLOCK_LENGTH);
    }

    private void execute(final String sql) throws SQLException
    {
        try (Connection connection = environment.agentPool().getConnection();
            Statement statement = connection.createStatement())
        {
            statement.execute(sql);
            connection.commit();
        }
    }

    private String query(final String sql) throws SQLException
    {
        try (Connection connection = environment.agentPool().getConnection();
            Statement statement = connection.createStatement();
            ResultSet rows = statement.executeQuery(sql))
        {
            final String value = rows.next() ? rows.getString(1) : null;
            connection.commit();
            return value;
        }
    }

    private byte[] queryBytes(final String sql) throws SQLException
    {
        try (Connection connection = environment.agentPool().getConnection();
            Statement statement = connection.createStatement();
            ResultSet rows = statement.executeQuery(sql))
        {
            assertTrue(rows.next(), sql);
            final byte[] value = rows.getBytes(1);
            connection.commit();
            return value;
        }
    }
}
