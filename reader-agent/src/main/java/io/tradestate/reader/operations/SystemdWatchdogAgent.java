package io.tradestate.reader.operations;

import io.tradestate.reader.ReaderAgent;
import io.tradestate.reader.ReaderAgentMain;
import io.tradestate.reader.journal.SourceParking;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.SystemNanoClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * Keeps systemd informed while the reader agent runs under a {@code Type=notify} unit: {@code READY=1} when
 * launched, then every half watchdog interval {@code WATCHDOG=1} with a status line while the agents are healthy,
 * and {@code STOPPING=1} when closed, which {@link ReaderAgentMain} does first when SIGTERM arrives.
 * <p>
 * Healthy means every agent (the drain, the state publisher) finished a duty cycle within the last watchdog
 * interval: busy, or idle by choice (an idle agent still cycles, its {@code doWork()} returning 0), but not stuck
 * in a call that never returns, nor dead. A stalled agent stops the pings, so systemd's watchdog fires within two
 * intervals; the status line names the agent and the error is logged once. A database that is down is not a stall:
 * the drain keeps cycling while it waits to retry. The interval must exceed the longest bounded step of a duty
 * cycle, a database statement (60 s socket timeout), or a slow but live database would get the agent restarted.
 * <p>
 * Without {@code WatchdogSec=} in the unit it only refreshes the status line, every {@link #STATUS_INTERVAL_NS}.
 */
public final class SystemdWatchdogAgent implements Agent
{
    /**
     * Interval of the status updates when the unit has no watchdog.
     */
    static final long STATUS_INTERVAL_NS = TimeUnit.SECONDS.toNanos(30);

    /**
     * How long an agent may go without a duty cycle before the status line calls it stalled, without a watchdog.
     */
    static final long DEFAULT_STALL_LIMIT_NS = TimeUnit.SECONDS.toNanos(90);

    private static final Logger LOGGER = LoggerFactory.getLogger(SystemdWatchdogAgent.class);

    private final SystemdNotifier notifier;
    private final Health health;
    private final NanoClock clock;
    private final boolean watchdog;
    private final long checkIntervalNs;
    private final long stallLimitNs;
    private long nextCheckNs;
    private String stalledAgent;

    /**
     * What the watchdog asks the reader agent.
     */
    interface Health
    {
        /**
         * An agent that finished no duty cycle within a limit.
         *
         * @param nowNs   now, by the clock the agents are timed with.
         * @param limitNs the limit.
         * @return its role name, or null if every agent finished one.
         */
        String stalledAgent(long nowNs, long limitNs);

        /**
         * A short line saying how the agent is doing, for {@code systemctl status}.
         *
         * @return the line.
         */
        String status();
    }

    SystemdWatchdogAgent(final SystemdNotifier notifier, final Health health, final NanoClock clock)
    {
        this.notifier = notifier;
        this.health = health;
        this.clock = clock;
        final long intervalNs = TimeUnit.MICROSECONDS.toNanos(notifier.watchdogIntervalUs());
        this.watchdog = intervalNs > 0;
        this.checkIntervalNs = watchdog ? Math.max(intervalNs / 2, 1) : STATUS_INTERVAL_NS;
        this.stallLimitNs = watchdog ? intervalNs : DEFAULT_STALL_LIMIT_NS;
        this.nextCheckNs = clock.nanoTime() + checkIntervalNs;
    }

    /**
     * Tell systemd the agent is ready and keep it informed on a thread of its own, if the agent runs under systemd.
     *
     * @param notifier for this process's environment.
     * @param agent    the launched reader agent.
     * @return the running watchdog, whose close tells systemd the agent is stopping; null outside systemd.
     */
    public static AgentRunner launch(final SystemdNotifier notifier, final ReaderAgent agent)
    {
        if (!notifier.enabled())
        {
            return null;
        }

        final SystemdWatchdogAgent watchdog = new SystemdWatchdogAgent(notifier, new Health()
        {
            public String stalledAgent(final long nowNs, final long limitNs)
            {
                return agent.stalledAgent(nowNs, limitNs);
            }

            public String status()
            {
                return statusLine(agent.eventsCommitted(), agent.stateGeneration(), agent.sourcesParked());
            }
        }, SystemNanoClock.INSTANCE);
        notifier.ready(watchdog.health.status());
        LOGGER.info("told systemd the agent is ready; watchdog {}", watchdog.watchdog ?
            "ping every " + TimeUnit.NANOSECONDS.toMillis(watchdog.checkIntervalNs) + " ms while healthy" : "off");

        final AgentRunner runner = new AgentRunner(
            new SleepingMillisIdleStrategy(100), (ex) -> LOGGER.error("systemd watchdog error", ex), null, watchdog);
        AgentRunner.startOnThread(runner);
        return runner;
    }

    /**
     * The status line of a healthy agent.
     *
     * @param eventsCommitted events committed since start.
     * @param stateGeneration state maps generation published, 0 while the first is built.
     * @param sourcesParked   sources the drain or the state publisher stopped reading (see {@link SourceParking}).
     * @return the line.
     */
    public static String statusLine(final long eventsCommitted, final long stateGeneration, final int sourcesParked)
    {
        return "draining: " + eventsCommitted + " events committed since start" +
            (stateGeneration > 0 ? ", state maps generation " + stateGeneration : "") +
            (sourcesParked > 0 ? ", " + sourcesParked + (1 == sourcesParked ? " source" : " sources") +
            " parked (damaged journal: see the log)" : "");
    }

    public String roleName()
    {
        return "tradestate-systemd-watchdog";
    }

    public int doWork()
    {
        final long nowNs = clock.nanoTime();
        if (nowNs - nextCheckNs < 0)
        {
            return 0;
        }
        nextCheckNs = nowNs + checkIntervalNs;

        final String stalled = health.stalledAgent(nowNs, stallLimitNs);
        if (null == stalled)
        {
            if (null != stalledAgent)
            {
                LOGGER.info("{} is making progress again", stalledAgent);
                stalledAgent = null;
            }
            final String status = health.status();
            if (watchdog)
            {
                notifier.watchdog(status);
            }
            else
            {
                notifier.status(status);
            }
        }
        else
        {
            final long limitS = TimeUnit.NANOSECONDS.toSeconds(stallLimitNs);
            if (!stalled.equals(stalledAgent))
            {
                LOGGER.error("{} finished no duty cycle in {} s: {}", stalled, limitS,
                    watchdog ? "no more watchdog pings, systemd will restart the agent" : "stalled");
                stalledAgent = stalled;
            }
            notifier.status("stalled: " + stalled + " finished no duty cycle in " + limitS + " s");
        }
        return 1;
    }

    public void onClose()
    {
        notifier.stopping("stopping: committing the open batch");
    }
}
