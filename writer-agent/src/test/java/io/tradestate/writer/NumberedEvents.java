package io.tradestate.writer;

import io.tradestate.codecs.FillDecoder;
import io.tradestate.codecs.HeartbeatDecoder;
import io.tradestate.codecs.Liquidity;
import io.tradestate.codecs.MessageHeaderDecoder;
import io.tradestate.codecs.OrderStatus;
import io.tradestate.codecs.OrderType;
import io.tradestate.codecs.OrderUpdateDecoder;
import io.tradestate.codecs.Side;
import io.tradestate.codecs.SourceStartedDecoder;
import io.tradestate.codecs.TradeUpdateDecoder;
import org.agrona.DirectBuffer;

/**
 * Events numbered by stream and sequence, whose every field is derived from those two numbers, so that a test can
 * append them from several threads or processes and check each one read back for content as well as for presence.
 * <p>
 * The stream (a thread, a writer process) and the sequence travel in {@code tradeId} as
 * {@code stream << 32 | sequence}; the event type, prices, amounts, times, ids and the var-data texts (of varying
 * length, with one-, two-, three- and four-byte UTF-8) follow from them. {@link #decode(DirectBuffer, int, int)}
 * decodes an excerpt completely, requires its length to be exactly what its fields and var-data make, and compares
 * every field with what {@link #append(TradeJournal, int, long)} wrote.
 * <p>
 * One instance per thread: it holds the text scratch of the append side and the flyweights of the decode side.
 */
final class NumberedEvents
{
    /**
     * Event types cycled through by sequence: {@code OrderUpdate}, {@code Fill}, {@code TradeUpdate}.
     */
    static final int EVENT_TYPES = 3;

    private static final long BASE_TIME_MS = 1_700_000_000_000L;
    private static final String[] SYMBOLS = { "BTC/USDT", "ETH/USDT:USDT", "SOL/USDC", "XRP/BTC" };
    private static final String[] TEXT_CHARACTERS = { "a", "Z", "7", " ", "\u00e9", "\u00df", "\u20ac", "\u2192", };
    private static final String FOUR_BYTE_CHARACTER = "\ud83d\ude80";
    private static final int MAX_PAD_CHARACTERS = 61;

    private final StringBuilder appendText = new StringBuilder(512);
    private final StringBuilder appendTag = new StringBuilder(64);
    private final StringBuilder expectedText = new StringBuilder(512);
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final OrderUpdateDecoder orderUpdate = new OrderUpdateDecoder();
    private final FillDecoder fill = new FillDecoder();
    private final TradeUpdateDecoder tradeUpdate = new TradeUpdateDecoder();
    private final SourceStartedDecoder sourceStarted = new SourceStartedDecoder();
    private final HeartbeatDecoder heartbeat = new HeartbeatDecoder();
    private int templateId;
    private int stream;
    private long sequence;
    private long pid;

    /**
     * Append the event numbered {@code sequence} of {@code stream} on the calling thread.
     *
     * @param journal  to append to.
     * @param stream   0 to 2^31 - 1.
     * @param sequence 0 to 2^32 - 1.
     * @return the queue index {@link JournalEvent#commit()} returned.
     */
    long append(final TradeJournal journal, final int stream, final long sequence)
    {
        final long tradeId = tradeId(stream, sequence);
        final String symbol = SYMBOLS[(int)(sequence & 3)];
        switch ((int)(sequence % EVENT_TYPES))
        {
            case 0:
                return journal.orderUpdate()
                    .exchange("binance").symbol(symbol).orderId(id('o', stream, sequence, appendTag))
                    .tradeId(tradeId).side(side(sequence)).orderType(OrderType.LIMIT).status(OrderStatus.OPEN)
                    .price(price(sequence), -2).amount(amount(sequence), -3).exchangeTimeMs(timeMs(sequence))
                    .commit();

            case 1:
                return journal.fill()
                    .exchange("bybit").symbol(symbol).fillId(id('f', stream, sequence, appendTag))
                    .orderId(id('o', stream, sequence, appendText)).tradeId(tradeId).side(side(sequence))
                    .liquidity(liquidity(sequence)).price(price(sequence), -2).amount(amount(sequence), -3)
                    .feeCost(-(sequence % 5), -6).feeCurrency("USDT").exchangeTimeMs(timeMs(sequence))
                    .commit();

            default:
                return journal.tradeUpdate()
                    .tradeId(tradeId).openTimeMs(timeMs(sequence)).strategy("numbered").exchange("okx")
                    .pair(symbol).stakeCurrency("USDT").openRate(price(sequence), -2)
                    .amount(amount(sequence), -3).stakeAmount(1000 + sequence, 0)
                    .exitReason(text(stream, sequence, appendText)).enterTag(id('t', stream, sequence, appendTag))
                    .commit();
        }
    }

