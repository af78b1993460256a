package io.tradestate.reader;

import io.tradestate.codecs.event.EventRules;
import io.tradestate.files.IdentityFile;
import org.postgresql.ds.PGSimpleDataSource;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

/**
 * {@code reader-agent status [config-file]}: prints, per source, the last appended and last committed index, the
 * lag in events and milliseconds, and the dead letters, from the database and the queues, then a line per queue
 * folder refused because its name is not a source id. With the embedded
 * server it connects to the one the running agent started, found through the state folder.
 */
final class StatusCommand
{
    private StatusCommand()
    {
    }

    static int run(final ReaderContext context, final PrintStream out) throws IOException, SQLException
    {
        final PGSimpleDataSource dataSource = new PGSimpleDataSource();
        if (context.embeddedDatabase())
        {
            final Path postgresDir = context.stateDir().resolve("postgres");
            final List<String> pidFile = Files.readAllLines(
                postgresDir.resolve("data").resolve("postmaster.pid"), StandardCharsets.US_ASCII);
            dataSource.setUrl("jdbc:postgresql://" + EmbeddedDatabase.HOST + ":" + pidFile.get(3).trim() + "/" +
                EmbeddedDatabase.DATABASE);
            dataSource.setUser(EmbeddedDatabase.USER);
            dataSource.setPassword(Files.readString(postgresDir.resolve("password"), StandardCharsets.UTF_8).trim());
        }
        else
        {
            dataSource.setUrl(context.dbUrl());
            dataSource.setUser(context.dbUser());
            if (null != context.dbPassword())
            {
                dataSource.setPassword(context.dbPassword());
            }
        }

        // Read, never made here: the status command may run as a user who cannot write the agent's state folder.
        UUID agentId;
        try
        {
            agentId = IdentityFile.read(context.stateDir().resolve(IdentityFile.AGENT_ID));
        }
        catch (final IOException ex)
        {
            agentId = null; // the agent's sources are then those claimed under its name before agent ids
        }
        try (StatusCollector collector = new StatusCollector(context.journalRoot(), dataSource, agentId))
        {
            final List<SourceLag> lags = collector.collect(System.currentTimeMillis());
            out.printf("%-32s %18s %18s %14s %12s %10s %12s%n", "source", "last appended", "last committed",
                "committed", "lag events", "lag ms", "dead letters");
            for (final SourceLag lag : lags)
            {
                out.printf("%-32s %18s %18s %14d %12d %10d %12d%n", lag.sourceId(), hex(lag.lastAppendedIndex()),
                    hex(lag.lastCommittedIndex()), lag.eventsCommitted(), lag.lagEvents(), lag.lagMs(),
                    lag.deadLetters());
            }
            for (final String folder : collector.refusedFolders())
            {
                out.printf("refused folder %s: not drained, its name is not a source id (%s)%n",
                    context.journalRoot().resolve(folder), EventRules.SOURCE_ID_RULE);
            }
            return 0;
        }
    }

    private static String hex(final long index)
    {
        return index < 0 ? "-" : "0x" + Long.toHexString(index);
    }
}
