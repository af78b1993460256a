package io.tradestate.tools.reconcile;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * What a reconciliation found: every difference, in the order of {@link Difference.Kind} then by id, the counts of
 * what was compared and notes on what was not. Printed as text for people or as one JSON object.
 */
public final class ReconcileReport
{
    private static final JsonFactory JSON = JsonFactory.builder().disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();

    private final String sourceId;
    private final String exchange;
    private final String against;
    private final Long fromMs;
    private final Long toMs;
    private final List<Difference> differences = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private long fills;
    private long orders;
    private long balances;
    private ReconcileRepair.Plan repair;
    private String repairJournal;
    private long repairFirstIndex = -1;
    private long repairLastIndex = -1;

    ReconcileReport(final String sourceId, final String exchange, final String against, final Long fromMs,
        final Long toMs)
    {
        this.sourceId = sourceId;
        this.exchange = exchange;
        this.against = against;
        this.fromMs = fromMs;
        this.toMs = toMs;
    }

    /**
     * Every difference found.
     *
     * @return unmodifiable, by kind then id.
     */
    public List<Difference> differences()
    {
        return Collections.unmodifiableList(differences);
    }

    /**
     * Differences of one kind.
     *
     * @param kind the kind.
     * @return those of that kind, by id.
     */
    public List<Difference> differences(final Difference.Kind kind)
    {
        return differences.stream().filter((difference) -> difference.kind() == kind).toList();
    }

    /**
     * What was left uncompared, and why.
     *
     * @return unmodifiable.
     */
    public List<String> notes()
    {
        return Collections.unmodifiableList(notes);
    }

    /**
     * Whether TradeState and the exchange agree on everything compared.
     *
     * @return true when no difference was found.
     */
    public boolean consistent()
    {
        return differences.isEmpty();
    }

    /**
     * Fills compared.
     *
     * @return the count.
     */
    public long comparedFills()
    {
        return fills;
    }

    /**
     * Orders compared.
     *
     * @return the count.
     */
    public long comparedOrders()
    {
        return orders;
    }

    /**
     * Balances compared.
     *
     * @return the count.
     */
    public long comparedBalances()
    {
        return balances;
    }

    /**
     * Record what {@code --apply} did, for the printed report.
     *
     * @param plan       the repair appended.
     * @param journal    the queue it was appended to.
     * @param firstIndex the queue index of the first event appended, -1 if none.
     * @param lastIndex  the queue index of the last event appended (the journal's own SourceStarted comes first).
     */
    public void repaired(final ReconcileRepair.Plan plan, final String journal, final long firstIndex,
        final long lastIndex)
    {
        this.repair = plan;
        this.repairJournal = journal;
        this.repairFirstIndex = firstIndex;
        this.repairLastIndex = lastIndex;
    }

    /**
     * Print the report for people.
     *
     * @param out  where.
     * @param dump what the exchange's view came from, such as the dump file.
     */
    public void printText(final PrintStream out, final String dump)
    {
        out.println("reconcile source " + sourceId + " on " + exchange + ": " + dump + " against " + against);
        out.println("  window     " + (null == fromMs ? "start" : Instant.ofEpochMilli(fromMs).toString()) + " to " +
            (null == toMs ? "end" : Instant.ofEpochMilli(toMs).toString()));
        out.println("  compared   " + fills + " fills, " + orders + " orders, " + balances + " balances");
        for (final Difference difference : differences)
        {
            out.println("  " + pad(difference.kind().label(), 20) + difference.detail());
        }
        for (final String note : notes)
        {
            out.println("  note       " + note);
        }
        final int count = differences.size();
        out.println(0 == count ? "reconcile consistent" : "reconcile found " + count + " difference" +
            (1 == count ? "" : "s"));
        if (null != repair)
        {
            for (final ReconcileRepair.Action action : repair.appends())
            {
                out.println("  appended   " + pad(action.kind(), 14) + action.detail());
            }
            for (final ReconcileRepair.Action action : repair.skipped())
            {
                out.println("  skipped    " + pad(action.kind(), 20) + action.id() + ": " + action.detail());
            }
            final int appended = repair.appends().size();
            out.println("reconcile --apply appended " + appended + " event" + (1 == appended ? "" : "s") + " to " +
                repairJournal + (0 == appended ? "" : " (indexes " + repairFirstIndex + " to " + repairLastIndex +
                ")") + ", origin reconciliation, reconcile time " + Instant.ofEpochMilli(repair.reconcileTimeMs()));
        }
        out.flush();
    }

