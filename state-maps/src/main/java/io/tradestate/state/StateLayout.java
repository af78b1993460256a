package io.tradestate.state;

import io.tradestate.codecs.BalanceUpdateDecoder;
import io.tradestate.codecs.LockSide;
import io.tradestate.codecs.MessageHeaderDecoder;
import io.tradestate.codecs.OrderUpdateDecoder;
import io.tradestate.codecs.TradeUpdateDecoder;
import io.tradestate.codecs.event.EventRules;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * The byte layout of the state maps' keys and values, shared by the publisher that writes them and the view that
 * reads them. Every key and value of a map has the same size, so that an update is always in place.
 * <p>
 * Keys are fixed ASCII fields, zero padded, exactly as SBE lays out the journal's fixed-length char arrays, so the
 * publisher copies them from the excerpt as they are and the view encodes a lookup's arguments the same way.
 * <pre>
 *   orders     exchange[16] orderId[64]                          80 bytes
 *   trades     sourceId[32] tradeId int64                        40 bytes
 *   pair locks sourceId[32] pair[32] side uint8 (LockSide) pad   72 bytes
 *   balances   exchange[16] asset[16]                            32 bytes
 * </pre>
 * Values of orders, trades and balances start with a header, then hold the journal message the entry was last
 * updated from, with its SBE header, byte for byte (so the view decodes it with the generated decoders):
 * <pre>
 *   0  int32   message length (0: empty)
 *   4  int32   reserved
 *   8  int64   queue index of the event last applied
 *   16 int64   append time of that event, ns since the epoch
 *   24 char[32] source id (the journal the event came from)
 *   56 message: SBE header and body, room for the full var-data of TradeUpdate and 64 bytes of growth
 * </pre>
 * Values of pair locks keep the same header, with the number of locks in place of the message length, then up to
 * {@link #LOCK_SLOTS} active locks of that source, pair and side, each {@link #LOCK_SLOT_LENGTH} bytes:
 * <pre>
 *   0  int64 queue index of the PairLock event    32 int32 reason length in bytes (full)
 *   8  int64 lock time, ms                         36 char[32] source id of the journal that took the lock
 *   16 int64 lock end time, ms                     68 reason, first 60 bytes of UTF-8
 *   24 int64 64-bit FNV-1a hash of the full reason
 * </pre>
 * The locks every source honours (a {@code PairLock} with {@code allSources}) are kept under the source id
 * {@link #ALL_SOURCES}, which no journal can have, each slot naming the source that took the lock.
 */
public final class StateLayout
{
    /**
     * The source id of the pair lock keys that hold the locks every source honours: not a valid source id
     * ({@link EventRules#isValidSourceId}), so no journal's own locks share them.
     */
    public static final String ALL_SOURCES = "*";

    /**
     * Length of an exchange id.
     */
    public static final int EXCHANGE_LENGTH = 16;

    /**
     * Length of an order id.
     */
    public static final int ORDER_ID_LENGTH = 64;

    /**
     * Length of a source id: the longest one the rule allows ({@link EventRules#MAX_SOURCE_ID_LENGTH}).
     */
    public static final int SOURCE_ID_LENGTH = EventRules.MAX_SOURCE_ID_LENGTH;

    /**
     * Length of a pair (symbol).
     */
    public static final int PAIR_LENGTH = 32;

    /**
     * Length of an asset code.
     */
    public static final int ASSET_LENGTH = 16;

    /**
     * Size of an order key.
     */
    public static final int ORDER_KEY_LENGTH = EXCHANGE_LENGTH + ORDER_ID_LENGTH;

    /**
     * Size of a trade key.
     */
    public static final int TRADE_KEY_LENGTH = SOURCE_ID_LENGTH + 8;

    /**
     * Offset of the side in a pair lock key.
     */
    public static final int LOCK_KEY_SIDE_OFFSET = SOURCE_ID_LENGTH + PAIR_LENGTH;

    /**
     * Size of a pair lock key.
     */
    public static final int LOCK_KEY_LENGTH = LOCK_KEY_SIDE_OFFSET + 8;

    /**
     * Size of a balance key.
     */
    public static final int BALANCE_KEY_LENGTH = EXCHANGE_LENGTH + ASSET_LENGTH;

    /**
     * Offset of the message length (or lock count) in a value.
     */
    public static final int LENGTH_OFFSET = 0;

    /**
     * Offset of the queue index of the last event applied.
     */
    public static final int QUEUE_INDEX_OFFSET = 8;

    /**
     * Offset of the append time of the last event applied.
     */
    public static final int APPEND_TIME_OFFSET = 16;

    /**
     * Offset of the source id.
     */
    public static final int SOURCE_ID_OFFSET = 24;

    /**
     * Offset of the message, or of the first lock slot.
     */
    public static final int MESSAGE_OFFSET = SOURCE_ID_OFFSET + SOURCE_ID_LENGTH;

    /**
     * Room left in a value for fields that later schema versions add at the end of a block.
     */
    public static final int GROWTH = 64;

    /**
     * Size of an order value.
     */
    public static final int ORDER_VALUE_LENGTH = align(MESSAGE_OFFSET + MessageHeaderDecoder.ENCODED_LENGTH +
        OrderUpdateDecoder.BLOCK_LENGTH + GROWTH);

    /**
     * Size of a trade value: the block and both var-data fields at their longest.
     */
    public static final int TRADE_VALUE_LENGTH = align(MESSAGE_OFFSET + MessageHeaderDecoder.ENCODED_LENGTH +
        TradeUpdateDecoder.BLOCK_LENGTH + 2 * (2 + 1024) + GROWTH);

    /**
     * Size of a balance value.
     */
    public static final int BALANCE_VALUE_LENGTH = align(MESSAGE_OFFSET + MessageHeaderDecoder.ENCODED_LENGTH +
        BalanceUpdateDecoder.BLOCK_LENGTH + GROWTH);

    /**
     * Active locks kept per source, pair and side; past it the lock that ends first is dropped.
     */
    public static final int LOCK_SLOTS = 8;

    /**
     * Size of one lock slot.
     */
    public static final int LOCK_SLOT_LENGTH = 128;

    /**
     * Offset in a lock slot: queue index of the lock.
     */
    public static final int SLOT_INDEX_OFFSET = 0;

    /**
     * Offset in a lock slot: lock time in ms.
     */
    public static final int SLOT_LOCK_TIME_OFFSET = 8;

    /**
     * Offset in a lock slot: lock end time in ms.
     */
    public static final int SLOT_LOCK_END_OFFSET = 16;

    /**
     * Offset in a lock slot: hash of the reason.
     */
    public static final int SLOT_REASON_HASH_OFFSET = 24;

    /**
     * Offset in a lock slot: full length of the reason.
     */
    public static final int SLOT_REASON_LENGTH_OFFSET = 32;

    /**
     * Offset in a lock slot: the source id of the journal that took the lock, zero padded.
     */
    public static final int SLOT_SOURCE_ID_OFFSET = 36;

    /**
     * Offset in a lock slot: the first bytes of the reason.
     */
    public static final int SLOT_REASON_OFFSET = SLOT_SOURCE_ID_OFFSET + SOURCE_ID_LENGTH;

    /**
     * Reason bytes kept in a lock slot.
     */
    public static final int SLOT_REASON_CAPACITY = LOCK_SLOT_LENGTH - SLOT_REASON_OFFSET;

    /**
     * Size of a pair lock value.
     */
    public static final int LOCK_VALUE_LENGTH = MESSAGE_OFFSET + LOCK_SLOTS * LOCK_SLOT_LENGTH;

    private static final long FNV_OFFSET_BASIS = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private StateLayout()
    {
    }

    /**
     * Encode an order key.
     *
     * @param key      to fill.
     * @param exchange CCXT exchange id.
     * @param orderId  exchange order id.
     */
    public static void orderKey(final StateRecord key, final CharSequence exchange, final CharSequence orderId)
    {
        final MutableDirectBuffer buffer = key.buffer();
        putAscii(buffer, 0, EXCHANGE_LENGTH, exchange, "exchange");
        putAscii(buffer, EXCHANGE_LENGTH, ORDER_ID_LENGTH, orderId, "orderId");
    }

    /**
     * Encode a trade key.
     *
     * @param key      to fill.
     * @param sourceId journal the trade is recorded in.
     * @param tradeId  the strategy's trade id.
     */
    public static void tradeKey(final StateRecord key, final CharSequence sourceId, final long tradeId)
    {
        final MutableDirectBuffer buffer = key.buffer();
        putAscii(buffer, 0, SOURCE_ID_LENGTH, sourceId, "sourceId");
        buffer.putLong(SOURCE_ID_LENGTH, tradeId, ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Encode a pair lock key.
     *
     * @param key      to fill.
     * @param sourceId journal the lock is recorded in.
     * @param pair     pair, or {@code *}.
     * @param side     lock side.
     */
    public static void lockKey(
        final StateRecord key, final CharSequence sourceId, final CharSequence pair, final LockSide side)
    {
        final MutableDirectBuffer buffer = key.buffer();
        putAscii(buffer, 0, SOURCE_ID_LENGTH, sourceId, "sourceId");
        putAscii(buffer, SOURCE_ID_LENGTH, PAIR_LENGTH, pair, "pair");
        buffer.setMemory(LOCK_KEY_SIDE_OFFSET, LOCK_KEY_LENGTH - LOCK_KEY_SIDE_OFFSET, (byte)0);
        buffer.putByte(LOCK_KEY_SIDE_OFFSET, (byte)side.value());
    }

    /**
     * Encode a balance key.
     *
     * @param key      to fill.
     * @param exchange CCXT exchange id.
     * @param asset    currency code.
     */
    public static void balanceKey(final StateRecord key, final CharSequence exchange, final CharSequence asset)
    {
        final MutableDirectBuffer buffer = key.buffer();
        putAscii(buffer, 0, EXCHANGE_LENGTH, exchange, "exchange");
        putAscii(buffer, EXCHANGE_LENGTH, ASSET_LENGTH, asset, "asset");
    }

    /**
     * Write a value's source id from text.
     *
     * @param value    to fill.
     * @param sourceId the journal's source id.
     */
    public static void sourceId(final StateRecord value, final CharSequence sourceId)
    {
        putAscii(value.buffer(), SOURCE_ID_OFFSET, SOURCE_ID_LENGTH, sourceId, "sourceId");
    }

    /**
     * Whether a zero-padded ASCII field equals some text.
     *
     * @param buffer holding the field.
     * @param offset of the field.
     * @param length of the field.
     * @param text   to compare with.
     * @return true if the field holds exactly the text.
     */
    public static boolean asciiEquals(
        final DirectBuffer buffer, final int offset, final int length, final CharSequence text)
    {
        final int textLength = text.length();
        if (textLength > length)
        {
            return false;
        }
        for (int i = 0; i < textLength; i++)
        {
            if (buffer.getByte(offset + i) != (byte)text.charAt(i))
            {
                return false;
            }
        }
        return textLength == length || 0 == buffer.getByte(offset + textLength);
    }

    /**
     * Append a zero-padded ASCII field to a builder, without its padding.
     *
     * @param buffer holding the field.
     * @param offset of the field.
     * @param length of the field.
     * @param into   the builder.
     * @return the builder.
     */
    public static StringBuilder appendAscii(
        final DirectBuffer buffer, final int offset, final int length, final StringBuilder into)
    {
        for (int i = 0; i < length; i++)
        {
            final byte b = buffer.getByte(offset + i);
            if (0 == b)
            {
                break;
            }
            into.append((char)b);
        }
        return into;
    }

    /**
     * 64-bit FNV-1a hash of bytes: how a lock's reason is matched by an unlock on reason.
     *
     * @param buffer holding the bytes.
     * @param offset of the first byte.
     * @param length in bytes.
     * @return the hash.
     */
    public static long reasonHash(final DirectBuffer buffer, final int offset, final int length)
    {
        long hash = FNV_OFFSET_BASIS;
        for (int i = 0; i < length; i++)
        {
            hash ^= buffer.getByte(offset + i) & 0xFF;
            hash *= FNV_PRIME;
        }
        return hash;
    }

    private static void putAscii(
        final MutableDirectBuffer buffer, final int offset, final int length, final CharSequence value,
        final String field)
    {
        if (null == value)
        {
            throw new IllegalArgumentException(field + " must not be null");
        }
        final int valueLength = value.length();
        if (valueLength > length)
        {
            throw new IllegalArgumentException(field + " is longer than " + length + " characters: " + valueLength);
        }
        for (int i = 0; i < valueLength; i++)
        {
            final char c = value.charAt(i);
            if (c < 0x20 || c > 0x7E)
            {
                throw new IllegalArgumentException(field + " has a character that is not printable ASCII at " + i);
            }
            buffer.putByte(offset + i, (byte)c);
        }
        buffer.setMemory(offset + valueLength, length - valueLength, (byte)0);
    }

    private static int align(final int length)
    {
        return (length + 7) & ~7;
    }
}