    /**
     * Decode one excerpt completely and check it: a numbered event must hold exactly what
     * {@link #append(TradeJournal, int, long)} wrote for its stream and sequence; a {@code SourceStarted} or
     * {@code Heartbeat} must be well formed. Anything else (unknown template, wrong schema, trailing or missing bytes,
     * a field that does not match) fails.
     *
     * @param buffer holding the excerpt.
     * @param offset of the excerpt in the buffer.
     * @param length of the excerpt as the queue reports it.
     * @return the template id; then {@link #stream()} and {@link #sequence()} or {@link #pid()} describe it.
     * @throws AssertionError describing the first problem found.
     */
    int decode(final DirectBuffer buffer, final int offset, final int length)
    {
        check(length >= MessageHeaderDecoder.ENCODED_LENGTH, "shorter than a message header", length, 0);
        header.wrap(buffer, offset);
        check(header.schemaId() == MessageHeaderDecoder.SCHEMA_ID, "schema id", header.schemaId(), 0);
        check(header.version() == MessageHeaderDecoder.SCHEMA_VERSION, "schema version", header.version(), 0);
        templateId = header.templateId();
        final int bodyOffset = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        final int bodyLength;
        switch (templateId)
        {
            case OrderUpdateDecoder.TEMPLATE_ID:
                checkBlockLength(OrderUpdateDecoder.BLOCK_LENGTH);
                orderUpdate.wrap(buffer, bodyOffset, header.blockLength(), header.version());
                bodyLength = orderUpdate.sbeDecodedLength();
                checkOrderUpdate();
                break;

            case FillDecoder.TEMPLATE_ID:
                checkBlockLength(FillDecoder.BLOCK_LENGTH);
                fill.wrap(buffer, bodyOffset, header.blockLength(), header.version());
                bodyLength = fill.sbeDecodedLength();
                checkFill();
                break;

            case TradeUpdateDecoder.TEMPLATE_ID:
                checkBlockLength(TradeUpdateDecoder.BLOCK_LENGTH);
                check(length >= MessageHeaderDecoder.ENCODED_LENGTH + TradeUpdateDecoder.BLOCK_LENGTH + 4,
                    "TradeUpdate shorter than its block and var-data headers", length, 0);
                tradeUpdate.wrap(buffer, bodyOffset, header.blockLength(), header.version());
                bodyLength = checkTradeUpdate(length - MessageHeaderDecoder.ENCODED_LENGTH);
                break;

            case SourceStartedDecoder.TEMPLATE_ID:
                checkBlockLength(SourceStartedDecoder.BLOCK_LENGTH);
                sourceStarted.wrap(buffer, bodyOffset, header.blockLength(), header.version());
                bodyLength = sourceStarted.sbeDecodedLength();
                pid = sourceStarted.pid();
                check(sourceStarted.schemaVersion() == SourceStartedDecoder.SCHEMA_VERSION,
                    "SourceStarted.schemaVersion", sourceStarted.schemaVersion(), SourceStartedDecoder.SCHEMA_VERSION);
                check(pid > 0, "SourceStarted.pid", pid, 1);
                break;

            case HeartbeatDecoder.TEMPLATE_ID:
                checkBlockLength(HeartbeatDecoder.BLOCK_LENGTH);
                heartbeat.wrap(buffer, bodyOffset, header.blockLength(), header.version());
                bodyLength = heartbeat.sbeDecodedLength();
                pid = heartbeat.pid();
                check(pid > 0, "Heartbeat.pid", pid, 1);
                break;

            default:
                throw new AssertionError("unexpected template id " + templateId);
        }

        check(MessageHeaderDecoder.ENCODED_LENGTH + bodyLength == length, "excerpt length (decoded length + 8)",
            length, MessageHeaderDecoder.ENCODED_LENGTH + bodyLength);

        return templateId;
    }

