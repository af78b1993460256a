package io.tradestate.reader.operations;

import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SystemdWatchdogAgentTest
{
    private static final long INTERVAL_NS = TimeUnit.SECONDS.toNanos(90);
    private static final String SOCKET = FakeSystemdNotify.SOCKET + "|";

    @TempDir
    Path folder;

    private final CachedNanoClock clock = new CachedNanoClock();
    private final FakeAgent agent = new FakeAgent();

    @Test
    void shouldPingEveryHalfIntervalWhileEveryAgentMakesProgress() throws Exception
    {
        final FakeSystemdNotify fake = new FakeSystemdNotify(folder);
        final HeartbeatAgent drain = new HeartbeatAgent(agent, clock);
        agent.heartbeat = drain;
        final SystemdWatchdogAgent watchdog = watchdog(fake, "90000000");

        clock.advance(INTERVAL_NS / 2 - 1);
        assertEquals(0, watchdog.doWork());
        drain.doWork();
        agent.committed = 7;
        clock.advance(1);
        assertEquals(1, watchdog.doWork());
        assertEquals(0, watchdog.doWork());
        clock.advance(INTERVAL_NS / 2);
        drain.doWork();
        assertEquals(1, watchdog.doWork());

        assertEquals(List.of(
            SOCKET + "WATCHDOG=1 STATUS=draining: 7 events committed since start, state maps generation 2",
            SOCKET + "WATCHDOG=1 STATUS=draining: 7 events committed since start, state maps generation 2"),
            fake.calls());
    }

    @Test
    void shouldStopPingingWhileAnAgentIsStuckAndResumeWhenItMovesAgain() throws Exception
    {
        final FakeSystemdNotify fake = new FakeSystemdNotify(folder);
        final HeartbeatAgent drain = new HeartbeatAgent(agent, clock);
        agent.heartbeat = drain;
        final SystemdWatchdogAgent watchdog = watchdog(fake, "90000000");

        clock.advance(INTERVAL_NS / 2);
        watchdog.doWork();
        clock.advance(INTERVAL_NS / 2);
        watchdog.doWork();
        clock.advance(INTERVAL_NS / 2);
        watchdog.doWork();
        drain.doWork();
        clock.advance(INTERVAL_NS / 2);
        watchdog.doWork();

        assertEquals(List.of(
            SOCKET + "WATCHDOG=1 STATUS=draining: 0 events committed since start, state maps generation 2",
            SOCKET + "WATCHDOG=1 STATUS=draining: 0 events committed since start, state maps generation 2",
            SOCKET + "STATUS=stalled: fake-drain finished no duty cycle in 90 s",
            SOCKET + "WATCHDOG=1 STATUS=draining: 0 events committed since start, state maps generation 2"),
            fake.calls());
    }

    @Test
    void shouldOnlyUpdateTheStatusWhenTheUnitHasNoWatchdog() throws Exception
    {
        final FakeSystemdNotify fake = new FakeSystemdNotify(folder);
        agent.heartbeat = new HeartbeatAgent(agent, clock);
        final SystemdWatchdogAgent watchdog = watchdog(fake, null);

        clock.advance(SystemdWatchdogAgent.STATUS_INTERVAL_NS);
        watchdog.doWork();

        assertEquals(List.of(SOCKET + "STATUS=draining: 0 events committed since start, state maps generation 2"),
            fake.calls());
    }

    @Test
    void shouldTellSystemdTheAgentIsStoppingWhenClosed() throws IOException
    {
        final FakeSystemdNotify fake = new FakeSystemdNotify(folder);
        agent.heartbeat = new HeartbeatAgent(agent, clock);
        watchdog(fake, "90000000").onClose();

        assertEquals(List.of(SOCKET + "STOPPING=1 STATUS=stopping: committing the open batch"), fake.calls());
    }

    private SystemdWatchdogAgent watchdog(final FakeSystemdNotify fake, final String watchdogUsec)
    {
        final SystemdNotifier notifier = SystemdNotifier.fromEnvironment(null == watchdogUsec ? fake.environment() :
            fake.environment(SystemdNotifier.WATCHDOG_USEC_ENV, watchdogUsec), 1);
        return new SystemdWatchdogAgent(notifier, agent, clock);
    }

    private static final class FakeAgent implements org.agrona.concurrent.Agent, SystemdWatchdogAgent.Health
    {
        HeartbeatAgent heartbeat;
        long committed;

        public int doWork()
        {
            return 0;
        }

        public String roleName()
        {
            return "fake-drain";
        }

        public String stalledAgent(final long nowNs, final long limitNs)
        {
            return nowNs - heartbeat.lastDutyCycleNs() > limitNs ? heartbeat.roleName() : null;
        }

        public String status()
        {
            return SystemdWatchdogAgent.statusLine(committed, 2, 0);
        }
    }
}
