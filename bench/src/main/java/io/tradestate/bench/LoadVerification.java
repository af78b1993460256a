package io.tradestate.bench;

import io.tradestate.reader.postgres.EmbeddedDatabase;
import io.tradestate.tools.JournalVerifyTool;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Nothing lost, nothing twice, after a {@link LoadCampaign} run, checked two ways:
 * <ol>
 * <li>{@code tradestate verify} ({@link JournalVerifyTool}, the operator's tool): every journal entry against the
 * database, in queue order; each event has its one row, equal column for column, the checkpoint counts every entry,
 * no other row exists; and, when the state maps kept every entry, the maps against the current-state tables.
 * Its report is kept as {@code verify.txt}.</li>
 * <li>Counts: the history rows of each source against the events its strategy says it committed
 * ({@code commit()} returned), which the verify does not know.</li>
 * </ol>
 *
 * @param verifyExit   the verify's exit code, {@link JournalVerifyTool#EXIT_CLEAN} when clean.
 * @param verifyLast   its last line.
 * @param stateChecked whether the state maps were compared too.
 * @param appended     events each source's strategy committed.
 * @param stored       history rows of each source.
 * @param checkpoints  entries each source's checkpoint counts (events and the journal's own status entries).
 */
record LoadVerification(
    int verifyExit,
    String verifyLast,
    boolean stateChecked,
    Map<String, Long> appended,
    Map<String, Long> stored,
    Map<String, Long> checkpoints)
{
    private static final String[] HISTORY_TABLES =
        {"order_events", "fills", "trade_events", "pair_lock_events", "balance_events"};

    /**
     * Verify the agent's database against the journals and the strategies' counts.
     *
     * @param agent        the running agent, drained.
     * @param journalRoot  the journals.
     * @param appended     events each strategy committed, by source id.
     * @param checkState   whether to compare the state maps too.
     * @param reportFile   where the verify's report goes.
     * @return what was found.
     * @throws IOException  if the report cannot be written.
     * @throws SQLException if the database cannot be read.
     */
    static LoadVerification run(
        final LoadAgent agent,
        final Path journalRoot,
        final Map<String, Long> appended,
        final boolean checkState,
        final Path reportFile) throws IOException, SQLException
    {
        final List<String> args = new ArrayList<>(List.of(journalRoot.toString(), "--db", agent.jdbcUrl(),
            "--user", EmbeddedDatabase.USER, "--password-file", agent.passwordFile().toString()));
        if (checkState)
        {
            args.add("--state");
            args.add(agent.stateDir().toString());
        }
        final ByteArrayOutputStream report = new ByteArrayOutputStream();
        final int exit;
        try (PrintStream out = new PrintStream(report, true, StandardCharsets.UTF_8))
        {
            exit = JournalVerifyTool.run(args.toArray(new String[0]), out, out, Map.of());
        }
        final String text = report.toString(StandardCharsets.UTF_8);
        Files.writeString(reportFile, "$ tradestate verify " + String.join(" ", args) + System.lineSeparator() + text,
            StandardCharsets.UTF_8);
        final String[] lines = text.strip().split("\n");

        final Map<String, Long> stored = new TreeMap<>();
        final Map<String, Long> checkpoints = new TreeMap<>();
        final String password = Files.readAllLines(agent.passwordFile(), StandardCharsets.UTF_8).get(0).trim();
        try (Connection connection = DriverManager.getConnection(agent.jdbcUrl(),
            EmbeddedDatabase.USER, password);
            Statement statement = connection.createStatement())
        {
            for (final String table : HISTORY_TABLES)
            {
                try (ResultSet rows = statement.executeQuery(
                    "SELECT source_id, count(*) FROM " + table + " GROUP BY source_id"))
                {
                    while (rows.next())
                    {
                        stored.merge(rows.getString(1), rows.getLong(2), Long::sum);
                    }
                }
            }
            try (ResultSet rows = statement.executeQuery("SELECT source_id, events FROM source_checkpoints"))
            {
                while (rows.next())
                {
                    checkpoints.put(rows.getString(1), rows.getLong(2));
                }
            }
        }

        return new LoadVerification(exit, lines[lines.length - 1].strip(), checkState, new TreeMap<>(appended),
            stored, checkpoints);
    }

    /**
     * Whether every check passed: the verify clean, and each source's rows exactly the events its strategy
     * committed.
     *
     * @return true if nothing was lost or stored twice.
     */
    boolean clean()
    {
        return JournalVerifyTool.EXIT_CLEAN == verifyExit && appended.equals(stored);
    }

    /**
     * Events committed by the strategies, all sources.
     *
     * @return the sum.
     */
    long appendedTotal()
    {
        return appended.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * History rows, all sources.
     *
     * @return the sum.
     */
    long storedTotal()
    {
        return stored.values().stream().mapToLong(Long::longValue).sum();
    }
}
