package io.tradestate.tools.reconcile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.math.BigDecimal;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads the exchange's view from JSON lines: what a strategy gets by writing each result of CCXT's
 * {@code fetchOrders} / {@code fetchOpenOrders} / {@code fetchClosedOrders}, {@code fetchMyTrades} and
 * {@code fetchBalance} with {@code json.dumps} (Python) or any JSON writer, one value a line. A line holds one
 * object or an array of objects (a whole result list); blank lines are skipped. Each object is an order, a trade
 * or a balance by its members:
 * <ul>
 *     <li>a <b>balance</b> has a {@code total} member that is an object (CCXT's {@code fetchBalance});</li>
 *     <li>an <b>order</b> has a {@code status}, {@code filled} or {@code remaining} member;</li>
 *     <li>a <b>trade</b> has an {@code order} or {@code takerOrMaker} member.</li>
 * </ul>
 * Anything else is an unknown shape. An object may carry an {@code exchange} member (not CCXT's; a dump script may
 * add {@code exchange.id}): it must then be the exchange being reconciled.
 * <p>
 * Numbers are read from their JSON text into {@link BigDecimal}, never through a {@code double}: Jackson is told to
 * make every non-integer a {@code BigDecimal} from its digits. A decimal may also be given as a JSON string holding
 * a plain or scientific decimal. Any error (not JSON, not UTF-8, a duplicate member, a wrong type, a number the
 * journal cannot hold, a duplicate id) fails the whole read with an {@link ExchangeInputException} naming the line
 * and the field: a reconciliation against half a dump would report what is missing from the dump as missing from
 * the journal.
 */
public final class ExchangeDumpReader
{
    private static final Pattern DECIMAL_TEXT = Pattern.compile("-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]{1,9})?");
    private static final int MAX_DECIMAL_TEXT = 100;

    private final JsonMapper mapper = JsonMapper.builder()
        .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
        .build();
    private final String exchange;
    private final List<ExchangeOrder> orders = new ArrayList<>();
    private final List<ExchangeFill> fills = new ArrayList<>();
    private List<ExchangeBalance> balances;

    private ExchangeDumpReader(final String exchange)
    {
        this.exchange = exchange;
    }

    /**
     * Read a dump file.
     *
     * @param file     the JSON lines.
     * @param exchange the CCXT exchange id being reconciled, as the journal holds it.
     * @return the exchange's view.
     * @throws ExchangeInputException naming the line and field of the first error.
     * @throws IOException            if the file cannot be read.
     */
    public static ExchangeView read(final Path file, final String exchange) throws IOException
    {
        try (Reader reader = new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)))
        {
            return read(reader, exchange);
        }
    }

    /**
     * Read JSON lines.
     *
     * @param in       the lines.
     * @param exchange the CCXT exchange id being reconciled, as the journal holds it.
     * @return the exchange's view.
     * @throws ExchangeInputException naming the line and field of the first error.
     * @throws IOException            if the input cannot be read.
     */
    public static ExchangeView read(final Reader in, final String exchange) throws IOException
    {
        ExchangeValues.text(exchange, "exchange", "exchange", ExchangeValues.MAX_EXCHANGE_LENGTH, true);
        final ExchangeDumpReader reader = new ExchangeDumpReader(exchange);
        final BufferedReader lines = new BufferedReader(in);
        int lineNumber = 0;
        while (true)
        {
            final String line;
            try
            {
                line = lines.readLine();
            }
            catch (final CharacterCodingException ex)
            {
                throw new ExchangeInputException("line " + (lineNumber + 1), "not UTF-8 text");
            }
            if (null == line)
            {
                break;
            }
            lineNumber++;
            if (!line.isBlank())
            {
                reader.line(line, "line " + lineNumber);
            }
        }
        return ExchangeView.of(exchange, reader.orders, reader.fills, reader.balances);
    }

    private void line(final String line, final String where)
    {
        final JsonNode value;
        try
        {
            value = mapper.readTree(line);
        }
        catch (final JsonProcessingException ex)
        {
            final int column = null == ex.getLocation() ? -1 : ex.getLocation().getColumnNr();
            throw new ExchangeInputException(where, "not valid JSON" + (column > 0 ? " at column " + column : "") +
                ": " + ExchangeValues.shortText(ex.getOriginalMessage()));
        }
        if (value.isArray())
        {
            int element = 0;
            for (final JsonNode item : value)
            {
                object(item, where, "[" + element++ + "]");
            }
        }
        else
        {
            object(value, where, "");
        }
    }

    private void object(final JsonNode node, final String where, final String path)
    {
        if (!node.isObject())
        {
            throw new ExchangeInputException(where, (path.isEmpty() ? "the line" : path) +
                " is not a JSON object (an order, a trade or a balance) but " + type(node));
        }
        final String lineExchange = text(node, where, path, "exchange");
        if (null != lineExchange && !lineExchange.equals(exchange))
        {
            throw new ExchangeInputException(where, path + "exchange is '" + ExchangeValues.shortText(lineExchange) +
                "', this reconciliation is of '" + exchange + "'");
        }
        if (node.has("total") && node.get("total").isObject())
        {
            balance(node, where, path);
        }
        else if (node.has("status") || node.has("filled") || node.has("remaining"))
        {
            order(node, where, path);
        }
        else if (node.has("order") || node.has("takerOrMaker"))
        {
            fill(node, where, path);
        }
        else
        {
            throw new ExchangeInputException(where, (path.isEmpty() ? "the object" : path) + " is of no known " +
                "shape: not a CCXT order (status, filled), trade (order, takerOrMaker) or balance (total)");
        }
    }

    private void order(final JsonNode node, final String where, final String path)
    {
        final Long lastUpdate = time(node, where, path, "lastUpdateTimestamp");
        final JsonNode fee = fee(node, where, path);
        final String at = where + (path.isEmpty() ? "" : " " + path);
        orders.add(new ExchangeOrder(
            text(node, where, path, "id"),
            text(node, where, path, "clientOrderId"),
            text(node, where, path, "symbol"),
            text(node, where, path, "side"),
            text(node, where, path, "type"),
            text(node, where, path, "status"),
            time(node, where, path, "timestamp"),
            null != lastUpdate ? lastUpdate : time(node, where, path, "lastTradeTimestamp"),
            decimal(node, where, path, "price"),
            decimal(node, where, path, "amount"),
            decimal(node, where, path, "filled"),
            decimal(node, where, path, "average"),
            null == fee ? null : decimal(fee, where, path + "fee.", "cost"),
            null == fee ? null : text(fee, where, path + "fee.", "currency"),
            at));
    }

    private void fill(final JsonNode node, final String where, final String path)
    {
        final JsonNode fee = fee(node, where, path);
        final String at = where + (path.isEmpty() ? "" : " " + path);
        fills.add(new ExchangeFill(
            text(node, where, path, "id"),
            text(node, where, path, "order"),
            text(node, where, path, "symbol"),
            text(node, where, path, "side"),
            text(node, where, path, "takerOrMaker"),
            time(node, where, path, "timestamp"),
            decimal(node, where, path, "price"),
            decimal(node, where, path, "amount"),
            null == fee ? null : decimal(fee, where, path + "fee.", "cost"),
            null == fee ? null : text(fee, where, path + "fee.", "currency"),
            at));
    }

    private void balance(final JsonNode node, final String where, final String path)
    {
        if (null == balances)
        {
            balances = new ArrayList<>();
        }
        final JsonNode total = node.get("total");
        final JsonNode free = map(node, where, path, "free");
        final JsonNode used = map(node, where, path, "used");
        final String at = where + (path.isEmpty() ? "" : " " + path);
        final Iterator<Map.Entry<String, JsonNode>> assets = total.fields();
        while (assets.hasNext())
        {
            final Map.Entry<String, JsonNode> asset = assets.next();
            final BigDecimal totalValue = decimal(total, where, path + "total.", asset.getKey());
            if (null == totalValue)
            {
                continue;
            }
            balances.add(new ExchangeBalance(asset.getKey(),
                null == free ? null : decimal(free, where, path + "free.", asset.getKey()),
                null == used ? null : decimal(used, where, path + "used.", asset.getKey()),
                totalValue, at));
        }
    }

    private static JsonNode fee(final JsonNode node, final String where, final String path)
    {
        final JsonNode fee = node.get("fee");
        if (null == fee || fee.isNull())
        {
            return null;
        }
        if (!fee.isObject())
        {
            throw new ExchangeInputException(where, path + "fee must be an object or null, was " + type(fee));
        }
        return fee;
    }

    private static JsonNode map(final JsonNode node, final String where, final String path, final String field)
    {
        final JsonNode map = node.get(field);
        if (null == map || map.isNull())
        {
            return null;
        }
        if (!map.isObject())
        {
            throw new ExchangeInputException(where, path + field + " must be an object or null, was " + type(map));
        }
        return map;
    }

    private static String text(final JsonNode node, final String where, final String path, final String field)
    {
        final JsonNode value = node.get(field);
        if (null == value || value.isNull())
        {
            return null;
        }
        if (!value.isTextual())
        {
            throw new ExchangeInputException(where, path + field + " must be a string or null, was " + type(value));
        }
        return value.textValue();
    }

    private static Long time(final JsonNode node, final String where, final String path, final String field)
    {
        final JsonNode value = node.get(field);
        if (null == value || value.isNull())
        {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong())
        {
            throw new ExchangeInputException(where, path + field + " must be a whole number of milliseconds or " +
                "null, was " + type(value) + " " + ExchangeValues.shortText(value));
        }
        return ExchangeValues.time(value.longValue(), where, path + field);
    }

    private static BigDecimal decimal(final JsonNode node, final String where, final String path, final String field)
    {
        final JsonNode value = node.get(field);
        if (null == value || value.isNull())
        {
            return null;
        }
        if (value.isIntegralNumber())
        {
            return new BigDecimal(value.bigIntegerValue());
        }
        if (value.isBigDecimal())
        {
            return value.decimalValue();
        }
        if (value.isTextual())
        {
            final String text = value.textValue().trim();
            if (text.length() <= MAX_DECIMAL_TEXT && DECIMAL_TEXT.matcher(text).matches())
            {
                try
                {
                    return new BigDecimal(text);
                }
                catch (final NumberFormatException ex)
                {
                    // an exponent out of range, reported below
                }
            }
            throw new ExchangeInputException(where, path + field + " does not parse as a decimal: '" +
                ExchangeValues.shortText(value.textValue()) + "'");
        }
        throw new ExchangeInputException(where, path + field + " must be a number or null, was " + type(value));
    }

    private static String type(final JsonNode node)
    {
        switch (node.getNodeType())
        {
            case ARRAY:
                return "an array";
            case OBJECT:
                return "an object";
            case BOOLEAN:
                return "a boolean";
            case STRING:
                return "a string";
            case NUMBER:
                return "a number";
            case NULL:
                return "null";
            default:
                return node.getNodeType().toString().toLowerCase(Locale.ROOT);
        }
    }
}
