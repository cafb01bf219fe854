package io.arqonbus.server.transport;

import io.arqonbus.protocol.Envelope;
import io.arqonbus.protocol.EnvelopeCodec;
import io.arqonbus.protocol.MessageType;
import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * One thread's copy of the payload JSON it last encoded for a client's publication, so that the
 * legacy {@code message_response} that follows it (and echoes the same payload tree) is written
 * from these bytes instead of encoding the tree a second time. The bytes are what the codec
 * wrote for that tree, so the ack is byte for byte what encoding it would give. Matched by the
 * tree's identity and used once; payloads longer than {@link #MAX_BYTES} are not kept.
 * Confined to one thread.
 */
final class PayloadEcho implements EnvelopeCodec.PayloadSplice {
    /** The longest payload kept; the buffer never grows past it. */
    static final int MAX_BYTES = 64 * 1024;

    private byte[] bytes = new byte[512];
    private int length;
    /** The payload tree the bytes belong to, or {@code null}. */
    private Object payload;
    /** The frame being encoded. */
    private ByteBuf out;
    private int start;

    /** Starts encoding into {@code frame}. */
    void bind(ByteBuf frame) {
        out = frame;
    }

    /** Ends encoding into the bound frame. */
    void unbind() {
        out = null;
    }

    @Override
    public boolean canWrite(Envelope envelope) {
        return envelope.type() == MessageType.MESSAGE_RESPONSE && payload != null && envelope.payload() == payload;
    }

    @Override
    public void writePayload() {
        out.writeBytes(bytes, 0, length);
        payload = null;
    }

    /** Publications a legacy ack may follow: whatever a client sends but commands and telemetry. */
    @Override
    public boolean wantsPayload(Envelope envelope) {
        MessageType type = envelope.type();
        return type.clientMaySend() && type != MessageType.COMMAND && type != MessageType.TELEMETRY
                && !envelope.payload().isEmpty();
    }

    @Override
    public void payloadStarts() {
        start = out.writerIndex();
    }

    @Override
    public void payloadEnded(Envelope envelope) {
        payload = null;
        int from = start + 1; // past the ':'
        int size = out.writerIndex() - from;
        if (size <= 0 || size > MAX_BYTES || out.getByte(start) != ':') {
            return;
        }
        if (size > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.min(MAX_BYTES, Math.max(size, 2 * bytes.length)));
        }
        out.getBytes(from, bytes, 0, size);
        length = size;
        payload = envelope.payload();
    }
}
