package io.tradestate.codecs.event;

import io.tradestate.codecs.BooleanType;
import io.tradestate.codecs.EventOrigin;
import io.tradestate.codecs.LockSide;
import io.tradestate.codecs.MessageHeaderEncoder;
import io.tradestate.codecs.OrderStatus;
import io.tradestate.codecs.OrderType;
import io.tradestate.codecs.OrderUpdateEncoder;
import io.tradestate.codecs.PairUnlockEncoder;
import io.tradestate.codecs.Side;
import io.tradestate.codecs.TimeInForce;
import io.tradestate.codecs.UnlockScope;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link JournalEventReader} visits an acceptable excerpt's fields in schema order, each as its kind says, and refuses
 * a bad one with the reason, visiting nothing of it.
 */
class JournalEventReaderTest
{
    private static final int BODY = MessageHeaderEncoder.ENCODED_LENGTH;

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final JournalEventReader reader = new JournalEventReader();
    private final RecordingVisitor visitor = new RecordingVisitor();

    @Test
    void shouldVisitEveryFieldOfAnOrderUpdateInSchemaOrder()
    {
        final int length = orderUpdate();

        assertNull(reader.read(42, buffer, 0, length, visitor));

        assertEquals(List.of(
            "start OrderUpdate 42 1700000000000000000",
            "appendTimeNs ns 1700000000000000000",
            "exchangeTimeMs ms 1700000000123",
            "receiveTimeNs null",
            "tradeId 7",
            "exchange text binance",
            "symbol text BTC/USDT",
            "orderId text 123",
            "clientOrderId null",
            "side enum buy",
            "orderType enum limit",
            "timeInForce null",
            "status enum partially_filled",
            "reduceOnly false",
            "price decimal 6512345e-2",
            "stopPrice null",
            "amount decimal 15e-1",
            "filled null",
            "remaining null",
            "average null",
            "cost null",
            "feeCost null",
            "feeCurrency null",
            "leverage null",
            "origin enum reconciliation",
            "reconcileTimeMs ms 1700000000456",
            "end"), visitor.calls);
        assertEquals(JournalMessage.ORDER_UPDATE, reader.message());
        assertEquals(1700000000000000000L, reader.appendTimeNs());
    }

    @Test
    void shouldRefuseABadFieldNamingItAndVisitNothing()
    {
        final int length = orderUpdate();

        buffer.putByte(BODY + JournalMessage.ORDER_UPDATE.field("side").offset(), (byte)2);
        assertFailure("OrderUpdate.side invalid enum value 2", length);

        orderUpdate();
        buffer.putLong(BODY + JournalMessage.ORDER_UPDATE.field("amount").offset(), Long.MIN_VALUE,
            ByteOrder.LITTLE_ENDIAN);
        assertFailure("OrderUpdate.amount is required but null", length);

        orderUpdate();
        buffer.putByte(BODY + JournalMessage.ORDER_UPDATE.field("price").offset() + Long.BYTES, (byte)19);
        assertFailure("OrderUpdate.price exponent 19 is outside [-18, 18]", length);

        orderUpdate();
        buffer.putByte(BODY + JournalMessage.ORDER_UPDATE.field("symbol").offset() + 1, (byte)0x07);
        assertFailure("OrderUpdate.symbol is not printable ASCII", length);

        orderUpdate();
        buffer.putByte(BODY + JournalMessage.ORDER_UPDATE.field("exchange").offset(), (byte)0);
        assertFailure("OrderUpdate.exchange is not printable ASCII", length);

        orderUpdate();
        buffer.setMemory(BODY + JournalMessage.ORDER_UPDATE.field("orderId").offset(), 64, (byte)0);
        assertFailure("OrderUpdate.orderId is required but empty", length);

        orderUpdate();
        buffer.putByte(BODY + JournalMessage.ORDER_UPDATE.field("reduceOnly").offset(), (byte)2);
        assertFailure("OrderUpdate.reduceOnly invalid boolean value 2", length);

        orderUpdate();
        buffer.putLong(BODY + JournalMessage.ORDER_UPDATE.field("exchangeTimeMs").offset(), EventRules.MAX_EPOCH_MS + 1,
            ByteOrder.LITTLE_ENDIAN);
        assertFailure("OrderUpdate.exchangeTimeMs is not a time: 253402300800000", length);

        orderUpdate();
        buffer.putLong(BODY, -1, ByteOrder.LITTLE_ENDIAN);
        assertFailure("OrderUpdate.appendTimeNs is not a time: -1", length);

        orderUpdate();
        buffer.putLong(BODY, Long.MAX_VALUE - 500_000_000L, ByteOrder.LITTLE_ENDIAN);
        assertFailure("OrderUpdate.appendTimeNs 9223372036354775807 is outside the times the history holds, " +
            "2000-01-01 to 2200-01-01: the writer's clock is wrong", length);

        orderUpdate();
        buffer.putLong(BODY, 0, ByteOrder.LITTLE_ENDIAN);
        assertFailure("OrderUpdate.appendTimeNs 0 is outside the times the history holds, 2000-01-01 to 2200-01-01: " +
            "the writer's clock is wrong", length);
    }

