package io.tradestate.reader.operations;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Tells systemd how the agent is, with the {@code sd_notify} protocol: {@code READY=1}, {@code STATUS=...},
 * {@code WATCHDOG=1} and {@code STOPPING=1}. Does nothing when {@code NOTIFY_SOCKET} is unset, as in tests and
 * every run outside a {@code Type=notify} unit.
 * <p>
 * <b>Design note.</b> A notification is one datagram on the {@code AF_UNIX} socket named by {@code NOTIFY_SOCKET}.
 * Java 17 cannot send one: its Unix-domain channels are stream sockets ({@code SocketChannel}) and
 * {@code DatagramChannel} has no {@code AF_UNIX}. Native code could (JNI, or the JNA that Chronicle brings in
 * transitively, at a version this project does not pin), at the price of native code in the process for a few
 * messages a minute. Instead each notification runs systemd's own {@code systemd-notify}, found on the
 * {@code PATH}: a child process of the agent, so the unit says {@code NotifyAccess=all}. Since systemd 246 it
 * waits until the manager has processed the message ({@code BARRIER=1}), so it cannot exit before systemd has
 * found out which unit sent it, the race that made older versions lose messages. It costs a process start, a few
 * milliseconds: {@code READY} and {@code STOPPING} once, {@code WATCHDOG} every half watchdog interval.
 * <p>
 * A failed notification (command missing, non-zero exit, no answer within {@link #TIMEOUT_MS}) is logged when
 * failures start and when they stop, and the agent carries on: systemd acts on what it does not hear.
 */
public final class SystemdNotifier
{
    /**
     * Environment variable naming the manager's socket; unset outside {@code Type=notify} units.
     */
    static final String NOTIFY_SOCKET_ENV = "NOTIFY_SOCKET";

    /**
     * Environment variable with the watchdog interval in microseconds, set when the unit has {@code WatchdogSec=}.
     */
    static final String WATCHDOG_USEC_ENV = "WATCHDOG_USEC";

    /**
     * Environment variable with the PID the watchdog interval is meant for.
     */
    static final String WATCHDOG_PID_ENV = "WATCHDOG_PID";

    /**
     * The command that sends the notifications.
     */
    static final String COMMAND = "systemd-notify";

    /**
     * Longest wait for one notification to be delivered.
     */
    static final long TIMEOUT_MS = 5_000;

    private static final Logger LOGGER = LoggerFactory.getLogger(SystemdNotifier.class);

    private final String notifySocket;
    private final String command;
    private final long watchdogIntervalUs;
    private boolean failing;

    private SystemdNotifier(final String notifySocket, final String command, final long watchdogIntervalUs)
    {
        this.notifySocket = notifySocket;
        this.command = command;
        this.watchdogIntervalUs = watchdogIntervalUs;
    }

    /**
     * A notifier for the environment the agent runs in.
     *
     * @param environment usually {@link System#getenv()}: {@code NOTIFY_SOCKET}, {@code WATCHDOG_USEC},
     *                    {@code WATCHDOG_PID} and the {@code PATH} searched for {@code systemd-notify}.
     * @param pid         this process's id, compared with {@code WATCHDOG_PID}.
     * @return the notifier; {@link #enabled()} is false without {@code NOTIFY_SOCKET}.
     */
    public static SystemdNotifier fromEnvironment(final Map<String, String> environment, final long pid)
    {
        final String socket = environment.get(NOTIFY_SOCKET_ENV);
        if (null == socket || socket.isEmpty())
        {
            return new SystemdNotifier(null, null, 0);
        }

        final String command = find(environment.get("PATH"));
        if (null == command)
        {
            LOGGER.error("{} is set but {} is not on the PATH: systemd will not hear that the agent is ready",
                NOTIFY_SOCKET_ENV, COMMAND);
        }
        return new SystemdNotifier(socket, command, watchdogIntervalUs(environment, pid));
    }

    /**
     * Whether the agent runs under a {@code Type=notify} unit.
     *
     * @return true when {@code NOTIFY_SOCKET} is set.
     */
    boolean enabled()
    {
        return null != notifySocket;
    }

    /**
     * The watchdog interval systemd expects pings within.
     *
     * @return microseconds, 0 when there is no watchdog for this process.
     */
    long watchdogIntervalUs()
    {
        return watchdogIntervalUs;
    }

    /**
     * Start-up is complete.
     *
     * @param status a short line for {@code systemctl status}.
     * @return true if systemd was told.
     */
    boolean ready(final String status)
    {
        return send("READY=1", status);
    }

    /**
     * The agent is alive and well: resets the watchdog timer.
     *
     * @param status a short line for {@code systemctl status}.
     * @return true if systemd was told.
     */
    boolean watchdog(final String status)
    {
        return send("WATCHDOG=1", status);
    }

    /**
     * A new status line, without any change of state.
     *
     * @param status a short line for {@code systemctl status}.
     * @return true if systemd was told.
     */
    boolean status(final String status)
    {
        return send(null, status);
    }

    /**
     * The agent is shutting down.
     *
     * @param status a short line for {@code systemctl status}.
     * @return true if systemd was told.
     */
    boolean stopping(final String status)
    {
        return send("STOPPING=1", status);
    }

    private boolean send(final String state, final String status)
    {
        if (!enabled())
        {
            return false;
        }
        if (null == command)
        {
            return false;
        }

        final List<String> commandLine = new ArrayList<>(3);
        commandLine.add(command);
        if (null != state)
        {
            commandLine.add(state);
        }
        if (null != status)
        {
            // One assignment a line: a newline in the text would start another.
            commandLine.add("STATUS=" + status.replace('\n', ' ').replace('\r', ' '));
        }

        String failure;
        final boolean interrupted = Thread.interrupted();
        try
        {
            final ProcessBuilder builder = new ProcessBuilder(commandLine).redirectErrorStream(true);
            builder.environment().put(NOTIFY_SOCKET_ENV, notifySocket);
            final Process process = builder.start();
            process.getOutputStream().close();
            if (!process.waitFor(TIMEOUT_MS, TimeUnit.MILLISECONDS))
            {
                process.destroyForcibly();
                failure = "no answer within " + TIMEOUT_MS + " ms";
            }
            else if (0 != process.exitValue())
            {
                failure = "exit status " + process.exitValue() + ": " + output(process.getInputStream());
            }
            else
            {
                failure = null;
            }
        }
        catch (final IOException ex)
        {
            failure = ex.toString();
        }
        catch (final InterruptedException ex)
        {
            failure = "interrupted";
            Thread.currentThread().interrupt();
        }
        finally
        {
            if (interrupted)
            {
                Thread.currentThread().interrupt();
            }
        }

        if (null != failure && !failing)
        {
            LOGGER.warn("cannot notify systemd through {} ({}); retrying with the next notification", COMMAND,
                failure);
        }
        else if (null == failure && failing)
        {
            LOGGER.info("notifying systemd again");
        }
        failing = null != failure;
        return !failing;
    }

    private static long watchdogIntervalUs(final Map<String, String> environment, final long pid)
    {
        final String usec = environment.get(WATCHDOG_USEC_ENV);
        if (null == usec)
        {
            return 0;
        }
        final String watchdogPid = environment.get(WATCHDOG_PID_ENV);
        try
        {
            // The interval is inherited by children; WATCHDOG_PID says which process it is for.
            if (null != watchdogPid && Long.parseLong(watchdogPid.trim()) != pid)
            {
                return 0;
            }
            final long intervalUs = Long.parseLong(usec.trim());
            return Math.max(intervalUs, 0);
        }
        catch (final NumberFormatException ex)
        {
            LOGGER.warn("ignoring the watchdog: {}='{}', {}='{}'", WATCHDOG_USEC_ENV, usec, WATCHDOG_PID_ENV,
                watchdogPid);
            return 0;
        }
    }

    private static String find(final String path)
    {
        if (null == path)
        {
            return null;
        }
        for (final String folder : path.split(File.pathSeparator))
        {
            if (!folder.isEmpty())
            {
                final File candidate = new File(folder, COMMAND);
                if (candidate.isFile() && candidate.canExecute())
                {
                    return candidate.getAbsolutePath();
                }
            }
        }
        return null;
    }

    private static String output(final InputStream in) throws IOException
    {
        final byte[] bytes = in.readNBytes(512);
        return new String(bytes, StandardCharsets.UTF_8).trim();
    }
}
