package io.tradestate.tools;

import io.tradestate.codecs.BalanceUpdateDecoder;
import io.tradestate.codecs.DecimalDecoder;
import io.tradestate.codecs.FillDecoder;
import io.tradestate.codecs.MessageHeaderDecoder;
import io.tradestate.codecs.OrderUpdateDecoder;
import io.tradestate.codecs.PairLockDecoder;
import io.tradestate.codecs.PairUnlockDecoder;
import io.tradestate.codecs.TradeUpdateDecoder;
import org.agrona.DirectBuffer;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The history row the reader agent makes of one journal event, as the text of each column {@link HistoryTable}
 * selects: what {@code tradestate verify} expects to read back from PostgreSQL.
 * <p>
 * Design: only for an excerpt the {@link JournalEventDecoder} accepted, so nothing is checked twice here; the
 * mapping is the agent's {@code HistoryRowEncoder}, column for column: fixed-length text up to its first NUL and
 * {@code null} when empty, free text (var-data) as it is and empty rather than {@code null}, decimals exact with
 * their scale ({@link DecimalText}), enums as the agent's lower-case names, millisecond and nanosecond times as
 * microseconds since the epoch (nanoseconds truncated towards the past, as the agent writes them), SBE's null values
 * as {@code null}. A {@code PairUnlock} is a {@code pair_lock_events} row with action {@code unlock}, its unlock time
 * as {@code event_time} and no end time. Off the hot path: values are new strings.
 */
final class HistoryRowText
{
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final OrderUpdateDecoder orderUpdate = new OrderUpdateDecoder();
    private final FillDecoder fill = new FillDecoder();
    private final TradeUpdateDecoder tradeUpdate = new TradeUpdateDecoder();
    private final PairLockDecoder pairLock = new PairLockDecoder();
    private final PairUnlockDecoder pairUnlock = new PairUnlockDecoder();
    private final BalanceUpdateDecoder balanceUpdate = new BalanceUpdateDecoder();
    private final StringBuilder scratch = new StringBuilder(64);
    private final String[] values = new String[HistoryTable.MAX_COLUMNS];
    private DirectBuffer buffer;
    private int column;
    private int varPosition;

    /**
     * The row of an event the decoder accepted.
     *
     * @param buffer holding the excerpt.
     * @param offset of the excerpt.
     * @return the event's table, its values in {@link #values()}; null for a message with no history row
     * ({@code SourceStarted}, {@code Heartbeat}).
     */
    HistoryTable encode(final DirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        column = 0;
        header.wrap(buffer, offset);
        final int bodyOffset = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        final int blockLength = header.blockLength();
        final int version = header.version();
        switch (header.templateId())
        {
            case OrderUpdateDecoder.TEMPLATE_ID:
                orderUpdate(orderUpdate.wrap(buffer, bodyOffset, blockLength, version));
                return HistoryTable.ORDER_EVENTS;

            case FillDecoder.TEMPLATE_ID:
                fill(fill.wrap(buffer, bodyOffset, blockLength, version));
                return HistoryTable.FILLS;

            case TradeUpdateDecoder.TEMPLATE_ID:
                tradeUpdate(tradeUpdate.wrap(buffer, bodyOffset, blockLength, version));
                return HistoryTable.TRADE_EVENTS;

            case PairLockDecoder.TEMPLATE_ID:
                pairLock(pairLock.wrap(buffer, bodyOffset, blockLength, version));
                return HistoryTable.PAIR_LOCK_EVENTS;

            case PairUnlockDecoder.TEMPLATE_ID:
                pairUnlock(pairUnlock.wrap(buffer, bodyOffset, blockLength, version));
                return HistoryTable.PAIR_LOCK_EVENTS;

            case BalanceUpdateDecoder.TEMPLATE_ID:
                balanceUpdate(balanceUpdate.wrap(buffer, bodyOffset, blockLength, version));
                return HistoryTable.BALANCE_EVENTS;

            default:
                return null;
        }
    }