    @Test
    void shouldCheckVarDataAndThePairOnlyOfAPairScopedUnlock()
    {
        int length = pairUnlock(UnlockScope.REASON, "", "cooling down");
        assertNull(reader.read(3, buffer, 0, length, visitor));
        assertEquals(List.of(
            "start PairUnlock 3 1700000000000000000",
            "appendTimeNs ns 1700000000000000000",
            "unlockTimeMs ms 1700000000000",
            "scope enum reason",
            "pair null",
            "side enum *",
            "reason text cooling down",
            "end"), visitor.calls);

        length = pairUnlock(UnlockScope.PAIR, "", "cooling down");
        assertFailure("PairUnlock.pair is required but empty", length);

        length = pairUnlock(UnlockScope.PAIR, "ETH/USDT", "caf\u00e9");
        buffer.putByte(length - 1, (byte)0xC3);
        assertFailure("PairUnlock.reason is not valid UTF-8 or contains a NUL", length);

        length = pairUnlock(UnlockScope.PAIR, "ETH/USDT", "cooling down");
        assertFailure("PairUnlock.reason truncated: 12 bytes announced, 11 present", length - 1);
        assertFailure("PairUnlock.reason truncated: no room for its length", length - 13);
    }

    @Test
    void shouldReadANewerWritersLongerBlockAndRefuseAShorterOrOlderOne()
    {
        final int length = pairUnlock(UnlockScope.PAIR, "ETH/USDT", "r");
        final int blockLength = JournalMessage.PAIR_UNLOCK.blockLength();

        // A newer writer: 8 more bytes of fields this reader does not know, then the var-data it does.
        final UnsafeBuffer newer = new UnsafeBuffer(new byte[length + 8]);
        newer.putBytes(0, buffer, 0, BODY + blockLength);
        newer.putBytes(BODY + blockLength + 8, buffer, BODY + blockLength, length - BODY - blockLength);
        newer.putShort(0, (short)(blockLength + 8), ByteOrder.LITTLE_ENDIAN);
        newer.putShort(6, (short)2, ByteOrder.LITTLE_ENDIAN);
        assertNull(reader.read(1, newer, 0, length + 8, visitor));
        assertEquals("reason text r", visitor.calls.get(visitor.calls.size() - 2));

        buffer.putShort(6, (short)0, ByteOrder.LITTLE_ENDIAN);
        assertFailure("PairUnlock: schema version 0 is older than any writer", length);

        buffer.putShort(6, (short)1, ByteOrder.LITTLE_ENDIAN);
        buffer.putShort(0, (short)(blockLength - 1), ByteOrder.LITTLE_ENDIAN);
        assertFailure("PairUnlock: block of " + (blockLength - 1) + " bytes is shorter than the " + blockLength +
            " of schema version 1", length);
    }

    @Test
    void shouldRefuseWhatIsNotAnEventOfThisSchema()
    {
        final int length = orderUpdate();
        assertFailure("truncated: 7 bytes, shorter than the 8-byte message header", 7);
        assertFailure("truncated: 100 bytes, the header announces a block of " +
            JournalMessage.ORDER_UPDATE.blockLength(), 100);

        buffer.putShort(2, (short)99, ByteOrder.LITTLE_ENDIAN);
        assertFailure("unknown template id 99", length);

        buffer.putShort(4, (short)1, ByteOrder.LITTLE_ENDIAN);
        assertFailure("unknown schema id 1 (expected 7301)", length);
        assertThrows(IllegalStateException.class, () -> reader.visit(1, visitor));
    }

