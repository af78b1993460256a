package io.tradestate.reader;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code is_pair_locked} and the lock and open-state views of migration 2, on one database holding a fixed set of
 * locks: freqtrade's rules case by case (pair, '*' pair, side, '*' side, inactive, time bounds, other source), and
 * the locks one source takes for all sources (migration 13).
 */
@Timeout(60)
class PairLockQueriesIT
{
    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

    @RegisterExtension
    static final AgentTestEnvironment ENVIRONMENT = new AgentTestEnvironment(PairLockQueriesIT.class.getSimpleName())
        .migrated();

    @BeforeAll
    static void insertLocks() throws SQLException
    {
        // Locks of source alpha from 12:00 to 13:00 on 1 March 2026 unless said otherwise:
        //   1  BTC/USDT long              4  SOL/USDT long, inactive (unlocked)
        //   2  ETH/USDT *                 5  ADA/USDT short, 14:00 to 15:00
        //   3  * short (every pair)       6  DOT/USDT long, ended 11:00 (10:00 to 11:00)
        // and of source beta: 7  XRP/USDT *
        execute("INSERT INTO pair_locks (source_id, queue_index, pair, side, lock_time, lock_end_time, reason, " +
            "active) VALUES " +
            "('alpha', 1, 'BTC/USDT', 'long', '2026-03-01 12:00Z', '2026-03-01 13:00Z', 'r', true), " +
            "('alpha', 2, 'ETH/USDT', '*', '2026-03-01 12:00Z', '2026-03-01 13:00Z', 'r', true), " +
            "('alpha', 3, '*', 'short', '2026-03-01 12:00Z', '2026-03-01 13:00Z', 'r', true), " +
            "('alpha', 4, 'SOL/USDT', 'long', '2026-03-01 12:00Z', '2026-03-01 13:00Z', 'r', false), " +
            "('alpha', 5, 'ADA/USDT', 'short', '2026-03-01 14:00Z', '2026-03-01 15:00Z', 'r', true), " +
            "('alpha', 6, 'DOT/USDT', 'long', '2026-03-01 10:00Z', '2026-03-01 11:00Z', 'r', true), " +
            "('beta', 7, 'XRP/USDT', '*', '2026-03-01 12:00Z', '2026-03-01 13:00Z', 'r', true)");
        // Locks for all sources (migration 13), taken by a risk process:
        //   8  NEAR/USDT long    9  AVAX/USDT *, inactive (unlocked)    10  * short from 14:00 to 15:00
        execute("INSERT INTO pair_locks (source_id, queue_index, pair, side, lock_time, lock_end_time, reason, " +
            "active, all_sources) VALUES " +
            "('risk', 8, 'NEAR/USDT', 'long', '2026-03-01 12:00Z', '2026-03-01 13:00Z', 'volatile', true, true), " +
            "('risk', 9, 'AVAX/USDT', '*', '2026-03-01 12:00Z', '2026-03-01 13:00Z', 'volatile', false, true), " +
            "('risk', 10, '*', 'short', '2026-03-01 14:00Z', '2026-03-01 15:00Z', 'news', true, true)");
    }