    /**
     * The column values of the last {@link #encode}, in the order of its table's columns; {@code null} is SQL NULL.
     *
     * @return the values, valid until the next call.
     */
    String[] values()
    {
        return values;
    }

    private void orderUpdate(final OrderUpdateDecoder d)
    {
        final int base = d.offset();
        appendTime(d.appendTimeNs());
        timeMs(d.exchangeTimeMs());
        number(d.receiveTimeNs(), OrderUpdateDecoder.receiveTimeNsNullValue());
        number(d.tradeId(), OrderUpdateDecoder.tradeIdNullValue());
        ascii(base + OrderUpdateDecoder.exchangeEncodingOffset(), OrderUpdateDecoder.exchangeLength());
        ascii(base + OrderUpdateDecoder.symbolEncodingOffset(), OrderUpdateDecoder.symbolLength());
        ascii(base + OrderUpdateDecoder.orderIdEncodingOffset(), OrderUpdateDecoder.orderIdLength());
        ascii(base + OrderUpdateDecoder.clientOrderIdEncodingOffset(), OrderUpdateDecoder.clientOrderIdLength());
        name(d.sideRaw(), JournalEventDecoder.SIDES);
        name(d.orderTypeRaw(), JournalEventDecoder.ORDER_TYPES);
        name(d.timeInForceRaw(), JournalEventDecoder.TIME_IN_FORCE);
        name(d.statusRaw(), JournalEventDecoder.ORDER_STATUSES);
        bool(d.reduceOnlyRaw());
        decimal(d.price());
        decimal(d.stopPrice());
        decimal(d.amount());
        decimal(d.filled());
        decimal(d.remaining());
        decimal(d.average());
        decimal(d.cost());
        decimal(d.feeCost());
        ascii(base + OrderUpdateDecoder.feeCurrencyEncodingOffset(), OrderUpdateDecoder.feeCurrencyLength());
        decimal(d.leverage());
    }

    private void fill(final FillDecoder d)
    {
        final int base = d.offset();
        appendTime(d.appendTimeNs());
        timeMs(d.exchangeTimeMs());
        number(d.tradeId(), FillDecoder.tradeIdNullValue());
        ascii(base + FillDecoder.exchangeEncodingOffset(), FillDecoder.exchangeLength());
        ascii(base + FillDecoder.symbolEncodingOffset(), FillDecoder.symbolLength());
        ascii(base + FillDecoder.fillIdEncodingOffset(), FillDecoder.fillIdLength());
        ascii(base + FillDecoder.orderIdEncodingOffset(), FillDecoder.orderIdLength());
        name(d.sideRaw(), JournalEventDecoder.SIDES);
        name(d.liquidityRaw(), JournalEventDecoder.LIQUIDITY);
        decimal(d.price());
        decimal(d.amount());
        decimal(d.feeCost());
        ascii(base + FillDecoder.feeCurrencyEncodingOffset(), FillDecoder.feeCurrencyLength());
    }

    private void tradeUpdate(final TradeUpdateDecoder d)
    {
        final int base = d.offset();
        appendTime(d.appendTimeNs());
        number(d.tradeId(), TradeUpdateDecoder.tradeIdNullValue());
        timeMs(d.openTimeMs());
        timeMs(d.closeTimeMs());
        ascii(base + TradeUpdateDecoder.strategyEncodingOffset(), TradeUpdateDecoder.strategyLength());
        ascii(base + TradeUpdateDecoder.exchangeEncodingOffset(), TradeUpdateDecoder.exchangeLength());
        ascii(base + TradeUpdateDecoder.pairEncodingOffset(), TradeUpdateDecoder.pairLength());
        ascii(base + TradeUpdateDecoder.stakeCurrencyEncodingOffset(), TradeUpdateDecoder.stakeCurrencyLength());
        bool(d.isShortRaw());
        bool(d.isOpenRaw());
        bool(d.isTrailingStopRaw());
        name(d.tradingModeRaw(), JournalEventDecoder.TRADING_MODES);
        decimal(d.leverage());
        decimal(d.openRate());
        decimal(d.amount());
        decimal(d.stakeAmount());
        decimal(d.stopLoss());
        decimal(d.stopLossPct());
        decimal(d.initialStopLoss());
        decimal(d.initialStopLossPct());
        decimal(d.maxRate());
        decimal(d.minRate());
        decimal(d.closeRate());
        decimal(d.liquidationPrice());
        decimal(d.interestRate());
        decimal(d.fundingFees());
        decimal(d.feeOpen());
        decimal(d.feeClose());
        decimal(d.realizedProfit());
        varPosition = d.limit();
        varText();
        varText();
    }

