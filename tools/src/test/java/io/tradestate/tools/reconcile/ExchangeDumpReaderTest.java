package io.tradestate.tools.reconcile;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The exchange's dump as JSON lines: CCXT's shapes told apart, decimals exact from their text, missing fields
 * null, and every malformed or hostile input refused with the line and the field.
 */
class ExchangeDumpReaderTest
{
    private static final String ORDER = "{\"id\":\"o-1\",\"clientOrderId\":\"c-1\",\"timestamp\":1767225600000," +
        "\"lastTradeTimestamp\":1767225601000,\"symbol\":\"BTC/USDT\",\"type\":\"limit\",\"side\":\"buy\"," +
        "\"price\":64123.50000000000001,\"amount\":0.015,\"filled\":1e-05,\"remaining\":0.01499,\"average\":null," +
        "\"status\":\"open\",\"fee\":{\"cost\":-0.000000025,\"currency\":\"USDT\"},\"info\":{\"x\":[1,2.5]}}";
    private static final String TRADE = "{\"id\":\"t-1\",\"order\":\"o-1\",\"timestamp\":1767225601000," +
        "\"symbol\":\"BTC/USDT\",\"side\":\"buy\",\"takerOrMaker\":\"maker\",\"price\":\"64123.5\"," +
        "\"amount\":0.00001,\"fee\":null}";
    private static final String BALANCE = "{\"info\":{},\"BTC\":{\"free\":0.1},\"free\":{\"BTC\":0.1,\"USDT\":null}," +
        "\"used\":{\"BTC\":0}," + "\"total\":{\"BTC\":0.1,\"USDT\":null,\"ETH\":12345678901234567.89}}";

    @Test
    void shouldReadOrdersTradesAndBalancesExactlyFromTheirText() throws IOException
    {
        final ExchangeView view = read(ORDER + "\n\n[" + TRADE + "]\n" + BALANCE + "\n");
        assertEquals("binance", view.exchange());

        final ExchangeOrder order = view.orders().get(0);
        assertEquals("o-1", order.id());
        assertEquals("c-1", order.clientOrderId());
        assertEquals(1767225601000L, order.lastUpdateMs());
        // A double would be 64123.5 and 1.0E-5: the text's digits are kept.
        assertEquals("64123.50000000000001", order.price().toPlainString());
        assertEquals(new BigDecimal("0.00001"), order.filled());
        assertEquals("-0.000000025", order.feeCost().toPlainString());
        assertNull(order.average());
        assertEquals("line 1", order.origin());

        final ExchangeFill fill = view.fills().get(0);
        assertEquals("t-1", fill.id());
        assertEquals("o-1", fill.orderId());
        assertEquals(new BigDecimal("64123.5"), fill.price());
        assertNull(fill.feeCost());
        assertEquals("line 3 [0]", fill.origin());

        final List<ExchangeBalance> balances = view.balances();
        assertEquals(2, balances.size(), "USDT's total is null: not reported");
        assertEquals("BTC", balances.get(0).asset());
        assertEquals(0, new BigDecimal("0.1").compareTo(balances.get(0).free()));
        assertEquals(0, BigDecimal.ZERO.compareTo(balances.get(0).used()));
        assertEquals("12345678901234567.89", balances.get(1).total().toPlainString());
        assertNull(balances.get(1).free());
    }

    @Test
    void shouldLeaveBalancesUncomparedWhenTheDumpHasNone() throws IOException
    {
        assertNull(read(TRADE).balances());
    }

    @Test
    void shouldRefuseMalformedAndHostileLinesNamingTheLineAndTheField()
    {
        refused(ORDER + "\n" + TRADE.substring(0, 40), "line 2: not valid JSON");
        refused(TRADE + "\n" + ORDER.replace("\"amount\":0.015", "\"amount\":true"),
            "line 2: amount must be a number or null, was a boolean");
        refused(ORDER.replace("\"id\":\"o-1\"", "\"id\":17"), "line 1: id must be a string or null, was a number");
        refused(ORDER.replace("0.015", "1e400"), "line 1: amount is too large for the journal");
        refused(ORDER.replace("0.015", "123456789012345678901234567890"),
            "line 1: amount has more digits than the journal holds");
        refused(ORDER.replace("0.015", "0.0000000000000000001"), "line 1: amount has more than 18 decimal places");
        refused(ORDER.replace("0.015", "-0.015"), "line 1: amount is negative: -0.015");
        refused(TRADE.replace("\"64123.5\"", "\"64,123.5\""), "line 1: price does not parse as a decimal");
        refused(TRADE.replace("\"64123.5\"", "NaN"), "line 1: not valid JSON");
        refused(ORDER + "\n" + ORDER, "line 2: duplicate id: order o-1 is also at line 1");
        refused("[" + TRADE + "," + TRADE + "]", "line 1 [1]: duplicate id: fill t-1 is also at line 1 [0]");
        refused(ORDER.replace("{\"id\"", "{\"exchange\":\"kraken\",\"id\""),
            "line 1: exchange is 'kraken', this reconciliation is of 'binance'");
        refused("{\"id\":\"x\",\"symbol\":\"BTC/USDT\"}", "line 1: the object is of no known shape");
        refused("[1]", "line 1: [0] is not a JSON object");
        refused(ORDER.replace("\"open\"", "\"partially_filled\""), "line 1: status must be one of open, closed");
        refused(ORDER.replace("1767225600000", "1767225600000.5"), "line 1: timestamp must be a whole number");
        refused(ORDER.replace("\"buy\"", "\"long\""), "line 1: side must be buy or sell");
        refused(TRADE.replace("t-1", "t".repeat(65)), "line 1: id is 65 characters, the journal holds at most 64");
        refused(ORDER.replace("\"amount\":0.015", "\"amount\":0.015,\"amount\":0.02"), "line 1: not valid JSON");
        refused(BALANCE.replace("\"BTC\":0.1,", "\"BTC\":\"lots\","), "line 1: total.BTC does not parse");
        refused(TRADE.replace(",\"amount\":0.00001", ""), "line 1: amount is missing");
    }

    private static ExchangeView read(final String lines) throws IOException
    {
        return ExchangeDumpReader.read(new StringReader(lines), "binance");
    }

    private static void refused(final String lines, final String messageStart)
    {
        final ExchangeInputException ex = assertThrows(ExchangeInputException.class, () -> read(lines), lines);
        assertEquals(messageStart, ex.getMessage().substring(0, Math.min(messageStart.length(),
            ex.getMessage().length())), ex.getMessage());
    }
}
