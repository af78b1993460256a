package io.tradestate.demo;

import io.tradestate.reader.logging.JsonLineFormatter;
import org.HdrHistogram.Histogram;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a demo run measured, and how it is printed at the end. Every number says what it counts and where it was
 * measured: the strategies' {@code commit()} times in their own JVMs, append-to-commit from PostgreSQL's commit
 * timestamps, the lag sampled once a second while running.
 */
final class DemoSummary
{
    String workload;
    long marketEvents;
    long appended;
    Map<String, Long> rowsPerTable;
    long committed;
    long deadLetters;
    long runMs;
    long failedStrategies;
    long processes;
    boolean max;
    long startRegimeMs;
    List<long[]> warmUps;
    Latency[] appendLatency;
    Latency[] appendToCommit;
    Histogram lagSamplesMs;
    Latency[] appendToVisible;
    long stateEntries;
    String stateDir;
    long databaseBytes;
    String connect;
    String connectNote;
    List<Integer> exampleRows;
    List<String> chaosFaults;
    long fillsWhileDown = -1;
    long recoveredFills = -1;
    long recoveredOrderUpdates = -1;
    long riskLocks;
    long entriesHeldBack;
    DemoVerify verify;

    /**
     * Every appended event is in the database exactly once: the counters agree with the rows; with {@code --chaos},
     * where a killed strategy's counter misses its last appends, {@code tradestate verify} says so from the journals.
     */
    boolean passed()
    {
        if (appended <= 0 || 0 != deadLetters || 0 != failedStrategies)
        {
            return false;
        }
        return null == chaosFaults ? appended == committed : committed >= appended && null != verify && verify.clean();
    }

