package io.tradestate.codecs.event;

import io.tradestate.codecs.BooleanType;
import io.tradestate.codecs.LockSide;
import io.tradestate.codecs.MessageHeaderEncoder;
import io.tradestate.codecs.PairLockEncoder;
import io.tradestate.codecs.PairUnlockEncoder;
import io.tradestate.codecs.UnlockScope;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * {@link HistoryRowWalker} gives every column of the row's table once, in order: the leading columns, the action,
 * each field in its column, NULL in a column the message does not have.
 */
class HistoryRowWalkerTest
{
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final JournalEventReader reader = new JournalEventReader();
    private final RecordingSink sink = new RecordingSink();
    private final HistoryRowWalker walker = new HistoryRowWalker(sink).sourceId("alpha");

    @Test
    void shouldWriteAPairLockAndAPairUnlockIntoTheSameColumns()
    {
        final PairLockEncoder lock = new PairLockEncoder().wrapAndApplyHeader(buffer, 0, header)
            .appendTimeNs(1_700_000_000_123_456_789L)
            .lockTimeMs(1_700_000_000_000L)
            .lockEndTimeMs(1_700_000_600_000L)
            .pair("ETH/USDT")
            .side(LockSide.LONG)
            .allSources(BooleanType.TRUE)
            .reason("volatile");
        assertNull(reader.read(7, buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + lock.encodedLength(), walker));

        assertEquals(List.of(
            "begin pair_lock_events",
            "0 source_id alpha",
            "1 queue_index 7",
            "2 append_time 1700000000123456us",
            "3 action lock",
            "4 append_time_ns 1700000000123456789",
            "5 event_time 1700000000000000us",
            "6 lock_end_time 1700000600000000us",
            "7 pair ETH/USDT",
            "8 side long",
            "9 all_sources true",
            "10 reason volatile",
            "end"), sink.calls);

        sink.calls.clear();
        final PairUnlockEncoder unlock = new PairUnlockEncoder().wrapAndApplyHeader(buffer, 0, header)
            .appendTimeNs(1_700_000_001_000_000_000L)
            .unlockTimeMs(1_700_000_001_000L)
            .scope(UnlockScope.REASON)
            .pair("")
            .side(LockSide.ANY)
            .reason("");
        assertNull(reader.read(8, buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + unlock.encodedLength(), walker));

        assertEquals(List.of(
            "begin pair_lock_events",
            "0 source_id alpha",
            "1 queue_index 8",
            "2 append_time 1700000001000000us",
            "3 action unlock",
            "4 append_time_ns 1700000001000000000",
            "5 event_time 1700000001000000us",
            "6 lock_end_time null",
            "7 pair null",
            "8 side *",
            "9 all_sources null",
            "10 reason ",
            "end"), sink.calls);
    }

    @Test
    void shouldReadAPairLockOfAVersionOneWriterWithoutItsAllSourcesColumn()
    {
        // A version-1 writer's PairLock: the block ends before allSources (a version-2 field), the reason follows it.
        final UnsafeBuffer current = new UnsafeBuffer(new byte[512]);
        final PairLockEncoder lock = new PairLockEncoder().wrapAndApplyHeader(current, 0, header)
            .appendTimeNs(1_700_000_000_123_456_789L)
            .lockTimeMs(1_700_000_000_000L)
            .lockEndTimeMs(1_700_000_600_000L)
            .pair("ETH/USDT")
            .side(LockSide.SHORT)
            .allSources(BooleanType.TRUE)
            .reason("volatile");
        final int versionOneBlock = JournalMessage.PAIR_LOCK.blockLength(1);
        assertEquals(PairLockEncoder.BLOCK_LENGTH - 1, versionOneBlock);
        final int body = MessageHeaderEncoder.ENCODED_LENGTH;
        buffer.putBytes(0, current, 0, body + versionOneBlock);
        buffer.putBytes(body + versionOneBlock, current, body + PairLockEncoder.BLOCK_LENGTH,
            lock.encodedLength() - PairLockEncoder.BLOCK_LENGTH);
        new MessageHeaderEncoder().wrap(buffer, 0).blockLength(versionOneBlock).version(1);

        assertNull(reader.read(7, buffer, 0, body + lock.encodedLength() - 1, walker));

        assertEquals(List.of(
            "begin pair_lock_events",
            "0 source_id alpha",
            "1 queue_index 7",
            "2 append_time 1700000000123456us",
            "3 action lock",
            "4 append_time_ns 1700000000123456789",
            "5 event_time 1700000000000000us",
            "6 lock_end_time 1700000600000000us",
            "7 pair ETH/USDT",
            "8 side short",
            "9 all_sources null",
            "10 reason volatile",
            "end"), sink.calls);
    }

    @Test
    void shouldMakeNoRowOfAMessageWithoutAHistoryTable()
    {
        final io.tradestate.codecs.HeartbeatEncoder heartbeat = new io.tradestate.codecs.HeartbeatEncoder()
            .wrapAndApplyHeader(buffer, 0, header)
            .appendTimeNs(1_700_000_002_000_000_000L)
            .startTimeNs(1_700_000_000_000_000_000L)
            .pid(42)
            .schemaVersion(1)
            .sourceId("alpha")
            .host("h");
        assertNull(reader.read(1, buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + heartbeat.encodedLength(), walker));

        assertEquals(List.of(), sink.calls);
    }

    static final class RecordingSink implements HistoryRowSink
    {
        final List<String> calls = new ArrayList<>();
        private HistoryTable table;

        public void beginRow(final HistoryTable table)
        {
            this.table = table;
            calls.add("begin " + table.tableName());
        }

        public void nullColumn(final int column)
        {
            add(column, "null");
        }

        public void textColumn(final int column, final CharSequence value)
        {
            add(column, value.toString());
        }

        public void asciiColumn(final int column, final DirectBuffer buffer, final int offset, final int length)
        {
            add(column, buffer.getStringWithoutLengthAscii(offset, length));
        }

        public void utf8Column(final int column, final DirectBuffer buffer, final int offset, final int length)
        {
            add(column, buffer.getStringWithoutLengthUtf8(offset, length));
        }

        public void bigintColumn(final int column, final long value)
        {
            add(column, Long.toString(value));
        }

        public void booleanColumn(final int column, final boolean value)
        {
            add(column, Boolean.toString(value));
        }

        public void timestampColumn(final int column, final long epochUs)
        {
            add(column, epochUs + "us");
        }

        public void decimalColumn(final int column, final long mantissa, final int exponent)
        {
            add(column, mantissa + "e" + exponent);
        }

        public void endRow()
        {
            calls.add("end");
        }

        private void add(final int column, final String value)
        {
            calls.add(column + " " + table.columnName(column) + " " + value);
        }
    }
}
