package io.tradestate.bench;

import io.tradestate.bench.jmh.SampleEvents;
import io.tradestate.codecs.MessageHeaderEncoder;
import io.tradestate.codecs.OrderUpdateEncoder;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The orders of {@link SparseAppendHarness}: the benchmarks' sample order ({@link SampleEvents},
 * {@link SampleEvents#ORDER_UPDATE_LENGTH} bytes encoded)
 * with another exchange id and price per event, {@value #COUNT} of them in turn, so that no two appends in a row
 * write the same values. Built before any measurement: the order ids as strings for the journal, and for the
 * baselines every order encoded once, back to back, exactly as the journal encodes it but for the append time.
 */
final class SparseOrders
{
    /**
     * How many different orders, a power of two.
     */
    static final int COUNT = 1024;

    /**
     * Length of each encoded order.
     */
    static final int LENGTH = SampleEvents.ORDER_UPDATE_LENGTH;

    private static final String[] ORDER_IDS = new String[COUNT];

    static
    {
        final long firstId = Long.parseLong(SampleEvents.ORDER_ID);
        for (int i = 0; i < COUNT; i++)
        {
            ORDER_IDS[i] = Long.toString(firstId + i);
        }
    }

    private SparseOrders()
    {
    }

    /**
     * Which order event {@code event} writes.
     *
     * @param event the event's number in the JVM, from 0.
     * @return the order's number, 0 to {@code COUNT - 1}.
     */
    static int order(final int event)
    {
        return event & (COUNT - 1);
    }

    /**
     * The exchange id of an order.
     *
     * @param order its number.
     * @return the id.
     */
    static String orderId(final int order)
    {
        return ORDER_IDS[order];
    }

    /**
     * The limit price of an order.
     *
     * @param order its number.
     * @return the mantissa, of {@link SampleEvents#PRICE_EXPONENT}.
     */
    static long priceMantissa(final int order)
    {
        return SampleEvents.PRICE_MANTISSA + order;
    }

    /**
     * Every order encoded, order {@code k} at offset {@code k * LENGTH}.
     *
     * @return a new array of {@code COUNT * LENGTH} bytes.
     */
    static byte[] encoded()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[COUNT * LENGTH]);
        final OrderUpdateEncoder encoder = new OrderUpdateEncoder();
        final MessageHeaderEncoder header = new MessageHeaderEncoder();
        for (int k = 0; k < COUNT; k++)
        {
            SampleEvents.encodeOrderUpdate(encoder, header, buffer, k * LENGTH, SampleEvents.APPEND_TIME_NS,
                orderId(k), priceMantissa(k));
        }

        return buffer.byteArray();
    }
}
