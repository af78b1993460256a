package io.tradestate.reader.operations;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SystemdNotifierTest
{
    private static final long PID = 4242;

    @TempDir
    Path folder;

    @Test
    void shouldDoNothingWhenNotifySocketIsUnset() throws IOException
    {
        final FakeSystemdNotify fake = new FakeSystemdNotify(folder);
        final Map<String, String> environment = fake.environment();
        environment.remove(SystemdNotifier.NOTIFY_SOCKET_ENV);
        environment.put(SystemdNotifier.WATCHDOG_USEC_ENV, "90000000");

        final SystemdNotifier notifier = SystemdNotifier.fromEnvironment(environment, PID);

        assertFalse(notifier.enabled());
        assertFalse(notifier.ready("ready"));
        assertFalse(notifier.watchdog("ok"));
        assertFalse(notifier.stopping("bye"));
        assertEquals(0, notifier.watchdogIntervalUs());
        assertEquals(List.of(), fake.calls());
    }

    @Test
    void shouldSendEachNotificationThroughSystemdNotifyWithTheSocket() throws IOException
    {
        final FakeSystemdNotify fake = new FakeSystemdNotify(folder);
        final SystemdNotifier notifier = SystemdNotifier.fromEnvironment(fake.environment(), PID);

        assertTrue(notifier.enabled());
        assertTrue(notifier.ready("draining"));
        assertTrue(notifier.watchdog("1 events"));
        assertTrue(notifier.status("2 events"));
        assertTrue(notifier.stopping("stopping"));

        assertEquals(List.of(
            FakeSystemdNotify.SOCKET + "|READY=1 STATUS=draining",
            FakeSystemdNotify.SOCKET + "|WATCHDOG=1 STATUS=1 events",
            FakeSystemdNotify.SOCKET + "|STATUS=2 events",
            FakeSystemdNotify.SOCKET + "|STOPPING=1 STATUS=stopping"), fake.calls());
    }

    @Test
    void shouldKeepTheStatusOnOneLine() throws IOException
    {
        final FakeSystemdNotify fake = new FakeSystemdNotify(folder);
        final SystemdNotifier notifier = SystemdNotifier.fromEnvironment(fake.environment(), PID);

        notifier.status("two\nlines\rREADY=1");

        assertEquals(List.of(FakeSystemdNotify.SOCKET + "|STATUS=two lines READY=1"), fake.calls());
    }

    @Test
    void shouldTakeTheWatchdogIntervalOnlyWhenItIsMeantForThisProcess() throws IOException
    {
        final FakeSystemdNotify fake = new FakeSystemdNotify(folder);

        assertEquals(90_000_000, SystemdNotifier.fromEnvironment(
            fake.environment(SystemdNotifier.WATCHDOG_USEC_ENV, "90000000"), PID).watchdogIntervalUs());
        assertEquals(90_000_000, SystemdNotifier.fromEnvironment(fake.environment(
            SystemdNotifier.WATCHDOG_USEC_ENV, "90000000", SystemdNotifier.WATCHDOG_PID_ENV, "4242"), PID)
            .watchdogIntervalUs());
        assertEquals(0, SystemdNotifier.fromEnvironment(fake.environment(
            SystemdNotifier.WATCHDOG_USEC_ENV, "90000000", SystemdNotifier.WATCHDOG_PID_ENV, "1"), PID)
            .watchdogIntervalUs());
        assertEquals(0, SystemdNotifier.fromEnvironment(
            fake.environment(SystemdNotifier.WATCHDOG_USEC_ENV, "soon"), PID).watchdogIntervalUs());
        assertEquals(0, SystemdNotifier.fromEnvironment(fake.environment(), PID).watchdogIntervalUs());
    }

    @Test
    void shouldReportFailureAndRecoverWhenSystemdNotifyFails() throws IOException
    {
        final FakeSystemdNotify fake = new FakeSystemdNotify(folder);
        final SystemdNotifier notifier = SystemdNotifier.fromEnvironment(fake.environment(), PID);

        fake.failing(true);
        assertFalse(notifier.watchdog("a"));
        assertFalse(notifier.watchdog("b"));
        fake.failing(false);
        assertTrue(notifier.watchdog("c"));

        assertEquals(List.of(FakeSystemdNotify.SOCKET + "|WATCHDOG=1 STATUS=c"), fake.calls());
    }

    @Test
    void shouldNotFailWhenSystemdNotifyIsNotOnThePath() throws IOException
    {
        final FakeSystemdNotify fake = new FakeSystemdNotify(folder);
        final Map<String, String> environment = fake.environment();
        environment.put("PATH", "/nonexistent");
        final SystemdNotifier notifier = SystemdNotifier.fromEnvironment(environment, PID);

        assertTrue(notifier.enabled());
        assertFalse(notifier.ready("ready"));
        assertEquals(List.of(), fake.calls());
    }
}
