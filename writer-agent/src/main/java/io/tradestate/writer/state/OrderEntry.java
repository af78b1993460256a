package io.tradestate.writer.state;

import io.tradestate.codecs.MessageHeaderDecoder;
import io.tradestate.codecs.OrderStatus;
import io.tradestate.codecs.OrderUpdateDecoder;
import io.tradestate.state.StateLayout;

/**
 * The current state of one order, as the last {@code OrderUpdate} that the agent applied to it: read it with
 * {@link #decoder()}, the generated SBE decoder wrapped over the copied message.
 */
public final class OrderEntry extends StateEntry
{
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final OrderUpdateDecoder decoder = new OrderUpdateDecoder();

    /**
     * An empty holder.
     */
    public OrderEntry()
    {
        super(StateLayout.ORDER_KEY_LENGTH, StateLayout.ORDER_VALUE_LENGTH);
    }

    /**
     * The order's last update.
     *
     * @return the decoder, wrapped over this holder's copy.
     */
    public OrderUpdateDecoder decoder()
    {
        return decoder;
    }

    /**
     * Whether the order is open or partially filled.
     *
     * @return true if not in a final status.
     */
    public boolean isOpen()
    {
        final OrderStatus status = decoder.status();
        return OrderStatus.OPEN == status || OrderStatus.PARTIALLY_FILLED == status;
    }

    boolean pairEquals(final CharSequence pair)
    {
        final int offset = StateLayout.MESSAGE_OFFSET + MessageHeaderDecoder.ENCODED_LENGTH +
            OrderUpdateDecoder.symbolEncodingOffset();
        return StateLayout.asciiEquals(value.buffer(), offset, StateLayout.PAIR_LENGTH, pair);
    }

    void onRead()
    {
        header.wrap(value.buffer(), StateLayout.MESSAGE_OFFSET);
        decoder.wrap(value.buffer(), StateLayout.MESSAGE_OFFSET + MessageHeaderDecoder.ENCODED_LENGTH,
            header.blockLength(), header.version());
    }

    boolean matches(final CharSequence sourceId, final long tradeId, final long nowMs)
    {
        return (null == sourceId || sourceIdEquals(sourceId)) && isOpen() &&
            (Long.MIN_VALUE == tradeId || decoder.tradeId() == tradeId);
    }
}