    /**
     * Whether the last decoded excerpt was a numbered event.
     *
     * @return true for an {@code OrderUpdate}, {@code Fill} or {@code TradeUpdate}.
     */
    boolean isNumbered()
    {
        return OrderUpdateDecoder.TEMPLATE_ID == templateId || FillDecoder.TEMPLATE_ID == templateId ||
            TradeUpdateDecoder.TEMPLATE_ID == templateId;
    }

    /**
     * Stream of the last decoded numbered event.
     *
     * @return the stream.
     */
    int stream()
    {
        return stream;
    }

    /**
     * Sequence of the last decoded numbered event.
     *
     * @return the sequence.
     */
    long sequence()
    {
        return sequence;
    }

    /**
     * Writer process id of the last decoded {@code SourceStarted} or {@code Heartbeat}.
     *
     * @return the pid.
     */
    long pid()
    {
        return pid;
    }

    static long tradeId(final int stream, final long sequence)
    {
        return (long)stream << 32 | sequence;
    }

    private void checkOrderUpdate()
    {
        number(orderUpdate.tradeId(), 0);
        check(orderUpdate.exchangeTimeMs() == timeMs(sequence), "OrderUpdate.exchangeTimeMs",
            orderUpdate.exchangeTimeMs(), timeMs(sequence));
        check("binance".equals(orderUpdate.exchange()), "OrderUpdate.exchange", 0, 0);
        check(SYMBOLS[(int)(sequence & 3)].equals(orderUpdate.symbol()), "OrderUpdate.symbol", 0, 0);
        checkText("OrderUpdate.orderId", orderUpdate.orderId(), id('o', stream, sequence, expectedText));
        check(orderUpdate.side() == side(sequence), "OrderUpdate.side", 0, 0);
        check(orderUpdate.orderType() == OrderType.LIMIT, "OrderUpdate.orderType", 0, 0);
        check(orderUpdate.status() == OrderStatus.OPEN, "OrderUpdate.status", 0, 0);
        check(orderUpdate.price().mantissa() == price(sequence), "OrderUpdate.price",
            orderUpdate.price().mantissa(), price(sequence));
        check(orderUpdate.price().exponent() == -2, "OrderUpdate.price.exponent", orderUpdate.price().exponent(), -2);
        check(orderUpdate.amount().mantissa() == amount(sequence), "OrderUpdate.amount",
            orderUpdate.amount().mantissa(), amount(sequence));
        check(orderUpdate.filled().mantissa() == DecimalField.NULL_MANTISSA, "OrderUpdate.filled absent",
            orderUpdate.filled().mantissa(), DecimalField.NULL_MANTISSA);
    }

    private void checkFill()
    {
        number(fill.tradeId(), 1);
        check(fill.exchangeTimeMs() == timeMs(sequence), "Fill.exchangeTimeMs",
            fill.exchangeTimeMs(), timeMs(sequence));
        check("bybit".equals(fill.exchange()), "Fill.exchange", 0, 0);
        check(SYMBOLS[(int)(sequence & 3)].equals(fill.symbol()), "Fill.symbol", 0, 0);
        checkText("Fill.fillId", fill.fillId(), id('f', stream, sequence, expectedText));
        checkText("Fill.orderId", fill.orderId(), id('o', stream, sequence, expectedText));
        check(fill.side() == side(sequence), "Fill.side", 0, 0);
        check(fill.liquidity() == liquidity(sequence), "Fill.liquidity", 0, 0);
        check(fill.price().mantissa() == price(sequence), "Fill.price", fill.price().mantissa(), price(sequence));
        check(fill.amount().mantissa() == amount(sequence), "Fill.amount", fill.amount().mantissa(), amount(sequence));
        check(fill.feeCost().mantissa() == -(sequence % 5), "Fill.feeCost", fill.feeCost().mantissa(), -(sequence % 5));
        check(fill.feeCost().exponent() == -6, "Fill.feeCost.exponent", fill.feeCost().exponent(), -6);
        check("USDT".equals(fill.feeCurrency()), "Fill.feeCurrency", 0, 0);
    }

