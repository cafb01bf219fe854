package io.arqonbus.bench.load;

import io.arqonbus.bench.scan.ByteScan;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Builds one publisher's frames without allocating anything but the buffer: the payload is
 * {@code {"bp":<publisher>,"bseq":<seq>,"bt":<System.nanoTime()>,"pad":"xxx…"}}, padded so the
 * payload object is about {@code payloadBytes} long. A {@linkplain #durable durable} template also
 * gives each message the id {@code <idPrefix><seq>}, {@code "ack":"durable"} and optionally the
 * same text as its {@code metadata.idempotency_key}.
 *
 * <p>A frame is {@code parts[0] seq parts[1] seq … parts[n-1] seq ,"bt":<time> tail}: the fixed
 * byte runs are prepared once.
 */
public final class PublishTemplate {
    private static final String SEQ = ",\"bseq\":";
    private static final byte[] TIME = ByteScan.marker(",\"bt\":");

    private static final byte[] CRLF = ByteScan.marker("\r\n");

    private final byte[][] parts;
    private final byte[] tail;
    private final int estimatedSize;
    /** NATS: {@code PUB <subject> } before the payload's byte count; {@code null} for the WebSocket dialects. */
    private final byte[] natsHead;
    /** NATS: the payload's bytes other than the digits of the sequence number and the time. */
    private final int natsFixedBytes;

    /**
     * A plain publish (fan-out, many-channels). For NATS the frame is the whole
     * {@code PUB <room>.<channel> <bytes>\r\n<payload>\r\n} operation.
     */
    public PublishTemplate(Dialect dialect, String room, String channel, int publisher, int payloadBytes) {
        this(new String[] {(dialect.nats() ? "" : dialect.publishPrefix(room, channel)) + "{\"bp\":" + publisher + SEQ},
                publisher, payloadBytes, dialect.nats() ? "\r\n" : dialect.publishSuffix(),
                dialect.nats() ? "PUB " + dialect.group(room, channel) + ' ' : null);
    }

    private PublishTemplate(String[] parts, int publisher, int payloadBytes, String suffix) {
        this(parts, publisher, payloadBytes, suffix, null);
    }

    private PublishTemplate(String[] parts, int publisher, int payloadBytes, String suffix, String natsHead) {
        this.parts = new byte[parts.length][];
        int size = 0;
        for (int i = 0; i < parts.length; i++) {
            this.parts[i] = parts[i].getBytes(StandardCharsets.UTF_8);
            size += this.parts[i].length + 20;
        }
        int fixed = ("{\"bp\":" + publisher + ",\"bseq\":1000000,\"bt\":" + System.nanoTime() + ",\"pad\":\"\"}").length();
        char[] pad = new char[Math.max(0, payloadBytes - fixed)];
        Arrays.fill(pad, 'x');
        tail = (",\"pad\":\"" + new String(pad) + "\"}" + suffix).getBytes(StandardCharsets.UTF_8);
        this.natsHead = natsHead == null ? null : natsHead.getBytes(StandardCharsets.UTF_8);
        this.natsFixedBytes = this.parts[0].length + TIME.length + tail.length - CRLF.length;
        estimatedSize = size + TIME.length + tail.length + 20 + (natsHead == null ? 0 : natsHead.length() + 12);
    }

    /**
     * A durable publish in the ArqonBus protocol:
     * {@code {"type":"message","room":…,"channel":…,"ack":"durable","id":"<idPrefix><seq>",
     * "metadata":{"idempotency_key":"<idPrefix><seq>"},"payload":{…}}} (no metadata when
     * {@code idempotencyKey} is false).
     *
     * @param idPrefix starts with {@code arq_}; letters, digits, {@code _} and {@code -} only
     */
    public static PublishTemplate durable(String room, String channel, int publisher, int payloadBytes,
            String idPrefix, boolean idempotencyKey) {
        String head = "{\"type\":\"message\",\"room\":\"" + room + "\",\"channel\":\"" + channel
                + "\",\"ack\":\"durable\",\"id\":\"" + idPrefix;
        String payload = "\",\"payload\":{\"bp\":" + publisher + SEQ;
        String[] parts = idempotencyKey
                ? new String[] {head, "\",\"metadata\":{\"idempotency_key\":\"" + idPrefix, "\"}" + payload.substring(1)}
                : new String[] {head, payload};
        return new PublishTemplate(parts, publisher, payloadBytes, "}");
    }

    /** A new buffer holding the frame text for {@code seq}, stamped with the current {@link System#nanoTime()}. */
    public ByteBuf frame(ByteBufAllocator alloc, long seq) {
        ByteBuf buf = alloc.buffer(estimatedSize);
        long now = System.nanoTime();
        if (natsHead != null) {
            buf.writeBytes(natsHead);
            ByteScan.writeLong(buf, natsFixedBytes + digits(seq) + digits(now));
            buf.writeBytes(CRLF);
        }
        for (byte[] part : parts) {
            buf.writeBytes(part);
            ByteScan.writeLong(buf, seq);
        }
        buf.writeBytes(TIME);
        ByteScan.writeLong(buf, now);
        buf.writeBytes(tail);
        return buf;
    }

    /** The characters {@link ByteScan#writeLong} writes for {@code value}. */
    static int digits(long value) {
        if (value < 0) {
            return value == Long.MIN_VALUE ? 20 : 1 + digits(-value);
        }
        int digits = 1;
        for (long rest = value / 10; rest > 0; rest /= 10) {
            digits++;
        }
        return digits;
    }
}
