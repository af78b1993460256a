package io.tradestate.writer;

import io.tradestate.codecs.HeartbeatEncoder;
import io.tradestate.codecs.MessageHeaderEncoder;
import io.tradestate.codecs.SourceStartedEncoder;
import org.agrona.MutableDirectBuffer;

/**
 * The journal's own events about its writer: {@code SourceStarted}, appended once when the journal opens, and
 * {@code Heartbeat}. Both carry the writer's identity: source id, host, pid, schema version and start time.
 */
final class SourceStatusEvent extends JournalEvent
{
    private static final String[] FIELD_NAMES = {};

    private final SourceStartedEncoder startedEncoder = new SourceStartedEncoder();
    private final HeartbeatEncoder heartbeatEncoder = new HeartbeatEncoder();
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final AsciiField sourceId = new AsciiField("SourceStarted.sourceId", SourceStartedEncoder.sourceIdLength());
    private final AsciiField host = new AsciiField("SourceStarted.host", SourceStartedEncoder.hostLength());
    private final long pid;
    private final long startTimeNs;
    private boolean started;

    SourceStatusEvent(
        final JournalWriter writer, final String sourceId, final String host, final long pid, final long startTimeNs)
    {
        super(writer, "SourceStatus", FIELD_NAMES, 0);
        this.sourceId.set(sourceId);
        this.host.set(host);
        this.pid = pid;
        this.startTimeNs = startTimeNs;
    }

    SourceStatusEvent started(final boolean started)
    {
        this.started = started;
        return this;
    }

    void clear()
    {
    }

    int encodedLength()
    {
        return MessageHeaderEncoder.ENCODED_LENGTH +
            (started ? SourceStartedEncoder.BLOCK_LENGTH : HeartbeatEncoder.BLOCK_LENGTH);
    }

    void encode(final MutableDirectBuffer buffer, final long appendTimeNs)
    {
        if (started)
        {
            startedEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
                .appendTimeNs(appendTimeNs)
                .startTimeNs(startTimeNs)
                .pid(pid)
                .schemaVersion(SourceStartedEncoder.SCHEMA_VERSION)
                .putSourceId(sourceId.bytes(), 0)
                .putHost(host.bytes(), 0);
        }
        else
        {
            heartbeatEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
                .appendTimeNs(appendTimeNs)
                .startTimeNs(startTimeNs)
                .pid(pid)
                .schemaVersion(HeartbeatEncoder.SCHEMA_VERSION)
                .putSourceId(sourceId.bytes(), 0)
                .putHost(host.bytes(), 0);
        }
    }
}
