package io.tradestate.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tradestate.codecs.Liquidity;
import io.tradestate.codecs.LockSide;
import io.tradestate.codecs.MessageHeaderEncoder;
import io.tradestate.codecs.OrderStatus;
import io.tradestate.codecs.OrderType;
import io.tradestate.codecs.OrderUpdateEncoder;
import io.tradestate.codecs.Side;
import io.tradestate.codecs.TradingMode;
import io.tradestate.reader.AgentTestEnvironment;
import io.tradestate.reader.ReaderAgent;
import io.tradestate.reader.ReaderConfiguration;
import io.tradestate.writer.TradeJournal;
import io.tradestate.writer.state.BalanceEntry;
import io.tradestate.writer.state.TradeStateView;
import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.queue.RollCycles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code tradestate verify} against a real PostgreSQL that a real {@link ReaderAgent} filled from real journals, one
 * of them holding a corrupted entry: clean (state maps included) with the corrupted entry's dead letter in place,
 * events appended after the drain reported as not drained without failing, then each kind of tampering with the
 * database reported and the exit code 1.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JournalVerifyToolIT
{
    private static final long T0_MS = 1_767_225_600_000L;

    @RegisterExtension
    final AgentTestEnvironment environment =
        new AgentTestEnvironment("verify").settings(AgentTestEnvironment.smallStateMaps(10_000));
    private final Map<String, Long> lastIndexes = new HashMap<>();
    private final List<Long> orderIndexes = new ArrayList<>();
    private long corruptIndex;

    @Test
    void shouldBeCleanAfterTheDrainThenReportEachTamperingWithTheDatabase() throws Exception
    {
        appendWorkload("alpha", 0, 120);
        appendWorkload("beta", 0, 40);
        appendCorruptedEntry("beta");
        appendWorkload("beta", 40, 60);

        environment.launch();
        awaitDrained();

        final VerifyRun clean = verify("--state", environment.stateDir().toString());
        assertEquals(JournalVerifyTool.EXIT_CLEAN, clean.exitCode, clean.out + clean.err);
        assertTrue(clean.out.contains("source alpha: clean\n"), clean.out);
        assertTrue(clean.out.contains("source beta: clean\n"), clean.out);
        assertTrue(clean.out.contains(" 1 undecodable; 0 after the checkpoint"), clean.out);
        assertTrue(clean.out.contains(", 1 dead letters (1 expected), 0 events rejected by PostgreSQL;"), clean.out);
        assertTrue(clean.out.contains("missing 0, unexpected rows 0, differing 0, dead letters missing 0, " +
            "unexpected dead letters 0"), clean.out);
        assertTrue(clean.out.contains("(generation 1): equal to the current-state tables\n"), clean.out);
        assertTrue(clean.out.endsWith("verify clean\n"), clean.out);

        final VerifyRun cleanJson = verify("--state", environment.stateDir().toString(), "--json");
        assertEquals(JournalVerifyTool.EXIT_CLEAN, cleanJson.exitCode, cleanJson.out + cleanJson.err);
        final JsonNode cleanReport = new ObjectMapper().readTree(cleanJson.out);
        assertEquals("clean", cleanReport.get("outcome").asText(), cleanJson.out);
        assertEquals(0, cleanReport.get("differences").asLong());
        assertEquals(2, cleanReport.get("sources").size(), cleanJson.out);
        final JsonNode beta = cleanReport.get("sources").get(1);
        assertEquals("beta", beta.get("source").asText());
        assertEquals(1, beta.get("undecodable").asLong());
        assertEquals(1, beta.get("deadLetters").asLong());
        assertEquals(0, beta.get("counts").get("missing").asLong());
        assertEquals(1, cleanReport.get("stateMaps").get("generation").asLong());
        assertEquals(0, cleanReport.get("stateMaps").get("differences").asLong());

        environment.stopAgent();
        appendWorkload("alpha", 120, 122);
        final VerifyRun behind = verify("--source", "alpha");
        assertEquals(JournalVerifyTool.EXIT_CLEAN, behind.exitCode, behind.out + behind.err);
        assertTrue(behind.out.contains(" after the checkpoint, not drained yet"), behind.out);
        assertFalse(behind.out.contains("; 0 after the checkpoint"), behind.out);
        assertFalse(behind.out.contains("source beta"), "--source alpha: " + behind.out);

        final long deletedFill = queryLong("SELECT min(queue_index) FROM fills WHERE source_id = 'alpha'");
        execute("DELETE FROM fills WHERE source_id = 'alpha' AND queue_index = " + deletedFill);
        final long repriced = orderIndexes.get(3);
        execute("UPDATE order_events SET price = price + 0.01 WHERE source_id = 'alpha' AND queue_index = " +
            repriced);
        final long extra = orderIndexes.get(5);
        execute("INSERT INTO balance_events SELECT source_id, " + extra + ", append_time, append_time_ns, " +
            "exchange_time, exchange, asset, free, used, total FROM balance_events WHERE source_id = 'alpha' LIMIT 1");
        execute("DELETE FROM dead_letters WHERE source_id = 'beta'");

        final VerifyRun tampered = verify();
        assertEquals(JournalVerifyTool.EXIT_DIFFERENCES, tampered.exitCode, tampered.out + tampered.err);
        assertTrue(tampered.out.contains("source alpha: 3 differences\n"), tampered.out);
        assertTrue(tampered.out.contains("missing 1, unexpected rows 1, differing 1, dead letters missing 0"),
            tampered.out);
        assertTrue(tampered.out.contains("missing                fills: no row for the Fill 0x" +
            Long.toHexString(deletedFill) + ", and no dead letter\n"), tampered.out);
        assertTrue(tampered.out.contains("differing              order_events row of the OrderUpdate 0x" +
            Long.toHexString(repriced) + ": price is \"64123.51\", the journal has \"64123.50\"\n"), tampered.out);
        assertTrue(tampered.out.contains("unexpected row         balance_events row at 0x" + Long.toHexString(extra) +
            ": the journal has the OrderUpdate 0x" + Long.toHexString(extra) + " there\n"), tampered.out);
        assertTrue(tampered.out.contains("source beta: 1 difference\n"), tampered.out);
        assertTrue(tampered.out.contains("dead letter missing    undecodable entry 0x" +
            Long.toHexString(corruptIndex) + " (OrderUpdate.side invalid enum value 7) has no dead letter\n"),
            tampered.out);
        assertTrue(tampered.out.endsWith("verify found 4 differences\n"), tampered.out);

        final VerifyRun tamperedJson = verify("--json");
        assertEquals(JournalVerifyTool.EXIT_DIFFERENCES, tamperedJson.exitCode, tamperedJson.out + tamperedJson.err);
        final JsonNode tamperedReport = new ObjectMapper().readTree(tamperedJson.out);
        assertEquals("differences", tamperedReport.get("outcome").asText());
        assertEquals(4, tamperedReport.get("differences").asLong());
        assertTrue(tamperedReport.get("stateMaps").isNull(), tamperedJson.out);
        final JsonNode alpha = tamperedReport.get("sources").get(0);
        assertEquals(3, alpha.get("differences").asLong());
        assertEquals(1, alpha.get("counts").get("differing").asLong());
        assertEquals("missing", alpha.get("details").get(0).get("kind").asText(), tamperedJson.out);
        assertEquals("fills: no row for the Fill 0x" + Long.toHexString(deletedFill) + ", and no dead letter",
            alpha.get("details").get(0).get("detail").asText());
        assertEquals(1, tamperedReport.get("sources").get(1).get("counts").get("dead_letter_missing").asLong());
    }

    @Test
    void shouldCountTheRowsOfCycleFilesRetentionDeletedWithoutReportingThem() throws Exception
    {
        final long cycleMs = TimeUnit.MINUTES.toMillis(5);
        final SetTimeProvider time = new SetTimeProvider((System.currentTimeMillis() / cycleMs - 10) * cycleMs *
            1_000_000L);
        long lastIndex = -1;
        final List<Long> lastCycleIndexes = new ArrayList<>();
        for (int cycle = 0; cycle < 3; cycle++)
        {
            time.currentTimeMillis(time.currentTimeMillis() + cycleMs);
            try (TradeJournal journal = TradeJournal.open(environment.journalContext("gamma")
                .rollCycle(RollCycles.FIVE_MINUTELY).timeProvider(time)))
            {
                for (int i = 0; i < 20; i++)
                {
                    lastIndex = journal.orderUpdate()
                        .exchange("binance").symbol("BTC/USDT").orderId("g-" + cycle + "-" + i).tradeId(i)
                        .side(Side.BUY).orderType(OrderType.LIMIT).status(OrderStatus.OPEN).price(6412350, -2)
                        .amount(15, -3).filled(0, 0).remaining(15, -3).commit();
                    if (2 == cycle)
                    {
                        lastCycleIndexes.add(lastIndex);
                    }
                }
            }
        }

        environment.launch(environment.context()
            .set(ReaderConfiguration.JOURNAL_RETENTION_MS, "0")
            .set(ReaderConfiguration.JOURNAL_RETENTION_CHECK_MS, "100")
            .set(ReaderConfiguration.STATE_SNAPSHOT_INTERVAL_MS, "200"));
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() - deadlineNs < 0 &&
            (queryLong("SELECT coalesce(max(last_index), -1) FROM source_checkpoints") < lastIndex ||
            cycleFiles("gamma") > 1))
        {
            Thread.sleep(50);
        }
        assertEquals(1, cycleFiles("gamma"), "retention deleted the two drained cycles");
        environment.stopAgent();

        final VerifyRun clean = verify("--source", "gamma");
        assertEquals(JournalVerifyTool.EXIT_CLEAN, clean.exitCode, clean.out + clean.err);
        assertTrue(clean.out.contains("source gamma: clean\n"), clean.out);
        assertTrue(clean.out.contains("  journal    21 entries: 20 events, 1 status"), clean.out);
        assertTrue(clean.out.contains("  deleted    40 rows and 0 dead letters of cycle files no longer in the " +
            "journal (retention), not compared\n"), clean.out);

        execute("DELETE FROM order_events WHERE source_id = 'gamma' AND queue_index = " + lastCycleIndexes.get(7));
        final VerifyRun tampered = verify("--source", "gamma");
        assertEquals(JournalVerifyTool.EXIT_DIFFERENCES, tampered.exitCode, tampered.out + tampered.err);
        assertTrue(tampered.out.contains("source gamma: 1 difference\n"), tampered.out);

        execute("UPDATE source_checkpoints SET events = 30 WHERE source_id = 'gamma'");
        final VerifyRun miscounted = verify("--source", "gamma");
        assertEquals(JournalVerifyTool.EXIT_DIFFERENCES, miscounted.exitCode, miscounted.out + miscounted.err);
        assertTrue(miscounted.out.contains("checkpoint             the checkpoint counts 30 entries drained, fewer " +
            "than the journal holds up to it (21) and the rows of its deleted cycles (40)"), miscounted.out);
    }

    private VerifyRun verify(final String... more) throws IOException
    {
        return VerifyRun.of(environment.journalRoot(), environment, more);
    }

    private long cycleFiles(final String source)
    {
        final java.io.File[] files = environment.journalRoot().resolve(source).toFile()
            .listFiles((dir, name) -> name.endsWith(".cq4"));
        return null == files ? 0 : files.length;
    }

    /**
     * Orders, fills, trades, pair locks and unlocks, ending with a balance of an asset named after the source and
     * the last step, by which the test knows the state maps have caught up.
     */
    private void appendWorkload(final String source, final int from, final int to)
    {
        try (TradeJournal journal = open(source))
        {
            long index = 0;
            for (int i = from; i < to; i++)
            {
                final String orderId = source + "-" + i;
                index = journal.orderUpdate()
                    .exchange("binance").symbol("BTC/USDT").orderId(orderId).clientOrderId("c-" + i).tradeId(i)
                    .side(Side.BUY).orderType(OrderType.LIMIT).status(OrderStatus.OPEN).price(6412350, -2)
                    .amount(15, -3).filled(0, 0).remaining(15, -3).exchangeTimeMs(T0_MS + i)
                    .receiveTimeNs(T0_MS * 1_000_000L + 123_456_789L)
                    .commit();
                if ("alpha".equals(source))
                {
                    orderIndexes.add(index);
                }
                journal.fill()
                    .exchange("binance").symbol("BTC/USDT").fillId(orderId + "-f").orderId(orderId).tradeId(i)
                    .side(Side.BUY).liquidity(Liquidity.MAKER).price(6412350, -2).amount(15, -3)
                    .feeCost(-12, -6).feeCurrency("USDT").exchangeTimeMs(T0_MS + i)
                    .commit();
                journal.orderUpdate()
                    .exchange("binance").symbol("BTC/USDT").orderId(orderId).tradeId(i).side(Side.BUY)
                    .orderType(OrderType.LIMIT).status(i % 7 == 0 ? OrderStatus.CANCELED : OrderStatus.CLOSED)
                    .price(6412350, -2).amount(15, -3).filled(15, -3).remaining(0, 0).average(6412350, -2)
                    .commit();
                journal.tradeUpdate()
                    .tradeId(i).openTimeMs(T0_MS).strategy("momentum").exchange("binance")
                    .pair("BTC/USDT").isShort(i % 2 == 1).tradingMode(TradingMode.FUTURES).leverage(3, 0)
                    .openRate(6412350, -2).amount(15, -3).stakeAmount(32061750, -5).isOpen(i % 3 == 0)
                    .closeRate(6500000, -2).closeTimeMs(T0_MS + 360_000).realizedProfit(131475, -5)
                    .exitReason("it's \"quoted\"; -- \\ \t é ✓").enterTag(i % 4 == 0 ? "" : "tag-" + i)
                    .commit();
                if (i % 10 == 0)
                {
                    journal.pairLock().pair(i % 20 == 0 ? "*" : "BTC/USDT").side(LockSide.LONG)
                        .lockEndTimeMs(System.currentTimeMillis() + 3_600_000).reason(i % 30 == 0 ? "" : "cooldown")
                        .commit();
                }
                if (i % 15 == 0)
                {
                    journal.pairUnlock().pair("BTC/USDT").side(LockSide.ANY).commit();
                }
                if (i % 25 == 0)
                {
                    journal.pairUnlock().reason("cooldown").commit();
                }
                index = journal.balanceUpdate()
                    .exchange("binance").asset(source.toUpperCase() + i).free(i, -2).used(0, 0).total(i, -2)
                    .commit();
            }
            lastIndexes.put(source, index);
        }
    }

    private void appendCorruptedEntry(final String source)
    {
        final Path queue = environment.journalRoot().resolve(source);
        final byte[] bytes = TestJournals.bytesAt(queue, lastIndexes.get(source) - 4);
        bytes[MessageHeaderEncoder.ENCODED_LENGTH + OrderUpdateEncoder.sideEncodingOffset()] = 7;
        corruptIndex = TestJournals.appendRaw(queue, bytes);
    }

    private TradeJournal open(final String source)
    {
        return TradeJournal.open(environment.journalContext(source).pretouchEnabled(false));
    }

    private void awaitDrained() throws Exception
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadlineNs)
        {
            boolean drained = true;
            for (final Map.Entry<String, Long> entry : lastIndexes.entrySet())
            {
                drained &= queryLong("SELECT coalesce(max(last_index), -1) FROM source_checkpoints WHERE " +
                    "source_id = '" + entry.getKey() + "'") >= entry.getValue();
            }
            if (drained)
            {
                break;
            }
            Thread.sleep(50);
        }

        try (TradeStateView view = TradeStateView.open(environment.stateDir()))
        {
            assertTrue(view.awaitAvailable(30_000), "state maps published");
            final BalanceEntry balance = new BalanceEntry();
            for (final String asset : List.of("ALPHA119", "BETA59"))
            {
                while (TradeStateView.FOUND != view.balance("binance", asset, balance))
                {
                    assertTrue(System.nanoTime() < deadlineNs, "state maps caught up with " + asset);
                    Thread.sleep(20);
                }
            }
        }
    }

    private long queryLong(final String sql) throws SQLException
    {
        try (Connection connection = environment.dataSource().getConnection();
            Statement statement = connection.createStatement();
            ResultSet rows = statement.executeQuery(sql))
        {
            rows.next();
            return rows.getLong(1);
        }
    }

    private void execute(final String sql) throws SQLException
    {
        try (Connection connection = environment.dataSource().getConnection();
            Statement statement = connection.createStatement())
        {
            assertEquals(1, statement.executeUpdate(sql), sql);
        }
    }
}
