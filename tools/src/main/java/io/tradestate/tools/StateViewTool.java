package io.tradestate.tools;

import io.tradestate.files.ChronicleDefaults;
import io.tradestate.writer.state.TradeStateView;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code tradestate state <state-dir> [options]}: prints the live state the reader agent publishes in Chronicle Map
 * files, through {@link TradeStateView}, as an operator sees it: open orders, open trades, running pair locks and
 * balances, as aligned text tables or as one JSON object. See {@link StateOptions} for the options and
 * {@code tools/README.md} for the columns.
 * <p>
 * The view is opened as any strategy opens it: read-only, lookups bounded by its lock timeout, a dead generation
 * answered as unavailable. The tool waits up to {@code --wait-ms} for a published generation (opening the maps
 * takes a few seconds), prints once and exits; the agent need not be running, the files keep the last state.
 * <p>
 * Exit codes: {@value #EXIT_OK} printed, {@value #EXIT_INVALID_ARGUMENTS} invalid arguments,
 * {@value #EXIT_NO_STATE} no state published under the folder after the wait, or the maps became unavailable.
 */
public final class StateViewTool
{
    /**
     * Exit code: the state was printed.
     */
    public static final int EXIT_OK = 0;

    /**
     * Exit code: an option or argument is invalid; the message names it.
     */
    public static final int EXIT_INVALID_ARGUMENTS = 2;

    /**
     * Exit code: no state is published under the folder, after the wait.
     */
    public static final int EXIT_NO_STATE = 3;

    static
    {
        ChronicleDefaults.apply();
    }

    private final StateOptions options;
    private final PrintStream out;
    private final PrintStream err;

    /**
     * A run with validated options.
     *
     * @param options what to print.
     * @param out     where the state goes.
     * @param err     where errors go.
     */
    public StateViewTool(final StateOptions options, final PrintStream out, final PrintStream err)
    {
        this.options = options;
        this.out = out;
        this.err = err;
    }

    /**
     * Entry point: {@code StateViewTool <state-dir> [options]}.
     *
     * @param args the state folder and options.
     */
    public static void main(final String[] args)
    {
        System.exit(run(args));
    }

    /**
     * Run on stdout and stderr.
     *
     * @param args the arguments after {@code state}.
     * @return the exit code.
     */
    public static int run(final String[] args)
    {
        return ToolsMain.run(ToolsMain.subcommand("state", args));
    }

    /**
     * Run on the given streams.
     *
     * @param args the arguments after {@code state}.
     * @param out  where the state (or the help text) goes.
     * @param err  where errors go.
     * @return the exit code.
     */
    public static int run(final String[] args, final PrintStream out, final PrintStream err)
    {
        return ToolsMain.run(ToolsMain.subcommand("state", args), out, err, System.getenv());
    }

    /**
     * Open the view, wait for it, print the state.
     *
     * @return the exit code.
     */
    public int run()
    {
        final Path stateDir = options.stateDir();
        if (!Files.isDirectory(stateDir))
        {
            err.println("tradestate state: " + stateDir + " is not a folder");
            return EXIT_NO_STATE;
        }

        try (TradeStateView view = TradeStateView.open(stateDir))
        {
            if (!view.awaitAvailable(options.waitMs()))
            {
                err.println("tradestate state: no state published under " + stateDir + " within " +
                    options.waitMs() + " ms" + (null == view.lastError() ? "" : ": " + view.lastError()));
                return EXIT_NO_STATE;
            }

            final long nowMs = System.currentTimeMillis();
            final long atMs = Long.MIN_VALUE == options.atMs() ? nowMs : options.atMs();
            final StateViewReader reader = new StateViewReader(view);
            final StateTable orders = reader.openOrders(options.sourceId());
            final StateTable trades = reader.openTrades(options.sourceId());
            final StateTable locks = reader.activePairLocks(options.sourceId(), atMs);
            final StateTable balances = reader.balances();
            final long heartbeatMs = view.publisherHeartbeatMs();
            if (options.json())
            {
                printJson(view, nowMs, atMs, heartbeatMs, orders, trades, locks, balances);
            }
            else
            {
                printText(view, nowMs, atMs, heartbeatMs, orders, trades, locks, balances);
            }
            out.flush();
            return EXIT_OK;
        }
        catch (final StateViewReader.UnavailableException ex)
        {
            err.println("tradestate state: " + ex.getMessage() + " (the agent died holding a lock?); try again");
            return EXIT_NO_STATE;
        }
    }

    private void printText(
        final TradeStateView view,
        final long nowMs,
        final long atMs,
        final long heartbeatMs,
        final StateTable... sections)
    {
        final StringBuilder heading = new StringBuilder("state ").append(options.stateDir())
            .append(": generation ").append(view.generation())
            .append(", publisher heartbeat ");
        if (0 == heartbeatMs)
        {
            heading.append("none");
        }
        else
        {
            heading.append(nowMs - heartbeatMs).append(" ms ago (");
            TimestampText.appendMillis(heading, heartbeatMs).append(')');
        }
        heading.append(", ").append(view.isMapFull() ? "a map is FULL: entries were dropped" : "no map full");
        out.println(heading);
        final StringBuilder at = new StringBuilder("at ");
        TimestampText.appendMillis(at, atMs);
        if (null != options.sourceId())
        {
            at.append(", source ").append(options.sourceId());
        }
        out.println(at);
        for (final StateTable section : sections)
        {
            out.println();
            section.printText(out);
        }
    }

    private void printJson(
        final TradeStateView view,
        final long nowMs,
        final long atMs,
        final long heartbeatMs,
        final StateTable orders,
        final StateTable trades,
        final StateTable locks,
        final StateTable balances)
    {
        final JsonEventWriter json = new JsonEventWriter();
        json.begin()
            .string("stateDir", options.stateDir().toString())
            .number("generation", view.generation())
            .number("publishedGeneration", view.publishedGeneration());
        if (0 == heartbeatMs)
        {
            json.nullValue("publisherHeartbeatMs").nullValue("publisherHeartbeat").nullValue("heartbeatAgeMs");
        }
        else
        {
            json.number("publisherHeartbeatMs", heartbeatMs).timeMs("publisherHeartbeat", heartbeatMs)
                .number("heartbeatAgeMs", nowMs - heartbeatMs);
        }
        json.bool("mapFull", view.isMapFull())
            .number("atMs", atMs)
            .timeMs("at", atMs)
            .string("source", options.sourceId());
        final StringBuilder document = new StringBuilder(json.line());
        section(document, "openOrders", orders, json);
        section(document, "openTrades", trades, json);
        section(document, "activePairLocks", locks, json);
        section(document, "balances", balances, json);
        out.println(document.append('}'));
    }

    private static void section(
        final StringBuilder document, final String name, final StateTable table, final JsonEventWriter json)
    {
        document.append(",\n\"").append(name).append("\":[");
        table.appendJson(document, json);
        document.append(']');
    }
}
