package io.tradestate.reader.operations;

import io.tradestate.codecs.event.EventRules;
import io.tradestate.files.IdentityFile;
import io.tradestate.reader.ReaderContext;
import io.tradestate.reader.cli.VersionProvider;
import io.tradestate.reader.logging.JsonLineFormatter;
import io.tradestate.reader.postgres.EmbeddedDatabase;
import org.postgresql.ds.PGSimpleDataSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code tradestate-reader-agent status [--json] [config-file]}: prints, per source, the last appended and last
 * committed index, the lag in events and milliseconds, and the dead letters, from the database and the queues, then
 * a line per queue folder refused because its name is not a source id; with {@code --json}, one JSON object. With
 * the embedded server it connects to the one the running agent started, found through the state folder.
 */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    synopsisHeading = "usage: ",
    customSynopsis = "tradestate-reader-agent status [--json] [config-file]",
    description =
    {
        "",
        "Per source: the last appended and the last committed index, the lag in events and milliseconds, the",
        "dead letters; then each queue folder refused because its name is not a source id. Reads the database",
        "the agent of this configuration drains into (its embedded server, found through state.dir) and the",
        "journals.",
        "",
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList =
    {
        StatusCommand.EXIT_OK + ":printed",
        StatusCommand.EXIT_FAILED + ":the database or the journals cannot be read",
        StatusCommand.EXIT_INVALID + ":invalid arguments or configuration",
    })
public final class StatusCommand
{
    /**
     * Exit code: the status was printed.
     */
    static final int EXIT_OK = 0;

    /**
     * Exit code: the database or the journals could not be read.
     */
    static final int EXIT_FAILED = 1;

    /**
     * Exit code: invalid arguments or configuration.
     */
    static final int EXIT_INVALID = 2;

    @Option(names = "--json", description = "one JSON object: sources (an object per source) and refusedFolders")
    boolean json;

    @Parameters(arity = "0..1", paramLabel = "config-file",
        description = "the agent's configuration file (Java properties); the environment overrides each key")
    Path configFile;

    /**
     * Load the configuration and print the status.
     *
     * @param out         where the status goes.
     * @param err         where errors go.
     * @param environment overrides the file's keys.
     * @return the exit code.
     */
    public int run(final PrintStream out, final PrintStream err, final Map<String, String> environment)
    {
        final ReaderContext context;
        try
        {
            context = ReaderContext.load(configFile, environment).conclude();
        }
        catch (final IllegalArgumentException ex)
        {
            err.println("tradestate reader-agent: invalid configuration: " + ex.getMessage());
            return EXIT_INVALID;
        }
        try
        {
            return run(context, out, json);
        }
        catch (final Exception ex)
        {
            err.println("tradestate reader-agent status: " + ex);
            return EXIT_FAILED;
        }
    }

    static int run(final ReaderContext context, final PrintStream out) throws IOException, SQLException
    {
        return run(context, out, false);
    }

    static int run(final ReaderContext context, final PrintStream out, final boolean json)
        throws IOException, SQLException
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
            if (json)
            {
                out.println(json(lags, collector.refusedFolders(), context.journalRoot()));
                out.flush();
                return EXIT_OK;
            }
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
            return EXIT_OK;
        }
    }

    /**
     * The status as one JSON object: {@code sources}, an object per source with its indexes (null for none), its
     * counts and lag; {@code refusedFolders}, an object per refused folder.
     */
    static String json(final List<SourceLag> lags, final List<String> refusedFolders, final Path journalRoot)
    {
        final StringBuilder json = new StringBuilder("{\"sources\":[");
        for (int i = 0; i < lags.size(); i++)
        {
            final SourceLag lag = lags.get(i);
            json.append(0 == i ? "" : ",").append("{\"source\":");
            JsonLineFormatter.string(json, lag.sourceId());
            json.append(",\"lastAppendedIndex\":").append(index(lag.lastAppendedIndex()))
                .append(",\"lastCommittedIndex\":").append(index(lag.lastCommittedIndex()))
                .append(",\"eventsCommitted\":").append(lag.eventsCommitted())
                .append(",\"lagEvents\":").append(lag.lagEvents())
                .append(",\"lagMs\":").append(lag.lagMs())
                .append(",\"deadLetters\":").append(lag.deadLetters()).append('}');
        }
        json.append("],\"refusedFolders\":[");
        for (int i = 0; i < refusedFolders.size(); i++)
        {
            json.append(0 == i ? "" : ",").append("{\"folder\":");
            JsonLineFormatter.string(json, journalRoot.resolve(refusedFolders.get(i)).toString());
            json.append(",\"reason\":");
            JsonLineFormatter.string(json, "its name is not a source id (" + EventRules.SOURCE_ID_RULE + ")");
            json.append('}');
        }
        return json.append("]}").toString();
    }

    private static String index(final long index)
    {
        return index < 0 ? "null" : Long.toString(index);
    }

    private static String hex(final long index)
    {
        return index < 0 ? "-" : "0x" + Long.toHexString(index);
    }
}
