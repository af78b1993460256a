package io.tradestate.tools;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code tradestate verify} found for one source: counts of the journal's entries and of the database's rows,
 * each kind of difference, and the first few differences of each kind in words.
 */
final class SourceReport
{
    /**
     * Kinds of difference; each makes the verify fail.
     */
    enum Kind
    {
        MISSING("missing"),
        UNEXPECTED_ROW("unexpected row"),
        DIFFERING("differing"),
        DEAD_LETTER_MISSING("dead letter missing"),
        UNEXPECTED_DEAD_LETTER("unexpected dead letter"),
        CHECKPOINT("checkpoint"),
        SOURCE("source");

        final String label;

        Kind(final String label)
        {
            this.label = label;
        }
    }

    final String sourceId;
    long checkpointIndex = -1;
    long checkpointEvents;
    long entries;
    long events;
    long statusEntries;
    long undecodable;
    long notDrained;
    long entriesUpToCheckpoint;
    long rows;
    long rowsEqual;
    long deadLetters;
    long deadLettersExpected;
    long rejected;
    long rowsBeforeJournal;
    long deadLettersBeforeJournal;

    private final int maxDetails;
    private final long[] counts = new long[Kind.values().length];
    private final List<String> details = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final int[] detailsOfKind = new int[Kind.values().length];

    SourceReport(final String sourceId, final int maxDetails)
    {
        this.sourceId = sourceId;
        this.maxDetails = maxDetails;
    }

    /**
     * Record a difference.
     *
     * @param kind   of difference.
     * @param detail what it is, in words; kept for the first {@code maxDetails} of each kind.
     */
    void difference(final Kind kind, final String detail)
    {
        counts[kind.ordinal()]++;
        if (detailsOfKind[kind.ordinal()]++ < maxDetails)
        {
            details.add(String.format("%-22s %s", kind.label, detail));
        }
    }

    /**
     * Record something worth telling that is not a difference, such as an event PostgreSQL refused.
     *
     * @param note in words; the first {@code maxDetails} are kept.
     */
    void note(final String note)
    {
        if (notes.size() < maxDetails)
        {
            notes.add(note);
        }
    }

    /**
     * Differences of one kind.
     *
     * @param kind of difference.
     * @return the count.
     */
    long count(final Kind kind)
    {
        return counts[kind.ordinal()];
    }

    /**
     * Rows and dead letters of cycle files no longer in the journal (deleted by retention once drained).
     *
     * @return the count.
     */
    long deletedCycleEntries()
    {
        return rowsBeforeJournal + deadLettersBeforeJournal;
    }

    /**
     * Every difference found.
     *
     * @return the total count.
     */
    long differences()
    {
        long total = 0;
        for (final long count : counts)
        {
            total += count;
        }
        return total;
    }

    /**
     * Print the report: a heading line, the counts, then the differences in words.
     *
     * @param out to print to.
     */
    void print(final PrintStream out)
    {
        final long differences = differences();
        out.println("source " + sourceId + ": " + (0 == differences ? "clean" : differences + " difference" +
            (1 == differences ? "" : "s")));
        out.println("  journal    " + entries + " entries: " + events + " events, " + statusEntries + " status, " +
            undecodable + " undecodable; " + notDrained + " after the checkpoint, not drained yet");
        out.println("  database   " + rows + " rows (" + rowsEqual + " equal to their event), " + deadLetters +
            " dead letters (" + deadLettersExpected + " expected), " + rejected + " events rejected by PostgreSQL; " +
            (checkpointIndex < 0 ? "no checkpoint" : "checkpoint 0x" + Long.toHexString(checkpointIndex) + " after " +
            checkpointEvents + " entries"));
        if (deletedCycleEntries() > 0)
        {
            out.println("  deleted    " + rowsBeforeJournal + " rows and " + deadLettersBeforeJournal +
                " dead letters of cycle files no longer in the journal (retention), not compared");
        }
        out.println("  missing " + count(Kind.MISSING) + ", unexpected rows " + count(Kind.UNEXPECTED_ROW) +
            ", differing " + count(Kind.DIFFERING) + ", dead letters missing " + count(Kind.DEAD_LETTER_MISSING) +
            ", unexpected dead letters " + count(Kind.UNEXPECTED_DEAD_LETTER) +
            (0 == count(Kind.CHECKPOINT) ? "" : ", checkpoint " + count(Kind.CHECKPOINT)));
        for (final String detail : details)
        {
            out.println("  " + detail);
        }
        for (final String note : notes)
        {
            out.println("  note: " + note);
        }
    }
}
