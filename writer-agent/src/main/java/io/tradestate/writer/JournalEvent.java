package io.tradestate.writer;

import io.tradestate.codecs.event.EventRules;
import org.agrona.MutableDirectBuffer;

import java.math.BigDecimal;

/**
 * Base of the reusable event flyweights: a journal event is started by a {@link TradeJournal} method such as
 * {@link TradeJournal#orderUpdate()}, filled by its setters and appended by {@link #commit()}.
 * <p>
 * Setters validate and stage the value at once, so an invalid argument fails at the call that passed it, with an
 * {@link IllegalArgumentException} naming the field; that event is then discarded and {@link #commit()} refuses it.
 * Nothing is written to the journal before {@link #commit()}, which checks the required fields, opens one excerpt,
 * encodes the event straight into the queue's mapped memory and closes it: the journal's write lock is held for the
 * encoding alone, never across the caller's code, and no reader can ever see half an event.
 * <p>
 * Each thread has its own instance of each event type; an event must not be handed to another thread, and a thread
 * starts a new event of a type only after committing (or abandoning) the previous one of that type.
 */
public abstract class JournalEvent
{
    /**
     * Most bytes of UTF-8 a free-text field (a reason, a tag) holds: the schema's {@code varUtf8Encoding} limit.
     */
    public static final int MAX_TEXT_BYTES = EventRules.MAX_TEXT_BYTES;

    /**
     * Latest time a millisecond time field takes, 9999-12-31T23:59:59.999Z: the last instant of the four-digit years
     * the database's timestamp columns hold. A later one is refused here rather than dead-lettered by the drain.
     */
    public static final long MAX_EPOCH_MS = EventRules.MAX_EPOCH_MS;

    /**
     * What {@link #commit()} returns inside {@link TradeJournal#rehearse(Runnable)}: no queue index, nothing appended.
     */
    public static final long REHEARSED = -1;

    private final JournalWriter writer;
    private final String eventName;
    private final String[] fieldNames;
    private final long requiredMask;
    private long setMask;
    private boolean open;
    private boolean committed;

    JournalEvent(final JournalWriter writer, final String eventName, final String[] fieldNames, final long requiredMask)
    {
        this.writer = writer;
        this.eventName = eventName;
        this.fieldNames = fieldNames;
        this.requiredMask = requiredMask;
    }

    /**
     * Append the event to the journal. When this returns the event is in the memory-mapped queue file and survives
     * the process being killed; with a {@link SyncPolicy} other than {@link SyncPolicy#NONE} it is also on disk as
     * that policy says.
     *
     * @return the queue index at which the event was appended; {@link #REHEARSED} inside
     *         {@link TradeJournal#rehearse(Runnable)}, where the event is encoded and rolled back, not appended.
     * @throws IllegalArgumentException if a required field was not set; the event is discarded.
     * @throws IllegalStateException    if no event is open: it was committed already or a setter failed.
     * @throws JournalFullException     if the journal's file system has no room for the event; nothing is appended.
     */
    public final long commit()
    {
        checkOpen();
        open = false;
        final long missing = requiredMask & ~setMask;
        if (0 != missing)
        {
            throw new IllegalArgumentException(
                eventName + "." + fieldNames[Long.numberOfTrailingZeros(missing)] + " is required but was not set");
        }

        checkConsistency();
        committed = true;

        return writer.append(this);
    }

    /**
     * Encode the event into the journal's next excerpt and roll the excerpt back: everything {@link #commit()}
     * does, nothing a reader could ever see. For the warm-up and {@link TradeJournal#keepWarm()}, which fill the
     * event with valid values first.
     */
    final void rehearse()
    {
        checkOpen();
        open = false;
        if (0 == (requiredMask & ~setMask))
        {
            checkConsistency();
            writer.rehearse(this);
        }
    }

    /**
     * Whether this thread has committed an event of this type: the types {@link TradeJournal#keepWarm()} rehearses.
     */
    final boolean wasCommitted()
    {
        return committed;
    }

