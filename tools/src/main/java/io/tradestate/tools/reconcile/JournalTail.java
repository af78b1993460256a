package io.tradestate.tools.reconcile;

import io.tradestate.codecs.event.JournalEventReader;
import io.tradestate.codecs.event.JournalEventVisitor;
import io.tradestate.codecs.event.JournalField;
import io.tradestate.codecs.event.JournalMessage;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What a source's journal holds after the agent's checkpoint: appended, not yet drained, so not in the database.
 * Repair reads it so that what an earlier {@code --apply} appended (or the strategy appended since) is not appended
 * again before the agent has drained it. Read with codecs' {@link JournalEventReader}: an entry the drain would
 * dead-letter is skipped here for the same reason. Off the hot path; it allocates.
 */
public final class JournalTail
{
    private final Set<String> fillIds = new HashSet<>();
    private final Map<String, OrderState> orders = new HashMap<>();
    private final Map<String, BalanceState> balances = new HashMap<>();
    private long entries;
    private long lastIndex = -1;
    private String writerHost;
    private long writerPid = -1;

    private JournalTail()
    {
    }

    /**
     * An order's values in an {@code OrderUpdate} of the tail.
     *
     * @param status  status name.
     * @param amount  amount.
     * @param filled  filled, null if absent.
     * @param average average, null if absent.
     */
    public record OrderState(String status, BigDecimal amount, BigDecimal filled, BigDecimal average)
    {
    }

    /**
     * A balance in a {@code BalanceUpdate} of the tail.
     *
     * @param free  free, null if absent.
     * @param used  used, null if absent.
     * @param total total.
     */
    public record BalanceState(BigDecimal free, BigDecimal used, BigDecimal total)
    {
    }

    /**
     * Nothing after the checkpoint: for a journal the agent has drained to its end.
     *
     * @return an empty tail.
     */
    public static JournalTail empty()
    {
        return new JournalTail();
    }

    /**
     * Read a source's queue after an index.
     *
     * @param queueDirectory the source's queue ({@code <journal.root>/<source>}).
     * @param afterIndex     the agent's checkpoint (the last index drained); -1 to read it all.
     * @param exchange       the exchange whose fills, orders and balances are kept.
     * @return what the tail holds.
     */
    public static JournalTail read(final Path queueDirectory, final long afterIndex, final String exchange)
    {
        final JournalTail tail = new JournalTail();
        if (!Files.isDirectory(queueDirectory))
        {
            return tail;
        }
        final JournalEventReader reader = new JournalEventReader();
        final Collector collector = tail.new Collector(exchange);
        final UnsafeBuffer buffer = new UnsafeBuffer(0, 0);
        try (SingleChronicleQueue queue = SingleChronicleQueueBuilder.single(queueDirectory.toFile()).readOnly(true)
            .build();
            ExcerptTailer tailer = queue.createTailer())
        {
            if (afterIndex < 0 || !tailer.moveToIndex(afterIndex))
            {
                tailer.toStart();
            }
            while (true)
            {
                try (DocumentContext context = tailer.readingDocument())
                {
                    if (!context.isPresent())
                    {
                        break;
                    }
                    final long index = context.index();
                    if (index <= afterIndex)
                    {
                        continue;
                    }
                    tail.entries++;
                    tail.lastIndex = index;
                    final Bytes<?> bytes = context.wire().bytes();
                    final int length = (int)bytes.readRemaining();
                    buffer.wrap(bytes.addressForRead(bytes.readPosition()), length);
                    reader.read(index, buffer, 0, length, collector);
                }
            }
        }
        return tail;
    }

    /**
     * Whether a {@code Fill} of this id is in the tail.
     *
     * @param fillId the fill id.
     * @return true if appended after the checkpoint.
     */
    public boolean holdsFill(final String fillId)
    {
        return fillIds.contains(fillId);
    }

    /**
     * The last {@code OrderUpdate} of an order in the tail.
     *
     * @param orderId the order id.
     * @return its values, null if none.
     */
    public OrderState order(final String orderId)
    {
        return orders.get(orderId);
    }

    /**
     * The last {@code BalanceUpdate} of an asset in the tail.
     *
     * @param asset the asset.
     * @return its values, null if none.
     */
    public BalanceState balance(final String asset)
    {
        return balances.get(asset);
    }

    /**
     * Entries read after the checkpoint.
     *
     * @return the count.
     */
    public long entries()
    {
        return entries;
    }

    /**
     * The last index of the queue read, -1 if nothing was after the checkpoint.
     *
     * @return the index.
     */
    public long lastIndex()
    {
        return lastIndex;
    }

    /**
     * The host of the last {@code SourceStarted} or {@code Heartbeat} in the tail.
     *
     * @return the host, null if the tail has none.
     */
    public String writerHost()
    {
        return writerHost;
    }

    /**
     * The pid of the last {@code SourceStarted} or {@code Heartbeat} in the tail.
     *
     * @return the pid, -1 if the tail has none.
     */
    public long writerPid()
    {
        return writerPid;
    }

    private final class Collector implements JournalEventVisitor
    {
        private final String exchange;
        private final Map<String, Object> values = new HashMap<>();
        private JournalMessage message;

        Collector(final String exchange)
        {
            this.exchange = exchange;
        }

        public void onEventStart(final JournalMessage message, final long index, final long appendTimeNs)
        {
            this.message = message;
            values.clear();
        }

        public void onNull(final JournalField field)
        {
        }

        public void onTimeNs(final JournalField field, final long epochNs)
        {
        }

        public void onTimeMs(final JournalField field, final long epochMs)
        {
        }

        public void onNumber(final JournalField field, final long value)
        {
            values.put(field.name(), value);
        }

        public void onText(final JournalField field, final DirectBuffer buffer, final int offset, final int length)
        {
            values.put(field.name(), buffer.getStringWithoutLengthAscii(offset, length));
        }

        public void onEnum(final JournalField field, final int ordinal)
        {
            values.put(field.name(), field.enumName(ordinal));
        }

        public void onBoolean(final JournalField field, final boolean value)
        {
        }

        public void onDecimal(final JournalField field, final long mantissa, final int exponent)
        {
            values.put(field.name(), BigDecimal.valueOf(mantissa, -exponent));
        }

        public void onEventEnd()
        {
            switch (message)
            {
                case SOURCE_STARTED, HEARTBEAT ->
                {
                    writerHost = (String)values.get("host");
                    writerPid = null == values.get("pid") ? -1 : (Long)values.get("pid");
                }
                case FILL ->
                {
                    if (exchange.equals(values.get("exchange")))
                    {
                        fillIds.add((String)values.get("fillId"));
                    }
                }
                case ORDER_UPDATE ->
                {
                    if (exchange.equals(values.get("exchange")))
                    {
                        orders.put((String)values.get("orderId"), new OrderState((String)values.get("status"),
                            (BigDecimal)values.get("amount"), (BigDecimal)values.get("filled"),
                            (BigDecimal)values.get("average")));
                    }
                }
                case BALANCE_UPDATE ->
                {
                    if (exchange.equals(values.get("exchange")))
                    {
                        balances.put((String)values.get("asset"), new BalanceState((BigDecimal)values.get("free"),
                            (BigDecimal)values.get("used"), (BigDecimal)values.get("total")));
                    }
                }
                default ->
                {
                }
            }
        }
    }
}
