package io.tradestate.codecs.event;

import io.tradestate.codecs.MessageHeaderDecoder;
import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * Decodes one journal excerpt in place, checks it against {@link JournalMessage}'s description of its message, and
 * hands its fields to a {@link JournalEventVisitor}: the one place where an event is decided to be acceptable.
 * <p>
 * Design: {@link #check} walks the fields once without a visitor and stops at the first that fails; {@link #visit}
 * walks them again into the visitor, so a visitor never sees a bad event and needs no way to undo one. A walk reads
 * the excerpt where it lies and allocates nothing; only a failure builds its reason. The checks: a known schema and
 * template, a version no older than any writer's and a block no shorter than that version's, fixed text printable
 * ASCII and zero-padded, var-data inside the excerpt and valid UTF-8 without NUL, enums and booleans in range,
 * decimal exponents in [{@link EventRules#MIN_EXPONENT}, {@link EventRules#MAX_EXPONENT}], millisecond times from
 * 1970 to 9999, the append time from 2000 to 2200 ({@link EventRules#MIN_APPEND_TIME_NS}: outside it the writer's
 * clock is wrong, and the drain and the state maps refuse it alike), required fields present. The header's block
 * length and version are honoured as SBE's rules say: a newer writer's extra fields are skipped, a field newer than
 * the excerpt's version reads as null.
 * <p>
 * A reader holds the last excerpt checked; one reader per thread.
 */
public final class JournalEventReader
{
    private static final JournalField UNLOCK_SCOPE = JournalMessage.PAIR_UNLOCK.field("scope");
    private static final int PAIR_SCOPE = 0;

    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private JournalMessage message;
    private DirectBuffer buffer;
    private int bodyOffset;
    private int blockLength;
    private int version;
    private int limit;
    private long appendTimeNs;
    private boolean checked;

    /**
     * Check one excerpt, then visit its fields if it passed.
     *
     * @param index   the excerpt's queue index, handed to the visitor.
     * @param buffer  the excerpt's bytes.
     * @param offset  of the excerpt in the buffer.
     * @param length  of the excerpt.
     * @param visitor to receive the fields.
     * @return null if the event was visited, else why it cannot be accepted.
     */
    public String read(
        final long index, final DirectBuffer buffer, final int offset, final int length,
        final JournalEventVisitor visitor)
    {
        final String failure = check(buffer, offset, length);
        if (null == failure)
        {
            visit(index, visitor);
        }
        return failure;
    }

    /**
     * Check one excerpt; the reader keeps it for {@link #visit}, {@link #message()} and {@link #appendTimeNs()}.
     *
     * @param buffer the excerpt's bytes.
     * @param offset of the excerpt in the buffer.
     * @param length of the excerpt.
     * @return null if the event is acceptable, else why it is not, naming the message and the field:
     * {@code OrderUpdate.amount is required but null}.
     */
    public String check(final DirectBuffer buffer, final int offset, final int length)
    {
        checked = false;
        message = null;
        appendTimeNs = EventRules.NULL_INT64;
        if (length < MessageHeaderDecoder.ENCODED_LENGTH)
        {
            return "truncated: " + length + " bytes, shorter than the " + MessageHeaderDecoder.ENCODED_LENGTH +
                "-byte message header";
        }

        header.wrap(buffer, offset);
        final int schemaId = header.schemaId();
        if (MessageHeaderDecoder.SCHEMA_ID != schemaId)
        {
            return "unknown schema id " + schemaId + " (expected " + MessageHeaderDecoder.SCHEMA_ID + ")";
        }

        final int blockLength = header.blockLength();
        final int bodyOffset = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        final int limit = offset + length;
        if (bodyOffset + blockLength > limit)
        {
            return "truncated: " + length + " bytes, the header announces a block of " + blockLength;
        }

        final int templateId = header.templateId();
        final JournalMessage message = JournalMessage.of(templateId);
        if (null == message)
        {
            return "unknown template id " + templateId;
        }

        final int version = header.version();
        if (version < 1)
        {
            return message.messageName() + ": schema version " + version + " is older than any writer";
        }

        final int versionBlockLength = message.blockLength(version);
        if (blockLength < versionBlockLength)
        {
            // A writer of the same or a newer version never shortens a block: fields are only ever appended.
            return message.messageName() + ": block of " + blockLength + " bytes is shorter than the " +
                versionBlockLength + " of schema version " + Math.min(version, MessageHeaderDecoder.SCHEMA_VERSION);
        }

        this.message = message;
        this.buffer = buffer;
        this.bodyOffset = bodyOffset;
        this.blockLength = blockLength;
        this.version = version;
        this.limit = limit;
        final String failure = walk(null);
        if (null == failure)
        {
            checked = true;
            appendTimeNs = buffer.getLong(bodyOffset, ByteOrder.LITTLE_ENDIAN);
        }
        else
        {
            this.message = null;
        }
        return failure;
    }

    /**
     * Visit the fields of the excerpt last {@link #check checked}, which passed.
     *
     * @param index   the excerpt's queue index, handed to the visitor.
     * @param visitor to receive the fields.
     * @throws IllegalStateException if the last excerpt checked did not pass.
     */
    public void visit(final long index, final JournalEventVisitor visitor)
    {
        if (!checked)
        {
            throw new IllegalStateException("no acceptable excerpt to visit: check one first");
        }
        visitor.onEventStart(message, index, appendTimeNs);
        walk(visitor);
        visitor.onEventEnd();
    }

    /**
     * The message of the excerpt last checked.
     *
     * @return the message, or null if the excerpt failed its check.
     */
    public JournalMessage message()
    {
        return message;
    }

    /**
     * The append time of the excerpt last checked.
     *
     * @return nanoseconds since the epoch, {@link Long#MIN_VALUE} if the excerpt failed its check.
     */
    public long appendTimeNs()
    {
        return appendTimeNs;
    }

    /**
     * Walk the fields of the excerpt, checking each, into the visitor if there is one.
     *
     * @return null, or the first failure.
     */
    private String walk(final JournalEventVisitor visitor)
    {
        final DirectBuffer buffer = this.buffer;
        final JournalMessage message = this.message;
        int varPosition = bodyOffset + blockLength;
        boolean pairScope = true;
        for (int i = 0, count = message.fieldCount(); i < count; i++)
        {
            final JournalField field = message.field(i);
            if (field.sinceVersion() > version)
            {
                if (null != visitor)
                {
                    // Absent, as SBE's rules say, whatever its kind: a var-data field too reads as null, not empty.
                    visitor.onNull(field);
                }
                continue;
            }

            final int at = bodyOffset + field.offset();
            final boolean required = Presence.REQUIRED == field.presence() ||
                (Presence.REQUIRED_FOR_PAIR_SCOPE == field.presence() && pairScope);
            switch (field.kind())
            {
                case TIME_NS:
                {
                    final long value = buffer.getLong(at, ByteOrder.LITTLE_ENDIAN);
                    if (required && value < 0)
                    {
                        return fail(field, "is not a time: " + value);
                    }
                    if (required && (value < EventRules.MIN_APPEND_TIME_NS || value >= EventRules.MAX_APPEND_TIME_NS))
                    {
                        return fail(field, value + " is outside the times the history holds, 2000-01-01 to " +
                            "2200-01-01: the writer's clock is wrong");
                    }
                    if (null != visitor)
                    {
                        if (EventRules.NULL_INT64 == value)
                        {
                            visitor.onNull(field);
                        }
                        else
                        {
                            visitor.onTimeNs(field, value);
                        }
                    }
                    break;
                }

                case TIME_MS:
                {
                    final long value = buffer.getLong(at, ByteOrder.LITTLE_ENDIAN);
                    if (EventRules.NULL_INT64 == value)
                    {
                        if (required)
                        {
                            return fail(field, "is required but null");
                        }
                        if (null != visitor)
                        {
                            visitor.onNull(field);
                        }
                    }
                    else if (value < 0 || value > EventRules.MAX_EPOCH_MS)
                    {
                        return fail(field, "is not a time: " + value);
                    }
                    else if (null != visitor)
                    {
                        visitor.onTimeMs(field, value);
                    }
                    break;
                }

                case INT64:
                {
                    final long value = buffer.getLong(at, ByteOrder.LITTLE_ENDIAN);
                    if (EventRules.NULL_INT64 == value && Presence.ALWAYS != field.presence())
                    {
                        if (required)
                        {
                            return fail(field, "is required but null");
                        }
                        if (null != visitor)
                        {
                            visitor.onNull(field);
                        }
                    }
                    else if (null != visitor)
                    {
                        visitor.onNumber(field, value);
                    }
                    break;
                }

                case UINT16:
                    if (null != visitor)
                    {
                        visitor.onNumber(field, buffer.getShort(at, ByteOrder.LITTLE_ENDIAN) & 0xFFFF);
                    }
                    break;

                case ASCII:
                {
                    final int length = EventRules.asciiLength(buffer, at, field.length());
                    if (length < 0)
                    {
                        return fail(field, "is not printable ASCII");
                    }
                    if (0 == length)
                    {
                        if (required)
                        {
                            return fail(field, "is required but empty");
                        }
                        if (null != visitor)
                        {
                            visitor.onNull(field);
                        }
                    }
                    else if (null != visitor)
                    {
                        visitor.onText(field, buffer, at, length);
                    }
                    break;
                }

                case ENUM:
                {
                    final short raw = (short)(buffer.getByte(at) & 0xFF);
                    if (EventRules.NULL_ENUM == raw)
                    {
                        if (required)
                        {
                            return fail(field, "is required but null");
                        }
                        if (null != visitor)
                        {
                            visitor.onNull(field);
                        }
                    }
                    else if (raw >= field.enumValues())
                    {
                        return fail(field, "invalid enum value " + raw);
                    }
                    else if (null != visitor)
                    {
                        visitor.onEnum(field, raw);
                    }
                    if (UNLOCK_SCOPE == field)
                    {
                        pairScope = PAIR_SCOPE == raw;
                    }
                    break;
                }

                case BOOLEAN:
                {
                    final short raw = (short)(buffer.getByte(at) & 0xFF);
                    if (raw > 1)
                    {
                        return fail(field, "invalid boolean value " + raw);
                    }
                    if (null != visitor)
                    {
                        visitor.onBoolean(field, 1 == raw);
                    }
                    break;
                }

                case DECIMAL:
                {
                    final long mantissa = buffer.getLong(at, ByteOrder.LITTLE_ENDIAN);
                    final int exponent = buffer.getByte(at + Long.BYTES);
                    if (EventRules.NULL_INT64 == mantissa)
                    {
                        if (required)
                        {
                            return fail(field, "is required but null");
                        }
                        if (null != visitor)
                        {
                            visitor.onNull(field);
                        }
                    }
                    else if (exponent < EventRules.MIN_EXPONENT || exponent > EventRules.MAX_EXPONENT)
                    {
                        return fail(field, "exponent " + exponent + " is outside [" + EventRules.MIN_EXPONENT + ", " +
                            EventRules.MAX_EXPONENT + "]");
                    }
                    else if (null != visitor)
                    {
                        visitor.onDecimal(field, mantissa, exponent);
                    }
                    break;
                }

                case UTF8:
                {
                    // Var-data fields follow each other in schema order after the block.
                    final int position = varPosition;
                    if (position + Short.BYTES > limit)
                    {
                        return fail(field, "truncated: no room for its length");
                    }
                    final int length = buffer.getShort(position, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
                    final int textOffset = position + Short.BYTES;
                    if (textOffset + length > limit)
                    {
                        return fail(field, "truncated: " + length + " bytes announced, " + (limit - textOffset) +
                            " present");
                    }
                    if (!EventRules.isValidUtf8(buffer, textOffset, length))
                    {
                        return fail(field, "is not valid UTF-8 or contains a NUL");
                    }
                    if (null != visitor)
                    {
                        visitor.onText(field, buffer, textOffset, length);
                    }
                    varPosition = textOffset + length;
                    break;
                }

                default:
                    throw new IllegalStateException("unknown field kind " + field.kind());
            }
        }
        return null;
    }

    private String fail(final JournalField field, final String why)
    {
        return message.messageName() + "." + field.name() + " " + why;
    }
}
