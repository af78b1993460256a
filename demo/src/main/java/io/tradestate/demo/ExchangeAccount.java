package io.tradestate.demo;

import io.tradestate.codecs.OrderStatus;
import io.tradestate.tools.reconcile.ExchangeFill;
import io.tradestate.tools.reconcile.ExchangeOrder;
import io.tradestate.tools.reconcile.ExchangeView;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * The simulated exchange's own record of one strategy's account, the side of the story that outlives the strategy:
 * every order state and fill, as CCXT's unified structures ({@link ExchangeOrder}, {@link ExchangeFill}), kept in
 * memory and in a file of one line per record that survives a {@code SIGKILL} of the process writing it (each line
 * is one {@code write}, unbuffered).
 * <p>
 * The exchange acts first: the strategy process records an order state or a fill here before it journals it, so a
 * kill between the two leaves the exchange knowing more than the journal. While the strategy is down, the demo keeps
 * the account trading ({@link #fillWhileDown}); the restarted strategy reads it as it would fetch orders and trades
 * from the exchange ({@link #view}) and reconciles.
 * <p>
 * A line is {@code O} or {@code F} and tab-separated fields, {@code -} for none; decimals are exact text. A last line
 * cut short by a kill mid-write is ignored.
 */
final class ExchangeAccount implements AutoCloseable
{
    private static final String NONE = "-";
    private static final int ORDER_FIELDS = 16;
    private static final int FILL_FIELDS = 12;

    private final Path file;
    private final FileChannel channel;
    private final Map<String, Map<String, ExchangeOrder>> orders = new TreeMap<>();
    private final Map<String, List<ExchangeFill>> fills = new TreeMap<>();
    private final Map<String, String> fillExchanges = new HashMap<>();
    private final StringBuilder line = new StringBuilder(256);

    private ExchangeAccount(final Path file, final FileChannel channel)
    {
        this.file = file;
        this.channel = channel;
    }

    /**
     * Open an account's record, reading what it holds, to append to it.
     *
     * @param file the record, created if missing.
     * @return the account.
     */
    static ExchangeAccount open(final Path file)
    {
        try
        {
            final ExchangeAccount account = new ExchangeAccount(file, FileChannel.open(file,
                StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND));
            if (Files.size(file) > 0)
            {
                account.read(Files.readString(file, StandardCharsets.UTF_8));
            }
            return account;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot open the exchange account " + file, ex);
        }
    }

    /**
     * Record an order's state as the exchange has it now.
     *
     * @param instrument the market.
     * @param order      the order.
     * @param nowMs      the exchange's time.
     */
    void order(final Instrument instrument, final SimOrder order, final long nowMs)
    {
        final ExchangeOrder previous = orders(instrument.exchange()).get(order.orderId);
        final BigDecimal price = decimal(order.priceTicks, instrument.priceExponent());
        record(instrument.exchange(), new ExchangeOrder(order.orderId, order.clientOrderId, instrument.symbol(),
            order.side.name().toLowerCase(Locale.ROOT), order.orderType.name().toLowerCase(Locale.ROOT),
            status(order.status), null == previous ? nowMs : previous.timestampMs(), nowMs, price,
            decimal(order.amount, instrument.amountExponent()), decimal(order.filled, instrument.amountExponent()),
            order.filled > 0 ? price : null, order.filled > 0 ? decimal(order.feeMantissa, instrument.feeExponent()) :
            null, order.filled > 0 ? InstrumentUniverse.QUOTE : null, null));
    }

    /**
     * Record a fill.
     *
     * @param instrument  the market.
     * @param order       the order filled, at its price.
     * @param fillId      the exchange's trade id.
     * @param amount      mantissa of the instrument's amount exponent.
     * @param maker       whether the order was the maker.
     * @param feeMantissa mantissa of the instrument's fee exponent, in the quote currency.
     * @param nowMs       the exchange's time.
     */
    void fill(
        final Instrument instrument,
        final SimOrder order,
        final String fillId,
        final long amount,
        final boolean maker,
        final long feeMantissa,
        final long nowMs)
    {
        record(instrument.exchange(), new ExchangeFill(fillId, order.orderId, instrument.symbol(),
            order.side.name().toLowerCase(Locale.ROOT), maker ? "maker" : "taker", nowMs,
            decimal(order.priceTicks, instrument.priceExponent()), decimal(amount, instrument.amountExponent()),
            decimal(feeMantissa, instrument.feeExponent()), InstrumentUniverse.QUOTE, null));
    }

    /**
     * Whether the exchange holds an order as still working.
     *
     * @param exchange the exchange.
     * @param orderId  the order.
     * @return true if it is open there.
     */
    boolean isOpen(final String exchange, final String orderId)
    {
        final ExchangeOrder order = orders(exchange).get(orderId);
        return null != order && order.isOpen();
    }

    /**
     * Cancel an order still working on the exchange.
     *
     * @param exchange the exchange.
     * @param orderId  the order.
     * @param nowMs    the exchange's time.
     */
    void cancel(final String exchange, final String orderId, final long nowMs)
    {
        final ExchangeOrder order = orders(exchange).get(orderId);
        if (null != order && order.isOpen())
        {
            record(exchange, with(order, "canceled", order.filled(), order.average(), order.feeCost(), nowMs));
        }
    }

    /**
     * The exchange keeps trading while the strategy is down: each order still working is filled for what remains,
     * at its limit price as the maker, with one chance in two (the first one always), at a time in the outage.
     *
     * @param random  picks the orders and the times.
     * @param fromMs  when the strategy went down.
     * @param toMs    a time before it can be back.
     * @return the fills made.
     */
    int fillWhileDown(final Random random, final long fromMs, final long toMs)
    {
        final List<String> exchanges = new ArrayList<>(orders.keySet());
        int made = 0;
        for (final String exchange : exchanges)
        {
            for (final ExchangeOrder order : new ArrayList<>(orders(exchange).values()))
            {
                if (!order.isOpen() || null == order.price() || (made > 0 && random.nextBoolean()))
                {
                    continue;
                }
                final BigDecimal remaining = order.amount().subtract(order.filled());
                final long atMs = fromMs + (long)(random.nextDouble() * Math.max(1, toMs - fromMs));
                // price x amount x basis points, exact: the simulator's fee rule
                final BigDecimal fee = order.price().multiply(remaining)
                    .multiply(BigDecimal.valueOf(InstrumentSimulator.MAKER_FEE_BPS)).movePointLeft(4);
                record(exchange, new ExchangeFill(order.id() + "-while-down", order.id(), order.symbol(), order.side(),
                    "maker", atMs, order.price(), remaining, fee, InstrumentUniverse.QUOTE, null));
                // every fill of an order is at its limit price, so that is its average
                record(exchange, with(order, "closed", order.amount(), order.price(),
                    null == order.feeCost() ? fee : order.feeCost().add(fee), atMs));
                made++;
            }
        }
        return made;
    }

    /**
     * The exchanges the account has traded on.
     *
     * @return their ids, sorted.
     */
    List<String> exchanges()
    {
        final List<String> exchanges = new ArrayList<>(orders.keySet());
        for (final String exchange : fills.keySet())
        {
            if (!exchanges.contains(exchange))
            {
                exchanges.add(exchange);
            }
        }
        return exchanges;
    }

    /**
     * What the exchange reports, as a strategy fetches it: the orders placed or updated since a time and those still
     * working, and the fills since that time.
     *
     * @param exchange the exchange.
     * @param fromMs   the start of the window.
     * @return the exchange's view, without balances.
     */
    ExchangeView view(final String exchange, final long fromMs)
    {
        final List<ExchangeOrder> recent = new ArrayList<>();
        for (final ExchangeOrder order : orders(exchange).values())
        {
            if (order.isOpen() || order.lastUpdateMs() >= fromMs)
            {
                recent.add(order);
            }
        }
        final List<ExchangeFill> recentFills = new ArrayList<>();
        for (final ExchangeFill fill : fills.getOrDefault(exchange, List.of()))
        {
            if (fill.timestampMs() >= fromMs)
            {
                recentFills.add(fill);
            }
        }
        return ExchangeView.of(exchange, recent, recentFills, null);
    }

    /**
     * Close the file.
     */
    public void close()
    {
        try
        {
            channel.close();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot close the exchange account " + file, ex);
        }
    }

    private Map<String, ExchangeOrder> orders(final String exchange)
    {
        return orders.computeIfAbsent(exchange, (ignored) -> new LinkedHashMap<>());
    }

    private static ExchangeOrder with(
        final ExchangeOrder order,
        final String status,
        final BigDecimal filled,
        final BigDecimal average,
        final BigDecimal feeCost,
        final long nowMs)
    {
        return new ExchangeOrder(order.id(), order.clientOrderId(), order.symbol(), order.side(), order.type(), status,
            order.timestampMs(), nowMs, order.price(), order.amount(), filled, average, feeCost,
            null == feeCost ? null : InstrumentUniverse.QUOTE, null);
    }

    private void record(final String exchange, final ExchangeOrder order)
    {
        line.setLength(0);
        line.append('O');
        field(exchange).field(order.id()).field(order.clientOrderId()).field(order.symbol()).field(order.side())
            .field(order.type()).field(order.status()).field(order.timestampMs()).field(order.lastUpdateMs())
            .field(order.price()).field(order.amount()).field(order.filled()).field(order.average())
            .field(order.feeCost()).field(order.feeCurrency());
        write();
        orders(exchange).put(order.id(), order);
    }

    private void record(final String exchange, final ExchangeFill fill)
    {
        line.setLength(0);
        line.append('F');
        field(exchange).field(fill.id()).field(fill.orderId()).field(fill.symbol()).field(fill.side())
            .field(fill.takerOrMaker()).field(fill.timestampMs()).field(fill.price()).field(fill.amount())
            .field(fill.feeCost()).field(fill.feeCurrency());
        write();
        add(exchange, fill);
    }

    private void add(final String exchange, final ExchangeFill fill)
    {
        final String previous = fillExchanges.put(fill.id(), exchange);
        if (null == previous)
        {
            fills.computeIfAbsent(exchange, (ignored) -> new ArrayList<>()).add(fill);
        }
    }

    private ExchangeAccount field(final Object value)
    {
        line.append('\t').append(null == value ? NONE :
            value instanceof BigDecimal ? ((BigDecimal)value).toPlainString() : value.toString());
        return this;
    }

    private void write()
    {
        line.append('\n');
        final ByteBuffer bytes = ByteBuffer.wrap(line.toString().getBytes(StandardCharsets.UTF_8));
        try
        {
            while (bytes.hasRemaining())
            {
                channel.write(bytes);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot write the exchange account " + file, ex);
        }
    }

    private void read(final String text)
    {
        final int end = text.lastIndexOf('\n') + 1; // a last line without its newline was cut short by a kill
        int start = 0;
        while (start < end)
        {
            final int next = text.indexOf('\n', start);
            final String[] fields = text.substring(start, next).split("\t", -1);
            start = next + 1;
            if ("O".equals(fields[0]) && ORDER_FIELDS == fields.length)
            {
                orders(fields[1]).put(fields[2], new ExchangeOrder(fields[2], text(fields[3]), fields[4], fields[5],
                    text(fields[6]), fields[7], time(fields[8]), time(fields[9]), decimal(fields[10]),
                    decimal(fields[11]), decimal(fields[12]), decimal(fields[13]), decimal(fields[14]),
                    text(fields[15]), null));
            }
            else if ("F".equals(fields[0]) && FILL_FIELDS == fields.length)
            {
                add(fields[1], new ExchangeFill(fields[2], text(fields[3]), fields[4], fields[5], text(fields[6]),
                    time(fields[7]), decimal(fields[8]), decimal(fields[9]), decimal(fields[10]), text(fields[11]),
                    null));
            }
            else
            {
                throw new IllegalStateException(file + ": not a record of the exchange account: " +
                    String.join("\t", fields));
            }
        }
    }

    private static String status(final OrderStatus status)
    {
        return switch (status)
        {
            case OPEN, PARTIALLY_FILLED -> "open";
            case CLOSED -> "closed";
            case CANCELED -> "canceled";
            case EXPIRED -> "expired";
            default -> "rejected";
        };
    }

    private static BigDecimal decimal(final long mantissa, final int exponent)
    {
        return BigDecimal.valueOf(mantissa, -exponent);
    }

    private static String text(final String field)
    {
        return NONE.equals(field) ? null : field;
    }

    private static Long time(final String field)
    {
        return NONE.equals(field) ? null : Long.valueOf(field);
    }

    private static BigDecimal decimal(final String field)
    {
        return NONE.equals(field) ? null : new BigDecimal(field);
    }
}
