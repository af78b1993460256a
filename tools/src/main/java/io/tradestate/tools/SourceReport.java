package io.tradestate.tools;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

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
    private final List<Kind> detailKinds = new ArrayList<>();
    private final List<String> detailTexts = new ArrayList<>();
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
            detailKinds.add(kind);
            detailTexts.add(detail);
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

    /**
     * Append the report as one JSON object, the same figures as {@link #print}: {@code source}, {@code differences},
     * {@code journal}, {@code database} and {@code deleted} counts, {@code counts} per kind of difference, then
     * {@code details} (kind and detail, the first {@code maxDetails} of each kind) and {@code notes}.
     *
     * @param document to append to.
     * @param json     a reusable writer.
     */
    void appendJson(final StringBuilder document, final JsonEventWriter json)
    {
        json.begin()
            .string("source", sourceId)
            .number("differences", differences())
            .number("entries", entries)
            .number("events", events)
            .number("statusEntries", statusEntries)
            .number("undecodable", undecodable)
            .number("notDrained", notDrained)
            .number("rows", rows)
            .number("rowsEqual", rowsEqual)
            .number("deadLetters", deadLetters)
            .number("deadLettersExpected", deadLettersExpected)
            .number("rejected", rejected);
        if (checkpointIndex < 0)
        {
            json.nullValue("checkpointIndex");
        }
        else
        {
            json.number("checkpointIndex", checkpointIndex);
        }
        json.number("checkpointEntries", checkpointEvents)
            .number("deletedRows", rowsBeforeJournal)
            .number("deletedDeadLetters", deadLettersBeforeJournal);
        document.append(json.line());

        json.begin();
        for (final Kind kind : Kind.values())
        {
            json.number(kind.name().toLowerCase(Locale.ROOT), count(kind));
        }
        document.append(",\"counts\":").append(json.end().line()).append(",\"details\":[");
        for (int i = 0; i < detailTexts.size(); i++)
        {
            json.begin().string("kind", detailKinds.get(i).label).string("detail", detailTexts.get(i)).end();
            document.append(0 == i ? "" : ",").append(json.line());
        }
        document.append("],\"notes\":[");
        for (int i = 0; i < notes.size(); i++)
        {
            json.begin().string("note", notes.get(i)).end();
            document.append(0 == i ? "" : ",").append(json.line());
        }
        document.append("]}");
    }
}