    @ParameterizedTest(name = "{0} {1} {2} at +{3} s -> {4}: {5}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "alpha | BTC/USDT | long  | 1800 | true  | a long lock locks its pair's long side",
        "alpha | BTC/USDT | short | 1800 | true  | the global short lock (3) locks every pair's short side",
        "alpha | BTC/USDT | *     | 1800 | false | a '*' query is matched only by '*' locks, not a long one",
        "alpha | ETH/USDT | long  | 1800 | true  | a '*' side lock locks the long side",
        "alpha | ETH/USDT | short | 1800 | true  | a '*' side lock locks the short side",
        "alpha | ETH/USDT | *     | 1800 | true  | a '*' side lock matches a '*' query",
        "alpha | LTC/USDT | long  | 1800 | false | no lock of the pair and the global lock is short",
        "alpha | LTC/USDT | short | 1800 | true  | the global short lock locks a pair without a lock of its own",
        "alpha | LTC/USDT | *     | 1800 | false | the global lock is one-sided, so a '*' query does not match it",
        "alpha | *        | short | 1800 | true  | asking for pair '*' finds the global lock",
        "alpha | *        | long  | 1800 | false | asking for pair '*' finds no pair-specific lock",
        "alpha | BTC/USDT | long  | 0    | true  | lock_time is inclusive",
        "alpha | BTC/USDT | long  | -1   | false | before lock_time",
        "alpha | BTC/USDT | long  | 3599 | true  | the last second before lock_end_time",
        "alpha | BTC/USDT | long  | 3600 | false | lock_end_time is exclusive (freqtrade: lock_end_time > now)",
        "alpha | SOL/USDT | long  | 1800 | false | an inactive (unlocked) lock never counts",
        "alpha | ADA/USDT | short | 1800 | true  | not yet started, but the global short lock holds",
        "alpha | ADA/USDT | short | 9000 | true  | its own lock, 14:30",
        "alpha | ADA/USDT | long  | 9000 | false | its own lock is short and the global one has ended",
        "alpha | DOT/USDT | long  | 1800 | false | an expired lock no longer holds",
        "alpha | DOT/USDT | long  | -5400| true  | the expired lock held at 10:30",
        "alpha | XRP/USDT | long  | 1800 | false | a lock of another source does not count",
        "beta  | XRP/USDT | long  | 1800 | true  | that source's own lock",
        "beta  | BTC/USDT | short | 1800 | false | a global lock of another source does not count",
        "gamma | BTC/USDT | long  | 1800 | false | a source without locks",
        "gamma | NEAR/USDT| long  | 1800 | true  | a lock for all sources holds for a source without locks",
        "alpha | NEAR/USDT| long  | 1800 | true  | and for a source with locks of its own",
        "risk  | NEAR/USDT| long  | 1800 | true  | and for the source that took it",
        "gamma | NEAR/USDT| short | 1800 | false | freqtrade's side rules apply to it: it is a long lock",
        "gamma | NEAR/USDT| *     | 1800 | false | a '*' query is matched only by '*' locks",
        "gamma | NEAR/USDT| long  | 3600 | false | its end is exclusive",
        "gamma | AVAX/USDT| long  | 1800 | false | an inactive lock for all sources never counts",
        "gamma | ADA/USDT | short | 9000 | true  | a '*' pair lock for all sources locks every pair's short side",
        "gamma | ADA/USDT | short | 1800 | false | before its lock_time",
        "beta  | XRP/USDT | long  | 9000 | false | beta's own lock ended; the lock for all sources is short",
    })
    void shouldFollowFreqtradesRulesWhenAskedWhetherAPairIsLocked(
        final String sourceId, final String pair, final String side, final long atSeconds, final boolean expected,
        final String why) throws SQLException
    {
        try (Connection connection = ENVIRONMENT.dataSource().getConnection();
            PreparedStatement statement = connection.prepareStatement("SELECT is_pair_locked(?, ?, ?, ?)"))
        {
            statement.setString(1, sourceId);
            statement.setString(2, pair);
            statement.setString(3, side);
            statement.setTimestamp(4, Timestamp.from(T0.plusSeconds(atSeconds)));
            try (ResultSet rows = statement.executeQuery())
            {
                assertTrue(rows.next());
                assertEquals(expected, rows.getBoolean(1), why);
            }
        }
    }

    @Test
    void shouldAskAboutNowWhenNoTimeIsGiven() throws SQLException
    {
        execute("INSERT INTO pair_locks (source_id, queue_index, pair, side, lock_time, lock_end_time, reason, " +
            "active) VALUES ('delta', 1, 'BTC/USDT', 'long', now() - interval '1 minute', " +
            "now() + interval '1 minute', 'r', true)");

        assertEquals("true", query("SELECT is_pair_locked('delta', 'BTC/USDT', 'long')::text"));
        assertEquals("false", query("SELECT is_pair_locked('delta', 'BTC/USDT', 'short')::text"));
        assertEquals("1", query("SELECT string_agg(queue_index::text, ',') FROM active_pair_locks " +
            "WHERE source_id = 'delta'"));
        assertEquals(null, query("SELECT string_agg(queue_index::text, ',') FROM active_pair_locks " +
            "WHERE source_id = 'alpha'"), "alpha's locks of March 2026 have all ended by now");
    }

    @Test
    void shouldListLocksForAllSourcesWithTheSourceThatTookThem() throws SQLException
    {
        execute("INSERT INTO pair_locks (source_id, queue_index, pair, side, lock_time, lock_end_time, reason, " +
            "active, all_sources) VALUES ('epsilon', 1, 'SUI/USDT', 'long', now() - interval '1 minute', " +
            "now() + interval '1 minute', 'risk', true, true)");

        assertEquals("epsilon 1 true", query("SELECT string_agg(source_id || ' ' || queue_index || ' ' || " +
            "all_sources, ',') FROM active_pair_locks WHERE pair = 'SUI/USDT'"));
        assertEquals("true", query("SELECT is_pair_locked('zeta', 'SUI/USDT', 'long')::text"));
    }

    private static void execute(final String sql) throws SQLException
    {
        try (Connection connection = ENVIRONMENT.dataSource().getConnection();
            Statement statement = connection.createStatement())
        {
            statement.execute(sql);
        }
    }

    private static String query(final String sql) throws SQLException
    {
        try (Connection connection = ENVIRONMENT.dataSource().getConnection();
            Statement statement = connection.createStatement();
            ResultSet rows = statement.executeQuery(sql))
        {
            assertTrue(rows.next(), sql);
            return rows.getString(1);
        }
    }
}
