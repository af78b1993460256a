package io.tradestate.writer.state;

import io.tradestate.codecs.BalanceUpdateDecoder;
import io.tradestate.codecs.MessageHeaderDecoder;
import io.tradestate.state.StateLayout;

/**
 * The current balance of one asset on one exchange, as the last {@code BalanceUpdate} the agent applied: read it
 * with {@link #decoder()}, the generated SBE decoder wrapped over the copied message.
 */
public final class BalanceEntry extends StateEntry
{
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final BalanceUpdateDecoder decoder = new BalanceUpdateDecoder();

    /**
     * An empty holder.
     */
    public BalanceEntry()
    {
        super(StateLayout.BALANCE_KEY_LENGTH, StateLayout.BALANCE_VALUE_LENGTH);
    }

    /**
     * The balance's last update.
     *
     * @return the decoder, wrapped over this holder's copy.
     */
    public BalanceUpdateDecoder decoder()
    {
        return decoder;
    }

    void onRead()
    {
        header.wrap(value.buffer(), StateLayout.MESSAGE_OFFSET);
        decoder.wrap(value.buffer(), StateLayout.MESSAGE_OFFSET + MessageHeaderDecoder.ENCODED_LENGTH,
            header.blockLength(), header.version());
    }

    boolean matches(final CharSequence sourceId, final long tradeId, final long nowMs)
    {
        return null == sourceId || sourceIdEquals(sourceId);
    }
}