    void print(final PrintStream out)
    {
        out.println();
        out.println("TradeState demo: summary");
        out.printf(Locale.ROOT, "  workload        %s%n", workload);
        out.printf(Locale.ROOT, "  market events   %,d simulated in %.1f s (each is one step of an order life cycle)%n",
            marketEvents, runMs / 1000.0);
        out.printf(Locale.ROOT, "  appended        %,d events through TradeJournal by the strategy JVMs (%,.0f/s)%n",
            appended, runMs > 0 ? appended * 1000.0 / runMs : 0.0);
        final StringBuilder tables = new StringBuilder();
        for (final Map.Entry<String, Long> entry : rowsPerTable.entrySet())
        {
            tables.append(tables.length() > 0 ? ", " : "").append(entry.getKey()).append(' ')
                .append(String.format(Locale.ROOT, "%,d", entry.getValue()));
        }
        out.printf(Locale.ROOT, "  committed       %,d rows of this run in PostgreSQL: %s%n", committed, tables);
        if (null == chaosFaults)
        {
            out.printf(Locale.ROOT, "  check           %s%n", passed() ?
                "OK: appended == committed, every event is in the database exactly once" :
                String.format(Locale.ROOT, "FAILED: appended %,d, committed %,d, dead letters %,d, failed " +
                    "strategies %d", appended, committed, deadLetters, failedStrategies));
        }
        else
        {
            out.println("  chaos           faults injected while the strategies appended:");
            for (final String fault : chaosFaults)
            {
                out.printf(Locale.ROOT, "                  %s%n", fault);
            }
            if (recoveredFills >= 0)
            {
                out.printf(Locale.ROOT, "  reconciled      %,d fills and %,d order updates recovered by the " +
                    "restarted strategy from the exchange's record%n                  (the exchange filled %,d of " +
                    "its orders while it was down)%n", recoveredFills, recoveredOrderUpdates, fillsWhileDown);
            }
            out.printf(Locale.ROOT, "  check           %s%n", passed() ? String.format(Locale.ROOT,
                "OK: tradestate verify found every event of the journals (%d sources) in PostgreSQL exactly once, " +
                "field for field, and no other row; the state maps equal the tables (%,d ms)%n                  " +
                "(the counters say %,d appended and PostgreSQL has %,d: a killed strategy's counter misses its " +
                "last appends)", verify.sources(), verify.elapsedMs, appended, committed) :
                String.format(Locale.ROOT, "FAILED: appended %,d (counted), committed %,d, dead letters %,d, " +
                    "failed strategies %d, tradestate verify exit code %s", appended, committed, deadLetters,
                    failedStrategies, null == verify ? "(not run)" : Integer.toString(verify.exitCode)));
            if (null != verify && !verify.clean())
            {
                out.println(verify.report);
            }
        }
        out.printf(Locale.ROOT, "  dead letters    %,d%n", deadLetters);
        out.printf(Locale.ROOT, "  risk locks      %,d pairs locked for all sources by the risk desk (%s, after a " +
            "volatility shock, %d min each);%n                  %,d entries held back by the strategies trading them " +
            "(TradeStateView.pairLockStatus before each entry)%n", riskLocks, StrategyProcess.sourceId(0),
            RiskDesk.LOCK_MS / 60_000, entriesHeldBack);
        if (null != warmUps && !warmUps.isEmpty())
        {
            printWarmUps(out);
        }
        if (null != appendLatency)
        {
            final double perJvmPerSecond = runMs > 0 && processes > 0 ? appended * 1000.0 / runMs / processes : 0;
            out.printf(Locale.ROOT, "  append latency  commit() in the strategy JVMs, %s%n", max ?
                String.format(Locale.ROOT, "a hot loop (--max): about %,.0f appends/s per JVM", perJvmPerSecond) :
                String.format(Locale.ROOT, "the sparse regime: about %,.0f appends/s per JVM, caches cold between " +
                "appends%n                  (not the hot loop of the JMH figure: bench/results)", perJvmPerSecond));
            printRegimes(out, appendLatency, "appends");
        }
        if (null != appendToCommit)
        {
            out.println("  append->commit  PostgreSQL commit time of each row's transaction " +
                "(pg_xact_commit_timestamp) minus its append time");
            printRegimes(out, appendToCommit, "rows");
        }
        else
        {
            out.println("  append->commit  not measured: the database has track_commit_timestamp off");
        }
        if (null != appendToVisible)
        {
            out.println("  append->map     publisher's clock when the entry was updated minus the append time " +
                "(heartbeats included)");
            printRegimes(out, appendToVisible, "events");
        }
        out.printf(Locale.ROOT, "  state maps      %,d entries (orders, trades, pair locks, balances) in %s/maps%n",
            stateEntries, stateDir);
        if (null != lagSamplesMs && lagSamplesMs.getTotalCount() > 0)
        {
            out.printf(Locale.ROOT, "  lag (sampled)   once a second while running, %d samples (0 when nothing " +
                "was waiting, else now minus the newest committed append time): p50 %s  p99 %s  max %s%n",
                lagSamplesMs.getTotalCount(), millis(lagSamplesMs.getValueAtPercentile(50)),
                millis(lagSamplesMs.getValueAtPercentile(99)), millis(lagSamplesMs.getMaxValue()));
        }
        out.printf(Locale.ROOT, "  database size   %s (pg_database_size, all runs kept so far)%n",
            bytes(databaseBytes));
        out.printf(Locale.ROOT, "  connect         %s%n", connect);
        if (null != connectNote)
        {
            out.printf(Locale.ROOT, "                  %s%n", connectNote);
        }
        out.println("  try");
        for (int i = 0; i < ExampleQueries.ALL.size(); i++)
        {
            out.printf(Locale.ROOT, "    -- %s%s%n    %s%n", ExampleQueries.TITLES.get(i),
                null == exampleRows ? "" : " (" + exampleRows.get(i) + (1 == exampleRows.get(i) ? " row" : " rows") +
                    " now)", ExampleQueries.ALL.get(i));
        }
    }

