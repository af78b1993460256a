package io.tradestate.reader.journal;

/**
 * What tells a damaged excerpt from a bad event. A bad event (a field out of range, an unknown template) is the
 * writer's or the data's fault: it goes to {@code dead_letters} and the source reads on. A damaged excerpt is the
 * file's: a length word overwritten with a large value, which Chronicle Queue trusts, so that the excerpt seems to run
 * past the events that follow it, or past the end of the file. Nothing after it can be read in order any more; it is
 * refused before its bytes are touched, and the reader parks the source ({@link SourceParking}).
 */
public final class JournalDamage
{
    /**
     * Longest excerpt a source can hold: far more than any event of the schema, even one written by a newer writer
     * (the largest today is under 4 KiB: a fixed block and a few texts of at most 1,024 bytes each).
     */
    static final int MAX_EXCERPT_BYTES = 64 * 1024;

    private JournalDamage()
    {
    }

    /**
     * Refuse an excerpt no writer could have made.
     *
     * @param sourceId the source.
     * @param index    the excerpt's index.
     * @param length   its length, from its header.
     * @throws IllegalStateException if the length is over {@link #MAX_EXCERPT_BYTES}.
     */
    public static void checkLength(final String sourceId, final long index, final long length)
    {
        if (length > MAX_EXCERPT_BYTES)
        {
            throw new IllegalStateException("source " + sourceId + ": excerpt 0x" + Long.toHexString(index) +
                " claims " + length + " bytes, more than any event can be (" + MAX_EXCERPT_BYTES + "): its length " +
                "word is damaged");
        }
    }
}
