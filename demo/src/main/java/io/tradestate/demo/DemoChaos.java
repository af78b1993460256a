package io.tradestate.demo;

import io.tradestate.reader.postgres.EmbeddedDatabase;


import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The faults {@code --chaos} injects while the strategies append, one after the other, on the demo's progress
 * thread (each step is taken at the first progress tick after its time):
 * <ol>
 * <li>at {@value #STRATEGY_KILL_PERCENT}% of the duration one strategy JVM, picked by the seed ({@link #victim}),
 * is killed with {@code SIGKILL}, as a crash would. The simulated exchange, whose record of that strategy's account
 * ({@link ExchangeAccount}) the strategy kept from its start, trades on: it fills some of the orders still working
 * there. The strategy is started again at once: the new JVM gets its open orders, trades and pair locks back from
 * the state maps, reconciles with the exchange's record (the fills it missed, and the orders' updates, appended as
 * reconciled: {@link RestartReconciliation}), cancels the orders still open on the exchange and trades on for the
 * time left;</li>
 * <li>at {@value #DATABASE_KILL_PERCENT}% the embedded PostgreSQL's postmaster is killed with {@code SIGKILL} and,
 * after an outage of {@value #DATABASE_OUTAGE_PERCENT}% of the duration (1 to 5 s), started again on its data
 * folder and port (crash recovery); the reader agent pauses, retries and resumes. An external database
 * ({@code --db-url}) is left alone.</li>
 * </ol>
 * The reader agent runs in the demo's JVM and is not killed: {@code DrainExactlyOnceIT} kills agents.
 */
final class DemoChaos
{
    static final int STRATEGY_KILL_PERCENT = 30;
    static final int DATABASE_KILL_PERCENT = 55;
    static final int DATABASE_OUTAGE_PERCENT = 15;

    private static final long MIN_OUTAGE_MS = 1_000;
    private static final long MAX_OUTAGE_MS = 5_000;
    private static final long KILL_WAIT_MS = 10_000;
    private static final long TRADING_WHILE_DOWN_MS = 500;

    private enum Step
    {
        KILL_STRATEGY, START_RESTARTED, KILL_DATABASE, START_DATABASE, DONE
    }

    private final DemoOptions options;
    private final PrintStream out;
    private final List<StrategyProcess> strategies;
    private final List<StrategyProcess> killed;
    private final Path runDir;
    private final long runId;
    private final long runStartMs;
    private final int victim;
    private final String jdbcUrl;
    private final String user;
    private final String password;
    private final List<String> faults = new ArrayList<>();
    private EmbeddedDatabase database;
    private Step step = Step.KILL_STRATEGY;
    private long databaseKilledMs;
    private int databasePort;
    private long restartedAtMs;
    private long fillsWhileDown = -1;
    private long recoveredFills = -1;
    private long recoveredOrderUpdates = -1;

    /**
     * The faults of one run.
     *
     * @param options    the demo's options: duration, seed, state folder.
     * @param out        where each fault is reported as it happens.
     * @param strategies the running strategies; the killed one is replaced by its restart.
     * @param killed     where the killed strategy goes, for its counters to be summed.
     * @param runDir     the run's scratch folder (stats and logs of the restarted strategy).
     * @param runId      the run's id; the restart takes a later one.
     * @param runStartMs when the strategies were told to start.
     * @param database   the embedded PostgreSQL, or null for an external database.
     * @param jdbcUrl    the database the restarted strategy reconciles against.
     * @param user       its user.
     * @param password   its password, or null.
     */
    DemoChaos(
        final DemoOptions options,
        final PrintStream out,
        final List<StrategyProcess> strategies,
        final List<StrategyProcess> killed,
        final Path runDir,
        final long runId,
        final long runStartMs,
        final EmbeddedDatabase database,
        final String jdbcUrl,
        final String user,
        final String password)
    {
        this.options = options;
        this.out = out;
        this.strategies = strategies;
        this.killed = killed;
        this.runDir = runDir;
        this.runId = runId;
        this.runStartMs = runStartMs;
        this.database = database;
        this.victim = victim(options);
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
    }

    /**
     * The strategy the run kills, picked by the seed: it keeps an exchange account from its start.
     *
     * @param options the demo's options.
     * @return its process index.
     */
    static int victim(final DemoOptions options)
    {
        return new Random(options.seed()).nextInt(options.processes());
    }

    /**
     * The fills the restarted strategy appended from its reconciliation with the exchange.
     *
     * @return their number, -1 before it is back.
     */
    long recoveredFills()
    {
        return recoveredFills;
    }

    /**
     * The order updates the restarted strategy appended from its reconciliation with the exchange.
     *
     * @return their number, -1 before it is back.
     */
    long recoveredOrderUpdates()
    {
        return recoveredOrderUpdates;
    }

    /**
     * The fills the exchange made while the killed strategy was down.
     *
     * @return their number, -1 before the kill.
     */
    long fillsWhileDown()
    {
        return fillsWhileDown;
    }

    /**
     * Take the steps that are due.
     *
     * @param nowMs    wall-clock time.
     * @param stopping the run was cut short (Ctrl-C): no new fault, but a killed database is started again.
     * @throws IOException          if a process cannot be started again.
     * @throws InterruptedException if interrupted waiting for a killed process to go.
     */
    void tick(final long nowMs, final boolean stopping) throws IOException, InterruptedException
    {
        if (stopping)
        {
            finish();
            return;
        }
        final long durationMs = options.durationMs();
        switch (step)
        {
            case KILL_STRATEGY:
                if (nowMs >= runStartMs + durationMs * STRATEGY_KILL_PERCENT / 100)
                {
                    killStrategy(nowMs);
                    step = Step.START_RESTARTED;
                }
                break;

            case START_RESTARTED:
                if (startRestarted(nowMs))
                {
                    step = Step.KILL_DATABASE;
                }
                break;

            case KILL_DATABASE:
                if (nowMs >= runStartMs + durationMs * DATABASE_KILL_PERCENT / 100)
                {
                    step = killDatabase(nowMs) ? Step.START_DATABASE : Step.DONE;
                }
                break;

            case START_DATABASE:
                if (nowMs >= databaseKilledMs + outageMs())
                {
                    startDatabase();
                    step = Step.DONE;
                }
                break;

            default:
                break;
        }
    }

    /**
     * End the faults: a database still down is started again now, and nothing more is injected.
     *
     * @throws IOException if the database cannot be started again.
     */
    void finish() throws IOException
    {
        if (Step.START_DATABASE == step)
        {
            startDatabase();
        }
        step = Step.DONE;
    }

    /**
     * The embedded PostgreSQL now running (restarted or not), for the demo to stop at the end.
     *
     * @return the server, or null for an external database.
     */
    EmbeddedDatabase database()
    {
        return database;
    }

    /**
     * What was injected, a line per fault, for the summary.
     *
     * @return the lines.
     */
    List<String> faults()
    {
        return faults;
    }

    private long outageMs()
    {
        return Math.max(MIN_OUTAGE_MS, Math.min(MAX_OUTAGE_MS, options.durationMs() * DATABASE_OUTAGE_PERCENT / 100));
    }

    private void killStrategy(final long nowMs) throws IOException, InterruptedException
    {
        final StrategyProcess strategy = strategies.get(victim);
        final long pid = strategy.kill();
        killed.add(strategy);
        final Path account = StrategyProcess.exchangeAccount(runDir, victim);
        try (ExchangeAccount exchange = ExchangeAccount.open(account))
        {
            fillsWhileDown = exchange.fillWhileDown(new Random(options.seed() ^ nowMs), nowMs,
                nowMs + TRADING_WHILE_DOWN_MS);
        }
        final long remainingMs = Math.max(1_000, runStartMs + options.durationMs() - nowMs);
        final long restartRunId = Math.max(runId + 1, nowMs / 1000);
        strategies.set(victim, StrategyProcess.start(options, victim, restartRunId, runDir, 2, remainingMs,
            options.stateDir(), runStartMs + DemoRunner.START_REGIME_MS, account,
            new StrategyProcess.Reconciliation(nowMs, jdbcUrl, user, password)));
        restartedAtMs = nowMs;
        report(nowMs, String.format(Locale.ROOT, "strategy %s (pid %d) killed with SIGKILL after %,d events; " +
            "the exchange filled %d of its open orders while it was down; started again", strategy.sourceId(), pid,
            strategy.stats().events(), fillsWhileDown));
    }

    private boolean startRestarted(final long nowMs)
    {
        final StrategyProcess strategy = strategies.get(victim);
        final long state = strategy.stats().state();
        if (StrategyStatsFile.READY == state)
        {
            strategy.stats().go(nowMs, runStartMs + DemoRunner.START_REGIME_MS);
            recoveredFills = strategy.stats().reconciledFills();
            recoveredOrderUpdates = strategy.stats().reconciledOrderUpdates();
            report(nowMs, String.format(Locale.ROOT, "strategy %s is back %,d ms after the kill: from the state " +
                "maps it got %s, %s and %s; reconciled with the exchange: %s and %s recovered; it cancelled %s " +
                "still open on the exchange", strategy.sourceId(), nowMs - restartedAtMs,
                count(strategy.stats().restoredOrders(), "open order"),
                count(strategy.stats().restoredTrades(), "open trade"),
                count(strategy.stats().restoredLocks(), "pair lock"),
                count(strategy.stats().reconciledFills(), "fill"),
                count(strategy.stats().reconciledOrderUpdates(), "order update"),
                count(strategy.stats().cancelledOrders(), "order")));
            return true;
        }
        if (StrategyStatsFile.FAILED == state || !strategy.isAlive())
        {
            report(nowMs, "strategy " + strategy.sourceId() + " failed to start again; its last output:" +
                System.lineSeparator() + strategy.logTail(20));
            return true;
        }
        return false;
    }

    private boolean killDatabase(final long nowMs) throws InterruptedException
    {
        if (null == database)
        {
            report(nowMs, "the database is external (--db-url): not killed");
            return false;
        }
        final long pid = database.postmasterPid();
        databasePort = database.port();
        final ProcessHandle postmaster = ProcessHandle.of(pid).orElse(null);
        if (null != postmaster)
        {
            postmaster.destroyForcibly();
            try
            {
                postmaster.onExit().get(KILL_WAIT_MS, TimeUnit.MILLISECONDS);
            }
            catch (final ExecutionException | TimeoutException ex)
            {
                report(nowMs, "PostgreSQL (postmaster pid " + pid + ") still running " + KILL_WAIT_MS +
                    " ms after SIGKILL: " + ex);
            }
        }
        database.close();
        databaseKilledMs = nowMs;
        report(nowMs, String.format(Locale.ROOT, "PostgreSQL (postmaster pid %d) killed with SIGKILL; starting it " +
            "again in %,d ms", pid, outageMs()));
        return true;
    }

    private void startDatabase() throws IOException
    {
        database = null;
        database = EmbeddedDatabase.start(options.stateDir(), databasePort);
        final long nowMs = System.currentTimeMillis();
        report(nowMs, String.format(Locale.ROOT, "PostgreSQL up again (crash recovery on its data folder) %,d ms " +
            "after the kill; the reader agent resumes", nowMs - databaseKilledMs));
    }

    private static String count(final long count, final String what)
    {
        return count + " " + what + (1 == count ? "" : "s");
    }

    private void report(final long nowMs, final String what)
    {
        final String line = String.format(Locale.ROOT, "%4ds  %s", (nowMs - runStartMs + 500) / 1000, what);
        faults.add(line);
        out.println("  chaos " + line);
    }
}
