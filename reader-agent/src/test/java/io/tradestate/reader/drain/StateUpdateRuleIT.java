package io.tradestate.reader.drain;

import io.tradestate.codecs.BalanceUpdateEncoder;
import io.tradestate.codecs.BooleanType;
import io.tradestate.codecs.MessageHeaderEncoder;
import io.tradestate.codecs.OrderStatus;
import io.tradestate.codecs.OrderType;
import io.tradestate.codecs.OrderUpdateEncoder;
import io.tradestate.codecs.Side;
import io.tradestate.codecs.TimeInForce;
import io.tradestate.codecs.event.JournalField;
import io.tradestate.codecs.event.JournalMessage;
import io.tradestate.reader.AgentTestEnvironment;
import io.tradestate.reader.state.StateMapWriter;
import io.tradestate.state.StateGeneration;
import io.tradestate.state.StateLayout;
import io.tradestate.state.StatePointer;
import io.tradestate.state.StateRecord;
import io.tradestate.state.StateUpdateRule;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteOrder;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The update-wins rule of the state maps ({@link StateUpdateRule}, applied by {@link StateMapWriter}) and the one of
 * the database (migration V3, {@link PostgresBatchWriter#UPSERT_ORDERS} and {@link PostgresBatchWriter#UPSERT_BALANCES}
 * through the real migrations) pick the same winner of every pair of updates of an order or a balance, whichever is
 * applied first, and when both arrive in one batch. The drain hands the statements one candidate per key, chosen by
 * the maps' rule ({@link StateCandidates}); here they get every update of the batch, so their own ordering is
 * compared with the rule as well as their conflict clauses.
 * <p>
 * The pairs are generated to meet every part of the rule and its ties: random statuses (so ranks equal and not),
 * exchange times present or absent and equal or not, append times equal to the microsecond but not to the
 * nanosecond, equal exchange and append microseconds, one source or two, queue indexes equal across sources. Each
 * pair is applied three times, to three entries: A then B, B then A (two batches each) and A with B in one batch, to
 * the maps and to PostgreSQL; the winners must agree. The seed is printed and can be given with
 * {@code -Dtradestate.test.seed}.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class StateUpdateRuleIT
{
    private static final int PAIRS = 1_000;
    private static final long T_MS = 1_763_700_000_000L;
    private static final String EXCHANGE = "binance";
    private static final String[] SOURCES = { "east", "west" };
    private static final String INSERT_BALANCE_EVENT = "INSERT INTO balance_events (source_id, queue_index, " +
        "append_time, append_time_ns, exchange, asset, total) VALUES (?, ?, ?, ?, ?, ?, 1)";
    private static final OrderStatus[] STATUSES = {
        OrderStatus.OPEN, OrderStatus.PARTIALLY_FILLED, OrderStatus.CLOSED, OrderStatus.CANCELED,
        OrderStatus.EXPIRED, OrderStatus.REJECTED };
    private static final JournalField STATUS = JournalMessage.ORDER_UPDATE.field("status");
    private static final long NULL_TIME = OrderUpdateEncoder.exchangeTimeMsNullValue();
    private static final String INSERT_ORDER_EVENT = "INSERT INTO order_events (source_id, queue_index, append_time, " +
        "append_time_ns, exchange_time, exchange, symbol, order_id, side, order_type, status, reduce_only, amount) " +
        "VALUES (?, ?, ?, ?, ?, ?, 'ETH/USDT', ?, 'buy', 'limit', ?, false, 1)";

    @RegisterExtension
    static final AgentTestEnvironment ENVIRONMENT = new AgentTestEnvironment(StateUpdateRuleIT.class.getSimpleName())
        .migrated();

    /** Each test's own state maps, not an agent's: the database is shared, the maps are not. */
    @TempDir
    Path root;

    @Test
    void shouldPickTheSameOrderUpdateAsTheOrdersUpsertWhicheverComesFirst() throws SQLException
    {
        final long seed = Long.getLong("tradestate.test.seed", System.nanoTime());
        System.out.println("StateUpdateRuleIT seed " + seed);
        final SplittableRandom random = new SplittableRandom(seed);
        final List<Update[]> pairs = new ArrayList<>();
        for (int i = 0; i < PAIRS; i++)
        {
            pairs.add(pair(random, i));
        }

        // Three orders per pair: "ab" gets A then B, "ba" B then A, "one" both in one batch. Each copy of the pair
        // shifts both queue indexes alike, which keeps the history's keys apart and changes no comparison.
        final List<Update> firstBatch = new ArrayList<>();
        final List<Update> secondBatch = new ArrayList<>();
        final List<Update> all = new ArrayList<>();
        for (final Update[] pair : pairs)
        {
            final Update a = pair[0];
            final Update b = pair[1];
            firstBatch.add(a.copy("ab", 0));
            secondBatch.add(b.copy("ab", 0));
            firstBatch.add(b.copy("ba", 4));
            secondBatch.add(a.copy("ba", 4));
            firstBatch.add(a.copy("one", 8));
            firstBatch.add(b.copy("one", 8));
        }
        all.addAll(firstBatch);
        all.addAll(secondBatch);

        final Map<String, String> sqlWinners = applyInPostgres(all, firstBatch, secondBatch);
        final Map<String, String> mapWinners = applyToStateMaps(firstBatch, secondBatch);

        final List<String> mismatches = new ArrayList<>();
        int ties = 0;
        int bWins = 0;
        for (final Update[] pair : pairs)
        {
            final Update a = pair[0];
            final Update b = pair[1];
            final boolean tie = a.sameRankTimesAndIndex(b);
            ties += tie ? 1 : 0;
            final Update abWinner = StateUpdateRule.orderWins(a.status.value(), a.exchangeTimeMs, a.appendTimeNs,
                a.index, b.status.value(), b.exchangeTimeMs, b.appendTimeNs, b.index) ? b : a;
            final Update baWinner = StateUpdateRule.orderWins(b.status.value(), b.exchangeTimeMs, b.appendTimeNs,
                b.index, a.status.value(), a.exchangeTimeMs, a.appendTimeNs, a.index) ? a : b;
            bWins += abWinner == b ? 1 : 0;
            if (!tie && abWinner != baWinner)
            {
                mismatches.add("the rule depends on the order of " + a + " and " + b);
            }
            check(mismatches, "maps, A then B", a, b, abWinner.at(0), mapWinners.get(a.orderId("ab")));
            check(mismatches, "maps, B then A", a, b, baWinner.at(4), mapWinners.get(a.orderId("ba")));
            check(mismatches, "orders upsert, A then B", a, b, abWinner.at(0), sqlWinners.get(a.orderId("ab")));
            check(mismatches, "orders upsert, B then A", a, b, baWinner.at(4), sqlWinners.get(a.orderId("ba")));
            if (!tie)
            {
                check(mismatches, "orders upsert, one batch", a, b, abWinner.at(8),
                    sqlWinners.get(a.orderId("one")));
            }
        }
        assertEquals(List.of(), mismatches.subList(0, Math.min(20, mismatches.size())),
            mismatches.size() + " disagreements (seed " + seed + ")");
        // The generator reaches both outcomes and the ties.
        assertTrue(bWins > PAIRS / 10 && bWins < PAIRS * 9 / 10, "B won " + bWins + " of " + PAIRS);
        assertTrue(ties > 0, "no pair tied");
    }

    @Test
    void shouldPickTheSameBalanceUpdateAsTheBalancesUpsertWhicheverComesFirst() throws SQLException
    {
        final long seed = Long.getLong("tradestate.test.seed", System.nanoTime());
        System.out.println("StateUpdateRuleIT balances seed " + seed);
        final SplittableRandom random = new SplittableRandom(seed);
        final List<Balance[]> pairs = new ArrayList<>();
        final List<Balance> firstBatch = new ArrayList<>();
        final List<Balance> secondBatch = new ArrayList<>();
        for (int i = 0; i < PAIRS; i++)
        {
            final long baseIndex = 16L * i;
            final Balance a = balance(random, i, baseIndex + 1 + random.nextInt(2));
            Balance b = balance(random, i, baseIndex + 1 + random.nextInt(2));
            if (a.sourceId.equals(b.sourceId) && a.index == b.index)
            {
                b = b.copy("", a.index == baseIndex + 1 ? 1 : -1);
            }
            pairs.add(new Balance[]{ a, b });
            firstBatch.add(a.copy("ab", 0));
            secondBatch.add(b.copy("ab", 0));
            firstBatch.add(b.copy("ba", 4));
            secondBatch.add(a.copy("ba", 4));
            firstBatch.add(a.copy("one", 8));
            firstBatch.add(b.copy("one", 8));
        }

        final Map<String, String> sqlWinners = balancesInPostgres(firstBatch, secondBatch);
        final Map<String, String> mapWinners = balancesInStateMaps(firstBatch, secondBatch);

        final List<String> mismatches = new ArrayList<>();
        int sameMicrosecond = 0;
        for (final Balance[] pair : pairs)
        {
            final Balance a = pair[0];
            final Balance b = pair[1];
            final boolean sameSource = a.sourceId.equals(b.sourceId);
            final Balance abWinner =
                StateUpdateRule.balanceWins(sameSource, a.appendTimeNs, a.index, b.appendTimeNs, b.index) ? b : a;
            final Balance baWinner =
                StateUpdateRule.balanceWins(sameSource, b.appendTimeNs, b.index, a.appendTimeNs, a.index) ? a : b;
            check(mismatches, "maps, A then B", a, b, abWinner.at(0), mapWinners.get(a.asset("ab")));
            check(mismatches, "maps, B then A", a, b, baWinner.at(4), mapWinners.get(a.asset("ba")));
            check(mismatches, "balances upsert, A then B", a, b, abWinner.at(0), sqlWinners.get(a.asset("ab")));
            check(mismatches, "balances upsert, B then A", a, b, baWinner.at(4), sqlWinners.get(a.asset("ba")));
            // Two sources, one microsecond: applied one after the other the later applied wins, both in the maps and
            // in the conflict clause (append_time <=); in one batch the upsert picks the later append_time_ns. That
            // case is left out of the one-batch comparison: the rule does not say which comes first.
            if (!sameSource && Math.floorDiv(a.appendTimeNs, 1_000L) == Math.floorDiv(b.appendTimeNs, 1_000L))
            {
                sameMicrosecond++;
            }
            else
            {
                check(mismatches, "balances upsert, one batch", a, b, abWinner.at(8), sqlWinners.get(a.asset("one")));
            }
        }
        assertEquals(List.of(), mismatches.subList(0, Math.min(20, mismatches.size())),
            mismatches.size() + " disagreements (seed " + seed + ")");
        assertTrue(sameMicrosecond > 0 && sameMicrosecond < PAIRS / 2, sameMicrosecond + " pairs in one microsecond");
    }

    private static Balance balance(final SplittableRandom random, final int pair, final long index)
    {
        final long[] appendOffsetsUs = { 0, 1, 2 };
        final long[] subMicrosNs = { 0, 1, 999 };
        final long appendTimeNs = (T_MS * 1_000 + appendOffsetsUs[random.nextInt(appendOffsetsUs.length)]) * 1_000 +
            subMicrosNs[random.nextInt(subMicrosNs.length)];
        return new Balance(pair, "", SOURCES[random.nextInt(SOURCES.length)], index, appendTimeNs);
    }

    private static Map<String, String> balancesInPostgres(
        final List<Balance> firstBatch, final List<Balance> secondBatch) throws SQLException
    {
        try (Connection connection = ENVIRONMENT.dataSource().getConnection())
        {
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement(INSERT_BALANCE_EVENT))
            {
                for (final List<Balance> batch : List.of(firstBatch, secondBatch))
                {
                    for (final Balance balance : batch)
                    {
                        insert.setString(1, balance.sourceId);
                        insert.setLong(2, balance.index);
                        insert.setObject(3, microseconds(balance.appendTimeNs));
                        insert.setLong(4, balance.appendTimeNs);
                        insert.setString(5, EXCHANGE);
                        insert.setString(6, balance.asset);
                        insert.addBatch();
                    }
                }
                insert.executeBatch();
            }
            upsert(connection, PostgresBatchWriter.UPSERT_BALANCES, StateCandidates.BALANCE_WINNER, firstBatch);
            upsert(connection, PostgresBatchWriter.UPSERT_BALANCES, StateCandidates.BALANCE_WINNER, secondBatch);
            connection.commit();

            return winners(connection, "SELECT asset, source_id, queue_index FROM balances");
        }
    }

    private Map<String, String> balancesInStateMaps(final List<Balance> firstBatch, final List<Balance> secondBatch)
    {
        final int balances = firstBatch.size() + secondBatch.size();
        final StateMapWriter writer = new StateMapWriter(TimeUnit.HOURS.toMillis(1), 1_000, 16, 16, 16, balances);
        final UnsafeBuffer excerpt = new UnsafeBuffer(
            new byte[MessageHeaderEncoder.ENCODED_LENGTH + BalanceUpdateEncoder.BLOCK_LENGTH]);
        try (StateGeneration generation = StateGeneration.create(root.resolve("maps"), 1, 16, 16, 16, balances);
            StatePointer pointer = StatePointer.openForWrite(root.resolve("maps")))
        {
            writer.generation(generation, pointer);
            final Map<String, String> winners = new HashMap<>();
            final StateRecord key = new StateRecord(StateLayout.BALANCE_KEY_LENGTH);
            final StateRecord value = new StateRecord(StateLayout.BALANCE_VALUE_LENGTH);
            for (final List<Balance> batch : List.of(firstBatch, secondBatch))
            {
                for (final Balance balance : batch)
                {
                    balance.encode(excerpt);
                    assertTrue(writer.apply(balance.sourceId, balance.index, excerpt, 0, excerpt.capacity(),
                        T_MS * 1_000_000));
                }
            }
            for (final Balance balance : firstBatch)
            {
                StateLayout.balanceKey(key, EXCHANGE, balance.asset);
                if (StateGeneration.FOUND == generation.read(generation.balances(), key, value, 1_000_000_000L))
                {
                    winners.put(balance.asset, winner(value));
                }
            }
            return winners;
        }
    }

    private static String winner(final StateRecord value)
    {
        final StringBuilder winner = StateLayout.appendAscii(
            value.buffer(), StateLayout.SOURCE_ID_OFFSET, StateLayout.SOURCE_ID_LENGTH, new StringBuilder());
        return winner.append('@')
            .append(value.buffer().getLong(StateLayout.QUEUE_INDEX_OFFSET, ByteOrder.LITTLE_ENDIAN)).toString();
    }

    private static void check(
        final List<String> mismatches, final String path, final Event a, final Event b, final String expected,
        final String winner)
    {
        if (!expected.equals(winner))
        {
            mismatches.add(path + ": " + a + " vs " + b + ": expected the update " + expected + " to win, found " +
                winner);
        }
    }

    private static Update[] pair(final SplittableRandom random, final int pair)
    {
        final long baseIndex = 16L * pair;
        final Update a = update(random, pair, baseIndex + 1 + random.nextInt(2));
        if (0 == pair % 100)
        {
            // A tie by construction, as random draws meet one only now and then: the same update in the other source.
            final String otherSource = SOURCES[0].equals(a.sourceId) ? SOURCES[1] : SOURCES[0];
            return new Update[]{ a, new Update(pair, "", otherSource, a.index, a.status, a.exchangeTimeMs,
                a.appendTimeNs) };
        }
        Update b = update(random, pair, baseIndex + 1 + random.nextInt(2));
        if (a.sourceId.equals(b.sourceId) && a.index == b.index)
        {
            b = b.withIndex(a.index == baseIndex + 1 ? baseIndex + 2 : baseIndex + 1);
        }
        return new Update[]{ a, b };
    }

    private static Update update(final SplittableRandom random, final int pair, final long index)
    {
        final OrderStatus status = STATUSES[random.nextInt(STATUSES.length)];
        final long exchangeTimeMs = 0 == random.nextInt(3) ? NULL_TIME : T_MS + random.nextInt(3);
        // Around the exchange times, so that an append time without an exchange time meets one with it.
        final long[] appendOffsetsUs = { -1_000, 0, 1, 1_000, 2_000 };
        final long[] subMicrosNs = { 0, 1, 999 };
        final long appendTimeNs = (T_MS * 1_000 + appendOffsetsUs[random.nextInt(appendOffsetsUs.length)]) * 1_000 +
            subMicrosNs[random.nextInt(subMicrosNs.length)];
        return new Update(pair, "", SOURCES[random.nextInt(SOURCES.length)], index, status, exchangeTimeMs,
            appendTimeNs);
    }

    private static Map<String, String> applyInPostgres(
        final List<Update> all, final List<Update> firstBatch, final List<Update> secondBatch) throws SQLException
    {
        try (Connection connection = ENVIRONMENT.dataSource().getConnection())
        {
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement(INSERT_ORDER_EVENT))
            {
                for (final Update update : all)
                {
                    insert.setString(1, update.sourceId);
                    insert.setLong(2, update.index);
                    insert.setObject(3, microseconds(update.appendTimeNs));
                    insert.setLong(4, update.appendTimeNs);
                    insert.setObject(5, NULL_TIME == update.exchangeTimeMs ? null :
                        OffsetDateTime.ofInstant(Instant.ofEpochMilli(update.exchangeTimeMs), ZoneOffset.UTC));
                    insert.setString(6, EXCHANGE);
                    insert.setString(7, update.orderId);
                    insert.setString(8, STATUS.enumName(update.status.value()));
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            upsert(connection, PostgresBatchWriter.UPSERT_ORDERS, StateCandidates.ORDER_WINNER, firstBatch);
            upsert(connection, PostgresBatchWriter.UPSERT_ORDERS, StateCandidates.ORDER_WINNER, secondBatch);
            connection.commit();

            return winners(connection, "SELECT order_id, source_id, queue_index FROM orders");
        }
    }

    /**
     * One drained batch's current-state upsert with every event of the batch as a candidate: where the drain sends
     * the one the state maps' rule picks, this leaves the choice among the batch's updates to the statement's own
     * ordering, so that it is compared with the rule too.
     */
    private static void upsert(
        final Connection connection, final String upsert, final String kind, final List<? extends Event> batch)
        throws SQLException
    {
        try (Statement statement = connection.createStatement())
        {
            statement.execute(StateCandidates.CREATE_TABLE);
            statement.execute("DELETE FROM drain_candidates");
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO drain_candidates " +
            "(kind, source_id, queue_index, append_time, min_rank) VALUES (?, ?, ?, ?, 0)"))
        {
            for (final Event event : batch)
            {
                insert.setString(1, kind);
                insert.setString(2, event.sourceId());
                insert.setLong(3, event.index());
                insert.setObject(4, microseconds(event.appendTimeNs()));
                insert.addBatch();
            }
            insert.executeBatch();
        }
        try (PreparedStatement statement = connection.prepareStatement(upsert))
        {
            statement.executeUpdate();
        }
    }

    private Map<String, String> applyToStateMaps(final List<Update> firstBatch, final List<Update> secondBatch)
    {
        final int orders = firstBatch.size() + secondBatch.size();
        final StateMapWriter writer = new StateMapWriter(TimeUnit.HOURS.toMillis(1), 1_000, orders, 16, 16, 16);
        final UnsafeBuffer excerpt = new UnsafeBuffer(
            new byte[MessageHeaderEncoder.ENCODED_LENGTH + OrderUpdateEncoder.BLOCK_LENGTH]);
        final long nowNs = T_MS * 1_000_000;
        try (StateGeneration generation = StateGeneration.create(root.resolve("maps"), 1, orders, 16, 16, 16);
            StatePointer pointer = StatePointer.openForWrite(root.resolve("maps")))
        {
            writer.generation(generation, pointer);
            for (final List<Update> batch : List.of(firstBatch, secondBatch))
            {
                for (final Update update : batch)
                {
                    update.encode(excerpt);
                    assertTrue(writer.apply(update.sourceId, update.index, excerpt, 0, excerpt.capacity(), nowNs));
                }
            }

            final Map<String, String> winners = new HashMap<>();
            final StateRecord key = new StateRecord(StateLayout.ORDER_KEY_LENGTH);
            final StateRecord value = new StateRecord(StateLayout.ORDER_VALUE_LENGTH);
            for (final List<Update> batch : List.of(firstBatch, secondBatch))
            {
                for (final Update update : batch)
                {
                    StateLayout.orderKey(key, EXCHANGE, update.orderId);
                    if (StateGeneration.FOUND == generation.read(generation.orders(), key, value, 1_000_000_000L))
                    {
                        winners.put(update.orderId, winner(value));
                    }
                }
            }
            return winners;
        }
    }

    private static OffsetDateTime microseconds(final long epochNs)
    {
        // append_time as the drain writes it: truncated to the microsecond (CopyTextEncoder).
        final long epochUs = Math.floorDiv(epochNs, 1_000L);
        return OffsetDateTime.ofInstant(Instant.ofEpochSecond(Math.floorDiv(epochUs, 1_000_000L),
            Math.floorMod(epochUs, 1_000_000L) * 1_000L), ZoneOffset.UTC);
    }

    private interface Event
    {
        String sourceId();

        long index();

        long appendTimeNs();
    }

    private static final class Update implements Event
    {
        final int pair;
        final String orderId;
        final String sourceId;
        final long index;
        final OrderStatus status;
        final long exchangeTimeMs;
        final long appendTimeNs;

        Update(
            final int pair, final String copy, final String sourceId, final long index, final OrderStatus status,
            final long exchangeTimeMs, final long appendTimeNs)
        {
            this.pair = pair;
            this.orderId = copy + "-" + pair;
            this.sourceId = sourceId;
            this.index = index;
            this.status = status;
            this.exchangeTimeMs = exchangeTimeMs;
            this.appendTimeNs = appendTimeNs;
        }

        public String sourceId()
        {
            return sourceId;
        }

        public long index()
        {
            return index;
        }

        public long appendTimeNs()
        {
            return appendTimeNs;
        }

        Update copy(final String copy, final long indexShift)
        {
            return new Update(pair, copy, sourceId, index + indexShift, status, exchangeTimeMs, appendTimeNs);
        }

        Update withIndex(final long index)
        {
            return new Update(pair, "", sourceId, index, status, exchangeTimeMs, appendTimeNs);
        }

        String at(final long indexShift)
        {
            return sourceId + "@" + (index + indexShift);
        }

        String orderId(final String copy)
        {
            return copy + "-" + pair;
        }

        boolean sameRankTimesAndIndex(final Update other)
        {
            return StateUpdateRule.statusRank(status.value()) == StateUpdateRule.statusRank(other.status.value()) &&
                StateUpdateRule.effectiveTimeUs(exchangeTimeMs, appendTimeNs) ==
                StateUpdateRule.effectiveTimeUs(other.exchangeTimeMs, other.appendTimeNs) &&
                appendTimeNs == other.appendTimeNs && index == other.index;
        }

        void encode(final UnsafeBuffer buffer)
        {
            buffer.setMemory(0, buffer.capacity(), (byte)0);
            final OrderUpdateEncoder encoder = new OrderUpdateEncoder()
                .wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
                .appendTimeNs(appendTimeNs)
                .exchangeTimeMs(exchangeTimeMs)
                .receiveTimeNs(OrderUpdateEncoder.receiveTimeNsNullValue())
                .tradeId(OrderUpdateEncoder.tradeIdNullValue())
                .exchange(EXCHANGE).symbol("ETH/USDT").orderId(orderId).clientOrderId("")
                .side(Side.BUY).orderType(OrderType.LIMIT).timeInForce(TimeInForce.NULL_VAL)
                .status(status).reduceOnly(BooleanType.FALSE);
            encoder.amount().mantissa(1).exponent((byte)0);
        }

        public String toString()
        {
            return "(" + sourceId + "@" + index + " " + status + " exchange " +
                (NULL_TIME == exchangeTimeMs ? "-" : Long.toString(exchangeTimeMs - T_MS)) + " ms, append " +
                (appendTimeNs - T_MS * 1_000_000) + " ns)";
        }
    }

    private static final class Balance implements Event
    {
        final int pair;
        final String asset;
        final String sourceId;
        final long index;
        final long appendTimeNs;

        Balance(final int pair, final String copy, final String sourceId, final long index, final long appendTimeNs)
        {
            this.pair = pair;
            this.asset = copy + "-" + pair;
            this.sourceId = sourceId;
            this.index = index;
            this.appendTimeNs = appendTimeNs;
        }

        public String sourceId()
        {
            return sourceId;
        }

        public long index()
        {
            return index;
        }

        public long appendTimeNs()
        {
            return appendTimeNs;
        }

        Balance copy(final String copy, final long indexShift)
        {
            return new Balance(pair, copy, sourceId, index + indexShift, appendTimeNs);
        }

        String at(final long indexShift)
        {
            return sourceId + "@" + (index + indexShift);
        }

        String asset(final String copy)
        {
            return copy + "-" + pair;
        }

        void encode(final UnsafeBuffer buffer)
        {
            buffer.setMemory(0, buffer.capacity(), (byte)0);
            final BalanceUpdateEncoder encoder = new BalanceUpdateEncoder()
                .wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
                .appendTimeNs(appendTimeNs)
                .exchangeTimeMs(BalanceUpdateEncoder.exchangeTimeMsNullValue())
                .exchange(EXCHANGE).asset(asset);
            encoder.free().mantissa(Long.MIN_VALUE).exponent((byte)0);
            encoder.used().mantissa(Long.MIN_VALUE).exponent((byte)0);
            encoder.total().mantissa(1).exponent((byte)0);
        }

        public String toString()
        {
            return "(" + sourceId + "@" + index + " append " + (appendTimeNs - T_MS * 1_000_000) + " ns)";
        }
    }

    /**
     * The current-state rows a query selects, key to {@code source@index} of the update each holds.
     */
    private static Map<String, String> winners(final Connection connection, final String sql) throws SQLException
    {
        final Map<String, String> winners = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement(sql);
            ResultSet rows = select.executeQuery())
        {
            while (rows.next())
            {
                winners.put(rows.getString(1), rows.getString(2) + "@" + rows.getLong(3));
            }
        }
        return winners;
    }
}