    /**
     * Print the report as one JSON object.
     *
     * @param out  where.
     * @param dump what the exchange's view came from, such as the dump file.
     */
    public void printJson(final Writer out, final String dump)
    {
        try (JsonGenerator json = JSON.createGenerator(out))
        {
            json.writeStartObject();
            json.writeStringField("source", sourceId);
            json.writeStringField("exchange", exchange);
            json.writeStringField("dump", dump);
            json.writeStringField("against", against);
            time(json, "fromMs", "from", fromMs);
            time(json, "toMs", "to", toMs);
            json.writeObjectFieldStart("compared");
            json.writeNumberField("fills", fills);
            json.writeNumberField("orders", orders);
            json.writeNumberField("balances", balances);
            json.writeEndObject();
            json.writeBooleanField("consistent", differences.isEmpty());
            json.writeArrayFieldStart("differences");
            for (final Difference difference : differences)
            {
                json.writeStartObject();
                json.writeStringField("kind", difference.kind().jsonName());
                json.writeStringField("id", difference.id());
                json.writeStringField("detail", difference.detail());
                json.writeArrayFieldStart("fields");
                for (final Difference.FieldDifference field : difference.fields())
                {
                    json.writeStartObject();
                    json.writeStringField("field", field.field());
                    json.writeStringField("tradestate", field.tradeState());
                    json.writeStringField("exchange", field.exchange());
                    json.writeEndObject();
                }
                json.writeEndArray();
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeArrayFieldStart("notes");
            for (final String note : notes)
            {
                json.writeString(note);
            }
            json.writeEndArray();
            if (null != repair)
            {
                json.writeObjectFieldStart("applied");
                json.writeStringField("journal", repairJournal);
                time(json, "reconcileTimeMs", "reconcileTime", repair.reconcileTimeMs());
                json.writeNumberField("firstIndex", repairFirstIndex);
                json.writeNumberField("lastIndex", repairLastIndex);
                actions(json, "appended", repair.appends());
                actions(json, "skipped", repair.skipped());
                json.writeEndObject();
            }
            json.writeEndObject();
            json.writeRaw('\n');
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    void difference(final Difference difference)
    {
        differences.add(difference);
    }

    void note(final String note)
    {
        notes.add(note);
    }

    void comparedFill()
    {
        fills++;
    }

    void comparedOrder()
    {
        orders++;
    }

    void comparedBalance()
    {
        balances++;
    }

    void sort()
    {
        differences.sort(Comparator.comparing(Difference::kind).thenComparing(Difference::id));
    }

    private static void time(final JsonGenerator json, final String msName, final String name, final Long ms)
        throws IOException
    {
        if (null == ms)
        {
            json.writeNullField(msName);
            json.writeNullField(name);
        }
        else
        {
            json.writeNumberField(msName, ms);
            json.writeStringField(name, Instant.ofEpochMilli(ms).toString());
        }
    }

    private static void actions(final JsonGenerator json, final String name,
        final List<ReconcileRepair.Action> actions) throws IOException
    {
        json.writeArrayFieldStart(name);
        for (final ReconcileRepair.Action action : actions)
        {
            json.writeStartObject();
            json.writeStringField("event", action.kind());
            json.writeStringField("id", action.id());
            json.writeStringField("detail", action.detail());
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    private static String pad(final String text, final int width)
    {
        final StringBuilder padded = new StringBuilder(text);
        while (padded.length() < width)
        {
            padded.append(' ');
        }
        return padded.toString();
    }
}
