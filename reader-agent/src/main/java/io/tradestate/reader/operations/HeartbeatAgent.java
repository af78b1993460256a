package io.tradestate.reader.operations;

import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Runs another agent and records when it last finished a duty cycle, so that another thread can tell a stuck agent
 * from one that is busy or idle by choice: an idle agent's runner still calls {@code doWork()}, which returns 0 at
 * once, while a stuck one never returns. The systemd watchdog pings only while every agent has finished a cycle
 * recently. A cycle that throws does not count: an agent failing at every cycle is not making progress.
 * <p>
 * The time is stored with release semantics, a plain store on x86: one clock read and one store per duty cycle.
 */
public final class HeartbeatAgent implements Agent
{
    private static final VarHandle LAST_DUTY_CYCLE_NS;

    static
    {
        try
        {
            LAST_DUTY_CYCLE_NS = MethodHandles.lookup()
                .findVarHandle(HeartbeatAgent.class, "lastDutyCycleNs", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final Agent delegate;
    private final NanoClock clock;
    @SuppressWarnings("unused")
    private long lastDutyCycleNs;

    /**
     * Watch an agent; the time of creation counts as its first duty cycle, so start-up counts as time spent.
     *
     * @param delegate the agent to run.
     * @param clock    source of {@link #lastDutyCycleNs()}.
     */
    public HeartbeatAgent(final Agent delegate, final NanoClock clock)
    {
        this.delegate = delegate;
        this.clock = clock;
        LAST_DUTY_CYCLE_NS.setRelease(this, clock.nanoTime());
    }

    public String roleName()
    {
        return delegate.roleName();
    }

    public void onStart()
    {
        delegate.onStart();
        LAST_DUTY_CYCLE_NS.setRelease(this, clock.nanoTime());
    }

    public int doWork() throws Exception
    {
        final int workCount = delegate.doWork();
        LAST_DUTY_CYCLE_NS.setRelease(this, clock.nanoTime());
        return workCount;
    }

    public void onClose()
    {
        delegate.onClose();
    }

    /**
     * When the agent last finished a duty cycle (or its start), by the clock given at construction.
     *
     * @return nanoseconds.
     */
    public long lastDutyCycleNs()
    {
        return (long)LAST_DUTY_CYCLE_NS.getAcquire(this);
    }
}