    private int checkTradeUpdate(final int bodyLength)
    {
        number(tradeUpdate.tradeId(), 2);
        check(tradeUpdate.openTimeMs() == timeMs(sequence), "TradeUpdate.openTimeMs",
            tradeUpdate.openTimeMs(), timeMs(sequence));
        check("numbered".equals(tradeUpdate.strategy()), "TradeUpdate.strategy", 0, 0);
        check("okx".equals(tradeUpdate.exchange()), "TradeUpdate.exchange", 0, 0);
        check(SYMBOLS[(int)(sequence & 3)].equals(tradeUpdate.pair()), "TradeUpdate.pair", 0, 0);
        check("USDT".equals(tradeUpdate.stakeCurrency()), "TradeUpdate.stakeCurrency", 0, 0);
        check(tradeUpdate.openRate().mantissa() == price(sequence), "TradeUpdate.openRate",
            tradeUpdate.openRate().mantissa(), price(sequence));
        check(tradeUpdate.amount().mantissa() == amount(sequence), "TradeUpdate.amount",
            tradeUpdate.amount().mantissa(), amount(sequence));
        check(tradeUpdate.stakeAmount().mantissa() == 1000 + sequence, "TradeUpdate.stakeAmount",
            tradeUpdate.stakeAmount().mantissa(), 1000 + sequence);

        // Var-data lengths are read before the bytes they announce, so a torn excerpt fails here, not as an
        // IndexOutOfBoundsException deep in the decoder.
        final int exitReasonLimit = TradeUpdateDecoder.BLOCK_LENGTH + TradeUpdateDecoder.exitReasonHeaderLength();
        final int exitReasonLength = tradeUpdate.exitReasonLength();
        check(exitReasonLimit + exitReasonLength + TradeUpdateDecoder.enterTagHeaderLength() <= bodyLength,
            "TradeUpdate.exitReason length", exitReasonLength, bodyLength - exitReasonLimit);
        checkText("TradeUpdate.exitReason", tradeUpdate.exitReason(), text(stream, sequence, expectedText));
        final int enterTagLength = tradeUpdate.enterTagLength();
        check(exitReasonLimit + exitReasonLength + TradeUpdateDecoder.enterTagHeaderLength() + enterTagLength <=
            bodyLength, "TradeUpdate.enterTag length", enterTagLength, 0);
        checkText("TradeUpdate.enterTag", tradeUpdate.enterTag(), id('t', stream, sequence, expectedText));

        return tradeUpdate.encodedLength();
    }

    private void checkBlockLength(final int expected)
    {
        check(header.blockLength() == expected, "block length", header.blockLength(), expected);
    }

    private void number(final long tradeId, final int expectedType)
    {
        check(tradeId >= 0, "tradeId", tradeId, 0);
        stream = (int)(tradeId >>> 32);
        sequence = tradeId & 0xFFFF_FFFFL;
        check(sequence % EVENT_TYPES == expectedType, "event type of sequence " + sequence, templateId, 0);
    }

    private void checkText(final String field, final String actual, final CharSequence expected)
    {
        if (!expected.toString().equals(actual))
        {
            throw new AssertionError(
                where() + field + ": expected '" + expected + "' but was '" + actual + "'");
        }
    }

    private void check(final boolean condition, final String what, final long actual, final long expected)
    {
        if (!condition)
        {
            throw new AssertionError(where() + what + " is wrong: was " + actual + ", expected " + expected);
        }
    }

    private String where()
    {
        return "template " + templateId + " stream " + stream + " sequence " + sequence + ": ";
    }

    private static CharSequence id(final char prefix, final int stream, final long sequence, final StringBuilder sb)
    {
        sb.setLength(0);
        return sb.append(prefix).append(stream).append('-').append(sequence);
    }

    private static CharSequence text(final int stream, final long sequence, final StringBuilder sb)
    {
        sb.setLength(0);
        sb.append("exit ").append(stream).append('/').append(sequence).append(' ');
        final int padCharacters = (int)(sequence % MAX_PAD_CHARACTERS);
        for (int i = 0; i < padCharacters; i++)
        {
            sb.append(TEXT_CHARACTERS[(int)((sequence + i) % TEXT_CHARACTERS.length)]);
        }

        if (0 == sequence % 7)
        {
            sb.append(FOUR_BYTE_CHARACTER);
        }

        return sb;
    }

    private static long timeMs(final long sequence)
    {
        return BASE_TIME_MS + sequence;
    }

    private static long price(final long sequence)
    {
        return sequence * 7 + 1;
    }

    private static long amount(final long sequence)
    {
        return sequence + 1;
    }

    private static Side side(final long sequence)
    {
        return 0 == (sequence & 1) ? Side.BUY : Side.SELL;
    }

    private static Liquidity liquidity(final long sequence)
    {
        return 0 == (sequence & 2) ? Liquidity.MAKER : Liquidity.TAKER;
    }
}