    /**
     * The summary as one JSON object, for {@code --json}: the figures {@link #print} prints, each under a name that
     * says its unit, latencies in nanoseconds per regime ({@code first}, the run's first seconds, and {@code after}),
     * null for what was not measured.
     */
    String json()
    {
        final StringBuilder json = new StringBuilder("{");
        string(json, "workload", workload);
        json.append(",\"passed\":").append(passed());
        number(json, "marketEvents", marketEvents);
        number(json, "appended", appended);
        number(json, "committed", committed);
        json.append(",\"rowsPerTable\":{");
        boolean first = true;
        for (final Map.Entry<String, Long> entry : rowsPerTable.entrySet())
        {
            json.append(first ? "" : ",");
            JsonLineFormatter.string(json, entry.getKey());
            json.append(':').append(entry.getValue());
            first = false;
        }
        json.append('}');
        number(json, "deadLetters", deadLetters);
        number(json, "riskLocks", riskLocks);
        number(json, "entriesHeldBack", entriesHeldBack);
        number(json, "failedStrategies", failedStrategies);
        number(json, "processes", processes);
        number(json, "runMs", runMs);
        number(json, "startRegimeMs", startRegimeMs);
        json.append(",\"chaosFaults\":");
        if (null == chaosFaults)
        {
            json.append("null");
        }
        else
        {
            json.append('[');
            for (int i = 0; i < chaosFaults.size(); i++)
            {
                json.append(0 == i ? "" : ",");
                JsonLineFormatter.string(json, chaosFaults.get(i));
            }
            json.append(']');
        }
        json.append(",\"reconciliation\":");
        if (recoveredFills < 0)
        {
            json.append("null");
        }
        else
        {
            json.append("{\"fillsWhileDown\":").append(fillsWhileDown)
                .append(",\"recoveredFills\":").append(recoveredFills)
                .append(",\"recoveredOrderUpdates\":").append(recoveredOrderUpdates).append('}');
        }
        json.append(",\"verifyExitCode\":").append(null == verify ? "null" : Integer.toString(verify.exitCode));
        latencies(json, "appendLatencyNs", appendLatency);
        latencies(json, "appendToCommitNs", appendToCommit);
        latencies(json, "appendToMapNs", appendToVisible);
        json.append(",\"lagMs\":");
        if (null == lagSamplesMs || 0 == lagSamplesMs.getTotalCount())
        {
            json.append("null");
        }
        else
        {
            json.append("{\"samples\":").append(lagSamplesMs.getTotalCount())
                .append(",\"p50\":").append(lagSamplesMs.getValueAtPercentile(50))
                .append(",\"p99\":").append(lagSamplesMs.getValueAtPercentile(99))
                .append(",\"max\":").append(lagSamplesMs.getMaxValue()).append('}');
        }
        number(json, "stateEntries", stateEntries);
        string(json, "stateDir", stateDir);
        number(json, "databaseBytes", databaseBytes);
        string(json, "connect", connect);
        json.append(",\"exampleQueries\":[");
        for (int i = 0; i < ExampleQueries.ALL.size(); i++)
        {
            json.append(0 == i ? "{" : ",{");
            JsonLineFormatter.string(json, "title");
            json.append(':');
            JsonLineFormatter.string(json, ExampleQueries.TITLES.get(i));
            string(json, "sql", ExampleQueries.ALL.get(i));
            json.append(",\"rows\":").append(null == exampleRows ? "null" : exampleRows.get(i).toString()).append('}');
        }
        return json.append("]}").toString();
    }

    private static void string(final StringBuilder json, final String name, final String value)
    {
        json.append(json.length() > 1 && json.charAt(json.length() - 1) != '{' ? "," : "");
        JsonLineFormatter.string(json, name);
        json.append(':');
        if (null == value)
        {
            json.append("null");
        }
        else
        {
            JsonLineFormatter.string(json, value);
        }
    }

    private static void number(final StringBuilder json, final String name, final long value)
    {
        json.append(',');
        JsonLineFormatter.string(json, name);
        json.append(':').append(value);
    }

    private static void latencies(final StringBuilder json, final String name, final Latency[] regimes)
    {
        json.append(',');
        JsonLineFormatter.string(json, name);
        json.append(':');
        if (null == regimes)
        {
            json.append("null");
            return;
        }
        json.append('{');
        for (int i = 0; i < regimes.length; i++)
        {
            final Latency latency = regimes[i];
            json.append(0 == i ? "\"first\":" : ",\"after\":").append("{\"count\":").append(latency.count);
            if (latency.count > 0)
            {
                json.append(",\"p50\":").append(Math.round(latency.p50Ns))
                    .append(",\"p90\":").append(Math.round(latency.p90Ns))
                    .append(",\"p99\":").append(Math.round(latency.p99Ns))
                    .append(",\"p999\":").append(Math.round(latency.p999Ns))
                    .append(",\"max\":").append(Math.round(latency.maxNs));
            }
            json.append('}');
        }
        json.append('}');
    }

