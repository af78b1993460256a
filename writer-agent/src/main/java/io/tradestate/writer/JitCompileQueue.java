package io.tradestate.writer;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;

/**
 * Whether the JIT is compiling a method of the append path right now: the compilations in progress listed by the
 * HotSpot diagnostic command {@code Compiler.queue} (what {@code jcmd <pid> Compiler.queue} prints), read through the
 * platform MBean server, searched for the packages the append path runs in. For the warm-up, which lets the
 * compilations in flight finish rather than wait a fixed time: on two cores the optimising compiler has one thread
 * and one large method takes it hundreds of milliseconds. The queue behind it is not waited for: at start-up it holds
 * tasks for seconds (measured: over 4 s of compilations of the append path alone on this project's 2-core machine),
 * and some never leave it (small methods inlined everywhere else).
 */
final class JitCompileQueue
{
    private static final String[] APPEND_PATH_PACKAGES =
    {
        "io.tradestate.", "net.openhft.", "org.agrona.",
    };
    private static final String QUEUES_HEADING = "compile queue:";
    private static final String[] SIGNATURE = {String[].class.getName()};
    private static final Object[] NO_ARGUMENTS = {null};

    private final MBeanServer server;
    private final ObjectName diagnosticCommand;

    private JitCompileQueue(final MBeanServer server, final ObjectName diagnosticCommand)
    {
        this.server = server;
        this.diagnosticCommand = diagnosticCommand;
    }

    /**
     * The queue of this JVM, if it can be read.
     *
     * @return the queue, or null on a JVM without HotSpot's diagnostic commands.
     */
    static JitCompileQueue open()
    {
        try
        {
            final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            final JitCompileQueue queue =
                new JitCompileQueue(server, new ObjectName("com.sun.management:type=DiagnosticCommand"));
            queue.text();
            return queue;
        }
        catch (final JMException | RuntimeException | LinkageError ex)
        {
            return null;
        }
    }

    /**
     * Whether a method of the append path is being compiled.
     *
     * @return true while one is, false once none is (or the queue can no longer be read).
     */
    boolean compilingAppendPath()
    {
        String text;
        try
        {
            text = text();
        }
        catch (final JMException | RuntimeException ex)
        {
            return false;
        }

        final int queues = text.indexOf(QUEUES_HEADING);
        if (queues >= 0)
        {
            text = text.substring(0, queues);
        }

        for (final String prefix : APPEND_PATH_PACKAGES)
        {
            if (text.contains(prefix))
            {
                return true;
            }
        }

        return false;
    }

    private String text() throws JMException
    {
        return String.valueOf(server.invoke(diagnosticCommand, "compilerQueue", NO_ARGUMENTS, SIGNATURE));
    }
}