    private void assertFailure(final String expected, final int length)
    {
        visitor.calls.clear();
        assertEquals(expected, reader.read(1, buffer, 0, length, visitor));
        assertEquals(List.of(), visitor.calls);
        assertNull(reader.message());
    }

    private int orderUpdate()
    {
        buffer.setMemory(0, buffer.capacity(), (byte)0);
        final OrderUpdateEncoder encoder = new OrderUpdateEncoder().wrapAndApplyHeader(buffer, 0, header)
            .appendTimeNs(1700000000000000000L)
            .exchangeTimeMs(1700000000123L)
            .receiveTimeNs(Long.MIN_VALUE)
            .tradeId(7)
            .exchange("binance")
            .symbol("BTC/USDT")
            .orderId("123")
            .clientOrderId("")
            .side(Side.BUY)
            .orderType(OrderType.LIMIT)
            .timeInForce(TimeInForce.NULL_VAL)
            .status(OrderStatus.PARTIALLY_FILLED)
            .reduceOnly(BooleanType.FALSE);
        encoder.price().mantissa(6512345).exponent((byte)-2);
        encoder.stopPrice().mantissa(Long.MIN_VALUE).exponent((byte)0);
        encoder.amount().mantissa(15).exponent((byte)-1);
        encoder.filled().mantissa(Long.MIN_VALUE).exponent((byte)0);
        encoder.remaining().mantissa(Long.MIN_VALUE).exponent((byte)0);
        encoder.average().mantissa(Long.MIN_VALUE).exponent((byte)0);
        encoder.cost().mantissa(Long.MIN_VALUE).exponent((byte)0);
        encoder.feeCost().mantissa(Long.MIN_VALUE).exponent((byte)0);
        encoder.feeCurrency("");
        encoder.leverage().mantissa(Long.MIN_VALUE).exponent((byte)0);
        encoder.origin(EventOrigin.RECONCILIATION).reconcileTimeMs(1700000000456L);
        return BODY + encoder.encodedLength();
    }

    private int pairUnlock(final UnlockScope scope, final String pair, final String reason)
    {
        buffer.setMemory(0, buffer.capacity(), (byte)0);
        final PairUnlockEncoder encoder = new PairUnlockEncoder().wrapAndApplyHeader(buffer, 0, header)
            .appendTimeNs(1700000000000000000L)
            .unlockTimeMs(1700000000000L)
            .scope(scope)
            .pair(pair)
            .side(LockSide.ANY)
            .reason(reason);
        return BODY + encoder.encodedLength();
    }

    static final class RecordingVisitor implements JournalEventVisitor
    {
        final List<String> calls = new ArrayList<>();

        public void onEventStart(final JournalMessage message, final long index, final long appendTimeNs)
        {
            calls.add("start " + message.messageName() + " " + index + " " + appendTimeNs);
        }

        public void onNull(final JournalField field)
        {
            calls.add(field + " null");
        }

        public void onTimeNs(final JournalField field, final long epochNs)
        {
            calls.add(field + " ns " + epochNs);
        }

        public void onTimeMs(final JournalField field, final long epochMs)
        {
            calls.add(field + " ms " + epochMs);
        }

        public void onNumber(final JournalField field, final long value)
        {
            calls.add(field + " " + value);
        }

        public void onText(final JournalField field, final DirectBuffer buffer, final int offset, final int length)
        {
            calls.add(field + " text " + buffer.getStringWithoutLengthUtf8(offset, length));
        }

        public void onEnum(final JournalField field, final int ordinal)
        {
            calls.add(field + " enum " + field.enumName(ordinal));
        }

        public void onBoolean(final JournalField field, final boolean value)
        {
            calls.add(field + " " + value);
        }

        public void onDecimal(final JournalField field, final long mantissa, final int exponent)
        {
            calls.add(field + " decimal " + mantissa + "e" + exponent);
        }

        public void onEventEnd()
        {
            calls.add("end");
        }
    }
}
