package io.tradestate.reader;

import io.tradestate.codecs.LockSide;
import io.tradestate.codecs.OrderStatus;
import io.tradestate.codecs.OrderType;
import io.tradestate.codecs.Side;
import io.tradestate.codecs.TradingMode;
import io.tradestate.writer.TradeJournal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Hostile text through the whole path, journal to PostgreSQL and back, compared byte for byte: SQL, quotes,
 * backslashes, COPY text metacharacters ({@code \.}, {@code \N}, tab, newline, carriage return), escapes of other
 * languages, and Unicode (line separators, BOM, emoji, the last BMP character) in the free-text fields; their
 * printable-ASCII subset in the identifier fields. Nothing is interpreted: each value comes back exactly as appended,
 * and the tables hold the rows appended and nothing else. A NUL is refused by the writer, naming the field.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HostileTextIT
{
    private static final String[] TEXTS =
    {
        "'); DROP TABLE trades; --", "\\.", "\\N", "\\\\N", "\\", "a\\tb", "tab\there", "new\nline", "cr\rlf\r\n",
        "\\.\n\\.", "\"double\" 'single' `back`", "$$ $tag$ E'\\\\x00'", "%s %n %d {0} ${jndi:ldap://x/a}",
        "\u2028\u2029\u0085", "\ufeffbom", "\ud83d\ude80 rocket", "\uffff", "\u007f del", "x".repeat(1024),
        "\u00e9".repeat(512), "--", "/* comment */", ";", "NULL", "null", "\\0", "COPY x FROM PROGRAM 'id'",
    };
    private static final String[] IDENTIFIERS =
    {
        "'; DROP TABLE orders;--", "\\N", "\\.", "a\\b", "\"q\"", "%_", "$1", "--", "NULL", "\\", " lead space",
    };
    private static final long DRAIN_TIMEOUT_MS = 60_000;

    @RegisterExtension
    final AgentTestEnvironment environment = new AgentTestEnvironment("hostile_text");

    @Test
    void shouldStoreHostileTextByteForByteWithoutInterpretingIt() throws Exception
    {
        final List<String[]> trades = new ArrayList<>();
        final List<String> orderIds = new ArrayList<>();
        long lastIndex;
        try (TradeJournal journal = environment.journal("hostile"))
        {
            for (int i = 0; i < TEXTS.length; i++)
            {
                final String exitReason = TEXTS[i];
                final String enterTag = TEXTS[TEXTS.length - 1 - i];
                journal.tradeUpdate().tradeId(i).openTimeMs(1_700_000_000_000L).strategy(IDENTIFIERS[i %
                    IDENTIFIERS.length]).exchange("okx").pair("BTC/USDT").tradingMode(TradingMode.SPOT)
                    .openRate(1, 0).amount(1, 0).stakeAmount(1, 0).isOpen(false).closeTimeMs(1_700_000_001_000L)
                    .closeRate(2, 0).exitReason(exitReason).enterTag(enterTag).commit();
                trades.add(new String[] { exitReason, enterTag, IDENTIFIERS[i % IDENTIFIERS.length] });
                journal.pairLock().pair("ETH/USDT").side(LockSide.ANY).lockEndTimeMs(4_000_000_000_000L)
                    .reason(exitReason).commit();
            }
            for (final String identifier : IDENTIFIERS)
            {
                journal.orderUpdate().exchange("binance").symbol("BTC/USDT").orderId(identifier)
                    .clientOrderId(identifier).side(Side.BUY).orderType(OrderType.LIMIT).status(OrderStatus.OPEN)
                    .amount(1, 0).commit();
                orderIds.add(identifier);
            }
            final IllegalArgumentException nul = assertThrows(IllegalArgumentException.class,
                () -> journal.tradeUpdate().exitReason("a\u0000b"));
            assertTrue(nul.getMessage().contains("TradeUpdate.exitReason"), nul.getMessage());
            lastIndex = journal.balanceUpdate().exchange("kraken").asset("USD").total(1, 0).commit();
        }

        environment.launch();
        environment.awaitCheckpoint("hostile", lastIndex, DRAIN_TIMEOUT_MS);

        try (Connection connection = environment.dataSource().getConnection())
        {
            for (int i = 0; i < trades.size(); i++)
            {
                final String[] row = bytesOf(connection, "SELECT exit_reason, enter_tag, strategy FROM trade_events " +
                    "WHERE trade_id = ?", i);
                assertEquals(trades.get(i)[0], row[0], "exit_reason of trade " + i);
                assertEquals(trades.get(i)[1], row[1], "enter_tag of trade " + i);
                assertEquals(trades.get(i)[2], row[2], "strategy of trade " + i);
                assertEquals(trades.get(i)[0], bytesOf(connection, "SELECT exit_reason, enter_tag, strategy FROM " +
                    "trades WHERE trade_id = ?", i)[0], "trades.exit_reason of trade " + i);
            }
            for (int i = 0; i < orderIds.size(); i++)
            {
                final String[] row = bytesOf(connection, "SELECT order_id, client_order_id, symbol FROM orders " +
                    "ORDER BY queue_index OFFSET ?", i);
                assertEquals(orderIds.get(i), row[0], "order_id");
                assertEquals(orderIds.get(i), row[1], "client_order_id");
            }
            final String[] reasons = bytesOf(connection, "SELECT string_agg(reason, '|' ORDER BY queue_index), " +
                "count(*)::text, NULL FROM pair_lock_events WHERE ? = 0", 0);
            assertEquals(String.join("|", TEXTS), reasons[0], "pair lock reasons");
            final String[] counts = bytesOf(connection, "SELECT (SELECT count(*) FROM trade_events)::text, " +
                "(SELECT count(*) FROM order_events)::text, (SELECT count(*) FROM dead_letters)::text WHERE ? = 0", 0);
            assertEquals(Arrays.asList(String.valueOf(TEXTS.length), String.valueOf(IDENTIFIERS.length), "0"),
                Arrays.asList(counts), "nothing more, nothing less");
        }
        System.out.printf("%d hostile texts and %d hostile identifiers stored and read back byte for byte%n",
            TEXTS.length, IDENTIFIERS.length);
    }

    /**
     * Three text columns of the first row, decoded from the bytes PostgreSQL returns (its own UTF-8 encoding of the
     * stored value), so that any transformation on the way shows.
     */
    private static String[] bytesOf(final Connection connection, final String sql, final int parameter)
        throws SQLException
    {
        final String wrapped = "SELECT convert_to(a, 'UTF8'), convert_to(b, 'UTF8'), convert_to(c, 'UTF8') FROM (" +
            sql + ") AS s(a, b, c)";
        try (PreparedStatement statement = connection.prepareStatement(wrapped))
        {
            statement.setInt(1, parameter);
            try (ResultSet rows = statement.executeQuery())
            {
                if (!rows.next())
                {
                    fail("no row for " + sql + " with " + parameter);
                }
                final String[] values = new String[3];
                for (int i = 0; i < 3; i++)
                {
                    final byte[] bytes = rows.getBytes(1 + i);
                    values[i] = null == bytes ? null : new String(bytes, StandardCharsets.UTF_8);
                }
                return values;
            }
        }
    }
}
