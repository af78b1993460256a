package io.tradestate.writer.state;

import io.tradestate.codecs.BooleanType;
import io.tradestate.codecs.MessageHeaderDecoder;
import io.tradestate.codecs.TradeUpdateDecoder;
import io.tradestate.state.StateLayout;

/**
 * The current state of one trade (a position, as freqtrade's {@code Trade}), as the last {@code TradeUpdate} the
 * agent applied to it: read it with {@link #decoder()}, the generated SBE decoder wrapped over the copied message.
 * Read the var-data fields ({@code exitReason}, {@code enterTag}) after the fixed ones, in schema order, and call
 * {@link #decoder()} again to read them a second time.
 */
public final class TradeEntry extends StateEntry
{
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final TradeUpdateDecoder decoder = new TradeUpdateDecoder();

    /**
     * An empty holder.
     */
    public TradeEntry()
    {
        super(StateLayout.TRADE_KEY_LENGTH, StateLayout.TRADE_VALUE_LENGTH);
    }

    /**
     * The trade's last update, wrapped afresh.
     *
     * @return the decoder, wrapped over this holder's copy.
     */
    public TradeUpdateDecoder decoder()
    {
        onRead();
        return decoder;
    }

    /**
     * Whether the trade is open.
     *
     * @return the {@code isOpen} flag of its last update.
     */
    public boolean isOpen()
    {
        return BooleanType.TRUE == decoder.isOpen();
    }

    boolean pairEquals(final CharSequence pair)
    {
        final int offset = StateLayout.MESSAGE_OFFSET + MessageHeaderDecoder.ENCODED_LENGTH +
            TradeUpdateDecoder.pairEncodingOffset();
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
        return (null == sourceId || sourceIdEquals(sourceId)) && isOpen();
    }
}
