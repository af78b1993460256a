package io.tradestate.reader;

import io.tradestate.codecs.Liquidity;
import io.tradestate.codecs.LockSide;
import io.tradestate.codecs.MessageHeaderEncoder;
import io.tradestate.codecs.OrderStatus;
import io.tradestate.codecs.OrderType;
import io.tradestate.codecs.OrderUpdateEncoder;
import io.tradestate.codecs.Side;
import io.tradestate.codecs.TradingMode;
import io.tradestate.writer.TradeJournal;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The drain end to end against a real PostgreSQL and real queue files: every event lands once in its history
 * table field for field, the current-state tables hold the latest state per key, a restart resumes after the
 * checkpoint, and undecodable entries go to {@code dead_letters} while the good ones around them are stored.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class DrainAgentIT
{
    private static final String[] SOURCES = { "alpha", "beta" };

    @RegisterExtension
    final AgentTestEnvironment environment = new AgentTestEnvironment("drain");

    private final Map<String, Long> lastIndexes = new HashMap<>();
    private final Map<String, int[]> counts = new HashMap<>();

    @Test
    void shouldStoreEveryEventOnceWithTheLatestStatePerKey() throws Exception
    {
        for (final String source : SOURCES)
        {
            appendWorkload(source, 0, 1_500);
        }

        environment.launch();
        environment.awaitCheckpoints(lastIndexes, 120_000);

        for (final String source : SOURCES)
        {
            final int[] expected = counts.get(source);
            assertEquals(expected[0], count("order_events", source), "order_events of " + source);
            assertEquals(expected[1], count("fills", source), "fills of " + source);
            assertEquals(expected[2], count("trade_events", source), "trade_events of " + source);
            assertEquals(expected[3], count("pair_lock_events", source), "pair_lock_events of " + source);
            assertEquals(expected[4], count("balance_events", source), "balance_events of " + source);
        }

        assertEquals("64123.50", environment.query("SELECT price::text FROM order_events WHERE source_id = 'alpha' " +
            "AND order_id = 'alpha-0' AND status = 'open'"));
        assertEquals("0.015", environment.query("SELECT amount::text FROM order_events WHERE source_id = 'alpha' " +
            "AND order_id = 'alpha-0' AND status = 'open'"));
        assertEquals("-0.000012", environment.query("SELECT fee_cost::text FROM fills WHERE fill_id = 'alpha-0-f'"));
        assertEquals("2023-11-14 22:13:20.001+00", environment.query("SELECT to_char(exchange_time AT TIME ZONE " +
            "'UTC', 'YYYY-MM-DD HH24:MI:SS.MS') || '+00' FROM fills WHERE fill_id = 'alpha-1-f'"));
        assertEquals("it's \"quoted\"; DROP TABLE trades; -- \\ é ✓", environment.query(
            "SELECT exit_reason FROM trades WHERE source_id = 'beta' AND trade_id = 3"));

        assertEquals(count("orders", null), queryLong("SELECT count(DISTINCT (exchange, order_id)) FROM order_events"));
        assertEquals(0, queryLong("SELECT count(*) FROM orders o WHERE o.status <> (SELECT e.status FROM " +
            "order_events e WHERE e.exchange = o.exchange AND e.order_id = o.order_id ORDER BY e.queue_index DESC " +
            "LIMIT 1)"), "orders must hold the latest status of each order");
        assertEquals(0, queryLong("SELECT count(*) FROM trades t WHERE t.queue_index <> (SELECT max(e.queue_index) " +
            "FROM trade_events e WHERE e.source_id = t.source_id AND e.trade_id = t.trade_id)"));
        assertEquals(2, queryLong("SELECT count(*) FROM balances"));
        assertTrue(queryLong("SELECT count(*) FROM pair_locks WHERE NOT active") > 0, "unlocks applied");
        assertTrue(queryLong("SELECT count(*) FROM pair_locks WHERE active") > 0, "some locks still active");
        assertEquals(0, queryLong("SELECT count(*) FROM dead_letters"));
        assertEquals(SOURCES.length, queryLong("SELECT count(*) FROM sources WHERE pid > 0"));
        assertEquals(0, queryLong("SELECT count(*) FROM order_events_default") +
            queryLong("SELECT count(*) FROM fills_default"), "monthly partitions exist for every row");

        StateMapsAssertions.assertMapsEqualTables(environment.stateDir(), environment.dataSource());
    }

    @Test
    void shouldResumeAfterTheCheckpointWhenRestarted() throws Exception
    {
        appendWorkload("alpha", 0, 500);
        environment.launch();
        environment.awaitCheckpoints(lastIndexes, 120_000);
        environment.stopAgent();

        appendWorkload("alpha", 500, 700);
        appendWorkload("beta", 0, 300);
        environment.launch();
        environment.awaitCheckpoints(lastIndexes, 120_000);

        assertEquals(counts.get("alpha")[0], count("order_events", "alpha"));
        assertEquals(counts.get("beta")[0], count("order_events", "beta"));
        assertEquals(queryLong("SELECT count(*) FROM order_events"),
            queryLong("SELECT count(DISTINCT (source_id, queue_index)) FROM order_events"));
    }

    @Test
    void shouldDeadLetterUndecodableEntriesAndKeepTheGoodOnes() throws Exception
    {
        final Path queueDirectory = environment.journalRoot().resolve("corrupt");
        final byte[] good = validOrderUpdate();
        final List<String> expectedReasons = new ArrayList<>();
        try (TradeJournal journal = environment.journal("corrupt");
            SingleChronicleQueue queue = SingleChronicleQueueBuilder.single(queueDirectory.toFile()).build();
            ExcerptAppender appender = queue.createAppender())
        {
            write(appender, good);
            write(appender, new byte[] { 1, 2, 3 });
            expectedReasons.add("shorter than the 8-byte message header");
            write(appender, withShort(good, 2, 99));
            expectedReasons.add("unknown template id 99");
            write(appender, withShort(good, 4, 1234));
            expectedReasons.add("unknown schema id 1234");
            write(appender, java.util.Arrays.copyOf(good, good.length / 2));
            expectedReasons.add("truncated");
            write(appender, withByte(good, MessageHeaderEncoder.ENCODED_LENGTH +
                OrderUpdateEncoder.sideEncodingOffset(), 7));
            expectedReasons.add("OrderUpdate.side invalid enum value 7");
            write(appender, withByte(good, MessageHeaderEncoder.ENCODED_LENGTH +
                OrderUpdateEncoder.priceEncodingOffset() + 8, 40));
            expectedReasons.add("OrderUpdate.price exponent 40");
            write(appender, withByte(good, MessageHeaderEncoder.ENCODED_LENGTH +
                OrderUpdateEncoder.symbolEncodingOffset(), 0x07));
            expectedReasons.add("OrderUpdate.symbol is not printable ASCII");
            write(appender, good);
            lastIndexes.put("corrupt", appender.lastIndexAppended());
        }

        environment.launch();
        environment.awaitCheckpoints(lastIndexes, 120_000);

        assertEquals(2, count("order_events", "corrupt"));
        final List<String> reasons = new ArrayList<>();
        try (Connection connection = environment.dataSource().getConnection();
            Statement statement = connection.createStatement();
            ResultSet resultSet = statement.executeQuery(
                "SELECT reason, length(raw_bytes) FROM dead_letters ORDER BY queue_index"))
        {
            while (resultSet.next())
            {
                reasons.add(resultSet.getString(1));
                assertTrue(resultSet.getInt(2) > 0);
            }
        }
        assertEquals(expectedReasons.size(), reasons.size(), reasons.toString());
        for (int i = 0; i < reasons.size(); i++)
        {
            assertTrue(reasons.get(i).contains(expectedReasons.get(i)),
                "dead letter " + i + ": '" + reasons.get(i) + "' should contain '" + expectedReasons.get(i) + "'");
        }
    }

    private void appendWorkload(final String source, final int from, final int to)
    {
        final int[] count = counts.computeIfAbsent(source, (key) -> new int[5]);
        try (TradeJournal journal = environment.journal(source))
        {
            long index = 0;
            for (int i = from; i < to; i++)
            {
                final String orderId = source + "-" + i;
                journal.orderUpdate()
                    .exchange("binance").symbol("BTC/USDT").orderId(orderId).clientOrderId("c-" + i).tradeId(i)
                    .side(Side.BUY).orderType(OrderType.LIMIT).status(OrderStatus.OPEN).price(6412350, -2)
                    .amount(15, -3).filled(0, 0).remaining(15, -3).exchangeTimeMs(1_700_000_000_000L + i)
                    .commit();
                journal.fill()
                    .exchange("binance").symbol("BTC/USDT").fillId(orderId + "-f").orderId(orderId).tradeId(i)
                    .side(Side.BUY).liquidity(Liquidity.MAKER).price(6412350, -2).amount(15, -3)
                    .feeCost(-12, -6).feeCurrency("USDT").exchangeTimeMs(1_700_000_000_000L + i)
                    .commit();
                journal.orderUpdate()
                    .exchange("binance").symbol("BTC/USDT").orderId(orderId).tradeId(i).side(Side.BUY)
                    .orderType(OrderType.LIMIT).status(i % 7 == 0 ? OrderStatus.CANCELED : OrderStatus.CLOSED)
                    .price(6412350, -2).amount(15, -3).filled(15, -3).remaining(0, 0).average(6412350, -2)
                    .commit();
                journal.tradeUpdate()
                    .tradeId(i).openTimeMs(1_700_000_000_000L).strategy("momentum").exchange("binance")
                    .pair("BTC/USDT").isShort(i % 2 == 1).tradingMode(TradingMode.FUTURES).leverage(3, 0)
                    .openRate(6412350, -2).amount(15, -3).stakeAmount(32061750, -5).isOpen(false)
                    .closeRate(6500000, -2).closeTimeMs(1_700_000_360_000L).realizedProfit(131475, -5)
                    .exitReason("it's \"quoted\"; DROP TABLE trades; -- \\ é ✓").enterTag("tag-" + i)
                    .commit();
                index = journal.balanceUpdate()
                    .exchange("binance").asset(i % 2 == 0 ? "USDT" : "BTC").free(i, -2).used(0, 0).total(i, -2)
                    .commit();
                count[0] += 2;
                count[1]++;
                count[2]++;
                count[4]++;
                if (i % 50 == 0)
                {
                    journal.pairLock().pair(i % 100 == 0 ? "*" : "BTC/USDT").side(LockSide.LONG)
                        .lockEndTimeMs(System.currentTimeMillis() + 3_600_000).reason("cooldown").commit();
                    count[3]++;
                }
                if (i % 75 == 0)
                {
                    index = journal.pairUnlock().pair("BTC/USDT").side(LockSide.ANY).commit();
                    count[3]++;
                }
            }
            lastIndexes.put(source, index);
        }
    }

    private long count(final String table, final String source) throws SQLException
    {
        return queryLong("SELECT count(*) FROM " + table + (null == source ? "" : " WHERE source_id = '" +
            source + "'"));
    }

    private long queryLong(final String sql) throws SQLException
    {
        final Long value = queryNullableLong(sql);
        return null == value ? -1 : value;
    }

    private Long queryNullableLong(final String sql) throws SQLException
    {
        final String value = environment.query(sql);
        return null == value ? null : Long.parseLong(value);
    }

    private static byte[] validOrderUpdate()
    {
        final byte[] bytes = new byte[MessageHeaderEncoder.ENCODED_LENGTH + OrderUpdateEncoder.BLOCK_LENGTH];
        final OrderUpdateEncoder encoder = new OrderUpdateEncoder()
            .wrapAndApplyHeader(new UnsafeBuffer(bytes), 0, new MessageHeaderEncoder())
            .appendTimeNs(System.currentTimeMillis() * 1_000_000L)
            .exchangeTimeMs(OrderUpdateEncoder.exchangeTimeMsNullValue())
            .receiveTimeNs(OrderUpdateEncoder.receiveTimeNsNullValue())
            .tradeId(OrderUpdateEncoder.tradeIdNullValue())
            .exchange("kraken").symbol("ETH/USD").orderId("raw-1").clientOrderId("")
            .side(Side.SELL).orderType(OrderType.MARKET).timeInForce(io.tradestate.codecs.TimeInForce.NULL_VAL)
            .status(OrderStatus.OPEN).reduceOnly(io.tradestate.codecs.BooleanType.FALSE);
        encoder.price().mantissa(250012).exponent((byte)-2);
        encoder.stopPrice().mantissa(Long.MIN_VALUE).exponent((byte)0);
        encoder.amount().mantissa(1).exponent((byte)0);
        encoder.filled().mantissa(Long.MIN_VALUE).exponent((byte)0);
        encoder.remaining().mantissa(Long.MIN_VALUE).exponent((byte)0);
        encoder.average().mantissa(Long.MIN_VALUE).exponent((byte)0);
        encoder.cost().mantissa(Long.MIN_VALUE).exponent((byte)0);
        encoder.feeCost().mantissa(Long.MIN_VALUE).exponent((byte)0);
        encoder.feeCurrency("");
        encoder.leverage().mantissa(Long.MIN_VALUE).exponent((byte)0);
        return bytes;
    }

    private static byte[] withShort(final byte[] bytes, final int offset, final int value)
    {
        final byte[] copy = bytes.clone();
        new UnsafeBuffer(copy).putShort(offset, (short)value, java.nio.ByteOrder.LITTLE_ENDIAN);
        return copy;
    }

    private static byte[] withByte(final byte[] bytes, final int offset, final int value)
    {
        final byte[] copy = bytes.clone();
        copy[offset] = (byte)value;
        return copy;
    }

    private static void write(final ExcerptAppender appender, final byte[] bytes)
    {
        try (DocumentContext context = appender.writingDocument())
        {
            context.wire().bytes().write(bytes);
        }
    }
}