    /**
     * Abandon the event without appending anything. Starting a new event of the same type does this implicitly.
     */
    public final void abandon()
    {
        open = false;
    }

    /**
     * Whether the event has been started and neither committed, abandoned nor refused.
     *
     * @return true while setters and {@link #commit()} may be called.
     */
    public final boolean isOpen()
    {
        return open;
    }

    final void begin()
    {
        setMask = 0;
        clear();
        open = true;
    }

    abstract void clear();

    void checkConsistency()
    {
    }

    abstract int encodedLength();

    abstract void encode(MutableDirectBuffer buffer, long appendTimeNs);

    final void checkOpen()
    {
        if (!open)
        {
            throw new IllegalStateException(
                "no " + eventName + " is open on this thread: start one with TradeJournal." +
                Character.toLowerCase(eventName.charAt(0)) + eventName.substring(1) + "()");
        }
    }

    final void ascii(final int field, final AsciiField target, final CharSequence value)
    {
        checkOpen();
        try
        {
            target.set(value);
        }
        catch (final IllegalArgumentException ex)
        {
            throw refuse(ex);
        }
        setMask |= 1L << field;
    }

    final void utf8(final int field, final Utf8Field target, final CharSequence value)
    {
        checkOpen();
        try
        {
            target.set(value);
        }
        catch (final IllegalArgumentException ex)
        {
            throw refuse(ex);
        }
        setMask |= 1L << field;
    }

    final void decimal(final int field, final DecimalField target, final long mantissa, final int exponent)
    {
        checkOpen();
        try
        {
            target.set(mantissa, exponent);
        }
        catch (final IllegalArgumentException ex)
        {
            throw refuse(ex);
        }
        setMask |= 1L << field;
    }

    final void decimal(final int field, final DecimalField target, final BigDecimal value)
    {
        checkOpen();
        try
        {
            target.set(value);
        }
        catch (final IllegalArgumentException ex)
        {
            throw refuse(ex);
        }
        setMask |= 1L << field;
    }

    final <E extends Enum<E>> E enumValue(final int field, final E value, final E nullValue)
    {
        checkOpen();
        if (null == value || value == nullValue)
        {
            throw refuse(new IllegalArgumentException(eventName + "." + fieldNames[field] + " must be a valid value"));
        }
        setMask |= 1L << field;
        return value;
    }

    final long timestamp(final int field, final long value)
    {
        checkOpen();
        if (Long.MIN_VALUE == value || value < 0)
        {
            throw refuse(new IllegalArgumentException(
                eventName + "." + fieldNames[field] + " must be a time since the epoch, was " + value));
        }
        setMask |= 1L << field;
        return value;
    }

    final long epochMs(final int field, final long value)
    {
        checkOpen();
        if (value < 0 || value > MAX_EPOCH_MS)
        {
            throw refuse(new IllegalArgumentException(eventName + "." + fieldNames[field] +
                " must be milliseconds since the epoch up to 9999-12-31T23:59:59.999Z, was " + value));
        }
        setMask |= 1L << field;
        return value;
    }

    final long id(final int field, final long value)
    {
        checkOpen();
        if (value < 0)
        {
            throw refuse(new IllegalArgumentException(
                eventName + "." + fieldNames[field] + " must not be negative, was " + value));
        }
        setMask |= 1L << field;
        return value;
    }

    final void flag(final int field)
    {
        checkOpen();
        setMask |= 1L << field;
    }

    final boolean isSet(final int field)
    {
        return 0 != (setMask & (1L << field));
    }

    final long nowMs()
    {
        return writer.nowMs();
    }

    final void check(final boolean condition, final String failure)
    {
        if (!condition)
        {
            throw refuse(new IllegalArgumentException(eventName + "." + failure));
        }
    }

    private IllegalArgumentException refuse(final IllegalArgumentException ex)
    {
        open = false;
        return ex;
    }
}