    private void pairLock(final PairLockDecoder d)
    {
        final int base = d.offset();
        appendTime(d.appendTimeNs());
        values[column++] = "lock";
        ascii(base + PairLockDecoder.pairEncodingOffset(), PairLockDecoder.pairLength());
        name(d.sideRaw(), JournalEventDecoder.LOCK_SIDES);
        timeMs(d.lockTimeMs());
        timeMs(d.lockEndTimeMs());
        varPosition = d.limit();
        varText();
    }

    private void pairUnlock(final PairUnlockDecoder d)
    {
        final int base = d.offset();
        appendTime(d.appendTimeNs());
        values[column++] = "unlock";
        ascii(base + PairUnlockDecoder.pairEncodingOffset(), PairUnlockDecoder.pairLength());
        name(d.sideRaw(), JournalEventDecoder.LOCK_SIDES);
        timeMs(d.unlockTimeMs());
        values[column++] = null;
        varPosition = d.limit();
        varText();
    }

    private void balanceUpdate(final BalanceUpdateDecoder d)
    {
        final int base = d.offset();
        appendTime(d.appendTimeNs());
        timeMs(d.exchangeTimeMs());
        ascii(base + BalanceUpdateDecoder.exchangeEncodingOffset(), BalanceUpdateDecoder.exchangeLength());
        ascii(base + BalanceUpdateDecoder.assetEncodingOffset(), BalanceUpdateDecoder.assetLength());
        decimal(d.free());
        decimal(d.used());
        decimal(d.total());
    }

    private void appendTime(final long appendTimeNs)
    {
        values[column++] = Long.toString(Math.floorDiv(appendTimeNs, 1_000L));
        values[column++] = Long.toString(appendTimeNs);
    }

    private void timeMs(final long epochMs)
    {
        values[column++] = CheckedFieldWriter.NULL_TIME == epochMs ? null : Long.toString(epochMs * 1_000L);
    }

    private void number(final long value, final long nullValue)
    {
        values[column++] = nullValue == value ? null : Long.toString(value);
    }

    private void bool(final short raw)
    {
        values[column++] = 1 == raw ? "true" : "false";
    }

    private void name(final short raw, final String[] names)
    {
        values[column++] = raw >= 0 && raw < names.length ? names[raw] : null;
    }

    private void decimal(final DecimalDecoder decimal)
    {
        final long mantissa = decimal.mantissa();
        if (DecimalDecoder.mantissaNullValue() == mantissa)
        {
            values[column++] = null;
        }
        else
        {
            scratch.setLength(0);
            values[column++] = DecimalText.append(scratch, mantissa, decimal.exponent()).toString();
        }
    }

    private void ascii(final int offset, final int maxLength)
    {
        final int length = CheckedFieldWriter.asciiLength(buffer, offset, maxLength);
        values[column++] = length <= 0 ? null : buffer.getStringWithoutLengthAscii(offset, length);
    }

    private void varText()
    {
        final int length = buffer.getShort(varPosition, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        final byte[] bytes = new byte[length];
        buffer.getBytes(varPosition + 2, bytes);
        values[column++] = new String(bytes, StandardCharsets.UTF_8);
        varPosition += 2 + length;
    }
}