    /**
     * One line per regime: the run's first seconds, then the steady state.
     */
    private void printRegimes(final PrintStream out, final Latency[] regimes, final String what)
    {
        final String[] names =
        {
            String.format(Locale.ROOT, "first %d s", startRegimeMs / 1000),
            String.format(Locale.ROOT, "after %d s", startRegimeMs / 1000),
        };
        for (int i = 0; i < regimes.length; i++)
        {
            final Latency latency = regimes[i];
            if (0 == latency.count)
            {
                out.printf(Locale.ROOT, "                  %-11s no %s%n", names[i], what);
                continue;
            }
            out.printf(Locale.ROOT, "                  %-11s %,8d %-7s p50 %s  p90 %s  p99 %s  p99.9 %s  max %s%n",
                names[i], latency.count, what, nanos(latency.p50Ns), nanos(latency.p90Ns), nanos(latency.p99Ns),
                nanos(latency.p999Ns), nanos(latency.maxNs));
        }
    }

    private void printWarmUps(final PrintStream out)
    {
        final StringBuilder journal = new StringBuilder();
        long slowestReadyMs = 0;
        for (final long[] warmUp : warmUps)
        {
            journal.append(journal.length() > 0 ? " " : "")
                .append(String.format(Locale.ROOT, "%.2f", warmUp[0] / 1e9));
            slowestReadyMs = Math.max(slowestReadyMs, warmUp[1]);
        }
        out.printf(Locale.ROOT, "  warm-up         TradeJournal.open's warm-up (warmUpNs) per strategy JVM, s: %s%n" +
            "                  the last JVM was ready %.1f s after it started%n", journal, slowestReadyMs / 1000.0);
    }

    static String nanos(final double ns)
    {
        if (ns < 1_000)
        {
            return String.format(Locale.ROOT, "%.0f ns", ns);
        }
        if (ns < 1_000_000)
        {
            return String.format(Locale.ROOT, "%.1f us", ns / 1_000);
        }
        return String.format(Locale.ROOT, "%.2f ms", ns / 1_000_000);
    }

    static String millis(final double ms)
    {
        return ms < 1_000 ? String.format(Locale.ROOT, "%.1f ms", ms) :
            String.format(Locale.ROOT, "%.2f s", ms / 1_000);
    }

    static String bytes(final long bytes)
    {
        return bytes < 1024 * 1024 ? String.format(Locale.ROOT, "%,d KiB", bytes / 1024) :
            String.format(Locale.ROOT, "%,.1f MiB", bytes / (1024.0 * 1024));
    }

    /**
     * Percentiles of one latency in one regime, in nanoseconds.
     */
    static final class Latency
    {
        final long count;
        final double p50Ns;
        final double p90Ns;
        final double p99Ns;
        final double p999Ns;
        final double maxNs;

        Latency(
            final long count,
            final double p50Ns,
            final double p90Ns,
            final double p99Ns,
            final double p999Ns,
            final double maxNs)
        {
            this.count = count;
            this.p50Ns = p50Ns;
            this.p90Ns = p90Ns;
            this.p99Ns = p99Ns;
            this.p999Ns = p999Ns;
            this.maxNs = maxNs;
        }

        static Latency of(final Histogram histogramNs)
        {
            return new Latency(histogramNs.getTotalCount(), histogramNs.getValueAtPercentile(50),
                histogramNs.getValueAtPercentile(90), histogramNs.getValueAtPercentile(99),
                histogramNs.getValueAtPercentile(99.9), histogramNs.getMaxValue());
        }

        /**
         * From count, p50, p90, p99, p99.9 and max in milliseconds.
         */
        static Latency ofMillis(final double[] values)
        {
            return new Latency((long)values[0], values[1] * 1e6, values[2] * 1e6, values[3] * 1e6, values[4] * 1e6,
                values[5] * 1e6);
        }
    }
}
